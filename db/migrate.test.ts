import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open.ts';
import { loadMigrations, migrate, schemaVersion } from './migrate.ts';
import { localTables, missingSyncableColumns, userTables } from './conventions.ts';
import { tempStoreDir } from './testing.ts';

describe('migrations', () => {
  let store = tempStoreDir();
  afterEach(() => {
    store.cleanup();
    store = tempStoreDir();
  });

  it('are numbered without gaps and apply to the latest version, once', () => {
    const migrations = loadMigrations();
    const db = openDatabase(':memory:');
    expect(migrate(db, migrations)).toEqual({ from: 0, to: migrations.length });
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(migrate(db, migrations)).toEqual({ from: migrations.length, to: migrations.length });
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(recorded).toEqual(migrations.map((m) => m.version));
  });

  it('refuse a database from a newer app version and leave it untouched', () => {
    const db = openDatabase(store.file, { keyHex: store.keyHex });
    migrate(db);
    const future = schemaVersion(db) + 1;
    db.pragma(`user_version = ${future}`);
    expect(() => migrate(db)).toThrowError(/newer than this app supports/);
    expect(schemaVersion(db)).toBe(future);
    db.close();
  });

  it('give every non-local table the syncable conventions', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const offenders = userTables(db)
      .filter((table) => !localTables.has(table))
      .map((table) => ({ table, missing: missingSyncableColumns(db, table) }))
      .filter((entry) => entry.missing.length > 0);
    expect(offenders).toEqual([]);
  });
});
