import ExcelJS from 'exceljs';
import { addAuditSheet } from '../../../shared/node/auditWorkbook.ts';
import type { AuditEntry, AuditFilter } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import type { AuditRow } from '../../../db/audit.ts';
import { verifyAuditChain } from '../../../db/audit.ts';
import { iterateAudit, queryAudit, recordHistory as historyOf, type AuditQuery } from '../../../db/auditQueries.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';

/** Export cap: an audit export larger than this should be narrowed by filters (and would not fit one xlsx sheet comfortably). */
const MAX_EXPORT_ROWS = 200_000;

function parseJson(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    userId: row.user_id,
    userName: row.user_name,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    before: parseJson(row.before),
    after: parseJson(row.after),
  };
}

/** Filter dates are local calendar dates in Asia/Shanghai (UTC+8, no daylight saving). */
function toQuery(filter: AuditFilter): AuditQuery {
  const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000).toISOString();
  return {
    ...(filter.userId !== undefined && { userId: filter.userId }),
    ...(filter.recordType !== undefined && { recordType: filter.recordType }),
    ...(filter.recordId !== undefined && { recordId: filter.recordId }),
    ...(filter.from !== undefined && { fromAt: new Date(`${filter.from}T00:00:00+08:00`).toISOString() }),
    ...(filter.to !== undefined && { toAt: nextDay(filter.to) }),
  };
}

export const auditList: Handler<'audit.list'> = (ctx, _call, input) => {
  const { page, pageSize, ...filter } = input;
  const { rows, total } = queryAudit(ctx.store.db, toQuery(filter), pageSize, (page - 1) * pageSize);
  return { rows: rows.map(toAuditEntry), total };
};

export const auditVerify: Handler<'audit.verify'> = (ctx) => verifyAuditChain(ctx.store.db);

export const auditExport: Handler<'audit.export'> = async (ctx, _call, filter) => {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GreenLedger';
  const sheet = addAuditSheet(workbook);
  let count = 0;
  for (const row of iterateAudit(ctx.store.db, toQuery(filter))) {
    count += 1;
    if (count > MAX_EXPORT_ROWS) throw new HostFailure('PAYLOAD_TOO_LARGE', `More than ${MAX_EXPORT_ROWS} audit rows; narrow the filter`);
    sheet.add(row);
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  const stamp = ctx.now().toISOString().slice(0, 10);
  return { fileName: `audit-${stamp}.xlsx`, contentBase64: buffer.toString('base64'), rows: count };
};

/** Anyone who may read records sees their history; user accounts' history is for administrators. */
export const recordHistory: Handler<'records.history'> = (ctx, call, input) => {
  const user = signedInUser(call);
  if ((input.recordType === 'users' || input.recordType === 'session') && !can(user.role, 'audit.read')) {
    throw new HostFailure('FORBIDDEN', 'Only administrators can read account history');
  }
  return historyOf(ctx.store.db, input.recordType, input.recordId).map(toAuditEntry);
};
