import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Change, PushResult } from '../shared/sync/protocol.ts';
import { changeLogMonths, ensureChangeLogMonths, maintainChangeLog, MONTHS_AHEAD } from './changeLog.ts';
import { createHub, type Hub } from './hub.ts';
import { BEYOND_DEDUPE_WINDOW } from './ledger.ts';
import type { Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'change-log-admin-token-0123456789';
const DAY = 24 * 60 * 60 * 1000;
const WINDOW = { windowDays: 180, expired: 'drop' as const };

/**
 * The change log's retention over a real hub (issue 19 acceptance 5): months older than the dedupe
 * window are compacted into per-client watermarks and dropped; replays inside the window still get
 * their first answer, older ones are answered as duplicates from the watermark, and a laptop that
 * was away longer than the window comes back without any change applied twice.
 */
describe.each(testStorages())('change log retention on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let hub: Hub;
  let url: string;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    hub = await createHub({ storage, adminToken: ADMIN });
    url = await hub.listen();
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  let branches = 0;
  async function newDevice(branchId?: string): Promise<TestDevice> {
    branches += 1;
    const branch =
      branchId ??
      valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: `留存支行${branches}`, code: `KEEP-${branches}-${Math.random().toString(36).slice(2, 7)}`, divisionCode: '430582' } })).id;
    const device = await TestDevice.enroll(url, ADMIN, branch);
    valueOf(await device.hello());
    return device;
  }

  /** As if the hub had received these changes of `device` `days` ago (their month made first). */
  async function receivedDaysAgo(device: TestDevice, changes: Change[], days: number): Promise<void> {
    const at = new Date(Date.now() - days * DAY);
    await ensureChangeLogMonths(storage, at, at);
    await storage.query('UPDATE sync_changes SET received_at = $4 WHERE branch_id = $1 AND client_id = $2 AND op_id = ANY($3::bigint[])', [
      device.branchId,
      device.clientId,
      changes.map((change) => change.opId),
      at.toISOString(),
    ]);
  }

  const state = async (branchId: string) => {
    const rows = await storage.query<{ row_id: string; version: number; data: Record<string, unknown> }>(
      'SELECT row_id::text AS row_id, version, data FROM sync_rows WHERE branch_id = $1 ORDER BY row_id',
      [branchId],
    );
    const [sync] = await storage.query<{ last_seq: string | number }>('SELECT last_seq FROM branch_sync WHERE branch_id = $1', [branchId]);
    return { rows, lastSeq: Number(sync?.last_seq) };
  };
  const logged = async (device: TestDevice) =>
    (await storage.query<{ op_id: string | number }>('SELECT op_id FROM sync_changes WHERE branch_id = $1 AND client_id = $2 ORDER BY op_id', [device.branchId, device.clientId])).map((row) =>
      Number(row.op_id),
    );

  it('keeps the current month and the months ahead, whatever the window', async () => {
    const now = new Date();
    await maintainChangeLog(storage, WINDOW, now);
    const months = (await changeLogMonths(storage)).map(({ year, month }) => year * 12 + month - 1);
    const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
    for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead += 1) expect(months).toContain(current + ahead);
    // Nothing older than the window's first month is left.
    const horizon = new Date(now.getTime() - WINDOW.windowDays * DAY);
    expect(Math.min(...months)).toBeGreaterThanOrEqual(horizon.getUTCFullYear() * 12 + horizon.getUTCMonth() - 1);
  });

  it('after compaction, a replayed page inside the window answers its first answers; one older answers duplicate from the watermark; nothing applies twice', async () => {
    const laptop = await newDevice();
    const [first, second] = [uuidv7(), uuidv7()];
    const old = [
      laptop.write('enterprises', first, 'insert', { name: '华盛建材有限公司', scale: 'small' }),
      laptop.write('enterprises', first, 'update', { address: '攸县城关镇 1 号' }, 1),
      laptop.write('enterprises', second, 'insert', { name: '浮梁茶业有限公司' }),
    ];
    const oldAnswers = await laptop.pushOk(old);
    expect(oldAnswers.map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
    const recent = [laptop.write('enterprises', second, 'update', { address: '浮梁县新地址' }, 1), laptop.write('enterprises', uuidv7(), 'insert', { name: '景德陶瓷有限公司' })];
    const recentAnswers = await laptop.pushOk(recent);
    await receivedDaysAgo(laptop, old, 300);
    const before = await state(laptop.branchId);

    const report = await maintainChangeLog(storage, WINDOW);
    const oldMonth = new Date(Date.now() - 300 * DAY);
    expect(report.compacted).toContain(`sync_changes_y${oldMonth.getUTCFullYear()}m${String(oldMonth.getUTCMonth() + 1).padStart(2, '0')}`);
    // The log holds only the recent page; the old one is the watermark.
    expect(await logged(laptop)).toEqual(recent.map((change) => change.opId));
    const [mark] = await storage.query<{ op_id_through: string | number }>('SELECT op_id_through FROM sync_change_watermarks WHERE branch_id = $1 AND client_id = $2', [laptop.branchId, laptop.clientId]);
    expect(Number(mark?.op_id_through)).toBe(old.at(-1)?.opId);

    // Inside the window: the first answers, as before compaction.
    expect(await laptop.pushOk(recent)).toEqual(recentAnswers.map((answer) => ({ ...answer, status: 'duplicate', originalStatus: 'applied' })));
    // Older than the window: duplicates all the same, and not applied again.
    expect(await laptop.pushOk(old)).toEqual(old.map((change) => ({ opId: change.opId, status: 'duplicate', reason: BEYOND_DEDUPE_WINDOW })));
    // A page mixing an old replay with a new change: the new one goes in.
    const fresh = laptop.write('enterprises', first, 'update', { address: '攸县城关镇 2 号' }, 2);
    const mixed = await laptop.pushOk([old[1] as Change, fresh]);
    expect(mixed.map((result) => [result.status, result.reason])).toEqual([
      ['duplicate', BEYOND_DEDUPE_WINDOW],
      ['applied', undefined],
    ]);
    const after = await state(laptop.branchId);
    const versions = (rows: typeof before.rows) => Object.fromEntries(rows.map((row) => [row.row_id, row.version]));
    expect(versions(after.rows)).toEqual({ ...versions(before.rows), [first]: 3 });
    expect(after.rows.find((row) => row.row_id === first)?.data.address).toBe('攸县城关镇 2 号');
  });

  it('brings a laptop back that was away longer than the window: its unanswered page is not applied twice, its offline edits meet the branch’s as usual, and it converges', async () => {
    const away = await newDevice();
    const colleague = await newDevice(away.branchId);
    const rowId = uuidv7();
    // The laptop's page reached the hub, but the answer never reached the laptop: it stays in its outbox.
    const sent = [away.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司', scale: 'small', address: '地址一' })];
    expect((await away.pushOk(sent)).map((result) => result.status)).toEqual(['applied']);
    // Offline for 300 days, it edits the file on what it has.
    const offline = [away.write('enterprises', rowId, 'update', { scale: 'large' }, 1), away.write('enterprises', rowId, 'update', { address: '地址二' }, 1)];
    await receivedDaysAgo(away, sent, 300);
    // Meanwhile the branch moved on.
    await colleague.pull();
    expect((await colleague.pushOk([colleague.write('enterprises', rowId, 'update', { scale: 'medium' }, 1)])).map((result) => result.status)).toEqual(['applied']);
    await maintainChangeLog(storage, WINDOW);
    expect(await logged(away)).toEqual([]);

    // Back online, the outbox goes as it is: the old page first, then the offline edits.
    const answers = await away.pushOk([...sent, ...offline]);
    expect(answers.map((result: PushResult) => result.status)).toEqual(['duplicate', 'conflict', 'applied']);
    expect(answers[0]?.reason).toBe(BEYOND_DEDUPE_WINDOW);
    await away.pull();
    const [hubRow] = (await state(away.branchId)).rows.filter((row) => row.row_id === rowId);
    // Inserted once, the colleague's edit and the low-risk address: version 3, the guarded scale held in a conflict.
    expect(hubRow).toMatchObject({ version: 3, data: { scale: 'medium', address: '地址二' } });
    expect(away.row('enterprises', rowId)).toEqual({ version: 3, deleted: false, data: hubRow?.data });
    const conflict = [...away.conflicts.values()].find((held) => held.rowId === rowId);
    expect(conflict).toMatchObject({ status: 'open', mine: { fields: { scale: 'large' } }, theirs: { fields: { scale: 'medium' } } });
    valueOf(await call(url, `/sync/v1/conflicts/${conflict?.id}/resolve`, { token: away.token, body: { choice: 'mine', userId: 'officer-1', expectedVersion: 3 } }));
    await away.pull();
    await colleague.pull();
    expect(colleague.row('enterprises', rowId)).toEqual(away.row('enterprises', rowId));
    expect(away.row('enterprises', rowId)?.data.scale).toBe('large');
  });

  it('detaches an expired month instead of dropping it when asked, for IT to archive', async () => {
    const laptop = await newDevice();
    const page = [laptop.write('enterprises', uuidv7(), 'insert', { name: '乐平市绿源环保有限公司' })];
    await laptop.pushOk(page);
    await receivedDaysAgo(laptop, page, 400);
    const { compacted } = await maintainChangeLog(storage, { windowDays: 180, expired: 'detach' });
    expect(compacted.length).toBeGreaterThan(0);
    expect(await logged(laptop)).toEqual([]);
    const kept = await Promise.all(compacted.map((name) => storage.query<{ op_id: string | number }>(`SELECT op_id FROM ${name} WHERE branch_id = $1`, [laptop.branchId])));
    expect(kept.flat().map((row) => Number(row.op_id))).toEqual([page[0]?.opId]);
    expect((await laptop.pushOk(page))[0]).toMatchObject({ status: 'duplicate', reason: BEYOND_DEDUPE_WINDOW });
  });
});
