import { createHash } from 'node:crypto';
import { prepared, type Db } from './open.ts';
import { toWellFormed } from '../shared/api/text.ts';

export const GENESIS_HASH = '0'.repeat(64);

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

export interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** Fields whose values never enter the audit trail; the fact that they changed does. */
const REDACTED_FIELDS = new Set(['password_hash', 'password']);
export const REDACTED = '[redacted]';

function redact(values: Record<string, unknown> | null): string | null {
  if (values === null) return null;
  const safe = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, REDACTED_FIELDS.has(key) ? REDACTED : value]));
  return JSON.stringify(safe);
}

/** The hashed content of a row: every column but the hash itself, in a fixed order. */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  const content = JSON.stringify([
    row.seq,
    row.at,
    row.user_id,
    row.user_name,
    row.action,
    row.record_type,
    row.record_id,
    row.before,
    row.after,
    row.prev_hash,
  ]);
  return createHash('sha256').update(content).digest('hex');
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

export type AuditProblemKind = 'edited' | 'missing' | 'reordered' | 'truncated';

export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  problems: AuditProblem[];
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

/**
 * Walks the whole chain in seq order. A row whose recomputed hash differs was edited, unless its
 * content verifies at another position (the one after the row its prev_hash names): then it was
 * moved, a reorder. A gap in seq means rows were deleted; a prev_hash that does not match its
 * predecessor means the row before it was moved away or replaced; a head behind the recorded head
 * means the newest rows were cut off.
 */
export function verifyAuditChain(db: Db, maxProblems = 20): AuditVerification {
  const problems: AuditProblem[] = [];
  const add = (problem: AuditProblem) => {
    if (problems.length < maxProblems) problems.push(problem);
  };
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (const row of prepared(db, 'SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    checked += 1;
    const intact = auditRowHash(row) === row.hash;
    if (row.seq !== expectedSeq) {
      add({ seq: expectedSeq, kind: 'missing', message: `audit rows ${expectedSeq}…${row.seq - 1} are missing (deleted)` });
    } else if (intact && row.prev_hash !== previousHash) {
      add({ seq: row.seq, kind: 'reordered', message: `audit row ${row.seq} does not follow row ${row.seq - 1} (reordered or predecessor replaced)` });
    }
    if (!intact && problems.length < maxProblems) {
      const from = movedFrom(db, row);
      if (from !== undefined) add({ seq: row.seq, kind: 'reordered', message: `audit row ${row.seq} is row ${from} moved out of its place (reordered)` });
      else add({ seq: row.seq, kind: 'edited', message: `audit row ${row.seq} was changed after it was written` });
    }
    expectedSeq = row.seq + 1;
    previousHash = row.hash;
  }
  const head = prepared(db, 'SELECT seq, hash FROM audit_head WHERE singleton = 1').get() as { seq: number; hash: string } | undefined;
  const headSeq = head?.seq ?? 0;
  if (headSeq > expectedSeq - 1) {
    add({ seq: expectedSeq, kind: 'truncated', message: `audit rows ${expectedSeq}…${headSeq} are missing (newest rows deleted)` });
  } else if (head !== undefined && head.hash !== previousHash) {
    add({ seq: headSeq, kind: 'edited', message: `audit row ${headSeq} does not match the recorded chain head` });
  }
  return { ok: problems.length === 0, checked, headSeq, problems };
}
