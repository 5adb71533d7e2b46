import { z } from 'zod';
import { attachmentMimes, attachmentOwnerTypeSchema, enterpriseMethods, enterpriseSummarySchema, MAX_ATTACHMENT_BYTES } from '../api/enterprises.ts';
import { contract } from '../api/contract.ts';
import { localDateSchema, yearSchema } from '../domain/calendar.ts';
import {
  enterpriseIdentitySchema,
  environmentalRatingEntrySchema,
  financialSnapshotSchema,
  greenCredentialsSchema,
  enterpriseFlagsSchema,
  resourceIndicatorsSchema,
} from '../domain/enterprise.ts';
import { roleSchema } from '../domain/roles.ts';
import { creditTermsSchema, projectSchema } from '../domain/creditApplication.ts';
import { creditActions, creditStatuses } from '../domain/creditWorkflow.ts';
import { approvingRoles } from '../domain/approvalAuthority.ts';
import { gateOverrideKeySchema } from '../domain/creditGate.ts';
import { workflowSteps } from '../domain/stepDurations.ts';
import { creditMethods } from '../api/credit.ts';
import { caseFactsSchema, followUpInputSchema, rectificationMethods } from '../api/rectification.ts';
import { caseCategories, caseStatuses } from '../domain/rectification.ts';
import { loanRuleIssues, loanSchema, loanSnapshotSchema, type LoanFacts } from '../domain/loan.ts';
import { checkUscc, normalizeUscc } from '../domain/uscc.ts';
import { catalogueVersionSchema } from '../codes/greenCatalogues.ts';
import { greenTagOwnerTypes, greenTagStatuses } from '../domain/greenTag.ts';
import { greenFactoryProjectKinds, greenFactoryProjectSchema, matchmakingContactSchema, matchmakingOutcomes } from '../domain/greenFactory.ts';
import { greenTagInputSchema } from '../api/green.ts';
import { collateralDetailsSchema, collateralStatuses, collateralTypes } from '../domain/collateral.ts';
import { pledgedValue } from '../domain/collateralValuation.ts';
import { collateralItemInputSchema, registrationInputSchema } from '../api/collateral.ts';
import { sha256Schema } from './protocol.ts';
import { derivedColumnsOf, type SyncTableName } from './tables.ts';

/**
 * The row schema of each sync table: the columns a synced row may carry, as the desktop stores them
 * (snake_case, JSON as text, flags as 0/1), each value checked by the same domain schema the
 * laptop's handlers parse their input with — a field here is a column of that schema, not a second
 * copy of its rule. The hub checks every pushed and head-office change against it (server/ledger.ts
 * validate step), so a row no laptop could have written is refused before any laptop has to pull it.
 *
 * Not here: id, branch_id and version (the hub's own) and the derived columns of tables.ts, which
 * the hub recomputes.
 */

const identity = enterpriseIdentitySchema.shape;
const green = greenCredentialsSchema.shape;
const flags = enterpriseFlagsSchema.shape;

/** A user id or row id as the desktop writes them. */
const idColumn = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });
/** SQLite has no boolean: a flag column holds 0 or 1. */
const flag = z.union([z.literal(0), z.literal(1)]);

/** A column that holds JSON text of a domain value (contacts, green park …). */
function jsonText<S extends z.ZodType>(schema: S, maxLength = 64 * 1024) {
  return z
    .string()
    .max(maxLength)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON text' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** The columns every record table has (db/records.ts conventions). */
const conventions = {
  created_at: instant,
  created_by: idColumn,
  updated_at: instant,
  updated_by: idColumn,
  deleted_at: instant.nullable().optional(),
};

/** A nullable column: absent from an insert means null, as in SQLite. */
const nullable = <S extends z.ZodType>(schema: S) => schema.nullable().optional();

const greenFactory = green.greenFactory.unwrap().shape;
const miitRecommended = green.miitRecommendation.options[1].shape;
const outdatedCapacity = flags.outdatedCapacity.options[1].shape;

const enterprisesRow = z
  .object({
    ...conventions,
    uscc: z.string().max(18),
    uscc_override_reason: nullable(identity.usccCheckOverride.unwrap().unwrap().shape.reason),
    name: identity.name,
    legal_representative: identity.legalRepresentative,
    address: identity.address,
    division_code: identity.divisionCode,
    contacts: jsonText(identity.contacts),
    industry_code: identity.industryCode,
    focus_group: nullable(enterpriseSummarySchema.shape.focusGroup.unwrap().max(40)),
    scale: identity.scale,
    ownership: identity.ownership,
    employees: nullable(identity.employees.unwrap()),
    green_factory_level: nullable(greenFactory.level),
    green_factory_year: nullable(greenFactory.year),
    green_park: nullable(jsonText(green.greenPark.unwrap())),
    green_supply_chain: nullable(jsonText(green.greenSupplyChain.unwrap())),
    green_products: jsonText(green.greenProducts),
    water_benchmark: nullable(jsonText(green.waterEfficiencyBenchmark.unwrap())),
    miit_recommended: flag,
    miit_recommended_on: nullable(miitRecommended.date),
    miit_batch: nullable(miitRecommended.batch),
    environmental_rating: nullable(environmentalRatingEntrySchema.shape.level),
    outdated_capacity: flag,
    outdated_capacity_exit_deadline: nullable(outdatedCapacity.exitDeadline),
    outdated_capacity_exited_on: nullable(localDateSchema),
    green_list: flag,
    negative_list: flag,
    notes: nullable(z.string().max(2000)),
  })
  // The identity's USCC rule: well-formed always; a failing check character only with a recorded reason.
  .superRefine((row, ctx) => {
    const result = checkUscc(normalizeUscc(row.uscc));
    if (result.ok || (result.reason === 'check' && typeof row.uscc_override_reason === 'string')) return;
    ctx.addIssue({ code: 'custom', path: ['uscc'], message: `not a valid USCC (${result.reason})` });
  }, { when: (payload) => typeof (payload.value as { uscc?: unknown } | undefined)?.uscc === 'string' });

const yearRow = { enterprise_id: idColumn, year: yearSchema };
const loan = loanSchema.shape;
const snapshot = loanSnapshotSchema.shape;

const loansRow = z
  .object({
    ...conventions,
    loan_number: loan.loanNumber,
    enterprise_id: idColumn,
    application_id: nullable(idColumn),
    amount_fen: loan.amount,
    balance_fen: loan.balance,
    balance_as_of: loan.balanceAsOf,
    disbursed_on: loan.disbursedOn,
    matures_on: loan.maturesOn,
    rate_bp: loan.rateBp,
    classification: loan.classification,
    guarantee_mode: loan.guaranteeMode,
    status: loan.status,
    purpose: nullable(loan.purpose.unwrap().unwrap()),
  })
  // The rules between a loan's fields, the same function the laptop's form and import use.
  .superRefine((row, ctx) => {
    const facts: LoanFacts = {
      amount: row.amount_fen,
      balance: row.balance_fen,
      balanceAsOf: row.balance_as_of,
      disbursedOn: row.disbursed_on,
      maturesOn: row.matures_on,
      classification: row.classification,
      status: row.status,
    };
    const column = { amount: 'amount_fen', balance: 'balance_fen', balanceAsOf: 'balance_as_of', disbursedOn: 'disbursed_on', maturesOn: 'matures_on', classification: 'classification', status: 'status' } as const;
    for (const issue of loanRuleIssues(facts)) ctx.addIssue({ code: 'custom', path: [column[issue.path]], message: issue.message });
  });
const financials = financialSnapshotSchema.shape;
const indicators = resourceIndicatorsSchema.shape;
const attachmentInput = enterpriseMethods['attachments.add'].input.shape;
const terms = creditTermsSchema.shape;
const project = projectSchema.shape;
const creditAct = creditMethods['credit.act'].input.shape;
const greenTag = greenTagInputSchema.shape;
const benefit = greenTag.benefits.shape;
const factoryProject = greenFactoryProjectSchema.shape;
const matchmakingContact = matchmakingContactSchema.shape;
const collateralItem = collateralItemInputSchema.shape;
const registration = registrationInputSchema.shape;
const appraisalText = z.string().trim().min(1).max(200);
const caseFacts = caseFactsSchema.shape;
const followUp = followUpInputSchema.shape;
const caseAct = rectificationMethods['cases.act'].input.shape;

export const syncRowSchemas = {
  enterprises: enterprisesRow,
  enterprise_ratings: z.object({
    ...conventions,
    enterprise_id: idColumn,
    level: environmentalRatingEntrySchema.shape.level,
    bureau: environmentalRatingEntrySchema.shape.bureau,
    rated_on: environmentalRatingEntrySchema.shape.ratedOn,
  }),
  enterprise_financials: z.object({
    ...conventions,
    ...yearRow,
    revenue_fen: nullable(financials.revenue),
    total_assets_fen: nullable(financials.totalAssets),
    liabilities_fen: nullable(financials.liabilities),
    profit_fen: nullable(financials.profit),
  }),
  enterprise_indicators: z.object({
    ...conventions,
    ...yearRow,
    energy_tce: nullable(indicators.energyTce.unwrap()),
    water_m3: nullable(indicators.waterM3.unwrap()),
    cod_t: nullable(indicators.codT.unwrap()),
    nh3n_t: nullable(indicators.nh3nT.unwrap()),
    so2_t: nullable(indicators.so2T.unwrap()),
    nox_t: nullable(indicators.noxT.unwrap()),
    co2_t: nullable(indicators.co2T.unwrap()),
  }),
  loans: loansRow,
  loan_snapshots: z.object({
    ...conventions,
    loan_id: idColumn,
    as_of: snapshot.asOf,
    balance_fen: snapshot.balance,
    classification: snapshot.classification,
  }),
  people: z.object({
    ...conventions,
    display_name: contract['users.create'].input.shape.displayName,
    role: roleSchema,
    active: flag,
  }),
  attachments: z.object({
    ...conventions,
    owner_type: attachmentOwnerTypeSchema,
    owner_id: idColumn,
    file_name: attachmentInput.fileName,
    mime: z.enum(attachmentMimes),
    size: z.int().min(0).max(MAX_ATTACHMENT_BYTES),
    sha256: sha256Schema,
    note: nullable(attachmentInput.note.unwrap()),
  }),
  credit_applications: z.object({
    ...conventions,
    enterprise_id: idColumn,
    product: terms.product,
    amount_fen: terms.amountFen,
    term_months: terms.termMonths,
    rate_bp: terms.rateBp,
    purpose: terms.purpose,
    purpose_kind: terms.purposeKind,
    guarantee_mode: terms.guaranteeMode,
    green_project: flag,
    project_name: nullable(project.name),
    project_total_investment_fen: nullable(project.totalInvestmentFen),
    project_expected_start: nullable(project.expectedStart),
    status: z.enum(creditStatuses),
    approval_level: z.enum(approvingRoles),
    investigator_id: idColumn,
    reviewer_id: nullable(idColumn),
    decider_id: nullable(idColumn),
    decided_at: nullable(instant),
    step_entered_at: instant,
    gate_override_by: nullable(idColumn),
    gate_override_reason: nullable(creditMethods['credit.override'].input.shape.reason),
    gate_override_at: nullable(instant),
    gate_override_codes: nullable(jsonText(z.array(gateOverrideKeySchema).max(20))),
    notes: nullable(z.string().max(2000)),
  }),
  credit_application_steps: z.object({
    ...conventions,
    application_id: idColumn,
    step: z.enum(workflowSteps),
    action: z.enum(creditActions),
    actor_id: idColumn,
    opinion: creditAct.opinion,
    attachment_ids: jsonText(creditAct.attachmentIds.unwrap()),
    entered_at: instant,
    acted_at: instant,
    to_status: z.enum(creditStatuses),
    to_approval_level: z.enum(approvingRoles),
  }),
  green_tags: z.object({
    ...conventions,
    owner_type: z.enum(greenTagOwnerTypes),
    owner_id: idColumn,
    catalogue_version: catalogueVersionSchema,
    catalogue_code: nullable(greenTag.code.unwrap()),
    project_total_investment_fen: nullable(greenTag.totalInvestment.unwrap()),
    coal_saved_tce: nullable(benefit.coalSavedTce.unwrap()),
    co2_reduced_t: nullable(benefit.co2ReducedT.unwrap()),
    cod_reduced_t: nullable(benefit.codReducedT.unwrap()),
    nh3n_reduced_t: nullable(benefit.nh3nReducedT.unwrap()),
    so2_reduced_t: nullable(benefit.so2ReducedT.unwrap()),
    nox_reduced_t: nullable(benefit.noxReducedT.unwrap()),
    water_saved_t: nullable(benefit.waterSavedT.unwrap()),
    evidence_attachment_ids: jsonText(z.array(idColumn).max(100)),
    status: z.enum(greenTagStatuses),
    prepared_by: idColumn,
    confirmed_by: nullable(idColumn),
    confirmed_at: nullable(instant),
    notes: nullable(z.string().max(500)),
  }),
  green_factory_projects: z.object({
    ...conventions,
    enterprise_id: idColumn,
    project_name: factoryProject.projectName,
    kind: z.enum(greenFactoryProjectKinds),
    amount_sought_fen: factoryProject.amountSought,
    quarter: factoryProject.quarter,
    contact_name: nullable(factoryProject.contactName.unwrap()),
    contact_phone: nullable(factoryProject.contactPhone.unwrap()),
    outcome: z.enum(matchmakingOutcomes),
    outcome_reason: nullable(z.string().max(500)),
    application_id: nullable(idColumn),
    notes: nullable(z.string().max(1000)),
  }),
  green_factory_contacts: z.object({
    ...conventions,
    project_id: idColumn,
    contacted_on: localDateSchema,
    note: matchmakingContact.note,
    outcome: z.enum(matchmakingOutcomes),
  }),
  collateral_items: z
    .object({
      ...conventions,
      enterprise_id: idColumn,
      type: z.enum(collateralTypes),
      details: jsonText(collateralDetailsSchema),
      certificate_number: collateralItem.certificateNumber,
      certificate_issuer: collateralItem.certificateIssuer,
      valid_from: localDateSchema,
      valid_to: localDateSchema,
      status: z.enum(collateralStatuses),
      maker_id: idColumn,
      checker_id: nullable(idColumn),
      decided_at: nullable(instant),
      decision_reason: nullable(z.string().max(500)),
      appraised_value_fen: z.int().min(0),
      appraised_on: localDateSchema,
      revaluation_due_on: localDateSchema,
      pledge_rate_bp: collateralItem.pledgeRateBp,
      pledged_value_fen: z.int().min(0),
      terms_version: z.int().positive(),
      registry: nullable(registration.registry),
      registration_number: nullable(registration.registrationNumber),
      registered_on: nullable(registration.registeredOn),
      registration_expires_on: nullable(registration.expiresOn),
      notes: nullable(z.string().max(2000)),
    })
    // What is pledged is of the item's type; validity runs forwards; pledged = appraised × rate.
    .superRefine((row, ctx) => {
      if (row.details.type !== row.type) ctx.addIssue({ code: 'custom', path: ['details'], message: 'details are of another type than the item' });
      if (row.valid_from > row.valid_to) ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'validity ends before it starts' });
      if (row.pledged_value_fen !== pledgedValue(row.appraised_value_fen, row.pledge_rate_bp)) ctx.addIssue({ code: 'custom', path: ['pledged_value_fen'], message: 'the pledged value is not appraised value × pledge rate' });
    }),
  collateral_appraisals: z.object({
    ...conventions,
    item_id: idColumn,
    appraised_on: localDateSchema,
    method: z.enum(['quantity_price', 'discounted_cash_flow', 'appraisal_report']),
    inputs: jsonText(z.record(z.string(), z.unknown())),
    value_fen: z.int().min(0),
    appraiser: appraisalText,
    next_due_on: localDateSchema,
  }),
  collateral_renewals: z
    .object({
      ...conventions,
      item_id: idColumn,
      renewed_on: localDateSchema,
      previous_expires_on: localDateSchema,
      expires_on: localDateSchema,
      registry: registration.registry,
      registration_number: registration.registrationNumber,
      notes: nullable(z.string().max(500)),
    })
    // As the table's CHECK (0029): later than before, and not ending before it was recorded.
    .superRefine((row, ctx) => {
      if (row.expires_on <= row.previous_expires_on) ctx.addIssue({ code: 'custom', path: ['expires_on'], message: 'a renewal ends later than the registration it renews' });
      if (row.expires_on < row.renewed_on) ctx.addIssue({ code: 'custom', path: ['expires_on'], message: 'a renewal ends on or after the day it was recorded' });
    }),
  collateral_loans: z.object({
    ...conventions,
    item_id: idColumn,
    loan_id: idColumn,
    secured_amount_fen: nullable(z.int().positive()),
  }),
  rectification_cases: z.object({
    ...conventions,
    case_number: z.string().regex(/^ZG-\d{4}-[0-9A-Z]{4}-\d{4,}$/),
    enterprise_id: idColumn,
    category: caseFacts.category,
    source: caseFacts.source,
    source_reference: caseFacts.sourceReference,
    source_authority: caseFacts.sourceAuthority,
    source_date: caseFacts.sourceDate,
    found_on: caseFacts.foundOn,
    description: caseFacts.description,
    required_actions: caseFacts.requiredActions,
    deadline: caseFacts.deadline,
    measure: caseFacts.measure,
    exposure_plan: jsonText(caseFacts.exposurePlan),
    officer_id: idColumn,
    status: z.enum(caseStatuses),
    verifier_id: nullable(idColumn),
    verified_at: nullable(instant),
    verification_note: nullable(caseAct.note.unwrap()),
    letter_sent_on: nullable(localDateSchema),
    monitoring_visit_id: nullable(idColumn),
    notes: nullable(z.string().max(2000)),
  }),
  rectification_follow_ups: z.object({
    ...conventions,
    case_id: idColumn,
    followed_on: followUp.followedOn,
    kind: followUp.kind,
    note: followUp.note,
    progress_percent: followUp.progressPercent,
    next_follow_up_on: followUp.nextFollowUpOn,
  }),
  monitoring_visits: z.object({
    ...conventions,
    enterprise_id: idColumn,
    due_on: localDateSchema,
    visited_on: nullable(localDateSchema),
    officer_id: idColumn,
    production: nullable(z.string().max(2000)),
    finance: nullable(z.string().max(2000)),
    energy_environment: nullable(z.string().max(2000)),
    green_innovation: nullable(z.string().max(2000)),
    finding_category: nullable(z.enum(caseCategories)),
    finding: nullable(z.string().max(2000)),
  }),
  rectification_letters: z.object({
    ...conventions,
    case_id: idColumn,
    sequence: z.int().min(1),
    letter_number: z.string().regex(/^ZG-\d{4}-[0-9A-Z]{4}-\d{4,}-\d{2,}$/),
    sent_on: localDateSchema,
    sent_by: idColumn,
    attachment_id: idColumn,
  }),
} satisfies Record<SyncTableName, z.ZodType>;

export interface RowIssue {
  field: string;
  message: string;
}

/**
 * What is wrong with a row as it would stand after a change. `touched` limits the check to the
 * fields a change sets (an update: a row written before a rule existed does not block an edit of
 * another field); without it the whole row is checked, as for a new row. A column the table does
 * not have is refused; the row's own id, branch_id and version are not columns here.
 */
export function rowIssues(table: SyncTableName, row: Record<string, unknown>, touched?: readonly string[]): RowIssue[] {
  const schema = syncRowSchemas[table];
  const { columns, derived } = knownColumns(table);
  // The hub checks every change of a push page: sets, not a scan of `touched` per field (bench sync.upload).
  const scope = touched === undefined ? null : new Set(touched);
  const inScope = (field: string) => scope === null || scope.has(field);
  const issues: RowIssue[] = [];
  for (const field of Object.keys(row)) {
    if (!columns.has(field) && !derived.has(field) && !HUB_COLUMNS.has(field) && inScope(field)) issues.push({ field, message: 'not a column of this table' });
  }
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (inScope(field)) issues.push({ field, message: issue.message });
    }
  }
  return issues;
}

const HUB_COLUMNS = new Set(['id', 'branch_id', 'version']);

/** A table's schema columns and derived columns, worked out once per table. */
const columnsOf = new Map<SyncTableName, { columns: Set<string>; derived: Set<string> }>();
function knownColumns(table: SyncTableName): { columns: Set<string>; derived: Set<string> } {
  let known = columnsOf.get(table);
  if (known === undefined) {
    known = { columns: new Set(Object.keys(syncRowSchemas[table].shape)), derived: new Set(derivedColumnsOf(table)) };
    columnsOf.set(table, known);
  }
  return known;
}
