import type { Db } from './open.ts';

/**
 * Pieces every register's paged list is built from (db/loans.ts, db/collateral.ts): a filter's value
 * list as named parameters, and a page's rows read whole by rowid in the order the walk found them.
 */

/** `@name0, @name1, …` for an IN (…) list, the values put into params. */
export function inList(name: string, values: readonly string[], params: Record<string, unknown>): string {
  return values
    .map((value, i) => {
      params[`${name}${i}`] = value;
      return `@${name}${i}`;
    })
    .join(', ');
}

/**
 * The rows of a page by their rowids, in that order. `select` reads the rows with their rowid as
 * `__rowid` and ends where `WHERE <alias>.rowid IN (…)` can follow.
 */
export function rowsInOrder<R>(db: Db, select: string, alias: string, rowids: readonly number[]): R[] {
  if (rowids.length === 0) return [];
  const byRowid = new Map(
    (db.prepare(`${select} WHERE ${alias}.rowid IN (SELECT value FROM json_each(?))`).all(JSON.stringify(rowids)) as (R & { __rowid: number })[]).map(({ __rowid, ...row }) => [__rowid, row as R]),
  );
  return rowids.map((rowid) => byRowid.get(rowid)!);
}
