import { z } from 'zod';

/**
 * How far past the page a large register counts (issue 20). Counting every match on every page
 * costs what the register holds, not what the page shows: a register list counts at most this many
 * matches past the page and then says it stopped (totalCapped: at least `total` match, shown as
 * 「1,100+」, growing as the user scrolls); the exact number is counted on demand (exactTotal, 精确统计).
 */
// 1,000: counting 10,000 past the page was most of a page's cost (p50 ~24 ms at 100k and 500k loans, bench).
export const LIST_COUNT_AHEAD = 1_000;

/**
 * The input of a register's list method (enterprises, credit applications, loans …): a filter, a
 * sort, and a page of at most 500 rows, paged and sorted in SQL. One shape, so the register list
 * (renderer/src/register/) drives every register the same way. `exactTotal` asks a register that
 * caps its count (LIST_COUNT_AHEAD) for every match counted; a small register always counts exactly.
 */
export function pagedListInput<F extends z.ZodObject, S extends z.ZodObject>(filter: F, sort: S, defaultSort: z.input<S>) {
  return z
    .object({
      filter: filter.default({} as never),
      sort: sort.default(defaultSort as never),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
      exactTotal: z.boolean().default(false),
    })
    .strict();
}

/** A page of rows and the total the filter matches; with totalCapped, at least that many (the count stopped). */
export function pagedListOutput<R extends z.ZodType>(row: R) {
  return z.object({ rows: z.array(row), total: z.number().int(), totalCapped: z.boolean().optional() });
}
