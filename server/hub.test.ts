import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { encodeHlc } from '../shared/sync/hlc.ts';
import type { Conflict, PushResult, RowSnapshot } from '../shared/sync/protocol.ts';
import type { BranchSummary } from '../shared/sync/admin.ts';
import { appliedReference } from './directory.ts';
import { createHub, type Hub } from './hub.ts';
import type { Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'test-admin-token-0123456789';

describe.each(testStorages())('hub over HTTP on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let hub: Hub;
  let url: string;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    hub = await createHub({ storage, adminToken: ADMIN });
    url = await hub.listen();
  });
  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  const admin = <T = unknown>(path: string, body?: unknown) => call<T>(url, path, { token: ADMIN, method: body === undefined && path.endsWith('branches') ? 'GET' : 'POST', body });

  let branchCounter = 0;
  async function newBranch(): Promise<string> {
    branchCounter += 1;
    const code = `B${branchCounter}-${Math.random().toString(36).slice(2, 6)}`;
    return valueOf(await admin<{ id: string }>('/admin/branches', { name: `测试支行${branchCounter}`, code, divisionCode: '430582' })).id;
  }
  async function newDevice(branchId?: string): Promise<TestDevice> {
    const device = await TestDevice.enroll(url, ADMIN, branchId ?? (await newBranch()));
    valueOf(await device.hello());
    return device;
  }
  const headOfficeEdit = (branchId: string, rowId: string, fields: Record<string, unknown>, baseVersion: number) =>
    admin<{ result: PushResult; row: RowSnapshot }>(`/admin/rows/${branchId}/enterprises/${rowId}`, { fields, baseVersion, userId: 'credit-manager-hq' });

  async function expectStillServing(): Promise<void> {
    const health = await call(url, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, value: { status: 'ok', storage: storage.kind } });
  }

  const metricsText = async () => (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();

  it('answers health and Prometheus metrics, the metrics only with the admin token', async () => {
    await expectStillServing();
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }] as Record<string, string>[]) {
      const refused = await fetch(`${url}/metrics`, { headers });
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('greenledger_hub');
    }
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^greenledger_hub_pushes_total \d+$/m);
    expect(text).toMatch(/^# TYPE greenledger_hub_branch_last_sync_timestamp_seconds gauge$/m);
  });

  it('round-trips enroll → hello → push → pull, and lists the branch with its device', async () => {
    const branchId = await newBranch();
    const device = await TestDevice.enroll(url, ADMIN, branchId, '城关支行-笔记本1');
    const hello = valueOf(await device.hello());
    expect(hello).toMatchObject({ minSchemaVersion: 1, branch: { id: branchId, divisionCode: '430582' } });
    expect(Math.abs((hello as { clockSkewMs: number }).clockSkewMs)).toBeLessThan(5_000);

    const rowId = uuidv7();
    const results = await device.pushOk([device.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司', address: '攸县城关镇 1 号' })]);
    expect(results).toEqual([{ opId: 1, status: 'applied', serverSeq: expect.any(Number) }]);

    const [page] = await device.pull();
    expect(page?.rows).toEqual([
      {
        seq: results[0]?.serverSeq,
        table: 'enterprises',
        rowId,
        version: 1,
        deleted: false,
        data: expect.objectContaining({ name: '华盛建材有限公司', name_initials: 'HSJCYXGS', address: '攸县城关镇 1 号', branch_id: branchId }),
      },
    ]);
    expect(page?.next).toBe(results[0]?.serverSeq);
    expect(device.checkpoint).toBe(page?.next);
    // caught up: the next pull is empty and keeps the checkpoint
    const [again] = await device.pull();
    expect(again).toMatchObject({ rows: [], conflicts: [], next: device.checkpoint, hasMore: false });

    const { branches } = valueOf(await admin<{ branches: { id: string; rows: number; lastSyncAt: string | null; devices: { name: string }[] }[] }>('/admin/branches'));
    const listed = branches.find((branch) => branch.id === branchId);
    expect(listed).toMatchObject({ rows: 1, devices: [{ name: '城关支行-笔记本1' }] });
    expect(listed?.lastSyncAt).not.toBeNull();
  });

  it('spends an enrollment code once and stores neither code nor token in clear', async () => {
    const branchId = await newBranch();
    const { code } = valueOf(await call<{ code: string }>(url, `/admin/branches/${branchId}/enrollment-codes`, { token: ADMIN, method: 'POST' }));
    const first = await call<{ deviceToken: string }>(url, '/sync/v1/enroll', { body: { code: code.toLowerCase(), deviceName: 'a', clientId: uuidv7() } });
    expect(first.status).toBe(200);
    const second = await call(url, '/sync/v1/enroll', { body: { code, deviceName: 'b', clientId: uuidv7() } });
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({ ok: false, error: { code: 'ENROLLMENT_INVALID' } });

    const token = valueOf(first).deviceToken;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = JSON.stringify([...(await storage.query('SELECT * FROM devices')), ...(await storage.query('SELECT * FROM enrollment_codes'))]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(code.replace(/-/g, ''));
  });

  it('applies the same page once when it is pushed twice', async () => {
    const device = await newDevice();
    const rowId = uuidv7();
    const page = [
      device.write('enterprises', rowId, 'insert', { name: '绿源食品', notes: 'a' }),
      device.write('enterprises', rowId, 'update', { notes: 'b' }, 1),
    ];
    const first = await device.pushOk(page);
    expect(first.map((result) => result.status)).toEqual(['applied', 'applied']);
    const replay = await device.pushOk(page);
    expect(replay).toEqual(first.map((result) => ({ ...result, status: 'duplicate', originalStatus: 'applied' })));
    // a page cut in half and sent again with one more change: the known part is recognised
    const more = await device.pushOk([...page, device.write('enterprises', rowId, 'update', { notes: 'c' }, 2)]);
    expect(more.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'applied']);

    await device.pull();
    expect(device.row('enterprises', rowId)).toMatchObject({ version: 3, data: { name: '绿源食品', notes: 'c' } });
    const [log] = await storage.query<{ count: string | number }>('SELECT count(*) AS count FROM sync_changes WHERE branch_id = $1', [device.branchId]);
    expect(Number(log?.count)).toBe(3);
  });

  it('keeps branches apart: swapped token cannot read, foreign row id or forged branch_id cannot write', async () => {
    const deviceA = await newDevice();
    const deviceB = await newDevice();
    const rowA = uuidv7();
    await deviceA.pushOk([deviceA.write('enterprises', rowA, 'insert', { name: 'A支行客户', scale: 'large' })]);

    // B pulls: nothing of A
    const pagesB = await deviceB.pull();
    expect(pagesB.flatMap((page) => page.rows)).toEqual([]);

    // B writes A's row id, as an update and as an insert: refused, A's row untouched
    const results = await deviceB.pushOk([
      deviceB.write('enterprises', rowA, 'update', { name: '篡改' }, 1),
      deviceB.write('enterprises', rowA, 'insert', { name: '篡改2' }),
      deviceB.write('enterprises', rowA, 'delete', {}, 1),
    ]);
    expect(results.map((result) => [result.status, result.reason])).toEqual([
      ['rejected', 'ROW_OF_ANOTHER_BRANCH'],
      ['rejected', 'ROW_OF_ANOTHER_BRANCH'],
      ['rejected', 'ROW_OF_ANOTHER_BRANCH'],
    ]);

    // B forges A's branch_id in a new row, and in an update of its own row
    const rowB = uuidv7();
    const forged = await deviceB.pushOk([
      deviceB.write('enterprises', uuidv7(), 'insert', { name: '伪造', branch_id: deviceA.branchId }),
      deviceB.write('enterprises', rowB, 'insert', { name: 'B支行客户' }),
      deviceB.write('enterprises', rowB, 'update', { branch_id: deviceA.branchId }, 1),
    ]);
    expect(forged.map((result) => [result.status, result.reason])).toEqual([
      ['rejected', 'BRANCH_MISMATCH'],
      ['applied', undefined],
      ['rejected', 'BRANCH_MISMATCH'],
    ]);

    // A sees its row as it was, and nothing of B
    await deviceA.pull();
    expect(deviceA.row('enterprises', rowA)).toMatchObject({ version: 1, deleted: false, data: { name: 'A支行客户', branch_id: deviceA.branchId } });
    expect(deviceA.row('enterprises', rowB)).toBeUndefined();
    // B sees only its own row, still in its own branch
    const pulledByB = (await deviceB.pull()).flatMap((page) => page.rows);
    expect(deviceB.row('enterprises', rowB)?.data).toMatchObject({ branch_id: deviceB.branchId });
    expect(pulledByB.map((row) => row.rowId)).not.toContain(rowA);
    expect(pulledByB.every((row) => row.data.branch_id === deviceB.branchId)).toBe(true);

    // B cannot resolve A's conflicts either (ids are per branch)
    const conflictOfA = await call(url, `/sync/v1/conflicts/${uuidv7()}/resolve`, { token: deviceB.token, body: { choice: 'mine', expectedVersion: 1 } });
    expect(conflictOfA.status).toBe(404);
  });

  it('refuses a pushed clientId other than the enrolled one', async () => {
    const device = await newDevice();
    const answer = await device.push([device.write('enterprises', uuidv7(), 'insert', { name: 'x' })], { clientId: uuidv7() });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'CLIENT_MISMATCH' } });
  });

  it('tells a revoked device so, and an unknown token that it is unknown', async () => {
    const device = await newDevice();
    const { branches } = valueOf(await admin<{ branches: { id: string; devices: { id: string; clientId: string }[] }[] }>('/admin/branches'));
    const deviceId = branches.find((branch) => branch.id === device.branchId)?.devices[0]?.id as string;
    valueOf(await call(url, `/admin/devices/${deviceId}/revoke`, { token: ADMIN, method: 'POST' }));

    for (const answer of [await device.hello(), await device.pullPage(), await device.push([])]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'DEVICE_REVOKED', message: expect.stringContaining('local data is kept') } });
    }
    const unknown = await call(url, '/sync/v1/pull', { token: 'A'.repeat(43), body: { since: 0 } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const missing = await call(url, '/sync/v1/pull', { body: { since: 0 } });
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('tells a too-old desktop to update (426 UPGRADE_REQUIRED), at hello and at every later call', async () => {
    const strict = await createHub({ storage, adminToken: ADMIN, minSchemaVersion: 5 });
    const strictUrl = await strict.listen();
    try {
      const branchId = valueOf(await call<{ id: string }>(strictUrl, '/admin/branches', { token: ADMIN, body: { name: '升级测试', code: `UP-${Date.now() % 100000}`, divisionCode: '430582' } })).id;
      const device = await TestDevice.enroll(strictUrl, ADMIN, branchId);
      const hello = await device.hello(4);
      expect(hello.status).toBe(426);
      expect(hello.body).toMatchObject({ ok: false, error: { code: 'UPGRADE_REQUIRED', details: { schemaVersion: 4, minSchemaVersion: 5 } } });
      const push = await device.push([]);
      expect(push.status).toBe(426);
      expect((await device.pullPage()).status).toBe(426);
      expect(valueOf(await device.hello(5))).toMatchObject({ minSchemaVersion: 5 });
      expect((await device.pullPage()).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('records a guarded-field clash as a conflict, pulls it, and both sides converge after resolution', async () => {
    const officer = await newDevice();
    const colleague = await newDevice(officer.branchId);
    const rowId = uuidv7();
    await officer.pushOk([officer.write('enterprises', rowId, 'insert', { name: '华盛建材', scale: 'small', outdated_capacity: 0, address: '地址一' })]);
    await officer.pull();

    // head office downgrades the rating while the officer is offline
    const edited = valueOf(await headOfficeEdit(officer.branchId, rowId, { scale: 'medium' }, 1));
    expect(edited.result.status).toBe('applied');
    expect(edited.row).toMatchObject({ version: 2, data: { scale: 'medium' } });

    // offline, the officer sets rating and outdated-capacity flag and the phone, on version 1
    const offline = officer.write('enterprises', rowId, 'update', { scale: 'large', outdated_capacity: 1, address: '地址二' }, 1);
    const [result] = await officer.pushOk([offline]);
    expect(result).toMatchObject({ status: 'conflict', conflictId: expect.any(String), heldFields: ['scale', 'outdated_capacity'] });

    // the phone (low-risk) went in; the guarded fields did not
    await officer.pull();
    expect(officer.row('enterprises', rowId)).toMatchObject({ version: 3, data: { scale: 'medium', outdated_capacity: 0, address: '地址二' } });
    const conflict = officer.conflicts.get(result?.conflictId as string) as Conflict;
    expect(conflict).toMatchObject({
      status: 'open',
      table: 'enterprises',
      rowId,
      baseVersion: 1,
      mine: { fields: { scale: 'large', outdated_capacity: 1 }, prev: { scale: 'small', outdated_capacity: 0 }, userId: 'officer-1' },
      theirs: { fields: { scale: 'medium', outdated_capacity: 0 }, version: 3, deleted: false },
    });
    // every device of the branch sees it; the admin overview counts it
    await colleague.pull();
    expect(colleague.conflicts.get(conflict.id)?.status).toBe('open');
    const { branches } = valueOf(await admin<{ branches: { id: string; pendingConflicts: number }[] }>('/admin/branches'));
    expect(branches.find((branch) => branch.id === officer.branchId)?.pendingConflicts).toBe(1);

    // a stale decision is refused; the person looks again
    const stale = await call(url, `/sync/v1/conflicts/${conflict.id}/resolve`, { token: officer.token, body: { choice: 'mine', expectedVersion: 1 } });
    expect(stale.status).toBe(409);

    // the officer keeps the rating but accepts head office's outdated-capacity flag
    const resolved = valueOf(
      await call<{ conflict: Conflict; row: RowSnapshot }>(url, `/sync/v1/conflicts/${conflict.id}/resolve`, {
        token: officer.token,
        body: { choice: 'edit', fields: { scale: 'large', outdated_capacity: 0 }, userId: 'officer-1', expectedVersion: 3 },
      }),
    );
    expect(resolved.conflict).toMatchObject({ status: 'resolved', resolution: { choice: 'edit', by: 'officer-1' } });
    expect(resolved.row).toMatchObject({ version: 4, data: { scale: 'large', outdated_capacity: 0 } });
    const again = await call(url, `/sync/v1/conflicts/${conflict.id}/resolve`, { token: officer.token, body: { choice: 'theirs', expectedVersion: 4 } });
    expect(again.status).toBe(409);

    // both devices and head office end equal, and the conflict is closed everywhere
    await officer.pull();
    await colleague.pull();
    const hub = (await storage.query<{ data: unknown; version: number }>('SELECT data, version FROM sync_rows WHERE branch_id = $1 AND row_id = $2', [officer.branchId, rowId]))[0];
    expect(officer.row('enterprises', rowId)).toEqual({ version: hub?.version, deleted: false, data: hub?.data });
    expect(colleague.row('enterprises', rowId)).toEqual(officer.row('enterprises', rowId));
    expect(colleague.conflicts.get(conflict.id)?.status).toBe('resolved');

    // the resolution is in the audit trail, by its person
    const audit = await storage.query<{ actor: string; user_id: string; status: string }>(
      "SELECT actor, user_id, status FROM sync_changes WHERE branch_id = $1 AND row_id = $2 AND actor <> 'device' ORDER BY received_at",
      [officer.branchId, rowId],
    );
    expect(audit).toEqual([
      { actor: 'head-office', user_id: 'credit-manager-hq', status: 'applied' },
      { actor: 'resolution', user_id: 'officer-1', status: 'applied' },
    ]);
  });

  it.each([
    ['mine', { scale: 'micro' }],
    ['theirs', { scale: 'medium' }],
  ] as const)("resolves with '%s'", async (choice, expected) => {
    const device = await newDevice();
    const rowId = uuidv7();
    await device.pushOk([device.write('enterprises', rowId, 'insert', { name: '某企业', scale: 'small' })]);
    valueOf(await headOfficeEdit(device.branchId, rowId, { scale: 'medium' }, 1));
    const [result] = await device.pushOk([device.write('enterprises', rowId, 'update', { scale: 'micro' }, 1)]);
    await device.pull();
    const shown = device.row('enterprises', rowId)?.version;
    const resolved = valueOf(await call<{ row: RowSnapshot }>(url, `/sync/v1/conflicts/${result?.conflictId}/resolve`, { token: device.token, body: { choice, expectedVersion: shown } }));
    expect(resolved.row.data).toMatchObject(expected);
    await device.pull();
    expect(device.row('enterprises', rowId)?.data).toMatchObject(expected);
  });

  it('derives an enterprise’s rating from its live rating records, whatever a change sends for the column (issue 10)', async () => {
    const device = await newDevice();
    const rowId = uuidv7();
    const stored = async () =>
      (await storage.query<{ version: number; data: { environmental_rating?: string | null; address?: string } }>('SELECT version, data FROM sync_rows WHERE branch_id = $1 AND row_id = $2', [device.branchId, rowId]))[0];
    await device.pushOk([device.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司', environmental_rating: 'green' })]);
    expect((await stored())?.data.environmental_rating ?? null).toBeNull();
    const [older, newer] = [uuidv7(), uuidv7()];
    await device.pushOk([
      device.write('enterprise_ratings', newer, 'insert', { enterprise_id: rowId, level: 'blue', rated_on: '2026-06-30' }),
      device.write('enterprise_ratings', older, 'insert', { enterprise_id: rowId, level: 'yellow', rated_on: '2025-06-30' }),
    ]);
    // the rating follows the newest record; the enterprise itself did not change (as on the laptops)
    expect(await stored()).toMatchObject({ version: 1, data: { environmental_rating: 'blue' } });
    valueOf(await headOfficeEdit(device.branchId, rowId, { environmental_rating: 'red', address: '浮梁县新地址' }, 1));
    expect(await stored()).toMatchObject({ data: { environmental_rating: 'blue', address: '浮梁县新地址' } });
    await device.pushOk([device.write('enterprise_ratings', newer, 'delete', {}, 1)]);
    expect((await stored())?.data.environmental_rating).toBe('yellow');
  });

  it('treats a delete as guarded and a head-office edit of a deleted row as a conflict', async () => {
    const device = await newDevice();
    const rowId = uuidv7();
    await device.pushOk([device.write('enterprises', rowId, 'insert', { name: '待删企业', scale: 'small' })]);
    valueOf(await headOfficeEdit(device.branchId, rowId, { scale: 'micro' }, 1));
    const [stale] = await device.pushOk([device.write('enterprises', rowId, 'delete', {}, 1)]);
    expect(stale).toMatchObject({ status: 'conflict' });
    await device.pull();
    expect(device.row('enterprises', rowId)).toMatchObject({ deleted: false, data: { scale: 'micro' } });
    expect(device.conflicts.get(stale?.conflictId as string)).toMatchObject({ mine: { op: 'delete' }, theirs: { deleted: false, fields: { scale: 'micro' } } });

    // a delete on the current version goes through (soft: the row stays, deleted)
    const current = device.row('enterprises', rowId)?.version as number;
    const [deleted] = await device.pushOk([device.write('enterprises', rowId, 'delete', {}, current)]);
    expect(deleted?.status).toBe('applied');
    await device.pull();
    expect(device.row('enterprises', rowId)).toMatchObject({ deleted: true, version: current + 1 });
  });

  it('merges a low-risk clash (contact phone) per field by HLC, without a conflict', async () => {
    const device = await newDevice();
    const rowId = uuidv7();
    await device.pushOk([device.write('enterprises', rowId, 'insert', { name: '某企业', address: '地址111', notes: 'n0' })]);
    await device.pull();

    // an offline edit stamped earlier than head office's later edit of the same phone
    const earlier = device.write('enterprises', rowId, 'update', { address: '地址222', notes: 'n1' }, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    valueOf(await headOfficeEdit(device.branchId, rowId, { address: '地址333' }, 1));
    const [result] = await device.pushOk([earlier]);
    expect(result).toMatchObject({ status: 'applied', staleFields: ['address'] });
    expect(result?.conflictId).toBeUndefined();
    await device.pull();
    // head office's later phone stays, the officer's note (not clashing) went in
    expect(device.row('enterprises', rowId)?.data).toMatchObject({ address: '地址333', notes: 'n1' });

    // an edit stamped later than head office's wins, even on an old base version
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = device.write('enterprises', rowId, 'update', { address: '地址444' }, 1);
    const [won] = await device.pushOk([later]);
    expect(won).toMatchObject({ status: 'applied' });
    expect(won?.staleFields).toBeUndefined();
    await device.pull();
    expect(device.row('enterprises', rowId)?.data).toMatchObject({ address: '地址444' });
    const [open] = await storage.query<{ count: string | number }>("SELECT count(*) AS count FROM sync_conflicts WHERE branch_id = $1 AND status = 'open'", [device.branchId]);
    expect(Number(open?.count)).toBe(0);
  });

  it('refuses a page stamped far ahead of the hub clock (CLOCK_DRIFT) without applying any of it', async () => {
    const device = await newDevice();
    const good = device.write('enterprises', uuidv7(), 'insert', { name: 'ok' });
    device.clockOffsetMs = 10 * 60_000;
    const ahead = device.write('enterprises', uuidv7(), 'insert', { name: 'ahead' });
    const answer = await device.push([good, ahead]);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'CLOCK_DRIFT', details: { opId: ahead.opId, driftMs: expect.any(Number) } } });
    const pages = await device.pull();
    expect(pages.flatMap((page) => page.rows)).toEqual([]);
    // once the clock is right and the change restamped, the same op ids go through
    expect((await device.pushOk([good, { ...ahead, hlc: encodeHlc({ ms: Date.now(), counter: 0, node: device.clientId }) }])).map((result) => result.status)).toEqual([
      'applied',
      'applied',
    ]);
  });

  it('pages a pull by server sequence and never skips or repeats a row', async () => {
    const device = await newDevice();
    const ids = Array.from({ length: 25 }, () => uuidv7());
    await device.pushOk(ids.map((rowId, index) => device.write('enterprises', rowId, 'insert', { name: `企业${index}` })));
    const reader = await newDevice(device.branchId);
    const pages = await reader.pull(10);
    expect(pages.map((page) => [page.rows.length, page.hasMore])).toEqual([
      [10, true],
      [10, true],
      [5, false],
    ]);
    const seen = pages.flatMap((page) => page.rows.map((row) => row.rowId));
    expect(seen).toEqual(ids);
    // a row changed again moves to the end, once
    await device.pushOk([device.write('enterprises', ids[0] as string, 'update', { notes: 'again' }, 1)]);
    const [next] = await reader.pull(10);
    expect(next?.rows.map((row) => row.rowId)).toEqual([ids[0]]);
  });

  it('answers the next pull page from one prepared ahead, and a row changed meanwhile still arrives newer', async () => {
    const device = await newDevice();
    const ids = Array.from({ length: 30 }, () => uuidv7());
    await device.pushOk(ids.map((rowId, index) => device.write('enterprises', rowId, 'insert', { name: `预读${index}` })));
    const reader = await newDevice(device.branchId);
    const readAhead = async () => Number(/^greenledger_hub_pulls_read_ahead_total (\d+)$/m.exec(await metricsText())?.[1]);
    const before = await readAhead();

    const first = valueOf(await reader.pullPage(10));
    expect(first.rows.map((row) => row.rowId)).toEqual(ids.slice(0, 10));
    reader.checkpoint = first.next;
    // The hub now prepares rows 10–19; one of them changes before the reader asks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await device.pushOk([device.write('enterprises', ids[12] as string, 'update', { name: '预读改名' }, 1)]);

    const rest = await reader.pull(10);
    expect(await readAhead()).toBeGreaterThan(before);
    const rows = rest.flatMap((page) => page.rows);
    // Prepared before the change, page 2 still holds the old row; the new state follows, once.
    expect(rows.slice(0, 10).map((row) => row.rowId)).toEqual(ids.slice(10, 20));
    expect(rows.filter((row) => row.rowId === ids[12]).map((row) => row.data.name)).toEqual(['预读12', '预读改名']);
    expect(reader.row('enterprises', ids[12] as string)?.data.name).toBe('预读改名');
    expect(new Set(rows.map((row) => row.rowId))).toEqual(new Set(ids.slice(10)));
  });

  it('never answers from a page read ahead before the device’s own push, when another hub process on the database took the push', async () => {
    const writer = await newDevice();
    const ids = Array.from({ length: 30 }, () => uuidv7());
    await writer.pushOk(ids.map((rowId, index) => writer.write('enterprises', rowId, 'insert', { name: `多进程${index}` })));
    const reader = await newDevice(writer.branchId);
    // A second hub on the same database, as HEADOFFICE_WORKERS=2 runs it (server/cluster.ts).
    const other = await createHub({ storage, adminToken: ADMIN });
    try {
      const readerThere = new TestDevice(await other.listen(), reader.token, reader.clientId, reader.branchId);
      const first = valueOf(await reader.pullPage(10));
      reader.checkpoint = first.next;
      // This hub now prepares rows 10–19 for the reader; the reader's own edit of one goes to the other.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await readerThere.pushOk([readerThere.write('enterprises', ids[12] as string, 'update', { name: '别处改名' }, 1)]);
      const rows = (await reader.pull(10)).flatMap((page) => page.rows);
      // Page 2 is prepared afresh: the edited row comes once, as the reader left it, never older.
      expect(rows.filter((row) => row.rowId === ids[12]).map((row) => row.data.name)).toEqual(['别处改名']);
      expect(new Set(rows.map((row) => row.rowId))).toEqual(new Set(ids.slice(10)));
    } finally {
      await other.close();
    }
  });

  it('keeps attachment files per branch: stored once under their own hash, read only by the branch', async () => {
    const officer = await newDevice();
    const colleague = await newDevice(officer.branchId);
    const stranger = await newDevice();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 7)]);
    const hash = createHash('sha256').update(pdf).digest('hex');
    const other = createHash('sha256').update('another file').digest('hex');
    const put = (device: TestDevice, sha256: string, bytes: Buffer) =>
      call<{ sha256: string; stored: boolean }>(url, `/sync/v1/blobs/${sha256}`, { token: device.token, method: 'PUT', raw: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const get = (device: TestDevice, sha256: string) => fetch(`${url}/sync/v1/blobs/${sha256}`, { headers: { authorization: `Bearer ${device.token}`, 'accept-encoding': 'gzip' } });
    const missing = async (device: TestDevice, hashes: string[]) => valueOf(await call<{ missing: string[] }>(url, '/sync/v1/blobs/missing', { token: device.token, body: { sha256: hashes } })).missing;

    expect(await missing(officer, [hash, other])).toEqual([hash, other]);
    // The bytes must hash to the address they are sent to.
    const forged = await put(officer, other, pdf);
    expect([forged.status, forged.body.ok ? '' : forged.body.error.code]).toEqual([400, 'VALIDATION']);
    expect(valueOf(await put(officer, hash, pdf))).toEqual({ sha256: hash, stored: true });
    expect(valueOf(await put(colleague, hash, pdf))).toEqual({ sha256: hash, stored: false });
    expect(await missing(colleague, [hash, other])).toEqual([other]);

    const fetched = await get(colleague, hash);
    expect([fetched.status, fetched.headers.get('content-type'), fetched.headers.get('content-encoding')]).toEqual([200, 'application/octet-stream', null]);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(pdf)).toBe(true);
    // Another branch neither sees nor reads it.
    expect(await missing(stranger, [hash])).toEqual([hash]);
    expect((await get(stranger, hash)).status).toBe(404);
    expect((await get(colleague, 'not-a-hash')).status).toBe(400);
    const tooBig = await put(officer, other, Buffer.alloc(20 * 1024 * 1024 + 1));
    expect([tooBig.status, tooBig.body.ok ? '' : tooBig.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    await expectStillServing();
  });

  it('never ends a pull page between a row and the conflict that share a seq', async () => {
    const officer = await newDevice();
    const rowId = uuidv7();
    await officer.pushOk([officer.write('enterprises', rowId, 'insert', { name: '分页', negative_list: 0 })]);
    valueOf(await headOfficeEdit(officer.branchId, rowId, { negative_list: 1 }, 1));
    const [clash] = await officer.pushOk([officer.write('enterprises', rowId, 'update', { negative_list: 0 }, 1)]);
    const reader = await newDevice(officer.branchId);
    const pages = await reader.pull(1);
    expect(pages[0]).toMatchObject({ rows: [{ rowId, seq: clash?.serverSeq }], conflicts: [{ id: clash?.conflictId, seq: clash?.serverSeq }], hasMore: false });
    expect(reader.conflicts.get(clash?.conflictId as string)?.status).toBe('open');
  });

  it('never lets a pull skip a change that a concurrent push of the same branch commits later', async () => {
    const officerA = await newDevice();
    const officerB = await newDevice(officerA.branchId);
    const reader = await newDevice(officerA.branchId);
    const written = new Set<string>();
    const pushRounds = async (device: TestDevice) => {
      for (let round = 0; round < 5; round += 1) {
        const page = Array.from({ length: 10 }, () => device.write('enterprises', uuidv7(), 'insert', { name: '并发写入' }));
        page.forEach((change) => written.add(change.rowId));
        await device.pushOk(page);
      }
    };
    let writing = true;
    const writers = Promise.all([pushRounds(officerA), pushRounds(officerB)]).finally(() => (writing = false));
    const seen = new Set<string>();
    while (writing) for (const page of await reader.pull(7)) for (const row of page.rows) seen.add(row.rowId);
    await writers;
    for (const page of await reader.pull()) for (const row of page.rows) seen.add(row.rowId);
    expect(seen).toEqual(written);
  });

  it('makes a push of a branch wait for the branch lock before it draws server sequence numbers', async () => {
    const officer = await newDevice();
    const other = await newDevice();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const lastSeq = async (tx: { query: Storage['query'] }) => Number((await tx.query<{ v: string | number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM hub_seq'))[0]?.v);
    // an in-flight push of the branch, as far as the database can tell
    const holder = storage.transaction(async (tx) => {
      await tx.query('SELECT branch_id FROM branch_sync WHERE branch_id = $1 FOR UPDATE', [officer.branchId]);
      const before = await lastSeq(tx);
      locked();
      await released;
      return { before, after: await lastSeq(tx) }; // sequences are not transactional: this sees other sessions' draws
    });
    await lockTaken;
    if (storage.kind === 'postgres') {
      // other branches do not wait (PGlite has one connection, so there everything waits)
      expect(await other.pushOk([other.write('enterprises', uuidv7(), 'insert', { name: '不等' })])).toMatchObject([{ status: 'applied' }]);
    }
    let pushed = false;
    const push = officer.pushOk([officer.write('enterprises', uuidv7(), 'insert', { name: '等锁' })]).then((results) => {
      pushed = true;
      return results;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pushed).toBe(false);
    release();
    const { before, after } = await holder;
    // nothing drew a seq for the waiting push while the lock was held (the other branch drew before)
    expect(after).toBe(storage.kind === 'postgres' ? before + 1 : before);
    const [result] = await push;
    expect(result).toMatchObject({ status: 'applied' });
    expect(result?.serverSeq).toBeGreaterThan(after);
  });

  it('publishes reference data that a pull returns until the client reports the version', async () => {
    const device = await newDevice();
    const name = `focus-industries-${Math.random().toString(36).slice(2, 8)}`;
    const v1 = valueOf(await admin<{ version: number }>(`/admin/reference/${name}`, { data: { 建材: ['C30'], 食品: ['C13', 'C14', 'C15'] } }));
    expect(v1.version).toBe(1);
    const [first] = await device.pull();
    expect(first?.reference.find((set) => set.name === name)).toMatchObject({ version: 1, data: { 建材: ['C30'] } });
    const [second] = await device.pull();
    expect(second?.reference.find((set) => set.name === name)).toBeUndefined();
    const v2 = valueOf(await admin<{ version: number }>(`/admin/reference/${name}`, { data: { 建材: ['C30', 'C31'] } }));
    expect(v2.version).toBe(2);
    const [third] = await device.pull();
    expect(third?.reference.filter((set) => set.name === name)).toMatchObject([{ version: 2 }]);
    // What the device reported holding at its last pull is what the console shows it has applied.
    const applied = async () => (await appliedReference(storage, name)).find((row) => row.branchId === device.branchId)?.version;
    expect(await applied()).toBe(1);
    await device.pull();
    expect(await applied()).toBe(2);
    const badName = await admin(`/admin/reference/${encodeURIComponent('Bad Name')}`, { data: 1 });
    expect(badName.status).toBe(400);
    // A name Object.prototype also has is a free-form set, not a lookup of Object's own (the fuzz harness's 500).
    for (const inherited of ['constructor', 'tostring']) expect((await admin(`/admin/reference/${inherited}`, { data: { 说明: '自由格式' } })).status).toBe(200);
  });

  it('checks a reference set the app knows against its schema: a malformed approval-authority table is refused naming the field', async () => {
    const { defaultApprovalAuthority } = await import('../shared/domain/approvalAuthority.ts');
    const inverted = { ...defaultApprovalAuthority, limits: { ...defaultApprovalAuthority.limits, county: { credit_manager: 5_000_000, branch_head: 1_000_000 } } };
    const refused = await admin<never>('/admin/reference/approval-authority', { data: inverted });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['limits', 'county'] }] } } });
    const notANumber = await admin<never>('/admin/reference/credit-step-targets', { data: { version: 1, source: '总行', targets: { review: { standard: '三天' } } } });
    expect(notANumber.status).toBe(400);
    // The shipped default is a valid publication (the one every laptop already applies: harmless to others sharing this database).
    expect((await admin('/admin/reference/approval-authority', { data: defaultApprovalAuthority })).status).toBe(200);
  });

  it('keeps the audit heads of each device, answers the latest, and flags a head contradicting an earlier one (same seq, another hash)', async () => {
    const device = await newDevice();
    const hello = (auditHead?: { seq: number; hash: string }, auditAtAnchor?: { seq: number; hash: string }) =>
      call<{ auditAnchor: { seq: number; hash: string; at: string } | null }>(url, '/sync/v1/hello', {
        token: device.token,
        body: { protocol: 1, appVersion: '0.1.0', schemaVersion: 1, clientId: device.clientId, clientTime: new Date().toISOString(), auditHead, auditAtAnchor },
      });
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => letter.repeat(64)) as [string, string, string];
    expect(valueOf(await hello()).auditAnchor).toBeNull();
    expect(valueOf(await hello({ seq: 0, hash: '0'.repeat(64) })).auditAnchor).toBeNull();
    expect(valueOf(await hello({ seq: 5, hash: a })).auditAnchor).toMatchObject({ seq: 5, hash: a });
    expect(valueOf(await hello({ seq: 9, hash: b }, { seq: 5, hash: a })).auditAnchor).toMatchObject({ seq: 9, hash: b });
    const summary = async () => (valueOf(await admin<{ branches: BranchSummary[] }>('/admin/branches')).branches.flatMap((branch) => branch.devices)).find((d) => d.clientId === device.clientId);
    expect(await summary()).toMatchObject({ auditAnchor: { seq: 9, hash: b }, auditContradictions: [] });
    // The chain at 5 now hashes to c: rewritten.
    expect(valueOf(await hello({ seq: 12, hash: c }, { seq: 5, hash: c })).auditAnchor).toMatchObject({ seq: 12 });
    expect((await summary())?.auditContradictions).toEqual([expect.objectContaining({ seq: 5, hash: c, earlierHash: a })]);
    expect((await hello({ seq: 5, hash: 'not-a-hash' })).status).toBe(400);
  });

  it('refuses the admin API without the admin token, and a device token there', async () => {
    const device = await newDevice();
    for (const token of [undefined, 'wrong-token-wrong-token', device.token]) {
      const answer = await call(url, '/admin/branches', { ...(token === undefined ? {} : { token }) });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    const duplicateCode = await admin('/admin/branches', { name: '重复', code: 'DUP-1', divisionCode: '430582' });
    expect(duplicateCode.status).toBe(200);
    expect((await admin('/admin/branches', { name: '重复', code: 'DUP-1', divisionCode: '430582' })).status).toBe(409);
  });

  it('refuses a branch whose division code is not a current county, saying why', async () => {
    const unknown = await admin('/admin/branches', { name: '不存在县支行', code: 'NX-1', divisionCode: '360299' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('360299 不是现行的县级行政区划代码');
    const malformed = await admin('/admin/branches', { name: '格式错误支行', code: 'NX-2', divisionCode: '3602' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('行政区划代码应为 6 位数字');
  });

  it('compresses answers for clients that accept gzip', async () => {
    const device = await newDevice();
    await device.pushOk(Array.from({ length: 20 }, (_, index) => device.write('enterprises', uuidv7(), 'insert', { name: `企业${index}`, notes: 'x'.repeat(100) })));
    const answer = await device.pullPage();
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(valueOf(answer).rows).toHaveLength(20);
  });

  describe('garbage in, structured errors out, and the hub keeps serving', () => {
    let device: TestDevice;
    beforeAll(async () => {
      device = await newDevice();
    });
    const push = (raw: string | Buffer, headers: Record<string, string> = {}) => call(url, '/sync/v1/push', { token: device.token, raw, headers });
    const bomb = () => gzipSync(Buffer.from(`{"clientId":"${'0'.repeat(40 * 1024 * 1024)}"}`));
    const cases: [string, () => Promise<{ status: number; body: unknown }>, number, string][] = [
      ['bad JSON', () => push('{"clientId": '), 400, 'VALIDATION'],
      ['bad JSON inside gzip', () => push(gzipSync('{nope'), { 'content-encoding': 'gzip' }), 400, 'VALIDATION'],
      ['not gzip at all', () => push('plain text', { 'content-encoding': 'gzip' }), 400, 'VALIDATION'],
      ['wrong types', () => push(JSON.stringify({ clientId: 7, changes: 'all of them' })), 400, 'VALIDATION'],
      ['a change with a bad HLC', () => push(JSON.stringify({ clientId: device.clientId, changes: [{ ...device.write('enterprises', uuidv7(), 'insert', {}), hlc: 'yesterday' }] })), 400, 'VALIDATION'],
      ['too many changes in a page', () => push(JSON.stringify({ clientId: device.clientId, changes: Array.from({ length: 2001 }, () => ({})) })), 400, 'VALIDATION'],
      ['a gzip bomb', () => push(bomb(), { 'content-encoding': 'gzip' }), 413, 'PAYLOAD_TOO_LARGE'],
      ['an oversize body', () => push(JSON.stringify({ clientId: device.clientId, changes: [], pad: 'x'.repeat(3 * 1024 * 1024) })), 413, 'PAYLOAD_TOO_LARGE'],
      ['an unknown encoding', () => push('{}', { 'content-encoding': 'br' }), 415, 'UNSUPPORTED_ENCODING'],
      ['a form content type', () => push('a=1', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'VALIDATION'],
      // Found by the fuzz harness: PostgreSQL cannot store U+0000, and the query failed (500).
      ['a NUL in a field', () => push(JSON.stringify({ clientId: device.clientId, changes: [device.write('enterprises', uuidv7(), 'insert', { name: '华盛建\u0000' })] })), 400, 'VALIDATION'],
      ['a NUL in a field, gzip', () => push(gzipSync(JSON.stringify({ clientId: device.clientId, changes: [device.write('enterprises', uuidv7(), 'insert', { notes: '\u0000' })] })), { 'content-encoding': 'gzip' }), 400, 'VALIDATION'],
      ['a NUL in reference data', () => call(url, '/admin/reference/divisions', { token: ADMIN, body: { data: ['\u0000'] } }), 400, 'VALIDATION'],
      ['a lone surrogate in reference data', () => call(url, '/admin/reference/divisions', { token: ADMIN, body: { data: { name: '\ud800' } } }), 400, 'VALIDATION'],
      // An escape in upper case too: the hub skips the walk over a body's strings only when it holds no \ud or \uD at all.
      ['a lone surrogate escaped in upper case', () => call(url, '/admin/reference/divisions', { token: ADMIN, raw: '{"data":{"name":"\\uDBFF"}}' }), 400, 'VALIDATION'],
      ['a lone surrogate in a branch name', () => call(url, '/admin/branches', { token: ADMIN, body: { name: '浮梁\udc00支行', code: 'LS-1', divisionCode: '360222' } }), 400, 'VALIDATION'],
      ['an unknown route', () => call(url, '/sync/v2/push', { token: device.token, body: {} }), 404, 'NOT_FOUND'],
      ['a bad conflict id', () => call(url, '/sync/v1/conflicts/not-a-uuid/resolve', { token: device.token, body: { choice: 'mine', expectedVersion: 1 } }), 400, 'VALIDATION'],
      ["'edit' without fields", () => call(url, `/sync/v1/conflicts/${uuidv7()}/resolve`, { token: device.token, body: { choice: 'edit', expectedVersion: 1 } }), 400, 'VALIDATION'],
      // A decision must name the version the person saw (issue 10, R4): without it, it would overwrite whatever landed since.
      ['a resolution without the version it was decided on', () => call(url, `/sync/v1/conflicts/${uuidv7()}/resolve`, { token: device.token, body: { choice: 'mine' } }), 400, 'VALIDATION'],
    ];
    it.each(cases)('%s', async (_name, send, status, code) => {
      const answer = await send();
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
      await expectStillServing();
    });

    it('takes a backslash followed by "u0000" as the text it is, not as a NUL', async () => {
      const results = await device.pushOk([device.write('enterprises', uuidv7(), 'insert', { name: 'C:\\u0000 华盛' })]);
      expect(results.map((result) => result.status)).not.toContain('duplicate');
    });

    it('rejects a change to an unknown table, alone, and applies the rest of the page', async () => {
      const results = await device.pushOk([
        device.write('passwords', uuidv7(), 'insert', { x: 1 }),
        device.write('enterprises', uuidv7(), 'update', { name: 'never inserted' }, 1),
        device.write('enterprises', uuidv7(), 'insert', { name: 'fine' }),
      ]);
      expect(results.map((result) => [result.status, result.reason])).toEqual([
        ['rejected', 'UNKNOWN_TABLE'],
        ['rejected', 'ROW_NOT_FOUND'],
        ['applied', undefined],
      ]);
    });
  });

  it('has every ledger row carry the branch of the token that wrote it', async () => {
    const rows = await storage.query<{ branch_id: string; data_branch: string }>("SELECT branch_id::text AS branch_id, data->>'branch_id' AS data_branch FROM sync_rows");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.data_branch).toBe(row.branch_id);
  });

  it('counts what it did in /metrics', async () => {
    const text = await metricsText();
    expect(Number(/^greenledger_hub_changes_total\{status="conflict"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/^greenledger_hub_pulls_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^greenledger_hub_branch_open_conflicts\{branch="B\d+-\w+"\} \d+$/m);
  });
});
