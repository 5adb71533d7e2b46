import { z } from 'zod';

/**
 * The input of a register's list method (enterprises, credit applications, loans …): a filter, a
 * sort, and a page of at most 500 rows, paged and sorted in SQL. One shape, so the register list
 * (renderer/src/register/) drives every register the same way.
 */
export function pagedListInput<F extends z.ZodObject, S extends z.ZodObject>(filter: F, sort: S, defaultSort: z.input<S>) {
  return z
    .object({
      filter: filter.default({} as never),
      sort: sort.default(defaultSort as never),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict();
}

/** A page of rows and the total the filter matches. */
export function pagedListOutput<R extends z.ZodType>(row: R) {
  return z.object({ rows: z.array(row), total: z.number().int() });
}
