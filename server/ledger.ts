import type {
  Change,
  Conflict,
  PullResponse,
  PushResult,
  ReferenceSet,
  ResolveRequest,
  ResolveResponse,
  RowSnapshot,
} from '../shared/sync/protocol.ts';
import { approvalAuthoritySchema, defaultApprovalAuthority } from '../shared/domain/approvalAuthority.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import type { HubClock } from './clock.ts';
import { HubError } from './errors.ts';
import { actorOf, guard, lifecycle, mergeChange, pick, validate, type ChangeSource, type Fields, type Json, type LifecycleContext, type NewConflict, type RowState } from './merge.ts';
import { packFieldHlc, unpackFieldHlc, type StoredFieldHlc } from './fieldHlc.ts';
import { RawJson } from './rawJson.ts';
import { writeReadModels } from './readModels.ts';
import { ratedEnterprise, ratingOf, storedRatingRecords, type StoredRating } from './ratings.ts';
import type { Sql, Storage } from './storage.ts';

/**
 * The ledger: how changes become rows. One path for every writer — a device's push page, a
 * head-office edit, a person's conflict resolution — inside one transaction that holds the
 * branch's write lock. Every statement filters by branch_id (the Citus distribution column); the
 * one cross-branch read is the ownership check of new row ids (see `foreignRows`).
 */

interface LoggedChange {
  change: Change;
  status: 'applied' | 'conflict' | 'rejected';
  result: PushResult;
}

const rowKey = (table: string, rowId: string) => `${table}/${rowId}`;

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

// ——— locking and loading ———————————————————————————————————————————————————————————

/**
 * The branch's write lock. Seq values are drawn while it is held and it is released at commit, so
 * within a branch every committed seq is below every seq still in flight: a pull that reads up to
 * seq N can never later miss a change below N. Branches never wait for each other.
 */
async function lockBranch(tx: Sql, branchId: string): Promise<void> {
  const [locked] = await tx.query('SELECT branch_id FROM branch_sync WHERE branch_id = $1 FOR UPDATE', [branchId]);
  if (locked === undefined) throw new HubError('NOT_FOUND', `No branch ${branchId}`);
}

interface DbRow {
  table_name: string;
  row_id: string;
  version: number;
  guarded_version: number;
  guarded_by: string;
  deleted: boolean;
  data: Fields;
  field_hlc: StoredFieldHlc;
  seq: number | string;
}

const ROW_COLUMNS = 'table_name, row_id::text AS row_id, version, guarded_version, guarded_by, deleted, data, field_hlc, seq';

async function loadRows(tx: Sql, branchId: string, rowIds: string[]): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  if (rowIds.length === 0) return rows;
  const found = await tx.query<DbRow>(`SELECT ${ROW_COLUMNS} FROM sync_rows WHERE branch_id = $1 AND row_id = ANY($2::uuid[])`, [branchId, rowIds]);
  for (const row of found) {
    rows.set(rowKey(row.table_name, row.row_id), {
      table: row.table_name,
      rowId: row.row_id,
      version: row.version,
      guardedVersion: row.guarded_version,
      guardedBy: row.guarded_by,
      deleted: row.deleted,
      data: row.data,
      fieldHlc: unpackFieldHlc(row.field_hlc),
      seq: Number(row.seq),
      dirty: false,
    });
  }
  return rows;
}

/**
 * Row ids that already belong to ANOTHER branch. The only ledger query not confined to one
 * branch (under Citus it fans out to every shard, once per push page and only for ids new to
 * this branch): a forged or copied row id is refused, never overwritten nor shadowed.
 */
async function foreignRows(tx: Sql, branchId: string, rowIds: string[]): Promise<Set<string>> {
  if (rowIds.length === 0) return new Set();
  const found = await tx.query<{ table_name: string; row_id: string }>(
    'SELECT DISTINCT table_name, row_id::text AS row_id FROM sync_rows WHERE row_id = ANY($1::uuid[]) AND branch_id <> $2',
    [rowIds, branchId],
  );
  return new Set(found.map((row) => rowKey(row.table_name, row.row_id)));
}

function snapshot(row: RowState): RowSnapshot {
  return { seq: row.seq, table: row.table, rowId: row.rowId, version: row.version, deleted: row.deleted, data: row.data };
}

// ——— applying ——————————————————————————————————————————————————————————————————————

interface ApplyOutcome {
  results: PushResult[];
  rows: Map<string, RowState>;
}

/** Step "classify": which changes of the page were answered before, and the state the others need. */
interface Classified {
  /** opId → the first answer, for replays of (client_id, op_id). */
  earlier: Map<number, PushResult>;
  rows: Map<string, RowState>;
  /** Keys of rows new to this branch whose id another branch holds. */
  foreign: Set<string>;
  /** One seq per fresh change, ascending; unused ones leave gaps, which a checkpoint does not mind. */
  seqs: number[];
}

/**
 * The reason on a replay older than the dedupe window: answered before, its first answer compacted
 * away with its month (server/changeLog.ts). The laptop's next pull brings the row as it stands.
 */
export const BEYOND_DEDUPE_WINDOW = 'BEYOND_DEDUPE_WINDOW';

/** A user id that can name a people row (laptop user ids are UUIDv7; head office's are not rows). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The data of a reference set's newest published version; undefined while head office has published none. */
export async function publishedReferenceData(sql: Sql, name: string): Promise<unknown> {
  const [published] = await sql.query<{ data: unknown }>('SELECT data FROM reference_sets WHERE name = $1 ORDER BY version DESC LIMIT 1', [name]);
  return published?.data;
}

/**
 * The approval authority (动态授权) the hub judges a pushed approval by: the latest table head office
 * published (checked against its schema when published), else the default a laptop without one uses,
 * with the branch's code for its level. Read only for a page that carries a credit application.
 */
async function authorityOf(tx: Sql, branchId: string, changes: Change[]): Promise<LifecycleContext['authority']> {
  if (!changes.some((change) => change.table === 'credit_applications')) return undefined;
  const [branch] = await tx.query<{ code: string }>('SELECT code FROM branches WHERE branch_id = $1', [branchId]);
  const published = await publishedReferenceData(tx, 'approval-authority');
  const parsed = published === undefined ? null : approvalAuthoritySchema.safeParse(published);
  return { table: parsed?.success === true ? parsed.data : defaultApprovalAuthority, branchCode: branch?.code ?? '' };
}

async function classify(tx: Sql, source: ChangeSource, changes: Change[], clock: HubClock): Promise<Classified> {
  const { branchId } = source;
  const earlier = new Map<number, PushResult>();
  if (changes.length > 0) {
    // The log's first answers, and (result null) the client's watermark: the highest op id of the
    // months compacted away (server/changeLog.ts). An op at or below it was answered before.
    const replays = await tx.query<{ op_id: number | string; result: PushResult | null }>(
      `SELECT op_id, result FROM sync_changes WHERE branch_id = $1 AND client_id = $2 AND op_id = ANY($3::bigint[])
       UNION ALL SELECT op_id_through, NULL FROM sync_change_watermarks WHERE branch_id = $1 AND client_id = $2`,
      [branchId, source.clientId, changes.map((change) => change.opId)],
    );
    let watermark = 0;
    for (const replay of replays) {
      if (replay.result === null) watermark = Number(replay.op_id);
      else earlier.set(Number(replay.op_id), replay.result);
    }
    for (const change of changes) {
      if (change.opId <= watermark && !earlier.has(change.opId)) earlier.set(change.opId, { opId: change.opId, status: 'duplicate', reason: BEYOND_DEDUPE_WINDOW });
    }
  }

  const fresh = changes.filter((change) => !earlier.has(change.opId)).map((change) => ({ ...change, rowId: change.rowId.toLowerCase() }));
  if (source.actor === 'device') for (const change of fresh) clock.observe(change.hlc, change.opId);

  // With the changed rows, the people rows of the persons the changes name: the lifecycle step
  // judges each step on its person's role and active flag (server/merge.ts actorOf).
  const personIds = fresh.map((change) => change.userId.toLowerCase()).filter((id) => UUID.test(id));
  const rows = await loadRows(tx, branchId, [...new Set([...fresh.map((change) => change.rowId), ...personIds])]);
  const unknownIds = [...new Set(fresh.filter((change) => !rows.has(rowKey(change.table, change.rowId))).map((change) => change.rowId))];
  const foreign = await foreignRows(tx, branchId, unknownIds);

  const seqs: number[] = [];
  if (fresh.length > 0) {
    const drawn = await tx.query<{ seq: number | string }>("SELECT nextval('hub_seq') AS seq FROM generate_series(1, $1)", [fresh.length]);
    seqs.push(...drawn.map((row) => Number(row.seq)).sort((a, b) => a - b));
  }
  return { earlier, rows, foreign, seqs };
}

/**
 * Applies a page of changes from one source while the branch lock is held, in named steps:
 * classify (replays of (client_id, op_id) answer 'duplicate' with the first answer), then per
 * change guard, merge and validate (server/merge.ts) — a change refused at either check leaves
 * its row as it was — and finally write the rows, the log and the conflicts in one go.
 */
async function applyLocked(tx: Sql, source: ChangeSource, changes: Change[], clock: HubClock): Promise<ApplyOutcome> {
  const { branchId } = source;
  const { earlier, rows, foreign, seqs } = await classify(tx, source, changes, clock);
  // The rows as stored before this page: a snapshot moved to another loan re-derives both series, and
  // the kept figures move only with a field they read (readModels.ts).
  const stored = new Map([...rows].map(([key, row]) => [key, { deleted: row.deleted, data: row.data }]));
  const authority = await authorityOf(tx, branchId, changes);
  let nextSeq = 0;
  const takeSeq = (): number => seqs[nextSeq++] as number;

  const results: PushResult[] = [];
  const logged: LoggedChange[] = [];
  const conflicts: NewConflict[] = [];
  const answered = new Map<number, PushResult>();
  /** Enterprises whose rating the page may have moved: changed themselves, or one of their rating records. */
  const rated = new Set<string>();
  /** Rows this page created: no conflict can be open on them (resendOpenConflicts). */
  const created = new Set<string>();

  for (const original of changes) {
    const replay = earlier.get(original.opId) ?? answered.get(original.opId);
    if (replay !== undefined) {
      // An answer compacted away (status already 'duplicate') has no first status to tell.
      results.push(replay.status === 'duplicate' ? replay : { ...replay, status: 'duplicate', originalStatus: replay.status as NonNullable<PushResult['originalStatus']> });
      continue;
    }
    const change: Change = { ...original, rowId: original.rowId.toLowerCase() };
    const key = rowKey(change.table, change.rowId);
    const row = rows.get(key);
    const record = (result: PushResult) => {
      results.push(result);
      answered.set(change.opId, result);
      logged.push({ change, status: result.status as LoggedChange['status'], result });
    };

    const seq = takeSeq();
    const reject = (result: PushResult) => {
      // The device already shows its edit: give an existing row of this branch a new seq so its
      // next pull brings the hub's state back.
      if (row !== undefined) {
        row.seq = seq;
        row.dirty = true;
        result.serverSeq = row.seq;
      }
      record(result);
    };

    const refused = guard(change, row, { branchId, foreign: foreign.has(key) });
    if (refused !== null) {
      reject({ opId: change.opId, status: 'rejected', reason: refused });
      continue;
    }
    const merged = mergeChange(row, change, source, seq);
    const issues = validate(row, change, merged);
    if (issues.length > 0) {
      reject({ opId: change.opId, status: 'rejected', reason: 'INVALID_ROW', issues: issues.slice(0, 20) });
      continue;
    }
    // The person as the page has left them so far: a people row applied above is already in `rows`.
    const actor = actorOf(rows.get(rowKey('people', change.userId.toLowerCase())));
    const broken = lifecycle(row, change, merged, source, { actor, authority });
    if (broken.length > 0) {
      reject({ opId: change.opId, status: 'rejected', reason: 'LIFECYCLE', issues: broken.slice(0, 20) });
      continue;
    }
    rows.set(key, merged.row);
    if (row === undefined) created.add(key);
    if (merged.conflict !== null) conflicts.push(merged.conflict);
    record(merged.result);
    if (change.table === 'enterprises') rated.add(change.rowId);
    if (change.table === 'enterprise_ratings') for (const enterprise of [ratedEnterprise(row?.data), ratedEnterprise(merged.row.data)]) if (enterprise !== null) rated.add(enterprise);
  }
  await deriveRatings(tx, branchId, rows, rated);

  const written = [...rows.values()].filter((row) => row.dirty);
  await writeRows(tx, branchId, written);
  await writeReadModels(tx, branchId, written, (row) => stored.get(rowKey(row.table, row.rowId)));
  await resendOpenConflicts(tx, branchId, written.filter((row) => !created.has(rowKey(row.table, row.rowId))));
  await writeLog(tx, source, logged);
  await writeConflicts(tx, branchId, conflicts);
  const lastSeq = Math.max(0, ...[...rows.values()].filter((row) => row.dirty).map((row) => row.seq));
  if (lastSeq > 0) await tx.query('UPDATE branch_sync SET last_seq = $2, last_change_at = now() WHERE branch_id = $1', [branchId, lastSeq]);
  return { results, rows };
}

/**
 * Step "derive", after the page's changes merged: each enterprise the page touched (or whose rating
 * records it touched) carries the rating its records give (server/ratings.ts), as on every laptop.
 * Not a change of the enterprise: its version and seq stay, as the laptops' do when a record arrives.
 */
async function deriveRatings(tx: Sql, branchId: string, rows: Map<string, RowState>, enterprises: Set<string>): Promise<void> {
  if (enterprises.size === 0) return;
  const ids = [...enterprises];
  const records = await storedRatingRecords(tx, branchId, ids);
  // The page's own record versions are newer than the stored ones (written at the end of the page).
  for (const row of rows.values()) {
    const enterprise = row.table === 'enterprise_ratings' ? ratedEnterprise(row.data) : null;
    if (enterprise === null || !enterprises.has(enterprise)) continue;
    for (const held of records.values()) held.delete(row.rowId);
    records.set(enterprise, (records.get(enterprise) ?? new Map<string, StoredRating>()).set(row.rowId, { data: row.data, deleted: row.deleted }));
  }
  const unloaded = ids.filter((id) => !rows.has(rowKey('enterprises', id)));
  const loaded = await loadRows(tx, branchId, unloaded);
  for (const id of ids) {
    const key = rowKey('enterprises', id);
    const row = rows.get(key) ?? loaded.get(key);
    if (row === undefined) continue;
    const level = ratingOf(records.get(id));
    if ((row.data.environmental_rating ?? null) === level) continue;
    rows.set(key, { ...row, data: { ...row.data, environmental_rating: level }, dirty: true });
  }
}

async function writeRows(tx: Sql, branchId: string, rows: RowState[]): Promise<void> {
  if (rows.length === 0) return;
  const batch = rows.map((row) => ({
    table_name: row.table,
    row_id: row.rowId,
    version: row.version,
    guarded_version: row.guardedVersion,
    guarded_by: row.guardedBy,
    deleted: row.deleted,
    data: row.data,
    field_hlc: packFieldHlc(row.fieldHlc),
    seq: row.seq,
  }));
  await tx.query(
    `INSERT INTO sync_rows (branch_id, table_name, row_id, version, guarded_version, guarded_by, deleted, data, field_hlc, seq)
     SELECT $1, r.table_name, r.row_id, r.version, r.guarded_version, r.guarded_by, r.deleted, r.data, r.field_hlc, r.seq
     FROM jsonb_to_recordset($2::jsonb) AS r(table_name text, row_id uuid, version integer, guarded_version integer, guarded_by text,
                                            deleted boolean, data jsonb, field_hlc jsonb, seq bigint)
     ON CONFLICT (branch_id, table_name, row_id) DO UPDATE SET
       version = EXCLUDED.version, guarded_version = EXCLUDED.guarded_version, guarded_by = EXCLUDED.guarded_by, deleted = EXCLUDED.deleted,
       data = EXCLUDED.data, field_hlc = EXCLUDED.field_hlc, seq = EXCLUDED.seq, updated_at = now()`,
    [branchId, JSON.stringify(batch)],
  );
}

/**
 * An open conflict whose row changed takes the row's new seq, so every laptop pulls it again with
 * "theirs" as the row now stands (pullPageIn): the person decides on the value they would keep,
 * and the version they send back (expectedVersion) is the current one unless the row moves again.
 */
async function resendOpenConflicts(tx: Sql, branchId: string, rows: RowState[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE sync_conflicts c SET seq = r.seq
     FROM jsonb_to_recordset($2::jsonb) AS r(table_name text, row_id uuid, seq bigint)
     WHERE c.branch_id = $1 AND c.status = 'open' AND c.table_name = r.table_name AND c.row_id = r.row_id AND c.seq < r.seq`,
    [branchId, JSON.stringify(rows.map((row) => ({ table_name: row.table, row_id: row.rowId, seq: row.seq })))],
  );
}

async function writeLog(tx: Sql, source: ChangeSource, logged: LoggedChange[]): Promise<void> {
  if (logged.length === 0) return;
  const batch = logged.map(({ change, status, result }) => ({
    op_id: change.opId,
    table_name: change.table,
    row_id: change.rowId,
    op: change.op,
    fields: change.fields,
    prev: change.prev,
    base_version: change.baseVersion,
    hlc: change.hlc,
    user_id: change.userId,
    at: change.at,
    status,
    seq: result.serverSeq ?? null,
    conflict_id: result.conflictId ?? null,
    reason: result.reason ?? null,
    result,
  }));
  await tx.query(
    `INSERT INTO sync_changes (branch_id, client_id, op_id, actor, device_id, table_name, row_id, op, fields, prev,
                               base_version, hlc, user_id, at, status, seq, conflict_id, reason, result)
     SELECT $1, $2, c.op_id, $3, $4::uuid, c.table_name, c.row_id, c.op, c.fields, c.prev,
            c.base_version, c.hlc, c.user_id, c.at, c.status, c.seq, c.conflict_id, c.reason, c.result
     FROM jsonb_to_recordset($5::jsonb) AS c(op_id bigint, table_name text, row_id uuid, op text, fields jsonb, prev jsonb,
                                            base_version integer, hlc text, user_id text, at timestamptz, status text,
                                            seq bigint, conflict_id uuid, reason text, result jsonb)`,
    [source.branchId, source.clientId, source.actor, source.deviceId, JSON.stringify(batch)],
  );
}

async function writeConflicts(tx: Sql, branchId: string, conflicts: NewConflict[]): Promise<void> {
  if (conflicts.length === 0) return;
  await tx.query(
    `INSERT INTO sync_conflicts (branch_id, conflict_id, table_name, row_id, base_version, status, mine, theirs, seq)
     SELECT $1, c.conflict_id, c.table_name, c.row_id, c.base_version, 'open', c.mine, c.theirs, c.seq
     FROM jsonb_to_recordset($2::jsonb) AS c(conflict_id uuid, table_name text, row_id uuid, base_version integer,
                                            mine jsonb, theirs jsonb, seq bigint)`,
    [branchId, JSON.stringify(conflicts)],
  );
}

// ——— the entry points ————————————————————————————————————————————————————————————————

/** A device's push page: one transaction, all or nothing. */
export async function pushPage(storage: Storage, source: ChangeSource, changes: Change[], clock: HubClock): Promise<PushResult[]> {
  return storage.transaction(async (tx) => {
    await lockBranch(tx, source.branchId);
    const { results } = await applyLocked(tx, source, changes, clock);
    if (source.deviceId !== null) await tx.query('UPDATE devices SET last_sync_at = now(), last_seen_at = now(), pushes = pushes + 1 WHERE device_id = $1', [source.deviceId]);
    return results;
  });
}

/**
 * Who a change the hub makes stands for, in the change log and as a row's `guarded_by`. Each
 * head-office person and each resolution is someone of their own: a head-office edit made on a
 * view from before a resolution (or before a colleague's edit) is stale like any device's and
 * raises a conflict. A person's edit on top of their own earlier one is not.
 */
const headOfficeIdentity = (userId: string) => `head-office:${userId}`;
const resolutionIdentity = (conflictId: string) => `resolution:${conflictId}`;

async function nextLocalOpId(tx: Sql): Promise<number> {
  const [row] = await tx.query<{ op_id: number | string }>("SELECT nextval('hub_local_op_seq') AS op_id");
  return Number(row?.op_id);
}

/**
 * A head-office edit of an existing row of a branch: the same path as a device change (guard,
 * merge, validate), actor 'head-office'. Its HLC comes after every field HLC of the row, so its
 * low-risk fields win.
 */
export async function headOfficeEdit(
  storage: Storage,
  clock: HubClock,
  target: { branchId: string; table: string; rowId: string },
  edit: { fields: Fields; baseVersion: number; userId: string },
): Promise<{ result: PushResult; row: RowSnapshot | null }> {
  const { results, rows } = await headOfficeChanges(storage, clock, { branchId: target.branchId, userId: edit.userId }, [{ table: target.table, rowId: target.rowId, op: 'update', fields: edit.fields, baseVersion: edit.baseVersion }]);
  return { result: results[0] as PushResult, row: rows[0] ?? null };
}

/** One row a head-office action writes: an update of a branch's row, or a complete new row. */
export interface HeadOfficeWrite {
  table: string;
  rowId: string;
  op: 'update' | 'insert';
  fields: Fields;
  baseVersion: number;
}

/**
 * Head office's changes to one branch in one transaction, through applyLocked like a device's push
 * page (guard, merge, validate, the table's lifecycle rule with source 'head-office'). Updates name
 * an existing row — head office does not create a branch's files (a partial row would stop every
 * new laptop's first pull) — and an insert must be a whole row, which validate checks. `settle`
 * sees the answers inside the transaction: it throws to undo them all (a refusal, a conflict) or
 * records the action beside them (the head-office audit).
 */
export async function headOfficeChanges<T = void>(
  storage: Storage,
  clock: HubClock,
  who: { branchId: string; userId: string },
  writes: HeadOfficeWrite[],
  settle?: (tx: Sql, results: PushResult[]) => Promise<T>,
): Promise<{ results: PushResult[]; rows: (RowSnapshot | null)[]; settled: T | undefined }> {
  for (const write of writes) if (!isSyncTable(write.table)) throw new HubError('NOT_FOUND', `Table ${write.table} does not sync`);
  return storage.transaction(async (tx) => {
    await lockBranch(tx, who.branchId);
    const ids = writes.map((write) => write.rowId.toLowerCase());
    const current = await loadRows(tx, who.branchId, ids);
    const changes: Change[] = [];
    for (const [i, write] of writes.entries()) {
      const row = current.get(rowKey(write.table, ids[i]!));
      if (write.op === 'update' && row === undefined) throw new HubError('NOT_FOUND', `No ${write.table} row ${ids[i]} in this branch`);
      changes.push({
        opId: await nextLocalOpId(tx),
        table: write.table,
        rowId: ids[i]!,
        op: write.op,
        fields: write.fields,
        prev: row === undefined ? {} : pick(row.data, Object.keys(write.fields)),
        baseVersion: write.baseVersion,
        hlc: clock.stampAfter(Object.values(row?.fieldHlc ?? {})),
        userId: who.userId,
        at: new Date().toISOString(),
      });
    }
    const { results, rows } = await applyLocked(tx, { branchId: who.branchId, clientId: headOfficeIdentity(who.userId), actor: 'head-office', deviceId: null }, changes, clock);
    const settled = settle === undefined ? undefined : await settle(tx, results);
    return { results, rows: changes.map((change) => { const row = rows.get(rowKey(change.table, change.rowId)); return row === undefined ? null : snapshot(row); }), settled };
  });
}

interface DbConflict {
  conflict_id: string;
  seq: number | string;
  table_name: string;
  row_id: string;
  base_version: number;
  status: 'open' | 'resolved';
  mine: Conflict['mine'];
  theirs: Conflict['theirs'];
  created_at: unknown;
  resolution: Omit<NonNullable<Conflict['resolution']>, never> | null;
}

const CONFLICT_COLUMNS = 'conflict_id::text AS conflict_id, seq, table_name, row_id::text AS row_id, base_version, status, mine, theirs, created_at, resolution';

function toConflict(row: DbConflict): Conflict {
  return {
    id: row.conflict_id,
    seq: Number(row.seq),
    table: row.table_name,
    rowId: row.row_id,
    baseVersion: row.base_version,
    status: row.status,
    mine: row.mine,
    theirs: row.theirs,
    createdAt: iso(row.created_at),
    resolution: row.resolution,
  };
}

/**
 * Conflicts as a pull sends them: "theirs" is the hub's row as it stands now — a conflict raised an
 * hour ago and pulled by a laptop that was offline since shows what the person would keep by
 * choosing it — and both sides name the device behind them, so a laptop tells its own conflicts
 * from the branch's others.
 */
async function asPulled(sql: Sql, branchId: string, conflicts: Conflict[]): Promise<Conflict[]> {
  if (conflicts.length === 0) return conflicts;
  const rows = await loadRows(sql, branchId, [...new Set(conflicts.map((conflict) => conflict.rowId))]);
  const devices = await sql.query<{ client_id: string; name: string }>('SELECT client_id::text AS client_id, name FROM devices WHERE branch_id = $1', [branchId]);
  const deviceName = (clientId: string): string | null => devices.find((device) => device.client_id === clientId)?.name ?? null;
  // Who made the change now standing on the held fields, and when: the row's updated_by/updated_at
  // cannot say, since the held edit's own metadata merges by HLC like any low-risk field.
  const changes = await sql.query<{ table_name: string; row_id: string; client_id: string; user_id: string; at: Date | string; fields: Record<string, unknown> }>(
    `SELECT table_name, row_id::text AS row_id, client_id, user_id, at, fields FROM sync_changes
     WHERE branch_id = $1 AND row_id = ANY($2::uuid[]) AND status = 'applied' ORDER BY seq DESC NULLS LAST`,
    [branchId, [...new Set(conflicts.map((conflict) => conflict.rowId))]],
  );
  const standingChange = (conflict: Conflict, clientId: string) =>
    changes.find((change) => change.table_name === conflict.table && change.row_id === conflict.rowId && change.client_id === clientId && Object.keys(conflict.mine.fields).some((field) => Object.hasOwn(change.fields, field)));
  return conflicts.map((conflict) => {
    const row = rows.get(rowKey(conflict.table, conflict.rowId));
    const mine = { ...conflict.mine, deviceName: deviceName(conflict.mine.clientId) };
    if (row === undefined) return { ...conflict, mine };
    const fields = conflict.mine.op === 'delete' ? Object.fromEntries(Object.entries(row.data).filter(([field]) => field !== 'branch_id')) : pick(row.data, Object.keys(conflict.mine.fields));
    const standing = standingChange(conflict, row.guardedBy);
    const author = standing === undefined ? {} : { userId: standing.user_id, at: iso(standing.at) };
    return { ...conflict, mine, theirs: { fields, version: row.version, deleted: row.deleted, clientId: row.guardedBy, deviceName: deviceName(row.guardedBy), ...author } };
  });
}

/**
 * A person's decision on a conflict, made in the app: applied as a change of its own (actor
 * 'resolution', based on the row's current version so its guarded fields go through) and kept in
 * sync_changes for the audit trail. The conflict takes the change's seq, so every device of the
 * branch pulls both the closed conflict and the settled row.
 */
export async function resolveConflict(
  storage: Storage,
  clock: HubClock,
  source: { branchId: string; deviceId: string; deviceName: string },
  conflictId: string,
  request: ResolveRequest,
): Promise<ResolveResponse> {
  return storage.transaction(async (tx) => {
    await lockBranch(tx, source.branchId);
    const [found] = await tx.query<DbConflict>(`SELECT ${CONFLICT_COLUMNS} FROM sync_conflicts WHERE branch_id = $1 AND conflict_id = $2`, [source.branchId, conflictId]);
    if (found === undefined) throw new HubError('NOT_FOUND', `No conflict ${conflictId} in this branch`);
    const conflict = toConflict(found);
    if (conflict.status !== 'open') throw new HubError('CONFLICT_ALREADY_RESOLVED', 'This conflict was already resolved', { conflict });
    const current = (await loadRows(tx, source.branchId, [conflict.rowId])).get(rowKey(conflict.table, conflict.rowId));
    if (current === undefined) throw new HubError('NOT_FOUND', 'The row of this conflict no longer exists');
    if (request.expectedVersion !== current.version) {
      throw new HubError('ROW_CHANGED', `The row changed since (now version ${current.version}); pull and decide again`, { currentVersion: current.version });
    }
    const heldFields = Object.keys(conflict.mine.fields);
    const chosen: Fields =
      request.choice === 'mine' ? conflict.mine.fields : request.choice === 'edit' ? (request.fields ?? {}) : pick(current.data, heldFields);
    // 'theirs' keeps the hub's row as it is (deleted or not); 'mine' of a delete deletes; otherwise
    // the person's values go in, bringing a row head office deleted back ('insert' undeletes).
    const op: Change['op'] =
      request.choice === 'theirs' ? 'update' : request.choice === 'mine' && conflict.mine.op === 'delete' ? 'delete' : current.deleted ? 'insert' : 'update';
    const userId = request.userId ?? `device:${source.deviceName}`;
    const change: Change = {
      opId: await nextLocalOpId(tx),
      table: conflict.table,
      rowId: conflict.rowId,
      op,
      fields: chosen,
      prev: pick(current.data, Object.keys(chosen)),
      baseVersion: current.version,
      hlc: clock.stampAfter(Object.values(current.fieldHlc)),
      userId,
      at: new Date().toISOString(),
    };
    const { results, rows } = await applyLocked(tx, { branchId: source.branchId, clientId: resolutionIdentity(conflictId), actor: 'resolution', deviceId: source.deviceId }, [change], clock);
    const result = results[0] as PushResult;
    if (result.reason === 'INVALID_ROW') throw new HubError('VALIDATION', 'The values chosen are not valid for this record', { issues: (result.issues ?? []).map(({ field, message }) => ({ path: [field], code: 'invalid_row', message })) });
    if (result.reason === 'LIFECYCLE') throw new HubError('VALIDATION', 'The values chosen break the record’s workflow rules', { issues: (result.issues ?? []).map(({ field, message, rule }) => ({ path: [field], code: rule ?? 'lifecycle', message })) });
    if (result.status !== 'applied') throw new HubError('INTERNAL', `Resolution was not applied: ${result.reason ?? result.status}`);
    const resolution = { choice: request.choice, fields: chosen, by: userId, at: change.at };
    const [updated] = await tx.query<DbConflict>(
      `UPDATE sync_conflicts SET status = 'resolved', resolution = $3::jsonb, resolved_at = now(), seq = $4
       WHERE branch_id = $1 AND conflict_id = $2 RETURNING ${CONFLICT_COLUMNS}`,
      [source.branchId, conflictId, JSON.stringify(resolution), result.serverSeq],
    );
    return { conflict: toConflict(updated as DbConflict), row: snapshot(rows.get(rowKey(conflict.table, conflict.rowId)) as RowState) };
  });
}

/**
 * One pull page: the current state of each of the branch's rows changed after `since` and the
 * conflicts created or resolved after it, merged in seq order; plus every reference set newer
 * than the client holds. `next` is the seq of the last item returned.
 */
export async function pullPage(
  storage: Storage,
  branchId: string,
  request: { since: number; limit: number; referenceVersions: Record<string, number> },
): Promise<HubPullPage> {
  return storage.transaction(async (sql) => {
    // Walk the (branch_id, seq) index in order and stop after `limit` rows, whatever the statistics
    // say. Without them (PGlite has no autovacuum, and a real server's lag behind a bulk upload) the
    // planner expected a few hundred rows and chose a bitmap scan of every row after `since` plus a
    // sort: 50–75 ms a page at 50k rows, so a first pull cost O(rows²) (bench sync.initial_pull).
    await sql.query('SET LOCAL enable_bitmapscan = off');
    await sql.query('SET LOCAL enable_seqscan = off');
    return pullPageIn(sql, branchId, request);
  });
}

/** A pull page as the hub sends it: the rows are one JSON array text built by PostgreSQL (server/rawJson.ts). */
export type HubPullPage = Omit<PullResponse, 'rows'> & { rows: RawJson };

async function pullPageIn(sql: Sql, branchId: string, request: { since: number; limit: number; referenceVersions: Record<string, number> }): Promise<HubPullPage> {
  const { since, limit } = request;
  // First which rows and conflicts make the page, by their seqs alone.
  const rowSeqs = await sql.query<{ seq: number | string }>(`SELECT seq FROM sync_rows WHERE branch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [branchId, since, limit + 1]);
  const conflicts = await sql.query<DbConflict>(
    `SELECT ${CONFLICT_COLUMNS} FROM sync_conflicts WHERE branch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [branchId, since, limit + 1],
  );
  const seqs = [...rowSeqs.map((row) => Number(row.seq)), ...conflicts.map((conflict) => Number(conflict.seq))].sort((a, b) => a - b);
  // A change's conflict shares the change's seq with its row: a page never ends between the two,
  // or the next pull (seq > next) would skip the second.
  let end = Math.min(limit, seqs.length);
  while (end > 0 && end < seqs.length && seqs[end] === seqs[end - 1]) end += 1;
  const last = end === 0 ? since : (seqs[end - 1] as number);
  // Then the page's rows — everything a snapshot carries, not field_hlc (as large as the data, never
  // needed by a pull) — as one JSON text: PostgreSQL writes it at half the cost of handing over
  // thousands of rows for the hub to parse and stringify again (bench sync.initial_pull).
  const [body] = await sql.query<{ rows: string | null }>(
    `SELECT string_agg(json_build_object('seq', seq, 'table', table_name, 'rowId', row_id, 'version', version, 'deleted', deleted, 'data', data)::text, ',' ORDER BY seq) AS rows
     FROM sync_rows WHERE branch_id = $1 AND seq > $2 AND seq <= $3`,
    [branchId, since, last],
  );
  return {
    rows: new RawJson(`[${body?.rows ?? ''}]`),
    conflicts: await asPulled(sql, branchId, conflicts.filter((conflict) => Number(conflict.seq) <= last).map(toConflict)),
    reference: await newerReference(sql, request.referenceVersions),
    next: last,
    hasMore: seqs.length > end,
  };
}

// ——— reference data ————————————————————————————————————————————————————————————————

/** Reference sets are the same for every branch: the one kind of hub data without branch_id. */
async function newerReference(sql: Sql, held: Record<string, number>): Promise<ReferenceSet[]> {
  // The data only of the sets the client lacks: a catalogue is megabytes, and every pull asks (bench sync.noop).
  const latest = await sql.query<{ name: string; version: number; data: Json; published_at: unknown }>(
    `SELECT r.name, r.version, r.data, r.published_at
     FROM (SELECT name, max(version) AS version FROM reference_sets GROUP BY name) AS l
     JOIN reference_sets r ON r.name = l.name AND r.version = l.version
     WHERE l.version > COALESCE(($1::jsonb ->> l.name)::integer, 0)
     ORDER BY r.name`,
    [JSON.stringify(held)],
  );
  return latest.map((set) => ({ name: set.name, version: set.version, data: set.data, publishedAt: iso(set.published_at) }));
}

export async function publishReference(
  storage: Storage,
  name: string,
  data: Json,
  publishedBy: string,
  // Runs in the publish's transaction (a head-office user's audit entry), so both commit or neither.
  alsoInTransaction?: (tx: Sql, published: { name: string; version: number }) => Promise<unknown>,
): Promise<{ name: string; version: number; publishedAt: string }> {
  return storage.transaction(async (tx) => {
    // Two publishes of one set take turns, so versions are 1, 2, 3 … without a race.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('reference:' || $1))", [name]);
    const [row] = await tx.query<{ version: number; published_at: unknown }>(
      `INSERT INTO reference_sets (name, version, data, published_by)
       SELECT $1, COALESCE(max(version), 0) + 1, $2::jsonb, $3 FROM reference_sets WHERE name = $1
       RETURNING version, published_at`,
      [name, JSON.stringify(data), publishedBy],
    );
    const version = (row as { version: number }).version;
    await alsoInTransaction?.(tx, { name, version });
    return { name, version, publishedAt: iso(row?.published_at) };
  });
}
