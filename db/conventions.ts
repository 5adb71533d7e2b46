import type { Db } from './open.ts';

/**
 * Every table that syncs with head office carries these columns (ARCHITECTURE "Local store"):
 * a UUIDv7 id made offline, the owning branch, an optimistic version for guarded-field conflicts,
 * who/when for creation and last change, and a soft-delete marker (rows are never hard-deleted).
 */
export const syncableColumns = {
  id: 'TEXT',
  branch_id: 'TEXT',
  version: 'INTEGER',
  created_at: 'TEXT',
  created_by: 'TEXT',
  updated_at: 'TEXT',
  updated_by: 'TEXT',
  deleted_at: 'TEXT',
} as const;

/** SQL to paste at the top of a syncable table's CREATE TABLE, kept here as the single reference. */
export const syncableColumnsSql = `id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT`;

/** Tables that describe this installation only and never sync. */
export const localTables = new Set(['schema_migrations', 'settings', 'device', 'login_throttle', 'audit_log', 'audit_head', 'import_mappings', 'outbox', 'sync_state', 'sync_conflicts', 'reference_data', 'sqlite_sequence', 'sync_versions', 'blobs_at_hub', 'sync_quarantine', 'sync_rejections', 'collateral_value_totals', 'loan_balance_jumps', 'monitoring_schedule', 'monitoring_schedule_dirty', 'green_book']);

/** Returns what a table lacks of the syncable conventions (empty when it conforms). */
export function missingSyncableColumns(db: Db, table: string): string[] {
  const columns = new Map(
    (db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[]).map(
      (column) => [column.name, column.type],
    ),
  );
  return Object.entries(syncableColumns)
    .filter(([name, type]) => columns.get(name) !== type)
    .map(([name, type]) => `${name} ${type}`);
}

export function userTables(db: Db): string[] {
  const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string; sql: string }[];
  // Full-text indexes are virtual tables with shadow tables named after them: indexes, not records.
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
  return tables.map((t) => t.name).filter((name) => !virtual.some((v) => name === v || name.startsWith(`${v}_`)));
}
