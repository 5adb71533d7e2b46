import type { Db } from './open.ts';
import type { AuditRow } from './audit.ts';

export interface AuditQuery {
  userId?: string;
  recordType?: string;
  recordId?: string;
  /** UTC ISO instants, from inclusive, to exclusive. */
  fromAt?: string;
  toAt?: string;
}

function where(query: AuditQuery): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const clauses: string[] = [];
  const filters: [keyof AuditQuery, string][] = [
    ['userId', 'user_id = @userId'],
    ['recordType', 'record_type = @recordType'],
    ['recordId', 'record_id = @recordId'],
    ['fromAt', 'at >= @fromAt'],
    ['toAt', 'at < @toAt'],
  ];
  for (const [key, clause] of filters) {
    const value = query[key];
    if (value !== undefined) {
      clauses.push(clause);
      params[key] = value;
    }
  }
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

/** Newest first, paged in SQL. */
export function queryAudit(db: Db, query: AuditQuery, limit: number, offset: number): { rows: AuditRow[]; total: number } {
  const { sql, params } = where(query);
  const total = db.prepare(`SELECT count(*) FROM audit_log ${sql}`).pluck().get(params) as number;
  const rows = db.prepare(`SELECT * FROM audit_log ${sql} ORDER BY seq DESC LIMIT @limit OFFSET @offset`).all({ ...params, limit, offset }) as AuditRow[];
  return { rows, total };
}

export function iterateAudit(db: Db, query: AuditQuery): IterableIterator<AuditRow> {
  const { sql, params } = where(query);
  return db.prepare(`SELECT * FROM audit_log ${sql} ORDER BY seq`).iterate(params) as IterableIterator<AuditRow>;
}

/** Records whose history belongs on their parent's page: table → [child table, column naming the parent]. */
const childTables: Record<string, [table: string, parentColumn: string][]> = {
  enterprises: [
    ['enterprise_ratings', 'enterprise_id'],
    ['enterprise_financials', 'enterprise_id'],
    ['enterprise_indicators', 'enterprise_id'],
    ['attachments', 'owner_id'],
  ],
  loans: [['loan_snapshots', 'loan_id']],
  // An item's appraisals (revaluations), its registration's renewals, the loans it secures and its certificate scans.
  collateral_items: [
    ['collateral_appraisals', 'item_id'],
    ['collateral_renewals', 'item_id'],
    ['collateral_loans', 'item_id'],
    ['attachments', 'owner_id'],
  ],
};

/** A record's history, newest first, including the changes to its child records (ratings, financials …). */
export function recordHistory(db: Db, recordType: string, recordId: string, limit = 1000): AuditRow[] {
  // Own keys only: a record type named "toString" or "constructor" found Object's methods here (a 500).
  const children = Object.hasOwn(childTables, recordType) ? childTables[recordType]! : [];
  // A record a bulk import wrote has no entry of its own: its chunk's one entry (record_id NULL,
  // db/records.ts insertRecords) lists it among the ids written.
  const clauses = [
    '(record_type = @recordType AND record_id = @recordId)',
    `(record_type = @recordType AND record_id IS NULL AND action = 'bulk_insert' AND instr(after, @quotedId) > 0)`,
  ];
  for (const [table, column] of children) {
    clauses.push(`(record_type = '${table}' AND record_id IN (SELECT id FROM "${table}" WHERE "${column}" = @recordId))`);
  }
  return db.prepare(`SELECT * FROM audit_log WHERE ${clauses.join(' OR ')} ORDER BY seq DESC LIMIT @limit`).all({ recordType, recordId, quotedId: JSON.stringify(recordId), limit }) as AuditRow[];
}
