import { quantitySchema } from '../shared/domain/enterprise.ts';
import { benefitColumns, benefitIndicators } from '../shared/domain/environmentalBenefit.ts';
import { holdsEvidence } from '../shared/domain/greenLoanBook.ts';
import type { Fields } from './merge.ts';
import { refreshBranchFigures } from './statistics.ts';
import type { Sql } from './storage.ts';

/**
 * Head office's typed read models (migration 0009): per synced row of the tables the cross-branch
 * statistics and registers read, the fields they read, typed, beside sync_rows under the same key
 * (branch_id, row id). This file is the one definition of each read-model row: the ledger writes
 * them in the apply transaction from the rows it has just written (writeReadModels), the migration
 * backfills them from sync_rows with the same functions (backfillReadModels), and the tests
 * recompute them from sync_rows to hold the two equal.
 *
 * A row's fields are read as the statistics read them before (server/statistics.ts over sync_rows):
 * a text field that is not a string is '' (or null where the statistics tell null apart), a balance
 * that is not a number is 0, the evidence flag is greenLoanBook.ts holdsEvidence.
 */

type Data = Fields;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** A benefit figure as the hub's row rules admit it (quantitySchema: an exact decimal), else none. */
const quantity = (value: unknown): string | null => (quantitySchema.safeParse(value).success ? (value as string) : null);
/** A balance in 分 as the statistics add it; the hub's validation keeps it a safe integer. */
const fen = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0);
/**
 * A carbon allowance's compliance year as the laptop's alerts read it (db/collateral.ts alertFacts:
 * details.kind 'cea' with a complianceYear), else null; details are the row's JSON text.
 */
function complianceYear(data: Data): number | null {
  if (data.type !== 'carbon_allowance' || typeof data.details !== 'string') return null;
  try {
    const details = JSON.parse(data.details) as unknown;
    if (details === null || typeof details !== 'object') return null;
    const { kind, complianceYear: year } = details as { kind?: unknown; complianceYear?: unknown };
    return kind === 'cea' && typeof year === 'number' && Number.isSafeInteger(year) ? year : null;
  } catch {
    return null;
  }
}

interface ReadModel {
  table: string;
  /** The read model's table and its columns after branch_id, the row id first. */
  into: string;
  columns: readonly [string, string][];
  /** The row's values, in the order of `columns` (the row id and deleted flag included). */
  row: (rowId: string, deleted: boolean, data: Data) => Record<string, unknown>;
  /** Whether the row carries the apply's time (updated_at = now(), as sync_rows). */
  stamped: boolean;
  /**
   * The hub migration that last shapes the read model's table: its code step backfills the model
   * (backfillReadModels), with the table as this file now defines its row, once per model.
   */
  shapedBy: 9 | 12;
}

export const readModels: readonly ReadModel[] = [
  {
    table: 'enterprises',
    into: 'rm_enterprises',
    columns: [
      ['enterprise_id', 'uuid'],
      ['deleted', 'boolean'],
      ['name', 'text'],
      ['uscc', 'text'],
      ['focus_group', 'text'],
      ['division_code', 'text'],
      ['environmental_rating', 'text'],
    ],
    row: (id, deleted, data) => ({
      enterprise_id: id,
      deleted,
      name: text(data.name),
      uscc: text(data.uscc),
      focus_group: textOrNull(data.focus_group),
      division_code: textOrNull(data.division_code),
      environmental_rating: textOrNull(data.environmental_rating),
    }),
    stamped: true,
    shapedBy: 12,
  },
  {
    table: 'loans',
    into: 'rm_loans',
    columns: [
      ['loan_id', 'uuid'],
      ['deleted', 'boolean'],
      ['enterprise_id', 'text'],
      ['loan_number', 'text'],
      ['status', 'text'],
      ['disbursed_on', 'text'],
      ['matures_on', 'text'],
      ['balance_fen', 'bigint'],
    ],
    row: (id, deleted, data) => ({
      loan_id: id,
      deleted,
      enterprise_id: textOrNull(data.enterprise_id),
      loan_number: text(data.loan_number),
      status: text(data.status),
      disbursed_on: textOrNull(data.disbursed_on),
      matures_on: textOrNull(data.matures_on),
      balance_fen: fen(data.balance_fen),
    }),
    stamped: true,
    shapedBy: 12,
  },
  {
    table: 'loan_snapshots',
    into: 'rm_loan_snapshots',
    columns: [
      ['snapshot_id', 'uuid'],
      ['deleted', 'boolean'],
      ['loan_id', 'text'],
      ['as_of', 'text'],
      ['until', 'text'],
      ['balance_fen', 'bigint'],
      ['classification', 'text'],
    ],
    // `until` is the series' (snapshotIntervals, after every write of the loan's snapshots)
    row: (id, deleted, data) => ({ snapshot_id: id, deleted, loan_id: text(data.loan_id), as_of: text(data.as_of), until: NO_END, balance_fen: fen(data.balance_fen), classification: text(data.classification) }),
    stamped: false,
    shapedBy: 9,
  },
  {
    table: 'green_tags',
    into: 'rm_green_tags',
    columns: [
      ['tag_id', 'uuid'],
      ['deleted', 'boolean'],
      ['owner_type', 'text'],
      ['owner_id', 'text'],
      ['created_at', 'text'],
      ['status', 'text'],
      ['confirmed_by', 'text'],
      ['catalogue_version', 'text'],
      ['catalogue_code', 'text'],
      ['has_evidence', 'boolean'],
      ['project_total_investment_fen', 'bigint'],
      ...benefitIndicators.map((indicator) => [benefitColumns[indicator], 'numeric'] as [string, string]),
    ],
    row: (id, deleted, data) => ({
      tag_id: id,
      deleted,
      owner_type: text(data.owner_type),
      owner_id: text(data.owner_id),
      created_at: text(data.created_at),
      status: text(data.status),
      confirmed_by: textOrNull(data.confirmed_by),
      catalogue_version: text(data.catalogue_version),
      catalogue_code: textOrNull(data.catalogue_code),
      has_evidence: holdsEvidence(data.evidence_attachment_ids),
      // the project's investment and figures, for the bank's share of its benefits (statistics.ts BENEFITS)
      project_total_investment_fen: typeof data.project_total_investment_fen === 'number' && Number.isSafeInteger(data.project_total_investment_fen) ? data.project_total_investment_fen : null,
      ...Object.fromEntries(benefitIndicators.map((indicator) => [benefitColumns[indicator], quantity(data[benefitColumns[indicator]])])),
    }),
    stamped: false,
    shapedBy: 9,
  },
  {
    table: 'collateral_items',
    into: 'rm_collateral_items',
    columns: [
      ['item_id', 'uuid'],
      ['deleted', 'boolean'],
      ['enterprise_id', 'text'],
      ['type', 'text'],
      ['status', 'text'],
      ['certificate_number', 'text'],
      ['registration_number', 'text'],
      ['valid_to', 'text'],
      ['registration_expires_on', 'text'],
      ['revaluation_due_on', 'text'],
      ['pledged_value_fen', 'bigint'],
      ['compliance_year', 'integer'],
    ],
    row: (id, deleted, data) => ({
      item_id: id,
      deleted,
      enterprise_id: textOrNull(data.enterprise_id),
      type: text(data.type),
      status: text(data.status),
      certificate_number: text(data.certificate_number),
      registration_number: text(data.registration_number),
      valid_to: textOrNull(data.valid_to),
      registration_expires_on: textOrNull(data.registration_expires_on),
      revaluation_due_on: textOrNull(data.revaluation_due_on),
      pledged_value_fen: fen(data.pledged_value_fen),
      compliance_year: complianceYear(data),
    }),
    stamped: true,
    shapedBy: 12,
  },
  {
    table: 'collateral_loans',
    into: 'rm_collateral_loans',
    columns: [
      ['link_id', 'uuid'],
      ['deleted', 'boolean'],
      ['item_id', 'text'],
      ['loan_id', 'text'],
      ['secured_amount_fen', 'bigint'],
    ],
    row: (id, deleted, data) => ({
      link_id: id,
      deleted,
      item_id: text(data.item_id),
      loan_id: text(data.loan_id),
      secured_amount_fen: typeof data.secured_amount_fen === 'number' && Number.isSafeInteger(data.secured_amount_fen) ? data.secured_amount_fen : null,
    }),
    stamped: false,
    shapedBy: 12,
  },
  {
    table: 'rectification_cases',
    into: 'rm_rectification_cases',
    columns: [
      ['case_id', 'uuid'],
      ['deleted', 'boolean'],
      ['enterprise_id', 'text'],
      ['case_number', 'text'],
      ['category', 'text'],
      ['status', 'text'],
      ['deadline', 'text'],
    ],
    row: (id, deleted, data) => ({
      case_id: id,
      deleted,
      enterprise_id: text(data.enterprise_id),
      case_number: text(data.case_number),
      category: text(data.category),
      status: text(data.status),
      deadline: text(data.deadline),
    }),
    stamped: true,
    shapedBy: 12,
  },
];

/** `until` of a loan's newest snapshot. */
export const NO_END = '9999-12-31';

const byTable = new Map(readModels.map((model) => [model.table, model]));

export const readModelOf = (table: string): ReadModel | undefined => byTable.get(table);

/** A synced row as the read models need it. */
export interface SyncedRow {
  table: string;
  rowId: string;
  deleted: boolean;
  data: Data;
}

/** Upserts the read-model rows of some synced rows of one branch (updated_at: the row's `updatedAt`, else the transaction's now() as sync_rows'). */
async function upsert(sql: Sql, branchId: string, model: ReadModel, rows: readonly { rowId: string; deleted: boolean; data: Data; updatedAt?: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const names = model.columns.map(([name]) => name);
  const record = model.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  const stamp = model.stamped ? ['updated_at'] : [];
  const key = names[0] as string;
  await sql.query(
    `INSERT INTO ${model.into} (branch_id, ${[...names, ...stamp].join(', ')})
     SELECT $1, ${names.map((name) => `r.${name}`).join(', ')}${model.stamped ? ', COALESCE(r.updated_at, now())' : ''}
     FROM jsonb_to_recordset($2::jsonb) AS r(${record}${model.stamped ? ', updated_at timestamptz' : ''})
     ON CONFLICT (branch_id, ${key}) DO UPDATE SET ${[...names.slice(1), ...stamp].map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`,
    [branchId, JSON.stringify(rows.map((row) => ({ ...model.row(row.rowId, row.deleted, row.data), ...(row.updatedAt === undefined ? {} : { updated_at: row.updatedAt }) })))],
  );
}

/**
 * Each live snapshot's `until` for some loans of a branch (by the loan id the snapshots name): the
 * next live snapshot's as_of in (as_of, id) order, as snapshotAsOf picks the newest on or before a
 * day (the larger id of two on one day). A deleted snapshot keeps NO_END (the book skips it).
 */
async function snapshotIntervals(sql: Sql, branchId: string, loanIds: readonly string[]): Promise<void> {
  if (loanIds.length === 0) return;
  await sql.query(
    `UPDATE rm_loan_snapshots s SET until = n.until
     FROM (SELECT snapshot_id, CASE WHEN deleted THEN '${NO_END}'
                  ELSE COALESCE(lead(as_of) OVER (PARTITION BY loan_id, deleted ORDER BY as_of COLLATE "C", snapshot_id), '${NO_END}') END AS until
           FROM rm_loan_snapshots WHERE branch_id = $1 AND loan_id = ANY($2::text[])) AS n
     WHERE s.branch_id = $1 AND s.snapshot_id = n.snapshot_id AND s.until <> n.until`,
    [branchId, [...new Set(loanIds)]],
  );
}

/**
 * The fields of each read model the green-credit figures read (statistics.ts BRANCH_FIGURES): a
 * write that leaves them as they were (a loan's balance or number, a borrower's name, a refused
 * change's new seq) leaves the kept figures alone.
 */
const figureFields: Partial<Record<string, readonly string[]>> = {
  loan_snapshots: ['deleted', 'loan_id', 'as_of', 'balance_fen', 'classification'],
  loans: ['deleted', 'enterprise_id'],
  green_tags: byTable.get('green_tags')!.columns.map(([name]) => name),
  enterprises: ['focus_group', 'division_code'],
};

/** The stored row before the apply's page: its deleted flag and data (undefined: a new row). */
export type StoredBefore = (row: SyncedRow) => { deleted: boolean; data: Data } | undefined;

/**
 * The first day on which the branch's figures may have moved with these rows (undefined: on none):
 * a snapshot's old and new as_of, else the first live snapshot of each loan whose loan row, tag or
 * borrower's focus group or county changed.
 */
async function figuresChangedFrom(tx: Sql, branchId: string, rows: readonly SyncedRow[], before: StoredBefore): Promise<string | undefined> {
  let from: string | undefined;
  const earlier = (day: string) => {
    if (from === undefined || day < from) from = day;
  };
  const loans = new Set<string>();
  const enterprises = new Set<string>();
  for (const row of rows) {
    const fields = figureFields[row.table];
    if (fields === undefined) continue;
    const model = byTable.get(row.table)!;
    const now = model.row(row.rowId, row.deleted, row.data);
    const stored = before(row);
    const then = stored === undefined ? undefined : model.row(row.rowId, stored.deleted, stored.data);
    if (then !== undefined && fields.every((field) => now[field] === then[field])) continue;
    if (row.table === 'loan_snapshots') for (const day of [now.as_of, then?.as_of]) if (typeof day === 'string') earlier(day);
    if (row.table === 'loans') loans.add(row.rowId);
    if (row.table === 'enterprises') enterprises.add(row.rowId);
    if (row.table === 'green_tags') for (const tag of [now, then]) if (tag?.owner_type === 'loan') loans.add(String(tag.owner_id));
  }
  if (loans.size > 0 || enterprises.size > 0) {
    const [first] = await tx.query<{ as_of: string | null }>(
      `SELECT min(as_of COLLATE "C") AS as_of FROM rm_loan_snapshots
       WHERE branch_id = $1 AND NOT deleted AND (loan_id = ANY($2::text[]) OR loan_id IN (SELECT loan_id::text FROM rm_loans WHERE branch_id = $1 AND enterprise_id = ANY($3::text[])))`,
      [branchId, [...loans], [...enterprises]],
    );
    if (first?.as_of != null) earlier(first.as_of);
  }
  return from;
}

/**
 * Only to measure what the read models cost the ingest (bench sync.hub_ingest.postgres, run once
 * with and once without): a hub started with HUB_BENCH_WITHOUT_READ_MODELS=1 keeps none, and its
 * console's registers and statistics are then wrong. Never set it on a hub that serves anyone.
 */
const withoutReadModels = process.env.HUB_BENCH_WITHOUT_READ_MODELS === '1';

/**
 * The read models of the rows the ledger has just written to sync_rows, in its transaction (which
 * holds the branch). A snapshot written (or moved to another loan, or deleted) re-derives its loans'
 * intervals; a change the green-credit figures read re-derives the branch's kept figures from the
 * first day it touches (statistics.ts refreshBranchFigures).
 */
export async function writeReadModels(tx: Sql, branchId: string, rows: readonly SyncedRow[], before: StoredBefore): Promise<void> {
  if (withoutReadModels) return;
  const grouped = new Map<ReadModel, SyncedRow[]>();
  for (const row of rows) {
    const model = byTable.get(row.table);
    if (model === undefined) continue;
    const list = grouped.get(model) ?? [];
    list.push(row);
    grouped.set(model, list);
  }
  for (const [model, list] of grouped) {
    await upsert(tx, branchId, model, list);
    if (model.table === 'loan_snapshots') {
      const loans = list.flatMap((row) => [text(row.data.loan_id), text(before(row)?.data.loan_id)]);
      await snapshotIntervals(tx, branchId, loans);
    }
  }
  const from = await figuresChangedFrom(tx, branchId, rows, before);
  if (from !== undefined) await refreshBranchFigures(tx, branchId, from);
}

/**
 * Once, when the hub's schema reaches `migration` (server/migrate.ts): every stored row of the
 * tables of the read models that migration last shapes gets its read-model row (an existing one is
 * brought up to date), branch by branch and a page of rows at a time (a head office's millions of
 * snapshots never sit in memory at once), keeping sync_rows' updated_at. A model is filled by the
 * last migration that shapes its table, so its row as defined here always meets its whole table.
 */
export async function backfillReadModels(tx: Sql, migration: ReadModel['shapedBy']): Promise<void> {
  const branches = await tx.query<{ branch_id: string }>('SELECT branch_id::text AS branch_id FROM branch_sync ORDER BY branch_id');
  const PAGE = 5_000;
  const models = readModels.filter((model) => model.shapedBy === migration);
  for (const { branch_id: branchId } of branches) {
    for (const model of models) {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        // updated_at as text: the server's own microseconds, which a JavaScript Date would cut to milliseconds
        const page = await tx.query<{ row_id: string; deleted: boolean; data: Data; updated_at: string }>(
          `SELECT row_id::text AS row_id, deleted, data, updated_at::text AS updated_at FROM sync_rows
           WHERE branch_id = $1 AND table_name = $2 AND row_id > $3::uuid ORDER BY row_id LIMIT ${PAGE}`,
          [branchId, model.table, after],
        );
        if (page.length === 0) break;
        await upsert(tx, branchId, model, page.map((row) => ({ rowId: row.row_id, deleted: row.deleted, data: row.data, updatedAt: row.updated_at })));
        after = page[page.length - 1]!.row_id;
        if (page.length < PAGE) break;
      }
    }
    if (!models.some((model) => model.table === 'loan_snapshots')) continue;
    const loans = await tx.query<{ loan_id: string }>('SELECT DISTINCT loan_id FROM rm_loan_snapshots WHERE branch_id = $1', [branchId]);
    await snapshotIntervals(tx, branchId, loans.map((row) => row.loan_id));
  }
}
