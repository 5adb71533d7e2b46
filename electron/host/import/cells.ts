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
