/**
 * Instants are stored in UTC; a county branch reads them in Beijing time whatever the laptop's
 * time-zone setting, written YYYY-MM-DD HH:mm:ss in both languages (README: dates are YYYY-MM-DD;
 * 02/12/2026 reads as February in English).
 */
const beijing = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function formatInstant(iso: string): string {
  const part = Object.fromEntries(beijing.formatToParts(new Date(iso)).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/**
 * An amount in 分 as 元 with thousands separators and all its 分: registers and loan details show
 * the exact figure (123456789 → "1,234,567.89"); summaries use 万元 (shared/domain/money.ts).
 */
export { formatYuan } from '../../shared/domain/money.ts';

/** A rate in basis points as a percentage: 435 → "4.35%". */
export { formatRate } from '../../shared/domain/loan.ts';
