import type { CollateralDetail, CollateralItem, RegistrationInput, ValuationInput } from '../../../shared/api/collateral.ts';
import type { User } from '../../../shared/api/index.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import {
  applyCollateralAction,
  checkRenewal,
  collateralActionPermission,
  collateralLifecycle,
  collateralTypeInfo,
  isValueLocked,
  type CollateralAction,
  type CollateralDetails,
  type CollateralType,
} from '../../../shared/domain/collateral.ts';
import type { AlertSettings } from '../../../shared/domain/collateralAlerts.ts';
import { collateralTermsSchema, defaultCollateralTerms, nextRevaluationDue, pledgeRateCap, type CollateralTerms } from '../../../shared/domain/collateralTerms.ts';
import { checkPledgeRate, pledgedValue, valueCashFlows, valueRight } from '../../../shared/domain/collateralValuation.ts';
import { can } from '../../../shared/domain/roles.ts';
import {
  collateralAppraisals,
  collateralLoanLinks,
  collateralRenewals,
  collateralSummaryOf,
  collateralTotals,
  getCollateral,
  itemAlerts,
  listCollateral,
  securesOutstandingLoan,
  type CollateralListRow,
  type CollateralRow,
} from '../../../db/collateral.ts';
import { getEnterprise } from '../../../db/enterprises.ts';
import { peopleWithRoles, personName } from '../../../db/identity.ts';
import { getLoan } from '../../../db/loans.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, updateRecord, type Row } from '../../../db/records.ts';
import { referenceSet, referenceSetNames } from '../../../db/reference.ts';
import { HostFailure, signedInUser, type Handler, type HostContext } from '../context.ts';
import { actorOf } from './identity.ts';
import { exportCollateral } from '../collateral/exporter.ts';
import { collateralImportTemplate, previewCollateralImport, runCollateralImport } from '../collateral/importer.ts';

/**
 * The collateral register (抵质押登记簿): the host side of shared/domain's collateral rules. The
 * host computes every appraisal from its inputs, checks the pledge rate against the cap in force,
 * runs the lifecycle (four-eyes: the maker never approves their own item; the hub runs the same
 * rule on synced changes, collateralItemLifecycle) and keeps an item's value fixed once submitted:
 * after that it changes only through a recorded revaluation.
 */

/** Head office's published terms, else the shipped defaults (README). */
export function collateralTerms(db: Db): CollateralTerms {
  return referenceSet(db, referenceSetNames.collateralTerms, collateralTermsSchema) ?? defaultCollateralTerms;
}

const field = (path: (string | number)[], code: string, params?: Record<string, unknown>) => ({ issues: [{ path, code, message: code, ...(params === undefined ? {} : { params }) }] });

const percent = (bp: number) => `${(bp / 100).toFixed(2)}%`;

export function alertSettings(db: Db, now: Date): AlertSettings {
  const terms = collateralTerms(db);
  return { today: shanghaiDate(now), registrationWarningDays: terms.registrationWarningDays, coverageLimitBp: terms.coverageLimitBp };
}

export interface Appraisal {
  method: ValuationInput['method'];
  inputs: Record<string, unknown>;
  valueFen: number;
  appraisedOn: string;
  appraiser: string;
}

function quantityOf(details: CollateralDetails): string | null {
  return 'quantity' in details ? details.quantity : null;
}

/**
 * A value as an existing collateral list states it (import): its appraisal report's value, whatever
 * the type, with the list's own words for how it was made (市场法, 收益法 …). The credit manager
 * who approves the item sees it as such; a revaluation later uses the type's own method.
 */
export interface ListedValue {
  method: string | null;
}

const expiredRight = (validity: { to: string }) => new HostFailure('VALIDATION', `权利已于 ${validity.to} 到期，无剩余期限可供质押`, field(['item', 'validity', 'to'], 'RIGHT_EXPIRED'));

/** The appraisal as the domain computes it; a method that does not fit the type is refused (but a listed value). */
function appraise(details: CollateralDetails, validity: { from: string; to: string }, valuation: ValuationInput, listed?: ListedValue): Appraisal {
  const info = collateralTypeInfo[details.type];
  const path = ['item', 'valuation', 'method'];
  const listedReport = listed !== undefined && valuation.method === 'appraisal_report';
  if (valuation.method !== info.method && !listedReport) throw new HostFailure('VALIDATION', '估值方法与抵质押物类型不符', field(path, 'VALUATION_METHOD', { expected: info.method }));
  const { appraisedOn, appraiser } = valuation;
  switch (valuation.method) {
    case 'quantity_price': {
      if (!info.priceBases.includes(valuation.basis)) throw new HostFailure('VALIDATION', '计价方式与抵质押物类型不符', field(['item', 'valuation', 'basis'], 'PRICE_BASIS'));
      const quantity = quantityOf(details)!;
      const valued = valueRight({ unitPriceFen: valuation.unitPriceFen, quantity, basis: valuation.basis, valuedOn: appraisedOn, validity });
      if (valued.expired) throw expiredRight(validity);
      return { method: valuation.method, inputs: { unitPriceFen: valuation.unitPriceFen, basis: valuation.basis, quantity, term: valued.term }, valueFen: valued.valueFen, appraisedOn, appraiser };
    }
    case 'discounted_cash_flow': {
      const valued = valueCashFlows(valuation.flows, valuation.discountRateBp, appraisedOn);
      return { method: valuation.method, inputs: { flows: valuation.flows, discountRateBp: valuation.discountRateBp, presentValueFen: valued.presentValueFen }, valueFen: valued.valueFen, appraisedOn, appraiser };
    }
    case 'appraisal_report':
      // A right valued on a day after its validity ended has nothing left to pledge, however it was valued.
      if (info.method === 'quantity_price' && validity.to < appraisedOn) throw expiredRight(validity);
      return {
        method: valuation.method,
        inputs: { reportNumber: valuation.reportNumber, ...(listed?.method == null ? {} : { listedMethod: listed.method }) },
        valueFen: valuation.valueFen,
        appraisedOn,
        appraiser,
      };
  }
}

/** A rate above the cap in force is refused, naming the cap and the document it comes from. */
function checkRate(terms: CollateralTerms, type: CollateralType, pledgeRateBp: number): void {
  const cap = pledgeRateCap(terms, type);
  const check = checkPledgeRate(pledgeRateBp, cap);
  if (check.ok) return;
  if (check.reason === 'range') throw new HostFailure('VALIDATION', '质押率须大于 0 且不超过 100%', field(['item', 'pledgeRateBp'], 'PLEDGE_RATE_RANGE'));
  throw new HostFailure(
    'VALIDATION',
    `质押率 ${percent(pledgeRateBp)} 超过上限 ${percent(check.capBp)}（${check.source}）`,
    field(['item', 'pledgeRateBp'], 'PLEDGE_RATE_OVER_CAP', { capBp: check.capBp, source: check.source, termsVersion: terms.version }),
  );
}

export function appraisalColumns(itemId: string, appraisal: Appraisal, nextDueOn: string): Row {
  return {
    item_id: itemId,
    appraised_on: appraisal.appraisedOn,
    method: appraisal.method,
    inputs: JSON.stringify(appraisal.inputs),
    value_fen: appraisal.valueFen,
    appraiser: appraisal.appraiser,
    next_due_on: nextDueOn,
  };
}

/** An item's columns and its appraisal, its rules checked (owner on file, rate within the cap, value computed); shared by the form and the import. */
export function itemColumns(db: Db, item: CollateralItem, listed?: ListedValue): { columns: Row; appraisal: Appraisal } {
  if (getEnterprise(db, item.enterpriseId) === undefined) throw new HostFailure('VALIDATION', '出质企业不在本支行的企业档案中', field(['item', 'enterpriseId'], 'ENTERPRISE_UNKNOWN'));
  const terms = collateralTerms(db);
  const type = item.details.type;
  checkRate(terms, type, item.pledgeRateBp);
  const appraisal = appraise(item.details, item.validity, item.valuation, listed);
  return {
    appraisal,
    columns: {
      enterprise_id: item.enterpriseId,
      type,
      details: JSON.stringify(item.details),
      certificate_number: item.certificateNumber,
      certificate_issuer: item.certificateIssuer,
      valid_from: item.validity.from,
      valid_to: item.validity.to,
      appraised_value_fen: appraisal.valueFen,
      appraised_on: appraisal.appraisedOn,
      revaluation_due_on: nextRevaluationDue(terms, type, appraisal.appraisedOn),
      pledge_rate_bp: item.pledgeRateBp,
      pledged_value_fen: pledgedValue(appraisal.valueFen, item.pledgeRateBp),
      terms_version: terms.version,
      notes: item.notes,
    },
  };
}

function requireItem(db: Db, id: string): CollateralListRow {
  const row = getCollateral(db, id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Collateral item ${id} not found`);
  return row;
}

function allowedActions(db: Db, row: CollateralRow, user: User): CollateralAction[] {
  return collateralLifecycle
    .actionsFrom(row.status)
    .filter((action) => can(user.role, collateralActionPermission(action)) && applyCollateralAction({ status: row.status, makerId: row.maker_id, checkerId: row.checker_id }, action, user.id).ok)
    .filter((action) => action !== 'activate' || collateralLoanLinks(db, row.id).length > 0);
}

export function collateralDetail(ctx: HostContext, id: string, user: User): CollateralDetail {
  const { db } = ctx.store;
  const row = requireItem(db, id);
  return {
    ...collateralSummaryOf(db, row),
    details: JSON.parse(row.details) as CollateralDetails,
    certificateIssuer: row.certificate_issuer,
    validFrom: row.valid_from,
    appraisedOn: row.appraised_on,
    revaluationDueOn: row.revaluation_due_on,
    termsVersion: row.terms_version,
    checkerId: row.checker_id,
    checkerName: row.checker_id === null ? null : personName(db, row.checker_id),
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    registry: row.registry,
    registeredOn: row.registered_on,
    notes: row.notes,
    appraisals: collateralAppraisals(db, id).map((appraisal) => ({
      id: appraisal.id,
      appraisedOn: appraisal.appraised_on,
      method: appraisal.method,
      inputs: JSON.parse(appraisal.inputs) as Record<string, unknown>,
      value: appraisal.value_fen,
      appraiser: appraisal.appraiser,
      nextDueOn: appraisal.next_due_on,
      createdAt: appraisal.created_at,
      createdByName: personName(db, appraisal.created_by),
    })),
    renewals: collateralRenewals(db, id).map((renewal) => ({
      id: renewal.id,
      renewedOn: renewal.renewed_on,
      previousExpiresOn: renewal.previous_expires_on,
      expiresOn: renewal.expires_on,
      registry: renewal.registry,
      registrationNumber: renewal.registration_number,
      notes: renewal.notes,
      createdAt: renewal.created_at,
      createdByName: personName(db, renewal.created_by),
    })),
    mayRenew: can(user.role, 'collateral.write') && checkRenewal({ status: row.status, registrationExpiresOn: row.registration_expires_on }, { expiresOn: '9999-12-31' }) === null,
    loans: collateralLoanLinks(db, id).map((link) => ({ id: link.id, loanId: link.loan_id, loanNumber: link.loan_number, maturesOn: link.matures_on, balance: link.balance_fen, securedAmount: link.secured_amount_fen })),
    alerts: itemAlerts(db, row, alertSettings(db, ctx.now())),
    allowedActions: allowedActions(db, row, user),
  };
}

export const collateralList: Handler<'collateral.list'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  const page = listCollateral(db, input.filter, input.sort, input.offset, input.limit, alertSettings(db, ctx.now()), input.exactTotal);
  return { rows: page.rows.map((row) => collateralSummaryOf(db, row)), total: page.total, totalCapped: page.totalCapped };
};

export const collateralTotalsHandler: Handler<'collateral.totals'> = (ctx, _call, input) => collateralTotals(ctx.store.db, input.filter, alertSettings(ctx.store.db, ctx.now()));

export const collateralExport: Handler<'collateral.export'> = (ctx, _call, input) => exportCollateral(ctx.store.db, input.filter, input.sort, alertSettings(ctx.store.db, ctx.now()), ctx.now());

export const collateralGet: Handler<'collateral.get'> = (ctx, call, input) => collateralDetail(ctx, input.id, signedInUser(call));

/**
 * A new item's row, made by `makerId`: a draft or submitted, never further (four-eyes). Every column
 * named, nulls included: head office's copy of the row is then whole, and a laptop that gets it back
 * after a refused change restores each field from it.
 */
export function newItemRow(columns: Row, status: 'draft' | 'submitted', makerId: string): Row {
  const lifecycle = { status, maker_id: makerId, checker_id: null, decided_at: null, decision_reason: null };
  const registration = { registry: null, registration_number: null, registered_on: null, registration_expires_on: null };
  return { ...columns, ...lifecycle, ...registration };
}

export const collateralCreate: Handler<'collateral.create'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  const id = db.transaction(() => {
    const { columns, appraisal } = itemColumns(db, input.item);
    const item = insertRecord(db, 'collateral_items', newItemRow(columns, input.submit ? 'submitted' : 'draft', user.id), actor, ctx.now());
    insertRecord(db, 'collateral_appraisals', appraisalColumns(item.id as string, appraisal, columns.revaluation_due_on as string), actor, ctx.now());
    return item.id as string;
  })();
  return collateralDetail(ctx, id, user);
};

/**
 * Only a draft or a rejected item is edited, by its maker. Past that the value, the rate and what is
 * pledged are fixed: a new value is a revaluation (collateral.revalue), recorded as an appraisal.
 */
export const collateralUpdate: Handler<'collateral.update'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  db.transaction(() => {
    const current = requireItem(db, input.id);
    if (isValueLocked(current.status) || securesOutstandingLoan(db, current.id)) {
      throw new HostFailure('FORBIDDEN', '已提交或已生效的抵质押物不能直接修改；价值变动请做重估，解除或处置请走相应流程', { rule: 'VALUE_LOCKED', status: current.status });
    }
    if (current.maker_id !== user.id) throw new HostFailure('FORBIDDEN', '只有录入人可以修改草稿', { rule: 'NOT_MAKER' });
    const { columns, appraisal } = itemColumns(db, input.item);
    updateRecord(db, 'collateral_items', current.id, columns, actor, ctx.now(), { expectedVersion: input.version });
    const valueChanged = current.appraised_value_fen !== appraisal.valueFen || current.appraised_on !== appraisal.appraisedOn;
    if (valueChanged) insertRecord(db, 'collateral_appraisals', appraisalColumns(current.id, appraisal, columns.revaluation_due_on as string), actor, ctx.now());
  })();
  return collateralDetail(ctx, input.id, user);
};

const actionRefusals: Record<string, string> = {
  ILLEGAL_TRANSITION: '当前状态下不能进行此操作',
  NOT_MAKER: '只有录入人可以提交或修改',
  FOUR_EYES_MAKER: '录入人不能审批自己录入的抵质押物（双人复核）',
};

function registrationColumns(registration: RegistrationInput | undefined): Row {
  if (registration === undefined) throw new HostFailure('VALIDATION', '登记须填写登记机构、登记证明编号、登记日期和到期日', field(['registration'], 'REGISTRATION_REQUIRED'));
  return {
    registry: registration.registry,
    registration_number: registration.registrationNumber,
    registered_on: registration.registeredOn,
    registration_expires_on: registration.expiresOn,
  };
}

export const collateralAct: Handler<'collateral.act'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  if (!can(user.role, collateralActionPermission(input.action))) throw new HostFailure('FORBIDDEN', '审批抵质押物须由信贷经理操作', { rule: 'ROLE' });
  db.transaction(() => {
    const current = requireItem(db, input.id);
    const outcome = applyCollateralAction({ status: current.status, makerId: current.maker_id, checkerId: current.checker_id }, input.action, user.id);
    if (!outcome.ok) throw new HostFailure('FORBIDDEN', actionRefusals[outcome.rule]!, { rule: outcome.rule });
    const patch: Row = { status: outcome.state.status, checker_id: outcome.state.checkerId };
    if (input.action === 'approve' || input.action === 'reject') {
      if (input.action === 'reject' && input.reason === undefined) throw new HostFailure('VALIDATION', '退回须说明理由', field(['reason'], 'REASON_REQUIRED'));
      patch.decided_at = ctx.now().toISOString();
      patch.decision_reason = input.reason ?? null;
    }
    if (input.action === 'revise') {
      patch.decided_at = null;
      patch.decision_reason = null;
    }
    if (input.action === 'register') Object.assign(patch, registrationColumns(input.registration));
    if (input.action === 'activate' && collateralLoanLinks(db, current.id).length === 0) {
      throw new HostFailure('VALIDATION', '生效前须关联所担保的借据', field(['action'], 'NO_LINKED_LOAN'));
    }
    updateRecord(db, 'collateral_items', current.id, patch, actor, ctx.now(), { expectedVersion: input.version, action: `collateral.${input.action}`, ...(input.reason === undefined ? {} : { reason: input.reason }) });
  })();
  return collateralDetail(ctx, input.id, user);
};

/** A recorded revaluation: a new appraisal, the item's value and pledged value follow it (the rate stays). */
export const collateralRevalue: Handler<'collateral.revalue'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  db.transaction(() => {
    const current = requireItem(db, input.id);
    if (!isValueLocked(current.status) || current.status === 'released' || current.status === 'disposed') {
      throw new HostFailure('FORBIDDEN', '草稿直接修改即可；已解除或已处置的抵质押物不再重估', { rule: 'NOT_REVALUABLE', status: current.status });
    }
    const details = JSON.parse(current.details) as CollateralDetails;
    const appraisal = appraise(details, { from: current.valid_from, to: current.valid_to }, input.valuation);
    const nextDueOn = nextRevaluationDue(collateralTerms(db), current.type, appraisal.appraisedOn);
    insertRecord(db, 'collateral_appraisals', appraisalColumns(current.id, appraisal, nextDueOn), actor, ctx.now());
    updateRecord(
      db,
      'collateral_items',
      current.id,
      { appraised_value_fen: appraisal.valueFen, appraised_on: appraisal.appraisedOn, revaluation_due_on: nextDueOn, pledged_value_fen: pledgedValue(appraisal.valueFen, current.pledge_rate_bp) },
      actor,
      ctx.now(),
      { expectedVersion: input.version, action: 'collateral.revalue' },
    );
  })();
  return collateralDetail(ctx, input.id, user);
};

const renewalRefusals: Record<string, string> = {
  NOT_RENEWABLE: '只有已登记且仍在质押中的抵质押物可以办理展期',
  RENEWAL_NOT_LATER: '展期后的到期日须晚于当前登记到期日',
  RENEWAL_ORDER: '展期登记日期不能晚于展期后的到期日',
};

/**
 * A renewal of the registration (展期登记): a dated record of its own, and the item's registration
 * expiry and number become the renewal's, so the alerts read the renewed expiry. Recording what the
 * registry did is a collateral.write step like 登记 itself (no four-eyes, README); the hub runs
 * checkRenewal on the item's pushed expiry too.
 */
export const collateralRenew: Handler<'collateral.renew'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  db.transaction(() => {
    const current = requireItem(db, input.id);
    const { renewal } = input;
    const rule = checkRenewal({ status: current.status, registrationExpiresOn: current.registration_expires_on }, renewal);
    if (rule !== null) {
      const detail = rule === 'NOT_RENEWABLE' ? { rule, status: current.status } : { issues: [{ path: ['renewal', 'expiresOn'], code: rule, message: rule, params: { current: current.registration_expires_on } }] };
      throw new HostFailure(rule === 'NOT_RENEWABLE' ? 'FORBIDDEN' : 'VALIDATION', rule === 'RENEWAL_NOT_LATER' ? `展期后的到期日须晚于当前登记到期日 ${current.registration_expires_on}` : renewalRefusals[rule]!, detail);
    }
    const registry = renewal.registry ?? current.registry!;
    insertRecord(
      db,
      'collateral_renewals',
      {
        item_id: current.id,
        renewed_on: renewal.renewedOn,
        previous_expires_on: current.registration_expires_on!,
        expires_on: renewal.expiresOn,
        registry,
        registration_number: renewal.registrationNumber,
        notes: renewal.notes ?? null,
      },
      actor,
      ctx.now(),
    );
    updateRecord(
      db,
      'collateral_items',
      current.id,
      { registration_expires_on: renewal.expiresOn, registration_number: renewal.registrationNumber, registry },
      actor,
      ctx.now(),
      { expectedVersion: input.version, action: 'collateral.renew' },
    );
  })();
  return collateralDetail(ctx, input.id, user);
};

export const collateralLinkLoan: Handler<'collateral.linkLoan'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  db.transaction(() => {
    const item = requireItem(db, input.itemId);
    const loan = getLoan(db, input.loanId);
    if (loan === undefined) throw new HostFailure('VALIDATION', '借据不存在', field(['loanId'], 'LOAN_UNKNOWN'));
    if (loan.enterprise_id !== item.enterprise_id) throw new HostFailure('VALIDATION', '借据的借款人不是出质企业', field(['loanId'], 'LOAN_OTHER_ENTERPRISE'));
    if (collateralLoanLinks(db, item.id).some((link) => link.loan_id === loan.id)) throw new HostFailure('VALIDATION', '已关联该借据', field(['loanId'], 'LOAN_LINKED'));
    insertRecord(db, 'collateral_loans', { item_id: item.id, loan_id: loan.id, secured_amount_fen: input.securedAmountFen }, actor, ctx.now());
  })();
  return collateralDetail(ctx, input.itemId, user);
};

export const collateralTermsHandler: Handler<'collateral.terms'> = (ctx) => collateralTerms(ctx.store.db) as unknown as Record<string, unknown>;

export const collateralOfficers: Handler<'collateral.officers'> = (ctx) => peopleWithRoles(ctx.store.db, ['loan_officer', 'credit_manager']);

export const collateralImportTemplateHandler: Handler<'collateral.importTemplate'> = () => collateralImportTemplate();

export const collateralImportPreview: Handler<'collateral.importPreview'> = (ctx, _call, input) => previewCollateralImport(ctx, input.fileName, input.contentBase64);

export const collateralImportRun: Handler<'collateral.importRun'> = (ctx, call, input) => runCollateralImport(ctx, signedInUser(call), input);
