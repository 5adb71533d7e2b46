import { LIST_COUNT_AHEAD, type LoanListFilter, type LoanSort, type LoanSummary } from '../shared/api/loans.ts';
import { guaranteeModes, type GuaranteeMode } from '../shared/domain/guarantee.ts';
import { loanClassifications, loanStatuses, normalizeLoanNumber, type Loan, type LoanClassification, type LoanStatus } from '../shared/domain/loan.ts';
import type { ExposureLoan } from '../shared/domain/exposure.ts';
import { enterpriseSearchIds } from './enterprises.ts';
import { prepared, type Db } from './open.ts';
import { inList, rowsInOrder, tieColumns, type SortWalk } from './registerPages.ts';
import type { Row } from './records.ts';

/** Repository of the loan ledger (借据) and its balance snapshots: loan ↔ columns, and the register's queries. */
export interface LoanRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  loan_number: string;
  enterprise_id: string;
  application_id: string | null;
  amount_fen: number;
  balance_fen: number;
  balance_as_of: string;
  disbursed_on: string;
  matures_on: string;
  rate_bp: number;
  classification: LoanClassification;
  guarantee_mode: GuaranteeMode;
  status: LoanStatus;
  purpose: string | null;
}

/** A loan with its borrower's name and USCC, as the register shows it. */
export interface LoanListRow extends LoanRow {
  enterprise_name: string;
  enterprise_uscc: string;
}

export interface LoanSnapshotDbRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  loan_id: string;
  as_of: string;
  balance_fen: number;
  classification: LoanClassification;
}

export function loanColumns(loan: Loan): Row {
  return {
    loan_number: loan.loanNumber,
    enterprise_id: loan.enterpriseId,
    application_id: loan.applicationId,
    amount_fen: loan.amount,
    balance_fen: loan.balance,
    balance_as_of: loan.balanceAsOf,
    disbursed_on: loan.disbursedOn,
    matures_on: loan.maturesOn,
    rate_bp: loan.rateBp,
    classification: loan.classification,
    guarantee_mode: loan.guaranteeMode,
    status: loan.status,
    purpose: loan.purpose,
  };
}

export function loanOf(row: LoanRow): Loan {
  return {
    loanNumber: row.loan_number,
    enterpriseId: row.enterprise_id,
    applicationId: row.application_id,
    amount: row.amount_fen,
    balance: row.balance_fen,
    balanceAsOf: row.balance_as_of,
    disbursedOn: row.disbursed_on,
    maturesOn: row.matures_on,
    rateBp: row.rate_bp,
    classification: row.classification,
    guaranteeMode: row.guarantee_mode,
    status: row.status,
    purpose: row.purpose,
  };
}

export function loanSummaryOf(row: LoanListRow): LoanSummary {
  return {
    id: row.id,
    version: row.version,
    loanNumber: row.loan_number,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    enterpriseUscc: row.enterprise_uscc,
    applicationId: row.application_id,
    amount: row.amount_fen,
    balance: row.balance_fen,
    balanceAsOf: row.balance_as_of,
    disbursedOn: row.disbursed_on,
    maturesOn: row.matures_on,
    rateBp: row.rate_bp,
    classification: row.classification,
    guaranteeMode: row.guarantee_mode,
    status: row.status,
    updatedAt: row.updated_at,
  };
}

// A left join: a loan whose borrower's file has not arrived yet (sync) still shows, without a name.
const WITH_ENTERPRISE = `SELECT l.rowid AS __rowid, l.*, coalesce(e.name, '') AS enterprise_name, coalesce(e.uscc, '') AS enterprise_uscc FROM loans l LEFT JOIN enterprises e ON e.id = l.enterprise_id`;

export function getLoan(db: Db, id: string): LoanListRow | undefined {
  const row = prepared(db, `${WITH_ENTERPRISE} WHERE l.id = ? AND l.deleted_at IS NULL`).get(id) as (LoanListRow & { __rowid?: number }) | undefined;
  if (row !== undefined) delete row.__rowid;
  return row;
}

/** The live loan with this number (the oldest, should sync have brought in two filed offline). */
export function findLoanByNumber(db: Db, loanNumber: string): LoanRow | undefined {
  return prepared(db, 'SELECT * FROM loans INDEXED BY loans_by_number WHERE loan_number = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1').get(loanNumber) as LoanRow | undefined;
}

/** Newest first. */
export function loanSnapshots(db: Db, loanId: string): LoanSnapshotDbRow[] {
  return prepared(db, 'SELECT * FROM loan_snapshots WHERE loan_id = ? AND deleted_at IS NULL ORDER BY as_of DESC, created_at DESC').all(loanId) as LoanSnapshotDbRow[];
}

/** The loan's snapshot of a day (the oldest, should sync have brought in two). */
export function snapshotOn(db: Db, loanId: string, asOf: string): LoanSnapshotDbRow | undefined {
  return prepared(db, 'SELECT * FROM loan_snapshots WHERE loan_id = ? AND as_of = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1').get(loanId, asOf) as LoanSnapshotDbRow | undefined;
}

// ---------------------------------------------------------------------------------------------
// The register

/** Each sort walks its own index (0016), which also holds every filter column and the borrower. */
const walks: Record<LoanSort['field'], SortWalk> = {
  maturesOn: { index: 'loans_by_maturity', column: 'matures_on', ties: 'status, classification, guarantee_mode, enterprise_id' },
  disbursedOn: { index: 'loans_by_disbursement', column: 'disbursed_on', ties: 'status, classification, guarantee_mode, matures_on, enterprise_id' },
  loanNumber: { index: 'loans_by_number', column: 'loan_number', ties: 'status, classification, guarantee_mode, matures_on, enterprise_id' },
  amount: { index: 'loans_by_amount', column: 'amount_fen', ties: 'status, classification, guarantee_mode, matures_on, enterprise_id' },
  balance: { index: 'loans_by_balance', column: 'balance_fen', ties: 'status, classification, guarantee_mode, matures_on, enterprise_id' },
  updatedAt: { index: 'loans_by_updated', column: 'updated_at', ties: 'status, classification, guarantee_mode, matures_on, enterprise_id' },
};
export const loanWalks = Object.values(walks);

/**
 * At most this many matches are sorted from the index they were counted on; more are paged by
 * walking the sort's index. Above it a walk finds a page within (offset + limit) × register ÷ this
 * entries; below it the sort reads at most this many index entries (bench: 500k loans).
 */
const SORT_AFTER_READING = 10_000;

/**
 * A borrower's or a search's matches come from the borrower index, which holds every column a walk
 * orders ties by, so they are sorted whole only while that is cheaper than the walk: reading M
 * matches costs M entries, a walk finds the page within (offset + limit) × register ÷ M, so past
 * √((offset + limit) × register) the walk is cheaper and counting further is not needed. A fixed
 * SORT_AFTER_READING grew with the register (issue 20): a 2-letter initials search finds a fixed
 * share of the borrowers, whose loans were counted and then sorted whole (~850 at 50k loans, ~8,500
 * at 500k) while a walk finds the first page in ~6,000 entries at any size. The register's size is
 * its largest rowid (one seek; loans are soft-deleted, so it is close).
 */
function searchSortAfterReading(db: Db, offset: number, limit: number): number {
  const size = (prepared(db, 'SELECT max(rowid) FROM loans').pluck().get() as number | null) ?? 0;
  return Math.min(SORT_AFTER_READING, Math.ceil(Math.sqrt((offset + limit) * size)));
}

interface Plan {
  params: Record<string, unknown>;
  /** The matches as `SELECT l.rowid AS r, <columns> …`, from indexes that hold every filter column and sort key (0021). */
  matches: (columns: string) => string;
  /** The filter as a test on a sort index's columns (0016: filters, borrower, rowid). */
  walkWhere: string;
  /** The matches come from the borrower index (a borrower, or a search), which holds every tie column of a walk. */
  byBorrower: boolean;
}

/**
 * The filters as SQL over index columns only. Status, classification and guarantee mode are always
 * constrained (all values when not filtered), so an index led by them is seeked rather than
 * scanned. A borrower, or a search, narrows to the borrower index: a search is the loans of the
 * enterprises the one search box finds (by name, initials or USCC) plus a loan-number prefix.
 */
function plan(db: Db, filter: LoanListFilter): Plan {
  const params: Record<string, unknown> = {};
  // Every value of a column not filtered on, for the class index to seek by; the other indexes test
  // only real filters (0016's borrower index seeked a borrower × 5 classes × 5 modes).
  const columns = (seekAll: boolean): string => {
    const clauses = ['l.deleted_at IS NULL'];
    const oneOf = (column: string, name: string, asked: readonly string[] | undefined, all: readonly string[]) => {
      if (asked !== undefined || seekAll) clauses.push(`l.${column} IN (${inList(name, asked ?? all, params)})`);
    };
    oneOf('status', 'status', filter.status === undefined ? undefined : [filter.status], loanStatuses);
    oneOf('classification', 'class', filter.classifications, loanClassifications);
    oneOf('guarantee_mode', 'guarantee', filter.guaranteeMode === undefined ? undefined : [filter.guaranteeMode], guaranteeModes);
    if (filter.maturesFrom !== undefined) {
      params.maturesFrom = filter.maturesFrom;
      clauses.push('l.matures_on >= @maturesFrom');
    }
    if (filter.maturesTo !== undefined) {
      params.maturesTo = filter.maturesTo;
      clauses.push('l.matures_on <= @maturesTo');
    }
    return clauses.join(' AND ');
  };
  const narrow: string[] = [];
  if (filter.enterpriseId !== undefined) {
    params.enterpriseId = filter.enterpriseId;
    narrow.push('l.enterprise_id = @enterpriseId');
  }
  // No name or number holds a control character; they only separate words here.
  const query = filter.query?.replace(/\p{Cc}/gu, ' ').trim() ?? '';
  let byBorrowers: string | null = null;
  let byNumber: string | null = null;
  if (query !== '') {
    // The borrowers found once, as a list every statement below reads (a subquery of the
    // enterprises would read each found file's row again in each).
    const searchParams: Record<string, unknown> = {};
    params.borrowers = JSON.stringify(db.prepare(enterpriseSearchIds(query, searchParams)).pluck().all(searchParams));
    byBorrowers = 'l.enterprise_id IN (SELECT value FROM json_each(@borrowers))';
    const number = normalizeLoanNumber(query);
    if (/\d/.test(number) && /^[0-9A-Z_-]+$/.test(number)) {
      // A loan number prefix, or the borrower's USCC prefix (both are digits and letters).
      params.numbers = JSON.stringify(
        db.prepare('SELECT rowid FROM loans INDEXED BY loans_by_number WHERE deleted_at IS NULL AND loan_number >= ? AND loan_number < ?').pluck().all(number, `${number}~`),
      );
      byNumber = 'l.rowid IN (SELECT value FROM json_each(@numbers))';
    }
  }
  const seeking = columns(true);
  const testing = columns(false);
  const searched = byBorrowers === null ? [] : [byNumber === null ? byBorrowers : `(${byBorrowers} OR ${byNumber})`];
  const walkWhere = [testing, ...narrow, ...searched].join(' AND ');
  const matches = (selected: string): string => {
    const select = `SELECT l.rowid AS r${selected === '' ? '' : `, ${selected}`}`;
    if (narrow.length > 0) return `${select} FROM loans l INDEXED BY loans_by_enterprise WHERE ${walkWhere}`;
    if (byBorrowers === null) return `${select} FROM loans l INDEXED BY loans_by_class WHERE ${seeking}`;
    const borrowers = `${select} FROM loans l INDEXED BY loans_by_enterprise WHERE ${testing} AND ${byBorrowers}`;
    // A loan found both ways is one match; the number part reads its (few) rows by rowid (NOT INDEXED:
    // the planner, without statistics, would seek the class index and test every row it finds).
    return byNumber === null ? borrowers : `${borrowers} UNION ${select} FROM loans l NOT INDEXED WHERE ${testing} AND ${byNumber}`;
  };
  return { params, matches, walkWhere, byBorrower: narrow.length > 0 || byBorrowers !== null };
}

export interface LoanPage {
  rows: LoanListRow[];
  total: number;
  totalCapped: boolean;
}

/**
 * Filtered, sorted, paged in SQL, at a cost that follows the page, not the register (issue 20).
 * The matches are counted on an index that holds every filter column and sort key (0021), no
 * further than LIST_COUNT_AHEAD past the page (the answer then says so) or SORT_AFTER_READING; that
 * few are sorted from the same index, more are paged by walking the sort's own index, which holds
 * every filter column and stops after the page. Only the page's rows are then read whole, with
 * their borrower. Bench: bench/scenarios/loans.ts; plans: db/loans.test.ts.
 */
export function listLoans(db: Db, filter: LoanListFilter, sort: LoanSort, offset: number, limit: number, exactTotal = false): LoanPage {
  const { params, matches, walkWhere, byBorrower } = plan(db, filter);
  const readWhole = byBorrower ? searchSortAfterReading(db, offset, limit) : SORT_AFTER_READING;
  // Counted one past the cap, to know whether the cap was reached.
  const cap = Math.max(readWhole, offset + limit + LIST_COUNT_AHEAD);
  const counted = exactTotal
    ? (db.prepare(`SELECT count(*) FROM (${matches('')})`).pluck().get(params) as number)
    : (db.prepare(`SELECT count(*) FROM (${matches('')} LIMIT @cap)`).pluck().get({ ...params, cap: cap + 1 }) as number);
  const shownCap = offset + limit + LIST_COUNT_AHEAD;
  const totalCapped = !exactTotal && counted > shownCap;
  const total = totalCapped ? shownCap : counted;
  const walk = walks[sort.field];
  const direction = sort.order.toUpperCase();
  // A few matches are sorted whole; more walk the sort's index, whose ties follow its own order (its
  // other columns, then rowid): asking for rowid there would sort every match again. Sorted from the
  // class index, ties go by rowid; from the borrower index, as a walk orders them, since whether a
  // borrower's or a search's page is walked depends on the offset (pages must not lose or repeat a tie).
  const ties = byBorrower ? tieColumns(walk, 'l') : ['l.rowid'];
  const tieKeys = ties.map((_, i) => `t${i} ${direction}`).join(', ');
  const rowids = (
    counted <= readWhole
      ? db.prepare(`SELECT r FROM (${matches([`l.${walk.column} AS k`, ...ties.map((column, i) => `${column} AS t${i}`)].join(', '))}) ORDER BY k ${direction}, ${tieKeys} LIMIT @limit OFFSET @offset`)
      : db.prepare(`SELECT l.rowid FROM loans l INDEXED BY ${walk.index} WHERE ${walkWhere} ORDER BY l.${walk.column} ${direction} LIMIT @limit OFFSET @offset`)
  )
    .pluck()
    .all({ ...params, limit, offset }) as number[];
  return { rows: rowsInOrder<LoanListRow>(db, WITH_ENTERPRISE, 'l', rowids), total, totalCapped };
}

/**
 * An enterprise's live loans with their snapshots, oldest first within a day: what its exposure
 * over time is summed from (shared/domain/exposure.ts). Two seeks, the borrower index and the
 * snapshots' loan index (0016), never a scan of the ledger.
 */
export function enterpriseLoanSnapshots(db: Db, enterpriseId: string): ExposureLoan[] {
  const loans = prepared(db, 'SELECT id, status, balance_as_of FROM loans INDEXED BY loans_by_enterprise WHERE enterprise_id = ? AND deleted_at IS NULL ORDER BY id').all(enterpriseId) as {
    id: string;
    status: LoanStatus;
    balance_as_of: string;
  }[];
  const snapshotsOf = prepared(db, 'SELECT as_of, balance_fen FROM loan_snapshots INDEXED BY loan_snapshots_loan WHERE loan_id = ? AND deleted_at IS NULL ORDER BY as_of, created_at, id');
  return loans.map((loan) => ({
    id: loan.id,
    status: loan.status,
    balanceAsOf: loan.balance_as_of,
    snapshots: (snapshotsOf.all(loan.id) as { as_of: string; balance_fen: number }[]).map((row) => ({ asOf: row.as_of, balanceFen: row.balance_fen })),
  }));
}
