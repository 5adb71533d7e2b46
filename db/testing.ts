import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from './open.ts';
import { loadMigrations, migrate } from './migrate.ts';

/** A fresh directory and key per test: tests use real database files, never shared state. */
export function tempStoreDir(): { dir: string; file: string; keyHex: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-test-'));
  return {
    dir,
    file: join(dir, 'greenledger.db'),
    keyHex: randomBytes(32).toString('hex'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An in-memory database migrated up to and including the named migration (migration tests). */
export function databaseAt(migrationName: string): Db {
  const db = openDatabase(':memory:');
  const all = loadMigrations();
  const last = all.findIndex((m) => m.name === migrationName);
  if (last < 0) throw new Error(`No migration named ${migrationName}`);
  migrate(db, all.slice(0, last + 1));
  return db;
}

/**
 * An encrypted database file of the version just before `migrationName`, filled by `populate` the
 * way that version's code wrote rows, then upgraded by `migrationName` alone: the migration test a
 * laptop in the field needs (its database is never empty).
 */
export function upgradedFrom(migrationName: string, populate: (db: Db) => void): { db: Db; cleanup: () => void } {
  const all = loadMigrations();
  const target = all.findIndex((m) => m.name === migrationName);
  if (target < 1) throw new Error(`No migration after the first named ${migrationName}`);
  const store = tempStoreDir();
  const db = openDatabase(store.file, { keyHex: store.keyHex });
  migrate(db, all.slice(0, target));
  populate(db);
  migrate(db, all.slice(0, target + 1));
  return {
    db,
    cleanup: () => {
      db.close();
      store.cleanup();
    },
  };
}
