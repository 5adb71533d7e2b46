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
