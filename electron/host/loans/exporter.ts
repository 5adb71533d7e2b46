import { loanImportFieldLabels as label, type LoanListFilter, type LoanSort } from '../../../shared/api/loans.ts';
import { guaranteeModeWords } from '../../../shared/domain/guarantee.ts';
import { formatRate, loanClassificationWords, loanStatusWords } from '../../../shared/domain/loan.ts';
import { listLoans, type LoanListRow } from '../../../db/loans.ts';
import type { Db } from '../../../db/open.ts';
import { HostFailure } from '../context.ts';
import { beijingTime, exportWorkbook, type SheetColumn } from '../../../shared/node/workbook.ts';

/**
 * The filtered loan register as an .xlsx: the import's own headers and words, amounts in 元 as
 * numbers, so an exported file imports back (matched on the loan number).
 */
export const MAX_EXPORT_LOANS = 100_000;

const yuan = (fen: number) => fen / 100;

const columns: SheetColumn<LoanListRow>[] = [
  { header: label.loanNumber, width: 24, value: (r) => r.loan_number },
  { header: label.enterpriseName, width: 36, value: (r) => r.enterprise_name },
  { header: label.uscc, width: 22, value: (r) => r.enterprise_uscc },
  { header: label.amount, width: 16, value: (r) => yuan(r.amount_fen) },
  { header: label.balance, width: 16, value: (r) => yuan(r.balance_fen) },
  { header: '余额日期', width: 12, value: (r) => r.balance_as_of },
  { header: label.disbursedOn, width: 12, value: (r) => r.disbursed_on },
  { header: label.maturesOn, width: 12, value: (r) => r.matures_on },
  { header: label.rate, width: 10, value: (r) => formatRate(r.rate_bp) },
  { header: label.classification, width: 10, value: (r) => loanClassificationWords[r.classification] },
  { header: label.guaranteeMode, width: 14, value: (r) => guaranteeModeWords[r.guarantee_mode] },
  { header: label.status, width: 10, value: (r) => loanStatusWords[r.status] },
  { header: label.purpose, width: 30, value: (r) => r.purpose ?? '' },
  { header: '更新时间（北京时间）', width: 18, value: (r) => beijingTime(r.updated_at) },
];

export async function exportLoans(db: Db, filter: LoanListFilter, sort: LoanSort, now: Date): Promise<{ fileName: string; contentBase64: string; rows: number }> {
  const { rows, total } = listLoans(db, filter, sort, 0, MAX_EXPORT_LOANS, true);
  if (total > MAX_EXPORT_LOANS) throw new HostFailure('PAYLOAD_TOO_LARGE', `符合条件的借据有 ${total} 笔，一次最多导出 ${MAX_EXPORT_LOANS} 笔；请缩小筛选范围`);
  return exportWorkbook('借据', columns, rows, now);
}
