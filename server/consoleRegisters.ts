import { collateralStatuses, collateralStatusWords, collateralTypes, collateralTypeWords, type CollateralStatus, type CollateralType } from '../shared/domain/collateral.ts';
import { collateralAlertKinds, collateralAlerts, isWatched, type AlertSettings, type CollateralAlert, type CollateralAlertKind, type LinkedLoanFacts } from '../shared/domain/collateralAlerts.ts';
import { collateralTermsSchema, defaultCollateralTerms } from '../shared/domain/collateralTerms.ts';
import { addDays } from '../shared/domain/collateralValuation.ts';
import { environmentalRatingInfo, environmentalRatingLevels, isAdverseRating, type EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import { formatYuan } from '../shared/domain/money.ts';
import { creditProducts } from '../shared/domain/creditApplication.ts';
import { creditStatuses } from '../shared/domain/creditWorkflow.ts';
import { greenFactoryProjectKindWords, matchmakingOutcomeWords, openMatchmakingOutcomes } from '../shared/domain/greenFactory.ts';
import { guaranteeModeWords } from '../shared/domain/guarantee.ts';
import { loanClassificationWords, loanStatusWords } from '../shared/domain/loan.ts';
import { caseCategoryWords, caseMeasureWords, caseStatuses, caseStatusWords, daysBetween, isCaseOpen, isCaseOverdue, type CaseStatus } from '../shared/domain/rectification.ts';
import { shanghaiDate } from '../shared/domain/calendar.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import { alertFilterValues, ANY_ALERT } from '../shared/api/console.ts';
import { publishedReferenceData } from './ledger.ts';
import type { Storage } from './storage.ts';
import { text, wanYuanText, type ConsoleTextKey } from './consoleText.ts';

/**
 * Cross-branch registers of the head-office console, over the synced rows (sync_rows) of any
 * registered table: one query and one page shape for all of them. A table listed here shows its
 * own columns; any other registered table shows its columns as they are, so a register added
 * later (loans, collateral) is listed the day it syncs.
 */

type Data = Record<string, unknown>;

export interface RegisterRowView {
  branchName: string;
  branchId: string;
  rowId: string;
  data: Data;
  /** The enterprise the row names (data.enterprise_id), from the same branch's rows. */
  enterprise: Data | null;
  /** Display names of the people the row names, from the branch's people directory. */
  names: Record<string, string>;
  /** A collateral item's alerts (collateralAlerts, from the read models), in the domain's order. */
  alerts?: CollateralAlert[];
}

interface Column {
  /** Names the column's words in the console app (registers.col.<key>): the label key's last part, or the field. */
  key: string;
  label: string;
  /** Text, not HTML: the page escapes it. `today` is the Asia/Shanghai day the page is for. */
  text: (row: RegisterRowView, today: string) => string;
  /** The cell as tags (each escaped by the page) instead of `text`, which the export writes. */
  tags?: (row: RegisterRowView) => string[];
}

/**
 * A register's own filter (the rectification cases' 未销号 / 已逾期): a SQL condition on the row's
 * data, given the day and the open statuses as parameters ($today, $open), so it says what the
 * shared domain says (rectification.ts isCaseOpen / isCaseOverdue, as db/rectification.ts does on the
 * laptop); the page also shows each row's overdue days from isCaseOverdue itself.
 */
interface RegisterState {
  value: string;
  label: string;
  where: string;
}

export interface RegisterSpec {
  title: string;
  /** Which columns the search box looks in (besides the enterprise's name and USCC). */
  searchFields: string[];
  columns: Column[];
  states?: RegisterState[];
  /** The register's rows carry their collateral alerts, and it filters by an alert kind. */
  alerts?: true;
}

const str = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));
const wan = (value: unknown): string => (typeof value === 'number' && Number.isSafeInteger(value) ? wanYuanText(value) : '—');
const percent = (bp: unknown): string => (typeof bp === 'number' ? `${(bp / 100).toFixed(2)}%` : '—');
const person = (row: RegisterRowView, field: string): string => {
  const id = row.data[field];
  return typeof id === 'string' ? (row.names[id] ?? id) : '—';
};
const enterpriseName = (row: RegisterRowView) => str(row.enterprise?.name);

const productWords = Object.fromEntries(creditProducts.map((product) => [product, text(`credit.product.${product}`)])) as Record<(typeof creditProducts)[number], string>;
export const creditStatusWords = Object.fromEntries(creditStatuses.map((status) => [status, text(`credit.status.${status}`)])) as Record<(typeof creditStatuses)[number], string>;
const word = <K extends string>(words: Record<K, string>, value: unknown) => (typeof value === 'string' && Object.hasOwn(words, value) ? words[value as K] : str(value));
const priority = (row: RegisterRowView) => (row.enterprise?.miit_recommended === 1 || (row.enterprise?.green_factory_level ?? null) !== null ? text('registers.priority') : '');
const column = (label: ConsoleTextKey, cell: Column['text'], tags?: Column['tags']): Column => ({ key: label.slice(label.lastIndexOf('.') + 1), label: text(label), text: cell, ...(tags === undefined ? {} : { tags }) });

/** One alert in words with the figures it was raised on, as the laptop's register words it (renderer CollateralTags.tsx alertText). */
export function alertText(alert: CollateralAlert): string {
  switch (alert.kind) {
    case 'expires_before_maturity':
      return text('collateral.alert.expires_before_maturity', { what: text(alert.what === 'right' ? 'collateral.alert.right' : 'collateral.alert.registrationWhat'), expiresOn: alert.expiresOn, maturesOn: alert.maturesOn });
    case 'registration_expiring':
      return alert.daysLeft < 0 ? text('collateral.alert.registration_lapsed', { expiresOn: alert.expiresOn }) : text('collateral.alert.registration_expiring', { expiresOn: alert.expiresOn, daysLeft: alert.daysLeft });
    case 'revaluation_overdue':
      return text('collateral.alert.revaluation_overdue', { dueOn: alert.dueOn, daysOverdue: alert.daysOverdue });
    case 'coverage_over_limit':
      return text('collateral.alert.coverage_over_limit', { balance: formatYuan(alert.securedBalanceFen), pledged: formatYuan(alert.pledgedFen), limit: percent(alert.limitBp) });
    case 'surrender_deadline_in_term':
      return text('collateral.alert.surrender_deadline_in_term', { deadline: alert.deadline, maturesOn: alert.maturesOn });
    case 'eligibility_lost':
      return text('collateral.alert.eligibility_lost', { rating: environmentalRatingInfo(alert.rating).plate });
    case 'open_environmental_case':
      return text('collateral.alert.open_environmental_case', { cases: alert.caseNumbers.join(text('collateral.alert.caseSeparator')) });
  }
}

const alertTexts = (row: RegisterRowView) => (row.alerts ?? []).map(alertText);

export const registerSpecs: Record<string, RegisterSpec> = {
  credit_applications: {
    title: text('registers.title.credit_applications'),
    searchFields: ['purpose', 'project_name'],
    columns: [
      column('registers.col.enterprise', enterpriseName),
      column('registers.col.product', (row) => word(productWords, row.data.product)),
      column('registers.col.amount', (row) => wan(row.data.amount_fen)),
      column('registers.col.term', (row) => text('registers.termMonths', { months: str(row.data.term_months) })),
      column('registers.col.rate', (row) => percent(row.data.rate_bp)),
      column('registers.col.guarantee', (row) => word(guaranteeModeWords, row.data.guarantee_mode)),
      column('registers.col.status', (row) => `${word(creditStatusWords, row.data.status)}${row.data.status === 'approval' && row.data.approval_level === 'branch_head' ? text('registers.branchHead') : ''}`),
      column('registers.col.priority', priority),
      column('registers.col.investigator', (row) => person(row, 'investigator_id')),
      column('registers.col.decider', (row) => person(row, 'decider_id')),
    ],
    // The head-office approval queue (consoleApprovals.ts) is this register narrowed to 上报上级行.
    states: [{ value: 'escalated', label: creditStatusWords.escalated, where: `r.data->>'status' = 'escalated'` }],
  },
  loans: {
    title: text('registers.title.loans'),
    searchFields: ['loan_number'],
    columns: [
      column('registers.col.loanNumber', (row) => str(row.data.loan_number)),
      column('registers.col.enterprise', enterpriseName),
      column('registers.col.amount', (row) => wan(row.data.amount_fen)),
      column('registers.col.balance', (row) => wan(row.data.balance_fen)),
      column('registers.col.maturesOn', (row) => str(row.data.matures_on)),
      column('registers.col.classification', (row) => word(loanClassificationWords, row.data.classification)),
      column('registers.col.status', (row) => word(loanStatusWords, row.data.status)),
    ],
  },
  collateral_items: {
    title: text('registers.title.collateral_items'),
    searchFields: ['certificate_number', 'registration_number'],
    columns: [
      column('registers.col.enterprise', enterpriseName),
      column('registers.col.collateralType', (row) => word(collateralTypeWords, row.data.type)),
      column('registers.col.certificate', (row) => str(row.data.certificate_number)),
      column('registers.col.validTo', (row) => str(row.data.valid_to)),
      column('registers.col.appraised', (row) => wan(row.data.appraised_value_fen)),
      column('registers.col.pledgeRate', (row) => percent(row.data.pledge_rate_bp)),
      column('registers.col.pledged', (row) => wan(row.data.pledged_value_fen)),
      column('registers.col.registration', (row) => str(row.data.registration_number)),
      column('registers.col.status', (row) => word(collateralStatusWords, row.data.status)),
      // The alerts the laptop's register shows, computed with the same domain function (collateralRegisterAlerts).
      column('registers.col.alerts', (row) => alertTexts(row).join(text('registers.listSeparator')), alertTexts),
      column('registers.col.maker', (row) => person(row, 'maker_id')),
      column('registers.col.decider', (row) => person(row, 'checker_id')),
    ],
    alerts: true,
  },
  rectification_cases: {
    title: text('registers.title.rectification_cases'),
    searchFields: ['case_number', 'description'],
    columns: [
      column('registers.col.caseNumber', (row) => str(row.data.case_number)),
      column('registers.col.enterprise', enterpriseName),
      column('registers.col.category', (row) => word(caseCategoryWords, row.data.category)),
      column('registers.col.deadline', (row) => str(row.data.deadline)),
      column('registers.col.status', (row) => word(caseStatusWords, row.data.status)),
      column('registers.col.overdue', (row, today) => (caseOverdue(row.data, today) ? text('registers.overdueDays', { days: daysBetween(String(row.data.deadline), today) }) : '')),
      column('registers.col.measure', (row) => word(caseMeasureWords, row.data.measure)),
      column('registers.col.officer', (row) => person(row, 'officer_id')),
    ],
    states: [
      { value: 'open', label: text('registers.state.caseOpen'), where: `r.data->>'status' = ANY($open::text[])` },
      { value: 'overdue', label: text('registers.state.caseOverdue'), where: `r.data->>'status' = ANY($open::text[]) AND r.data->>'deadline' < $today::text` },
    ],
  },
  green_factory_projects: {
    title: text('registers.title.green_factory_projects'),
    searchFields: ['project_name', 'quarter', 'contact_name'],
    columns: [
      column('registers.col.enterprise', enterpriseName),
      column('registers.col.projectName', (row) => str(row.data.project_name)),
      column('registers.col.projectKind', (row) => word(greenFactoryProjectKindWords, row.data.kind)),
      column('registers.col.amountSought', (row) => wan(row.data.amount_sought_fen)),
      column('registers.col.quarter', (row) => str(row.data.quarter)),
      column('registers.col.outcome', (row) => word(matchmakingOutcomeWords, row.data.outcome)),
      column('registers.col.outcomeReason', (row) => (row.data.outcome === 'not_reached' ? str(row.data.outcome_reason) : '')),
      column('registers.col.contact', (row) => str(row.data.contact_name)),
      column('registers.col.maker', (row) => person(row, 'created_by')),
    ],
    // The matchmaking outcomes of greenFactory.ts: still being matched, and each end.
    states: [
      { value: 'open', label: text('registers.state.matchingOpen'), where: `r.data->>'outcome' IN (${openMatchmakingOutcomes.map((outcome) => `'${outcome}'`).join(', ')})` },
      { value: 'credit_granted', label: matchmakingOutcomeWords.credit_granted, where: `r.data->>'outcome' = 'credit_granted'` },
      { value: 'disbursed', label: matchmakingOutcomeWords.disbursed, where: `r.data->>'outcome' = 'disbursed'` },
      { value: 'not_reached', label: matchmakingOutcomeWords.not_reached, where: `r.data->>'outcome' = 'not_reached'` },
    ],
  },
};

/** isCaseOverdue over a synced row's data; a row whose status or deadline is not a case's is not overdue. */
function caseOverdue(data: Data, today: string): boolean {
  const { status, deadline } = data;
  return typeof status === 'string' && (caseStatuses as readonly string[]).includes(status) && typeof deadline === 'string' && isCaseOverdue({ status: status as CaseStatus, deadline }, today);
}

const openCaseStatuses = caseStatuses.filter(isCaseOpen);

/**
 * Registers read from their typed read model (server/readModels.ts, migrations 0009/0012) instead of
 * sync_rows: the page's rows are found (filter, search, newest change first) on the read model's
 * indexes, and only the page's own rows are read from sync_rows — a 500,000-loan register's page
 * without unpacking its jsonb (bench headoffice.register_page). The search looks in the same fields.
 */
const indexedRegisters: Record<string, { into: string; id: string; search: string[] }> = {
  loans: { into: 'rm_loans', id: 'loan_id', search: ['loan_number'] },
  collateral_items: { into: 'rm_collateral_items', id: 'item_id', search: ['certificate_number', 'registration_number'] },
};

const PERSON_NAMES = `(SELECT jsonb_object_agg(p.row_id::text, p.data->>'display_name') FROM sync_rows p
         WHERE p.branch_id = r.branch_id AND p.table_name = 'people'
           AND p.row_id::text IN (r.data->>'created_by', r.data->>'updated_by', r.data->>'investigator_id', r.data->>'reviewer_id', r.data->>'decider_id',
                              r.data->>'maker_id', r.data->>'checker_id', r.data->>'officer_id')) AS names`;

type FoundRow = { branch_name: string; branch_id: string; row_id: string; data: Data; enterprise: Data | null; names: Record<string, string> | null };
const rowView = (row: FoundRow): RegisterRowView => ({ branchName: row.branch_name, branchId: row.branch_id, rowId: row.row_id, data: row.data, enterprise: row.enterprise, names: row.names ?? {} });

/**
 * The branch and county filters over a read model's rows (alias m): the branch by its id, the county
 * as the hub knows each branch's (branches.division_code, index branches_division), so either is a
 * walk of the read model's (branch_id, updated_at) index per branch.
 */
function branchClauses(filter: RegisterFilter, param: (value: unknown) => string, alias: string): string[] {
  const clauses: string[] = [];
  if (filter.branchId !== '') clauses.push(`${alias}.branch_id = ${param(filter.branchId)}::uuid`);
  if ((filter.county ?? '') !== '') clauses.push(`${alias}.branch_id IN (SELECT cb.branch_id FROM branches cb WHERE cb.division_code = ${param(filter.county)})`);
  return clauses;
}

/** The clauses narrowing an indexed register's read model (alias m), and the join its search needs. */
function indexedClauses(model: { search: string[] }, filter: RegisterFilter, param: (value: unknown) => string, searchJoin: boolean): { join: string; clauses: string[] } {
  const clauses = ['NOT m.deleted', ...branchClauses(filter, param, 'm')];
  // The borrower's file only when searching: a page without a search walks the (branch_id,) updated_at index alone.
  let join = '';
  if (filter.query !== '') {
    const q = param(filter.query);
    if (searchJoin) join = 'LEFT JOIN rm_enterprises en ON en.branch_id = m.branch_id AND en.enterprise_id::text = m.enterprise_id';
    clauses.push(`(en.name ILIKE '%' || ${q} || '%' OR en.uscc LIKE upper(${q}) || '%' OR ${model.search.map((field) => `m.${field} ILIKE '%' || ${q} || '%'`).join(' OR ')})`);
  }
  return { join, clauses };
}

/** Some rows of a table by key, in the order given, with the enterprise and people they name. */
async function rowsByKey(storage: Storage, table: string, keys: readonly { branchId: string; rowId: string }[]): Promise<RegisterRowView[]> {
  if (keys.length === 0) return [];
  const found = await storage.query<FoundRow>(
    `WITH keyed AS (SELECT k.branch_id, k.row_id, k.n FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS k(branch_id, row_id, n))
     SELECT b.name AS branch_name, r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.data, e.data AS enterprise, ${PERSON_NAMES}
     FROM keyed JOIN sync_rows r ON r.branch_id = keyed.branch_id AND r.table_name = $3 AND r.row_id = keyed.row_id
     JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     ORDER BY keyed.n`,
    [keys.map((key) => key.branchId), keys.map((key) => key.rowId), table],
  );
  return found.map(rowView);
}

async function indexedRegisterPage(
  storage: Storage,
  table: string,
  model: { into: string; id: string; search: string[] },
  filter: RegisterFilter,
  limit: number,
  offset: number,
  today: string,
): Promise<RegisterPage> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const { join, clauses } = indexedClauses(model, filter, param, true);
  const matching = `FROM ${model.into} m ${join} WHERE ${clauses.join(' AND ')}`;
  const countParams = [...params];
  const found = await storage.query<FoundRow>(
    `WITH page AS (SELECT m.branch_id, m.${model.id} AS row_id, m.updated_at ${matching} ORDER BY m.updated_at DESC, m.branch_id, m.${model.id} LIMIT ${param(limit)} OFFSET ${param(offset)})
     SELECT b.name AS branch_name, r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.data, e.data AS enterprise, ${PERSON_NAMES}
     FROM page JOIN sync_rows r ON r.branch_id = page.branch_id AND r.table_name = ${param(table)} AND r.row_id = page.row_id
     JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     ORDER BY page.updated_at DESC, page.branch_id, page.row_id`,
    params,
  );
  const [counted] = await storage.query<{ total: number | string }>(`SELECT count(*) AS total ${matching}`, countParams);
  return { total: Number(counted?.total ?? 0), today, rows: found.map(rowView) };
}

// ---------------------------------------------------------------------------------------------
// Collateral alerts

/**
 * The alert settings in force at head office: the coverage limit and registration warning horizon of
 * the newest published collateral terms (the set every laptop applies at sync), else the shipped
 * default, as the laptop's own (electron/host/handlers/collateral.ts alertSettings).
 */
export async function collateralAlertSettings(storage: Storage, today: string): Promise<AlertSettings> {
  const parsed = collateralTermsSchema.safeParse(await publishedReferenceData(storage, 'collateral-terms'));
  const terms = parsed.success ? parsed.data : defaultCollateralTerms;
  return { today, registrationWarningDays: terms.registrationWarningDays, coverageLimitBp: terms.coverageLimitBp };
}

// What the alert filter offers (one kind, or any alert at all), as the contract says.
export { alertFilterValues, ANY_ALERT };

const openCaseList = `ARRAY[${openCaseStatuses.map((status) => `'${status}'`).join(', ')}]`;
const watchedList = `ARRAY[${collateralStatuses
  .filter(isWatched)
  .map((status) => `'${status}'`)
  .join(', ')}]`;
const adverseList = `ARRAY[${environmentalRatingLevels
  .filter(isAdverseRating)
  .map((level) => `'${level}'`)
  .join(', ')}]`;
const OPEN_CASES = `FROM rm_rectification_cases rc
     WHERE rc.branch_id = m.branch_id AND rc.enterprise_id = m.enterprise_id AND NOT rc.deleted AND rc.category = 'environmental' AND rc.status = ANY(${openCaseList})`;

/**
 * The facts collateralAlerts reads, per item of the read models the condition (over alias m and its
 * owner en) leaves, newest change first: the item's dates and pledged value, the loans it secures
 * in maturity order (as db/collateral.ts collateralLoanLinks gives them; binary order like SQLite's),
 * the owner's rating and open environmental cases by deadline and number (db/rectification.ts
 * openEnvironmentalCases). Three statements — the items, then their links' loans and their owners'
 * cases by key — rather than one: the links name items and loans by text ids, the planner cannot
 * size a join of those sets, and as one statement it re-aggregated the links per item (bench
 * headoffice.register_filters: an alert filter reads every item that could raise the kind).
 */
async function factsWhere(storage: Storage, where: string, params: unknown[]): Promise<FactsRow[]> {
  const items = await storage.query<Omit<FactsRow, 'loans' | 'cases'> & { enterprise_id: string | null }>(
    `SELECT m.branch_id::text AS branch_id, m.item_id::text AS item_id, m.enterprise_id, m.type, m.status, m.valid_to, m.registration_expires_on, m.revaluation_due_on,
            m.pledged_value_fen::float8 AS pledged_fen, m.compliance_year, en.environmental_rating AS rating
     FROM rm_collateral_items m LEFT JOIN rm_enterprises en ON en.branch_id = m.branch_id AND en.enterprise_id::text = m.enterprise_id
     WHERE ${where} ORDER BY m.updated_at DESC, m.branch_id, m.item_id`,
    params,
  );
  if (items.length === 0) return [];
  const links = await storage.query<{ branch_id: string; item_id: string; loan_id: string; disbursed_on: string | null; matures_on: string | null; status: string; balance_fen: number; secured_amount_fen: number | null }>(
    `SELECT k.branch_id::text AS branch_id, k.item_id, l.loan_id::text AS loan_id, l.disbursed_on, l.matures_on, l.status, l.balance_fen::float8 AS balance_fen, k.secured_amount_fen::float8 AS secured_amount_fen
     FROM unnest($1::uuid[], $2::text[]) AS w(branch_id, item_id)
     JOIN rm_collateral_loans k ON k.branch_id = w.branch_id AND k.item_id = w.item_id AND NOT k.deleted
     JOIN rm_loans l ON l.branch_id = k.branch_id AND l.loan_id::text = k.loan_id AND NOT l.deleted
     ORDER BY l.matures_on COLLATE "C", l.loan_number COLLATE "C"`,
    [items.map((item) => item.branch_id), items.map((item) => item.item_id)],
  );
  const owners = [...new Map(items.filter((item) => item.enterprise_id !== null).map((item) => [`${item.branch_id}/${item.enterprise_id}`, item])).values()];
  const cases = await storage.query<{ branch_id: string; enterprise_id: string; case_number: string }>(
    `SELECT rc.branch_id::text AS branch_id, rc.enterprise_id, rc.case_number
     FROM unnest($1::uuid[], $2::text[]) AS w(branch_id, enterprise_id)
     JOIN rm_rectification_cases rc ON rc.branch_id = w.branch_id AND rc.enterprise_id = w.enterprise_id
     WHERE NOT rc.deleted AND rc.category = 'environmental' AND rc.status = ANY(${openCaseList})
     ORDER BY rc.deadline COLLATE "C", rc.case_number COLLATE "C"`,
    [owners.map((item) => item.branch_id), owners.map((item) => item.enterprise_id)],
  );
  const loansOf = new Map<string, FactsRow['loans']>();
  for (const link of links) {
    const key = `${link.branch_id}/${link.item_id}`;
    const list = loansOf.get(key) ?? [];
    list.push({ loanId: link.loan_id, disbursedOn: link.disbursed_on, maturesOn: link.matures_on, status: link.status, balanceFen: link.balance_fen, securedAmountFen: link.secured_amount_fen });
    loansOf.set(key, list);
  }
  const casesOf = new Map<string, string[]>();
  for (const found of cases) {
    const key = `${found.branch_id}/${found.enterprise_id}`;
    casesOf.set(key, [...(casesOf.get(key) ?? []), found.case_number]);
  }
  return items.map(({ enterprise_id: enterprise, ...item }) => ({ ...item, loans: loansOf.get(`${item.branch_id}/${item.item_id}`) ?? [], cases: enterprise === null ? [] : (casesOf.get(`${item.branch_id}/${enterprise}`) ?? []) }));
}

interface FactsRow {
  branch_id: string;
  item_id: string;
  type: string;
  status: string;
  valid_to: string | null;
  registration_expires_on: string | null;
  revaluation_due_on: string | null;
  pledged_fen: number;
  compliance_year: number | null;
  rating: string | null;
  loans: { loanId: string; disbursedOn: string | null; maturesOn: string | null; status: string; balanceFen: number; securedAmountFen: number | null }[];
  cases: string[];
}

const known = <T extends string>(values: readonly T[], value: string | null): value is T => value !== null && (values as readonly string[]).includes(value);

/** An item's alerts from its read-model facts, with the laptop's function; an item of no known type or status raises none. */
function alertsOf(row: FactsRow, settings: AlertSettings): CollateralAlert[] {
  if (!known<CollateralStatus>(collateralStatuses, row.status) || !known<CollateralType>(collateralTypes, row.type)) return [];
  const loans: LinkedLoanFacts[] = row.loans.map((loan) => ({
    loanId: loan.loanId,
    disbursedOn: loan.disbursedOn ?? '',
    maturesOn: loan.maturesOn ?? '',
    outstanding: loan.status === 'outstanding',
    balanceFen: Number(loan.balanceFen),
    securedAmountFen: loan.securedAmountFen === null ? null : Number(loan.securedAmountFen),
  }));
  return collateralAlerts(
    {
      type: row.type,
      status: row.status,
      validTo: row.valid_to ?? '',
      registrationExpiresOn: row.registration_expires_on,
      revaluationDueOn: row.revaluation_due_on,
      pledgedFen: Number(row.pledged_fen),
      complianceYear: row.compliance_year,
      loans,
      enterpriseRating: known<EnvironmentalRatingLevel>(environmentalRatingLevels, row.rating) ? row.rating : null,
      openEnvironmentalCases: row.cases,
    },
    settings,
  );
}

/** The alerts of some items (a page's), by `branch/item`. */
async function alertsByKey(storage: Storage, keys: readonly { branchId: string; rowId: string }[], settings: AlertSettings): Promise<Map<string, CollateralAlert[]>> {
  const alerts = new Map<string, CollateralAlert[]>();
  if (keys.length === 0) return alerts;
  const found = await factsWhere(storage, '(m.branch_id, m.item_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))', [keys.map((key) => key.branchId), keys.map((key) => key.rowId)]);
  for (const row of found) alerts.set(`${row.branch_id}/${row.item_id}`, alertsOf(row, settings));
  return alerts;
}

/** One collateral item's alerts as its register row shows them (the record's page). */
export async function collateralItemAlerts(storage: Storage, branchId: string, itemId: string, today: string): Promise<CollateralAlert[]> {
  const found = await alertsByKey(storage, [{ branchId, rowId: itemId }], await collateralAlertSettings(storage, today));
  return found.get(`${branchId}/${itemId}`) ?? [];
}

/**
 * What an item raising the alert kind must hold, in SQL over the read models: a necessary condition
 * only (the domain function decides), so the filter computes alerts for the few items that could
 * raise it instead of every watched item. Dates compare as the domain's strings do (binary).
 */
function mayRaise(kind: CollateralAlertKind, param: (value: unknown) => string, settings: AlertSettings): string {
  switch (kind) {
    // The two kinds read from the linked loans are not narrowed in SQL: judging their EXISTS on every
    // watched item cost seconds (担保覆盖超限 34 s of a capped page at 300,000 items, bench
    // headoffice.register_filters), while most watched items that secure a loan raise them, so
    // computing alerts down the newest-first candidates reaches the count's cap after a few batches.
    case 'expires_before_maturity':
      return 'TRUE';
    case 'registration_expiring':
      return `m.registration_expires_on COLLATE "C" <= ${param(addDays(settings.today, settings.registrationWarningDays))}`;
    case 'revaluation_overdue':
      return `m.revaluation_due_on COLLATE "C" < ${param(settings.today)}`;
    case 'coverage_over_limit':
      return 'TRUE';
    case 'surrender_deadline_in_term':
      return `m.type = 'carbon_allowance' AND m.compliance_year IS NOT NULL`;
    case 'eligibility_lost':
      return `en.environmental_rating = ANY(${adverseList})`;
    case 'open_environmental_case':
      return `EXISTS (SELECT 1 ${OPEN_CASES})`;
  }
}

/**
 * The alert filter counts its matches this far past the page and no further (the page then says
 * 「1,000+」, as the laptop's registers do past their cap, issue 20): a match is only known by
 * computing its alerts, which cost 0.44 s for 6,000 matches and 39 s for 150,000 when all were counted.
 */
export const ALERT_COUNT_CAP = 1_000;
/** Candidates whose facts are read and alerts computed at a time, newest change first, until the cap is passed. */
export const ALERT_BATCH = 500;

/** How far the alert filter counts, and in batches of how many candidates (tests make both small). */
export interface AlertCounting {
  countCap: number;
  batch: number;
}

/**
 * The collateral register narrowed to items raising an alert kind (or any alert): the watched
 * items the other filters and the kind's necessary condition leave, newest change first (their keys
 * only), then their alerts computed with collateralAlerts batch by batch, kept where the kind is
 * among them, until the page is filled and the count has passed its cap; then the page's rows.
 * Alerts depend on the day, so no stored column or index can hold them.
 */
async function alertRegisterPage(storage: Storage, filter: RegisterFilter, limit: number, offset: number, today: string, { countCap, batch: batchSize }: AlertCounting): Promise<RegisterPage> {
  const settings = await collateralAlertSettings(storage, today);
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const { clauses } = indexedClauses(indexedRegisters.collateral_items!, filter, param, false);
  clauses.push(`m.status = ANY(${watchedList})`);
  const kind = filter.alert as CollateralAlertKind | typeof ANY_ALERT;
  // Any alert: an item that could raise one of them.
  clauses.push(kind === ANY_ALERT ? `(${collateralAlertKinds.map((each) => `(${mayRaise(each, param, settings)})`).join(' OR ')})` : mayRaise(kind, param, settings));
  const candidates = await storage.query<{ branch_id: string; item_id: string }>(
    `SELECT m.branch_id::text AS branch_id, m.item_id::text AS item_id
     FROM rm_collateral_items m LEFT JOIN rm_enterprises en ON en.branch_id = m.branch_id AND en.enterprise_id::text = m.enterprise_id
     WHERE ${clauses.join(' AND ')} ORDER BY m.updated_at DESC, m.branch_id, m.item_id`,
    params,
  );
  // Counted one past the cap, to know whether it was reached.
  const cap = Math.max(countCap, offset + limit);
  const matching: { key: { branchId: string; rowId: string }; alerts: CollateralAlert[] }[] = [];
  for (let start = 0; start < candidates.length && matching.length <= cap; start += batchSize) {
    const batch = candidates.slice(start, start + batchSize);
    // factsWhere orders as the candidates are ordered, so the batches keep the register's order.
    const facts = await factsWhere(storage, '(m.branch_id, m.item_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))', [batch.map((row) => row.branch_id), batch.map((row) => row.item_id)]);
    for (const row of facts) {
      const alerts = alertsOf(row, settings);
      if (kind === ANY_ALERT ? alerts.length > 0 : alerts.some((alert) => alert.kind === kind)) matching.push({ key: { branchId: row.branch_id, rowId: row.item_id }, alerts });
    }
  }
  const totalCapped = matching.length > cap;
  const shown = matching.slice(offset, offset + limit);
  const rows = await rowsByKey(storage, 'collateral_items', shown.map((item) => item.key));
  return { total: totalCapped ? cap : matching.length, totalCapped, today, rows: rows.map((row, i) => ({ ...row, alerts: shown[i]!.alerts })) };
}

const conventionColumns = new Set(['id', 'branch_id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at']);

/** The spec of a registered table: its own, or its columns as stored. */
export function registerSpecOf(table: string, sample: Data | undefined): RegisterSpec | null {
  if (!isSyncTable(table)) return null;
  const own = registerSpecs[table];
  if (own !== undefined) return own;
  const fields = Object.keys(sample ?? {}).filter((field) => !conventionColumns.has(field)).slice(0, 10);
  return { title: table, searchFields: [], columns: fields.map((field) => ({ key: field, label: field, text: (row) => str(row.data[field]) })) };
}

export interface RegisterPage {
  rows: RegisterRowView[];
  total: number;
  /** The alert filter stopped counting at its cap (ALERT_COUNT_CAP): `total` is a lower bound. */
  totalCapped?: boolean;
  /** The Asia/Shanghai day the page's overdue column and filter are for. */
  today: string;
}

export interface RegisterFilter {
  query: string;
  /** A branch's id, or '' for every branch. */
  branchId: string;
  /** One of the spec's states' values, or '' for all rows. */
  state: string;
  /** A county (区划代码) whose branches' rows are shown, or '' (none given) for every county. */
  county?: string;
  /** For a register with alerts: an alert kind, ANY_ALERT, or '' (none given) for every row. */
  alert?: string;
}

/**
 * One page of a table's live rows across branches, newest change first, with the enterprise and
 * people they name; narrowed to a branch, a county, one of the register's states and (collateral)
 * an alert kind when asked. The collateral register's rows carry their alerts. An alert filter's
 * total is counted to `counting.countCap` (or the page's end, if further) and no further (totalCapped).
 */
export async function registerPage(
  storage: Storage,
  table: string,
  spec: RegisterSpec,
  filter: RegisterFilter,
  limit: number,
  offset: number,
  now = new Date(),
  counting: AlertCounting = { countCap: ALERT_COUNT_CAP, batch: ALERT_BATCH },
): Promise<RegisterPage> {
  const today = shanghaiDate(now);
  if (spec.alerts === true && alertFilterValues.includes(filter.alert ?? '')) return alertRegisterPage(storage, filter, limit, offset, today, counting);
  const indexed = indexedRegisters[table];
  const found = indexed !== undefined && spec.states === undefined ? await indexedRegisterPage(storage, table, indexed, filter, limit, offset, today) : await syncRowsRegisterPage(storage, table, spec, filter, limit, offset, today);
  if (spec.alerts !== true) return found;
  const alerts = await alertsByKey(storage, found.rows, await collateralAlertSettings(storage, today));
  return { ...found, rows: found.rows.map((row) => ({ ...row, alerts: alerts.get(`${row.branchId}/${row.rowId}`) ?? [] })) };
}

/** A register page read from sync_rows itself: the registers without a read model, and the tests' reference for those with one. */
export async function syncRowsRegisterPage(storage: Storage, table: string, spec: RegisterSpec, filter: RegisterFilter, limit: number, offset: number, today: string): Promise<RegisterPage> {
  const params: unknown[] = [table, filter.query, spec.searchFields, limit, offset];
  const param = (value: unknown) => `$${params.push(value)}`;
  // The branch and county narrow the primary key's (branch_id, table_name) prefix.
  const clauses: string[] = [];
  if (filter.branchId !== '') clauses.push(`r.branch_id::text = ${param(filter.branchId)}`);
  if ((filter.county ?? '') !== '') clauses.push(`r.branch_id IN (SELECT cb.branch_id FROM branches cb WHERE cb.division_code = ${param(filter.county)})`);
  const state = spec.states?.find((candidate) => candidate.value === filter.state);
  if (state !== undefined) {
    const named: Record<string, string> = {};
    clauses.push(state.where.replace(/\$(today|open)\b/g, (_match, name: 'today' | 'open') => (named[name] ??= param(name === 'today' ? today : openCaseStatuses))));
  }
  const found = await storage.query<FoundRow & { total: string | number }>(
    `SELECT b.name AS branch_name, r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.data, e.data AS enterprise, count(*) OVER () AS total,
       ${PERSON_NAMES}
     FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     WHERE r.table_name = $1 AND NOT r.deleted
       AND ($2 = '' OR e.data->>'name' ILIKE '%' || $2 || '%' OR e.data->>'uscc' LIKE upper($2) || '%'
            OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS f(field) WHERE r.data->>f.field ILIKE '%' || $2 || '%'))
       ${clauses.map((clause) => `AND ${clause}`).join(' ')}
     ORDER BY r.updated_at DESC LIMIT $4 OFFSET $5`,
    params,
  );
  return { total: Number(found[0]?.total ?? 0), today, rows: found.map(rowView) };
}

// ---------------------------------------------------------------------------------------------
// The enterprise register

export interface EnterpriseRow {
  branchName: string;
  branchId: string;
  rowId: string;
  data: Data;
  /** From the branch's people directory (a synced table): who last changed the file. */
  updatedByName: string | null;
}

/**
 * A page of the enterprise register across branches (newest change first), narrowed to a branch or
 * a county and by name or USCC, found on rm_enterprises' indexes like the indexed registers; only
 * the page's files are read from sync_rows.
 */
export async function enterprisePage(storage: Storage, filter: Pick<RegisterFilter, 'query' | 'branchId' | 'county'>, limit: number, offset: number): Promise<{ rows: EnterpriseRow[]; total: number }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const clauses = ['NOT m.deleted', ...branchClauses({ ...filter, state: '' }, param, 'm')];
  if (filter.query !== '') {
    const q = param(filter.query);
    clauses.push(`(m.name ILIKE '%' || ${q} || '%' OR m.uscc LIKE upper(${q}) || '%')`);
  }
  const matching = `FROM rm_enterprises m WHERE ${clauses.join(' AND ')}`;
  const countParams = [...params];
  const found = await storage.query<{ branch_name: string; branch_id: string; row_id: string; data: Data; updated_by_name: string | null }>(
    `WITH page AS (SELECT m.branch_id, m.enterprise_id AS row_id, m.updated_at ${matching} ORDER BY m.updated_at DESC, m.branch_id, m.enterprise_id LIMIT ${param(limit)} OFFSET ${param(offset)})
     SELECT b.name AS branch_name, r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.data,
       (SELECT p.data->>'display_name' FROM sync_rows p WHERE p.branch_id = r.branch_id AND p.table_name = 'people' AND p.row_id::text = r.data->>'updated_by') AS updated_by_name
     FROM page JOIN sync_rows r ON r.branch_id = page.branch_id AND r.table_name = 'enterprises' AND r.row_id = page.row_id
     JOIN branches b ON b.branch_id = r.branch_id
     ORDER BY page.updated_at DESC, page.branch_id, page.row_id`,
    params,
  );
  const [counted] = await storage.query<{ total: number | string }>(`SELECT count(*) AS total ${matching}`, countParams);
  return {
    total: Number(counted?.total ?? 0),
    rows: found.map((row) => ({ branchName: row.branch_name, branchId: row.branch_id, rowId: row.row_id, data: row.data, updatedByName: row.updated_by_name })),
  };
}
