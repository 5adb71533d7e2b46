import { collateralStatusWords, collateralTypeWords } from '../shared/domain/collateral.ts';
import { creditProducts } from '../shared/domain/creditApplication.ts';
import { creditStatuses } from '../shared/domain/creditWorkflow.ts';
import { guaranteeModeWords } from '../shared/domain/guarantee.ts';
import { loanClassificationWords, loanStatusWords } from '../shared/domain/loan.ts';
import { formatWanYuan } from '../shared/domain/money.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import type { Storage } from './storage.ts';

/**
 * Cross-branch registers of the head-office console, over the synced rows (sync_rows) of any
 * registered table: one query and one page shape for all of them. A table listed here shows its
 * own columns; any other registered table shows its columns as they are, so a register added
 * later (loans, collateral) is listed the day it syncs.
 */

type Data = Record<string, unknown>;

export interface RegisterRowView {
  branchName: string;
  rowId: string;
  data: Data;
  /** The enterprise the row names (data.enterprise_id), from the same branch's rows. */
  enterprise: Data | null;
  /** Display names of the people the row names, from the branch's people directory. */
  names: Record<string, string>;
}

interface Column {
  label: string;
  /** Text, not HTML: the page escapes it. */
  text: (row: RegisterRowView) => string;
}

export interface RegisterSpec {
  title: string;
  /** Which columns the search box looks in (besides the enterprise's name and USCC). */
  searchFields: string[];
  columns: Column[];
}

const str = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));
const wan = (value: unknown): string => (typeof value === 'number' && Number.isSafeInteger(value) ? `${formatWanYuan(value)} 万元` : '—');
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
const statusWords: Record<(typeof creditStatuses)[number], string> = {
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
      { label: '状态', text: (row) => `${word(statusWords, row.data.status)}${row.data.status === 'approval' && row.data.approval_level === 'branch_head' ? '（行长）' : ''}` },
      { label: '优先', text: priority },
      { label: '调查人', text: (row) => person(row, 'investigator_id') },
      { label: '审批人', text: (row) => person(row, 'decider_id') },
    ],
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
};

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
}

/** One page of a table's live rows across branches, newest change first, with the enterprise and people they name. */
export async function registerPage(storage: Storage, table: string, query: string, searchFields: string[], limit: number, offset: number): Promise<RegisterPage> {
  const found = await storage.query<{ branch_name: string; row_id: string; data: Data; enterprise: Data | null; names: Record<string, string> | null; total: string | number }>(
    `SELECT b.name AS branch_name, r.row_id::text AS row_id, r.data, e.data AS enterprise, count(*) OVER () AS total,
       (SELECT jsonb_object_agg(p.row_id::text, p.data->>'display_name') FROM sync_rows p
         WHERE p.branch_id = r.branch_id AND p.table_name = 'people'
           AND p.row_id::text IN (r.data->>'created_by', r.data->>'updated_by', r.data->>'investigator_id', r.data->>'reviewer_id', r.data->>'decider_id',
                              r.data->>'maker_id', r.data->>'checker_id')) AS names
     FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     WHERE r.table_name = $1 AND NOT r.deleted
       AND ($2 = '' OR e.data->>'name' ILIKE '%' || $2 || '%' OR e.data->>'uscc' LIKE upper($2) || '%'
            OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS f(field) WHERE r.data->>f.field ILIKE '%' || $2 || '%'))
     ORDER BY r.updated_at DESC LIMIT $4 OFFSET $5`,
    [table, query, searchFields, limit, offset],
  );
  return {
    total: Number(found[0]?.total ?? 0),
    rows: found.map((row) => ({ branchName: row.branch_name, rowId: row.row_id, data: row.data, enterprise: row.enterprise, names: row.names ?? {} })),
  };
}
