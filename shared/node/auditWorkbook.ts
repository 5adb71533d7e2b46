import type ExcelJS from 'exceljs';
import type { AuditChainRow } from './auditChain.ts';

/**
 * The audit trail's sheet in an .xlsx export, one layout for the laptop's 审计日志 export
 * (electron/host/handlers/audit.ts) and head office's (server/headOfficeAudit.ts).
 */
export function addAuditSheet(workbook: ExcelJS.Workbook, name = '审计日志 Audit'): { add(row: AuditChainRow): void } {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = [
    { header: '序号 Seq', key: 'seq', width: 8 },
    { header: '时间 Time (UTC)', key: 'at', width: 26 },
    { header: '用户 User', key: 'user', width: 16 },
    { header: '操作 Action', key: 'action', width: 18 },
    { header: '记录类型 Record type', key: 'recordType', width: 16 },
    { header: '记录 Record', key: 'recordId', width: 38 },
    { header: '修改前 Before', key: 'before', width: 50 },
    { header: '修改后 After', key: 'after', width: 50 },
    { header: '哈希 Hash', key: 'hash', width: 66 },
  ];
  sheet.getRow(1).font = { bold: true };
  return {
    add: (row) =>
      sheet.addRow({ seq: row.seq, at: row.at, user: row.user_name ?? '', action: row.action, recordType: row.record_type, recordId: row.record_id ?? '', before: row.before ?? '', after: row.after ?? '', hash: row.hash }),
  };
}
