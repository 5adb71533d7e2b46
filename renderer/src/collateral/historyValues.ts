import type { TFunction } from 'i18next';
import { formatInstant, formatRate, formatYuan } from '../format.ts';

/** Links to records shown elsewhere on the page (the item itself, its pledgor and loans, the people by name), raw JSON. */
const hiddenFields = new Set(['item_id', 'loan_id', 'enterprise_id', 'branch_id', 'maker_id', 'checker_id', 'owner_id', 'owner_type', 'sha256', 'inputs', 'details']);
const moneyFields = new Set(['appraised_value_fen', 'pledged_value_fen', 'value_fen', 'secured_amount_fen']);

/**
 * An audited column of an item, its appraisals or loan links as an officer reads it: 分 as 元, the
 * rate as a percentage, type, status and method in words. Anything else is shown as recorded.
 */
export function collateralHistoryValue(field: string, value: unknown, t: TFunction): string | null | undefined {
  if (hiddenFields.has(field)) return null;
  if (value === null || value === undefined || value === '') return '—';
  if (moneyFields.has(field) && typeof value === 'number') return t('collateral.detail.yuan', { amount: formatYuan(value) });
  switch (field) {
    case 'pledge_rate_bp':
      return typeof value === 'number' ? formatRate(value) : undefined;
    case 'type':
      return t(`collateral.types.${String(value)}`, { defaultValue: String(value) });
    case 'status':
      return t(`collateral.statuses.${String(value)}`, { defaultValue: String(value) });
    case 'decided_at':
      return typeof value === 'string' ? formatInstant(value) : undefined;
    case 'method':
      return t(`collateral.methods.${String(value)}`, { defaultValue: String(value) });
    default:
      return undefined;
  }
}

/** A column's name in the register's words (评估价值, 登记证明编号 …). */
export function collateralHistoryLabel(field: string, t: TFunction): string | undefined {
  return t(`collateral.historyFields.${field}`, { defaultValue: '' }) || undefined;
}
