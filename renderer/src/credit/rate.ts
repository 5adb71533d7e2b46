/**
 * Interest rates are typed as a percentage per year (4.35 for 4.35%) and kept as integer basis
 * points (435), like money in fen: the digits are moved, never multiplied as a binary fraction,
 * so 4.35 never becomes 434.99999.
 */

export type RateParse = { ok: true; basisPoints: number } | { ok: false; reason: 'blank' | 'format' | 'precision' };

const PERCENT_PATTERN = /^(\d{1,3})(?:\.(\d+))?%?$/;

/** "4.35" or "4.35%" (full-width digits from a Chinese IME too) → 435; more than two decimals is refused, not rounded. */
export function percentToBasisPoints(text: string | null | undefined): RateParse {
  const value = (text ?? '').normalize('NFKC').replace(/\s+/g, '');
  if (value === '') return { ok: false, reason: 'blank' };
  const match = PERCENT_PATTERN.exec(value);
  if (!match) return { ok: false, reason: 'format' };
  const [, whole, fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, reason: 'precision' };
  return { ok: true, basisPoints: Number(whole) * 100 + Number(fraction.padEnd(2, '0')) };
}

/** 435 → "4.35", 400 → "4.00": the percentage as a bank writes it, two decimals. */
export function basisPointsToPercent(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) throw new RangeError(`not a rate in basis points: ${basisPoints}`);
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
}
