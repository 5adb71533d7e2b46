import type { CollateralListFilter, CollateralSort, CollateralSummary, CollateralTotals } from '../shared/api/collateral.ts';
import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import { collateralStatuses, collateralTypes, countsTowardValue, type CollateralStatus, type CollateralType } from '../shared/domain/collateral.ts';
import { collateralAlertKinds, collateralAlerts, isWatched, type AlertSettings, type CollateralAlert, type CollateralAlertFacts, type CollateralAlertKind, type LinkedLoanFacts } from '../shared/domain/collateralAlerts.ts';
import { addDays, daysBetween } from '../shared/domain/collateralValuation.ts';
import { environmentalRatingLevels, isAdverseRating, type EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import { personName } from './identity.ts';
import { prepared, type Db } from './open.ts';
import { inList, rowsInOrder, tieColumns, type SortWalk } from './registerPages.ts';
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
/** What identifies a pledged certificate on the register: its number, type, and the pollutant or compliance year it pledges. */
export interface PledgedCertificate {
  certificate_number: string;
  type: CollateralType;
  pollutant: string | null;
  compliance_year: number | null;
  status: CollateralStatus;
  maker_id: string;
}

/**
 * Every certificate still pledged or on its way (all but released and disposed items): what an
 * import checks its rows against, read once per import (an item's identity lives partly inside its
 * details, so no index serves it; one pass is far cheaper than one per row).
 */
export function pledgedCertificates(db: Db): PledgedCertificate[] {
  return prepared(
    db,
    `SELECT certificate_number, type, json_extract(details, '$.pollutant') AS pollutant, json_extract(details, '$.complianceYear') AS compliance_year, status, maker_id
     FROM collateral_items WHERE deleted_at IS NULL AND status NOT IN ('released', 'disposed')`,
  ).all() as PledgedCertificate[];
}

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
 * Every alert of the register, recomputed, in set-based SQL (sqlAlerts): each kind is one query over
 * the index that finds it, giving back only the items and loans that raise it; no item is read into
 * JavaScript to be found alert-free. Equal to collateralAlerts of each item (itemAlerts), loans in
 * maturity order (host test: every kind on its boundary days). Bench collateral.alerts.
 */
export function registerAlerts(db: Db, settings: AlertSettings): Map<string, CollateralAlert[]> {
  const result = new Map<string, CollateralAlert[]>();
  for (const [id, alerts] of sqlAlerts(db, settings)) result.set(id, alerts);
  return result;
}

const watchedList = collateralStatuses
  .filter(isWatched)
  .map((status) => `'${status}'`)
  .join(', ');
const adverseList = environmentalRatingLevels
  .filter(isAdverseRating)
  .map((level) => `'${level}'`)
  .join(', ');

/** A CEA's surrender deadline (surrenderDeadline) from its compliance year in the details, as alertFacts reads it; NULL for any other item. */
const DEADLINE =
  "(CASE WHEN c.type = 'carbon_allowance' AND json_extract(c.details, '$.kind') = 'cea' AND json_extract(c.details, '$.complianceYear') IS NOT NULL THEN printf('%d-12-31', json_extract(c.details, '$.complianceYear') + 1) END)";

/**
 * The alerts of the watched items matching `narrow` (SQL over alias c, with its params, read from
 * `source`; none: the whole register), by item id (or rowid, for the register's filter), each
 * item's in collateralAlerts' order. Every rule here is the domain's
 * (shared/domain/collateralAlerts.ts) stated over columns: a loan counts while outstanding, an end on
 * the maturity day still covers it, the due day is still in time, coverage compares secured × 10,000
 * with limit × pledged in integers (no alert at the limit).
 * Where the time went (31–53 s at 300,000 items under load): every watched item and every link
 * read into JavaScript, and each looked up from an index in that index's order, not the table's. The
 * items are now read in the table's own order (NOT INDEXED: two thirds are watched), their links and
 * loans joined to them in that order (CROSS JOIN keeps the planner from starting at the loans and
 * looking items up by id, 200,000 random reads of an encrypted file), and only alert rows come back.
 */
function sqlAlerts<K extends 'id' | 'rowid' = 'id'>(
  db: Db,
  settings: AlertSettings,
  narrow?: { where: string; params: Record<string, unknown>; source: string; key: K },
  only?: CollateralAlertKind,
): Map<K extends 'id' ? string : number, CollateralAlert[]> {
  type Key = K extends 'id' ? string : number;
  const { today } = settings;
  const params = { ...(narrow?.params ?? {}), alertToday: today, alertHorizon: addDays(today, settings.registrationWarningDays), alertLimitBp: settings.coverageLimitBp };
  const source = narrow?.source ?? 'collateral_items c NOT INDEXED';
  const key = `c.${narrow?.key ?? 'id'}`;
  const items = `c.deleted_at IS NULL AND c.status IN (${watchedList})${narrow === undefined ? '' : ` AND ${narrow.where}`}`;
  const wants = (kind: CollateralAlertKind) => only === undefined || only === kind;
  const byItem = new Map<Key, Partial<Record<CollateralAlertKind, CollateralAlert[]>>>();
  const add = (id: Key, alert: CollateralAlert) => {
    let kinds = byItem.get(id);
    if (kinds === undefined) byItem.set(id, (kinds = {}));
    (kinds[alert.kind] ??= []).push(alert);
  };

  // Per outstanding linked loan: an end before its maturity, a CEA's surrender deadline inside its
  // term; per item over its loans (a window): the secured balance against the pledged value.
  if (wants('expires_before_maturity') || wants('surrender_deadline_in_term') || wants('coverage_over_limit')) {
    const rows = db
      .prepare(
        `SELECT item, loan_id, matures_on, valid_to, registration_expires_on, deadline, coalesce(disbursed_on <= deadline AND deadline <= matures_on, 0) AS surrender,
                CASE WHEN secured > 0 AND secured * 10000 > @alertLimitBp * pledged THEN secured END AS over, pledged
           FROM (SELECT ${key} AS item, c.rowid AS item_rowid, l.id AS loan_id, l.loan_number, l.disbursed_on, l.matures_on, c.valid_to, c.registration_expires_on, ${DEADLINE} AS deadline,
                        c.pledged_value_fen AS pledged,
                        sum(CASE WHEN k.secured_amount_fen IS NULL THEN l.balance_fen ELSE min(l.balance_fen, k.secured_amount_fen) END) OVER (PARTITION BY c.rowid) AS secured,
                        row_number() OVER (PARTITION BY c.rowid) AS nth
                   FROM ${source}
                  CROSS JOIN collateral_loans k ON k.item_id = c.id AND k.deleted_at IS NULL
                  CROSS JOIN loans l ON l.id = k.loan_id AND l.deleted_at IS NULL AND l.status = 'outstanding'
                  WHERE ${items})
          WHERE valid_to < matures_on OR registration_expires_on < matures_on OR (disbursed_on <= deadline AND deadline <= matures_on)
                OR (nth = 1 AND secured > 0 AND secured * 10000 > @alertLimitBp * pledged)
          ORDER BY item_rowid, matures_on, loan_number`,
      )
      .raw()
      .all(params) as [Key, string, string, string, string | null, string | null, number, number | null, number][];
    const covered = new Set<Key>();
    for (const [id, loanId, maturesOn, validTo, registrationExpiresOn, deadline, surrender, over, pledgedFen] of rows) {
      if (wants('expires_before_maturity') && validTo < maturesOn) add(id, { kind: 'expires_before_maturity', what: 'right', expiresOn: validTo, loanId, maturesOn });
      if (wants('expires_before_maturity') && registrationExpiresOn !== null && registrationExpiresOn < maturesOn) {
        add(id, { kind: 'expires_before_maturity', what: 'registration', expiresOn: registrationExpiresOn, loanId, maturesOn });
      }
      if (wants('surrender_deadline_in_term') && surrender === 1) add(id, { kind: 'surrender_deadline_in_term', deadline: deadline!, loanId, maturesOn });
      if (wants('coverage_over_limit') && over !== null && !covered.has(id)) {
        covered.add(id);
        add(id, { kind: 'coverage_over_limit', securedBalanceFen: over, pledgedFen, limitBp: settings.coverageLimitBp });
      }
    }
  }

  // The item's own dates, in the same pass over the items.
  if (wants('registration_expiring') || wants('revaluation_overdue')) {
    const rows = db
      .prepare(
        `SELECT ${key}, CASE WHEN c.registration_expires_on <= @alertHorizon THEN c.registration_expires_on END, CASE WHEN c.revaluation_due_on < @alertToday THEN c.revaluation_due_on END
           FROM ${source} WHERE ${items} AND (c.registration_expires_on <= @alertHorizon OR c.revaluation_due_on < @alertToday)`,
      )
      .raw()
      .all(params) as [Key, string | null, string | null][];
    for (const [id, expiresOn, dueOn] of rows) {
      if (wants('registration_expiring') && expiresOn !== null) add(id, { kind: 'registration_expiring', expiresOn, daysLeft: daysBetween(today, expiresOn) });
      if (wants('revaluation_overdue') && dueOn !== null) add(id, { kind: 'revaluation_overdue', dueOn, daysOverdue: daysBetween(dueOn, today) });
    }
  }

  // The owner's standing: few owners are red or black or have open cases; their items by the owner index.
  if (wants('eligibility_lost')) {
    const rows = db
      .prepare(
        `SELECT ${key}, e.environmental_rating FROM enterprises e CROSS JOIN collateral_items c INDEXED BY collateral_by_enterprise ON c.enterprise_id = e.id
          WHERE e.environmental_rating IN (${adverseList}) AND ${items}`,
      )
      .raw()
      .all(params) as [Key, EnvironmentalRatingLevel][];
    for (const [id, rating] of rows) add(id, { kind: 'eligibility_lost', rating });
  }

  if (wants('open_environmental_case')) {
    const cases = openEnvironmentalCasesByEnterprise(db);
    if (cases.size > 0) {
      const rows = db
        .prepare(`SELECT ${key}, c.enterprise_id FROM collateral_items c INDEXED BY collateral_by_enterprise WHERE c.enterprise_id IN (SELECT value FROM json_each(@owners)) AND ${items}`)
        .raw()
        .all({ ...params, owners: JSON.stringify([...cases.keys()]) }) as [Key, string][];
      for (const [id, owner] of rows) add(id, { kind: 'open_environmental_case', caseNumbers: [...cases.get(owner)!] });
    }
  }

  const result = new Map<Key, CollateralAlert[]>();
  for (const [id, kinds] of byItem) result.set(id, collateralAlertKinds.flatMap((kind) => kinds[kind] ?? []));
  return result;
}

// ---------------------------------------------------------------------------------------------
// The register

/** Each sort walks its own index (0018, 0022), which also holds every filter column. */
const walks: Record<CollateralSort['field'], SortWalk> = {
  updatedAt: { index: 'collateral_by_updated', column: 'updated_at', ties: 'status, type, enterprise_id, maker_id, valid_to, registration_expires_on' },
  validTo: { index: 'collateral_by_valid_to', column: 'valid_to', ties: 'status, type, enterprise_id, maker_id, registration_expires_on' },
  registrationExpiresOn: { index: 'collateral_by_registration_expiry', column: 'registration_expires_on', ties: 'status, type, enterprise_id, maker_id, valid_to' },
  appraisedValue: { index: 'collateral_by_appraised', column: 'appraised_value_fen', ties: 'status, type, enterprise_id, maker_id, valid_to, registration_expires_on' },
  pledgedValue: { index: 'collateral_by_pledged', column: 'pledged_value_fen', ties: 'status, type, enterprise_id, maker_id, valid_to, registration_expires_on' },
};
export const collateralWalks = Object.values(walks);

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
    // the kind's own query (sqlAlerts) over the items matching the other filters, kept by id.
    const source = filter.enterpriseId !== undefined ? 'collateral_items c INDEXED BY collateral_by_enterprise' : filter.makerId !== undefined ? 'collateral_items c INDEXED BY collateral_by_maker' : 'collateral_items c NOT INDEXED';
    const rowids = [...sqlAlerts(db, settings, { where: clauses.join(' AND '), params: { ...params }, source, key: 'rowid' }, filter.alertKind).keys()];
    params.alertRowids = JSON.stringify(rowids);
    clauses.push('c.rowid IN (SELECT value FROM json_each(@alertRowids))');
  }
  return { where: clauses.join(' AND '), params };
}

/** The earlier of the right's and the registration's last day, as collateral_by_first_end (0022) holds it. */
const FIRST_END = 'min(c.valid_to, coalesce(c.registration_expires_on, c.valid_to))';

const COUNT_SOURCE = 'collateral_items c INDEXED BY collateral_by_status';

/**
 * Matches read whole and sorted (from the status index, which holds every sort column) or paged by
 * walking the sort's own index, whichever reads fewer index entries. Reading whole costs the
 * entries of the filter's statuses and types (kept totals: statusTypeShare); a walk costs about
 * (offset + limit) × register ÷ matches, as matches are spread along the sort (ratios, so the same
 * at 100,000 and 300,000 items), counted WALK_MARGIN times against it for clustering. A fixed share
 * (an eighth of the register read whole) grew with the register: one type's 37,500 items read and
 * sorted at 300,000 items for a page a walk found in ~15,000 entries, and register_page p95 grew
 * 2.4× from 100k to 300k. At most SORT_AFTER_READING matches are always read whole. Items never
 * registered have no registration expiry: walked by it they sit together at one end (submitted
 * items by registration expiry walked past the whole register: 712 ms), so those statuses are read whole.
 */
const SORT_AFTER_READING = 5_000;
const WALK_MARGIN = 1;
const unregistered: ReadonlySet<CollateralStatus> = new Set(['draft', 'submitted', 'approved', 'rejected']);

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
  // An owner's or an officer's items are read whole from the index that seeks them (their count);
  // a status, type and horizon filter reads its statuses' and types' entries of the status index.
  const readWhole = kept ? share.matching : counted;
  const walked = ((offset + limit) * share.all) / Math.max(1, counted);
  const clustered = sort.field === 'registrationExpiresOn' && filter.status !== undefined && unregistered.has(filter.status);
  const small = counted <= SORT_AFTER_READING || clustered || readWhole <= walked * WALK_MARGIN;
  const source = small ? narrow : `collateral_items c INDEXED BY ${walk.index}`;
  // Sorted whole, ties as the walk orders them (the status index holds every tie column), since
  // whether a page is walked depends on its offset.
  const order = [`c.${walk.column}`, ...(small ? tieColumns(walk, 'c') : [])].map((column) => `${column} ${direction}`).join(', ');
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
