import { afterEach, describe, expect, it, vi } from 'vitest';
import { shanghaiDate } from './calendar.ts';
import { applyCaseAction, caseRequestBetween, daysBetween, escalationDue, isCaseOverdue, type CaseActor, type CaseOutcome, type CaseRequest, type CaseState } from './rectification.ts';

const OFFICER = 'u-officer';
const MANAGER = 'u-manager';

const state = (overrides: Partial<CaseState> = {}): CaseState => ({ status: 'open', measure: 'urge', officerId: OFFICER, verifierId: null, ...overrides });
const officer: CaseActor = { userId: OFFICER, role: 'loan_officer', evidenceCount: 1 };
const manager: CaseActor = { userId: MANAGER, role: 'credit_manager', evidenceCount: 1 };
const managerOfficer: CaseActor = { userId: OFFICER, role: 'credit_manager', evidenceCount: 1 };
const otherOfficer: CaseActor = { userId: 'u-other', role: 'loan_officer', evidenceCount: 1 };

const outcome = (result: CaseOutcome) => (result.ok ? `${result.state.status}/${result.state.measure}` : result.rule);

describe('rectification case lifecycle', () => {
  it.each<[string, CaseState, CaseRequest, CaseActor, string]>([
    ['the officer starts work', state(), { action: 'start' }, officer, 'in_progress/urge'],
    ['another officer may not start it', state(), { action: 'start' }, otherOfficer, 'CASE_NOT_OFFICER'],
    ['a credit manager may take the work over', state(), { action: 'start' }, manager, 'in_progress/urge'],
    ['the officer submits for verification', state({ status: 'in_progress' }), { action: 'submit' }, officer, 'submitted/urge'],
    ['submitting straight from open (rectified before the first visit)', state(), { action: 'submit' }, officer, 'submitted/urge'],
    ['a credit manager verifies and closes, with evidence', state({ status: 'submitted' }), { action: 'verify' }, manager, 'closed/urge'],
    ['the officer may not close their own case', state({ status: 'submitted' }), { action: 'verify' }, officer, 'CASE_NOT_CREDIT_MANAGER'],
    ['nor may a credit manager who is the case’s officer', state({ status: 'submitted' }), { action: 'verify' }, managerOfficer, 'CASE_FOUR_EYES'],
    ['no evidence: nothing to verify', state({ status: 'submitted' }), { action: 'verify' }, { ...manager, evidenceCount: 0 }, 'CASE_NO_EVIDENCE'],
    ['closing skips verification', state({ status: 'in_progress' }), { action: 'verify' }, manager, 'CASE_ILLEGAL_TRANSITION'],
    ['closing an open case', state(), { action: 'verify' }, manager, 'CASE_ILLEGAL_TRANSITION'],
    ['returned for more work', state({ status: 'submitted' }), { action: 'return' }, manager, 'in_progress/urge'],
    ['the officer may not return their own submission', state({ status: 'submitted' }), { action: 'return' }, officer, 'CASE_NOT_CREDIT_MANAGER'],
    ['escalated to 压缩退出 by a credit manager', state({ status: 'in_progress' }), { action: 'escalate', measure: 'reduce_exit' }, manager, 'escalated/reduce_exit'],
    ['escalated straight to 清收处置', state(), { action: 'escalate', measure: 'collect_dispose' }, manager, 'escalated/collect_dispose'],
    ['an officer may not escalate', state(), { action: 'escalate', measure: 'reduce_exit' }, officer, 'CASE_NOT_CREDIT_MANAGER'],
    ['escalation never softens a measure', state({ measure: 'reduce_exit' }), { action: 'escalate', measure: 'urge' }, manager, 'CASE_MEASURE_NOT_STRONGER'],
    ['escalating to the same measure', state({ measure: 'reduce_exit' }), { action: 'escalate', measure: 'reduce_exit' }, manager, 'CASE_MEASURE_NOT_STRONGER'],
    ['an escalated case resumes', state({ status: 'escalated', measure: 'reduce_exit' }), { action: 'start' }, officer, 'in_progress/reduce_exit'],
    ['an escalated case escalates again', state({ status: 'escalated', measure: 'reduce_exit' }), { action: 'escalate', measure: 'collect_dispose' }, manager, 'escalated/collect_dispose'],
    ['a closed case stays closed', state({ status: 'closed', verifierId: MANAGER }), { action: 'start' }, officer, 'CASE_ILLEGAL_TRANSITION'],
    ['a closed case is not escalated', state({ status: 'closed', verifierId: MANAGER }), { action: 'escalate', measure: 'reduce_exit' }, manager, 'CASE_ILLEGAL_TRANSITION'],
  ])('%s', (_name, from, request, actor, expected) => {
    expect(outcome(applyCaseAction(from, request, actor))).toBe(expected);
  });

  it('records the verifier on closing', () => {
    const result = applyCaseAction(state({ status: 'submitted' }), { action: 'verify' }, manager);
    expect(result).toEqual({ ok: true, state: { status: 'closed', measure: 'urge', officerId: OFFICER, verifierId: MANAGER } });
  });

  it.each<[string, Pick<CaseState, 'status' | 'measure'>, Pick<CaseState, 'status' | 'measure'>, CaseRequest | null]>([
    ['open → in progress', { status: 'open', measure: 'urge' }, { status: 'in_progress', measure: 'urge' }, { action: 'start' }],
    ['submitted → closed', { status: 'submitted', measure: 'urge' }, { status: 'closed', measure: 'urge' }, { action: 'verify' }],
    ['in progress → closed (skips verification)', { status: 'in_progress', measure: 'urge' }, { status: 'closed', measure: 'urge' }, null],
    ['a measure changed with escalation', { status: 'open', measure: 'urge' }, { status: 'escalated', measure: 'reduce_exit' }, { action: 'escalate', measure: 'reduce_exit' }],
    ['a measure changed quietly', { status: 'open', measure: 'urge' }, { status: 'open', measure: 'reduce_exit' }, null],
    ['closed → open', { status: 'closed', measure: 'urge' }, { status: 'open', measure: 'urge' }, null],
  ])('reads a row change as an action: %s', (_name, from, to, request) => {
    expect(caseRequestBetween(from, to)).toEqual(request);
  });
});

describe('overdue and escalation on Asia/Shanghai days', () => {
  const inWork = { status: 'in_progress' as const, deadline: '2026-06-30' };
  it.each<[string, string, boolean]>([
    ['deadline today: still in time', '2026-06-30', false],
    ['deadline tomorrow', '2026-06-29', false],
    ['deadline yesterday: overdue', '2026-07-01', true],
    ['a year later', '2027-06-30', true],
  ])('%s', (_name, today, overdue) => {
    expect(isCaseOverdue(inWork, today)).toBe(overdue);
  });

  it('a closed case is never overdue', () => {
    expect(isCaseOverdue({ status: 'closed', deadline: '2026-01-01' }, '2026-06-30')).toBe(false);
  });

  it.each<[string, string, string, number]>([
    ['one day', '2026-06-30', '2026-07-01', 1],
    ['across a leap day', '2028-02-28', '2028-03-01', 2],
    ['across a year end', '2026-12-31', '2027-01-01', 1],
    ['backwards', '2026-07-01', '2026-06-30', -1],
  ])('days between: %s', (_name, from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it.each<[string, 'urge' | 'reduce_exit' | 'collect_dispose', string, string | null]>([
    ['督促整改 on its deadline', 'urge', '2026-06-30', null],
    ['督促整改 29 days overdue', 'urge', '2026-07-29', null],
    ['督促整改 30 days overdue → 压缩退出', 'urge', '2026-07-30', 'reduce_exit'],
    ['压缩退出 89 days overdue', 'reduce_exit', '2026-09-27', null],
    ['压缩退出 90 days overdue → 清收处置', 'reduce_exit', '2026-09-28', 'collect_dispose'],
    ['清收处置 is the strongest', 'collect_dispose', '2027-06-30', null],
  ])('default escalation: %s', (_name, measure, today, due) => {
    expect(escalationDue({ ...inWork, measure }, today)).toBe(due);
  });

  it('takes the bank’s own rules; the strongest due wins; a rule never softens', () => {
    const rules = [
      { from: 'urge' as const, daysOverdue: 1, to: 'reduce_exit' as const },
      { from: 'urge' as const, daysOverdue: 10, to: 'collect_dispose' as const },
      { from: 'reduce_exit' as const, daysOverdue: 1, to: 'urge' as const },
    ];
    expect(escalationDue({ ...inWork, measure: 'urge' }, '2026-07-01', rules)).toBe('reduce_exit');
    expect(escalationDue({ ...inWork, measure: 'urge' }, '2026-07-10', rules)).toBe('collect_dispose');
    expect(escalationDue({ ...inWork, measure: 'reduce_exit' }, '2026-08-01', rules)).toBeNull();
  });

  describe('a laptop set to another time zone', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    // 2026-06-30 23:30 in Shanghai is still 2026-06-30 there, while the laptop's own zone says otherwise.
    const lateEvening = new Date('2026-06-30T15:30:00Z');
    const justAfterMidnight = new Date('2026-06-30T16:05:00Z');

    it.each(['America/Los_Angeles', 'Europe/London', 'Pacific/Kiritimati', 'Asia/Shanghai'])('%s: today and overdue do not move', (tz) => {
      vi.stubEnv('TZ', tz);
      expect(shanghaiDate(lateEvening)).toBe('2026-06-30');
      expect(isCaseOverdue(inWork, shanghaiDate(lateEvening))).toBe(false);
      expect(shanghaiDate(justAfterMidnight)).toBe('2026-07-01');
      expect(isCaseOverdue(inWork, shanghaiDate(justAfterMidnight))).toBe(true);
    });

    it('the zone really is the laptop’s (the test would see a shift if the code used local dates)', () => {
      vi.stubEnv('TZ', 'America/Los_Angeles');
      expect(lateEvening.getDate()).toBe(30);
      expect(justAfterMidnight.getDate()).toBe(30);
      vi.stubEnv('TZ', 'Pacific/Kiritimati');
      expect(lateEvening.getDate()).toBe(1);
    });
  });
});
