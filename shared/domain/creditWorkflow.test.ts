import { describe, expect, it } from 'vitest';
import { applyAction, creditActions, creditStatuses, requestBetween, transitionTarget, type CreditAction, type CreditStatus, type WorkflowActor, type WorkflowRequest, type WorkflowState } from './creditWorkflow.ts';

const INVESTIGATOR = 'u-officer';
const REVIEWER = 'u-reviewer';
const APPROVER = 'u-approver';

const stateAt = (status: CreditStatus, overrides: Partial<WorkflowState> = {}): WorkflowState => ({
  status,
  approvalLevel: 'credit_manager',
  investigatorId: INVESTIGATOR,
  reviewerId: ['approval', 'escalated', 'approved'].includes(status) ? REVIEWER : null,
  deciderId: ['approved', 'rejected'].includes(status) ? APPROVER : null,
  ...overrides,
});

const requestOf = (action: CreditAction): WorkflowRequest => (action === 'escalate' ? { action, to: 'branch_head' } : { action });
const branch = (userId: string): WorkflowActor => ({ userId, side: 'branch' });
const headOffice: WorkflowActor = { userId: 'h-approver', side: 'head_office' };

/** The allowed transitions, all of them: status → action → where it leads and who may take it. */
const allowed: Record<CreditStatus, Partial<Record<CreditAction, { to: CreditStatus; by: WorkflowActor }>>> = {
  investigation: { submit: { to: 'review', by: branch(INVESTIGATOR) } },
  review: {
    pass: { to: 'approval', by: branch(REVIEWER) },
    return: { to: 'investigation', by: branch(REVIEWER) },
    reject: { to: 'rejected', by: branch(REVIEWER) },
  },
  approval: {
    approve: { to: 'approved', by: branch(APPROVER) },
    reject: { to: 'rejected', by: branch(APPROVER) },
    return: { to: 'investigation', by: branch(APPROVER) },
    escalate: { to: 'approval', by: branch(APPROVER) },
  },
  escalated: {
    approve: { to: 'approved', by: headOffice },
    reject: { to: 'rejected', by: headOffice },
    return: { to: 'investigation', by: headOffice },
  },
  approved: {},
  rejected: {},
};

const everyPair = creditStatuses.flatMap((status) => creditActions.map((action) => [status, action] as const));

describe('credit workflow: every status × action', () => {
  it.each(everyPair.filter(([status, action]) => allowed[status][action] !== undefined))('%s + %s is allowed', (status, action) => {
    const { to, by } = allowed[status][action]!;
    const outcome = applyAction(stateAt(status), requestOf(action), by);
    expect(outcome).toMatchObject({ ok: true, state: { status: to } });
  });

  it.each(everyPair.filter(([status, action]) => allowed[status][action] === undefined))('%s + %s is refused as an illegal transition', (status, action) => {
    for (const actor of [branch(INVESTIGATOR), branch(REVIEWER), branch(APPROVER), branch('u-someone'), headOffice]) {
      expect(applyAction(stateAt(status), requestOf(action), actor)).toEqual({ ok: false, rule: 'ILLEGAL_TRANSITION' });
    }
  });
});

describe('credit workflow: who may act', () => {
  it.each<[string, CreditStatus, WorkflowRequest, WorkflowActor, string]>([
    ['someone else submits the investigation', 'investigation', { action: 'submit' }, branch(REVIEWER), 'NOT_INVESTIGATOR'],
    ['the investigator passes their own review', 'review', { action: 'pass' }, branch(INVESTIGATOR), 'FOUR_EYES_INVESTIGATOR'],
    ['the investigator rejects at review', 'review', { action: 'reject' }, branch(INVESTIGATOR), 'FOUR_EYES_INVESTIGATOR'],
    ['the investigator returns it to themselves', 'review', { action: 'return' }, branch(INVESTIGATOR), 'FOUR_EYES_INVESTIGATOR'],
    ['the investigator approves', 'approval', { action: 'approve' }, branch(INVESTIGATOR), 'FOUR_EYES_INVESTIGATOR'],
    ['the investigator escalates', 'approval', { action: 'escalate', to: 'branch_head' }, branch(INVESTIGATOR), 'FOUR_EYES_INVESTIGATOR'],
    ['the reviewer approves what they reviewed', 'approval', { action: 'approve' }, branch(REVIEWER), 'FOUR_EYES_REVIEWER'],
    ['the reviewer rejects at approval', 'approval', { action: 'reject' }, branch(REVIEWER), 'FOUR_EYES_REVIEWER'],
    ['the branch approves what went to head office', 'escalated', { action: 'approve' }, branch(APPROVER), 'HEAD_OFFICE_ONLY'],
    ['head office approves at the branch step', 'approval', { action: 'approve' }, headOffice, 'BRANCH_ONLY'],
    ['head office reviews', 'review', { action: 'pass' }, headOffice, 'BRANCH_ONLY'],
  ])('%s: %s', (_name, status, request, actor, rule) => {
    expect(applyAction(stateAt(status), request, actor)).toEqual({ ok: false, rule });
  });

  it('records who acted: the reviewer at pass, the decider at approve and reject', () => {
    const passed = applyAction(stateAt('review'), { action: 'pass' }, branch(REVIEWER));
    expect(passed).toEqual({ ok: true, state: { ...stateAt('review'), status: 'approval', reviewerId: REVIEWER } });
    const approved = applyAction(stateAt('approval'), { action: 'approve' }, branch(APPROVER));
    expect(approved).toMatchObject({ ok: true, state: { status: 'approved', reviewerId: REVIEWER, deciderId: APPROVER } });
    const rejected = applyAction(stateAt('review'), { action: 'reject' }, branch(REVIEWER));
    expect(rejected).toMatchObject({ ok: true, state: { status: 'rejected', deciderId: REVIEWER } });
  });

  it('a return clears the review and the level: the resubmission is reviewed afresh', () => {
    const returned = applyAction(stateAt('approval', { approvalLevel: 'branch_head' }), { action: 'return' }, branch(APPROVER));
    expect(returned).toEqual({ ok: true, state: { ...stateAt('investigation'), reviewerId: null, deciderId: null, approvalLevel: 'credit_manager' } });
  });
});

describe('credit workflow: escalation', () => {
  it('a credit manager escalates to the branch head; the branch head escalates on to head office', () => {
    const toHead = applyAction(stateAt('approval'), { action: 'escalate', to: 'branch_head' }, branch(APPROVER));
    expect(toHead).toMatchObject({ ok: true, state: { status: 'approval', approvalLevel: 'branch_head' } });
    const up = applyAction(stateAt('approval', { approvalLevel: 'branch_head' }), { action: 'escalate', to: 'head_office' }, branch('u-head'));
    expect(up).toMatchObject({ ok: true, state: { status: 'escalated', approvalLevel: 'branch_head' } });
  });

  it.each<[string, WorkflowState, WorkflowRequest]>([
    ['to the branch head when it is already there', stateAt('approval', { approvalLevel: 'branch_head' }), { action: 'escalate', to: 'branch_head' }],
    ['down to the credit managers', stateAt('approval', { approvalLevel: 'branch_head' }), { action: 'escalate', to: 'credit_manager' }],
    ['to the credit managers from the credit managers', stateAt('approval'), { action: 'escalate', to: 'credit_manager' }],
    ['from review (it must be reviewed first)', stateAt('review'), { action: 'escalate', to: 'head_office' }],
    ['from head office to head office', stateAt('escalated'), { action: 'escalate', to: 'head_office' }],
  ])('is refused %s', (_name, state, request) => {
    expect(applyAction(state, request, branch(APPROVER))).toEqual({ ok: false, rule: 'ILLEGAL_TRANSITION' });
  });
});

describe('requestBetween: reading a row change as an action', () => {
  it.each<[CreditStatus, string, CreditStatus, string, WorkflowRequest | null]>([
    ['investigation', 'credit_manager', 'review', 'credit_manager', { action: 'submit' }],
    ['review', 'credit_manager', 'approval', 'credit_manager', { action: 'pass' }],
    ['review', 'credit_manager', 'investigation', 'credit_manager', { action: 'return' }],
    ['approval', 'credit_manager', 'approved', 'credit_manager', { action: 'approve' }],
    ['approval', 'credit_manager', 'approval', 'branch_head', { action: 'escalate', to: 'branch_head' }],
    ['approval', 'branch_head', 'escalated', 'branch_head', { action: 'escalate', to: 'head_office' }],
    ['escalated', 'branch_head', 'rejected', 'branch_head', { action: 'reject' }],
    ['investigation', 'credit_manager', 'approved', 'credit_manager', null],
    ['investigation', 'credit_manager', 'approval', 'credit_manager', null],
    ['approved', 'credit_manager', 'rejected', 'credit_manager', null],
    ['review', 'credit_manager', 'review', 'credit_manager', null],
  ])('%s/%s → %s/%s', (from, fromLevel, to, toLevel, request) => {
    const level = (value: string) => value as WorkflowState['approvalLevel'];
    expect(requestBetween({ status: from, approvalLevel: level(fromLevel) }, { status: to, approvalLevel: level(toLevel) })).toEqual(request);
  });

  it('agrees with transitionTarget for every plain action', () => {
    for (const [status, action] of everyPair) {
      if (action === 'escalate') continue;
      const to = transitionTarget(status, { action });
      if (to !== null) expect(requestBetween({ status, approvalLevel: 'credit_manager' }, { status: to, approvalLevel: 'credit_manager' })).toEqual({ action });
    }
  });
});
