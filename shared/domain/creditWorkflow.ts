import type { ApprovingRole } from './approvalAuthority.ts';
import type { Permission } from './roles.ts';

/**
 * The workflow of a credit application: 调查 investigation → 审查 review → 审批 approval, with a
 * decision (approve, reject with a reason) or a return for more information (退回补充) back to the
 * investigator; above the branch's authority, 上报上级行 (escalated) waits for head office.
 *
 * `applyAction` is the one rule. The laptop's host runs it before writing an action and the hub
 * runs it (through creditLifecycle.ts) on every change a laptop pushes, so a step cannot be skipped
 * and nobody checks their own work: the reviewer and the approver are not the investigator, and the
 * approver is not the reviewer (审贷分离, the review and the decision are two people's).
 */

export const creditStatuses = ['investigation', 'review', 'approval', 'escalated', 'approved', 'rejected'] as const;
export type CreditStatus = (typeof creditStatuses)[number];

export const finalStatuses: readonly CreditStatus[] = ['approved', 'rejected'];

export const creditActions = ['submit', 'pass', 'return', 'reject', 'approve', 'escalate'] as const;
export type CreditAction = (typeof creditActions)[number];

/** Who decides at 审批 inside the branch; 'escalated' status is head office's. */
export type ApprovalLevel = ApprovingRole;

export interface WorkflowState {
  status: CreditStatus;
  approvalLevel: ApprovalLevel;
  investigatorId: string;
  /** Who passed the review (null until then, and again after a return). */
  reviewerId: string | null;
  /** Who approved or rejected. */
  deciderId: string | null;
}

export interface WorkflowActor {
  userId: string;
  /** A person of the branch (on a laptop) or of head office (its console, a later issue). */
  side: 'branch' | 'head_office';
}

export type WorkflowRequest =
  | { action: 'submit' | 'pass' | 'return' | 'reject' | 'approve' }
  /** Where to: the branch head, or head office (上报上级行); the host picks it by authority. */
  | { action: 'escalate'; to: ApprovalLevel | 'head_office' };

export type WorkflowRule =
  /** The action does not apply in this status (a skipped step, a decided application …). */
  | 'ILLEGAL_TRANSITION'
  /** Only the investigator submits their investigation. */
  | 'NOT_INVESTIGATOR'
  /** The investigator may not review or decide their own application. */
  | 'FOUR_EYES_INVESTIGATOR'
  /** The reviewer may not also decide it. */
  | 'FOUR_EYES_REVIEWER'
  /** An escalated application is decided by head office, not the branch. */
  | 'HEAD_OFFICE_ONLY'
  /** Head office acts only on what was escalated to it. */
  | 'BRANCH_ONLY';

export type WorkflowOutcome = { ok: true; state: WorkflowState } | { ok: false; rule: WorkflowRule };

/** For each status, the actions that apply and where they lead (escalate's target is its request's). */
const transitions: Record<CreditStatus, Partial<Record<CreditAction, CreditStatus>>> = {
  investigation: { submit: 'review' },
  review: { pass: 'approval', return: 'investigation', reject: 'rejected' },
  approval: { approve: 'approved', reject: 'rejected', return: 'investigation', escalate: 'approval' },
  escalated: { approve: 'approved', reject: 'rejected', return: 'investigation' },
  approved: {},
  rejected: {},
};

/** The status an action leads to from a status, or null when it does not apply there. */
export function transitionTarget(status: CreditStatus, request: WorkflowRequest): CreditStatus | null {
  const to = transitions[status][request.action];
  if (to === undefined) return null;
  if (request.action === 'escalate') {
    if (request.to === 'head_office') return 'escalated';
    // Within the branch, escalation only goes up: to the branch head, from the credit managers.
    return status === 'approval' && request.to === 'branch_head' ? 'approval' : null;
  }
  return to;
}

export function applyAction(state: WorkflowState, request: WorkflowRequest, actor: WorkflowActor): WorkflowOutcome {
  const to = transitionTarget(state.status, request);
  if (to === null) return { ok: false, rule: 'ILLEGAL_TRANSITION' };
  if (request.action === 'escalate' && request.to === 'branch_head' && state.approvalLevel === 'branch_head') return { ok: false, rule: 'ILLEGAL_TRANSITION' };

  const headOfficeStep = state.status === 'escalated';
  if (headOfficeStep && actor.side !== 'head_office') return { ok: false, rule: 'HEAD_OFFICE_ONLY' };
  if (!headOfficeStep && actor.side !== 'branch') return { ok: false, rule: 'BRANCH_ONLY' };

  const { userId } = actor;
  if (state.status === 'investigation') {
    if (userId !== state.investigatorId) return { ok: false, rule: 'NOT_INVESTIGATOR' };
  } else {
    if (userId === state.investigatorId) return { ok: false, rule: 'FOUR_EYES_INVESTIGATOR' };
    if (state.status !== 'review' && userId === state.reviewerId) return { ok: false, rule: 'FOUR_EYES_REVIEWER' };
  }

  switch (request.action) {
    case 'submit':
      return { ok: true, state: { ...state, status: to } };
    case 'pass':
      return { ok: true, state: { ...state, status: to, reviewerId: userId } };
    case 'return':
      // Back to the investigator: the next submission is reviewed afresh, by the branch's credit managers.
      return { ok: true, state: { ...state, status: to, reviewerId: null, deciderId: null, approvalLevel: 'credit_manager' } };
    case 'reject':
    case 'approve':
      return { ok: true, state: { ...state, status: to, deciderId: userId } };
    case 'escalate':
      return { ok: true, state: { ...state, status: to, approvalLevel: request.to === 'head_office' ? state.approvalLevel : request.to } };
  }
}

/** The workflow step an application in this status is at (null once decided). */
export function stepOf(status: CreditStatus): 'investigation' | 'review' | 'approval' | 'escalated' | null {
  return finalStatuses.includes(status) ? null : (status as 'investigation' | 'review' | 'approval' | 'escalated');
}

/**
 * The request that turns one state into another, if any: how the hub reads a pushed row change as
 * a workflow action (creditLifecycle.ts). Within a status, only an escalation changes the level.
 */
export function requestBetween(from: Pick<WorkflowState, 'status' | 'approvalLevel'>, to: Pick<WorkflowState, 'status' | 'approvalLevel'>): WorkflowRequest | null {
  if (to.status === 'escalated') return from.status === 'escalated' ? null : { action: 'escalate', to: 'head_office' };
  if (from.status === to.status) return from.status === 'approval' && from.approvalLevel !== to.approvalLevel ? { action: 'escalate', to: to.approvalLevel } : null;
  const action = creditActions.find((candidate) => candidate !== 'escalate' && transitions[from.status][candidate] === to.status);
  return action === undefined ? null : { action: action as Exclude<CreditAction, 'escalate'> };
}

/** The permission an action needs at a status (the host checks it; the UI hides what it lacks). */
export function actionPermission(status: CreditStatus, action: CreditAction): Permission {
  if (action === 'submit') return 'credit.write';
  return status === 'review' ? 'credit.review' : 'credit.approve';
}
