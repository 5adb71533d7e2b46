import { percentile } from '../harness.ts';

/** `50k` for 50,000: the suffix of a scenario measured at one register size. */
export const sizeName = (size: number): string => `${size / 1000}k`;

/**
 * Issue 20's growth rule, p95 at a size ≤ 1.5 × p95 at the size before, in the same run: a register
 * scenario measured at several sizes (one register grown between them, smallest first) records each
 * size's p95 and reports `p95_growth_from_<previous size>` (1 = flat). One tracker per scenario kind.
 */
export function growthTracker(sizes: readonly number[]): (size: number, sortedSamples: readonly number[]) => Record<string, number> {
  const p95s = new Map<number, number>();
  return (size, sortedSamples) => {
    const p95 = percentile(sortedSamples, 95);
    p95s.set(size, p95);
    const previous = sizes[sizes.indexOf(size) - 1];
    const before = previous === undefined ? undefined : p95s.get(previous);
    return previous === undefined || before === undefined ? {} : { [`p95_growth_from_${sizeName(previous)}`]: Math.round((p95 / before) * 100) / 100 };
  };
}

/**
 * p95 per kind of request (`p95_ms_<kind>`, with `n_<kind>` requests), from durations in call order
 * (timeEach): which kind of page grows with the register, read from the same run as the growth ratio.
 */
export function p95ByKind(kinds: readonly string[], durations: ArrayLike<number>): Record<string, number> {
  const byKind = new Map<string, number[]>();
  kinds.forEach((kind, i) => {
    const list = byKind.get(kind) ?? [];
    list.push(durations[i]!);
    byKind.set(kind, list);
  });
  const entries = [...byKind].sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(
    entries.flatMap(([kind, values]) => [
      [`p95_ms_${kind}`, Math.round(percentile(values.sort((a, b) => a - b), 95) * 100) / 100],
      [`n_${kind}`, values.length],
    ]),
  );
}
