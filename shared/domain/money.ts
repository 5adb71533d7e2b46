import { z } from 'zod';

/**
 * Money is an integer number of 分 (fen, 0.01 元), never a float: 0.1 + 0.2 元 must not become
 * 0.30000000000000004 元 in a loan balance. A JS number holds every integer up to 2^53 − 1 fen
 * (about 90 万亿元) exactly, far above any county figure, and it crosses JSON unchanged; bigint
 * would not. Parsing and formatting work on digit strings, so no value ever passes through a
 * binary fraction.
 */

/** An amount in fen at the API boundary: a safe integer, may be negative (a loss, a reversal). */
export const fenSchema = z.int();

/** An amount in fen that cannot be negative (balances, appraised values, total assets). */
export const nonNegativeFenSchema = z.int().nonnegative();

export type YuanParse = { ok: true; fen: number } | { ok: false; reason: 'format' | 'precision' | 'range' };

const YUAN_PATTERN = /^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/**
 * Parses a typed 元 amount ("1,234.56", "-0.01", "８８" from a Chinese IME) into fen. More than
 * two decimals is an error, not a rounding: a figure typed with three decimals is usually 万元
 * or 千元 mistaken for 元. Thousands separators, if used, must group correctly.
 */
export function yuanToFen(text: string): YuanParse {
  const match = YUAN_PATTERN.exec(text.normalize('NFKC').trim());
  if (!match) return { ok: false, reason: 'format' };
  const [, sign, integerPart, fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, reason: 'precision' };
  const fen = BigInt(integerPart!.replaceAll(',', '') + fraction.padEnd(2, '0'));
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'range' };
  // Number(0n) is 0, so "-0.00" yields 0, never -0.
  return { ok: true, fen: Number(sign === '-' ? -fen : fen) };
}

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an amount in fen: ${fen}`);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Fen as 元 with thousands separators and two decimals: 123456789 → "1,234,567.89". */
export function formatYuan(fen: number): string {
  assertFen(fen);
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const text = `${groupThousands(digits.slice(0, -2))}.${digits.slice(-2)}`;
  return fen < 0 ? `-${text}` : text;
}

const FEN_PER_WAN_YUAN = 1_000_000n;

/**
 * Fen as 万元, the unit of bank reports: 123456789 → "123.46". Rounds half away from zero
 * (四舍五入), as reports do; `decimals` 0–6 (6 is exact to the fen).
 */
export function formatWanYuan(fen: number, decimals = 2): string {
  assertFen(fen);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) throw new RangeError(`decimals must be 0–6, got ${decimals}`);
  const scale = 10n ** BigInt(decimals);
  const magnitude = BigInt(Math.abs(fen));
  const rounded = (magnitude * scale * 2n + FEN_PER_WAN_YUAN) / (2n * FEN_PER_WAN_YUAN);
  const whole = groupThousands(String(rounded / scale));
  const text = decimals === 0 ? whole : `${whole}.${String(rounded % scale).padStart(decimals, '0')}`;
  // A small loss that rounds to zero prints as 0.00, not -0.00.
  return fen < 0 && rounded !== 0n ? `-${text}` : text;
}
