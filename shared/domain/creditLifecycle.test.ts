import { describe, expect, it } from 'vitest';
import { creditApplicationLifecycle } from './creditLifecycle.ts';
import { defaultApprovalAuthority } from './approvalAuthority.ts';
import type { Columns, LifecycleActor, LifecycleChange } from './lifecycle.ts';

const I = 'u-officer';
const R = 'u-reviewer';
const A = 'u-approver';
/** A loan officer who is not the investigator, a switched-off manager, someone the directory lacks. */
const CLERK = 'u-clerk';
const GONE = 'u-gone';
const STRANGER = 'u-stranger';

/**
 * The branch's people directory as the hub holds it. The investigator here is a credit manager
 * (credit.write allows it), so the four-eyes cases below are about four-eyes, not the role.
 */
const directory: Record<string, LifecycleActor> = {
  [I]: { role: 'credit_manager', active: true },
  [R]: { role: 'credit_manager', active: true },
  [A]: { role: 'credit_manager', active: true },
  'u-b': { role: 'credit_manager', active: true },
  'u-head': { role: 'branch_head', active: true },
  [CLERK]: { role: 'loan_officer', active: true },
  [GONE]: { role: 'credit_manager', active: false },
};
/** The default table (county branch: a credit manager 300 万元, the branch head 1000 万元, green +20%). */
const authority = { table: defaultApprovalAuthority, branchCode: 'FL-013' };

const row = (overrides: Record<string, unknown> = {}): Columns => ({
  enterprise_id: 'e-1',
  product: 'working_capital',
  amount_fen: 200_000_000,
  term_months: 12,
  rate_bp: 435,
  purpose: '购买原材料',
  purpose_kind: 'general',
  guarantee_mode: 'guarantee',
  green_project: 0,
  status: 'investigation',
  approval_level: 'credit_manager',
  investigator_id: I,
  reviewer_id: null,
  decider_id: null,
  gate_override_by: null,
  gate_override_reason: null,
  gate_override_at: null,
  gate_override_codes: null,
  ...overrides,
});

/** An update from `before` setting `fields`, by `userId`. */
const update = (before: Columns, fields: Record<string, unknown>, userId: string, source: LifecycleChange['source'] = 'device'): LifecycleChange => ({
  op: 'update',
  before,
  after: { ...before, ...fields },
  fields: Object.keys(fields),
  userId,
  source,
});

/** The change judged as the hub judges it: its person from the directory, the authority in force. */
const judged = (change: LifecycleChange): LifecycleChange => ({ actor: directory[change.userId], authority, ...change });
const rules = (change: LifecycleChange) => creditApplicationLifecycle(judged(change)).map((issue) => issue.rule);

const inReview = row({ status: 'review' });
const inApproval = row({ status: 'approval', reviewer_id: R });

describe('credit application lifecycle at the hub', () => {
  it.each<[string, LifecycleChange, string[]]>([
    ['a new application by its investigator', { op: 'insert', before: undefined, after: row(), fields: Object.keys(row()), userId: I, source: 'device' }, []],
    ['a new application already approved', { op: 'insert', before: undefined, after: row({ status: 'approved', reviewer_id: R, decider_id: A }), fields: [], userId: I, source: 'device' }, ['NOT_A_NEW_APPLICATION']],
    ['a new application in someone else’s name', { op: 'insert', before: undefined, after: row(), fields: [], userId: R, source: 'device' }, ['NOT_A_NEW_APPLICATION']],
    ['a new application with an override already on it', { op: 'insert', before: undefined, after: row({ gate_override_by: R }), fields: [], userId: I, source: 'device' }, ['NOT_A_NEW_APPLICATION']],
    ['submit by the investigator', update(row(), { status: 'review' }, I), []],
    ['submit by someone else', update(row(), { status: 'review' }, R), ['NOT_INVESTIGATOR']],
    ['review passed by a reviewer who records themselves', update(inReview, { status: 'approval', reviewer_id: R }, R), []],
    ['review passed by the investigator', update(inReview, { status: 'approval', reviewer_id: I }, I), ['FOUR_EYES_ROW', 'FOUR_EYES_INVESTIGATOR']],
    ['review passed naming another reviewer', update(inReview, { status: 'approval', reviewer_id: 'u-ghost' }, R), ['ACTOR_MISMATCH']],
    ['approved by an approver', update(inApproval, { status: 'approved', decider_id: A }, A), []],
    ['approved by its own investigator', update(inApproval, { status: 'approved', decider_id: I }, I), ['FOUR_EYES_ROW', 'FOUR_EYES_INVESTIGATOR']],
    ['approved by the investigator, naming someone else as decider', update(inApproval, { status: 'approved', decider_id: A }, I), ['FOUR_EYES_INVESTIGATOR']],
    ['approved by the reviewer', update(inApproval, { status: 'approved', decider_id: R }, R), ['FOUR_EYES_ROW', 'FOUR_EYES_REVIEWER']],
    ['investigation straight to approved (skips review and approval)', update(row(), { status: 'approved', reviewer_id: R, decider_id: A }, A), ['ILLEGAL_TRANSITION']],
    ['review straight to approved (skips approval)', update(inReview, { status: 'approved', decider_id: A }, A), ['ILLEGAL_TRANSITION']],
    ['a decision reversed', update(row({ status: 'approved', reviewer_id: R, decider_id: A }), { status: 'rejected' }, A), ['ILLEGAL_TRANSITION']],
    ['escalated to the branch head', update(inApproval, { approval_level: 'branch_head' }, A), []],
    ['上报上级行 by the branch head', update(row({ status: 'approval', reviewer_id: R, approval_level: 'branch_head' }), { status: 'escalated' }, 'u-head'), []],
    ['a laptop approving what waits for head office', update(row({ status: 'escalated', reviewer_id: R }), { status: 'approved', decider_id: A }, A), ['HEAD_OFFICE_ONLY']],
    ['head office approving what was escalated', update(row({ status: 'escalated', reviewer_id: R }), { status: 'approved', decider_id: 'h-1' }, 'h-1', 'head-office'), []],
    ['returned for more information, review cleared', update(inApproval, { status: 'investigation', reviewer_id: null }, A), []],
    ['returned, but the reviewer kept on the row', update(inApproval, { status: 'investigation' }, A), ['ACTOR_MISMATCH']],
    ['the investigator edits the terms during investigation', update(row(), { amount_fen: 250_000_000 }, I), []],
    ['someone else edits the terms during investigation', update(row(), { amount_fen: 250_000_000 }, R), ['NOT_INVESTIGATOR']],
    ['the amount raised after submission', update(inApproval, { amount_fen: 900_000_000 }, I), ['TERMS_LOCKED']],
    ['the amount raised while approving', update(inApproval, { amount_fen: 900_000_000, status: 'approved', decider_id: A }, A), ['TERMS_LOCKED']],
    ['a credit manager records an override as themselves', update(inReview, { gate_override_by: R, gate_override_reason: '污染治理项目', gate_override_codes: '["ADVERSE_RATING_REMEDIAL_PURPOSE"]' }, R), []],
    ['the investigator overrides the gate', update(row(), { gate_override_by: I, gate_override_reason: '自己放行' }, I), ['OVERRIDE_BY_INVESTIGATOR']],
    ['an override recorded in someone else’s name', update(inReview, { gate_override_by: A }, R), ['OVERRIDE_BY_INVESTIGATOR']],
    ['a new override by another manager replaces the old one', update(row({ status: 'review', gate_override_by: R, gate_override_reason: '污染治理项目' }), { gate_override_by: A, gate_override_reason: '退出期限已过，另行特批' }, A), []],
    ['an override rewritten in the old author’s name', update(row({ status: 'review', gate_override_by: R, gate_override_reason: '污染治理项目' }), { gate_override_reason: '改写' }, A), ['OVERRIDE_BY_INVESTIGATOR']],
    ['the investigator deletes a draft', update(row(), { deleted_at: '2026-06-01T00:00:00.000Z' }, I), []],
    ['a submitted application deleted', update(inReview, { deleted_at: '2026-06-01T00:00:00.000Z' }, I), ['DELETE_AFTER_SUBMIT']],
    ['a note alone changes nothing of the workflow', update(inApproval, { notes: '客户来电' }, I), []],
  ])('%s', (_name, change, expected) => {
    expect(rules(change)).toEqual(expected);
  });

  // The role of the person (issue 13: 审查 a credit manager's, 审批 a credit manager's or the branch
  // head's, the override a credit manager's, within 动态授权), from the directory the hub holds.
  it.each<[string, LifecycleChange, string[]]>([
    ['review passed by a loan officer who is not the investigator', update(inReview, { status: 'approval', reviewer_id: CLERK }, CLERK), ['ROLE_NOT_PERMITTED']],
    ['review rejected by a loan officer', update(inReview, { status: 'rejected', decider_id: CLERK }, CLERK), ['ROLE_NOT_PERMITTED']],
    ['review passed by the branch head (审查 is a credit manager’s)', update(inReview, { status: 'approval', reviewer_id: 'u-head' }, 'u-head'), ['ROLE_NOT_PERMITTED']],
    ['approved by a loan officer', update(inApproval, { status: 'approved', decider_id: CLERK }, CLERK), ['ROLE_NOT_PERMITTED']],
    ['approved by the branch head', update(inApproval, { status: 'approved', decider_id: 'u-head' }, 'u-head'), []],
    ['approved by someone the hub’s directory lacks', update(inApproval, { status: 'approved', decider_id: STRANGER }, STRANGER), ['UNKNOWN_ACTOR']],
    ['approved by a switched-off credit manager', update(inApproval, { status: 'approved', decider_id: GONE }, GONE), ['ACTOR_INACTIVE']],
    ['a submission by an investigator the directory lacks', update(row({ investigator_id: STRANGER }), { status: 'review' }, STRANGER), ['UNKNOWN_ACTOR']],
    ['a credit manager approves 500 万元 (limit 300 万元)', update(row({ status: 'approval', reviewer_id: R, amount_fen: 500_000_000 }), { status: 'approved', decider_id: A }, A), ['AUTHORITY_EXCEEDED']],
    ['the branch head approves 500 万元 (limit 1000 万元)', update(row({ status: 'approval', reviewer_id: R, amount_fen: 500_000_000, approval_level: 'branch_head' }), { status: 'approved', decider_id: 'u-head' }, 'u-head'), []],
    ['a credit manager approves a green 350 万元 (limit 360 万元 with the uplift)', update(row({ status: 'approval', reviewer_id: R, amount_fen: 350_000_000, green_project: 1 }), { status: 'approved', decider_id: A }, A), []],
    ['a credit manager rejects 500 万元 (a rejection needs no authority)', update(row({ status: 'approval', reviewer_id: R, amount_fen: 500_000_000 }), { status: 'rejected', decider_id: A }, A), []],
    ['an override by a loan officer', update(inReview, { gate_override_by: CLERK, gate_override_reason: '自行放行' }, CLERK), ['OVERRIDE_NOT_CREDIT_MANAGER']],
    ['an override by a switched-off manager', update(inReview, { gate_override_by: GONE, gate_override_reason: '离职前放行' }, GONE), ['ACTOR_INACTIVE']],
    ['a note by someone the directory lacks (no step: no role needed)', update(inApproval, { notes: '客户来电' }, STRANGER), []],
  ])('%s', (_name, change, expected) => {
    expect(rules(change)).toEqual(expected);
  });

  it('judges head-office edits as before: the directory is the branch’s, head office is not in it', () => {
    const escalated = row({ status: 'escalated', reviewer_id: R, amount_fen: 5_000_000_000 });
    expect(rules({ ...update(escalated, { status: 'approved', decider_id: 'h-1' }, 'h-1', 'head-office'), actor: undefined })).toEqual([]);
  });

  it('a stale decision is judged from the base its author saw (two managers deciding offline)', () => {
    // The hub already holds A's approval; B rejected the same application from the approval step.
    const hubRow = row({ status: 'approved', reviewer_id: R, decider_id: A });
    const change: LifecycleChange = { op: 'update', before: { ...hubRow, status: 'approval', decider_id: null }, after: { ...hubRow, status: 'rejected', decider_id: 'u-b' }, fields: ['status', 'decider_id'], userId: 'u-b', source: 'device' };
    expect(rules(change)).toEqual([]);
  });

  it('a resolution keeps the row four-eyes clean, whichever side it picks', () => {
    const hubRow = row({ status: 'approved', reviewer_id: R, decider_id: A });
    expect(rules(update(hubRow, { status: 'rejected', decider_id: 'u-b' }, 'device:laptop-2', 'resolution'))).toEqual([]);
    expect(rules(update(hubRow, { status: 'approved', decider_id: I }, 'device:laptop-2', 'resolution'))).toEqual(['FOUR_EYES_ROW']);
  });

  it('names the field and says why, for the laptop to show', () => {
    expect(creditApplicationLifecycle(judged(update(inApproval, { status: 'approved', decider_id: I }, I)))[0]).toEqual({
      field: 'decider_id',
      rule: 'FOUR_EYES_ROW',
      message: 'the reviewer and the decider must differ from the investigator and from each other',
    });
  });
});
