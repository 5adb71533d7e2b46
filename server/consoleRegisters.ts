import { collateralStatusWords, collateralTypeWords } from '../shared/domain/collateral.ts';
import { creditProducts } from '../shared/domain/creditApplication.ts';
import { creditStatuses } from '../shared/domain/creditWorkflow.ts';
import { greenFactoryProjectKindWords, matchmakingOutcomeWords, openMatchmakingOutcomes } from '../shared/domain/greenFactory.ts';
import { guaranteeModeWords } from '../shared/domain/guarantee.ts';
import { loanClassificationWords, loanStatusWords } from '../shared/domain/loan.ts';
import { caseCategoryWords, caseMeasureWords, caseStatuses, caseStatusWords, daysBetween, isCaseOpen, isCaseOverdue, type CaseStatus } from '../shared/domain/rectification.ts';
import { shanghaiDate } from '../shared/domain/calendar.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import type { Storage } from './storage.ts';
import { wanYuanText } from './consoleText.ts';

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
}

interface Column {
  label: string;
  /** Text, not HTML: the page escapes it. `today` is the Asia/Shanghai day the page is for. */
  text: (row: RegisterRowView, today: string) => string;
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
}

const str = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));
const wan = (value: unknown): string => (typeof value === 'number' && Number.isSafeInteger(value) ? wanYuanText(value) : '—');
const percent = (bp: unknown): string => (typeof bp === 'number' ? `${(bp / 100).toFixed(2)}%` : '—');
const person = (row: RegisterRowView, field: string): string => {
  const id = row.data[field];
  return typeof id === 'string' ? (row.names[id] ?? id) : '—';
};
const enterpriseName = (row: RegisterRowView) => str(row.enterprise?.name);

const productWords: Record<(typeof creditProducts)[number], string> = {
  working_capital: '流动资金贷款',
  fixed_asset: '固定资产贷款',
  project: '项目贷款',
  bank_acceptance: '银行承兑汇票',
  trade_finance: '贸易融资',
};
export const creditStatusWords: Record<(typeof creditStatuses)[number], string> = {
  investigation: '调查中',
  review: '审查中',
  approval: '审批中',
  escalated: '上报上级行',
  approved: '已批准',
  rejected: '已否决',
};
const word = <K extends string>(words: Record<K, string>, value: unknown) => (typeof value === 'string' && Object.hasOwn(words, value) ? words[value as K] : str(value));
const priority = (row: RegisterRowView) => (row.enterprise?.miit_recommended === 1 || (row.enterprise?.green_factory_level ?? null) !== null ? '优先' : '');

export const registerSpecs: Record<string, RegisterSpec> = {
  credit_applications: {
    title: '授信申请',
    searchFields: ['purpose', 'project_name'],
    columns: [
      { label: '企业', text: enterpriseName },
      { label: '产品', text: (row) => word(productWords, row.data.product) },
      { label: '金额', text: (row) => wan(row.data.amount_fen) },
      { label: '期限', text: (row) => `${str(row.data.term_months)} 个月` },
      { label: '利率', text: (row) => percent(row.data.rate_bp) },
      { label: '担保方式', text: (row) => word(guaranteeModeWords, row.data.guarantee_mode) },
      { label: '状态', text: (row) => `${word(creditStatusWords, row.data.status)}${row.data.status === 'approval' && row.data.approval_level === 'branch_head' ? '（行长）' : ''}` },
      { label: '优先', text: priority },
      { label: '调查人', text: (row) => person(row, 'investigator_id') },
      { label: '审批人', text: (row) => person(row, 'decider_id') },
    ],
    // The head-office approval queue (consoleApprovals.ts) is this register narrowed to 上报上级行.
    states: [{ value: 'escalated', label: '上报上级行', where: `r.data->>'status' = 'escalated'` }],
  },
  loans: {
    title: '借据',
    searchFields: ['loan_number'],
    columns: [
      { label: '借据号', text: (row) => str(row.data.loan_number) },
      { label: '企业', text: enterpriseName },
      { label: '金额', text: (row) => wan(row.data.amount_fen) },
      { label: '余额', text: (row) => wan(row.data.balance_fen) },
      { label: '到期日', text: (row) => str(row.data.matures_on) },
      { label: '五级分类', text: (row) => word(loanClassificationWords, row.data.classification) },
      { label: '状态', text: (row) => word(loanStatusWords, row.data.status) },
    ],
  },
  collateral_items: {
    title: '抵质押登记簿',
    searchFields: ['certificate_number', 'registration_number'],
    columns: [
      { label: '企业', text: enterpriseName },
      { label: '类型', text: (row) => word(collateralTypeWords, row.data.type) },
      { label: '权证编号', text: (row) => str(row.data.certificate_number) },
      { label: '有效期至', text: (row) => str(row.data.valid_to) },
      { label: '评估价值', text: (row) => wan(row.data.appraised_value_fen) },
      { label: '质押率', text: (row) => percent(row.data.pledge_rate_bp) },
      { label: '质押价值', text: (row) => wan(row.data.pledged_value_fen) },
      { label: '登记证明编号', text: (row) => str(row.data.registration_number) },
      { label: '状态', text: (row) => word(collateralStatusWords, row.data.status) },
      { label: '录入人', text: (row) => person(row, 'maker_id') },
      { label: '审批人', text: (row) => person(row, 'checker_id') },
    ],
  },
  rectification_cases: {
    title: '整改案件',
    searchFields: ['case_number', 'description'],
    columns: [
      { label: '案件编号', text: (row) => str(row.data.case_number) },
      { label: '企业', text: enterpriseName },
      { label: '问题类别', text: (row) => word(caseCategoryWords, row.data.category) },
      { label: '整改期限', text: (row) => str(row.data.deadline) },
      { label: '状态', text: (row) => word(caseStatusWords, row.data.status) },
      { label: '逾期', text: (row, today) => (caseOverdue(row.data, today) ? `逾期 ${daysBetween(String(row.data.deadline), today)} 天` : '') },
      { label: '我行措施', text: (row) => word(caseMeasureWords, row.data.measure) },
      { label: '承办人', text: (row) => person(row, 'officer_id') },
    ],
    states: [
      { value: 'open', label: '未销号', where: `r.data->>'status' = ANY($open::text[])` },
      { value: 'overdue', label: '已逾期', where: `r.data->>'status' = ANY($open::text[]) AND r.data->>'deadline' < $today::text` },
    ],
  },
  green_factory_projects: {
    title: '绿色工厂融资需求',
    searchFields: ['project_name', 'quarter', 'contact_name'],
    columns: [
      { label: '企业', text: enterpriseName },
      { label: '项目名称', text: (row) => str(row.data.project_name) },
      { label: '类别', text: (row) => word(greenFactoryProjectKindWords, row.data.kind) },
      { label: '融资需求', text: (row) => wan(row.data.amount_sought_fen) },
      { label: '征集季度', text: (row) => str(row.data.quarter) },
      { label: '对接情况', text: (row) => word(matchmakingOutcomeWords, row.data.outcome) },
      { label: '未达成原因', text: (row) => (row.data.outcome === 'not_reached' ? str(row.data.outcome_reason) : '') },
      { label: '联系人', text: (row) => str(row.data.contact_name) },
      { label: '录入人', text: (row) => person(row, 'created_by') },
    ],
    // The matchmaking outcomes of greenFactory.ts: still being matched, and each end.
    states: [
      { value: 'open', label: '待对接或对接中', where: `r.data->>'outcome' IN (${openMatchmakingOutcomes.map((outcome) => `'${outcome}'`).join(', ')})` },
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
 * Registers read from their typed read model (server/readModels.ts, migration 0009) instead of
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
  const clauses = ['NOT m.deleted'];
  if (filter.branchId !== '') clauses.push(`m.branch_id = ${param(filter.branchId)}::uuid`);
  // The borrower's file only when searching: a page without a search walks the (branch_id,) updated_at index alone.
  let join = '';
  if (filter.query !== '') {
    const q = param(filter.query);
    join = 'LEFT JOIN rm_enterprises en ON en.branch_id = m.branch_id AND en.enterprise_id::text = m.enterprise_id';
    clauses.push(`(en.name ILIKE '%' || ${q} || '%' OR en.uscc LIKE upper(${q}) || '%' OR ${model.search.map((field) => `m.${field} ILIKE '%' || ${q} || '%'`).join(' OR ')})`);
  }
  const matching = `FROM ${model.into} m ${join} WHERE ${clauses.join(' AND ')}`;
  const countParams = [...params];
  const found = await storage.query<{ branch_name: string; branch_id: string; row_id: string; data: Data; enterprise: Data | null; names: Record<string, string> | null }>(
    `WITH page AS (SELECT m.branch_id, m.${model.id} AS row_id, m.updated_at ${matching} ORDER BY m.updated_at DESC, m.branch_id, m.${model.id} LIMIT ${param(limit)} OFFSET ${param(offset)})
     SELECT b.name AS branch_name, r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.data, e.data AS enterprise, ${PERSON_NAMES}
     FROM page JOIN sync_rows r ON r.branch_id = page.branch_id AND r.table_name = ${param(table)} AND r.row_id = page.row_id
     JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     ORDER BY page.updated_at DESC, page.branch_id, page.row_id`,
    params,
  );
  const [counted] = await storage.query<{ total: number | string }>(`SELECT count(*) AS total ${matching}`, countParams);
  return {
    total: Number(counted?.total ?? 0),
    today,
    rows: found.map((row) => ({ branchName: row.branch_name, branchId: row.branch_id, rowId: row.row_id, data: row.data, enterprise: row.enterprise, names: row.names ?? {} })),
  };
}

const conventionColumns = new Set(['id', 'branch_id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at']);

/** The spec of a registered table: its own, or its columns as stored. */
export function registerSpecOf(table: string, sample: Data | undefined): RegisterSpec | null {
  if (!isSyncTable(table)) return null;
  const own = registerSpecs[table];
  if (own !== undefined) return own;
  const fields = Object.keys(sample ?? {}).filter((field) => !conventionColumns.has(field)).slice(0, 10);
  return { title: table, searchFields: [], columns: fields.map((field) => ({ label: field, text: (row) => str(row.data[field]) })) };
}

export interface RegisterPage {
  rows: RegisterRowView[];
  total: number;
  /** The Asia/Shanghai day the page's overdue column and filter are for. */
  today: string;
}

export interface RegisterFilter {
  query: string;
  /** A branch's id, or '' for every branch. */
  branchId: string;
  /** One of the spec's states' values, or '' for all rows. */
  state: string;
}

/**
 * One page of a table's live rows across branches, newest change first, with the enterprise and
 * people they name; narrowed to a branch and to one of the register's states when asked.
 */
export async function registerPage(storage: Storage, table: string, spec: RegisterSpec, filter: RegisterFilter, limit: number, offset: number, now = new Date()): Promise<RegisterPage> {
  const today = shanghaiDate(now);
  const indexed = indexedRegisters[table];
  if (indexed !== undefined && spec.states === undefined) return indexedRegisterPage(storage, table, indexed, filter, limit, offset, today);
  return syncRowsRegisterPage(storage, table, spec, filter, limit, offset, today);
}

/** A register page read from sync_rows itself: the registers without a read model, and the tests' reference for those with one. */
export async function syncRowsRegisterPage(storage: Storage, table: string, spec: RegisterSpec, filter: RegisterFilter, limit: number, offset: number, today: string): Promise<RegisterPage> {
  const params: unknown[] = [table, filter.query, spec.searchFields, limit, offset];
  const param = (value: unknown) => `$${params.push(value)}`;
  const clauses: string[] = [];
  if (filter.branchId !== '') clauses.push(`r.branch_id::text = ${param(filter.branchId)}`);
  const state = spec.states?.find((candidate) => candidate.value === filter.state);
  if (state !== undefined) {
    const named: Record<string, string> = {};
    clauses.push(state.where.replace(/\$(today|open)\b/g, (_match, name: 'today' | 'open') => (named[name] ??= param(name === 'today' ? today : openCaseStatuses))));
  }
  const found = await storage.query<{ branch_name: string; branch_id: string; row_id: string; data: Data; enterprise: Data | null; names: Record<string, string> | null; total: string | number }>(
    `SELECT b.name AS branch_name, r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.data, e.data AS enterprise, count(*) OVER () AS total,
       (SELECT jsonb_object_agg(p.row_id::text, p.data->>'display_name') FROM sync_rows p
         WHERE p.branch_id = r.branch_id AND p.table_name = 'people'
           AND p.row_id::text IN (r.data->>'created_by', r.data->>'updated_by', r.data->>'investigator_id', r.data->>'reviewer_id', r.data->>'decider_id',
                              r.data->>'maker_id', r.data->>'checker_id', r.data->>'officer_id')) AS names
     FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     WHERE r.table_name = $1 AND NOT r.deleted
       AND ($2 = '' OR e.data->>'name' ILIKE '%' || $2 || '%' OR e.data->>'uscc' LIKE upper($2) || '%'
            OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS f(field) WHERE r.data->>f.field ILIKE '%' || $2 || '%'))
       ${clauses.map((clause) => `AND ${clause}`).join(' ')}
     ORDER BY r.updated_at DESC LIMIT $4 OFFSET $5`,
    params,
  );
  return {
    total: Number(found[0]?.total ?? 0),
    today,
    rows: found.map((row) => ({ branchName: row.branch_name, branchId: row.branch_id, rowId: row.row_id, data: row.data, enterprise: row.enterprise, names: row.names ?? {} })),
  };
}
