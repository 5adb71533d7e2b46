import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from './open.ts';
import type { SortWalk } from './registerPages.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { auditRowHash, GENESIS_HASH, type AuditRow } from './audit.ts';

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

/**
 * Rewrites audit row `seq` as an attacker holding the database key would: the append-only triggers
 * dropped, the row's content changed, every later prev_hash and hash and audit_head recomputed, so
 * the chain on its own verifies.
 */
export function rewriteAuditRow(db: Db, seq: number, after: Record<string, unknown>): void {
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  db.prepare('UPDATE audit_log SET after = ? WHERE seq = ?').run(JSON.stringify(after), seq);
  let previous = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq - 1) as string | undefined) ?? GENESIS_HASH;
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(seq) as AuditRow[]) {
    const hash = auditRowHash({ ...row, prev_hash: previous });
    update.run(previous, hash, row.seq);
    previous = hash;
  }
  db.prepare('UPDATE audit_head SET hash = ? WHERE singleton = 1').run(previous);
}

/**
 * The statements `run` makes through db.prepare(…).pluck().get/all, each with its EXPLAIN QUERY PLAN
 * (details joined by " | ") under the parameters it ran with: plan tests of the real queries a
 * register list runs (issue 20), recorded on the real database on the way.
 */
export function statementPlans(db: Db, run: () => void): { sql: string; plan: string }[] {
  const seen: { sql: string; plan: string }[] = [];
  const prepare = db.prepare.bind(db);
  const recording = (sql: string) => {
    const statement = prepare(sql);
    const explain = (args: unknown[]) => {
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as [])) as { detail: string }[]).map((r) => r.detail).join(' | ');
      seen.push({ sql, plan });
    };
    const pluck = statement.pluck.bind(statement);
    return Object.assign(statement, {
      pluck: () => {
        const plucked = pluck();
        const [get, all] = [plucked.get.bind(plucked), plucked.all.bind(plucked)];
        return Object.assign(plucked, { get: (...args: unknown[]) => (explain(args), get(...(args as []))), all: (...args: unknown[]) => (explain(args), all(...(args as []))) });
      },
    });
  };
  db.prepare = recording as typeof db.prepare;
  try {
    run();
  } finally {
    db.prepare = prepare;
  }
  return seen;
}

/**
 * A sort walk's index holds its key, then its ties, in that order (deleted_at aside: always NULL
 * under every register index's condition), so matches sorted whole can order ties as the walk does.
 */
export function walkIndexColumns(db: Db, walk: SortWalk): { indexed: string; declared: string } {
  const columns = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(walk.index) as string[];
  return { indexed: columns.filter((column) => column !== 'deleted_at').join(', '), declared: `${walk.column}, ${walk.ties}` };
}
