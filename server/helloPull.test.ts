import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { PullResponse } from '../shared/sync/protocol.ts';
import { appliedReference } from './directory.ts';
import { createHub, type Hub } from './hub.ts';
import type { Sql, Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'hello-pull-admin-token-0123456789';

/**
 * A laptop with nothing to push asks for its first pull page with the hello (shared/sync/protocol.ts),
 * and a pull with nothing beyond the checkpoint is answered and recorded in one statement
 * (server/quietPull.ts). Both must answer exactly what /pull answers.
 */
describe.each(testStorages())('the first pull page with the hello, on $name', (testStorage) => {
  let inner: Storage;
  let cleanup: () => Promise<void>;
  let hub: Hub;
  let url: string;
  /** Every statement the hub ran, in order (transactions' statements included). */
  const statements: string[] = [];

  beforeAll(async () => {
    ({ storage: inner, cleanup } = await testStorage.open());
    const recording = (sql: Sql): Sql => ({
      query: (text, params) => {
        statements.push(text.replace(/\s+/g, ' ').trim());
        return sql.query(text, params);
      },
      exec: (script) => sql.exec(script),
    });
    const storage: Storage = { ...inner, ...recording(inner), transaction: (work) => inner.transaction((tx) => work(recording(tx))) };
    hub = await createHub({ storage, adminToken: ADMIN });
    url = await hub.listen();
  });
  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  let branches = 0;
  async function newBranch(): Promise<string> {
    branches += 1;
    return valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: `握手拉取${branches}`, code: `HP${branches}-${Math.random().toString(36).slice(2, 6)}`, divisionCode: '430582' } })).id;
  }
  const references = (device: TestDevice) => Object.fromEntries([...device.reference].map(([name, set]) => [name, set.version]));
  /** A laptop's audit head as its hellos report it: its anchor is its head once it has synced (server/anchors.ts singleHead). */
  const laptopHead = { seq: 3, hash: 'a'.repeat(64) };
  /** `head` null: a hello without an audit head (an older laptop), recorded the general way. */
  const helloWithPull = (device: TestDevice, pull: { since: number; limit?: number; referenceVersions?: Record<string, number> } | undefined, schemaVersion = 1, head: { seq: number; hash: string } | null = laptopHead, appVersion = '0.1.0') =>
    call<{ branch: { id: string }; auditAnchor: { seq: number; hash: string; at: string } | null; pull?: PullResponse }>(url, '/sync/v1/hello', {
      token: device.token,
      body: { protocol: 1, appVersion, schemaVersion, clientId: device.clientId, clientTime: new Date().toISOString(), pull, ...(head === null ? {} : { auditHead: head, auditAtAnchor: head }) },
    });
  const ms = (value: unknown): number => (value instanceof Date ? value : new Date(String(value))).getTime();
  const deviceRow = async (device: TestDevice) =>
    (
      await inner.query<{ app_version: string; schema_version: number; last_seen_at: unknown; last_sync_at: unknown; reference_versions: Record<string, number> }>(
        'SELECT app_version, schema_version, last_seen_at, last_sync_at, reference_versions FROM devices WHERE client_id = $1',
        [device.clientId],
      )
    )[0];
  /** A reader of the branch that has said hello and holds every reference set published so far. */
  async function caughtUpReader(branchId: string): Promise<TestDevice> {
    const reader = await TestDevice.enroll(url, ADMIN, branchId);
    valueOf(await reader.hello());
    await reader.pull();
    return reader;
  }

  it('answers page for page what /pull answers, and the pages after it come from /pull', async () => {
    const branchId = await newBranch();
    const writer = await TestDevice.enroll(url, ADMIN, branchId);
    valueOf(await writer.hello());
    const ids = Array.from({ length: 25 }, () => uuidv7());
    await writer.pushOk(ids.map((rowId, index) => writer.write('enterprises', rowId, 'insert', { name: `握手企业${index}` })));

    const byPull = await TestDevice.enroll(url, ADMIN, branchId);
    valueOf(await byPull.hello());
    const expected = await byPull.pull(10);

    const byHello = await TestDevice.enroll(url, ADMIN, branchId);
    const hello = valueOf(await helloWithPull(byHello, { since: 0, limit: 10, referenceVersions: {} }));
    expect(hello.branch.id).toBe(branchId);
    expect(hello.pull).toEqual(expected[0]);
    byHello.checkpoint = hello.pull?.next ?? 0;
    for (const set of hello.pull?.reference ?? []) byHello.reference.set(set.name, { version: set.version, data: set.data });
    const rest = await byHello.pull(10);
    expect([hello.pull, ...rest]).toEqual(expected);
    expect(expected.map((page) => [page.rows.length, page.hasMore])).toEqual([
      [10, true],
      [10, true],
      [5, false],
    ]);
  });

  it('answers a pull with nothing beyond the checkpoint in one statement, recording it as /pull does', async () => {
    const branchId = await newBranch();
    const reader = await caughtUpReader(branchId);
    const name = `quiet-set-${Math.random().toString(36).slice(2, 8)}`;
    valueOf(await call(url, `/admin/reference/${name}`, { token: ADMIN, body: { data: { 说明: '一' } } }));
    await reader.pull();
    expect(reader.reference.get(name)?.version).toBe(1);
    const applied = async () => (await appliedReference(inner, name)).find((row) => row.branchId === branchId);
    // /pull recorded what the reader held before it applied version 1.
    expect((await applied())?.version).toBe(0);
    const before = (await applied())?.lastSyncAt as string;

    statements.length = 0;
    const quiet = valueOf(await helloWithPull(reader, { since: reader.checkpoint, referenceVersions: references(reader) }));
    expect(quiet.pull).toEqual({ rows: [], conflicts: [], reference: [], next: reader.checkpoint, hasMore: false });
    // Only the quiet statement looked at the branch's rows: no page was prepared (pullPage's SET LOCAL, its row query).
    expect(statements.filter((text) => /sync_rows|sync_conflicts|reference_sets/.test(text))).toEqual([expect.stringMatching(/^WITH pending AS/)]);
    expect(statements.some((text) => text.startsWith('SET LOCAL'))).toBe(false);
    // Recorded: when, and the reference versions the reader holds.
    const after = await applied();
    expect(after?.version).toBe(1);
    expect(Date.parse(after?.lastSyncAt as string)).toBeGreaterThanOrEqual(Date.parse(before));
    // The same through /pull.
    const page = valueOf(await reader.pullPage());
    expect(page).toEqual(quiet.pull);
  });

  it('records a hello, its audit head and a quiet pull in one statement after the token check, as the three did', async () => {
    const branchId = await newBranch();
    const reader = await caughtUpReader(branchId);
    const name = `one-statement-${Math.random().toString(36).slice(2, 8)}`;
    valueOf(await call(url, `/admin/reference/${name}`, { token: ADMIN, body: { data: { 说明: '三' } } }));
    await reader.pull();
    const held = references(reader);
    expect(held[name]).toBe(1);
    const before = await deviceRow(reader);

    statements.length = 0;
    const quiet = valueOf(await helloWithPull(reader, { since: reader.checkpoint, referenceVersions: held }, 2, laptopHead, '0.2.0'));
    // The token check, then one statement.
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatch(/^WITH pending AS/);
    expect(quiet.pull).toEqual({ rows: [], conflicts: [], reference: [], next: reader.checkpoint, hasMore: false });
    expect(quiet.auditAnchor).toMatchObject(laptopHead);
    const after = await deviceRow(reader);
    expect(after).toMatchObject({ app_version: '0.2.0', schema_version: 2, reference_versions: held });
    expect(ms(after?.last_sync_at)).toBeGreaterThan(ms(before?.last_sync_at));
    expect(ms(after?.last_seen_at)).toBe(ms(after?.last_sync_at));

    // The same head again refreshes its anchor time; without a pull the statement records the hello and the head only.
    statements.length = 0;
    const again = valueOf(await helloWithPull(reader, undefined, 2, laptopHead, '0.3.0'));
    expect(statements).toHaveLength(2);
    expect(statements[1]).not.toMatch(/sync_rows|reference_sets/);
    expect(again).not.toHaveProperty('pull');
    expect(Date.parse(again.auditAnchor?.at ?? '')).toBeGreaterThan(Date.parse(quiet.auditAnchor?.at ?? ''));
    const unpulled = await deviceRow(reader);
    expect(unpulled).toMatchObject({ app_version: '0.3.0', reference_versions: held });
    expect(ms(unpulled?.last_sync_at)).toBe(ms(after?.last_sync_at));
    expect(ms(unpulled?.last_seen_at)).toBeGreaterThan(ms(after?.last_seen_at));

    // A head contradicting an earlier one (same seq, another hash) is flagged as recordAnchor flags it.
    const rewritten = { seq: laptopHead.seq, hash: 'c'.repeat(64) };
    expect(valueOf(await helloWithPull(reader, { since: reader.checkpoint, referenceVersions: held }, 2, rewritten)).auditAnchor).toMatchObject(rewritten);
    const contradictions = await inner.query<{ contradicts: string | null }>('SELECT contradicts FROM audit_anchors WHERE device_id = (SELECT device_id FROM devices WHERE client_id = $1) AND seq = $2 AND hash = $3', [
      reader.clientId,
      rewritten.seq,
      rewritten.hash,
    ]);
    expect(contradictions).toEqual([{ contradicts: laptopHead.hash }]);

    // A hello without a head (an older laptop) is recorded the general way, with the same answer.
    const older = valueOf(await helloWithPull(reader, { since: reader.checkpoint, referenceVersions: held }, 2, null));
    expect(older.pull).toEqual(quiet.pull);
    expect(older.auditAnchor).toMatchObject(rewritten);
  });

  it('takes the long way when a row, a conflict or a newer reference set lies beyond the checkpoint', async () => {
    const branchId = await newBranch();
    const writer = await caughtUpReader(branchId);
    const reader = await caughtUpReader(branchId);
    const since = reader.checkpoint;

    // A newer reference set: the quiet answer must not hide it.
    const name = `long-way-${Math.random().toString(36).slice(2, 8)}`;
    valueOf(await call(url, `/admin/reference/${name}`, { token: ADMIN, body: { data: { 说明: '二' } } }));
    const withSet = valueOf(await helloWithPull(reader, { since, referenceVersions: references(reader) }));
    expect(withSet.pull?.reference.map((set) => [set.name, set.version])).toEqual([[name, 1]]);
    expect(withSet.pull?.next).toBe(since);
    reader.reference.set(name, { version: 1, data: null });

    // A new row.
    const rowId = uuidv7();
    const [pushed] = await writer.pushOk([writer.write('enterprises', rowId, 'insert', { name: '远路企业' })]);
    const withRow = valueOf(await helloWithPull(reader, { since, referenceVersions: references(reader) }));
    expect(withRow.pull?.rows.map((row) => row.rowId)).toEqual([rowId]);
    expect(withRow.pull?.next).toBe(pushed?.serverSeq);

    // A conflict (head office edits a guarded field the writer then edits from the old version).
    valueOf(await call(url, `/admin/rows/${branchId}/enterprises/${rowId}`, { token: ADMIN, body: { fields: { scale: 'medium' }, baseVersion: 1, userId: 'credit-manager-hq' } }));
    const [clash] = await writer.pushOk([writer.write('enterprises', rowId, 'update', { scale: 'micro' }, 1)]);
    expect(clash?.status).toBe('conflict');
    const withConflict = valueOf(await helloWithPull(reader, { since: withRow.pull?.next ?? 0, referenceVersions: references(reader) }));
    expect(withConflict.pull?.conflicts.map((conflict) => conflict.rowId)).toEqual([rowId]);
  });

  it('asks a desktop too old to sync to update before any page, and answers a hello without pull as before', async () => {
    const strict = await createHub({ storage: inner, adminToken: ADMIN, minSchemaVersion: 5 });
    const strictUrl = await strict.listen();
    try {
      const branchId = valueOf(await call<{ id: string }>(strictUrl, '/admin/branches', { token: ADMIN, body: { name: '握手升级', code: `HPU-${Date.now() % 100000}`, divisionCode: '430582' } })).id;
      const device = await TestDevice.enroll(strictUrl, ADMIN, branchId);
      const old = await call(strictUrl, '/sync/v1/hello', {
        token: device.token,
        body: { protocol: 1, appVersion: '0.1.0', schemaVersion: 4, clientId: device.clientId, clientTime: new Date().toISOString(), pull: { since: 0 } },
      });
      expect(old.status).toBe(426);
      expect(old.body).toMatchObject({ ok: false, error: { code: 'UPGRADE_REQUIRED' } });
      const current = valueOf(await device.hello(5));
      expect(current).not.toHaveProperty('pull');
    } finally {
      await strict.close();
    }
  });
});
