import { describe, expect, it } from 'vitest';
import {
  bookFigures,
  currentPeriod,
  endedPeriods,
  groupGreenLoans,
  noFigures,
  percentText,
  periodBounds,
  periodOfDay,
  samePeriodLastYear,
  statPeriodSchema,
  threeNotLower,
  type BookFigures,
  type StatLoan,
} from './greenStatistics.ts';

const figures = (totalBalance: number, greenBalance: number, greenCustomers: number): BookFigures => ({ totalBalance, greenBalance, greenLoans: greenCustomers, greenCustomers });

describe('periods (Asia/Shanghai days)', () => {
  it.each([
    [{ kind: 'quarter', key: '2026Q1' }, '2026-01-01', '2026-03-31', '2025-12-31'],
    [{ kind: 'quarter', key: '2026Q3' }, '2026-07-01', '2026-09-30', '2026-06-30'],
    [{ kind: 'month', key: '2024-02' }, '2024-02-01', '2024-02-29', '2024-01-31'],
    [{ kind: 'month', key: '2025-02' }, '2025-02-01', '2025-02-28', '2025-01-31'],
    [{ kind: 'year', key: '2026' }, '2026-01-01', '2026-12-31', '2025-12-31'],
  ] as const)('%o runs %s..%s, measured from %s', (period, start, end, base) => {
    expect(periodBounds(period)).toEqual({ period, start, end, base });
  });

  it('finds the same period last year and the period of a day', () => {
    expect(samePeriodLastYear({ kind: 'quarter', key: '2026Q3' })).toEqual({ kind: 'quarter', key: '2025Q3' });
    expect(samePeriodLastYear({ kind: 'month', key: '2025-03' })).toEqual({ kind: 'month', key: '2024-03' });
    expect(samePeriodLastYear({ kind: 'year', key: '2026' })).toEqual({ kind: 'year', key: '2025' });
    expect(periodOfDay('quarter', '2026-09-30')).toEqual({ kind: 'quarter', key: '2026Q3' });
    expect(periodOfDay('quarter', '2026-10-01')).toEqual({ kind: 'quarter', key: '2026Q4' });
    expect(periodOfDay('month', '2026-12-31')).toEqual({ kind: 'month', key: '2026-12' });
  });

  it('takes the quarter from the Shanghai day of an instant, not the UTC day', () => {
    // 15:59:59 UTC on 30 September is 23:59:59 in Shanghai: still Q3; a second later it is 1 October.
    expect(currentPeriod('quarter', new Date('2026-09-30T15:59:59Z'))).toEqual({ kind: 'quarter', key: '2026Q3' });
    expect(currentPeriod('quarter', new Date('2026-09-30T16:00:00Z'))).toEqual({ kind: 'quarter', key: '2026Q4' });
    expect(currentPeriod('year', new Date('2026-12-31T16:00:00Z'))).toEqual({ kind: 'year', key: '2027' });
  });

  it('offers only ended periods for a report: the running one is left out, up to its last Shanghai day', () => {
    const keys = (kind: 'month' | 'quarter' | 'year', instant: string, count: number) => endedPeriods(kind, new Date(instant), count).map((p) => p.key);
    // 2 December 2026: Q4, December and 2026 are still running.
    expect(keys('quarter', '2026-12-02T04:00:00Z', 5)).toEqual(['2026Q3', '2026Q2', '2026Q1', '2025Q4', '2025Q3']);
    expect(keys('month', '2026-12-02T04:00:00Z', 3)).toEqual(['2026-11', '2026-10', '2026-09']);
    expect(keys('year', '2026-12-02T04:00:00Z', 2)).toEqual(['2025', '2024']);
    // The quarter's last day (23:59:59 in Shanghai) is still in it; the next second Q3 has ended.
    expect(keys('quarter', '2026-09-30T15:59:59Z', 1)).toEqual(['2026Q2']);
    expect(keys('quarter', '2026-09-30T16:00:00Z', 1)).toEqual(['2026Q3']);
    // Across a year: on 1 January the newest ended month is December and the year just closed.
    expect(keys('month', '2026-12-31T16:00:00Z', 2)).toEqual(['2026-12', '2026-11']);
    expect(keys('year', '2026-12-31T16:00:00Z', 1)).toEqual(['2026']);
  });

  it('refuses a key that does not match its kind', () => {
    expect(statPeriodSchema.safeParse({ kind: 'quarter', key: '2026Q5' }).success).toBe(false);
    expect(statPeriodSchema.safeParse({ kind: 'month', key: '2026Q1' }).success).toBe(false);
    expect(statPeriodSchema.safeParse({ kind: 'month', key: '2026-13' }).success).toBe(false);
    expect(statPeriodSchema.safeParse({ kind: 'year', key: '2026' }).success).toBe(true);
  });
});

describe('the book as of a day', () => {
  const loans: StatLoan[] = [
    // green, imported at each quarter end and again on 1 October
    { loanId: 'a', enterpriseId: 'e1', green: true, snapshots: [{ id: 's1', asOf: '2026-06-30', balance: 100 }, { id: 's2', asOf: '2026-09-30', balance: 150 }, { id: 's3', asOf: '2026-10-01', balance: 900 }] },
    // not green, disbursed in the quarter
    { loanId: 'b', enterpriseId: 'e2', green: false, snapshots: [{ id: 's4', asOf: '2026-07-15', balance: 500 }] },
    // green, settled in August: 0 at the quarter's end, no longer a customer
    { loanId: 'c', enterpriseId: 'e3', green: true, snapshots: [{ id: 's5', asOf: '2026-06-30', balance: 50 }, { id: 's6', asOf: '2026-08-31', balance: 0 }] },
    // green, same borrower as a: one customer; two snapshots of one day (sync), the greater id counts
    { loanId: 'd', enterpriseId: 'e1', green: true, snapshots: [{ id: 's8', asOf: '2026-09-30', balance: 30 }, { id: 's7', asOf: '2026-09-30', balance: 70 }] },
  ];

  it('counts the snapshot of the quarter’s last day in the quarter and the next day’s in the next', () => {
    const q3 = periodBounds({ kind: 'quarter', key: '2026Q3' });
    // base 2026-06-30: a 100 + c 50 (b not yet, d not yet)
    expect(bookFigures(loans, q3.base)).toEqual({ totalBalance: 150, greenBalance: 150, greenLoans: 2, greenCustomers: 2 });
    // end 2026-09-30: a 150 (not 900 of 1 October) + b 500 + c 0 + d 30 (s8 > s7)
    expect(bookFigures(loans, q3.end)).toEqual({ totalBalance: 680, greenBalance: 180, greenLoans: 2, greenCustomers: 1 });
    expect(bookFigures(loans, '2026-10-01')).toEqual({ totalBalance: 1430, greenBalance: 930, greenLoans: 2, greenCustomers: 1 });
    expect(bookFigures(loans, '2026-06-29')).toEqual(noFigures);
  });
});

describe('三个不低于 and the share change, hand-computed', () => {
  it('a year that meets all four', () => {
    // all loans 100,000 → 110,000 fen (+10%); green 10,000 → 12,000 (+20%), last year 8,000 → 10,000 (+2,000)
    const result = threeNotLower({ base: figures(100_000, 10_000, 4), end: figures(110_000, 12_000, 5), lastYearBase: figures(90_000, 8_000, 3), lastYearEnd: figures(100_000, 10_000, 4) });
    expect(result.growth).toEqual({
      verdict: 'met',
      green: { base: 10_000, end: 12_000, increment: 2_000, ratePercent: '20.00' },
      all: { base: 100_000, end: 110_000, increment: 10_000, ratePercent: '10.00' },
      reason: null,
    });
    // increment 2,000 = last year's 2,000: not lower, met
    expect(result.increment).toEqual({ verdict: 'met', current: 2_000, lastYear: 2_000 });
    expect(result.customers).toEqual({ verdict: 'met', current: 5, lastYear: 4 });
    // share 10.00% → 12,000/110,000 = 10.909…%: +0.909… pp
    expect(result.share).toEqual({ verdict: 'met', basePercent: '10.00', endPercent: '10.91', changePp: '0.91', requiredPp: '0.5' });
  });

  it('last year had no green loans at all; this year lends green for the first time', () => {
    const result = threeNotLower({ base: figures(100_000, 0, 0), end: figures(100_000, 5_000, 2), lastYearBase: figures(80_000, 0, 0), lastYearEnd: figures(100_000, 0, 0) });
    expect(result.growth).toMatchObject({ verdict: 'met', reason: 'fromZero', green: { base: 0, end: 5_000, increment: 5_000, ratePercent: null }, all: { ratePercent: '0.00' } });
    expect(result.increment).toEqual({ verdict: 'met', current: 5_000, lastYear: 0 });
    expect(result.customers).toEqual({ verdict: 'met', current: 2, lastYear: 0 });
    expect(result.share).toMatchObject({ verdict: 'met', basePercent: '0.00', endPercent: '5.00', changePp: '5.00' });
  });

  it('a year with no green loans while the book grows fails growth and share, not increment or customers', () => {
    const result = threeNotLower({ base: figures(100_000, 0, 0), end: figures(120_000, 0, 0), lastYearBase: figures(100_000, 0, 0), lastYearEnd: figures(100_000, 0, 0) });
    expect(result.growth).toMatchObject({ verdict: 'notMet', reason: null, green: { ratePercent: '0.00' }, all: { ratePercent: '20.00' } });
    expect(result.increment).toEqual({ verdict: 'met', current: 0, lastYear: 0 });
    expect(result.customers).toEqual({ verdict: 'met', current: 0, lastYear: 0 });
    expect(result.share).toMatchObject({ verdict: 'notMet', changePp: '0.00' });
  });

  it('a shrinking loan book: green shrinking less than the book still meets growth', () => {
    // all 200,000 → 150,000 (−25%); green 20,000 → 18,000 (−10%); last year green +1,000; customers 4 → 3
    const result = threeNotLower({ base: figures(200_000, 20_000, 4), end: figures(150_000, 18_000, 3), lastYearBase: figures(190_000, 19_000, 4), lastYearEnd: figures(200_000, 20_000, 4) });
    expect(result.growth).toMatchObject({ verdict: 'met', green: { increment: -2_000, ratePercent: '-10.00' }, all: { increment: -50_000, ratePercent: '-25.00' } });
    expect(result.increment).toEqual({ verdict: 'notMet', current: -2_000, lastYear: 1_000 });
    expect(result.customers).toEqual({ verdict: 'notMet', current: 3, lastYear: 4 });
    // share 10% → 12%: +2 pp, from the shrinking denominator
    expect(result.share).toMatchObject({ verdict: 'met', basePercent: '10.00', endPercent: '12.00', changePp: '2.00' });
  });

  it('decides the boundaries exactly: equal growth meets, 0.4999 pp does not though it prints 0.50', () => {
    const equal = threeNotLower({ base: figures(1_000_000, 100_000, 1), end: figures(1_100_000, 110_000, 1), lastYearBase: noFigures, lastYearEnd: noFigures });
    expect(equal.growth).toMatchObject({ verdict: 'met', green: { ratePercent: '10.00' }, all: { ratePercent: '10.00' } });
    expect(equal.share).toMatchObject({ verdict: 'notMet', changePp: '0.00' });

    const exactlyHalf = threeNotLower({ base: figures(1_000_000, 100_000, 1), end: figures(1_000_000, 105_000, 1), lastYearBase: noFigures, lastYearEnd: noFigures });
    expect(exactlyHalf.share).toMatchObject({ verdict: 'met', changePp: '0.50' });
    const justShort = threeNotLower({ base: figures(1_000_000, 100_000, 1), end: figures(1_000_000, 104_999, 1), lastYearBase: noFigures, lastYearEnd: noFigures });
    expect(justShort.share).toMatchObject({ verdict: 'notMet', changePp: '0.50' });
    // one fen short of the book's growth rate
    const short = threeNotLower({ base: figures(1_000_000, 100_000, 1), end: figures(1_100_000, 109_999, 1), lastYearBase: noFigures, lastYearEnd: noFigures });
    expect(short.growth.verdict).toBe('notMet');
  });

  it('cannot compute growth or share with no loans at the base', () => {
    const result = threeNotLower({ base: noFigures, end: figures(50_000, 10_000, 1), lastYearBase: noFigures, lastYearEnd: noFigures });
    expect(result.growth).toMatchObject({ verdict: 'notComputable', reason: 'noBook', all: { ratePercent: null } });
    expect(result.share).toMatchObject({ verdict: 'notComputable', basePercent: null, endPercent: '20.00', changePp: null });
    expect(result.increment.verdict).toBe('met');
  });

  it('holds over loans and snapshots at a quarter boundary', () => {
    const loans: StatLoan[] = [
      { loanId: 'g', enterpriseId: 'e1', green: true, snapshots: [{ id: '1', asOf: '2025-06-30', balance: 1_000 }, { id: '2', asOf: '2025-09-30', balance: 1_200 }, { id: '3', asOf: '2026-06-30', balance: 1_200 }, { id: '4', asOf: '2026-09-30', balance: 2_000 }, { id: '5', asOf: '2026-10-01', balance: 0 }] },
      { loanId: 'n', enterpriseId: 'e2', green: false, snapshots: [{ id: '6', asOf: '2025-06-30', balance: 9_000 }, { id: '7', asOf: '2026-06-30', balance: 10_000 }, { id: '8', asOf: '2026-09-30', balance: 10_000 }] },
    ];
    const q3 = periodBounds({ kind: 'quarter', key: '2026Q3' });
    const last = periodBounds(samePeriodLastYear(q3.period));
    const result = threeNotLower({ base: bookFigures(loans, q3.base), end: bookFigures(loans, q3.end), lastYearBase: bookFigures(loans, last.base), lastYearEnd: bookFigures(loans, last.end) });
    // 2026Q3: green 1,200 → 2,000 (+66.67%), book 11,200 → 12,000 (+7.14%); 2025Q3 green +200
    expect(result.growth).toMatchObject({ verdict: 'met', green: { ratePercent: '66.67' }, all: { base: 11_200, end: 12_000, ratePercent: '7.14' } });
    expect(result.increment).toEqual({ verdict: 'met', current: 800, lastYear: 200 });
    expect(result.customers).toEqual({ verdict: 'met', current: 1, lastYear: 1 });
    // 1,200/11,200 = 10.714% → 2,000/12,000 = 16.667%: +5.95 pp
    expect(result.share).toMatchObject({ verdict: 'met', basePercent: '10.71', endPercent: '16.67', changePp: '5.95' });
  });
});

describe('percentText', () => {
  it.each([
    [1n, 3n, '33.33'],
    [2n, 3n, '66.67'],
    [-1n, 3n, '-33.33'],
    [1n, 200n, '0.50'],
    [-1n, 100_000n, '0.00'],
    [1n, 8n, '12.50'],
  ])('%s / %s = %s%%', (n, d, text) => {
    expect(percentText(n, d)).toBe(text);
  });
});

describe('groupGreenLoans', () => {
  it('sums loans, borrowers and balance per key and leaves out loans with nothing outstanding', () => {
    const base = { classification: 'normal', focusGroup: null, divisionCode: '360222' };
    const groups = groupGreenLoans(
      [
        { ...base, loanId: '1', enterpriseId: 'e1', balance: 100, category: '2025:1' },
        { ...base, loanId: '2', enterpriseId: 'e1', balance: 50, category: '2025:1' },
        { ...base, loanId: '3', enterpriseId: 'e2', balance: 70, category: '2025:1' },
        { ...base, loanId: '4', enterpriseId: 'e3', balance: 30, category: '2021:3' },
        { ...base, loanId: '5', enterpriseId: 'e4', balance: 0, category: '2025:2' },
      ],
      'category',
    );
    expect(groups).toEqual([
      { key: '2021:3', loans: 1, customers: 1, balance: 30 },
      { key: '2025:1', loans: 3, customers: 2, balance: 220 },
    ]);
  });
});
