import type { CaseCounts, CaseFacts, CaseListFilter, CaseSort } from '../shared/api/rectification.ts';
import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import type { GateCase } from '../shared/domain/creditGate.ts';
import { caseStatuses, isCaseOpen, type CaseCategory, type CaseMeasure, type CaseSource, type CaseStatus } from '../shared/domain/rectification.ts';
import { prepared, type Db } from './open.ts';
import { rowsInOrder } from './registerPages.ts';
import type { Row } from './records.ts';

/** Repository of rectification cases (整改跟踪), their follow-ups and monitoring visits (0019). */
export interface CaseRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  case_number: string;
  enterprise_id: string;
  category: CaseCategory;
  source: CaseSource;
  source_reference: string | null;
  source_authority: string | null;
  source_date: string | null;
  found_on: string;
  description: string;
  required_actions: string;
  deadline: string;
  measure: CaseMeasure;
  exposure_plan: string;
  officer_id: string;
  status: CaseStatus;
  verifier_id: string | null;
  verified_at: string | null;
  verification_note: string | null;
  letter_sent_on: string | null;
  monitoring_visit_id: string | null;
  notes: string | null;
}

export interface CaseListRow extends CaseRow {
  enterprise_name: string;
  officer_name: string | null;
}

export interface FollowUpRow {
  id: string;
  case_id: string;
  created_at: string;
  created_by: string;
  created_by_name: string | null;
  followed_on: string;
  kind: 'visit' | 'note';
  note: string;
  progress_percent: number;
  next_follow_up_on: string | null;
}

/** The columns a case's facts write (status, verification and the number are the workflow's). */
export function caseFactColumns(facts: CaseFacts): Row {
  return {
    enterprise_id: facts.enterpriseId,
    category: facts.category,
    source: facts.source,
    source_reference: facts.sourceReference,
    source_authority: facts.sourceAuthority,
    source_date: facts.sourceDate,
    found_on: facts.foundOn,
    description: facts.description,
    required_actions: facts.requiredActions,
    deadline: facts.deadline,
    measure: facts.measure,
    exposure_plan: JSON.stringify(facts.exposurePlan),
    officer_id: facts.officerId,
    monitoring_visit_id: facts.monitoringVisitId,
  };
}

// Left joins: a case whose enterprise file or officer has not arrived yet (sync) still shows.
const WITH_NAMES = `SELECT c.rowid AS __rowid, c.*, coalesce(e.name, '') AS enterprise_name, p.display_name AS officer_name
  FROM rectification_cases c LEFT JOIN enterprises e ON e.id = c.enterprise_id LEFT JOIN people p ON p.id = c.officer_id`;

export function getCase(db: Db, id: string): CaseListRow | undefined {
  const row = prepared(db, `${WITH_NAMES} WHERE c.id = ? AND c.deleted_at IS NULL`).get(id) as (CaseListRow & { __rowid?: number }) | undefined;
  if (row !== undefined) delete row.__rowid;
  return row;
}

/**
 * The enterprise's cases not yet verified closed, oldest deadline first: what the credit gate
 * names (creditGate.ts openRectificationCases).
 */
export function openCasesOf(db: Db, enterpriseId: string): GateCase[] {
  return (
    prepared(
      db,
      `SELECT id, case_number, category, measure, status, deadline FROM rectification_cases INDEXED BY rectification_cases_by_enterprise
       WHERE enterprise_id = ? AND status <> 'closed' AND deleted_at IS NULL ORDER BY deadline, case_number`,
    ).all(enterpriseId) as { id: string; case_number: string; category: CaseCategory; measure: CaseMeasure; status: CaseStatus; deadline: string }[]
  ).map((row) => ({ id: row.id, caseNumber: row.case_number, category: row.category, measure: row.measure, status: row.status, deadline: row.deadline }));
}

/**
 * The enterprise's open environmental (环境保护) cases: what makes its collateral's eligibility
 * doubtful (资格存疑, issue 16 / the collateral register). Empty when none.
 */
export function openEnvironmentalCases(db: Db, enterpriseId: string): GateCase[] {
  return openCasesOf(db, enterpriseId).filter((item) => item.category === 'environmental');
}

/** Every enterprise's open environmental cases by number, for the whole collateral register's alerts at once. */
export function openEnvironmentalCasesByEnterprise(db: Db): Map<string, string[]> {
  const byEnterprise = new Map<string, string[]>();
  const rows = db
    .prepare(`SELECT enterprise_id, case_number FROM rectification_cases WHERE category = 'environmental' AND status <> 'closed' AND deleted_at IS NULL ORDER BY deadline, case_number`)
    .all() as { enterprise_id: string; case_number: string }[];
  for (const row of rows) {
    const list = byEnterprise.get(row.enterprise_id);
    if (list === undefined) byEnterprise.set(row.enterprise_id, [row.case_number]);
    else list.push(row.case_number);
  }
  return byEnterprise;
}

/**
 * A new case number, made offline: ZG-<year>-<this laptop's tag>-<serial>. Two laptops of a branch
 * never make the same one (the tag is from the device's own id), so no head-office round trip.
 */
export function nextCaseNumber(db: Db, year: number): string {
  const clientId = prepared(db, 'SELECT client_id FROM device WHERE singleton = 1').pluck().get() as string | undefined;
  const tag = (clientId ?? '0000').replace(/-/g, '').slice(-4).toUpperCase();
  const prefix = `ZG-${year}-${tag}-`;
  const last = prepared(db, `SELECT case_number FROM rectification_cases WHERE case_number >= ? AND case_number < ? ORDER BY case_number DESC LIMIT 1`).pluck().get(prefix, `${prefix}~`) as
    | string
    | undefined;
  const serial = last === undefined ? 1 : Number(last.slice(prefix.length)) + 1;
  return `${prefix}${String(serial).padStart(4, '0')}`;
}

export function followUpsOf(db: Db, caseId: string): FollowUpRow[] {
  return prepared(
    db,
    `SELECT f.id, f.case_id, f.created_at, f.created_by, p.display_name AS created_by_name, f.followed_on, f.kind, f.note, f.progress_percent, f.next_follow_up_on
     FROM rectification_follow_ups f LEFT JOIN people p ON p.id = f.created_by
     WHERE f.case_id = ? AND f.deleted_at IS NULL ORDER BY f.followed_on DESC, f.created_at DESC`,
  ).all(caseId) as FollowUpRow[];
}

/** Attachments on the case and on its follow-ups: the evidence a close is verified against. */
export function evidenceCount(db: Db, caseId: string): number {
  return prepared(
    db,
    `SELECT count(*) FROM attachments WHERE deleted_at IS NULL AND (
       (owner_type = 'rectification_cases' AND owner_id = @caseId)
       OR (owner_type = 'rectification_follow_ups' AND owner_id IN (SELECT id FROM rectification_follow_ups WHERE case_id = @caseId AND deleted_at IS NULL)))`,
  )
    .pluck()
    .get({ caseId }) as number;
}

// ---------------------------------------------------------------------------------------------
// 督促整改函 recorded as sent (0025)

export interface LetterRow {
  id: string;
  case_id: string;
  sequence: number;
  letter_number: string;
  sent_on: string;
  sent_by: string;
  sent_by_name: string | null;
  attachment_id: string;
}

/** A case's letters, the first first, with the sender's name. */
export function lettersOf(db: Db, caseId: string): LetterRow[] {
  return prepared(
    db,
    `SELECT l.id, l.case_id, l.sequence, l.letter_number, l.sent_on, l.sent_by, p.display_name AS sent_by_name, l.attachment_id
     FROM rectification_letters l LEFT JOIN people p ON p.id = l.sent_by
     WHERE l.case_id = ? AND l.deleted_at IS NULL ORDER BY l.sequence, l.created_at`,
  ).all(caseId) as LetterRow[];
}

/** The next letter's sequence on the case (1 for the first). */
export function nextLetterSequence(db: Db, caseId: string): number {
  return (prepared(db, 'SELECT coalesce(max(sequence), 0) + 1 FROM rectification_letters WHERE case_id = ? AND deleted_at IS NULL').pluck().get(caseId) as number);
}

/** A letter's number: the case's number and the letter's sequence on it (ZG-2026-3F9A-0007-01). */
export const letterNumberOf = (caseNumber: string, sequence: number): string => `${caseNumber}-${String(sequence).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------
// Post-loan monitoring (贷后监测)

export interface MonitoringVisitRow {
  id: string;
  version: number;
  enterprise_id: string;
  due_on: string;
  visited_on: string | null;
  officer_id: string;
  officer_name: string | null;
  production: string | null;
  finance: string | null;
  energy_environment: string | null;
  green_innovation: string | null;
  finding_category: CaseCategory | null;
  finding: string | null;
  case_id: string | null;
  case_number: string | null;
}

// The case a visit's finding opened, through its own index (0020); at most one is live (cases.create).
const VISITS = `SELECT v.id, v.version, v.enterprise_id, v.due_on, v.visited_on, v.officer_id, p.display_name AS officer_name, v.production, v.finance,
    v.energy_environment, v.green_innovation, v.finding_category, v.finding, c.id AS case_id, c.case_number
  FROM monitoring_visits v LEFT JOIN people p ON p.id = v.officer_id
  LEFT JOIN rectification_cases c INDEXED BY rectification_cases_by_visit ON c.monitoring_visit_id = v.id AND c.deleted_at IS NULL`;

/** An enterprise's visits: those not yet made first (soonest due), then the made ones, newest first. */
export function visitsOf(db: Db, enterpriseId: string): MonitoringVisitRow[] {
  return prepared(db, `${VISITS} WHERE v.enterprise_id = ? AND v.deleted_at IS NULL ORDER BY v.visited_on IS NOT NULL, CASE WHEN v.visited_on IS NULL THEN v.due_on END, v.visited_on DESC, v.due_on DESC`).all(
    enterpriseId,
  ) as MonitoringVisitRow[];
}

export function getVisit(db: Db, id: string): MonitoringVisitRow | undefined {
  return prepared(db, `${VISITS} WHERE v.id = ? AND v.deleted_at IS NULL`).get(id) as MonitoringVisitRow | undefined;
}

// ---------------------------------------------------------------------------------------------
// The register

interface Plan {
  where: string;
  params: Record<string, unknown>;
}

const OPEN_STATUSES = caseStatuses
  .filter(isCaseOpen)
  .map((status) => `'${status}'`)
  .join(', ');

/** The filters that ask for one value of a column. */
const equalities: [keyof CaseListFilter & ('status' | 'category' | 'measure' | 'officerId' | 'enterpriseId'), string][] = [
  ['status', 'c.status'],
  ['category', 'c.category'],
  ['measure', 'c.measure'],
  ['officerId', 'c.officer_id'],
  ['enterpriseId', 'c.enterprise_id'],
];

/**
 * The filters as SQL over the columns every case index holds; the county is the enterprise's,
 * as a set of enterprise ids. `today` (Asia/Shanghai) decides overdue. The list and the counts
 * share it, so a count always matches the list of the same filter.
 */
function plan(filter: CaseListFilter, today: string, withStatus = true): Plan {
  const params: Record<string, unknown> = { today };
  const clauses = ['c.deleted_at IS NULL'];
  for (const [field, column] of equalities) {
    const wanted = filter[field];
    if (wanted === undefined || (field === 'status' && !withStatus)) continue;
    params[field] = wanted;
    clauses.push(`${column} = @${field}`);
  }
  if (filter.divisionCode !== undefined) {
    params.divisionCode = filter.divisionCode;
    clauses.push('c.enterprise_id IN (SELECT id FROM enterprises INDEXED BY enterprises_list WHERE division_code = @divisionCode AND deleted_at IS NULL)');
  }
  // As the statuses that are open, not `<> 'closed'`: a list of values seeks the status index.
  if (filter.overdue === true) clauses.push(`c.status IN (${OPEN_STATUSES}) AND c.deadline < @today`);
  if (filter.overdue === false) clauses.push("(c.status = 'closed' OR c.deadline >= @today)");
  return { where: clauses.join(' AND '), params };
}

/** Counting reads the status index alone: it holds every filter column, led by the one most filters constrain. */
const COUNT_SOURCE = 'rectification_cases c INDEXED BY rectification_cases_by_status';

const sortIndexes: Record<CaseSort['field'], { index: string; column: string }> = {
  deadline: { index: 'rectification_cases_by_deadline', column: 'c.deadline' },
  foundOn: { index: 'rectification_cases_by_found', column: 'c.found_on' },
};

/** At most this many matches are read off the count's index and sorted; more are paged by walking the sort's index. */
const SORT_AFTER_READING = 1_000;

/**
 * Where a filter's matches are found: by officer or enterprise (county: its enterprises) on that
 * id's own narrow index (0019), else on the coded status index. Either also counts them.
 */
function countSourceOf(filter: CaseListFilter): { source: string; narrow: boolean } {
  const narrow = filter.enterpriseId !== undefined || filter.divisionCode !== undefined ? 'rectification_cases_by_enterprise' : filter.officerId !== undefined ? 'rectification_cases_by_officer' : null;
  return narrow === null ? { source: COUNT_SOURCE, narrow: false } : { source: `rectification_cases c INDEXED BY ${narrow}`, narrow: true };
}

/** A page of the register, and how many cases match: exactly, or at least `total` (totalCapped, 「1,100+」). */
export interface CasePage {
  rows: CaseListRow[];
  total: number;
  totalCapped: boolean;
}

/**
 * Filtered, sorted, paged in SQL at a cost that follows the page, not the register (issue 20, as the
 * loan register): the matches are counted on their narrowest index, no further than LIST_COUNT_AHEAD
 * past the page unless `exactTotal` (an exact count read the whole status index on most pages, most of
 * a page's cost). An id filter's few matches, or any filter's ≤ 1,000, are read off that index and
 * sorted; more are paged by walking the sort's own index, which holds every coded filter column and
 * stops after the page. Only the page's rows are then read whole, with their names.
 * Bench: bench/scenarios/cases.ts.
 */
export function listCases(db: Db, filter: CaseListFilter, sort: CaseSort, offset: number, limit: number, today: string, exactTotal = false): CasePage {
  const { where, params } = plan(filter, today);
  const counting = countSourceOf(filter);
  // Counted one past the cap, to know whether the cap was reached.
  const cap = Math.max(SORT_AFTER_READING, offset + limit + LIST_COUNT_AHEAD);
  const counted = exactTotal
    ? (prepared(db, `SELECT count(*) FROM ${counting.source} WHERE ${where}`).pluck().get(params) as number)
    : (prepared(db, `SELECT count(*) FROM (SELECT 1 FROM ${counting.source} WHERE ${where} LIMIT @cap)`).pluck().get({ ...params, cap: cap + 1 }) as number);
  const totalCapped = !exactTotal && counted > cap;
  const walk = sortIndexes[sort.field];
  const direction = sort.order.toUpperCase();
  // Ties keep the walked index's own order (its other columns, then rowid): a tie-break column outside
  // the index would read every matching row to sort it. Matches read whole sort ties by rowid.
  const small = counting.narrow || counted <= SORT_AFTER_READING;
  const source = small ? counting.source : `rectification_cases c INDEXED BY ${walk.index}`;
  const order = small ? `${walk.column} ${direction}, c.rowid ${direction}` : `${walk.column} ${direction}`;
  const rowids = prepared(db, `SELECT c.rowid FROM ${source} WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .pluck()
    .all({ ...params, limit, offset }) as number[];
  return { rows: rowsInOrder<CaseListRow>(db, WITH_NAMES, 'c', rowids), total: totalCapped ? cap : counted, totalCapped };
}

/** Per status and overdue for the filter (its own status aside): the same plan as the list. */
export function countCases(db: Db, filter: CaseListFilter, today: string): CaseCounts {
  const { where, params } = plan(filter, today, false);
  const rows = prepared(
    db,
    `SELECT c.status AS status, count(*) AS n, sum(c.status <> 'closed' AND c.deadline < @today) AS overdue FROM ${countSourceOf(filter).source} WHERE ${where} GROUP BY c.status`,
  ).all(params) as { status: CaseStatus; n: number; overdue: number }[];
  const counts = Object.fromEntries(caseStatuses.map((status) => [status, 0])) as Record<CaseStatus, number>;
  let overdue = 0;
  for (const row of rows) {
    counts[row.status] = row.n;
    overdue += row.overdue;
  }
  return { ...counts, overdue, total: rows.reduce((sum, row) => sum + row.n, 0) };
}

// ---------------------------------------------------------------------------------------------
// 整改日历 (cases.calendar)

/** A range of calendar days, both included, and at most how many entries of a kind to read. */
export interface DayRange {
  from: string;
  to: string;
  limit: number;
}

/** One case entry of the calendar: a day, the record it is of, its case and the enterprise's name. */
export interface CaseCalendarRow {
  record_id: string;
  date: string;
  case_id: string;
  case_number: string;
  status: CaseStatus;
  deadline: string;
  enterprise_id: string;
  enterprise_name: string;
}

const CALENDAR_COLUMNS = `c.id AS case_id, c.case_number, c.status, c.deadline, c.enterprise_id, coalesce(e.name, '') AS enterprise_name`;

/**
 * The filter's cases whose deadline falls in the range, earliest first: the list's own plan, so the
 * calendar shows exactly the list's cases of those days. A filter's narrow index (officer, enterprise,
 * county) finds its few cases; otherwise the range is a slice of the deadline index.
 */
export function deadlinesWithin(db: Db, filter: CaseListFilter, range: DayRange, today: string): CaseCalendarRow[] {
  const { where, params } = plan(filter, today);
  const counting = countSourceOf(filter);
  const source = counting.narrow ? counting.source : 'rectification_cases c INDEXED BY rectification_cases_by_deadline';
  return prepared(
    db,
    `SELECT c.id AS record_id, c.deadline AS date, ${CALENDAR_COLUMNS} FROM ${source} LEFT JOIN enterprises e ON e.id = c.enterprise_id
     WHERE ${where} AND c.deadline BETWEEN @from AND @to ORDER BY c.deadline, c.case_number LIMIT @limit`,
  ).all({ ...params, ...range }) as CaseCalendarRow[];
}

/**
 * The next follow-up days in the range set by each open case's latest follow-up (a later one
 * supersedes the day an earlier one set), for the filter's cases: a slice of the next-day index (0033),
 * each joined to its case.
 */
export function followUpsDueWithin(db: Db, filter: CaseListFilter, range: DayRange, today: string): CaseCalendarRow[] {
  const { where, params } = plan(filter, today);
  return prepared(
    db,
    `SELECT f.id AS record_id, f.next_follow_up_on AS date, ${CALENDAR_COLUMNS}
     FROM rectification_follow_ups f INDEXED BY rectification_follow_ups_by_next CROSS JOIN rectification_cases c ON c.id = f.case_id LEFT JOIN enterprises e ON e.id = c.enterprise_id
     WHERE f.deleted_at IS NULL AND f.next_follow_up_on IS NOT NULL AND f.next_follow_up_on BETWEEN @from AND @to AND ${where} AND c.status IN (${OPEN_STATUSES})
       AND NOT EXISTS (SELECT 1 FROM rectification_follow_ups later INDEXED BY rectification_follow_ups_by_case
         WHERE later.case_id = f.case_id AND later.deleted_at IS NULL AND later.followed_on >= f.followed_on AND later.id <> f.id
           AND (later.followed_on > f.followed_on OR later.created_at > f.created_at))
     ORDER BY f.next_follow_up_on, c.case_number LIMIT @limit`,
  ).all({ ...params, ...range }) as CaseCalendarRow[];
}

/**
 * 压缩退出 target days in the range of the filter's open cases under that measure. The plan is JSON on
 * the case, so each such case's row is read (on the filter's count index): bench cases.calendar.
 */
export function planTargetsWithin(db: Db, filter: CaseListFilter, range: DayRange, today: string): CaseCalendarRow[] {
  if ((filter.measure !== undefined && filter.measure !== 'reduce_exit') || filter.status === 'closed') return [];
  const { where, params } = plan(filter, today);
  return prepared(
    db,
    `SELECT c.id AS record_id, json_extract(step.value, '$.date') AS date, ${CALENDAR_COLUMNS}
     FROM ${countSourceOf(filter).source} CROSS JOIN json_each(c.exposure_plan) step LEFT JOIN enterprises e ON e.id = c.enterprise_id
     WHERE ${where} AND c.measure = 'reduce_exit' AND c.status IN (${OPEN_STATUSES}) AND json_extract(step.value, '$.date') BETWEEN @from AND @to
     ORDER BY 2, c.case_number LIMIT @limit`,
  ).all({ ...params, ...range }) as CaseCalendarRow[];
}

/** Monitoring visits recorded ahead and not yet made, due in the range: a slice of their due-day index (0019). */
export function visitsDueWithin(db: Db, filter: { divisionCode?: string; enterpriseId?: string }, range: DayRange): { record_id: string; date: string; enterprise_id: string; enterprise_name: string }[] {
  const clauses = ['v.deleted_at IS NULL', 'v.visited_on IS NULL', 'v.due_on BETWEEN @from AND @to'];
  if (filter.enterpriseId !== undefined) clauses.push('v.enterprise_id = @enterpriseId');
  if (filter.divisionCode !== undefined) clauses.push('e.division_code = @divisionCode');
  return prepared(
    db,
    `SELECT v.id AS record_id, v.due_on AS date, v.enterprise_id, coalesce(e.name, '') AS enterprise_name
     FROM monitoring_visits v INDEXED BY monitoring_visits_by_due LEFT JOIN enterprises e ON e.id = v.enterprise_id
     WHERE ${clauses.join(' AND ')} ORDER BY v.due_on, v.id LIMIT @limit`,
  ).all({ ...range, ...filter }) as { record_id: string; date: string; enterprise_id: string; enterprise_name: string }[];
}
