import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql, Storage } from './storage.ts';
import { deriveStoredRatings } from './ratings.ts';
import { partitionChangeLog } from './changeLog.ts';
import { backfillReadModels } from './readModels.ts';
import { backfillBranchFigures } from './statistics.ts';
import { HubError } from './errors.ts';

export interface HubMigration {
  version: number;
  name: string;
  sql: string;
}

export const hubMigrationsDir = (): string => fileURLToPath(new URL('./migrations', import.meta.url));

/** server/migrations/NNNN-name.sql, in order, numbered without gaps. */
export function loadHubMigrations(dir = hubMigrationsDir()): HubMigration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d{4}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 4)), name: file.slice(5, -4), sql: readFileSync(join(dir, file), 'utf8') }));
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Hub migrations must be numbered 0001, 0002, … without gaps; found ${migration.version} at ${index + 1}`);
    }
  });
  return migrations;
}

/**
 * Data a migration's SQL cannot derive with the app's own rule, derived by code in the migration's
 * transaction right after its SQL (a crash leaves both undone).
 */
const codeSteps: Partial<Record<string, (tx: Sql) => Promise<void>>> = {
  '0005-derived-ratings': deriveStoredRatings,
  '0006-change-log-partitions': partitionChangeLog,
  // Each read model is filled by the last migration that shapes its table (readModels.ts shapedBy).
  '0009-read-models': (tx) => backfillReadModels(tx, 9),
  '0010-branch-figures': backfillBranchFigures,
  // The kept figures read loans and enterprises, which a database older than 0009 has only now filled.
  '0012-register-read-models': async (tx) => {
    await backfillReadModels(tx, 12);
    await backfillBranchFigures(tx);
  },
};

/** A migration's SQL, then its code step, in the caller's transaction (without recording it in hub_migrations). */
export async function applyMigration(tx: Sql, migration: HubMigration): Promise<void> {
  await tx.exec(migration.sql);
  await codeSteps[`${String(migration.version).padStart(4, '0')}-${migration.name}`]?.(tx);
}

// Any constant: two hubs starting against one server take turns instead of racing the DDL.
const MIGRATION_LOCK = 7_242_001;

/**
 * Applies pending migrations, each in its own transaction with its row in hub_migrations, so a
 * crash leaves the schema at a whole version. A database migrated by a newer hub is refused.
 */
export async function migrateHub(storage: Storage, migrations: HubMigration[] = loadHubMigrations()): Promise<{ from: number; to: number }> {
  const latest = migrations.length;
  const current = async (): Promise<number> =>
    storage.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.exec(`CREATE TABLE IF NOT EXISTS hub_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const [row] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM hub_migrations');
      return Number(row?.version ?? 0);
    });
  const from = await current();
  if (from > latest) {
    throw new HubError('DB_FROM_FUTURE', `The hub database is at schema version ${from}, newer than this hub supports (${latest}). Please update the hub.`);
  }
  for (const migration of migrations.slice(from)) {
    await storage.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const [done] = await tx.query('SELECT 1 FROM hub_migrations WHERE version = $1', [migration.version]);
      if (done !== undefined) return; // another hub applied it while we waited for the lock
      await applyMigration(tx, migration);
      await tx.query('INSERT INTO hub_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
  }
  return { from, to: latest };
}
