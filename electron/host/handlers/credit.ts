import type { CreditDetail, CreditSummary } from '../../../shared/api/credit.ts';
import type { User } from '../../../shared/api/index.ts';
import { approvalAuthoritySchema, checkApprovalAuthority, defaultApprovalAuthority, isApprovingRole, type ApprovalAuthority, type AuthorityCheck } from '../../../shared/domain/approvalAuthority.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { isPriorityEnterprise, type CreditTerms } from '../../../shared/domain/creditApplication.ts';
import { evaluateCreditGate, gatePasses, overrideKeyOf, type GateResult } from '../../../shared/domain/creditGate.ts';
import { actionPermission, applyAction, creditActions, finalStatuses, stepOf, type CreditAction, type WorkflowRequest, type WorkflowState } from '../../../shared/domain/creditWorkflow.ts';
import { can } from '../../../shared/domain/roles.ts';
import { defaultStepTargets, stepTargetsSchema, stepTiming, type StepTargets } from '../../../shared/domain/stepDurations.ts';
import { listAttachments } from '../../../db/attachments.ts';
import {
  creditSteps,
  creditTermColumnsOf,
  creditTermsOf,
  getCreditApplication,
  isWaitingFor,
  listCreditApplications,
  workflowColumnsOf,
  workflowStateOf,
  type CreditApplicationRow,
  type Viewer,
} from '../../../db/credit.ts';
import { enterpriseFileOf, getEnterprise, type EnterpriseRow } from '../../../db/enterprises.ts';
import { getBranch, personName } from '../../../db/identity.ts';
import { openCasesOf } from '../../../db/rectification.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, updateRecord } from '../../../db/records.ts';
import { referenceSet, referenceSetNames } from '../../../db/reference.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { toAttachmentListItem } from './enterpriseFiles.ts';
import { actorOf } from './identity.ts';

/**
 * Credit applications (授信申请): the host side of shared/domain's workflow, gate and approval
 * authority. Every refusal is the domain's own rule, named in `details.rule` for the UI to word:
 * the hub runs the same workflow rule on what this laptop pushes (shared/domain/creditLifecycle.ts).
 */

/** Head office's published tables (reference data), else the shipped defaults (README). */
export function approvalAuthority(db: Db): ApprovalAuthority {
  return referenceSet(db, referenceSetNames.approvalAuthority, approvalAuthoritySchema) ?? defaultApprovalAuthority;
}

export function stepTargets(db: Db): StepTargets {
  return referenceSet(db, referenceSetNames.creditStepTargets, stepTargetsSchema) ?? defaultStepTargets;
}

const refuse = (rule: string, message: string, details: Record<string, unknown> = {}) => new HostFailure('FORBIDDEN', message, { rule, ...details });

function requireEnterprise(db: Db, id: string): EnterpriseRow {
  const row = getEnterprise(db, id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Enterprise ${id} not found`, { issues: [{ path: ['terms', 'enterpriseId'], code: 'NOT_FOUND', message: 'NOT_FOUND' }] });
  return row;
}

function requireApplication(db: Db, id: string): CreditApplicationRow {
  const row = getCreditApplication(db, id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Credit application ${id} not found`);
  return row;
}

function gateFor(db: Db, enterprise: EnterpriseRow, purposeKind: CreditTerms['purposeKind'], now: Date): GateResult & { today: string } {
  const today = shanghaiDate(now);
  const file = enterpriseFileOf(enterprise);
  const openCases = openCasesOf(db, enterprise.id);
  return { ...evaluateCreditGate({ enterprise: { environmentalRating: enterprise.environmental_rating, flags: file.flags }, openCases, purposeKind, today }), today };
}

const overrideCodes = (row: CreditApplicationRow): string[] => (row.gate_override_codes === null ? [] : (JSON.parse(row.gate_override_codes) as string[]));

/** The gate must pass (with the recorded override, if any) before the application moves on. */
function requireGate(gate: GateResult, row: CreditApplicationRow | null): void {
  if (gate.verdict === 'deny') throw refuse('GATE_DENIED', 'The credit gate denies new credit to this enterprise', { gate });
  if (!gatePasses(gate, row === null ? [] : overrideCodes(row))) throw refuse('GATE_OVERRIDE_REQUIRED', 'The credit gate needs a credit manager’s override first', { gate });
}

function authorityFor(db: Db, row: CreditApplicationRow, user: User): AuthorityCheck {
  const branch = getBranch(db);
  return checkApprovalAuthority(approvalAuthority(db), { amountFen: row.amount_fen, greenProject: row.green_project === 1, branchCode: branch?.code ?? '', role: user.role });
}

const person = (db: Db, id: string) => ({ id, name: personName(db, id) });
const viewerOf = (user: User): Viewer => ({ userId: user.id, role: user.role });

function priorityOf(enterprise: EnterpriseRow | undefined): boolean {
  return enterprise !== undefined && isPriorityEnterprise(enterpriseFileOf(enterprise).greenCredentials);
}

function waitingOf(row: CreditApplicationRow, priority: boolean, targets: StepTargets, now: Date): CreditSummary['waiting'] {
  const step = stepOf(row.status);
  return step === null ? null : stepTiming(step, { enteredAt: row.step_entered_at, leftAt: null }, now.toISOString(), priority, targets);
}

/** The actions the user may take now, by the same rules the host enforces on them. */
function allowedActions(row: CreditApplicationRow, user: User, gate: GateResult, authority: AuthorityCheck | null): CreditDetail['allowedActions'] {
  const state = workflowStateOf(row);
  const actor = { userId: user.id, side: 'branch' as const };
  const allowed: CreditDetail['allowedActions'] = [];
  for (const action of creditActions) {
    if (!can(user.role, actionPermission(row.status, action))) continue;
    const request = requestFor(action, authority);
    if (request === null) continue;
    if (applyAction(state, request, actor).ok) allowed.push(action);
  }
  const open = !finalStatuses.includes(row.status);
  if (open && gate.verdict === 'needs_override' && !gatePasses(gate, overrideCodes(row)) && can(user.role, 'credit.override') && user.id !== row.investigator_id) allowed.push('override');
  if (row.status === 'investigation' && user.id === row.investigator_id && can(user.role, 'credit.write')) allowed.push('edit');
  return allowed;
}

/** An action as a workflow request; an escalation goes where the authority table sends it (null: nowhere, the user's limit covers it). */
function requestFor(action: CreditAction, authority: AuthorityCheck | null): WorkflowRequest | null {
  if (action !== 'escalate') return { action };
  if (authority === null || authority.ok || authority.escalateTo === 'credit_manager') return null;
  return { action, to: authority.escalateTo };
}

export function creditDetail(db: Db, id: string, user: User, now: Date): CreditDetail {
  const row = requireApplication(db, id);
  const enterprise = getEnterprise(db, row.enterprise_id);
  const targets = stepTargets(db);
  const priority = priorityOf(enterprise);
  const gate = enterprise === undefined ? { verdict: 'allow' as const, reasons: [], warnings: [], today: shanghaiDate(now) } : gateFor(db, enterprise, row.purpose_kind, now);
  const authority = row.status === 'approval' && isApprovingRole(user.role) ? authorityFor(db, row, user) : null;
  const steps = creditSteps(db, id).map((step) => ({
    id: step.id,
    step: step.step,
    action: step.action,
    actor: person(db, step.actor_id),
    opinion: step.opinion,
    attachmentIds: JSON.parse(step.attachment_ids) as string[],
    enteredAt: step.entered_at,
    actedAt: step.acted_at,
    timing: stepTiming(step.step, { enteredAt: step.entered_at, leftAt: step.acted_at }, now.toISOString(), priority, targets),
    toStatus: step.to_status,
    toApprovalLevel: step.to_approval_level,
  }));
  return {
    ...summaryOf(db, row, enterprise, priority, isWaitingFor(db, id, viewerOf(user)), targets, now),
    terms: creditTermsOf(row),
    reviewer: row.reviewer_id === null ? null : person(db, row.reviewer_id),
    decider: row.decider_id === null ? null : person(db, row.decider_id),
    decidedAt: row.decided_at,
    notes: row.notes,
    gate,
    gatePasses: gatePasses(gate, overrideCodes(row)),
    override:
      row.gate_override_by === null || row.gate_override_at === null
        ? null
        : { by: person(db, row.gate_override_by), reason: row.gate_override_reason ?? '', at: row.gate_override_at, codes: overrideCodes(row) },
    steps,
    attachments: listAttachments(db, 'credit_applications', id).map(toAttachmentListItem),
    allowedActions: allowedActions(row, user, gate, authority),
    authority: authority === null ? null : { limitFen: authority.limitFen, covers: authority.ok, escalateTo: authority.ok ? null : authority.escalateTo === 'credit_manager' ? null : authority.escalateTo },
    createdBy: person(db, row.created_by),
  };
}

function summaryOf(db: Db, row: CreditApplicationRow, enterprise: EnterpriseRow | undefined, priority: boolean, waitingForMe: boolean, targets: StepTargets, now: Date): CreditSummary {
  return {
    id: row.id,
    version: row.version,
    enterpriseId: row.enterprise_id,
    enterpriseName: enterprise?.name ?? '',
    enterpriseUscc: enterprise?.uscc ?? '',
    product: row.product,
    amountFen: row.amount_fen,
    termMonths: row.term_months,
    rateBp: row.rate_bp,
    status: row.status,
    approvalLevel: row.approval_level,
    priority,
    greenProject: row.green_project === 1,
    investigator: person(db, row.investigator_id),
    stepEnteredAt: row.step_entered_at,
    waiting: waitingOf(row, priority, targets, now),
    waitingForMe,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const creditList: Handler<'credit.list'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const targets = stepTargets(db);
  const now = ctx.now();
  const { rows, total } = listCreditApplications(db, input.filter, input.sort, input.offset, input.limit, viewerOf(user));
  return {
    rows: rows.map((row) => ({
      ...summaryOf(db, row, undefined, row.priority === 1, row.waiting_for_me === 1, targets, now),
      enterpriseName: row.enterprise_name,
      enterpriseUscc: row.enterprise_uscc,
    })),
    total,
  };
};

export const creditGet: Handler<'credit.get'> = (ctx, call, input) => creditDetail(ctx.store.db, input.id, signedInUser(call), ctx.now());

export const creditGate: Handler<'credit.gate'> = (ctx, _call, input) => gateFor(ctx.store.db, requireEnterprise(ctx.store.db, input.enterpriseId), input.purposeKind, ctx.now());

export const creditCreate: Handler<'credit.create'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  const id = db.transaction(() => {
    const gate = gateFor(db, requireEnterprise(db, input.terms.enterpriseId), input.terms.purposeKind, now);
    // needs_override may be opened (the investigation goes on); it cannot be submitted until overridden.
    if (gate.verdict === 'deny') throw refuse('GATE_DENIED', 'The credit gate denies new credit to this enterprise', { gate });
    const columns = { ...creditTermColumnsOf(input.terms), ...workflowColumnsOf(newState(user)), step_entered_at: now.toISOString(), notes: input.notes };
    return insertRecord(db, 'credit_applications', columns, actorOf(user, db), now).id as string;
  })();
  return creditDetail(db, id, user, now);
};

const newState = (user: User): WorkflowState => ({ status: 'investigation', approvalLevel: 'credit_manager', investigatorId: user.id, reviewerId: null, deciderId: null });

export const creditUpdate: Handler<'credit.update'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  db.transaction(() => {
    const row = requireApplication(db, input.id);
    if (row.status !== 'investigation') throw refuse('TERMS_LOCKED', 'The terms of a submitted application cannot change');
    if (row.investigator_id !== user.id) throw refuse('NOT_INVESTIGATOR', 'Only the investigator edits the application');
    const gate = gateFor(db, requireEnterprise(db, input.terms.enterpriseId), input.terms.purposeKind, now);
    if (gate.verdict === 'deny') throw refuse('GATE_DENIED', 'The credit gate denies new credit to this enterprise', { gate });
    updateRecord(db, 'credit_applications', input.id, { ...creditTermColumnsOf(input.terms), notes: input.notes }, actorOf(user, db), now, { expectedVersion: input.version });
  })();
  return creditDetail(db, input.id, user, now);
};

export const creditAct: Handler<'credit.act'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  db.transaction(() => {
    const row = requireApplication(db, input.id);
    if (row.version !== input.version) throw new HostFailure('CONFLICT', `The application is at version ${row.version}, the action was based on ${input.version}`, { rule: 'STALE' });
    if (!can(user.role, actionPermission(row.status, input.action))) throw refuse('ROLE', `A ${user.role} cannot ${input.action} at ${row.status}`);
    const step = stepOf(row.status);
    if (step === null) throw new HostFailure('CONFLICT', 'The application is already decided', { rule: 'ILLEGAL_TRANSITION' });

    const authority = input.action === 'approve' || input.action === 'escalate' ? authorityFor(db, row, user) : null;
    if (input.action === 'approve' && authority !== null && !authority.ok) {
      throw refuse('AUTHORITY_EXCEEDED', `The amount is above your approval limit of ${authority.limitFen} fen`, { limitFen: authority.limitFen, escalateTo: authority.escalateTo });
    }
    let request: WorkflowRequest;
    if (input.action === 'escalate') {
      const to = requestFor('escalate', authority);
      if (to === null) throw refuse('AUTHORITY_COVERS', 'The amount is within your approval limit: decide it yourself', { limitFen: authority?.limitFen ?? 0 });
      request = to;
    } else {
      request = { action: input.action };
    }
    const outcome = applyAction(workflowStateOf(row), request, { userId: user.id, side: 'branch' });
    if (!outcome.ok) {
      // A step already taken (by a colleague, on this laptop) is a conflict; a four-eyes breach is forbidden.
      throw new HostFailure(outcome.rule === 'ILLEGAL_TRANSITION' ? 'CONFLICT' : 'FORBIDDEN', `Refused by the workflow: ${outcome.rule}`, { rule: outcome.rule });
    }
    // The gate runs again on submitting and approving: the enterprise file may have changed since.
    if (input.action === 'submit' || input.action === 'approve') requireGate(gateFor(db, requireEnterprise(db, row.enterprise_id), row.purpose_kind, now), row);

    const attachments = new Set(listAttachments(db, 'credit_applications', row.id).map((attachment) => attachment.id));
    const unknown = input.attachmentIds.find((attachmentId) => !attachments.has(attachmentId));
    if (unknown !== undefined) throw new HostFailure('VALIDATION', `Attachment ${unknown} is not one of this application`, { issues: [{ path: ['attachmentIds'], code: 'NOT_FOUND', message: 'NOT_FOUND' }] });

    const next = outcome.state;
    const at = now.toISOString();
    const actor = actorOf(user, db);
    const decided = finalStatuses.includes(next.status);
    updateRecord(db, 'credit_applications', row.id, { ...workflowColumnsOf(next), step_entered_at: at, decided_at: decided ? at : null }, actor, now, { expectedVersion: input.version, action: `credit_${input.action}` });
    insertRecord(
      db,
      'credit_application_steps',
      {
        application_id: row.id,
        step,
        action: input.action,
        actor_id: user.id,
        opinion: input.opinion,
        attachment_ids: JSON.stringify(input.attachmentIds),
        entered_at: row.step_entered_at,
        acted_at: at,
        to_status: next.status,
        to_approval_level: next.approvalLevel,
      },
      actor,
      now,
    );
  })();
  return creditDetail(db, input.id, user, now);
};

export const creditOverride: Handler<'credit.override'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  db.transaction(() => {
    const row = requireApplication(db, input.id);
    if (finalStatuses.includes(row.status)) throw new HostFailure('CONFLICT', 'The application is already decided', { rule: 'ILLEGAL_TRANSITION' });
    if (row.investigator_id === user.id) throw refuse('FOUR_EYES_INVESTIGATOR', 'The investigator may not override the gate on their own application');
    const gate = gateFor(db, requireEnterprise(db, row.enterprise_id), row.purpose_kind, now);
    if (gate.verdict === 'deny') throw refuse('GATE_DENIED', 'Nothing overrides a deny', { gate });
    if (gatePasses(gate, overrideCodes(row))) throw refuse('OVERRIDE_NOT_NEEDED', 'The gate lets this application through without an override', { gate });
    const columns = {
      gate_override_by: user.id,
      gate_override_reason: input.reason,
      gate_override_at: now.toISOString(),
      gate_override_codes: JSON.stringify(gate.reasons.map(overrideKeyOf)),
    };
    // Audited as its own action, the reason in the entry: the trail says who let what through and why.
    updateRecord(db, 'credit_applications', row.id, columns, actorOf(user, db), now, { expectedVersion: input.version, action: 'gate_override' });
  })();
  return creditDetail(db, input.id, user, now);
};

