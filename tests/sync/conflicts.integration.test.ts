import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { EnterpriseDetail, EnterpriseSummary, QuarantinedRow, SyncConflict, SyncStatus } from '../../shared/api/index.ts';
import type { EnterpriseFile } from '../../shared/domain/enterprise.ts';
import { uuidv7 } from 'uuidv7';
import { admin, branchWithCode, hubStorageAt, startHub, type HubProcess } from './hub.ts';

/**
 * The laptop side of conflicts (issue 10): whose edit a conflict holds, what "theirs" is, deciding
 * on what was seen, refusals in words, derived columns, ratings and quarantined rows — three laptops
 * of one branch and a real hub process.
 */
type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;
type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

async function value<T>(promise: Promise<Answer>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

describe('conflicts as each laptop of a branch sees them, through a real hub process', () => {
  let hub: HubProcess;
  let branchId: string;
  const laptops: Record<'A' | 'B' | 'C', Laptop> = {} as never;
  let serial = 100;

  const sync = (laptop: Laptop) => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
  const syncAll = async () => {
    for (const name of ['A', 'B', 'C'] as const) await sync(laptops[name]);
  };
  const conflictsOf = (laptop: Laptop) => value<SyncConflict[]>(laptop.dispatch('sync.conflicts', {}, laptop.sessions.officer));
  const get = (laptop: Laptop, id: string) => value<EnterpriseDetail>(laptop.dispatch('enterprises.get', { id }, laptop.sessions.officer));
  const edit = async (laptop: Laptop, id: string, change: (file: EnterpriseFile) => void) => {
    const detail = await get(laptop, id);
    const file = structuredClone(detail.file);
    change(file);
    return value<EnterpriseDetail>(laptop.dispatch('enterprises.update', { id, version: detail.version, file }, laptop.sessions.officer));
  };
  const search = async (laptop: Laptop, query: string) =>
    (await value<{ rows: EnterpriseSummary[] }>(laptop.dispatch('enterprises.list', { filter: { query } }, laptop.sessions.officer))).rows.map((row) => row.name);
  /** A file made on A and pulled by every laptop. */
  const shared = async (name: string): Promise<string> => {
    const created = await value<EnterpriseDetail>(laptops.A.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial++)) }, laptops.A.sessions.officer));
    await syncAll();
    return created.id;
  };
  const resolve = (laptop: Laptop, conflict: SyncConflict, choice: 'mine' | 'theirs', expectedVersion = conflict.theirsVersion) =>
    laptop.dispatch('sync.resolve', { id: conflict.id, choice, expectedVersion }, laptop.sessions.officer) as Promise<Answer>;

  beforeAll(async () => {
    hub = await startHub();
    const branch = await branchWithCode(hub, '浮梁县支行', 'FL-010');
    branchId = branch.branchId;
    for (const name of ['A', 'B', 'C'] as const) {
      const laptop = await hostWithUsers();
      const code = name === 'A' ? branch.enrollmentCode : (await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {})).code;
      await value(laptop.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName: `客户经理笔记本 ${name}` }, laptop.sessions.admin));
      laptops[name] = laptop;
    }
  }, 120_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops)) laptop.cleanup();
    await hub?.stop();
  });

  it("labels only a laptop's own held edit as its own, says elsewhere whose it is, and decides on the row as head office holds it now", async () => {
    const id = await shared('浮梁县归属测试有限公司');
    // B sets the scale and syncs; A, offline on the old version, sets another: A's edit is held.
    await edit(laptops.B, id, (file) => (file.identity.scale = 'medium'));
    await sync(laptops.B);
    await edit(laptops.A, id, (file) => (file.identity.scale = 'large'));
    await syncAll();

    const [onA] = await conflictsOf(laptops.A);
    expect(onA).toMatchObject({ heldFor: 'this', mayResolve: true, mine: { scale: 'large' }, theirs: { scale: 'medium' }, mineBy: { userName: 'officer', deviceName: '客户经理笔记本 A', thisDevice: true } });
    // "Theirs" was made by B's officer on B. Before: the panel named A's officer, whose held edit's
    // updated_by had merged into the row by HLC, and no device when it was this laptop's own.
    const officerOfB = (await value<{ user: { id: string } }>(laptops.B.dispatch('session.get', {}, laptops.B.sessions.officer))).user.id;
    expect(onA!.theirsBy).toMatchObject({ userId: officerOfB, deviceName: '客户经理笔记本 B', thisDevice: false });
    for (const other of [laptops.B, laptops.C]) {
      const [seen] = await conflictsOf(other);
      expect(seen!.theirsBy).toMatchObject({ userId: officerOfB, deviceName: '客户经理笔记本 B', thisDevice: other === laptops.B });
      // Before: every laptop listed A's edit as 本机的修改, and offered to keep it.
      expect(seen).toMatchObject({ id: onA!.id, heldFor: 'device', mayResolve: false, mine: { scale: 'large' }, mineBy: { userName: 'officer', deviceName: '客户经理笔记本 A', thisDevice: false } });
      const refused = await resolve(other, seen!, 'mine');
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }

    // C then sets the scale on the current version (applied). A, not yet pulled, decides on what it saw.
    await edit(laptops.C, id, (file) => (file.identity.scale = 'micro'));
    await sync(laptops.C);
    const stale = await resolve(laptops.A, onA!, 'mine');
    // Before: no expectedVersion was sent and A's decision silently undid C's edit.
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { syncCode: 'ROW_CHANGED' } } });
    const [refreshed] = await conflictsOf(laptops.A);
    // "Theirs" is head office's value now (C's), not the value when the conflict arose (B's).
    expect(refreshed).toMatchObject({ id: onA!.id, theirs: { scale: 'micro' } });
    expect(refreshed!.theirsVersion).toBeGreaterThan(onA!.theirsVersion);

    const decided = await value<{ conflicts: SyncConflict[]; settled: { fields: Record<string, unknown> } }>(resolve(laptops.A, refreshed!, 'mine'));
    expect(decided).toMatchObject({ conflicts: [], settled: { fields: { scale: 'large' } } });
    await syncAll();
    for (const laptop of Object.values(laptops)) {
      expect((await get(laptop, id)).file.identity.scale).toBe('large');
      expect(await conflictsOf(laptop)).toEqual([]);
    }
  });

  it('answers a decision on a conflict someone already decided with what happened, and closes it', async () => {
    const id = await shared('浮梁县总行修改测试有限公司');
    const before = await get(laptops.B, id);
    // A changes the ownership; head office, on the version before it, sets another: held for head office.
    await edit(laptops.A, id, (file) => (file.identity.ownership = 'collective'));
    await sync(laptops.A);
    await admin(hub, `/admin/rows/${branchId}/enterprises/${id}`, { fields: { ownership: 'state' }, baseVersion: before.version, userId: 'head-office-zhang' });
    await sync(laptops.A);
    await sync(laptops.B);
    const [onA] = await conflictsOf(laptops.A);
    const [onB] = await conflictsOf(laptops.B);
    expect(onA).toMatchObject({ heldFor: 'head-office', mayResolve: true, mine: { ownership: 'state' }, theirs: { ownership: 'collective' } });
    expect(onB).toMatchObject({ id: onA!.id, heldFor: 'head-office', mayResolve: true });

    await value(resolve(laptops.A, onA!, 'theirs'));
    const late = await resolve(laptops.B, onB!, 'mine');
    // Before: HOST_UNAVAILABLE, "head office cannot be reached", and the conflict stayed open.
    expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { syncCode: 'CONFLICT_ALREADY_RESOLVED' } } });
    expect(await conflictsOf(laptops.B)).toEqual([]);
    expect((await get(laptops.B, id)).file.identity.ownership).toBe('collective');
  });

  it('keeps the search initials with the name head office holds when a rename is held', async () => {
    const id = await shared('华盛建材有限公司');
    await edit(laptops.B, id, (file) => (file.identity.ownership = 'other'));
    await sync(laptops.B);
    await edit(laptops.A, id, (file) => (file.identity.name = '绿源建材有限公司'));
    await syncAll();
    expect((await conflictsOf(laptops.A)).map((c) => c.mine)).toContainEqual({ name: '绿源建材有限公司' });
    for (const laptop of Object.values(laptops)) {
      // Before: the held rename's initials merged as a low-risk field, and HSJC no longer found 华盛建材.
      expect(await search(laptop, 'HSJC')).toContain('华盛建材有限公司');
      expect(await search(laptop, 'LYJC')).toEqual([]);
    }
  });

  it("gives every laptop the newest rating record as the enterprise's rating, whatever was decided", async () => {
    const id = await shared('浮梁县评价测试有限公司');
    const rate = (laptop: Laptop, level: string, ratedOn: string) =>
      value(laptop.dispatch('enterprises.addRating', { enterpriseId: id, entry: { level, bureau: '景德镇市生态环境局', ratedOn } }, laptop.sessions.officer));
    // Offline, B records the newer rating and A an older one; A syncs last.
    await rate(laptops.B, 'red', '2025-06-01');
    await rate(laptops.A, 'yellow', '2025-03-01');
    await sync(laptops.B);
    await sync(laptops.A);
    // Whatever conflicts this raised, each laptop keeps its own side (the decision that went wrong before).
    for (const laptop of Object.values(laptops)) {
      for (const conflict of (await conflictsOf(laptop)).filter((c) => c.heldFor === 'this')) await value(resolve(laptop, conflict, 'mine'));
    }
    await syncAll();
    for (const laptop of Object.values(laptops)) {
      const detail = await get(laptop, id);
      expect(detail.ratings.map((r) => r.level).sort()).toEqual(['red', 'yellow']);
      expect(detail.file.flags).toBeDefined();
      expect((await search(laptop, '浮梁县评价测试')).length).toBe(1);
      expect(await value<{ rows: EnterpriseSummary[] }>(laptop.dispatch('enterprises.list', { filter: { rating: 'red', query: '浮梁县评价测试' } }, laptop.sessions.officer))).toMatchObject({ rows: [{ id }] });
    }
  });

  it('leaves the enterprise at head office\'s version, author and time on the laptop that adds a rating to it', async () => {
    const id = await shared('浮梁县评价版本测试有限公司');
    await value(laptops.A.dispatch('enterprises.addRating', { enterpriseId: id, entry: { level: 'green', bureau: '景德镇市生态环境局', ratedOn: '2025-05-20' } }, laptops.A.sessions.officer));
    await syncAll();
    const row = (laptop: Laptop) =>
      laptop.store.db
        .prepare(`SELECT e.version, e.updated_at, e.updated_by, e.environmental_rating, v.version AS hub_version FROM enterprises e JOIN sync_versions v ON v.table_name = 'enterprises' AND v.row_id = e.id WHERE e.id = ?`)
        .get(id) as { version: number; hub_version: number };
    // Before: A bumped the enterprise for its new rating and sent nothing of it, so A kept the row a
    // version ahead of head office (and of B, C) with its own officer and time as the last change, for good.
    expect(row(laptops.A)).toEqual(row(laptops.B));
    expect(row(laptops.A)).toEqual(row(laptops.C));
    expect(row(laptops.A)).toMatchObject({ environmental_rating: 'green', version: row(laptops.A).hub_version });
  });

  it('sets aside a row the hub holds that this laptop cannot store, says so in 同步, goes on, and takes its later valid version', async () => {
    const badId = uuidv7();
    // A row the hub should never have accepted (issue 9 M1): an enterprise with a name and nothing else.
    await hub.whileStopped(async (dataDir) => {
      const storage = await hubStorageAt(dataDir);
      try {
        await storage.transaction(async (sql) => {
          const [{ seq }] = (await sql.query("SELECT nextval('hub_seq') AS seq")) as [{ seq: number | string }];
          await sql.query(
            `INSERT INTO sync_rows (branch_id, table_name, row_id, version, guarded_version, guarded_by, deleted, data, field_hlc, seq)
             VALUES ($1, 'enterprises', $2, 1, 1, 'hub', false, $3::jsonb, '{}'::jsonb, $4)`,
            [branchId, badId, JSON.stringify({ name: '残缺档案', branch_id: branchId }), Number(seq)],
          );
          await sql.query('UPDATE branch_sync SET last_seq = $2 WHERE branch_id = $1', [branchId, Number(seq)]);
        });
      } finally {
        await storage.close();
      }
    });
    const after = await value<EnterpriseDetail>(laptops.A.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县隔离之后有限公司', testUscc(serial++)) }, laptops.A.sessions.officer));
    await sync(laptops.A);

    const status = await sync(laptops.C);
    // Before: NOT NULL constraint failed at every retry, and nothing after the bad row ever arrived.
    expect(status).toMatchObject({ lastError: null, quarantined: 1 });
    expect(await value<QuarantinedRow[]>(laptops.C.dispatch('sync.quarantine', {}, laptops.C.sessions.officer))).toEqual([
      expect.objectContaining({ table: 'enterprises', rowId: badId, version: 1, reason: expect.stringMatching(/NOT NULL constraint failed/) }),
    ]);
    expect((await get(laptops.C, after.id)).file.identity.name).toBe('浮梁县隔离之后有限公司');

    // Head office completes the row: its valid version replaces the quarantined one.
    const complete = { ...sampleEnterpriseFile('残缺档案', testUscc(serial++)) };
    await admin(hub, `/admin/rows/${branchId}/enterprises/${badId}`, {
      fields: {
        uscc: complete.identity.uscc,
        legal_representative: '王五',
        address: '浮梁县',
        division_code: '360222',
        contacts: '[]',
        industry_code: 'C3012',
        scale: 'small',
        ownership: 'private',
        green_products: '[]',
        created_at: '2026-12-01T00:00:00.000Z',
        created_by: 'head-office',
        updated_at: '2026-12-01T00:00:00.000Z',
        updated_by: 'head-office',
      },
      baseVersion: 1,
      userId: 'head-office-zhang',
    });
    expect(await sync(laptops.C)).toMatchObject({ lastError: null, quarantined: 0 });
    expect((await get(laptops.C, badId)).file.identity).toMatchObject({ name: '残缺档案', legalRepresentative: '王五' });
  }, 120_000);
});
