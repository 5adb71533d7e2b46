import { LIST_COUNT_AHEAD, type LoanListFilter, type LoanSort, type LoanSummary } from '../shared/api/loans.ts';
import { guaranteeModes, type GuaranteeMode } from '../shared/domain/guarantee.ts';
import { loanClassifications, loanStatuses, normalizeLoanNumber, type Loan, type LoanClassification, type LoanStatus } from '../shared/domain/loan.ts';
import { enterpriseSearchIds } from './enterprises.ts';
import { prepared, type Db } from './open.ts';
import { inList, rowsInOrder } from './registerPages.ts';
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

/** Each sort walks its own index (0016), which also holds every filter column. */
const walks: Record<LoanSort['field'], { index: string; column: string }> = {
  maturesOn: { index: 'loans_by_maturity', column: 'l.matures_on' },
  disbursedOn: { index: 'loans_by_disbursement', column: 'l.disbursed_on' },
  loanNumber: { index: 'loans_by_number', column: 'l.loan_number' },
  amount: { index: 'loans_by_amount', column: 'l.amount_fen' },
  balance: { index: 'loans_by_balance', column: 'l.balance_fen' },
  updatedAt: { index: 'loans_by_updated', column: 'l.updated_at' },
};

/** At most this many matches are read whole and sorted; more are paged by walking the sort's index. */
const SORT_AFTER_READING = 1_000;

interface Plan {
  where: string;
  params: Record<string, unknown>;
  /** The index the matches are found (and counted) by, when one is narrower than walking the sort's. */
  narrow: string | null;
}

/**
 * The filters as SQL over columns every loans index holds. Status, classification and guarantee
 * mode are always constrained (all values when not filtered), so an index led by them is seeked
 * rather than scanned; a borrower or a loan number narrows to its own index.
 */
function plan(filter: LoanListFilter): Plan {
  const params: Record<string, unknown> = {};
  const clauses = ['l.deleted_at IS NULL'];
  let narrow: string | null = null;
  clauses.push(`l.status IN (${inList('status', filter.status === undefined ? loanStatuses : [filter.status], params)})`);
  clauses.push(`l.classification IN (${inList('class', filter.classifications ?? loanClassifications, params)})`);
  clauses.push(`l.guarantee_mode IN (${inList('guarantee', filter.guaranteeMode === undefined ? guaranteeModes : [filter.guaranteeMode], params)})`);
  if (filter.maturesFrom !== undefined) {
    params.maturesFrom = filter.maturesFrom;
    clauses.push('l.matures_on >= @maturesFrom');
  }
  if (filter.maturesTo !== undefined) {
    params.maturesTo = filter.maturesTo;
    clauses.push('l.matures_on <= @maturesTo');
  }
  if (filter.enterpriseId !== undefined) {
    params.enterpriseId = filter.enterpriseId;
    clauses.push('l.enterprise_id = @enterpriseId');
    narrow = 'loans_by_enterprise';
  }
  // No name or number holds a control character; they only separate words here.
  const query = filter.query?.replace(/\p{Cc}/gu, ' ').trim() ?? '';
  if (query !== '') {
    const number = normalizeLoanNumber(query);
    // The matches as a set of rowids, each part found by its own index: as a condition tested per
    // row (an OR of the two, or the borrower test alone) the count read every loan of the statuses
    // asked for (EXPLAIN: SEARCH loans_by_class, then each row), 10% of the bench's pages.
    const parts = [`SELECT rowid FROM loans INDEXED BY loans_by_enterprise WHERE deleted_at IS NULL AND enterprise_id IN (${enterpriseSearchIds(query, params)})`];
    if (/\d/.test(number) && /^[0-9A-Z_-]+$/.test(number)) {
      // A loan number prefix, or the borrower's USCC prefix (both are digits and letters).
      params.numberFrom = number;
      params.numberTo = `${number}~`;
      parts.push('SELECT rowid FROM loans INDEXED BY loans_by_number WHERE deleted_at IS NULL AND loan_number >= @numberFrom AND loan_number < @numberTo');
    }
    clauses.push(`l.rowid IN (${parts.join(' UNION ALL ')})`);
    narrow ??= 'query';
  }
  return { where: clauses.join(' AND '), params, narrow };
}

/** `loans l INDEXED BY …` for a narrow plan; a search is its set of rowids, read by primary key. */
// NOT INDEXED leaves the primary key: without it the planner (no statistics) seeks the class index and tests the set per row.
const narrowSource = (narrow: string) => (narrow === 'query' ? 'loans l NOT INDEXED' : `loans l INDEXED BY ${narrow}`);

/** Counting and choosing between reading all matches and walking: the class index is led by the always-constrained columns. */
const COUNT_SOURCE = 'loans l INDEXED BY loans_by_class';

export interface LoanPage {
  rows: LoanListRow[];
  total: number;
  totalCapped: boolean;
}

/**
 * Filtered, sorted, paged in SQL, at a cost that follows the page, not the register (issue 20).
 * The matches are counted on the narrowest index, but no further than LIST_COUNT_AHEAD past the
 * page (the answer then says so); a few (≤ 1,000) are read and sorted whole, more are paged by
 * walking the sort's own index, which holds every filter column and stops after the page. Only the
 * page's rows are then read whole, with their borrower. Bench: bench/scenarios/loans.ts.
 */
export function listLoans(db: Db, filter: LoanListFilter, sort: LoanSort, offset: number, limit: number, exactTotal = false): LoanPage {
  const { where, params, narrow } = plan(filter);
  const countSource = narrow === null ? COUNT_SOURCE : narrowSource(narrow);
  // Counted one past the cap, to know whether the cap was reached.
  const cap = Math.max(SORT_AFTER_READING, offset + limit + LIST_COUNT_AHEAD);
  const counted = exactTotal
    ? (db.prepare(`SELECT count(*) FROM ${countSource} WHERE ${where}`).pluck().get(params) as number)
    : (db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${countSource} WHERE ${where} LIMIT @cap)`).pluck().get({ ...params, cap: cap + 1 }) as number);
  const totalCapped = !exactTotal && counted > cap;
  const total = totalCapped ? cap : counted;
  const walk = walks[sort.field];
  const direction = sort.order.toUpperCase();
  // A few matches are sorted whole (ties by rowid); more walk the sort's index, whose ties follow its
  // own order (its other columns, then rowid): asking for rowid there would sort every match again.
  const small = counted <= SORT_AFTER_READING;
  const source = small ? countSource : `loans l INDEXED BY ${walk.index}`;
  const order = small ? `${walk.column} ${direction}, l.rowid ${direction}` : `${walk.column} ${direction}`;
  const rowids = db.prepare(`SELECT l.rowid FROM ${source} WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`).pluck().all({ ...params, limit, offset }) as number[];
  return { rows: rowsInOrder<LoanListRow>(db, WITH_ENTERPRISE, 'l', rowids), total, totalCapped };
}
