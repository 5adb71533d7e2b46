import type { TFunction } from 'i18next';
import { formatRate, formatYuan } from '../format.ts';

/** Columns that link a snapshot to this very loan, or are kept for search: a raw id to an officer. */
const hiddenFields = new Set(['loan_id', 'enterprise_id', 'branch_id', 'number_search', 'name_search']);
const moneyFields = new Set(['amount_fen', 'balance_fen']);

/**
 * An audited loan or snapshot column as an officer reads it: 分 as 元, the rate as a percentage,
 * classification, status and guarantee mode in words. Anything else is shown as recorded.
 */
export function loanHistoryValue(field: string, value: unknown, t: TFunction): string | null | undefined {
  if (hiddenFields.has(field)) return null;
  if (value === null || value === undefined || value === '') return '—';
  if (moneyFields.has(field) && typeof value === 'number') return `${formatYuan(value)} ${t('loans.form.yuanUnit')}`;
  switch (field) {
    case 'rate_bp':
      return typeof value === 'number' ? formatRate(value) : undefined;
    case 'classification':
      return t(`loans.classifications.${String(value)}`, { defaultValue: String(value) });
    case 'status':
      return t(`loans.statuses.${String(value)}`, { defaultValue: String(value) });
    case 'guarantee_mode':
      return t(`loans.guaranteeModes.${String(value)}`, { defaultValue: String(value) });
    default:
      return undefined;
  }
}

/** A loan or snapshot column's name in the loan's words (贷款金额, not an application's 申请金额). */
export function loanHistoryLabel(field: string, t: TFunction): string | undefined {
  const key = `loans.historyFields.${field}`;
  return t(key, { defaultValue: '' }) || undefined;
}
