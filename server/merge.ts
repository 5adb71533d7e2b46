import { uuidv7 } from 'uuidv7';
import type { Change, Conflict, PushResult, RejectReason } from '../shared/sync/protocol.ts';
import { rowIssues, type RowIssue } from '../shared/sync/rows.ts';
import { isDerivedField, isGuardedField, isSyncTable, lifecycleOf, withDerivedColumns, type SyncTableName } from '../shared/sync/tables.ts';
import type { LifecycleActor, LifecycleChange, LifecycleIssue } from '../shared/domain/lifecycle.ts';
import { roleSchema } from '../shared/domain/roles.ts';

/**
 * The pure steps of applying one change to one row, which server/ledger.ts runs in order while it
 * holds the branch lock: `guard` refuses what must never reach a row, `mergeChange` works out the
 * row as it stands after the change and the conflict it raises, `validate` checks that row against
 * its table's row schema (shared/sync/rows.ts), `lifecycle` runs the table's workflow rule from
 * shared/domain (tables.ts lifecycle) on the change. None touches the database, so each is tested on
 * its own (merge.test.ts).
 */

export type Json = Change['fields'][string];
export type Fields = Record<string, Json>;

export interface ChangeSource {
  branchId: string;
  /** Who wrote the change: the device's client id, or the hub's identity for the person (ledger.ts). */
  clientId: string;
  actor: 'device' | 'head-office' | 'resolution';
  deviceId: string | null;
}

export interface RowState {
  table: string;
  rowId: string;
  version: number;
  guardedVersion: number;
  /** The client whose change last wrote a guarded field (or the deleted flag); see migration 0002. */
  guardedBy: string;
  deleted: boolean;
  data: Fields;
  fieldHlc: Record<string, string>;
  seq: number;
  /** Needs writing back at the end of the page. */
  dirty: boolean;
}

export interface NewConflict {
  conflict_id: string;
  table_name: string;
  row_id: string;
  base_version: number;
  mine: Conflict['mine'];
  theirs: Conflict['theirs'];
  seq: number;
}

/** Fields the hub owns: id and branch_id are checked against the row and the token, version is the hub's. */
const SERVER_FIELDS = new Set(['id', 'branch_id', 'version']);

/** Equality of JSON values regardless of object key order (jsonb reorders keys). */
function canonical(value: Json | undefined): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Fields)[key])}`)
    .join(',')}}`;
}
export const sameJson = (a: Json | undefined, b: Json | undefined) => canonical(a) === canonical(b);

export function pick(source: Fields, keys: Iterable<string>): Fields {
  const picked: Fields = {};
  for (const key of keys) picked[key] = source[key] ?? null;
  return picked;
}

/** What the guard needs to know besides the change and the row. */
export interface GuardContext {
  branchId: string;
  /** The row id already belongs to another branch (ledger.ts foreignRows). */
  foreign: boolean;
}

/** Step "guard": the reason a change may not touch the row at all, or null. */
export function guard(change: Change, row: RowState | undefined, context: GuardContext): RejectReason | null {
  if (!isSyncTable(change.table)) return 'UNKNOWN_TABLE';
  if (change.fields.branch_id !== undefined && change.fields.branch_id !== context.branchId) return 'BRANCH_MISMATCH';
  if (change.fields.id !== undefined && String(change.fields.id).toLowerCase() !== change.rowId) return 'ROW_ID_MISMATCH';
  if (row === undefined && context.foreign) return 'ROW_OF_ANOTHER_BRANCH';
  if (row === undefined && change.op !== 'insert') return 'ROW_NOT_FOUND';
  if (row !== undefined && change.baseVersion > row.version) return 'BASE_VERSION_AHEAD';
  return null;
}

export interface Merged {
  /** The row after the change: a new object, the loaded one is left as it was. */
  row: RowState;
  result: PushResult;
  conflict: NewConflict | null;
}

/**
 * Step "merge", for a change the guard let through: an insert creates the row (or, when the row
 * exists, acts as an update, undeleting it); an update merges guarded fields only when its base is
 * not older than the row's last guarded change by someone else (otherwise they are held in a
 * conflict) and low-risk fields per field by HLC; a delete is guarded. The row takes `seq` whatever
 * happens, so the branch's devices pull its current state — including the one whose edit lost.
 */
export function mergeChange(loaded: RowState | undefined, change: Change, source: ChangeSource, seq: number): Merged {
  const table = change.table as SyncTableName;
  const fields = mergeableFields(change);
  const merged = mergeFields(loaded, change, fields, source, seq);
  // Derived columns follow what was applied, never what was pushed (tables.ts derivedColumns).
  merged.row.data = withDerivedColumns(table, merged.row.data);
  return merged;
}

/**
 * The fields of a change that merge: not the hub's own, not derived ones — from the row or from
 * other records (the enterprise's rating, which server/ledger.ts derives from its rating records).
 */
function mergeableFields(change: Change): Fields {
  const fields: Fields = {};
  for (const [field, value] of Object.entries(change.fields)) if (!SERVER_FIELDS.has(field) && !isDerivedField(change.table, field)) fields[field] = value;
  return fields;
}

function mergeFields(loaded: RowState | undefined, change: Change, fields: Fields, source: ChangeSource, seq: number): Merged {
  const table = change.table as SyncTableName;

  if (loaded === undefined) {
    const created: RowState = {
      table,
      rowId: change.rowId,
      version: 1,
      guardedVersion: 1,
      guardedBy: source.clientId,
      deleted: false,
      data: { ...fields, branch_id: source.branchId },
      fieldHlc: Object.fromEntries(Object.keys(fields).map((field) => [field, change.hlc])),
      seq,
      dirty: true,
    };
    return { row: created, result: { opId: change.opId, status: 'applied', serverSeq: seq }, conflict: null };
  }

  const row: RowState = { ...loaded, data: { ...loaded.data }, fieldHlc: { ...loaded.fieldHlc }, seq, dirty: true };
  // Stale: a guarded change by someone else landed after the version this edit was based on.
  const stale = change.baseVersion < row.guardedVersion && row.guardedBy !== source.clientId;
  const deleting = change.op === 'delete';
  const undeleting = change.op === 'insert' && row.deleted;
  const guarded = Object.keys(fields).filter((field) => deleting || isGuardedField(table, field));
  const lowRisk = Object.keys(fields).filter((field) => !deleting && !isGuardedField(table, field));

  let held: string[] = [];
  let heldRowState = false; // the delete or undelete itself
  if (stale) {
    held = guarded.filter((field) => !sameJson(row.data[field], fields[field]));
    heldRowState = (deleting && !row.deleted) || undeleting;
  }
  let wrote = false;
  let guardedChanged = false;
  if (!heldRowState) {
    for (const field of guarded) {
      if (held.includes(field)) continue;
      if (!sameJson(row.data[field], fields[field])) guardedChanged = true;
      row.data[field] = fields[field] as Json;
      const before = row.fieldHlc[field];
      row.fieldHlc[field] = before !== undefined && before > change.hlc ? before : change.hlc;
      wrote = true;
    }
    if (deleting && !row.deleted) {
      row.deleted = true;
      guardedChanged = true;
      wrote = true;
    }
    if (undeleting) {
      // Back as a live row everywhere: a laptop keeps a row with deleted_at set as deleted.
      row.deleted = false;
      row.data.deleted_at = null;
      row.fieldHlc.deleted_at = change.hlc;
      guardedChanged = true;
      wrote = true;
    }
  } else {
    held = guarded;
  }
  const staleFields: string[] = [];
  for (const field of lowRisk) {
    const before = row.fieldHlc[field];
    if (before === undefined || change.hlc > before) {
      row.data[field] = fields[field] as Json;
      row.fieldHlc[field] = change.hlc;
      wrote = true;
    } else {
      staleFields.push(field);
    }
  }
  if (wrote) row.version += 1;
  if (guardedChanged) {
    row.guardedVersion = row.version;
    row.guardedBy = source.clientId;
  }

  const result: PushResult = { opId: change.opId, status: 'applied', serverSeq: seq };
  if (staleFields.length > 0) result.staleFields = staleFields;
  if (held.length === 0 && !heldRowState) return { row, result, conflict: null };

  const conflictId = uuidv7();
  const theirsFields = deleting ? Object.fromEntries(Object.entries(row.data).filter(([field]) => field !== 'branch_id')) : pick(row.data, held);
  const conflict: NewConflict = {
    conflict_id: conflictId,
    table_name: table,
    row_id: change.rowId,
    base_version: change.baseVersion,
    mine: {
      op: change.op,
      fields: pick(fields, held),
      prev: pick(change.prev, held),
      hlc: change.hlc,
      userId: change.userId,
      at: change.at,
      clientId: source.clientId,
      opId: change.opId,
      ...(change.userName === undefined ? {} : { userName: change.userName }),
    },
    theirs: { fields: theirsFields, version: row.version, deleted: row.deleted },
    seq,
  };
  result.status = 'conflict';
  result.conflictId = conflictId;
  result.heldFields = held;
  return { row, result, conflict };
}

/**
 * Step "validate": what is wrong with the row as the change leaves it. A new row must be complete
 * and valid as a whole; a change to an existing row must give each field it sets a valid value —
 * also a field held in a conflict or older than the row's, since a resolution may apply it later.
 */
export function validate(loaded: RowState | undefined, change: Change, merged: Merged): RowIssue[] {
  const table = change.table as SyncTableName;
  // branch_id is the hub's (rowIssues skips it, the row schemas do not name it): the row goes as it
  // is, without a copy per change that leaves it out (bench sync.upload).
  if (loaded === undefined) return rowIssues(table, merged.row.data);
  const fields = mergeableFields(change);
  return rowIssues(table, { ...merged.row.data, ...fields }, Object.keys(fields));
}

/**
 * Step "lifecycle": the table's workflow rule (tables.ts `lifecycle`, from shared/domain) on the
 * change as its author made it. The transition is judged from what the author saw: the hub's row,
 * except, when the change met a conflict, for the guarded fields it sets, which the author saw as
 * `prev` — two managers deciding one application offline each made a legal decision, and a person
 * picks one. That includes a guarded field the change sets to the value the row already took (two
 * managers approving one item offline: the status agrees and is not held, the approver differs and
 * is), else the second approval would be judged as approved → approved and refused as no step.
 * The row it proposes carries every field the change sets, held ones included, since a resolution
 * may apply them.
 */
export function lifecycle(loaded: RowState | undefined, change: Change, merged: Merged, source: ChangeSource, context: LifecycleContext): LifecycleIssue[] {
  const table = change.table as SyncTableName;
  const rule = lifecycleOf(table);
  if (rule === undefined) return [];
  const fields = mergeableFields(change);
  const held = merged.result.heldFields ?? [];
  const seen = held.length === 0 ? [] : Object.keys(fields).filter((field) => (held.includes(field) || isGuardedField(table, field)) && Object.hasOwn(change.prev, field));
  const before = loaded === undefined ? undefined : { ...loaded.data, ...pick(change.prev, seen) };
  const after = { ...merged.row.data, ...fields };
  return rule({ op: change.op, before, after, fields: Object.keys(fields), userId: change.userId, source: source.actor, actor: context.actor, authority: context.authority });
}

/** What the lifecycle step knows besides the change: who its person is, and the branch's approval authority. */
export interface LifecycleContext {
  actor: LifecycleActor | undefined;
  authority: LifecycleChange['authority'];
}

/**
 * The person a change names, from the branch's people row the hub holds for their id (the row as
 * it stands, so a role change or a switch-off pushed earlier in the same page counts). No row, or
 * a row whose role is not one of ours, is nobody the hub knows; a removed row is switched off.
 */
export function actorOf(person: RowState | undefined): LifecycleActor | undefined {
  if (person === undefined || person.table !== 'people') return undefined;
  const role = roleSchema.safeParse(person.data.role);
  if (!role.success) return undefined;
  const removed = person.deleted || (person.data.deleted_at ?? null) !== null;
  return { role: role.data, active: !removed && (person.data.active === 1 || person.data.active === true) };
}
