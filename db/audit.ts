import { auditRowHash, AuditChainWalk, GENESIS_HASH, type AuditChainRow } from '../shared/node/auditChain.ts';
import { prepared, type Db } from './open.ts';
import { toWellFormed } from '../shared/api/text.ts';

export { auditRowHash, GENESIS_HASH };

export interface AuditEntry {
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  recordType: string;
  recordId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export type AuditRow = AuditChainRow;

/** Fields whose values never enter the audit trail; the fact that they changed does. */
const REDACTED_FIELDS = new Set(['password_hash', 'password']);
export const REDACTED = '[redacted]';

function redact(values: Record<string, unknown> | null): string | null {
  if (values === null) return null;
  const safe = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, REDACTED_FIELDS.has(key) ? REDACTED : value]));
  return JSON.stringify(safe);
}

/**
 * Appends one entry to the chain. Call inside the transaction that makes the change, so the change
 * and its audit row commit together or not at all.
 */
export function appendAudit(db: Db, entry: AuditEntry): AuditRow {
  const head = prepared(db, 'SELECT seq, hash FROM audit_head WHERE singleton = 1').get() as { seq: number; hash: string } | undefined;
  // Hash exactly the text SQLite will keep (UTF-8 has no lone surrogates; they are stored as
  // U+FFFD): a malformed string that slipped past the boundaries must not break verify.
  const stored = <T extends string | null>(text: T): T => (text === null ? text : (toWellFormed(text) as T));
  const row: Omit<AuditRow, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    at: stored(entry.at),
    user_id: stored(entry.userId),
    user_name: stored(entry.userName),
    action: stored(entry.action),
    record_type: stored(entry.recordType),
    record_id: stored(entry.recordId),
    before: stored(redact(entry.before)),
    after: stored(redact(entry.after)),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const full: AuditRow = { ...row, hash: auditRowHash(row) };
  prepared(db, 
    `INSERT INTO audit_log (seq, at, user_id, user_name, action, record_type, record_id, before, after, prev_hash, hash)
     VALUES (@seq, @at, @user_id, @user_name, @action, @record_type, @record_id, @before, @after, @prev_hash, @hash)`,
  ).run(full);
  return full;
}

export type AuditProblemKind = 'edited' | 'missing' | 'reordered' | 'truncated' | 'anchor';

export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditAnchor {
  seq: number;
  hash: string;
  at: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  problems: AuditProblem[];
  /** The last head head office acknowledged (null: never synced, or a database before 0013). */
  anchor: AuditAnchor | null;
}

/**
 * Where a row whose hash does not verify at its own seq was written: the seq after the row its
 * prev_hash names. If the row's content hashes correctly at that seq, the row was moved there from
 * its place (a reorder), not edited.
 */
function movedFrom(db: Db, row: AuditRow): number | undefined {
  const predecessorSeq =
    row.prev_hash === GENESIS_HASH ? 0 : (prepared(db, 'SELECT seq FROM audit_log WHERE hash = ?').get(row.prev_hash) as { seq: number } | undefined)?.seq;
  if (predecessorSeq === undefined) return undefined;
  const originalSeq = predecessorSeq + 1;
  return originalSeq !== row.seq && auditRowHash({ ...row, seq: originalSeq }) === row.hash ? originalSeq : undefined;
}

/** Walks the whole chain in seq order (AuditChainWalk), then checks the anchor head office last acknowledged. */
export function verifyAuditChain(db: Db, maxProblems = 20): AuditVerification {
  const walk = new AuditChainWalk(maxProblems, (row) => movedFrom(db, row as AuditRow));
  for (const row of prepared(db, 'SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) walk.row(row);
  const headSeq = walk.end(prepared(db, 'SELECT seq, hash FROM audit_head WHERE singleton = 1').get() as { seq: number; hash: string } | undefined);
  const problems: AuditProblem[] = [...walk.problems];
  const anchor = storedAnchor(db);
  const anchorProblem = anchor === null ? undefined : checkAnchor(db, anchor);
  if (anchorProblem !== undefined && problems.length < maxProblems) problems.push(anchorProblem);
  return { ok: problems.length === 0, checked: walk.checked, headSeq, problems, anchor };
}

// ——— anchors: the chain head as head office last saw it ——————————————————————————————

/** The anchor in sync_state; null when none, or when the database predates migration 0013. */
export function storedAnchor(db: Db): AuditAnchor | null {
  const hasColumn = prepared(db, "SELECT 1 FROM pragma_table_info('sync_state') WHERE name = 'audit_anchor_seq'").get() !== undefined;
  if (!hasColumn) return null;
  const row = prepared(db, 'SELECT audit_anchor_seq AS seq, audit_anchor_hash AS hash, audit_anchor_at AS at FROM sync_state WHERE singleton = 1').get() as
    | { seq: number | null; hash: string | null; at: string | null }
    | undefined;
  return row?.seq == null || row.hash === null || row.at === null ? null : { seq: row.seq, hash: row.hash, at: row.at };
}

/** The hash the chain has now at a seq, recomputed from the row's content (null: no such row). */
function recomputedHashAt(db: Db, seq: number): string | null {
  const row = prepared(db, 'SELECT * FROM audit_log WHERE seq = ?').get(seq) as AuditRow | undefined;
  return row === undefined ? null : auditRowHash(row);
}

/**
 * Row `anchor.seq`'s hash covers every row before it through prev_hash, so a rewrite of any row up
 * to the anchor changes it — even when the rewriter recomputed every later hash and audit_head.
 */
function checkAnchor(db: Db, anchor: AuditAnchor): AuditProblem | undefined {
  const now = recomputedHashAt(db, anchor.seq);
  if (now === null) return { seq: anchor.seq, kind: 'anchor', message: `audit row ${anchor.seq}, anchored at head office on ${anchor.at}, is missing` };
  if (now !== anchor.hash) {
    return { seq: anchor.seq, kind: 'anchor', message: `audit rows up to ${anchor.seq} were rewritten: row ${anchor.seq} no longer hashes to what head office anchored on ${anchor.at}` };
  }
  return undefined;
}

/**
 * What a sync's hello reports (shared/sync/protocol.ts): the chain head, and the chain's hash now
 * at the stored anchor's seq, which head office compares with the anchor it holds there.
 */
export function auditAnchorReport(db: Db): { head: { seq: number; hash: string }; atAnchor: { seq: number; hash: string } | null; anchorIntact: boolean } {
  const head = (prepared(db, 'SELECT seq, hash FROM audit_head WHERE singleton = 1').get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  const anchor = storedAnchor(db);
  const hashAtAnchor = anchor === null ? null : recomputedHashAt(db, anchor.seq);
  return {
    head,
    atAnchor: anchor === null || hashAtAnchor === null ? null : { seq: anchor.seq, hash: hashAtAnchor },
    anchorIntact: anchor === null || hashAtAnchor === anchor.hash,
  };
}

/**
 * Stores the head head office acknowledged — unless the chain no longer matched the stored anchor:
 * then the old anchor stays, so verify keeps naming the rewrite instead of anchoring it.
 */
export function adoptAuditAnchor(db: Db, acknowledged: AuditAnchor | null | undefined, anchorIntact: boolean): void {
  if (acknowledged == null || !anchorIntact) return;
  // Only a new head: a hello that reports the same one again (most do) writes and fsyncs nothing
  // (bench sync.noop), and `at` stays when head office first anchored it, which verify names.
  prepared(
    db,
    `UPDATE sync_state SET audit_anchor_seq = @seq, audit_anchor_hash = @hash, audit_anchor_at = @at
     WHERE singleton = 1 AND (audit_anchor_seq IS NOT @seq OR audit_anchor_hash IS NOT @hash OR audit_anchor_at IS NULL)`,
  ).run({ seq: acknowledged.seq, hash: acknowledged.hash, at: acknowledged.at });
}
