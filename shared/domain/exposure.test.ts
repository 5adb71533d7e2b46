import { describe, expect, it } from 'vitest';
import { actualExposure, compareToPlan, exposureOn, type ExposureLoan, type ExposurePoint } from './exposure.ts';

const loan = (id: string, snapshots: [string, number][], status: ExposureLoan['status'] = 'outstanding', balanceAsOf = snapshots.at(-1)?.[0] ?? '2026-01-01'): ExposureLoan => ({
  id,
  status,
  balanceAsOf,
  snapshots: snapshots.map(([asOf, balanceFen]) => ({ asOf, balanceFen })),
});

const line = (points: ExposurePoint[]) => points.map((point) => `${point.date}=${point.balanceFen}`).join(' ');

describe('actual exposure: the enterprise balance on each snapshot day', () => {
  it.each<[string, ExposureLoan[], string]>([
    ['no loans: no line', [], ''],
    ['one loan: its snapshots', [loan('a', [['2026-01-31', 500], ['2026-02-28', 400]])], '2026-01-31=500 2026-02-28=400'],
    [
      'two loans on the same days add up',
      [loan('a', [['2026-01-31', 500], ['2026-02-28', 400]]), loan('b', [['2026-01-31', 300], ['2026-02-28', 300]])],
      '2026-01-31=800 2026-02-28=700',
    ],
    [
      'a loan without a snapshot on a day carries its last known balance forward',
      [loan('a', [['2026-01-31', 500], ['2026-03-31', 200]]), loan('b', [['2026-01-31', 300], ['2026-02-28', 250], ['2026-03-31', 100]])],
      '2026-01-31=800 2026-02-28=750 2026-03-31=300',
    ],
    [
      'before its first snapshot a loan counts 0 (no balance guessed backwards)',
      [loan('a', [['2026-01-31', 500], ['2026-02-28', 500]]), loan('b', [['2026-02-28', 300]])],
      '2026-01-31=500 2026-02-28=800',
    ],
    [
      'a repaid loan counts 0 from the day its status is as of, whatever its last snapshot said',
      [loan('a', [['2026-01-31', 500], ['2026-02-28', 400]], 'settled', '2026-03-15'), loan('b', [['2026-01-31', 300]])],
      '2026-01-31=800 2026-02-28=700 2026-03-15=300',
    ],
    [
      'repaid on the day of its last snapshot: 0 on that day already',
      [loan('a', [['2026-01-31', 500], ['2026-02-28', 120]], 'settled', '2026-02-28'), loan('b', [['2026-01-31', 300]])],
      '2026-01-31=800 2026-02-28=300',
    ],
    ['a written-off loan counts 0 from its day too', [loan('a', [['2026-01-31', 500]], 'written_off', '2026-02-10')], '2026-01-31=500 2026-02-10=0'],
    [
      'snapshots listed out of order are read by day',
      [loan('a', [['2026-03-31', 100], ['2026-01-31', 500], ['2026-02-28', 300]])],
      '2026-01-31=500 2026-02-28=300 2026-03-31=100',
    ],
    [
      'two snapshots of one loan on one day count once: the first listed',
      [loan('a', [['2026-01-31', 500], ['2026-01-31', 999], ['2026-02-28', 300]])],
      '2026-01-31=500 2026-02-28=300',
    ],
    ['a balance of 0 is a balance (paid down, not yet settled)', [loan('a', [['2026-01-31', 500], ['2026-02-28', 0]])], '2026-01-31=500 2026-02-28=0'],
  ])('%s', (_name, loans, expected) => {
    expect(line(actualExposure(loans))).toBe(expected);
  });

  it('reads the balance on any day off the line: the latest point on or before it', () => {
    const series = actualExposure([loan('a', [['2026-01-31', 500], ['2026-03-31', 200]])]);
    expect(exposureOn(series, '2026-01-30')).toBeNull();
    expect(exposureOn(series, '2026-01-31')).toEqual({ date: '2026-01-31', balanceFen: 500 });
    expect(exposureOn(series, '2026-03-30')).toEqual({ date: '2026-01-31', balanceFen: 500 });
    expect(exposureOn(series, '2026-12-31')).toEqual({ date: '2026-03-31', balanceFen: 200 });
  });
});

describe('the reduction plan against the actual balance', () => {
  const series = actualExposure([loan('a', [['2026-01-31', 1000], ['2026-03-31', 600], ['2026-06-30', 500]])]);
  it.each<[string, { date: string; targetFen: number }, string, string]>([
    ['balance above the target on its day: behind', { date: '2026-03-31', targetFen: 500 }, '2026-07-01', 'behind 600@2026-03-31 gap 100'],
    ['below it: ahead', { date: '2026-03-31', targetFen: 800 }, '2026-07-01', 'ahead 600@2026-03-31 gap -200'],
    ['equal: on target', { date: '2026-03-31', targetFen: 600 }, '2026-07-01', 'on_target 600@2026-03-31 gap 0'],
    ['a plan day between snapshots reads the balance carried from the one before', { date: '2026-05-31', targetFen: 550 }, '2026-07-01', 'behind 600@2026-03-31 gap 50'],
    ['the plan day today is judged', { date: '2026-06-30', targetFen: 500 }, '2026-06-30', 'on_target 500@2026-06-30 gap 0'],
    ['tomorrow is not due: the latest known balance is shown against it', { date: '2026-07-01', targetFen: 300 }, '2026-06-30', 'not_due 500@2026-06-30 gap 200'],
    ['a day before any snapshot: no data', { date: '2025-12-31', targetFen: 2000 }, '2026-07-01', 'no_data —'],
  ])('%s', (_name, step, today, expected) => {
    const [compared] = compareToPlan([step], series, today);
    const text = compared!.actualFen === null ? `${compared!.standing} —` : `${compared!.standing} ${compared!.actualFen}@${compared!.actualAsOf} gap ${compared!.gapFen}`;
    expect(text).toBe(expected);
  });

  it('keeps the plan order and its targets, one comparison per step', () => {
    const plan = [
      { date: '2026-03-31', targetFen: 700 },
      { date: '2026-09-30', targetFen: 0 },
    ];
    expect(compareToPlan(plan, series, '2026-07-01').map((step) => [step.date, step.targetFen, step.standing])).toEqual([
      ['2026-03-31', 700, 'ahead'],
      ['2026-09-30', 0, 'not_due'],
    ]);
    expect(compareToPlan(plan, [], '2026-07-01').map((step) => step.standing)).toEqual(['no_data', 'not_due']);
  });
});
