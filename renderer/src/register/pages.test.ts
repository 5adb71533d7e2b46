import { describe, expect, it } from 'vitest';
import { foldTotal } from './pages.ts';

const page = (count: number, total: number, totalCapped?: boolean) => ({ rows: Array.from({ length: count }, (_, i) => i), total, ...(totalCapped !== undefined && { totalCapped }) });

describe('foldTotal', () => {
  it('takes an exact total as it is', () => {
    expect(foldTotal(null, page(100, 3_250), 0, 100)).toEqual({ count: 3_250, capped: false });
    expect(foldTotal({ count: 3_250, capped: false }, page(100, 3_249), 100, 100)).toEqual({ count: 3_249, capped: false });
  });

  it('keeps a capped total as a bound that only rises', () => {
    const first = foldTotal(null, page(100, 1_000, true), 0, 100);
    expect(first).toEqual({ count: 1_000, capped: true });
    // A page beyond the bound proves more rows exist.
    expect(foldTotal(first, page(100, 1_000, true), 1_000, 100)).toEqual({ count: 1_100, capped: true });
    // A page that answers a lower cap (counted from its own offset) never lowers what is known.
    expect(foldTotal({ count: 1_100, capped: true }, page(100, 600, true), 500, 100)).toEqual({ count: 1_100, capped: true });
  });

  it('learns the exact end from a short page', () => {
    expect(foldTotal({ count: 1_100, capped: true }, page(37, 1_100, true), 1_100, 100)).toEqual({ count: 1_137, capped: false });
    // Once the end is known, later capped answers do not turn it back into a bound.
    expect(foldTotal({ count: 1_137, capped: false }, page(100, 1_000, true), 200, 100)).toEqual({ count: 1_137, capped: false });
  });
});
