import { yuanToFen } from '../../../shared/domain/money.ts';

/**
 * One cell's text → a value, the way a person would have meant it (「2024年6月30日」, 「是」, 「√」),
 * or a Chinese reason naming what is wrong. The pieces every register's fields are read with;
 * a register's own words (企业规模, 五级分类 …) sit beside its import.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const problem = (text: string): Parsed<never> => ({ ok: false, problem: text });
/** A cell quoted in a reason, cut short if long. */
export const quote = (text: string) => `「${text.length > 40 ? `${text.slice(0, 40)}…` : text}」`;
/** Full-width forms to ASCII (IME input), spaces removed. */
export const fold = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

/** 「大型、中型、小型 或 微型」: the file format's words for a coded value, as a reason names them. */
export function oneOf(words: Record<string, string>): string {
  const all = Object.values(words);
  return all.length === 1 ? (all[0] as string) : `${all.slice(0, -1).join('、')} 或 ${all[all.length - 1] as string}`;
}

/** 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日, 20240630 → 2024-06-30; checked against the calendar. */
export function localDate(text: string): Parsed<string> {
  const folded = fold(text);
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(folded) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(folded);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2100) {
      return ok(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
  }
  return problem(`应为日期（如 2024-06-30），现为${quote(text)}`);
}

export function yesNo(text: string): Parsed<boolean> {
  const folded = fold(text).toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '在', '列入', '已列入'].includes(folded)) return ok(true);
  if (['否', 'n', 'no', 'false', '0', '×', '✗', '不在', '未列入', '-'].includes(folded)) return ok(false);
  return problem(`应为 是 或 否，现为${quote(text)}`);
}

/** Free text: trimmed, inner runs of white space as one space. */
export const text = (value: string): Parsed<string> => ok(value.trim().replace(/\s+/g, ' '));

/** Moves the decimal point `places` to the right in a plain decimal: "1.2345" × 10^4 → "12345". */
function shiftDecimal(digits: string, places: number): string {
  const [whole = '', fraction = ''] = digits.split('.');
  const moved = (whole + fraction.padEnd(places, '0').slice(0, places)).replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(places);
  return rest === '' ? moved : `${moved}.${rest}`;
}

/**
 * 1,234,567.89 / ¥1234567.89 / 1234567.89元 → fen. The header decides the unit: 「贷款金额（万元）」
 * holds 万元, which core systems and bank reports use as often as 元. Never a float.
 */
export function money(value: string, header: string): Parsed<number> {
  const inWan = /万元/.test(header.normalize('NFKC'));
  const cleaned = fold(value).replace(/^[¥￥]/, '').replace(/(万元|元)$/, '');
  if (/^-/.test(cleaned)) return problem(`不能为负数，现为${quote(value)}`);
  if (!/^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(cleaned)) return problem(`应为金额（如 1,234,567.89），现为${quote(value)}`);
  const yuan = inWan ? shiftDecimal(cleaned.replaceAll(',', ''), 4) : cleaned;
  const parsed = yuanToFen(yuan);
  if (parsed.ok) return ok(parsed.fen);
  if (parsed.reason === 'precision') return problem(`金额精确到分${inWan ? '（万元列最多 6 位小数）' : ''}，现为${quote(value)}`);
  return problem(`金额过大，现为${quote(value)}`);
}
