import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHubMigrations, migrateHub } from './migrate.ts';
import type { Storage } from './storage.ts';
import { testStorages } from './testing/storages.ts';

describe.each(testStorages())('hub migrations on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('are numbered without gaps', () => {
    const migrations = loadHubMigrations();
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
    expect(migrations[0]?.name).toBe('hub');
  });

  it('0001-hub creates every table with branch_id except reference data, the head-office people and audit tables, and the bookkeeping', async () => {
    expect(await migrateHub(storage)).toEqual({ from: 0, to: loadHubMigrations().length });
    const columns = await storage.query<{ table_name: string; has_branch: boolean }>(
      `SELECT t.table_name, bool_or(c.column_name = 'branch_id') AS has_branch
       FROM information_schema.tables t JOIN information_schema.columns c USING (table_schema, table_name)
       WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
       GROUP BY t.table_name ORDER BY t.table_name`,
    );
    expect(columns.filter((table) => !table.has_branch).map((table) => table.table_name)).toEqual([
      // Head office's own (0007): not a branch's rows; under Citus they stay on the coordinator.
      'head_office_audit',
      'head_office_audit_head',
      'head_office_sessions',
      'head_office_users',
      'hub_migrations',
      'reference_sets',
    ]);
    expect(columns.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['branches', 'devices', 'enrollment_codes', 'branch_sync', 'sync_rows', 'sync_changes', 'sync_conflicts']),
    );
  });

  it('are tracked in the database and not applied twice', async () => {
    expect(await migrateHub(storage)).toEqual({ from: loadHubMigrations().length, to: loadHubMigrations().length });
    const applied = await storage.query<{ version: number; name: string }>('SELECT version, name FROM hub_migrations ORDER BY version');
    expect(applied).toEqual(loadHubMigrations().map(({ version, name }) => ({ version, name })));
  });

  it('refuse a database migrated by a newer hub', async () => {
    await expect(migrateHub(storage, loadHubMigrations().slice(0, 0))).rejects.toMatchObject({ code: 'DB_FROM_FUTURE' });
  });

  it('roll a failing migration back whole', async () => {
    const broken = [...loadHubMigrations(), { version: 99, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();' }];
    await expect(migrateHub(storage, broken)).rejects.toThrow();
    const [table] = await storage.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half_done'");
    expect(table).toBeUndefined();
    const [latest] = await storage.query<{ version: number }>('SELECT max(version) AS version FROM hub_migrations');
    expect(latest?.version).toBe(loadHubMigrations().length);
  });
});
