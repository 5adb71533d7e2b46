import { uuidv7 } from 'uuidv7';
import { prepared, type Db } from './open.ts';
import { appendAudit } from './audit.ts';
import { captureChange, captureInserts } from './outbox.ts';

/** Who makes a change: every write is attributable (audit) and owned by a branch (sync). */
export interface Actor {
  userId: string;
  userName: string;
  branchId: string;
}

export type ColumnValue = string | number | bigint | null;
export type Row = Record<string, ColumnValue>;

const conventionColumns = new Set(['id', 'branch_id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at']);

/** A write the store refused for a reason the caller can show (stale version, unknown column …). */
export class RecordError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION',
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

const columnCache = new WeakMap<Db, Map<string, Set<string>>>();

/** Column names come from the schema itself, so no caller-supplied key can become SQL. */
export function columnsOf(db: Db, table: string): Set<string> {
  let tables = columnCache.get(db);
  if (tables === undefined) columnCache.set(db, (tables = new Map()));
  let columns = tables.get(table);
  if (columns === undefined) {
    const names = (prepared(db, 'SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
    if (names.length === 0 || !names.includes('branch_id')) throw new RecordError('VALIDATION', `${table} is not a record table`);
    columns = new Set(names);
    tables.set(table, columns);
  }
  return columns;
}

function checkFields(db: Db, table: string, values: Row): string[] {
  const columns = columnsOf(db, table);
  const keys = Object.keys(values);
  for (const key of keys) {
    if (!columns.has(key) || conventionColumns.has(key)) throw new RecordError('VALIDATION', `${table}.${key} cannot be written`);
  }
  return keys;
}

export function getRecord(db: Db, table: string, id: string): Row | undefined {
  columnsOf(db, table);
  return prepared(db, `SELECT * FROM "${table}" WHERE id = ?`).get(id) as Row | undefined;
}

/**
 * The one write path for branch records: the row, its conventions (id, version, who/when) and its
 * audit entry are written in one transaction. Sync capture joins here too, so no table needs code
 * of its own to be audited or synced.
 */
export function insertRecord(db: Db, table: string, values: Row, actor: Actor, now: Date, id: string = uuidv7()): Row {
  const keys = checkFields(db, table, values);
  const at = now.toISOString();
  const row: Row = {
    id,
    branch_id: actor.branchId,
    version: 1,
    created_at: at,
    created_by: actor.userId,
    updated_at: at,
    updated_by: actor.userId,
    ...values,
  };
  const columns = ['id', 'branch_id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', ...keys];
  return db.transaction(() => {
    prepared(db, `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
    appendAudit(db, { at, userId: actor.userId, userName: actor.userName, action: 'insert', recordType: table, recordId: id, before: null, after: values });
    const { id: _id, branch_id: _branch, version: _version, ...fields } = row;
    captureChange(db, { table, rowId: id, op: 'insert', fields, prev: {}, userId: actor.userId, at });
    return getRecord(db, table, id) as Row;
  })();
}

/**
 * The bulk form of insertRecord, for imports (issue 20): each row with its conventions and its own
 * outbox entry (head office still receives and validates every record), but ONE audit entry for
 * the batch — action `bulk_insert`, listing the ids written and naming in `source` where each row's
 * detail is kept (an import file stored as a blob, by its SHA-256). The chain stays one entry per
 * change, the change being the batch. Every row must write the same columns.
 */
export function insertRecords(db: Db, table: string, rows: readonly Row[], actor: Actor, now: Date, source: Record<string, unknown>): string[] {
  if (rows.length === 0) return [];
  const keys = checkFields(db, table, rows[0]!);
  const at = now.toISOString();
  const columns = ['id', 'branch_id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', ...keys];
  // Positional parameters: one statement prepared once, no per-row object of named values.
  const insert = prepared(db, `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  // One parameter array for every row: the stamps set once, the row's values written over the rest.
  const params: unknown[] = [null, actor.branchId, 1, at, actor.userId, at, actor.userId, ...keys];
  return db.transaction(() => {
    const written = rows.map((values) => {
      if (Object.keys(values).length !== keys.length || keys.some((key) => !(key in values))) throw new RecordError('VALIDATION', `${table}: every row of a bulk insert writes the same columns`);
      const id = uuidv7();
      params[0] = id;
      for (let k = 0; k < keys.length; k += 1) params[7 + k] = values[keys[k]!];
      insert.run(params);
      // The entry's own stamps (created/updated at and by) are the outbox entry's `at` and `user_id`,
      // which captureInserts leaves out of its fields anyway.
      return { rowId: id, fields: values };
    });
    captureInserts(db, table, written, actor.userId, at);
    const ids = written.map((row) => row.rowId);
    appendAudit(db, { at, userId: actor.userId, userName: actor.userName, action: 'bulk_insert', recordType: table, recordId: null, before: null, after: { ...source, count: ids.length, ids } });
    return ids;
  })();
}

export interface UpdateOptions {
  /** The version the user's edit was based on; a different current version is a CONFLICT. */
  expectedVersion?: number;
  /** Audit action name when it says more than 'update' (e.g. 'disable', 'reset_password'). */
  action?: string;
  /** Why (a delete's reason), kept with the audit entry. */
  reason?: string;
}

/** Applies a patch; fields whose value does not change are dropped, and an empty patch writes nothing. */
export function updateRecord(db: Db, table: string, id: string, patch: Row, actor: Actor, now: Date, options: UpdateOptions = {}): Row {
  checkFields(db, table, patch);
  return db.transaction(() => {
    const current = getRecord(db, table, id);
    if (current === undefined || current.deleted_at !== null) throw new RecordError('NOT_FOUND', `${table} ${id} not found`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new RecordError('CONFLICT', `${table} ${id} is at version ${current.version}, the edit was based on ${options.expectedVersion}`);
    }
    const changed = Object.keys(patch).filter((key) => patch[key] !== current[key]);
    if (changed.length === 0) return current;
    const at = now.toISOString();
    const assignments = changed.map((key) => `"${key}" = @${key}`).join(', ');
    prepared(db, `UPDATE "${table}" SET ${assignments}, version = version + 1, updated_at = @__at, updated_by = @__by WHERE id = @__id`).run({
      ...Object.fromEntries(changed.map((key) => [key, patch[key]])),
      __at: at,
      __by: actor.userId,
      __id: id,
    });
    appendAudit(db, {
      at,
      userId: actor.userId,
      userName: actor.userName,
      action: options.action ?? 'update',
      recordType: table,
      recordId: id,
      before: Object.fromEntries(changed.map((key) => [key, current[key]])),
      after: Object.fromEntries(changed.map((key) => [key, patch[key]])),
    });
    captureChange(db, {
      table,
      rowId: id,
      op: 'update',
      fields: { ...Object.fromEntries(changed.map((key) => [key, patch[key]])), updated_at: at, updated_by: actor.userId },
      prev: { ...Object.fromEntries(changed.map((key) => [key, current[key]])), updated_at: current.updated_at, updated_by: current.updated_by },
      userId: actor.userId,
      at,
    });
    return getRecord(db, table, id) as Row;
  })();
}

/** Records are never removed: a delete marks the row and is audited like any change. */
export function softDeleteRecord(db: Db, table: string, id: string, actor: Actor, now: Date, options: UpdateOptions = {}): Row {
  columnsOf(db, table);
  return db.transaction(() => {
    const current = getRecord(db, table, id);
    if (current === undefined || current.deleted_at !== null) throw new RecordError('NOT_FOUND', `${table} ${id} not found`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new RecordError('CONFLICT', `${table} ${id} is at version ${current.version}, the delete was based on ${options.expectedVersion}`);
    }
    const at = now.toISOString();
    prepared(db, `UPDATE "${table}" SET deleted_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`).run(at, at, actor.userId, id);
    appendAudit(db, { at, userId: actor.userId, userName: actor.userName, action: 'delete', recordType: table, recordId: id, before: { deleted_at: null }, after: { deleted_at: at, ...(options.reason === undefined ? {} : { reason: options.reason }) } });
    captureChange(db, {
      table,
      rowId: id,
      op: 'delete',
      fields: { deleted_at: at, updated_at: at, updated_by: actor.userId },
      prev: { deleted_at: null, updated_at: current.updated_at, updated_by: current.updated_by },
      userId: actor.userId,
      at,
    });
    return getRecord(db, table, id) as Row;
  })();
}
