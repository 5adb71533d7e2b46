import { describe, expect, it } from 'vitest';
import { defaultStepTargets, stepTargetsSchema, stepTiming, workingMsBetween, type StepTargets } from './stepDurations.ts';

const HOUR = 3_600_000;
/** Shanghai local time as an instant: '2026-06-05T16:00' is 08:00Z. */
const cst = (local: string) => new Date(`${local}:00+08:00`).toISOString();

// 2026-06-05 is a Friday, 06-06/07 the weekend, 06-08 a Monday.
describe('working time across a weekend (Asia/Shanghai)', () => {
  it.each<[string, string, string, number]>([
    ['within one weekday', '2026-06-08T09:00', '2026-06-08T17:00', 8 * HOUR],
    ['Friday 16:00 → Monday 10:00: the weekend does not count', '2026-06-05T16:00', '2026-06-08T10:00', 8 * HOUR + 10 * HOUR],
    ['Friday 00:00 → next Friday 00:00: five working days', '2026-06-05T00:00', '2026-06-12T00:00', 5 * 24 * HOUR],
    ['started on Saturday, ended on Sunday: none', '2026-06-06T09:00', '2026-06-07T18:00', 0],
    ['started on Saturday, ended Monday 09:00', '2026-06-06T09:00', '2026-06-08T09:00', 9 * HOUR],
    ['Friday 23:30 Shanghai is Friday 15:30Z: the half hour counts', '2026-06-05T23:30', '2026-06-06T08:00', 0.5 * HOUR],
    ['Sunday 23:00 Shanghai (a weekday in UTC) does not count', '2026-06-07T23:00', '2026-06-08T01:00', 1 * HOUR],
    ['end before start', '2026-06-08T10:00', '2026-06-08T09:00', 0],
  ])('%s', (_name, start, end, ms) => {
    expect(workingMsBetween(cst(start), cst(end))).toBe(ms);
  });

  it('counts a published holiday out and a worked Sunday (调休) in', () => {
    const calendar = { holidays: ['2026-06-08'], workedWeekendDays: ['2026-06-07'] };
    expect(workingMsBetween(cst('2026-06-05T12:00'), cst('2026-06-09T12:00'), calendar)).toBe(12 * HOUR + 24 * HOUR + 12 * HOUR);
  });
});

describe('step timing against targets', () => {
  it.each<[string, string, string | null, boolean, number, boolean]>([
    ['review of 3 working days, standard target 3: on time', '2026-06-03T09:00', '2026-06-08T09:00', false, 3, false],
    ['the same review for a priority application (target 2): overdue', '2026-06-03T09:00', '2026-06-08T09:00', true, 3, true],
    ['Friday evening to Monday morning: under a working day', '2026-06-05T18:00', '2026-06-08T09:00', true, 0.63, false],
  ])('%s', (_name, enteredAt, leftAt, priority, days, overdue) => {
    const timing = stepTiming('review', { enteredAt: cst(enteredAt), leftAt: leftAt === null ? null : cst(leftAt) }, cst('2026-06-10T09:00'), priority);
    expect(timing).toMatchObject({ workingDays: days, overdue, open: false, targetWorkingDays: priority ? 2 : 3 });
  });

  it('an open step has waited until now; a priority approval over one working day is overdue', () => {
    const timing = stepTiming('approval', { enteredAt: cst('2026-06-05T09:00'), leftAt: null }, cst('2026-06-08T12:00'), true);
    expect(timing).toEqual({ step: 'approval', workingDays: 1.13, targetWorkingDays: 1, overdue: true, open: true });
    expect(stepTiming('approval', { enteredAt: cst('2026-06-05T09:00'), leftAt: null }, cst('2026-06-08T12:00'), false).overdue).toBe(false);
  });

  it('exactly at the target is not overdue', () => {
    const timing = stepTiming('investigation', { enteredAt: cst('2026-06-01T00:00'), leftAt: cst('2026-06-06T00:00') }, cst('2026-06-10T00:00'), false);
    expect(timing).toMatchObject({ workingDays: 5, overdue: false });
  });

  it('the default parses as reference data; a priority target longer than the standard one is refused', () => {
    expect(stepTargetsSchema.parse(defaultStepTargets)).toEqual(defaultStepTargets);
    const inverted: StepTargets = { ...defaultStepTargets, targets: { ...defaultStepTargets.targets, review: { standard: 1, priority: 2 } } };
    expect(stepTargetsSchema.safeParse(inverted).success).toBe(false);
  });
});
