import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Db } from '../../db/open.ts';
import { toColumn } from '../../db/syncState.ts';
import { createPgliteStorage, createPostgresStorage, type Storage } from '../../server/storage.ts';
import type { HubProcess } from './hub.ts';
import { syncTableNames } from '../../shared/sync/tables.ts';

/**
 * Content hashes of a synced table's rows, computed the same way on a desktop database and on the
 * hub's own storage: per row (sorted by id) its id, version and every column of the desktop schema,
 * in column-name order, as JSON. Equal hashes = equal rows, field by field.
 */
export interface ContentDigest {
  hash: string;
  rows: number;
}

type Value = string | number | null;

function digest(rows: { id: string; values: Record<string, Value> }[]): ContentDigest {
  const hash = createHash('sha256');
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(`${JSON.stringify(Object.keys(row.values).sort().map((key) => [key, row.values[key]]))}\n`);
  }
  return { hash: hash.digest('hex'), rows: rows.length };
}

/**
 * The hub's storage, opened by the test itself. The embedded PGlite is single-process: the hub is
 * stopped first (SIGTERM, a clean shutdown) and its data directory kept; with a real PostgreSQL
 * (HUB_TEST_DATABASE_URL) the hub keeps running.
 */
export async function openHubStorage(hub: HubProcess): Promise<Storage> {
  const url = process.env.HUB_TEST_DATABASE_URL;
  if (url !== undefined && url !== '') return createPostgresStorage(url);
  const child = hub.process;
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
  return createPgliteStorage(join(hub.dataDir, 'pglite'));
}

function columnNames(db: Db, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
}

/**
 * The whole synced state of a laptop, per sync table (every column, the version and whether the row
 * is deleted — the hub's flag, the laptop's deleted_at — included) and the
 * hub versions it bases its next edits on (sync_versions): what the fault test compares across the
 * laptops, a device that pulled everything afresh and the hub's own rows.
 */
export type SyncState = Record<string, ContentDigest>;

const pick = (row: Record<string, Value>, columns: string[]): Record<string, Value> => Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));

export function desktopSyncState(db: Db): SyncState {
  const state: SyncState = {};
  for (const table of syncTableNames) {
    const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, Value>[];
    const columns = columnNames(db, table);
    state[table] = digest(rows.map((row) => ({ id: String(row.id), values: { ...pick(row, columns), '(deleted)': row.deleted_at === null ? 0 : 1 } })));
  }
  const versions = db.prepare('SELECT table_name, row_id, version FROM sync_versions').all() as { table_name: string; row_id: string; version: number }[];
  state.sync_versions = digest(versions.map((v) => ({ id: `${v.table_name}/${v.row_id}`, values: { version: v.version } })));
  return state;
}

/** The hub's rows of one branch in the same shape, projected on the columns of the laptop `db`. */
export async function hubSyncState(sql: Storage, branchId: string, db: Db): Promise<SyncState> {
  return hubSyncStateOn(sql, branchId, syncTableColumns(db));
}

/** Each sync table's columns on a laptop (what hubSyncStateOn projects the hub's rows on, once the laptop is gone). */
export function syncTableColumns(db: Db): Record<string, string[]> {
  return Object.fromEntries(syncTableNames.map((table) => [table, columnNames(db, table)]));
}

export async function hubSyncStateOn(sql: Storage, branchId: string, columnsOf: Record<string, string[]>): Promise<SyncState> {
  const rows = await sql.query<{ table_name: string; row_id: string; version: number; deleted: boolean; data: Record<string, Value> }>(
    'SELECT table_name, row_id::text AS row_id, version, deleted, data FROM sync_rows WHERE branch_id = $1',
    [branchId],
  );
  const state: SyncState = {};
  for (const table of syncTableNames) {
    const columns = columnsOf[table] ?? [];
    state[table] = digest(
      rows
        .filter((row) => row.table_name === table)
        .map((row) => {
          const values: Record<string, Value> = {};
          for (const column of columns) values[column] = column === 'id' ? row.row_id : column === 'version' ? row.version : (toColumn(row.data[column]) as Value);
          values['(deleted)'] = row.deleted ? 1 : 0;
          return { id: row.row_id, values };
        }),
    );
  }
  state.sync_versions = digest(rows.map((row) => ({ id: `${row.table_name}/${row.row_id}`, values: { version: row.version } })));
  return state;
}
