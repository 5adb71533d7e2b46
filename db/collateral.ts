import type { CollateralListFilter, CollateralSort, CollateralSummary, CollateralTotals } from '../shared/api/collateral.ts';
import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import { collateralStatuses, collateralTypes, countsTowardValue, type CollateralStatus, type CollateralType } from '../shared/domain/collateral.ts';
import { collateralAlerts, isWatched, type AlertSettings, type CollateralAlert, type CollateralAlertFacts, type LinkedLoanFacts } from '../shared/domain/collateralAlerts.ts';
import { addDays } from '../shared/domain/collateralValuation.ts';
import type { EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import { personName } from './identity.ts';
import { prepared, type Db } from './open.ts';
import { inList, rowsInOrder } from './registerPages.ts';
import { openEnvironmentalCases, openEnvironmentalCasesByEnterprise } from './rectification.ts';

/** Repository of the collateral register (0018): items, their appraisals and linked loans, the register's queries, alerts. */
export interface CollateralRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  enterprise_id: string;
  type: CollateralType;
  details: string;
  certificate_number: string;
  certificate_issuer: string;
  valid_from: string;
  valid_to: string;
  status: CollateralStatus;
  maker_id: string;
  checker_id: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  appraised_value_fen: number;
  appraised_on: string;
  revaluation_due_on: string;
  pledge_rate_bp: number;
  pledged_value_fen: number;
  terms_version: number;
  registry: string | null;
  registration_number: string | null;
  registered_on: string | null;
  registration_expires_on: string | null;
  notes: string | null;
}

export interface CollateralListRow extends CollateralRow {
  enterprise_name: string;
}

export interface AppraisalDbRow {
  id: string;
  created_at: string;
  created_by: string;
  item_id: string;
  appraised_on: string;
  method: 'quantity_price' | 'discounted_cash_flow' | 'appraisal_report';
  inputs: string;
  value_fen: number;
  appraiser: string;
  next_due_on: string;
}

export interface RenewalDbRow {
  id: string;
  created_at: string;
  created_by: string;
  item_id: string;
  renewed_on: string;
  previous_expires_on: string;
  expires_on: string;
  registry: string;
  registration_number: string;
  notes: string | null;
}

export interface CollateralLoanDbRow {
  id: string;
  item_id: string;
  loan_id: string;
  secured_amount_fen: number | null;
  loan_number: string;
  disbursed_on: string;
  matures_on: string;
  balance_fen: number;
  status: string;
}

const WITH_ENTERPRISE = 'SELECT c.*, c.rowid AS __rowid, coalesce(e.name, \'\') AS enterprise_name FROM collateral_items c LEFT JOIN enterprises e ON e.id = c.enterprise_id';

export function getCollateral(db: Db, id: string): CollateralListRow | undefined {
  const row = prepared(db, `${WITH_ENTERPRISE} WHERE c.id = ? AND c.deleted_at IS NULL`).get(id) as (CollateralListRow & { __rowid?: number }) | undefined;
  if (row === undefined) return undefined;
  delete row.__rowid;
  return row;
}

export function collateralSummaryOf(db: Db, row: CollateralListRow): CollateralSummary {
  return {
    id: row.id,
    version: row.version,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    type: row.type,
    status: row.status,
    certificateNumber: row.certificate_number,
    validTo: row.valid_to,
    appraisedValue: row.appraised_value_fen,
    pledgeRateBp: row.pledge_rate_bp,
    pledgedValue: row.pledged_value_fen,
    registrationNumber: row.registration_number,
    registrationExpiresOn: row.registration_expires_on,
    makerId: row.maker_id,
    makerName: personName(db, row.maker_id),
    updatedAt: row.updated_at,
  };
}

export function collateralAppraisals(db: Db, itemId: string): AppraisalDbRow[] {
  return prepared(db, 'SELECT * FROM collateral_appraisals WHERE item_id = ? AND deleted_at IS NULL ORDER BY appraised_on DESC, created_at DESC, id DESC').all(itemId) as AppraisalDbRow[];
}

/** The registration's renewals, newest first (the latest ends last: each moves the end later). */
export function collateralRenewals(db: Db, itemId: string): RenewalDbRow[] {
  return prepared(db, 'SELECT * FROM collateral_renewals WHERE item_id = ? AND deleted_at IS NULL ORDER BY renewed_on DESC, expires_on DESC, id DESC').all(itemId) as RenewalDbRow[];
}

export function collateralLoanLinks(db: Db, itemId: string): CollateralLoanDbRow[] {
  return prepared(
    db,
    `SELECT k.id, k.item_id, k.loan_id, k.secured_amount_fen, l.loan_number, l.disbursed_on, l.matures_on, l.balance_fen, l.status
       FROM collateral_loans k JOIN loans l ON l.id = k.loan_id AND l.deleted_at IS NULL
      WHERE k.item_id = ? AND k.deleted_at IS NULL ORDER BY l.matures_on, l.loan_number`,
  ).all(itemId) as CollateralLoanDbRow[];
}

/** An outstanding loan this item secures: its value cannot be edited, only revalued, released or disposed. */
export function securesOutstandingLoan(db: Db, itemId: string): boolean {
  return collateralLoanLinks(db, itemId).some((link) => link.status === 'outstanding');
}

// ---------------------------------------------------------------------------------------------
// Alerts

const linkedLoanFacts = (link: Pick<CollateralLoanDbRow, 'loan_id' | 'disbursed_on' | 'matures_on' | 'status' | 'balance_fen' | 'secured_amount_fen'>): LinkedLoanFacts => ({
  loanId: link.loan_id,
  disbursedOn: link.disbursed_on,
  maturesOn: link.matures_on,
  outstanding: link.status === 'outstanding',
  balanceFen: link.balance_fen,
  securedAmountFen: link.secured_amount_fen,
});

/** What an item's alerts are computed from; details (JSON) only a carbon allowance's is read. */
type AlertRow = Pick<CollateralRow, 'id' | 'enterprise_id' | 'type' | 'status' | 'valid_to' | 'registration_expires_on' | 'revaluation_due_on' | 'pledged_value_fen'> & { details: string | null };

function alertFacts(row: AlertRow, loans: LinkedLoanFacts[], rating: EnvironmentalRatingLevel | null, openCases: readonly string[]): CollateralAlertFacts {
  const details = row.type === 'carbon_allowance' && row.details !== null ? (JSON.parse(row.details) as { type: string; kind?: string; complianceYear?: number }) : null;
  return {
    type: row.type,
    status: row.status,
    validTo: row.valid_to,
    registrationExpiresOn: row.registration_expires_on,
    revaluationDueOn: row.revaluation_due_on,
    pledgedFen: row.pledged_value_fen,
    complianceYear: details?.kind === 'cea' ? (details.complianceYear ?? null) : null,
    loans,
    enterpriseRating: rating,
    openEnvironmentalCases: openCases,
  };
}

export function itemAlerts(db: Db, row: CollateralRow, settings: AlertSettings): CollateralAlert[] {
  const rating = prepared(db, 'SELECT environmental_rating FROM enterprises WHERE id = ?').pluck().get(row.enterprise_id) as EnvironmentalRatingLevel | null | undefined;
  const openCases = openEnvironmentalCases(db, row.enterprise_id).map((item) => item.caseNumber);
  return collateralAlerts(alertFacts(row, collateralLoanLinks(db, row.id).map(linkedLoanFacts), rating ?? null, openCases), settings);
}

/**
 * Every alert of the register, recomputed: the watched items in one pass, their loans, their
 * owners' ratings and open environmental cases read once each as maps (bench collateral.alerts).
 */
export function registerAlerts(db: Db, settings: AlertSettings): Map<string, CollateralAlert[]> {
  const result = new Map<string, CollateralAlert[]>();
  for (const { row, alerts } of alertsOfItems(db, settings)) result.set(row.id, alerts);
  return result;
}

/**
 * The alerts of the watched items matching `where` (over alias c, with `params`), each with its
 * rowid; items with none are left out. The register's alert-kind filter and registerAlerts both
 * compute them here with the domain's one rule (collateralAlerts), so a filtered list shows exactly
 * the items whose page shows that alert.
 */
function* alertsOfItems(db: Db, settings: AlertSettings, narrow?: { where: string; params: Record<string, unknown>; source: string }): Generator<{ row: AlertRow & { rowid: number }; alerts: CollateralAlert[] }> {
  const watched = collateralStatuses.filter(isWatched).map((status) => `'${status}'`).join(', ');
  // Most items are watched: without a narrowing filter the table is read in its own order, not each
  // row looked up from the status index in that index's order.
  const source = narrow?.source ?? 'collateral_items c NOT INDEXED';
  const where = `${narrow === undefined ? 'c.deleted_at IS NULL' : narrow.where} AND c.status IN (${watched})`;
  const params = narrow?.params ?? {};
  const loansByItem = new Map<string, LinkedLoanFacts[]>();
  const links = db
    .prepare(
      `SELECT k.item_id, k.loan_id, k.secured_amount_fen, l.disbursed_on, l.matures_on, l.balance_fen, l.status
         FROM collateral_loans k JOIN loans l ON l.id = k.loan_id AND l.deleted_at IS NULL
        WHERE k.deleted_at IS NULL${narrow === undefined ? '' : ` AND k.item_id IN (SELECT c.id FROM ${source} WHERE ${where})`}`,
    )
    .iterate(params) as IterableIterator<CollateralLoanDbRow>;
  for (const link of links) {
    const list = loansByItem.get(link.item_id);
    if (list === undefined) loansByItem.set(link.item_id, [linkedLoanFacts(link)]);
    else list.push(linkedLoanFacts(link));
  }
  const ratings = new Map(
    (db.prepare('SELECT id, environmental_rating FROM enterprises WHERE deleted_at IS NULL AND environmental_rating IS NOT NULL').all() as { id: string; environmental_rating: EnvironmentalRatingLevel }[]).map((row) => [
      row.id,
      row.environmental_rating,
    ]),
  );
  const openCases = openEnvironmentalCasesByEnterprise(db);
  // Only what the alerts are computed from; the details (JSON) only where they matter, a CEA's compliance year.
  const items = db
    .prepare(
      `SELECT c.rowid AS rowid, c.id, c.enterprise_id, c.type, c.status, c.valid_to, c.registration_expires_on, c.revaluation_due_on, c.pledged_value_fen,
              CASE WHEN c.type = 'carbon_allowance' THEN c.details END AS details
         FROM ${source} WHERE ${where}`,
    )
    .iterate(params) as IterableIterator<AlertRow & { rowid: number }>;
  for (const row of items) {
    const alerts = collateralAlerts(alertFacts(row, loansByItem.get(row.id) ?? [], ratings.get(row.enterprise_id) ?? null, openCases.get(row.enterprise_id) ?? []), settings);
    if (alerts.length > 0) yield { row, alerts };
  }
}

// ---------------------------------------------------------------------------------------------
// The register

/** Each sort walks its own index (0018), which also holds every filter column. */
const walks: Record<CollateralSort['field'], { index: string; column: string }> = {
  updatedAt: { index: 'collateral_by_updated', column: 'c.updated_at' },
  validTo: { index: 'collateral_by_valid_to', column: 'c.valid_to' },
  registrationExpiresOn: { index: 'collateral_by_registration_expiry', column: 'c.registration_expires_on' },
  appraisedValue: { index: 'collateral_by_appraised', column: 'c.appraised_value_fen' },
  pledgedValue: { index: 'collateral_by_pledged', column: 'c.pledged_value_fen' },
};

/**
 * The filters as SQL over columns every register index holds. Status and type are always
 * constrained (every value when not filtered), so the status index is seeked for counts and totals.
 */
function plan(db: Db, filter: CollateralListFilter, settings: AlertSettings): { where: string; params: Record<string, unknown> } {
  const { today } = settings;
  const params: Record<string, unknown> = {};
  const clauses = ['c.deleted_at IS NULL'];
  clauses.push(`c.status IN (${inList('status', filter.status === undefined ? collateralStatuses : [filter.status], params)})`);
  clauses.push(`c.type IN (${inList('type', filter.type === undefined ? collateralTypes : [filter.type], params)})`);
  if (filter.enterpriseId !== undefined) {
    params.enterpriseId = filter.enterpriseId;
    clauses.push('c.enterprise_id = @enterpriseId');
  }
  if (filter.makerId !== undefined) {
    params.makerId = filter.makerId;
    clauses.push('c.maker_id = @makerId');
  }
  if (filter.expiringWithinDays !== undefined) {
    params.horizon = addDays(today, filter.expiringWithinDays);
    // The right or its registration ends by the horizon: the earlier end does (index collateral_by_first_end).
    clauses.push(`${FIRST_END} <= @horizon`);
  }
  if (filter.alertKind !== undefined) {
    // Alerts are computed, not stored (they follow today, the loans' balances, the owner's rating):
    // the items matching the other filters are computed once and those raising this kind kept by rowid.
    const source = filter.enterpriseId !== undefined ? 'collateral_items c INDEXED BY collateral_by_enterprise' : undefined;
    const narrowed = { where: clauses.join(' AND '), params: { ...params }, source: source ?? 'collateral_items c' };
    const kind = filter.alertKind;
    const rowids: number[] = [];
    for (const { row, alerts } of alertsOfItems(db, settings, source === undefined && filter.makerId === undefined ? undefined : narrowed)) {
      if (alerts.some((alert) => alert.kind === kind)) rowids.push(row.rowid);
    }
    params.alertRowids = JSON.stringify(rowids);
    clauses.push('c.rowid IN (SELECT value FROM json_each(@alertRowids))');
  }
  return { where: clauses.join(' AND '), params };
}

/** The earlier of the right's and the registration's last day, as collateral_by_first_end (0022) holds it. */
const FIRST_END = 'min(c.valid_to, coalesce(c.registration_expires_on, c.valid_to))';

const COUNT_SOURCE = 'collateral_items c INDEXED BY collateral_by_status';

/**
 * Matches read whole and sorted (from the status index, which holds every sort column) rather than
 * paged by walking the sort's own index: at most 5,000 matches, or any number when the statuses and
 * types filtered on are rare — at most an eighth of the register, so the status index's range read
 * is small. A rare status walked in a sort index passed most of the register before its page (a
 * rejected item's registration expiry: 273 ms), and with the absolute limit alone a status that grew
 * past it with the register fell onto that walk (submitted items by registration expiry at 300,000
 * items, all NULL and so at the far end of the walk: 712 ms against a few at 100,000).
 */
const SORT_AFTER_READING = 5_000;
const RARE_SHARE = 8;

/** Live items of the filter's statuses and types, and of the whole register, from the kept totals (0022): a few hundred rows. */
function statusTypeShare(db: Db, filter: CollateralListFilter): { matching: number; all: number } {
  const params: Record<string, unknown> = {};
  const statuses = inList('status', filter.status === undefined ? collateralStatuses : [filter.status], params);
  const types = inList('type', filter.type === undefined ? collateralTypes : [filter.type], params);
  return db
    .prepare(`SELECT coalesce(sum(CASE WHEN status IN (${statuses}) AND type IN (${types}) THEN item_count END), 0) AS matching, coalesce(sum(item_count), 0) AS "all" FROM collateral_value_totals`)
    .get(params) as { matching: number; all: number };
}

/**
 * Filtered, sorted and paged in SQL at a cost that follows the page, not the register. A filter of
 * status, type and expiry horizon is counted exactly from the kept totals (collateralTotals); an
 * officer's, an owner's or an alert kind's matches are counted no further than LIST_COUNT_AHEAD past
 * the page unless `exactTotal` (the answer then says it stopped, 「1,100+」). A small or rare set (see
 * SORT_AFTER_READING) is read and sorted whole, more are paged by walking the sort's own index,
 * which holds every filter column. Only the page's rows are read whole, with their owner's name.
 * Bench: bench/scenarios/collateral.ts.
 */
export function listCollateral(
  db: Db,
  filter: CollateralListFilter,
  sort: CollateralSort,
  offset: number,
  limit: number,
  settings: AlertSettings,
  exactTotal = false,
): { rows: CollateralListRow[]; total: number; totalCapped: boolean } {
  const { where, params } = plan(db, filter, settings);
  const narrow = filter.enterpriseId !== undefined ? 'collateral_items c INDEXED BY collateral_by_enterprise' : COUNT_SOURCE;
  const kept = filter.enterpriseId === undefined && filter.makerId === undefined && filter.alertKind === undefined;
  // Counted one past the cap, to know whether the cap was reached.
  const cap = Math.max(SORT_AFTER_READING, offset + limit + LIST_COUNT_AHEAD);
  const counted = kept
    ? collateralTotals(db, filter, settings).count
    : exactTotal
      ? (db.prepare(`SELECT count(*) FROM ${narrow} WHERE ${where}`).pluck().get(params) as number)
      : (db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${narrow} WHERE ${where} LIMIT @cap)`).pluck().get({ ...params, cap: cap + 1 }) as number);
  const totalCapped = !kept && !exactTotal && counted > cap;
  const walk = walks[sort.field];
  const direction = sort.order.toUpperCase();
  const share = statusTypeShare(db, filter);
  const small = counted <= SORT_AFTER_READING || share.matching * RARE_SHARE <= share.all;
  const source = small ? narrow : `collateral_items c INDEXED BY ${walk.index}`;
  const order = small ? `${walk.column} ${direction}, c.rowid ${direction}` : `${walk.column} ${direction}`;
  const rowids = db.prepare(`SELECT c.rowid FROM ${source} WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`).pluck().all({ ...params, limit, offset }) as number[];
  return { rows: rowsInOrder<CollateralListRow>(db, WITH_ENTERPRISE, 'c', rowids), total: totalCapped ? cap : counted, totalCapped };
}

const counted = collateralStatuses.filter(countsTowardValue);

/**
 * Totals of the filtered set. Of an owner's or an officer's items, or of an alert kind's (computed:
 * plan), from the index that seeks them;
 * otherwise from the totals the triggers keep per status, type and first-end month (0022), plus, for
 * an expiry horizon, the horizon's own month read from collateral_by_first_end: a few hundred rows
 * whatever the register holds.
 */
export function collateralTotals(db: Db, filter: CollateralListFilter, settings: AlertSettings): CollateralTotals {
  const { today } = settings;
  const countedStatuses = counted.map((status) => `'${status}'`).join(', ');
  if (filter.enterpriseId !== undefined || filter.makerId !== undefined || filter.alertKind !== undefined) {
    const { where, params } = plan(db, filter, settings);
    const source = filter.enterpriseId !== undefined ? 'collateral_items c INDEXED BY collateral_by_enterprise' : COUNT_SOURCE;
    const row = db
      .prepare(
        `SELECT count(*) AS count, coalesce(sum(c.appraised_value_fen), 0) AS appraised, coalesce(sum(c.pledged_value_fen), 0) AS pledged,
                coalesce(sum(CASE WHEN c.status IN (${countedStatuses}) THEN c.pledged_value_fen END), 0) AS countedPledged
           FROM ${source} WHERE ${where}`,
      )
      .get(params) as { count: number; appraised: number; pledged: number; countedPledged: number };
    return { count: row.count, appraisedValue: row.appraised, pledgedValue: row.pledged, countedPledgedValue: row.countedPledged };
  }
  const params: Record<string, unknown> = {};
  const statuses = inList('status', filter.status === undefined ? collateralStatuses : [filter.status], params);
  const types = inList('type', filter.type === undefined ? collateralTypes : [filter.type], params);
  const parts = [`SELECT item_count AS n, appraised_fen AS appraised, pledged_fen AS pledged, status FROM collateral_value_totals WHERE status IN (${statuses}) AND type IN (${types})`];
  if (filter.expiringWithinDays !== undefined) {
    const horizon = addDays(today, filter.expiringWithinDays);
    Object.assign(params, { horizon, month: horizon.slice(0, 7), monthStart: `${horizon.slice(0, 7)}-01` });
    parts[0] += ' AND end_month < @month';
    parts.push(
      `SELECT 1, c.appraised_value_fen, c.pledged_value_fen, c.status FROM collateral_items c INDEXED BY collateral_by_first_end
        WHERE c.deleted_at IS NULL AND ${FIRST_END} >= @monthStart AND ${FIRST_END} <= @horizon AND c.status IN (${statuses}) AND c.type IN (${types})`,
    );
  }
  const row = db
    .prepare(
      `SELECT coalesce(sum(n), 0) AS count, coalesce(sum(appraised), 0) AS appraised, coalesce(sum(pledged), 0) AS pledged,
              coalesce(sum(CASE WHEN status IN (${countedStatuses}) THEN pledged END), 0) AS countedPledged
         FROM (${parts.join(' UNION ALL ')})`,
    )
    .get(params) as { count: number; appraised: number; pledged: number; countedPledged: number };
  return { count: row.count, appraisedValue: row.appraised, pledgedValue: row.pledged, countedPledgedValue: row.countedPledged };
}
