import { approvingRoles, checkApprovalAuthority } from './approvalAuthority.ts';
import { actionPermission, applyAction, creditStatuses, requestBetween, type WorkflowRule, type WorkflowState } from './creditWorkflow.ts';
import { actorIssue, type Columns, type LifecycleChange, type LifecycleIssue, type LifecycleValidator } from './lifecycle.ts';

/**
 * The credit-application workflow over synced rows (table credit_applications): the rule the hub
 * runs on every change a laptop pushes, built on the same applyAction the laptop's host runs. A
 * laptop whose host checks were bypassed (a row written straight into its database) cannot skip a
 * step, approve its own investigation, rewrite who acted, or change the terms once submitted; nor
 * can a person whose directory role lacks the step's permission (审查 a credit manager's, 审批 a
 * credit manager's or the branch head's, the gate override a credit manager's: the host's own
 * `can(role, actionPermission(…))`) take it, or approve above their role's approval authority.
 */

/** The terms an application is judged on: fixed once the investigation is submitted. */
export const creditTermColumns = [
  'enterprise_id',
  'product',
  'amount_fen',
  'term_months',
  'rate_bp',
  'purpose',
  'purpose_kind',
  'guarantee_mode',
  'green_project',
  'project_name',
  'project_total_investment_fen',
  'project_expected_start',
] as const;

/** Written only by workflow actions. */
export const creditWorkflowColumns = ['status', 'approval_level', 'investigator_id', 'reviewer_id', 'decider_id'] as const;

/** The credit manager's override of the gate: who, why, when, and which reasons it covers. */
export const creditOverrideColumns = ['gate_override_by', 'gate_override_reason', 'gate_override_at', 'gate_override_codes'] as const;

const messages: Record<
  WorkflowRule | 'NOT_A_NEW_APPLICATION' | 'ACTOR_MISMATCH' | 'TERMS_LOCKED' | 'OVERRIDE_BY_INVESTIGATOR' | 'DELETE_AFTER_SUBMIT' | 'FOUR_EYES_ROW' | 'ROLE_NOT_PERMITTED' | 'OVERRIDE_NOT_CREDIT_MANAGER' | 'AUTHORITY_EXCEEDED',
  string
> = {
  ILLEGAL_TRANSITION: 'the change skips or reverses a workflow step',
  NOT_INVESTIGATOR: 'only the investigator may submit or edit the investigation',
  FOUR_EYES_INVESTIGATOR: 'the investigator may not review or decide their own application',
  FOUR_EYES_REVIEWER: 'the reviewer may not also decide the application',
  HEAD_OFFICE_ONLY: 'an application escalated to head office is decided by head office',
  BRANCH_ONLY: 'head office acts only on applications escalated to it',
  NOT_A_NEW_APPLICATION: 'a new application starts at investigation, by its investigator, with nobody else recorded',
  ACTOR_MISMATCH: 'the person recorded for the step is not the one who made the change',
  TERMS_LOCKED: 'the terms of a submitted application cannot change',
  OVERRIDE_BY_INVESTIGATOR: 'the gate override must be recorded by someone other than the investigator, as themselves',
  DELETE_AFTER_SUBMIT: 'only the investigator may delete an application, and only before it is submitted',
  FOUR_EYES_ROW: 'the reviewer and the decider must differ from the investigator and from each other',
  ROLE_NOT_PERMITTED: 'the person’s role may not take this step (review: a credit manager; approval: a credit manager or the branch head)',
  OVERRIDE_NOT_CREDIT_MANAGER: 'only a credit manager overrides the credit gate',
  AUTHORITY_EXCEEDED: 'the amount is above the approval limit of the person’s role (动态授权)',
};
type Rule = keyof typeof messages;

const issue = (field: string, rule: Rule): LifecycleIssue => ({ field, rule, message: messages[rule] });

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function stateOf(row: Columns): WorkflowState | null {
  const status = row.status;
  const level = row.approval_level;
  const investigatorId = text(row.investigator_id);
  if (!creditStatuses.includes(status as never) || !approvingRoles.includes(level as never) || investigatorId === null) return null;
  return {
    status: status as WorkflowState['status'],
    approvalLevel: level as WorkflowState['approvalLevel'],
    investigatorId,
    reviewerId: text(row.reviewer_id),
    deciderId: text(row.decider_id),
  };
}

/** Four-eyes on the row itself, whoever wrote it (a resolution's chosen values included). */
function rowInvariants(state: WorkflowState): LifecycleIssue[] {
  const { investigatorId, reviewerId, deciderId } = state;
  const clash = reviewerId === investigatorId || deciderId === investigatorId || (deciderId !== null && deciderId === reviewerId);
  return clash ? [issue(deciderId === investigatorId ? 'decider_id' : 'reviewer_id', 'FOUR_EYES_ROW')] : [];
}

const changed = (before: Columns, after: Columns, column: string) => JSON.stringify(before[column] ?? null) !== JSON.stringify(after[column] ?? null);

export const creditApplicationLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  const to = stateOf(change.after);
  // A malformed row is the row schema's to report (shared/sync/rows.ts); nothing to judge here.
  if (to === null) return [];
  const invariants = rowInvariants(to);
  // A resolution chooses between two changes the hub already judged from their own base (or values
  // a person typed): the row must still be four-eyes clean, the transition was checked at push.
  if (change.source === 'resolution') return invariants;

  const { before, userId } = change;
  if (before === undefined) {
    const fresh = to.status === 'investigation' && to.approvalLevel === 'credit_manager' && to.investigatorId === userId && to.reviewerId === null && to.deciderId === null;
    const overridden = text(change.after.gate_override_by) !== null;
    return [...(fresh && !overridden ? [] : [issue('status', 'NOT_A_NEW_APPLICATION')]), ...invariants];
  }
  const from = stateOf(before);
  if (from === null) return invariants;

  const issues: LifecycleIssue[] = [...invariants];
  const deleting = change.op === 'delete' || (change.fields.includes('deleted_at') && text(change.after.deleted_at) !== null);
  if (deleting && (from.status !== 'investigation' || userId !== from.investigatorId)) issues.push(issue('deleted_at', 'DELETE_AFTER_SUBMIT'));

  const termsTouched = creditTermColumns.filter((column) => changed(before, change.after, column));
  if (termsTouched.length > 0) {
    if (from.status !== 'investigation') issues.push(issue(termsTouched[0]!, 'TERMS_LOCKED'));
    else if (userId !== from.investigatorId) issues.push(issue(termsTouched[0]!, 'NOT_INVESTIGATOR'));
  }

  const overrideTouched = creditOverrideColumns.filter((column) => changed(before, change.after, column));
  if (overrideTouched.length > 0) {
    // A new override (a reason appeared that the old one does not cover) replaces the old one; the
    // audit trail keeps both. Either way it is its author's, and not the investigator's.
    if (text(change.after.gate_override_by) !== userId || userId === from.investigatorId) issues.push(issue('gate_override_by', 'OVERRIDE_BY_INVESTIGATOR'));
    const refused = text(change.after.gate_override_by) === null ? null : actorIssue(change, 'credit.override', issue('gate_override_by', 'OVERRIDE_NOT_CREDIT_MANAGER'));
    if (refused !== null) issues.push(refused);
  }

  const workflowTouched = creditWorkflowColumns.some((column) => changed(before, change.after, column));
  if (!workflowTouched) return issues;
  const request = requestBetween(from, to);
  if (request === null) return [...issues, issue('status', 'ILLEGAL_TRANSITION')];
  const refused = actorIssue(change, actionPermission(from.status, request.action), issue('status', 'ROLE_NOT_PERMITTED'));
  if (refused !== null) issues.push(refused);
  else if (request.action === 'approve' && change.source === 'device' && change.authority !== undefined) {
    // 动态授权 as the host's credit.act checks it, on the terms (fixed since submission) and the role.
    const amountFen = Number(before.amount_fen);
    const greenProject = before.green_project === 1 || before.green_project === true;
    const authority = checkApprovalAuthority(change.authority.table, { amountFen, greenProject, branchCode: change.authority.branchCode, role: change.actor!.role });
    if (!authority.ok) issues.push(issue('decider_id', 'AUTHORITY_EXCEEDED'));
  }
  const outcome = applyAction(from, request, { userId, side: change.source === 'head-office' ? 'head_office' : 'branch' });
  if (!outcome.ok) return [...issues, issue(outcome.rule === 'NOT_INVESTIGATOR' ? 'status' : 'decider_id', outcome.rule)];
  const expected = outcome.state;
  const mismatch = expected.investigatorId !== to.investigatorId || expected.reviewerId !== to.reviewerId || expected.deciderId !== to.deciderId || expected.approvalLevel !== to.approvalLevel;
  return mismatch ? [...issues, issue('decider_id', 'ACTOR_MISMATCH')] : issues;
};

/**
 * A workflow step (credit_application_steps) records who acted: it is written once, by the person
 * it names, and never edited.
 */
export const creditStepLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  if (change.source === 'resolution') return [];
  if (change.op !== 'insert' || change.before !== undefined) return [{ field: 'id', rule: 'STEP_REWRITTEN', message: 'a recorded workflow step cannot be changed' }];
  if (change.after.actor_id !== change.userId) return [{ field: 'actor_id', rule: 'ACTOR_MISMATCH', message: messages.ACTOR_MISMATCH }];
  return [];
};
