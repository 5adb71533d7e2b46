import { describe, expect, it } from 'vitest';
import type { Columns, LifecycleActor, LifecycleChange } from './lifecycle.ts';
import { rectificationCaseLifecycle } from './rectificationLifecycle.ts';

const OFFICER = 'u-officer';
const MANAGER = 'u-manager';
/** Another loan officer (not the case's), the branch head, a switched-off manager, someone unknown. */
const COLLEAGUE = 'u-colleague';
const HEAD = 'u-head';
const GONE = 'u-gone';
const STRANGER = 'u-stranger';

/** The branch's people directory as the hub holds it. */
const directory: Record<string, LifecycleActor> = {
  [OFFICER]: { role: 'loan_officer', active: true },
  [MANAGER]: { role: 'credit_manager', active: true },
  [COLLEAGUE]: { role: 'loan_officer', active: true },
  [HEAD]: { role: 'branch_head', active: true },
  [GONE]: { role: 'credit_manager', active: false },
};

const row = (overrides: Record<string, unknown> = {}): Columns => ({
  enterprise_id: 'e-1',
  category: 'environmental',
  source: 'penalty_decision',
  deadline: '2026-08-31',
  measure: 'urge',
  officer_id: OFFICER,
  status: 'open',
  verifier_id: null,
  verified_at: null,
  ...overrides,
});
const update = (before: Columns, fields: Record<string, unknown>, userId: string, source: LifecycleChange['source'] = 'device'): LifecycleChange => ({
  op: 'update',
  before,
  after: { ...before, ...fields },
  fields: Object.keys(fields),
  userId,
  source,
});
const rules = (change: LifecycleChange) => rectificationCaseLifecycle({ actor: directory[change.userId], ...change }).map((found) => found.rule);
const submitted = row({ status: 'submitted' });
const closeBy = (verifier: string) => ({ status: 'closed', verifier_id: verifier, verified_at: '2026-07-01T02:00:00.000Z' });

describe('rectification case lifecycle at the hub', () => {
  it.each<[string, LifecycleChange, string[]]>([
    ['a new open case', { op: 'insert', before: undefined, after: row(), fields: [], userId: OFFICER, source: 'device' }, []],
    ['a new case already closed', { op: 'insert', before: undefined, after: row(closeBy(MANAGER)), fields: [], userId: OFFICER, source: 'device' }, ['CASE_NOT_NEW']],
    ['the officer starts work', update(row(), { status: 'in_progress' }, OFFICER), []],
    ['the officer submits', update(row({ status: 'in_progress' }), { status: 'submitted' }, OFFICER), []],
    ['a credit manager verifies and closes, as themselves', update(submitted, closeBy(MANAGER), MANAGER), []],
    // A loan officer is refused by role first (applyCaseAction's order, as on the host) …
    ['the officer closes their own case, as verifier', update(submitted, closeBy(OFFICER), OFFICER), ['CASE_FOUR_EYES_ROW', 'CASE_NOT_CREDIT_MANAGER']],
    ['the officer closes it naming the manager as verifier', update(submitted, closeBy(MANAGER), OFFICER), ['CASE_NOT_CREDIT_MANAGER']],
    // … a credit manager who is the case's own officer by four-eyes.
    ['a credit manager closes the case they are officer of', update(row({ status: 'submitted', officer_id: MANAGER }), closeBy(MANAGER), MANAGER), ['CASE_FOUR_EYES_ROW', 'CASE_FOUR_EYES']],
    ['a credit manager closes it naming another as verifier, being its officer', update(row({ status: 'submitted', officer_id: MANAGER }), closeBy(OFFICER), MANAGER), ['CASE_FOUR_EYES']],
    ['the officer closes it from in progress, skipping verification', update(row({ status: 'in_progress' }), closeBy(MANAGER), OFFICER), ['CASE_ILLEGAL_TRANSITION']],
    ['a manager closes naming someone else', update(submitted, closeBy('u-ghost'), MANAGER), ['CASE_ACTOR_MISMATCH']],
    ['closed without a verifier', update(submitted, { status: 'closed' }, MANAGER), ['CASE_ACTOR_MISMATCH', 'CASE_ACTOR_MISMATCH']],
    ['a closed case reopened', update(row(closeBy(MANAGER)), { status: 'open', verifier_id: null, verified_at: null }, MANAGER), ['CASE_ILLEGAL_TRANSITION']],
    ['escalated to 压缩退出', update(row(), { status: 'escalated', measure: 'reduce_exit' }, MANAGER), []],
    ['the measure softened quietly', update(row({ measure: 'reduce_exit' }), { measure: 'urge' }, OFFICER), ['CASE_ILLEGAL_TRANSITION']],
    ['the deadline moved while open', update(row(), { deadline: '2026-09-30' }, OFFICER), []],
    ['the deadline moved once submitted', update(submitted, { deadline: '2026-12-31' }, OFFICER), ['CASE_FACTS_LOCKED']],
    ['a resolution keeps the officer from verifying', update(submitted, closeBy(OFFICER), MANAGER, 'resolution'), ['CASE_FOUR_EYES_ROW']],
  ])('%s', (_name, change, expected) => {
    expect(rules(change)).toEqual(expected);
  });

  // Issue 16 acceptance 3: only a credit manager verifies and closes, by the person's directory role.
  it.each<[string, LifecycleChange, string[]]>([
    ['another loan officer closes the case, as themselves', update(submitted, closeBy(COLLEAGUE), COLLEAGUE), ['CASE_NOT_CREDIT_MANAGER']],
    ['the branch head closes the case', update(submitted, closeBy(HEAD), HEAD), ['CASE_NOT_CREDIT_MANAGER']],
    ['another loan officer returns it', update(submitted, { status: 'in_progress' }, COLLEAGUE), ['CASE_NOT_CREDIT_MANAGER']],
    ['another loan officer escalates it', update(row(), { status: 'escalated', measure: 'reduce_exit' }, COLLEAGUE), ['CASE_NOT_CREDIT_MANAGER']],
    ['another loan officer starts the work (not theirs)', update(row(), { status: 'in_progress' }, COLLEAGUE), ['CASE_NOT_OFFICER']],
    ['a credit manager starts the work', update(row(), { status: 'in_progress' }, MANAGER), []],
    ['a switched-off credit manager closes it', update(submitted, closeBy(GONE), GONE), ['ACTOR_INACTIVE']],
    ['someone the directory lacks closes it', update(submitted, closeBy(STRANGER), STRANGER), ['UNKNOWN_ACTOR']],
    ['someone the directory lacks corrects a fact while open (no step)', update(row(), { deadline: '2026-09-30' }, STRANGER), []],
    ['a head-office edit closes it as before (judged as a credit manager)', { ...update(submitted, closeBy('h-1'), 'h-1', 'head-office') }, []],
  ])('%s', (_name, change, expected) => {
    expect(rules(change)).toEqual(expected);
  });
});
