import ExcelJS from 'exceljs';
import { auditRowHash, AuditChainWalk, GENESIS_HASH, type AuditChainProblem, type AuditChainRow } from '../shared/node/auditChain.ts';
import { addAuditSheet } from '../shared/node/auditWorkbook.ts';
import type { Sql } from './storage.ts';

/**
 * Head office's audit trail (migration 0007): every head-office action, appended in the action's
 * own transaction and chained with the laptop's hashing (shared/node/auditChain.ts). The table is
 * append-only (a trigger refuses UPDATE and DELETE); verify walks the chain and the head.
 */
export interface HeadOfficeActor {
  /** A head-office user's id; null for the admin token (automation) or an unknown username. */
  userId: string | null;
  userName: string | null;
}

export interface HeadOfficeAuditEntry {
  action: string;
  recordType: string;
  recordId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

// Any constant: appends take turns, so two never claim the same seq or predecessor.
const AUDIT_LOCK = 7_242_018;
const REDACTED_FIELDS = new Set(['password', 'password_hash', 'passwordHash']);

const redact = (values: Record<string, unknown> | null | undefined): string | null =>
  values == null ? null : JSON.stringify(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, REDACTED_FIELDS.has(key) ? '[redacted]' : value])));

/** Appends one entry; call with the transaction that makes the change, so both commit or neither. */
export async function appendHeadOfficeAudit(tx: Sql, actor: HeadOfficeActor, entry: HeadOfficeAuditEntry, at: Date = new Date()): Promise<AuditChainRow> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const [head] = await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM head_office_audit_head WHERE singleton = 1');
  const row: Omit<AuditChainRow, 'hash'> = {
    seq: Number(head?.seq ?? 0) + 1,
    at: at.toISOString(),
    user_id: actor.userId,
    user_name: actor.userName,
    action: entry.action,
    record_type: entry.recordType,
    record_id: entry.recordId,
    before: redact(entry.before),
    after: redact(entry.after),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const full: AuditChainRow = { ...row, hash: auditRowHash(row) };
  await tx.query(
    `INSERT INTO head_office_audit (seq, at, user_id, user_name, action, record_type, record_id, before, after, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [full.seq, full.at, full.user_id, full.user_name, full.action, full.record_type, full.record_id, full.before, full.after, full.prev_hash, full.hash],
  );
  await tx.query(
    `INSERT INTO head_office_audit_head (singleton, seq, hash) VALUES (1, $1, $2)
     ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
    [full.seq, full.hash],
  );
  return full;
}

const SELECT_ROWS = 'SELECT seq, at, user_id, user_name, action, record_type, record_id, before, after, prev_hash, hash FROM head_office_audit';
const asRow = (row: AuditChainRow): AuditChainRow => ({ ...row, seq: Number(row.seq) });

export type HeadOfficeAuditProblem = AuditChainProblem;

export interface HeadOfficeAuditVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  problems: HeadOfficeAuditProblem[];
}

/** Walks the chain in seq order a page at a time (AuditChainWalk, the laptop's check), then the recorded head. */
export async function verifyHeadOfficeAudit(sql: Sql, maxProblems = 20): Promise<HeadOfficeAuditVerification> {
  const walk = new AuditChainWalk(maxProblems);
  for (;;) {
    const rows = (await sql.query<AuditChainRow>(`${SELECT_ROWS} WHERE seq >= $1 ORDER BY seq LIMIT 1000`, [walk.nextSeq])).map(asRow);
    for (const row of rows) walk.row(row);
    if (rows.length < 1000) break;
  }
  const [head] = await sql.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM head_office_audit_head WHERE singleton = 1');
  const headSeq = walk.end(head === undefined ? undefined : { seq: Number(head.seq), hash: head.hash });
  return { ok: walk.problems.length === 0, checked: walk.checked, headSeq, problems: walk.problems };
}

/** The newest entries first, a page at a time, for the console. */
export async function headOfficeAuditPage(sql: Sql, limit: number, offset: number): Promise<{ rows: AuditChainRow[]; total: number }> {
  const rows = (await sql.query<AuditChainRow>(`${SELECT_ROWS} ORDER BY seq DESC LIMIT $1 OFFSET $2`, [limit, offset])).map(asRow);
  const [count] = await sql.query<{ n: string | number }>('SELECT count(*) AS n FROM head_office_audit');
  return { rows, total: Number(count?.n ?? 0) };
}

/** The whole trail as .xlsx in the laptop's layout (shared/node/auditWorkbook.ts), oldest first, with a sheet 校验 of the verification. */
export async function headOfficeAuditWorkbook(sql: Sql): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = addAuditSheet(workbook, '总行审计日志');
  let from = 1;
  for (;;) {
    const rows = (await sql.query<AuditChainRow>(`${SELECT_ROWS} WHERE seq >= $1 ORDER BY seq LIMIT 1000`, [from])).map(asRow);
    for (const row of rows) {
      sheet.add(row);
      from = row.seq + 1;
    }
    if (rows.length < 1000) break;
  }
  const verification = await verifyHeadOfficeAudit(sql);
  const check = workbook.addWorksheet('校验');
  check.addRow(['校验结果', verification.ok ? '审计链完整' : '审计链被改动']);
  check.addRow(['已校验条数', verification.checked]);
  for (const problem of verification.problems) check.addRow([`第 ${problem.seq} 条`, problem.message]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
