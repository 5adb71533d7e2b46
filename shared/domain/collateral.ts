import { z } from 'zod';
import { localDateSchema } from './calendar.ts';
import { quantitySchema } from './enterprise.ts';
import type { Permission } from './roles.ts';
import { actorIssue, stateMachine, type Columns, type LifecycleChange, type LifecycleIssue, type LifecycleValidator } from './lifecycle.ts';

/**
 * 环境权益抵质押物 (DOMAIN §2): the new collateral of the 2018 notice (seed 000 三: 节能节水未来收益权,
 * 排污权, 碳排放权, 节能环保知识产权) and of seed 003 (水权, 用能权, 合同能源管理收益权, 特许经营权).
 * Each type says what is pledged, in which unit, and how it is valued (collateralValuation.ts).
 */
export const collateralTypes = [
  'emission_right',
  'carbon_allowance',
  'water_right',
  'energy_use_right',
  'energy_saving_income',
  'emc_income',
  'green_ip',
  'franchise',
] as const;
export type CollateralType = (typeof collateralTypes)[number];

/**
 * How a type is valued: a right is a quantity at a price (over its remaining term when the
 * quantity is annual); a receivable or a franchise is the discounted cash flow of its schedule;
 * intellectual property is the value of an appraisal report.
 */
export type ValuationMethod = 'quantity_price' | 'discounted_cash_flow' | 'appraisal_report';

/**
 * What a price is per: one unit of annual quota per year (a paid-use fee, 元/t·yr; multiplied by
 * the remaining years), one unit for the right's whole validity (a trade price, 元/t; the remaining
 * share of the term counts), or one unit outright (a carbon allowance of a compliance year, 元/t).
 */
export const priceBases = ['per_unit_year', 'per_unit_term', 'per_unit'] as const;
export type PriceBasis = (typeof priceBases)[number];

export interface CollateralTypeInfo {
  type: CollateralType;
  method: ValuationMethod;
  /** The unit its quantity is in (null where there is none to count). */
  units: readonly string[];
  /** The price bases a quantity-price valuation may use; the first is the usual one. */
  priceBases: readonly PriceBasis[];
}

export const collateralTypeInfo: Readonly<Record<CollateralType, CollateralTypeInfo>> = {
  emission_right: { type: 'emission_right', method: 'quantity_price', units: ['t/yr', 'kg/yr'], priceBases: ['per_unit_year', 'per_unit_term'] },
  carbon_allowance: { type: 'carbon_allowance', method: 'quantity_price', units: ['tCO2e'], priceBases: ['per_unit'] },
  water_right: { type: 'water_right', method: 'quantity_price', units: ['m3/yr'], priceBases: ['per_unit_year', 'per_unit_term'] },
  energy_use_right: { type: 'energy_use_right', method: 'quantity_price', units: ['tce/yr'], priceBases: ['per_unit_year', 'per_unit_term'] },
  energy_saving_income: { type: 'energy_saving_income', method: 'discounted_cash_flow', units: [], priceBases: [] },
  emc_income: { type: 'emc_income', method: 'discounted_cash_flow', units: [], priceBases: [] },
  green_ip: { type: 'green_ip', method: 'appraisal_report', units: [], priceBases: [] },
  franchise: { type: 'franchise', method: 'discounted_cash_flow', units: [], priceBases: [] },
};

/** The bank's own words for the types (seed 000 三, seed 003), as registers and reports print them. */
export const collateralTypeWords: Record<CollateralType, string> = {
  emission_right: '排污权',
  carbon_allowance: '碳排放权',
  water_right: '水权',
  energy_use_right: '用能权',
  energy_saving_income: '节能节水未来收益权',
  emc_income: '合同能源管理收益权',
  green_ip: '节能环保知识产权',
  franchise: '特许经营权',
};

/** The pollutants of a 排污权 (seed 003; the Zhejiang product names the first four; heavy metals per permit). */
export const pollutants = ['cod', 'nh3n', 'so2', 'nox', 'pb', 'cd', 'as'] as const;
export type Pollutant = (typeof pollutants)[number];

/** A 节能环保 patent: its number as the patent office prints it (ZL, the 8- to 12-digit application number, a check character). */
export const patentNumberSchema = z
  .string()
  .trim()
  .regex(/^ZL\d{8,12}\.[\dX]$/, { message: 'PATENT_NUMBER' });

const textField = z.string().trim().min(1).max(200);

/** What each type records of its own besides the common fields. */
export const collateralDetailsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('emission_right'), pollutant: z.enum(pollutants), quantity: quantitySchema, unit: z.enum(['t/yr', 'kg/yr']) }),
  z.strictObject({
    type: z.literal('carbon_allowance'),
    /** CEA of a compliance year, or a CCER (voluntary reduction) with its project. */
    kind: z.enum(['cea', 'ccer']),
    complianceYear: z.int().min(2019).max(2100),
    quantity: quantitySchema,
    unit: z.literal('tCO2e'),
  }),
  z.strictObject({ type: z.literal('water_right'), quantity: quantitySchema, unit: z.literal('m3/yr') }),
  z.strictObject({ type: z.literal('energy_use_right'), quantity: quantitySchema, unit: z.literal('tce/yr') }),
  z.strictObject({ type: z.literal('energy_saving_income'), contract: textField, counterparty: textField }),
  z.strictObject({ type: z.literal('emc_income'), contract: textField, counterparty: textField }),
  z.strictObject({ type: z.literal('green_ip'), patents: z.array(z.strictObject({ number: patentNumberSchema, title: textField })).min(1).max(200) }),
  z.strictObject({ type: z.literal('franchise'), project: textField, grantor: textField }),
]);
export type CollateralDetails = z.infer<typeof collateralDetailsSchema>;

/** Validity of the right (or of the contract / franchise): both days count. */
export const validitySchema = z
  .strictObject({ from: localDateSchema, to: localDateSchema })
  .refine((validity) => validity.from <= validity.to, { message: 'VALIDITY_ORDER', path: ['to'] });

/* ----------------------------------------------------------------------------------------------
 * Lifecycle: draft → submitted → approved / rejected → registered → active → released, or → in
 * disposal (清收处置) → disposed. A rejected item may be revised by its maker and submitted again.
 * Only approved, registered items count toward collateral value (`countsTowardValue`).
 * -------------------------------------------------------------------------------------------- */

export const collateralStatuses = ['draft', 'submitted', 'approved', 'rejected', 'registered', 'active', 'released', 'in_disposal', 'disposed'] as const;
export type CollateralStatus = (typeof collateralStatuses)[number];

export const collateralActions = ['submit', 'approve', 'reject', 'revise', 'register', 'activate', 'release', 'start_disposal', 'complete_disposal'] as const;
export type CollateralAction = (typeof collateralActions)[number];

export const collateralLifecycle = stateMachine(collateralStatuses, collateralActions, {
  draft: { submit: 'submitted' },
  submitted: { approve: 'approved', reject: 'rejected' },
  rejected: { revise: 'draft' },
  approved: { register: 'registered' },
  registered: { activate: 'active' },
  active: { release: 'released', start_disposal: 'in_disposal' },
  in_disposal: { complete_disposal: 'disposed' },
  released: {},
  disposed: {},
});

/** The statuses in words (清收处置 is the seed's own term for disposal). */
export const collateralStatusWords: Record<CollateralStatus, string> = {
  draft: '草稿',
  submitted: '待审批',
  approved: '已批准',
  rejected: '已退回',
  registered: '已登记',
  active: '生效',
  released: '已解除',
  in_disposal: '清收处置中',
  disposed: '已处置',
};

/** Registered and not yet released or disposed: the statuses whose pledged value the register totals. */
export function countsTowardValue(status: CollateralStatus): boolean {
  return status === 'registered' || status === 'active' || status === 'in_disposal';
}

/**
 * Statuses in which the item secures (or is about to secure) a loan: its value fields are fixed
 * and change only through a recorded revaluation, a release or a disposal.
 */
export function isValueLocked(status: CollateralStatus): boolean {
  return status !== 'draft' && status !== 'rejected';
}

export type CollateralRule =
  /** The action does not apply in this status (a skipped step, a reversal, a closed item). */
  | 'ILLEGAL_TRANSITION'
  /** Only the maker submits or revises their item. */
  | 'NOT_MAKER'
  /** The maker may not approve or reject their own item (four-eyes). */
  | 'FOUR_EYES_MAKER';

export interface CollateralState {
  status: CollateralStatus;
  makerId: string;
  /** Who approved or rejected (null until then, and again after a revision). */
  checkerId: string | null;
}

export type CollateralOutcome = { ok: true; state: CollateralState } | { ok: false; rule: CollateralRule };

/**
 * The one rule of the lifecycle: the host runs it before writing an action and the hub runs it
 * (through `collateralItemLifecycle`) on every change a laptop pushes. Roles (who may approve at
 * all: `collateralActionPermission`) are checked beside it, by the host on its user and by the hub
 * on the person's directory entry; this says who may not, whatever their role.
 */
export function applyCollateralAction(state: CollateralState, action: CollateralAction, actorId: string): CollateralOutcome {
  const to = collateralLifecycle.target(state.status, action);
  if (to === null) return { ok: false, rule: 'ILLEGAL_TRANSITION' };
  if ((action === 'submit' || action === 'revise') && actorId !== state.makerId) return { ok: false, rule: 'NOT_MAKER' };
  if ((action === 'approve' || action === 'reject') && actorId === state.makerId) return { ok: false, rule: 'FOUR_EYES_MAKER' };
  if (action === 'approve' || action === 'reject') return { ok: true, state: { ...state, status: to, checkerId: actorId } };
  if (action === 'revise') return { ok: true, state: { ...state, status: to, checkerId: null } };
  return { ok: true, state: { ...state, status: to } };
}

/** The permission an action needs (roles.ts); the four-eyes part is `applyCollateralAction`'s. */
export function collateralActionPermission(action: CollateralAction): Permission {
  return action === 'approve' || action === 'reject' ? 'collateral.approve' : 'collateral.write';
}

/* ----------------------------------------------------------------------------------------------
 * Renewal (展期登记): a registration is for a chosen term and must be renewed before it lapses
 * (DOMAIN §2). A renewal is a dated record of its own (collateral_renewals): the new last day, the
 * 登记证明编号 the registry gave the renewal, its day and who recorded it; the item's registration
 * expiry (what the alerts read) becomes the renewal's. Recording what the registry did is a loan
 * officer's step like the registration itself, not a credit decision: no four-eyes (README).
 * -------------------------------------------------------------------------------------------- */

/** Registered and still pledged (a registration in disposal must not lapse either). */
export function isRenewable(status: CollateralStatus): boolean {
  return status === 'registered' || status === 'active' || status === 'in_disposal';
}

export type RenewalRule =
  /** Not registered, or already released or disposed. */
  | 'NOT_RENEWABLE'
  /** A renewal moves the registration's last day later, never back nor to the same day. */
  | 'RENEWAL_NOT_LATER'
  /** Recorded on a day after the new last day: that is a new registration, not a renewal. */
  | 'RENEWAL_ORDER';

export interface RenewalFacts {
  status: CollateralStatus;
  /** The registration's current last day (null: never registered). */
  registrationExpiresOn: string | null;
}

/**
 * The one rule of a renewal: the host checks it before recording one, and the hub on every pushed
 * change of a registration's expiry, from the item's row (no `renewedOn`: that is on the record).
 */
export function checkRenewal(item: RenewalFacts, renewal: { expiresOn: string; renewedOn?: string }): RenewalRule | null {
  if (!isRenewable(item.status) || item.registrationExpiresOn === null) return 'NOT_RENEWABLE';
  if (renewal.expiresOn <= item.registrationExpiresOn) return 'RENEWAL_NOT_LATER';
  if (renewal.renewedOn !== undefined && renewal.renewedOn > renewal.expiresOn) return 'RENEWAL_ORDER';
  return null;
}

/* ----------------------------------------------------------------------------------------------
 * The rule head office runs on synced items (table collateral_items).
 * -------------------------------------------------------------------------------------------- */

/** Written only by lifecycle actions. */
export const collateralWorkflowColumns = ['status', 'maker_id', 'checker_id'] as const;

const ruleMessages: Record<CollateralRule | RenewalRule | 'NOT_A_NEW_ITEM' | 'ACTOR_MISMATCH' | 'FOUR_EYES_ROW' | 'COLLATERAL_NOT_CREDIT_MANAGER' | 'ROLE_NOT_PERMITTED', string> = {
  COLLATERAL_NOT_CREDIT_MANAGER: 'only a credit manager approves or rejects a collateral item',
  ROLE_NOT_PERMITTED: 'the person’s role may not take this step',
  ILLEGAL_TRANSITION: 'the change skips or reverses a collateral lifecycle step',
  NOT_MAKER: 'only the maker may submit or revise the item',
  FOUR_EYES_MAKER: 'the maker may not approve or reject their own collateral item',
  NOT_A_NEW_ITEM: 'a new collateral item starts as a draft or submitted, made by its author, with no checker',
  ACTOR_MISMATCH: 'the person recorded for the step is not the one who made the change',
  FOUR_EYES_ROW: 'the checker must differ from the maker',
  NOT_RENEWABLE: 'only a registered item still pledged has its registration renewed',
  RENEWAL_NOT_LATER: 'a renewal moves the registration’s last day later',
  RENEWAL_ORDER: 'a renewal is recorded on or before its new last day',
};

const issue = (field: string, rule: keyof typeof ruleMessages): LifecycleIssue => ({ field, rule, message: ruleMessages[rule] });

/**
 * Within a status, a registration's last day moves only by a renewal: later, and only while the
 * item is registered and pledged (the 登记 step itself sets it, changing the status).
 */
function renewalIssues(before: Columns, after: Columns, status: CollateralStatus): LifecycleIssue[] {
  const was = text(before.registration_expires_on);
  const now = text(after.registration_expires_on);
  if (was === now) return [];
  if (now === null) return [issue('registration_expires_on', 'NOT_RENEWABLE')];
  const rule = checkRenewal({ status, registrationExpiresOn: was }, { expiresOn: now });
  return rule === null ? [] : [issue('registration_expires_on', rule)];
}
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function stateOf(row: Columns): CollateralState | null {
  const makerId = text(row.maker_id);
  if (!collateralLifecycle.isStatus(row.status) || makerId === null) return null;
  return { status: row.status, makerId, checkerId: text(row.checker_id) };
}

export const collateralItemLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  const to = stateOf(change.after);
  // A malformed row is the row schema's to report (shared/sync/rows.ts).
  if (to === null) return [];
  const invariants = to.checkerId !== null && to.checkerId === to.makerId ? [issue('checker_id', 'FOUR_EYES_ROW')] : [];
  if (change.source === 'resolution') return invariants;
  const { before, userId } = change;
  if (before === undefined) {
    const fresh = (to.status === 'draft' || to.status === 'submitted') && to.makerId === userId && to.checkerId === null;
    return [...(fresh ? [] : [issue('status', 'NOT_A_NEW_ITEM')]), ...invariants];
  }
  const from = stateOf(before);
  if (from === null) return invariants;
  if (from.status === to.status && from.makerId === to.makerId && from.checkerId === to.checkerId) return [...invariants, ...renewalIssues(before, change.after, from.status)];
  const action = collateralLifecycle.actionBetween(from.status, to.status);
  if (action === null) return [...invariants, issue('status', 'ILLEGAL_TRANSITION')];
  // Who may take the step at all: the permission the host's handler checks (collateralActionPermission),
  // on the person's directory entry (LifecycleChange.actor).
  const approving = action === 'approve' || action === 'reject';
  const refused = actorIssue(change, collateralActionPermission(action), approving ? issue('checker_id', 'COLLATERAL_NOT_CREDIT_MANAGER') : issue('status', 'ROLE_NOT_PERMITTED'));
  const issues = refused === null ? invariants : [...invariants, refused];
  const outcome = applyCollateralAction(from, action, userId);
  if (!outcome.ok) return [...issues, issue(outcome.rule === 'FOUR_EYES_MAKER' ? 'checker_id' : 'status', outcome.rule)];
  const expected = outcome.state;
  const mismatch = expected.makerId !== to.makerId || expected.checkerId !== to.checkerId;
  return mismatch ? [...issues, issue('checker_id', 'ACTOR_MISMATCH')] : issues;
};

/** A renewal (collateral_renewals) is a dated record like an appraisal: written once, never edited. */
export const collateralRenewalLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  if (change.source === 'resolution') return [];
  if (change.op !== 'insert' || change.before !== undefined) return [{ field: 'id', rule: 'RENEWAL_REWRITTEN', message: 'a recorded renewal cannot be changed; a further renewal is a new record' }];
  return [];
};

/** An appraisal (collateral_appraisals) is a dated record: written once, never edited. */
export const collateralAppraisalLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  if (change.source === 'resolution') return [];
  if (change.op !== 'insert' || change.before !== undefined) return [{ field: 'id', rule: 'APPRAISAL_REWRITTEN', message: 'a recorded appraisal cannot be changed; a revaluation is a new appraisal' }];
  return [];
};
