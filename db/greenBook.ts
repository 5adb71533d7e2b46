import { benefitIndicators } from '../shared/domain/environmentalBenefit.ts';
import { loanClassifications } from '../shared/domain/loan.ts';
import { benefitColumns } from './green.ts';
import { prepared, type Db } from './open.ts';

/**
 * Repository of the green book (migration 0032): per loan with a confirmed tag, one row per live
 * snapshot with the interval it holds for (as_of <= D < until) and what the reports group by. A
 * report folds the rows as of its day in one pass over the table's key: an SQL aggregate hands each
 * row to the caller's sink (no object or array per row: that marshalling, not SQLite, was most of a
 * 50,000-loan report's time), in pages that let other calls run in between.
 */

/**
 * What a report reads of one row, in green_book_fold's argument order: integers where it can (a
 * string per row and argument is what the fold costs): the class as its index in loanClassifications,
 * the tag as "version:code" (null without evidence: never green), figures in benefitIndicators order.
 */
export interface GreenBookSink {
  row(
    loanRowid: number,
    enterpriseKey: number,
    balance: number,
    classIndex: number,
    tag: string | null,
    focusGroup: string | null,
    divisionCode: string,
    investment: number | null,
    coal: string | null,
    co2: string | null,
    cod: string | null,
    nh3n: string | null,
    so2: string | null,
    nox: string | null,
    water: string | null,
  ): void;
}

/** Which of the row's arguments a fold reads: 'figures' only the first five (loan, borrower, balance, class, tag). */
export type GreenBookColumns = 'all' | 'figures';

let sink: GreenBookSink | undefined;
const registered = new WeakSet<Db>();

function registerFold(db: Db): void {
  if (registered.has(db)) return;
  // Fixed arity (better-sqlite3 takes it from the function's length): no rest array per row.
  const step = (n: number, l: number, e: number, b: number, c: number, t: string | null, f: string | null, d: string, i: number | null, f0: string | null, f1: string | null, f2: string | null, f3: string | null, f4: string | null, f5: string | null, f6: string | null) => {
    sink!.row(l, e, b, c, t, f, d, i, f0, f1, f2, f3, f4, f5, f6);
    return n + 1;
  };
  // The figures (the dashboard's three days, 三个不低于's four) need neither places nor benefits: a
  // string per argument and row is most of what SQLite spends handing a row over.
  const figures = (n: number, l: number, e: number, b: number, c: number, t: string | null) => {
    (sink as unknown as { row(l: number, e: number, b: number, c: number, t: string | null): void }).row(l, e, b, c, t);
    return n + 1;
  };
  db.aggregate('green_book_fold', { start: 0, step: step as unknown as (total: number, next: unknown) => number });
  db.aggregate('green_book_figures', { start: 0, step: figures as unknown as (total: number, next: unknown) => number });
  registered.add(db);
}

/** The largest loan and borrower rowids (a fold's marks are a byte per key up to them). */
export function greenBookKeyBounds(db: Db): { loans: number; enterprises: number } {
  return prepared(db, 'SELECT (SELECT coalesce(max(rowid), 0) FROM loans) AS loans, (SELECT coalesce(max(rowid), 0) FROM enterprises) AS enterprises').get() as { loans: number; enterprises: number };
}

const CLASS_INDEX = `CASE classification ${loanClassifications.map((c, i) => `WHEN '${c}' THEN ${i}`).join(' ')} END`;
const FIGURES = `loan_rowid, enterprise_key, balance_fen, ${CLASS_INDEX}, CASE WHEN has_evidence THEN catalogue_version || ':' || catalogue_code END`;
const ARGUMENTS = `${FIGURES}, focus_group, division_code, project_total_investment_fen, ${benefitIndicators.map((indicator) => benefitColumns[indicator]).join(', ')}`;
// The book as of D is every row with until > D and as_of <= D. Read as one range of the key on until
// alone, that walks every row after D too (an early day's report walked nearly the whole book: 11 of
// 12 monthly rows per loan, 0.8 s at 500,000 loans). Instead the read skips from one distinct until
// above D to the next (one key seek each: as many as there are snapshot days after D) and reads the
// rows as_of <= D of each: the rows it walks are the rows it folds.
// A page is a key range: its last key is found first (a walk of `limit` keys), then the fold reads
// the rows up to it straight from the table. Folding the rows of an ORDER BY … LIMIT subquery instead
// copied every column of every row through a co-routine: about a third of a report's time.
const NEXT_UNTIL = 'SELECT min(until) FROM green_book WHERE until > ?';
const IN_UNTIL = 'until = @until AND as_of <= @day';
const PAST = '(as_of, loan_rowid, snapshot_rowid) > (@asOf, @loanRowid, @snapshotRowid)';
const AFTER = `${IN_UNTIL} AND ${PAST}`;
// Up to a page's last key (itself as_of <= D): the range's upper end in place of as_of <= D, so the
// seek stops there (with both, SQLite ends the range at as_of <= D and filters the rest).
const UP_TO = 'until = @until AND (as_of, loan_rowid, snapshot_rowid) <= (@toAsOf, @toLoanRowid, @toSnapshotRowid)';
const ORDER = 'as_of, loan_rowid, snapshot_rowid';
const fold = (where: string, columns: GreenBookColumns = 'all') => (columns === 'all' ? `SELECT green_book_fold(${ARGUMENTS}) FROM green_book WHERE ${where}` : `SELECT green_book_figures(${FIGURES}) FROM green_book WHERE ${where}`);
const lastKey = (where: string) => `SELECT as_of AS toAsOf, loan_rowid AS toLoanRowid, snapshot_rowid AS toSnapshotRowid FROM green_book WHERE ${where} ORDER BY ${ORDER} LIMIT 1 OFFSET @limit - 1`;

interface PageKey {
  toAsOf: string;
  toLoanRowid: number;
  toSnapshotRowid: number;
}

/**
 * Feeds `into` every green-book row as of `day` (each loan's newest live snapshot on or before it),
 * `limit` rows a page, calling `between` after each full page (where the caller yields). A loan whose
 * rows a write moved while the read yielded may come twice: the caller counts a loan once. With
 * columns 'figures' the sink's row gets the first five arguments only.
 */
export async function foldGreenBook(db: Db, day: string, limit: number, into: GreenBookSink, between: (rows: number) => Promise<void>, columns: GreenBookColumns = 'all'): Promise<void> {
  registerFold(db);
  let rows = 0;
  let sincePause = 0;
  for (let until = prepared(db, NEXT_UNTIL).pluck().get(day) as string | null; until !== null; until = prepared(db, NEXT_UNTIL).pluck().get(until) as string | null) {
    let after: Record<string, string | number> | undefined;
    for (;;) {
      const where = after === undefined ? IN_UNTIL : AFTER;
      const params = { ...after, until, day, limit };
      // The page's last row; none: fewer than `limit` rows are left, the last page reads them all.
      const to = prepared(db, lastKey(where)).get(params) as PageKey | undefined;
      sink = into;
      let read: number;
      try {
        const range = to === undefined ? where : after === undefined ? UP_TO : `${UP_TO} AND ${PAST}`;
        read = prepared(db, fold(range, columns)).pluck().get({ ...params, ...to }) as number;
      } finally {
        sink = undefined;
      }
      rows += read;
      sincePause += read;
      if (to === undefined) break;
      after = { asOf: to.toAsOf, loanRowid: to.toLoanRowid, snapshotRowid: to.toSnapshotRowid };
      if (sincePause >= limit) {
        sincePause = 0;
        await between(rows);
      }
    }
    if (sincePause >= limit) {
      sincePause = 0;
      await between(rows);
    }
  }
}

/** The plans of a page's reads, for the migration test: key seeks on (until, as_of), never a scan or a sort. */
export const greenBookReadSql = {
  nextUntil: NEXT_UNTIL,
  lastKey: [lastKey(IN_UNTIL), lastKey(AFTER)],
  fold: [fold(IN_UNTIL), fold(UP_TO), fold(AFTER), fold(`${UP_TO} AND ${PAST}`)],
};

/** A live loan's number and borrower's name, for the drill-down's rows. */
export function greenBookLoanFacts(db: Db, loanRowid: number): { loanId: string; loanNumber: string; enterpriseId: string; enterpriseName: string } {
  return prepared(db, "SELECT l.id AS loanId, l.loan_number AS loanNumber, l.enterprise_id AS enterpriseId, coalesce(e.name, '') AS enterpriseName FROM loans l LEFT JOIN enterprises e ON e.id = l.enterprise_id WHERE l.rowid = ?").get(
    loanRowid,
  ) as { loanId: string; loanNumber: string; enterpriseId: string; enterpriseName: string };
}

/** An enterprise's key in the book (its rowid), or undefined when it is not on file. */
export function enterpriseKeyOf(db: Db, enterpriseId: string): number | undefined {
  return prepared(db, 'SELECT rowid FROM enterprises WHERE id = ?').pluck().get(enterpriseId) as number | undefined;
}

/** The book as kept and as recomputed from loans, tags, snapshots and borrowers: the tests hold one to the other. */
export function greenBookRows(db: Db, from: 'kept' | 'source'): Record<string, unknown>[] {
  return db.prepare(`SELECT * FROM ${from === 'kept' ? 'green_book' : 'green_book_source'} ORDER BY until, as_of, loan_rowid, snapshot_rowid`).all() as Record<string, unknown>[];
}

/** 0032's first fill, again: after a bulk load that set the book's triggers aside (the bench). */
export function rebuildGreenBook(db: Db): void {
  db.exec('DELETE FROM green_book; INSERT INTO green_book SELECT * FROM green_book_source;');
}
