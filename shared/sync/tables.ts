import { pinyinInitials } from '../domain/pinyin.ts';
import { creditApplicationLifecycle, creditOverrideColumns, creditStepLifecycle, creditTermColumns, creditWorkflowColumns } from '../domain/creditLifecycle.ts';
import type { LifecycleValidator } from '../domain/lifecycle.ts';
import { loanLifecycle } from '../domain/loan.ts';
import { greenTagConfirmationColumns, greenTagContentColumns, greenTagLifecycle } from '../domain/greenTag.ts';
import { collateralAppraisalLifecycle, collateralItemLifecycle, collateralRenewalLifecycle, collateralWorkflowColumns } from '../domain/collateral.ts';
import { caseFactColumns, caseWorkflowColumns, rectificationCaseLifecycle } from '../domain/rectificationLifecycle.ts';

/**
 * The tables that sync, and which of their fields are guarded. A guarded field (amounts, statuses,
 * approvals, valuations, ownership, identifiers, deletes) is applied by the hub only when the edit
 * was based on the row's current state; a concurrent edit becomes a conflict a person resolves.
 * Every field not listed is low-risk (contacts, addresses, notes …) and merges per field, the
 * later HLC winning. A table that is not registered here is refused by the hub.
 *
 * Adding a table (loans, collateral, rectification) is one entry here plus its desktop migration;
 * the hub stores every table's rows generically and needs no code of its own.
 */
export interface SyncTable {
  /** Fields that need base_version to be current; a row delete is always guarded. */
  guardedFields: readonly string[];
  /**
   * Rows every installation writes at first run (its administrator's directory entry): they do
   * not make a store non-empty, so a laptop that just joined still takes the fast first pull.
   */
  writtenAtSetup?: true;
  /**
   * Columns computed from other columns of the row. They are never merged as fields of their own
   * (a held rename must not move the search initials): the hub drops them from pushed changes and
   * computes them from the row it applied, and a laptop computes them from what it stores.
   */
  derivedColumns?: Readonly<Record<string, (row: Readonly<Record<string, unknown>>) => string | number | null>>;
  /**
   * Columns a laptop computes from other tables' rows (the enterprise's current rating from its
   * rating records, db/derived.ts): never sent in a change, recomputed on every apply. The rating
   * records are authoritative, so a rating is never held in a conflict apart from its record.
   */
  derivedFromRecords?: readonly string[];
  /**
   * The table's lifecycle rule from shared/domain (allowed transitions, four-eyes), which the hub
   * runs on every change it applies (server/merge.ts `lifecycle` step) — the same function the
   * laptop's host builds on — so a laptop whose checks were bypassed cannot skip a step or approve
   * its own work. A change it refuses is rejected with the rule's reason, which the laptop shows.
   */
  lifecycle?: LifecycleValidator;
}

export const syncTables = {
  enterprises: {
    guardedFields: [
      // identity: the USCC and name identify the borrower across the bank; an override of a USCC
      // whose check character does not verify is a credit manager's recorded decision.
      'uscc',
      'uscc_override_reason',
      'name',
      'legal_representative',
      'division_code',
      'industry_code',
      'focus_group',
      // classification that statistics and credit limits are computed from
      'scale',
      'ownership',
      // the policy flags of seeds 000/003: a head-office decision must never be silently undone
      // (environmental_rating is also derived below: laptops never send it)
      'environmental_rating',
      'outdated_capacity',
      'outdated_capacity_exit_deadline',
      'outdated_capacity_exited_on',
      'negative_list',
      'green_list',
      'green_factory_level',
      'green_factory_year',
      'miit_recommended',
      'miit_recommended_on',
      'miit_batch',
      // a soft delete arriving as a field update is as guarded as the delete operation
      'deleted_at',
    ],
    // Low-risk by omission: contacts, address, employees, green_park, green_products, notes …
    derivedColumns: {
      // 华盛建材 → HSJC, for the search box (db/enterprises.ts enterpriseColumns computes the same)
      name_initials: (row) => pinyinInitials(typeof row.name === 'string' ? row.name : ''),
    },
    derivedFromRecords: ['environmental_rating'],
  },
  /** Environmental credit ratings are issued by a bureau: every field of one is a recorded fact. */
  enterprise_ratings: { guardedFields: ['enterprise_id', 'level', 'bureau', 'rated_on', 'deleted_at'] },
  /** Annual financials: amounts (fen) are guarded. */
  enterprise_financials: {
    guardedFields: ['enterprise_id', 'year', 'revenue_fen', 'total_assets_fen', 'liabilities_fen', 'profit_fen', 'deleted_at'],
  },
  /** Resource and emission indicators feed environmental-benefit reporting: guarded like amounts. */
  enterprise_indicators: {
    guardedFields: ['enterprise_id', 'year', 'energy_tce', 'water_m3', 'cod_t', 'nh3n_t', 'so2_t', 'nox_t', 'co2_t', 'deleted_at'],
  },
  /**
   * The branch's people directory (db/migrations/0012-people.sql): names for the user ids on every
   * record. A role or an account being switched off is an administrator's decision: guarded.
   */
  people: { guardedFields: ['role', 'active', 'deleted_at'], writtenAtSetup: true },
  /**
   * Loans (借据, 0016): snapshots of the core system's records. Every figure and state is guarded —
   * amounts, balance and its day, rate, dates, class, status, the borrower and the application —
   * so two laptops importing different exports offline meet as a conflict, never a silent mix.
   * Low-risk by omission: the purpose.
   */
  loans: {
    guardedFields: [
      'loan_number',
      'enterprise_id',
      'application_id',
      'amount_fen',
      'balance_fen',
      'balance_as_of',
      'disbursed_on',
      'matures_on',
      'rate_bp',
      'classification',
      'guarantee_mode',
      'status',
      'deleted_at',
    ],
    lifecycle: loanLifecycle,
  },
  /** A loan's balance and class as of a day: recorded facts, every field guarded. */
  loan_snapshots: { guardedFields: ['loan_id', 'as_of', 'balance_fen', 'classification', 'deleted_at'] },
  /** Attachment records (the encrypted files themselves stay on the laptop that added them). */
  attachments: { guardedFields: ['owner_type', 'owner_id', 'sha256', 'file_name', 'mime', 'size', 'deleted_at'] },
  /**
   * Credit applications: the terms (amounts in fen, rate, term), the workflow (status, level, who
   * acted, when decided) and the gate's override are all guarded — two managers deciding one
   * application on two laptops is a conflict a person resolves. Notes merge.
   */
  credit_applications: {
    guardedFields: [...creditTermColumns, ...creditWorkflowColumns, ...creditOverrideColumns, 'decided_at', 'step_entered_at', 'deleted_at'],
    lifecycle: creditApplicationLifecycle,
  },
  /** A workflow step is a record of who did what: written once, never edited. */
  credit_application_steps: {
    guardedFields: ['application_id', 'step', 'action', 'actor_id', 'opinion', 'attachment_ids', 'entered_at', 'acted_at', 'to_status', 'to_approval_level', 'deleted_at'],
    lifecycle: creditStepLifecycle,
  },
  /**
   * Green tags (0017): what the tag says (code, benefits, evidence, investment) and its confirmation
   * are guarded — a confirmation must never be silently kept over an edit made elsewhere, nor an edit
   * over a confirmation. Four-eyes and the lock on a confirmed tag: shared/domain/greenTag.ts. Notes merge.
   */
  green_tags: {
    guardedFields: [...greenTagContentColumns, ...greenTagConfirmationColumns, 'deleted_at'],
    lifecycle: greenTagLifecycle,
  },
  /** Green-factory financing needs (seed 004): the amount sought, the project and its outcome are guarded; contacts merge. */
  green_factory_projects: {
    guardedFields: ['enterprise_id', 'project_name', 'kind', 'amount_sought_fen', 'quarter', 'outcome', 'outcome_reason', 'application_id', 'deleted_at'],
  },
  /** A matchmaking contact is a dated record of what happened: every field guarded. */
  green_factory_contacts: { guardedFields: ['project_id', 'contacted_on', 'note', 'outcome', 'deleted_at'] },
  /**
   * Collateral items (抵质押物, 0018): what is pledged, its value, rate, validity, registration and
   * lifecycle are guarded — a revaluation on one laptop while the item is released on another meets
   * as a conflict. The hub runs the four-eyes lifecycle (the maker never approves their own item).
   * The pledged value travels with the value and rate it is computed from (the row schema checks it
   * is appraised × rate). Notes merge.
   */
  collateral_items: {
    guardedFields: [
      'enterprise_id',
      'type',
      'details',
      'certificate_number',
      'certificate_issuer',
      'valid_from',
      'valid_to',
      ...collateralWorkflowColumns,
      'decided_at',
      'decision_reason',
      'appraised_value_fen',
      'appraised_on',
      'revaluation_due_on',
      'pledge_rate_bp',
      'pledged_value_fen',
      'terms_version',
      'registry',
      'registration_number',
      'registered_on',
      'registration_expires_on',
      'deleted_at',
    ],
    lifecycle: collateralItemLifecycle,
  },
  /** An appraisal is a dated record: written once, never edited (a revaluation is a new one). */
  collateral_appraisals: {
    guardedFields: ['item_id', 'appraised_on', 'method', 'inputs', 'value_fen', 'appraiser', 'next_due_on', 'deleted_at'],
    lifecycle: collateralAppraisalLifecycle,
  },
  /**
   * A renewal of an item's registration (展期, 0029) is a dated record written once, like an
   * appraisal; the item's registration_expires_on and registration_number it moves are guarded on
   * the item, so two laptops renewing one item offline meet as a conflict in 同步 (both records stay).
   */
  collateral_renewals: {
    guardedFields: ['item_id', 'renewed_on', 'previous_expires_on', 'expires_on', 'registry', 'registration_number', 'deleted_at'],
    lifecycle: collateralRenewalLifecycle,
  },
  /** Which loans an item secures and how much of each: guarded like amounts. */
  collateral_loans: { guardedFields: ['item_id', 'loan_id', 'secured_amount_fen', 'deleted_at'] },
  /**
   * Rectification cases (整改跟踪, 0019): the workflow (status, measure, verification) and the
   * facts the case is judged on (deadline, officer, source …) are guarded — a close on one laptop
   * and a new deadline on another meet as a conflict. The hub runs the case workflow's rule.
   * Low-risk by omission: notes, the letter's sent day.
   */
  rectification_cases: {
    guardedFields: ['case_number', ...caseFactColumns, ...caseWorkflowColumns, 'verification_note', 'monitoring_visit_id', 'deleted_at'],
    lifecycle: rectificationCaseLifecycle,
  },
  /** A follow-up is a dated record of a visit: its facts are guarded, so two edits of one meet as a conflict. */
  rectification_follow_ups: { guardedFields: ['case_id', 'followed_on', 'kind', 'note', 'progress_percent', 'deleted_at'] },
  /** A monitoring visit's schedule and finding are guarded; its notes per heading merge. */
  monitoring_visits: { guardedFields: ['enterprise_id', 'due_on', 'visited_on', 'officer_id', 'finding_category', 'finding', 'deleted_at'] },
  /** A 督促整改函 recorded as sent: a dated record of what left the bank, every field guarded (the PDF is its attachment). */
  rectification_letters: { guardedFields: ['case_id', 'sequence', 'letter_number', 'sent_on', 'sent_by', 'attachment_id', 'deleted_at'] },
} as const satisfies Record<string, SyncTable>;

export type SyncTableName = keyof typeof syncTables;

export const syncTableNames = Object.keys(syncTables) as SyncTableName[];

export function isSyncTable(name: string): name is SyncTableName {
  return Object.prototype.hasOwnProperty.call(syncTables, name);
}

/** A column no change carries: derived from its row (derivedColumns) or from other records (derivedFromRecords). */
export function isDerivedField(table: string, field: string): boolean {
  if (!isSyncTable(table)) return false;
  const entry = syncTables[table] as SyncTable;
  return (entry.derivedColumns !== undefined && Object.hasOwn(entry.derivedColumns, field)) || (entry.derivedFromRecords ?? []).includes(field);
}

/** The lifecycle rule of a table, if it has one. */
export function lifecycleOf(table: SyncTableName): LifecycleValidator | undefined {
  return (syncTables[table] as SyncTable).lifecycle;
}

export function isGuardedField(table: SyncTableName, field: string): boolean {
  return (syncTables[table].guardedFields as readonly string[]).includes(field);
}

/** The derived columns of a table (none for most). */
export function derivedColumnsOf(table: SyncTableName): string[] {
  const derived: SyncTable['derivedColumns'] = (syncTables[table] as SyncTable).derivedColumns;
  return derived === undefined ? [] : Object.keys(derived);
}

/** The row with its derived columns computed from its other columns. */
export function withDerivedColumns<R extends Record<string, unknown>>(table: SyncTableName, row: R): R {
  const derived = (syncTables[table] as SyncTable).derivedColumns;
  if (derived === undefined) return row;
  const computed: Record<string, unknown> = { ...row };
  for (const [column, compute] of Object.entries(derived)) computed[column] = compute(row);
  return computed as R;
}
