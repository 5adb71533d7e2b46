import { describe, expect, it } from 'vitest';
import { loadHubMigrations, migrateHub } from './migrate.ts';
import type { Storage } from './storage.ts';
import { testStorages } from './testing/storages.ts';

/**
 * Hub migrations that change existing tables, applied to a hub database of the previous version
 * that already holds a branch's rows (a head office upgrades in place; its database is never empty).
 */
async function upgradedFrom(storage: Storage, migrationName: string, populate: (storage: Storage) => Promise<void>): Promise<void> {
  const all = loadHubMigrations();
  const target = all.findIndex((m) => m.name === migrationName);
  if (target < 1) throw new Error(`No hub migration after the first named ${migrationName}`);
  await migrateHub(storage, all.slice(0, target));
  await populate(storage);
  expect(await migrateHub(storage, all.slice(0, target + 1))).toEqual({ from: target, to: target + 1 });
}

const BRANCH = '019a0000-0000-7000-8000-000000000001';
const ROW = '019a0000-0000-7000-8000-0000000000e1';

describe.each(testStorages())('hub migrations on a populated database ($name)', (testStorage) => {
  it('0002-guarded-by: rows written before it keep their data and count as last guarded by nobody', async () => {
    const { storage, cleanup } = await testStorage.open();
    try {
      await upgradedFrom(storage, 'guarded-by', async (old) => {
        await old.query(`INSERT INTO branches (branch_id, name, code, division_code) VALUES ($1, '浮梁县支行', 'FL-001', '360222')`, [BRANCH]);
        await old.query(
          `INSERT INTO sync_rows (branch_id, table_name, row_id, version, guarded_version, data, field_hlc, seq) VALUES ($1, 'enterprises', $2, 3, 2, $3, '{}', 7)`,
          [BRANCH, ROW, JSON.stringify({ name: '华盛建材有限公司', scale: 'small' })],
        );
      });
      const rows = await storage.query<{ version: number; guarded_version: number; guarded_by: string; data: { name: string } }>(
        'SELECT version, guarded_version, guarded_by, data FROM sync_rows WHERE branch_id = $1 AND row_id = $2',
        [BRANCH, ROW],
      );
      expect(rows).toEqual([{ version: 3, guarded_version: 2, guarded_by: '', data: { name: '华盛建材有限公司', scale: 'small' } }]);
    } finally {
      await cleanup();
    }
  }, 120_000);

  it('0005-derived-ratings: each stored enterprise takes the rating of its newest live rating record, version and seq unchanged', async () => {
    const { storage, cleanup } = await testStorage.open();
    const [stale, unrated, rated] = ['019a0000-0000-7000-8000-0000000000e2', '019a0000-0000-7000-8000-0000000000e3', '019a0000-0000-7000-8000-0000000000e4'];
    const rating = (id: string, enterpriseId: string, level: string, ratedOn: string, deletedAt: string | null = null) => [
      id,
      JSON.stringify({ enterprise_id: enterpriseId, level, rated_on: ratedOn, created_at: '2026-01-01T00:00:00.000Z', deleted_at: deletedAt }),
      deletedAt !== null,
    ];
    try {
      await upgradedFrom(storage, 'derived-ratings', async (old) => {
        await old.query(`INSERT INTO branches (branch_id, name, code, division_code) VALUES ($1, '浮梁县支行', 'FL-005', '360222')`, [BRANCH]);
        for (const [id, data] of [
          [stale, { name: '华盛建材有限公司', environmental_rating: 'green' }],
          [unrated, { name: '景德陶瓷有限公司', environmental_rating: 'red' }],
          [rated, { name: '浮梁茶业有限公司', environmental_rating: 'blue' }],
        ] as const) {
          await old.query(`INSERT INTO sync_rows (branch_id, table_name, row_id, version, guarded_version, data, field_hlc, seq) VALUES ($1, 'enterprises', $2, 3, 2, $3, '{}', 7)`, [BRANCH, id, JSON.stringify(data)]);
        }
        for (const [id, data, deleted] of [
          rating('019a0000-0000-7000-8000-0000000000f1', stale, 'yellow', '2025-06-30'),
          rating('019a0000-0000-7000-8000-0000000000f2', stale, 'black', '2026-06-30', '2026-07-01T00:00:00.000Z'),
          rating('019a0000-0000-7000-8000-0000000000f3', rated, 'blue', '2026-06-30'),
        ]) {
          await old.query(`INSERT INTO sync_rows (branch_id, table_name, row_id, version, guarded_version, deleted, data, field_hlc, seq) VALUES ($1, 'enterprise_ratings', $2, 1, 1, $4, $3, '{}', 8)`, [BRANCH, id, data, deleted]);
        }
      });
      const rows = await storage.query<{ row_id: string; version: number; seq: string | number; data: { environmental_rating: string | null } }>(
        "SELECT row_id::text AS row_id, version, seq, data FROM sync_rows WHERE branch_id = $1 AND table_name = 'enterprises' ORDER BY row_id",
        [BRANCH],
      );
      expect(rows.map((row) => [row.row_id, row.data.environmental_rating, row.version, Number(row.seq)])).toEqual([
        [stale, 'yellow', 3, 7],
        [unrated, null, 3, 7],
        [rated, 'blue', 3, 7],
      ]);
    } finally {
      await cleanup();
    }
  }, 120_000);

  it('0006-change-log-partitions: the log’s changes move into monthly partitions, old months included, their first answers kept', async () => {
    const { storage, cleanup } = await testStorage.open();
    const CLIENT = '019a0000-0000-7000-8000-0000000000c1';
    const change = (opId: number, receivedAt: string) => [BRANCH, CLIENT, opId, ROW, receivedAt, JSON.stringify({ opId, status: 'applied', serverSeq: opId })];
    try {
      await upgradedFrom(storage, 'change-log-partitions', async (old) => {
        await old.query(`INSERT INTO branches (branch_id, name, code, division_code) VALUES ($1, '浮梁县支行', 'FL-006', '360222')`, [BRANCH]);
        for (const values of [change(1, '2025-03-14T08:00:00Z'), change(2, '2025-03-31T23:59:59Z'), change(3, new Date().toISOString())]) {
          await old.query(
            `INSERT INTO sync_changes (branch_id, client_id, op_id, actor, table_name, row_id, op, fields, prev, base_version, hlc, user_id, at, received_at, status, seq, result)
             VALUES ($1, $2, $3, 'device', 'enterprises', $4, 'insert', '{}', '{}', 0, 'hlc', 'officer-1', $5, $5, 'applied', $3, $6)`,
            values,
          );
        }
      });
      const rows = await storage.query<{ partition: string; op_id: string | number; result: { serverSeq: number } }>(
        'SELECT tableoid::regclass::text AS partition, op_id, result FROM sync_changes WHERE branch_id = $1 AND client_id = $2 ORDER BY op_id',
        [BRANCH, CLIENT],
      );
      const now = new Date();
      const thisMonth = `sync_changes_y${now.getUTCFullYear()}m${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      expect(rows.map((row) => [row.partition.replace(/^.*\./, ''), Number(row.op_id), row.result.serverSeq])).toEqual([
        ['sync_changes_y2025m03', 1, 1],
        ['sync_changes_y2025m03', 2, 2],
        [thisMonth, 3, 3],
      ]);
      const [kind] = await storage.query<{ relkind: string }>("SELECT relkind::text AS relkind FROM pg_class WHERE oid = 'sync_changes'::regclass");
      expect(kind?.relkind).toBe('p');
      // Every month from the oldest change to two ahead has its partition (an empty one costs nothing).
      const [count] = await storage.query<{ n: string | number }>("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'sync_changes'::regclass");
      const months = (now.getUTCFullYear() - 2025) * 12 + now.getUTCMonth() - 2 + 1 + 2;
      expect(Number(count?.n)).toBe(months);
    } finally {
      await cleanup();
    }
  }, 120_000);
});
