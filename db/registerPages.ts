import type { Db } from './open.ts';

/**
 * Pieces every register's paged list is built from (db/loans.ts, db/collateral.ts): a filter's value
 * list as named parameters, the order of ties, and a page's rows read whole by rowid in the order the
 * walk found them.
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

/**
 * A sort's own index, walked to page many matches: `ties` are its columns after the key, the order
 * a walk gives equal keys (then rowid; all backwards for DESC).
 */
export interface SortWalk {
  index: string;
  column: string;
  ties: string;
}

/**
 * The columns, after the key, that matches sorted whole are ordered by: the walk's ties, then rowid.
 * Whether a page is walked or sorted whole depends on its offset (what each reads), so both must
 * order ties alike, or a tie straddling the page where the choice changes is lost or shown twice.
 * The index they are sorted from must hold these columns to stay index-only.
 */
export function tieColumns(walk: SortWalk, alias: string): string[] {
  return [...walk.ties.split(', ').map((column) => `${alias}.${column}`), `${alias}.rowid`];
}
