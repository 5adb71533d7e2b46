import type { Change, Conflict, PullResponse, PushResult, RowSnapshot } from '../shared/sync/protocol.ts';
import { isDerivedField, isSyncTable } from '../shared/sync/tables.ts';
import { derivedEnterpriseValues, refreshEnterpriseRating } from './derived.ts';
import { prepared, type Db } from './open.ts';
import { appendAudit } from './audit.ts';
import { columnsOf, type ColumnValue, type Row } from './records.ts';
import { outboxCount } from './outbox.ts';
import { personName } from './identity.ts';
import { SYNC_ACTOR_NAME } from '../shared/sync/protocol.ts';

/** Who a pulled change is audited as when its author is not in the people directory (head office). */
const PULLED_BY_HUB = SYNC_ACTOR_NAME;

export interface SyncStateRow {
  hub_url: string | null;
  device_id: string | null;
  device_token: string | null;
  hub_branch_id: string | null;
  hub_branch_name: string | null;
  checkpoint: number;
  hlc: string | null;
  reference_versions: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  consecutive_failures: number;
  clock_skew_ms: number | null;
  revoked_at: string | null;
  /** The last audit head head office acknowledged (db/audit.ts verifies the chain against it). */
  audit_anchor_seq: number | null;
  audit_anchor_hash: string | null;
  audit_anchor_at: string | null;
}

export function readSyncState(db: Db): SyncStateRow {
  return prepared(db, 'SELECT * FROM sync_state WHERE singleton = 1').get() as SyncStateRow;
}

export function updateSyncState(db: Db, values: Partial<SyncStateRow>): void {
  const keys = Object.keys(values);
  if (keys.length === 0) return;
  // Only when a value differs: an UPDATE that changes no row writes no page, so a sync cycle with
  // nothing new commits (and fsyncs) nothing (bench sync.noop).
  // Prepared once per set of columns: the code updates a handful of sets, each every sync cycle.
  prepared(db, `UPDATE sync_state SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE singleton = 1 AND (${keys.map((k) => `${k} IS NOT @${k}`).join(' OR ')})`).run(values);
}

/** JSON from the hub → a column value (objects and arrays are stored as JSON text, like the form does). */
export function toColumn(value: unknown): ColumnValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

export type SnapshotOutcome = 'inserted' | 'updated' | 'unchanged' | 'skipped' | 'quarantined';

/**
 * The column values a snapshot of a sync table sets (id aside): the fields the table has, the hub's
 * version, and a deletion time when the hub says deleted without one. Fields the snapshot lacks are
 * left out, so a new row takes the column default (a row pushed by an older app version). Derived
 * columns are computed here from what is applied, whatever the snapshot says of them.
 */
export function snapshotValues(db: Db, snapshot: RowSnapshot, nowIso: string, current?: Record<string, unknown>): Record<string, ColumnValue> {
  const columns = columnsOf(db, snapshot.table);
  const values: Record<string, ColumnValue> = {};
  for (const [key, value] of Object.entries(snapshot.data)) {
    if (columns.has(key) && key !== 'id' && key !== 'version' && !isDerivedField(snapshot.table, key)) values[key] = toColumn(value);
  }
  values.version = snapshot.version;
  if (snapshot.deleted && (values.deleted_at === null || values.deleted_at === undefined)) values.deleted_at = nowIso;
  if (snapshot.table === 'enterprises') Object.assign(values, derivedEnterpriseValues(db, snapshot.rowId, values, current));
  return values;
}

/**
 * Applies one row snapshot from the hub without writing the outbox (it came from there). A row our
 * own push produced comes back unchanged and is left alone; anything else is audited as a sync
 * change so the record's history shows what head office or another device did.
 */
export function applySnapshot(db: Db, snapshot: RowSnapshot, nowIso: string, options: { auditInserts: boolean } = { auditInserts: true }): SnapshotOutcome {
  if (!isSyncTable(snapshot.table)) return 'skipped';
  // Reused statements (db/open.ts prepared): an initial pull applies 50k snapshots of one shape, and
  // preparing per row was a quarter to a third of the apply time (bench sync.initial_pull).
  const current = prepared(db, `SELECT * FROM "${snapshot.table}" WHERE id = ?`).get(snapshot.rowId) as Row | undefined;
  const values = snapshotValues(db, snapshot, nowIso, current);
  // The base for this laptop's next edit of the row (db/outbox.ts), whatever the row's local state.
  prepared(db, 'INSERT INTO sync_versions (table_name, row_id, version) VALUES (?, ?, ?) ON CONFLICT (table_name, row_id) DO UPDATE SET version = excluded.version').run(
    snapshot.table,
    snapshot.rowId,
    snapshot.version,
  );
  const changed = Object.keys(values).filter((key) => current === undefined || current[key] !== values[key]);
  if (current !== undefined && changed.length === 0) return 'unchanged';
  const table = `"${snapshot.table}"`;
  if (current === undefined) {
    const keys = ['id', ...Object.keys(values)];
    prepared(db, `INSERT INTO ${table} (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run({ id: snapshot.rowId, ...values });
  } else {
    prepared(db, `UPDATE ${table} SET ${changed.map((k) => `"${k}" = @${k}`).join(', ')} WHERE id = @id`).run({
      id: snapshot.rowId,
      ...Object.fromEntries(changed.map((k) => [k, values[k]])),
    });
  }
  if (snapshot.table === 'enterprise_ratings') {
    for (const enterpriseId of new Set([values.enterprise_id, current?.enterprise_id])) if (typeof enterpriseId === 'string') refreshEnterpriseRating(db, enterpriseId);
  }
  const meaningful = changed.filter((k) => k !== 'version');
  // A row that changed here is audited field by field, in the name of who made the change (the
  // branch's people directory) and at the time they made it, so 变更记录 on this laptop shows a
  // colleague's edit on another laptop as theirs. A row new to this laptop was created elsewhere
  // and audited there (the other device, the hub's change log): its arrival is summarised once per
  // pull page (applyPullPage), which keeps a first pull of a branch's 50k rows fast.
  if (meaningful.length > 0 && (current !== undefined || options.auditInserts)) {
    const author = typeof values.updated_by === 'string' ? values.updated_by : null;
    appendAudit(db, {
      at: typeof values.updated_at === 'string' && !Number.isNaN(Date.parse(values.updated_at)) ? values.updated_at : nowIso,
      userId: author,
      userName: (author === null ? null : personName(db, author)) ?? PULLED_BY_HUB,
      action: current === undefined ? 'sync_insert' : 'sync_update',
      recordType: snapshot.table,
      recordId: snapshot.rowId,
      before: current === undefined ? null : Object.fromEntries(meaningful.map((k) => [k, current[k]])),
      after: Object.fromEntries(meaningful.map((k) => [k, values[k]])),
    });
  }
  return current === undefined ? 'inserted' : 'updated';
}

export function storeConflict(db: Db, conflict: Conflict): void {
  db.prepare(
    `INSERT INTO sync_conflicts (id, seq, table_name, row_id, status, conflict) VALUES (@id, @seq, @table, @rowId, @status, @json)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, status = excluded.status, conflict = excluded.conflict`,
  ).run({ id: conflict.id, seq: conflict.seq, table: conflict.table, rowId: conflict.rowId, status: conflict.status, json: JSON.stringify(conflict) });
}

export interface PageOutcome {
  applied: boolean;
  counts: Record<SnapshotOutcome, number>;
}

/**
 * One pull page and its checkpoint, in one transaction: a crash leaves either both or neither. A
 * page is not applied while local changes wait to be pushed (they would be overwritten before the
 * hub has seen them); the next cycle pushes first and pulls the page again.
 */
export function applyPullPage(db: Db, page: PullResponse, nowIso: string): PageOutcome {
  // A page without rows or conflicts (most pulls) writes none of the tables the check is off for.
  if (page.rows.length === 0 && page.conflicts.length === 0) return applyPage(db, page, nowIso);
  return withoutForeignKeys(db, () => applyPage(db, page, nowIso));
}

/**
 * Pulled rows come in the order of each row's latest change, not parents first: an enterprise edited
 * after its rating was added arrives after the rating, perhaps a page later. Checking references
 * then stopped the pull for good at that page. Head office already refuses a row that names another
 * branch's or no parent, so pulled rows are written without the local check (PRAGMA foreign_keys
 * only changes outside a transaction); local edits keep it.
 */
export function withoutForeignKeys<T>(db: Db, work: () => T): T {
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) db.pragma('foreign_keys = OFF');
  try {
    return work();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}

function applyPage(db: Db, page: PullResponse, nowIso: string): PageOutcome {
  return db.transaction(() => {
    const counts = emptyCounts();
    if (outboxCount(db) > 0) return { applied: false, counts };
    // Directory entries first: a colleague's edit in the same page is then audited under their name.
    const rows = [...page.rows.filter((row) => row.table === 'people'), ...page.rows.filter((row) => row.table !== 'people')];
    for (const row of rows) counts[applyOrQuarantine(db, row, nowIso)] += 1;
    if (counts.inserted > 0) {
      auditPulled(db, nowIso, { inserted: counts.inserted, updated: counts.updated, tables: [...new Set(page.rows.map((row) => row.table))], seqTo: page.next });
    }
    applyPageRest(db, page);
    return { applied: true, counts };
  })();
}

export const emptyCounts = (): Record<SnapshotOutcome, number> => ({ inserted: 0, updated: 0, unchanged: 0, skipped: 0, quarantined: 0 });

/** A refusal of the local schema (NOT NULL, CHECK, a STRICT column's type, UNIQUE), as opposed to a broken store. */
export function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH');
}

/**
 * One pulled row, in a savepoint: a row the local schema refuses goes to sync_quarantine with the
 * reason, and the page goes on; a row that applies replaces what waited there for it.
 */
export function applyOrQuarantine(db: Db, row: RowSnapshot, nowIso: string): SnapshotOutcome {
  try {
    const outcome = db.transaction(() => applySnapshot(db, row, nowIso, { auditInserts: false }))();
    prepared(db, 'DELETE FROM sync_quarantine WHERE table_name = ? AND row_id = ?').run(row.table, row.rowId);
    return outcome;
  } catch (error) {
    if (!isConstraintError(error)) throw error;
    quarantine(db, row, error instanceof Error ? error.message : String(error), nowIso);
    return 'quarantined';
  }
}

export function quarantine(db: Db, row: RowSnapshot, reason: string, nowIso: string): void {
  prepared(
    db,
    `INSERT INTO sync_quarantine (table_name, row_id, version, seq, snapshot, reason, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (table_name, row_id) DO UPDATE SET version = excluded.version, seq = excluded.seq, snapshot = excluded.snapshot, reason = excluded.reason, received_at = excluded.received_at`,
  ).run(row.table, row.rowId, row.version, row.seq, JSON.stringify(row), reason.slice(0, 500), nowIso);
}

export interface QuarantinedRow {
  table: string;
  rowId: string;
  version: number;
  reason: string;
  receivedAt: string;
}

export interface RejectedChange {
  opId: number;
  table: string;
  rowId: string;
  reason: string;
  issues: { field: string; message: string; rule?: string }[];
  userId: string | null;
  rejectedAt: string;
}

/** The most recent changes head office refused (the newest 200: 同步 shows them, the log keeps the rest). */
export function rejectedChanges(db: Db): RejectedChange[] {
  const rows = db.prepare('SELECT op_id, table_name, row_id, reason, issues, user_id, rejected_at FROM sync_rejections ORDER BY rejected_at DESC, op_id DESC LIMIT 200').all() as {
    op_id: number;
    table_name: string;
    row_id: string;
    reason: string;
    issues: string;
    user_id: string | null;
    rejected_at: string;
  }[];
  return rows.map((row) => ({ opId: row.op_id, table: row.table_name, rowId: row.row_id, reason: row.reason, issues: JSON.parse(row.issues) as RejectedChange['issues'], userId: row.user_id, rejectedAt: row.rejected_at }));
}

/** Keeps head office's refusal of a pushed change, in the transaction that takes it off the outbox. */
export function recordRejection(db: Db, change: Pick<Change, 'opId' | 'table' | 'rowId' | 'fields' | 'userId'>, result: Pick<PushResult, 'reason' | 'issues'>, atIso: string): void {
  db.prepare(
    `INSERT INTO sync_rejections (op_id, table_name, row_id, reason, issues, fields, user_id, rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (op_id) DO NOTHING`,
  ).run(change.opId, change.table, change.rowId, result.reason ?? 'REJECTED', JSON.stringify(result.issues ?? []), JSON.stringify(change.fields), change.userId, atIso);
}

export function quarantinedRows(db: Db): QuarantinedRow[] {
  return db.prepare('SELECT table_name AS "table", row_id AS rowId, version, reason, received_at AS receivedAt FROM sync_quarantine ORDER BY received_at, table_name, row_id').all() as QuarantinedRow[];
}

/**
 * One audit entry for rows new to this laptop that a pull brought: created elsewhere and audited
 * there (the other device, the hub's change log), their arrival is summarised, not listed.
 */
export function auditPulled(db: Db, nowIso: string, summary: Record<string, unknown>): void {
  appendAudit(db, { at: nowIso, userId: null, userName: PULLED_BY_HUB, action: 'sync_pull', recordType: 'sync', recordId: null, before: null, after: summary });
}

/** Everything of a pull page but its rows: conflicts, reference data and the checkpoint (inside the page's transaction). */
export function applyPageRest(db: Db, page: PullResponse): void {
  for (const conflict of page.conflicts) storeConflict(db, conflict);
  const versions = JSON.parse(readSyncState(db).reference_versions) as Record<string, number>;
  for (const set of page.reference) {
    db.prepare(
      `INSERT INTO reference_data (name, version, data, published_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, data = excluded.data, published_at = excluded.published_at`,
    ).run(set.name, set.version, JSON.stringify(set.data), set.publishedAt);
    versions[set.name] = set.version;
  }
  updateSyncState(db, { checkpoint: page.next, reference_versions: JSON.stringify(versions) });
}

/**
 * Joining head office: the hub's branch id replaces the one made at first-run setup on every local
 * row, so the rows this laptop pushes belong to the branch its token names.
 */
export function adoptHubBranch(db: Db, hubBranchId: string): void {
  db.transaction(() => {
    const local = db.prepare('SELECT id FROM branch WHERE deleted_at IS NULL LIMIT 1').pluck().get() as string | undefined;
    if (local === undefined || local === hubBranchId) return;
    const tables = db.prepare(`SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'branch_id')`).pluck().all() as string[];
    for (const table of tables) db.prepare(`UPDATE "${table}" SET branch_id = ? WHERE branch_id = ?`).run(hubBranchId, local);
    db.prepare('UPDATE branch SET id = ? WHERE id = ?').run(hubBranchId, local);
  })();
}
