import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { PullResponse } from '../shared/sync/protocol.ts';
import { isSyncTable, syncTableNames, syncTables, type SyncTableName } from '../shared/sync/tables.ts';
import { prepared, type Db } from './open.ts';
import { outboxCount } from './outbox.ts';
import type { ColumnValue } from './records.ts';
import { applyPageRest, auditPulled, emptyCounts, isConstraintError, quarantine, readSyncState, toColumn, withoutForeignKeys, type PageOutcome } from './syncState.ts';
import { pinyinInitials } from '../shared/domain/pinyin.ts';
import { isDerivedField } from '../shared/sync/tables.ts';
import { refreshAllEnterpriseRatings } from './derived.ts';
import type { RowSnapshot } from '../shared/sync/protocol.ts';

/**
 * The first pull into an empty store (a laptop just enrolled, or reinstalled): a branch's whole
 * register, 50k enterprise files and more. Written row by row into the live tables, each row pays
 * for every secondary index and both full-text indexes, page after page: ~125 µs a row at 50k
 * (bench sync.initial_pull: 7.8 s for 50k). So a first pull stages the pages instead and places them at
 * the end in one go:
 *
 * 1. Each page's rows go to a staging table per sync table (`sync_bulk_<table>`: the same columns
 *    and defaults, no index but the id), committed with the page's checkpoint in one transaction,
 *    exactly like a normal page: a crash or a cut resumes from the checkpoint, still staging.
 * 2. When the pull ends, one transaction drops the table's indexes, copies the staged rows in with
 *    one INSERT … SELECT, recreates the indexes from their own SQL (sorted builds instead of 50k
 *    B-tree inserts) and sets the staging aside, to be dropped at the next sync. Nothing can
 *    observe the table without its indexes (listEnterprises names them with INDEXED BY): the
 *    connection is synchronous and a crash rolls the whole step back. Full-text triggers stay in
 *    place, so the search indexes need no knowledge of their own here.
 *
 * The staged rows are invisible until that step, so it also runs when a pull stops early (hub
 * gone, an error), as long as no local change waits to be pushed — the rule every pull page
 * follows. A later pull of a non-empty store is the normal, row-by-row path.
 */

const STAGING_PREFIX = 'sync_bulk_';
/** A staging table whose rows are placed, waiting to be dropped (dropPlacedStaging). */
const PLACED_PREFIX = 'sync_placed_';
const staging = (table: SyncTableName): string => `${STAGING_PREFIX}${table}`;

interface ColumnInfo {
  name: string;
  type: string;
  dflt_value: string | null;
}

const columnsOfTable = (db: Db, table: string): ColumnInfo[] => prepared(db, 'SELECT name, type, dflt_value FROM pragma_table_info(?)').all(table) as ColumnInfo[];

/** The sync tables with rows staged (or a staging table at least): a bulk pull is under way. */
export function stagedTables(db: Db): SyncTableName[] {
  const present = new Set(
    prepared(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '${STAGING_PREFIX}*'`)
      .pluck()
      .all() as string[],
  );
  return syncTableNames.filter((table) => present.has(staging(table)));
}

/** Rows received so far by a first pull under way (for the 同步 status), or null when none is. */
export function firstPullReceived(db: Db): number | null {
  const tables = stagedTables(db);
  if (tables.length === 0) return null;
  return tables.reduce((sum, table) => sum + (prepared(db, `SELECT count(*) FROM "${staging(table)}"`).pluck().get() as number), 0);
}

/**
 * Starts staging when this is a first pull into an empty store: never pulled, nothing to push, no
 * row in any sync table (but the people written at first run: shared/sync/tables.ts writtenAtSetup).
 * Returns whether a bulk pull is under way (also when one was left by a
 * crash or an interrupted pull, which then resumes).
 */
export function beginBulkPull(db: Db): boolean {
  return db.transaction(() => {
    if (stagedTables(db).length > 0) return true;
    if (readSyncState(db).checkpoint !== 0 || outboxCount(db) > 0) return false;
    const register = syncTableNames.filter((table) => !('writtenAtSetup' in syncTables[table]));
    if (register.some((table) => prepared(db, `SELECT EXISTS (SELECT 1 FROM "${table}")`).pluck().get() === 1)) return false;
    for (const table of syncTableNames) ensureStaging(db, table);
    return true;
  })();
}

/**
 * How a table's rows are staged: every column in order, positionally bound (named binding and a
 * statement chosen per row cost as much as the insert), a field the snapshot lacks taking the
 * column's default, evaluated once. A row changed again while the pull went on comes twice: the
 * later snapshot wins, as it would in place.
 */
interface StagingPlan {
  columns: string[];
  defaults: ColumnValue[];
  insert: Statement;
}

const columnSql = (column: ColumnInfo): string =>
  column.name === 'id' ? '"id" TEXT PRIMARY KEY' : `"${column.name}" ${column.type}${column.dflt_value === null ? '' : ` DEFAULT ${column.dflt_value}`}`;

/**
 * The staging table of a sync table, with every column the live table has now: an app update in
 * the middle of a first pull may have added a column (or a sync table), and the pages staged after
 * it must keep the hub's values for it, as they would be kept in place.
 */
function ensureStaging(db: Db, table: SyncTableName): void {
  const live = columnsOfTable(db, table);
  const staged = new Set(columnsOfTable(db, staging(table)).map((column) => column.name));
  if (staged.size === 0) db.exec(`CREATE TABLE "${staging(table)}" (${live.map(columnSql).join(', ')})`);
  else for (const column of live.filter((c) => !staged.has(c.name))) db.exec(`ALTER TABLE "${staging(table)}" ADD COLUMN ${columnSql(column)}`);
}

function stagingPlan(db: Db, table: SyncTableName): StagingPlan {
  ensureStaging(db, table);
  const columns = columnsOfTable(db, staging(table));
  const names = columns.map((column) => column.name);
  const list = names.map((name) => `"${name}"`).join(', ');
  return {
    columns: names,
    defaults: columns.map((column) => (column.dflt_value === null ? null : (db.prepare(`SELECT ${column.dflt_value}`).pluck().get() as ColumnValue))),
    insert: prepared(
      db,
      `INSERT INTO "${staging(table)}" (${list}) VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${names.filter((name) => name !== 'id').map((name) => `"${name}" = excluded."${name}"`).join(', ')}`,
    ),
  };
}

/** One pull page into the staging tables, with its conflicts, reference data and checkpoint, in one transaction. */
export function stagePullPage(db: Db, page: PullResponse, nowIso: string): PageOutcome {
  return db.transaction(() => {
    const counts = emptyCounts();
    if (outboxCount(db) > 0) return { applied: false, counts };
    const plans = new Map<SyncTableName, StagingPlan>();
    for (const row of page.rows) {
      if (!isSyncTable(row.table)) {
        counts.skipped += 1;
        continue;
      }
      let plan = plans.get(row.table);
      if (plan === undefined) plans.set(row.table, (plan = stagingPlan(db, row.table)));
      // The same mapping as applySnapshot (db/syncState.ts snapshotValues), column by column.
      const values = plan.columns.map((column, i): ColumnValue => {
        if (column === 'id') return row.rowId;
        if (column === 'version') return row.version;
        // Derived columns: the initials from the name; the ratings once every table is placed.
        if (column === 'name_initials' && row.table === 'enterprises') return pinyinInitials(typeof row.data.name === 'string' ? row.data.name : '');
        if (isDerivedField(row.table, column)) return plan.defaults[i] as ColumnValue;
        const value = column in row.data ? toColumn(row.data[column]) : (plan.defaults[i] as ColumnValue);
        return column === 'deleted_at' && row.deleted && value === null ? nowIso : value;
      });
      plan.insert.run(values);
      counts.inserted += 1;
    }
    applyPageRest(db, page);
    return { applied: true, counts };
  })();
}

export interface BulkOutcome {
  /** False when nothing was staged, or local changes wait to be pushed first. */
  placed: boolean;
  rows: Partial<Record<SyncTableName, number>>;
}

/**
 * Places the staged rows in the live tables, in registry order (parents before the rows that
 * reference them), in one transaction. A row the live table refuses (a constraint) rolls the whole
 * step back and is reported like a normal page that cannot be applied; the staging stays for the
 * next attempt.
 */
export function finishBulkPull(db: Db, nowIso: string): BulkOutcome {
  const tables = stagedTables(db);
  if (tables.length === 0 || outboxCount(db) > 0) return { placed: false, rows: {} };
  // The step writes the whole register to the WAL at once; copying it into the database file (a
  // checkpoint, ~0.3 s at 50k rows) is left to the next commit instead of holding up this one.
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  try {
    return { placed: true, rows: withoutForeignKeys(db, () => db.transaction(() => placeAll(db, tables, nowIso))()) };
  } finally {
    db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  }
}

/**
 * Frees the staging tables of a finished first pull. Dropping a table reads every page of it (~0.1 s
 * at 50k rows), so the step that places the rows only renames them, and this runs at the next sync.
 */
export function dropPlacedStaging(db: Db): void {
  const placed = prepared(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '${PLACED_PREFIX}*'`).pluck().all() as string[];
  if (placed.length === 0) return;
  db.transaction(() => {
    for (const name of placed) db.exec(`DROP TABLE "${name}"`);
  })();
}

function placeAll(db: Db, tables: readonly SyncTableName[], nowIso: string): BulkOutcome['rows'] {
  const rows: BulkOutcome['rows'] = {};
  for (const table of tables) {
    rows[table] = prepared(db, `SELECT count(*) FROM "${staging(table)}"`).pluck().get() as number;
    placeTable(db, table, nowIso);
    db.exec(`INSERT INTO sync_versions (table_name, row_id, version) SELECT '${table}', id, version FROM "${staging(table)}" WHERE true
             ON CONFLICT (table_name, row_id) DO UPDATE SET version = excluded.version`);
    db.exec(`ALTER TABLE "${staging(table)}" RENAME TO "${PLACED_PREFIX}${table}"`);
  }
  refreshAllEnterpriseRatings(db);
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  if (total > 0) auditPulled(db, nowIso, { inserted: total, tables: Object.keys(rows), seqTo: readSyncState(db).checkpoint, firstPull: true });
  return rows;
}

function placeTable(db: Db, table: SyncTableName, nowIso: string): void {
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  // Columns of both: a staging table left by an older app version lacks a column added since,
  // which then takes its default.
  const stagedColumns = new Set(columnsOfTable(db, staging(table)).map((column) => column.name));
  const columns = columnsOfTable(db, table).map((column) => column.name).filter((name) => stagedColumns.has(name));
  const list = columns.map((name) => `"${name}"`).join(', ');
  // Rows this laptop made during an interrupted first pull and pushed since come back staged: the
  // hub's snapshot is the newer state (nothing waits in the outbox), so it replaces the row.
  const upsert = `INSERT INTO "${table}" (${list}) SELECT ${list} FROM "${staging(table)}" WHERE %s
     ON CONFLICT (id) DO UPDATE SET ${columns.filter((name) => name !== 'id').map((name) => `"${name}" = excluded."${name}"`).join(', ')}`;
  try {
    db.transaction(() => db.exec(upsert.replace('%s', 'true')))();
  } catch (error) {
    if (!isConstraintError(error)) throw error;
    placeRowByRow(db, table, upsert.replace('%s', 'id = ?'), nowIso);
  }
  for (const index of indexes) db.exec(index.sql);
}

/**
 * A staged row the live table refuses would roll the whole first pull back at every attempt: then
 * the rows are placed one by one and the refused ones quarantined (db/syncState.ts applyOrQuarantine).
 */
function placeRowByRow(db: Db, table: SyncTableName, upsertOne: string, nowIso: string): void {
  const place = db.prepare(upsertOne);
  for (const staged of db.prepare(`SELECT * FROM "${staging(table)}"`).all() as Record<string, ColumnValue>[]) {
    try {
      db.transaction(() => place.run(staged.id))();
    } catch (error) {
      if (!isConstraintError(error)) throw error;
      const { id, version, ...data } = staged;
      const snapshot: RowSnapshot = { seq: 0, table, rowId: String(id), version: Number(version), deleted: data.deleted_at !== null, data: data as RowSnapshot['data'] };
      quarantine(db, snapshot, error instanceof Error ? error.message : String(error), nowIso);
    }
  }
}
