import { createHash } from 'node:crypto';

/**
 * The audit chain's hashing, one rule for the laptop's audit_log (db/audit.ts) and head office's
 * head_office_audit (server/headOfficeAudit.ts): each row hashes its own columns and the hash of
 * the row before it, so an edit, a deletion or a reorder anywhere breaks every later link.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditChainRow {
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

/** The hashed content of a row: every column but the hash itself, in a fixed order. */
export function auditRowHash(row: Omit<AuditChainRow, 'hash'>): string {
  const content = JSON.stringify([row.seq, row.at, row.user_id, row.user_name, row.action, row.record_type, row.record_id, row.before, row.after, row.prev_hash]);
  return createHash('sha256').update(content).digest('hex');
}

export type AuditChainProblemKind = 'edited' | 'missing' | 'reordered' | 'truncated';

export interface AuditChainProblem {
  seq: number;
  kind: AuditChainProblemKind;
  message: string;
}

/**
 * The chain's check, fed its rows in seq order (the laptop iterates them, the hub reads pages): a row
 * whose recomputed hash differs was edited, unless `movedFrom` finds its content verifying at another
 * position (then it was moved: a reorder); a gap in seq means rows were deleted; a prev_hash that does
 * not match its predecessor means the row before it was moved away or replaced; and at the end, a
 * recorded head past the last row means the newest rows were cut off.
 */
export class AuditChainWalk {
  readonly problems: AuditChainProblem[] = [];
  checked = 0;
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;

  constructor(
    private readonly maxProblems = 20,
    /** Where a row that does not verify at its own seq was written from, if it verifies there. */
    private readonly movedFrom: (row: AuditChainRow) => number | undefined = () => undefined,
  ) {}

  /** The seq the next row should have (a paged reader starts its next page there). */
  get nextSeq(): number {
    return this.expectedSeq;
  }

  add(problem: AuditChainProblem): void {
    if (this.problems.length < this.maxProblems) this.problems.push(problem);
  }

  row(row: AuditChainRow): void {
    this.checked += 1;
    const intact = auditRowHash(row) === row.hash;
    if (row.seq !== this.expectedSeq) {
      this.add({ seq: this.expectedSeq, kind: 'missing', message: `audit rows ${this.expectedSeq}…${row.seq - 1} are missing (deleted)` });
    } else if (intact && row.prev_hash !== this.previousHash) {
      this.add({ seq: row.seq, kind: 'reordered', message: `audit row ${row.seq} does not follow row ${row.seq - 1} (reordered or predecessor replaced)` });
    }
    if (!intact && this.problems.length < this.maxProblems) {
      const from = this.movedFrom(row);
      if (from !== undefined) this.add({ seq: row.seq, kind: 'reordered', message: `audit row ${row.seq} is row ${from} moved out of its place (reordered)` });
      else this.add({ seq: row.seq, kind: 'edited', message: `audit row ${row.seq} was changed after it was written` });
    }
    this.expectedSeq = row.seq + 1;
    this.previousHash = row.hash;
  }

  /** The recorded chain head against the last row walked; returns the head's seq. */
  end(head: { seq: number; hash: string } | undefined): number {
    const headSeq = head?.seq ?? 0;
    if (headSeq > this.expectedSeq - 1) {
      this.add({ seq: this.expectedSeq, kind: 'truncated', message: `audit rows ${this.expectedSeq}…${headSeq} are missing (newest rows deleted)` });
    } else if (head !== undefined && head.hash !== this.previousHash) {
      this.add({ seq: headSeq, kind: 'edited', message: `audit row ${headSeq} does not match the recorded chain head` });
    }
    return headSeq;
  }
}
