import { formatWanYuan, formatYuan, yuanToFen, type YuanParse } from '../../../shared/domain/money.ts';

/**
 * Typed figures for the 财务与能耗 tab. Money is typed in 元 and sent as integer fen (yuanToFen);
 * quantities (tce, m³, t) stay exact decimal strings end to end, never floats.
 */

/** A typed quantity as the API's decimal string: spaces and full-width digits folded, correct thousands separators dropped; blank is null (not reported). */
export function quantityInput(text: string | null | undefined): string | null {
  const value = (text ?? '').normalize('NFKC').replace(/\s+/g, '');
  if (value === '') return null;
  return /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(value) ? value.replaceAll(',', '') : value;
}

/** 12345.6789 → "12,345.6789", digit by digit (the string is exact and stays so). */
export function formatQuantity(value: string | null): string {
  if (value === null) return '—';
  const [whole = '', fraction] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A typed 元 amount; blank is its own case so the form can say 「必填」. */
export function yuanInput(text: string | null | undefined): YuanParse | { ok: false; reason: 'blank' } {
  const value = (text ?? '').trim();
  return value === '' ? { ok: false, reason: 'blank' } : yuanToFen(value);
}

/** Fen back into the 元 box when a year is edited: "12,345,678.90". */
export const yuanText = (fen: number): string => formatYuan(fen);

export const wanYuan = (fen: number): string => formatWanYuan(fen);

/**
 * 资产负债率 as a percentage with one decimal, in integer arithmetic (liabilities and assets are
 * fen); null when there are no assets to divide by.
 */
export function debtRatio(liabilities: number, totalAssets: number): string | null {
  if (totalAssets <= 0) return null;
  const permille = (BigInt(liabilities) * 2000n + BigInt(totalAssets)) / (2n * BigInt(totalAssets));
  return `${permille / 10n}.${permille % 10n}%`;
}
