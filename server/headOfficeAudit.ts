import ExcelJS from 'exceljs';
import { auditRowHash, GENESIS_HASH, type AuditChainRow } from '../shared/node/auditChain.ts';
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

export interface HeadOfficeAuditProblem {
  seq: number;
  kind: 'edited' | 'missing' | 'reordered' | 'truncated';
  message: string;
}

export interface HeadOfficeAuditVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  problems: HeadOfficeAuditProblem[];
}

/**
 * Walks the chain in seq order (a page at a time): a row whose recomputed hash differs was edited;
 * a gap in seq is a deletion; a prev_hash that is not its predecessor's hash, a reorder or a
 * replaced predecessor; a head past the last row, the newest rows cut off.
 */
export async function verifyHeadOfficeAudit(sql: Sql, maxProblems = 20): Promise<HeadOfficeAuditVerification> {
  const problems: HeadOfficeAuditProblem[] = [];
  const add = (problem: HeadOfficeAuditProblem) => {
    if (problems.length < maxProblems) problems.push(problem);
  };
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = (await sql.query<AuditChainRow>(`${SELECT_ROWS} WHERE seq >= $1 ORDER BY seq LIMIT 1000`, [expectedSeq])).map(asRow);
    for (const row of rows) {
      checked += 1;
      if (row.seq !== expectedSeq) add({ seq: expectedSeq, kind: 'missing', message: `audit rows ${expectedSeq}…${row.seq - 1} are missing (deleted)` });
      if (auditRowHash(row) !== row.hash) add({ seq: row.seq, kind: 'edited', message: `audit row ${row.seq} was changed after it was written` });
      else if (row.seq === expectedSeq && row.prev_hash !== previousHash) add({ seq: row.seq, kind: 'reordered', message: `audit row ${row.seq} does not follow row ${row.seq - 1}` });
      expectedSeq = row.seq + 1;
      previousHash = row.hash;
    }
    if (rows.length < 1000) break;
  }
  const [head] = await sql.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM head_office_audit_head WHERE singleton = 1');
  const headSeq = Number(head?.seq ?? 0);
  if (headSeq > expectedSeq - 1) add({ seq: expectedSeq, kind: 'truncated', message: `audit rows ${expectedSeq}…${headSeq} are missing (newest rows deleted)` });
  else if (head !== undefined && head.hash !== previousHash) add({ seq: headSeq, kind: 'edited', message: `audit row ${headSeq} does not match the recorded chain head` });
  return { ok: problems.length === 0, checked, headSeq, problems };
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
