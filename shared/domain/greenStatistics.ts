import { z } from 'zod';
import { shanghaiDate } from './calendar.ts';

/**
 * Green-credit statistics (DOMAIN §5; seed 000 绿色信贷统计制度, seed 002 三个不低于, seed 003 the green
 * share up by at least 0.5 percentage points), as pure functions over loan snapshots so the host, the
 * hub and the tests compute them alike. Money in fen (integers); every ratio is compared and rounded
 * on bigint products, never on floats, so a comparison at the boundary (growth exactly equal, a share
 * up exactly 0.5 pp) is decided exactly.
 *
 * As-of rule: a loan's balance as of a day is its newest snapshot on or before that day (ties on one
 * day: the snapshot with the greater id, which is the one the kept totals of the host also take); a
 * loan with no snapshot by then counts 0. Days are Asia/Shanghai local days (calendar.ts).
 */

// ---------------------------------------------------------------------------------------------
// Periods

export const statPeriodKinds = ['month', 'quarter', 'year'] as const;
export type StatPeriodKind = (typeof statPeriodKinds)[number];

const PERIOD_PATTERNS: Record<StatPeriodKind, RegExp> = {
  month: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarter: /^(\d{4})Q([1-4])$/,
  year: /^(\d{4})$/,
};

/** A reporting period: month 2026-11, quarter 2026Q3, year 2026. */
export const statPeriodSchema = z
  .strictObject({ kind: z.enum(statPeriodKinds), key: z.string().max(10) })
  .refine((period) => {
    const match = PERIOD_PATTERNS[period.kind].exec(period.key);
    return match !== null && Number(match[1]) >= 1901 && Number(match[1]) <= 2100;
  }, { message: 'period key does not match its kind (2026-11, 2026Q3, 2026)', params: { reason: 'periodKey' } });
export type StatPeriod = z.infer<typeof statPeriodSchema>;

export interface PeriodBounds {
  period: StatPeriod;
  /** First day of the period. */
  start: string;
  /** Last day of the period: the figures' as-of day. */
  end: string;
  /** The day before the period starts: what its growth and increment are measured from. */
  base: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Last day of a month (month 1–12), by the Gregorian calendar. */
function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The day before a local day. */
export function previousDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date - 1)).toISOString().slice(0, 10);
}

function parsePeriod(period: StatPeriod): { year: number; firstMonth: number; months: number } {
  const match = PERIOD_PATTERNS[period.kind].exec(period.key);
  if (match === null) throw new RangeError(`not a ${period.kind}: ${period.key}`);
  const year = Number(match[1]);
  if (period.kind === 'year') return { year, firstMonth: 1, months: 12 };
  if (period.kind === 'quarter') return { year, firstMonth: (Number(match[2]) - 1) * 3 + 1, months: 3 };
  return { year, firstMonth: Number(match[2]), months: 1 };
}

export function periodBounds(period: StatPeriod): PeriodBounds {
  const { year, firstMonth, months } = parsePeriod(period);
  const start = `${year}-${pad(firstMonth)}-01`;
  return { period, start, end: lastDayOfMonth(year, firstMonth + months - 1), base: previousDay(start) };
}

/** The same period one year earlier (2026Q3 → 2025Q3). */
export function samePeriodLastYear(period: StatPeriod): StatPeriod {
  const { year } = parsePeriod(period);
  return { kind: period.kind, key: `${year - 1}${period.key.slice(4)}` };
}

/** The period of a kind that a local day falls in. */
export function periodOfDay(kind: StatPeriodKind, day: string): StatPeriod {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  if (kind === 'year') return { kind, key: year };
  if (kind === 'quarter') return { kind, key: `${year}Q${Math.floor((month - 1) / 3) + 1}` };
  return { kind, key: day.slice(0, 7) };
}

/** The period an instant falls in, by its Asia/Shanghai day (16:30 UTC on 30 September is already Q4). */
export function currentPeriod(kind: StatPeriodKind, instant: Date): StatPeriod {
  return periodOfDay(kind, shanghaiDate(instant));
}

/** The period just before one (2026Q1 → 2025Q4): the period of the day before it starts. */
export function periodBefore(period: StatPeriod): StatPeriod {
  return periodOfDay(period.kind, periodBounds(period).base);
}

/**
 * The last `count` periods of a kind that have ended by an instant's Asia/Shanghai day, newest first.
 * The running period is left out: its figures would change until its last day, so it is no final
 * report (the dashboard shows today's book). A period ends with its last day: on 31 December 2026 Q4
 * is still running; on 1 January 2027 it is the newest ended quarter.
 */
export function endedPeriods(kind: StatPeriodKind, instant: Date, count: number): StatPeriod[] {
  const periods: StatPeriod[] = [];
  for (let period = periodBefore(currentPeriod(kind, instant)); periods.length < count; period = periodBefore(period)) periods.push(period);
  return periods;
}

// ---------------------------------------------------------------------------------------------
// A loan book as of a day

export interface StatSnapshot {
  /** The snapshot's id: breaks a tie between two snapshots of one day (sync may bring two). */
  id: string;
  asOf: string;
  balance: number;
}

export interface StatLoan {
  loanId: string;
  enterpriseId: string;
  /** Counts green (its tag confirmed with a code and evidence: greenTag.ts greenStanding). */
  green: boolean;
  snapshots: readonly StatSnapshot[];
}

/** The snapshot a loan counts as of a day: its newest on or before the day, or none. */
export function snapshotAsOf<S extends StatSnapshot>(snapshots: readonly S[], day: string): S | undefined {
  let best: S | undefined;
  for (const snapshot of snapshots) {
    if (snapshot.asOf > day) continue;
    if (best === undefined || snapshot.asOf > best.asOf || (snapshot.asOf === best.asOf && snapshot.id > best.id)) best = snapshot;
  }
  return best;
}

export interface BookFigures {
  /** 各项贷款余额: every loan's balance as of the day. */
  totalBalance: number;
  /** 绿色贷款余额. */
  greenBalance: number;
  /** Green loans with a balance above 0. */
  greenLoans: number;
  /** 绿色贷款客户数: borrowers with at least one green loan with a balance above 0. */
  greenCustomers: number;
}

export const noFigures: BookFigures = { totalBalance: 0, greenBalance: 0, greenLoans: 0, greenCustomers: 0 };

export function bookFigures(loans: Iterable<StatLoan>, day: string): BookFigures {
  let totalBalance = 0;
  let greenBalance = 0;
  let greenLoans = 0;
  const customers = new Set<string>();
  for (const loan of loans) {
    const balance = snapshotAsOf(loan.snapshots, day)?.balance ?? 0;
    totalBalance += balance;
    if (!loan.green || balance <= 0) continue;
    greenBalance += balance;
    greenLoans += 1;
    customers.add(loan.enterpriseId);
  }
  return { totalBalance, greenBalance, greenLoans, greenCustomers: customers.size };
}

// ---------------------------------------------------------------------------------------------
// Exact ratios

/**
 * numerator ÷ denominator × 100 as a percent string with `decimals` places, rounded half away from
 * zero (四舍五入): 1 ÷ 3 → "33.33". The denominator must not be 0.
 */
export function percentText(numerator: bigint, denominator: bigint, decimals = 2): string {
  if (denominator === 0n) throw new RangeError('percent of a zero denominator');
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scale = 10n ** BigInt(decimals);
  const rounded = (n * 100n * scale * 2n + d) / (2n * d);
  const whole = String(rounded / scale);
  const text = decimals === 0 ? whole : `${whole}.${String(rounded % scale).padStart(decimals, '0')}`;
  return negative && rounded !== 0n ? `-${text}` : text;
}

/** Compares a/b with c/d for positive b and d, exactly: −1, 0 or 1. */
function compareFractions(a: bigint, b: bigint, c: bigint, d: bigint): number {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// 三个不低于 and the share change

export type Verdict = 'met' | 'notMet' | 'notComputable';

export const verdictWords: Record<Verdict, string> = { met: '达标', notMet: '未达标', notComputable: '无法计算' };

export interface GrowthLine {
  base: number;
  end: number;
  increment: number;
  /** Growth over the period in percent (2 decimals), null when the base is 0 (no rate from nothing). */
  ratePercent: string | null;
}

function growthLine(base: number, end: number): GrowthLine {
  return { base, end, increment: end - base, ratePercent: base === 0 ? null : percentText(BigInt(end - base), BigInt(base)) };
}

export interface ThreeNotLowerFigures {
  /** The book as of the day before the period, and as of its last day. */
  base: BookFigures;
  end: BookFigures;
  /** The same two days one year earlier. */
  lastYearBase: BookFigures;
  lastYearEnd: BookFigures;
}

/** Seed 003: the green share of all loans up by at least this many percentage points. */
export const SHARE_RISE_REQUIRED_PP = '0.5';
/** 0.5 pp as a fraction of 1: 1/200. */
const SHARE_RISE_NUMERATOR = 1n;
const SHARE_RISE_DENOMINATOR = 200n;

export interface ThreeNotLowerResult {
  /** 一、绿色信贷增速不低于各项贷款平均增速. */
  growth: { verdict: Verdict; green: GrowthLine; all: GrowthLine; reason: 'noBook' | 'fromZero' | null };
  /** 二、绿色信贷增量不低于上年同期水平. */
  increment: { verdict: Verdict; current: number; lastYear: number };
  /** 三、绿色信贷客户数不低于上年同期水平 (customers as of the period's last day vs the same day last year). */
  customers: { verdict: Verdict; current: number; lastYear: number };
  /** Seed 003: share as of the period's end minus share as of its base, in percentage points. */
  share: { verdict: Verdict; basePercent: string | null; endPercent: string | null; changePp: string | null; requiredPp: string };
}

/**
 * The three tests and the share change for one period, from the book as of four days. Growth is
 * over the period (its last day against the day before it starts), so for a year it is growth on the
 * previous year-end (比年初). Edge rules (GreenLedger's, said in the README):
 * - no loans at all at the base: growth and share cannot be computed (notComputable);
 * - no green loans at the base but some at the end: green growth is from zero, met whatever the book
 *   did; none at either day: green growth is 0%, met only if the whole book did not grow;
 * - a year with no green loans has an increment and a customer count of 0, which this year meets
 *   unless its own increment is negative.
 */
export function threeNotLower(figures: ThreeNotLowerFigures): ThreeNotLowerResult {
  const { base, end, lastYearBase, lastYearEnd } = figures;
  const green = growthLine(base.greenBalance, end.greenBalance);
  const all = growthLine(base.totalBalance, end.totalBalance);

  let growth: ThreeNotLowerResult['growth'];
  if (base.totalBalance === 0) growth = { verdict: 'notComputable', green, all, reason: 'noBook' };
  else if (base.greenBalance === 0 && end.greenBalance > 0) growth = { verdict: 'met', green, all, reason: 'fromZero' };
  else {
    // green (G1 − G0)/G0 ≥ all (T1 − T0)/T0; with G0 = 0 = G1 the green rate is 0/1.
    const greenDenominator = base.greenBalance === 0 ? 1n : BigInt(base.greenBalance);
    const cmp = compareFractions(BigInt(green.increment), greenDenominator, BigInt(all.increment), BigInt(base.totalBalance));
    growth = { verdict: cmp >= 0 ? 'met' : 'notMet', green: base.greenBalance === 0 ? { ...green, ratePercent: '0.00' } : green, all, reason: null };
  }

  const lastYearIncrement = lastYearEnd.greenBalance - lastYearBase.greenBalance;
  const increment = { verdict: (green.increment >= lastYearIncrement ? 'met' : 'notMet') as Verdict, current: green.increment, lastYear: lastYearIncrement };
  const customers = { verdict: (end.greenCustomers >= lastYearEnd.greenCustomers ? 'met' : 'notMet') as Verdict, current: end.greenCustomers, lastYear: lastYearEnd.greenCustomers };

  const basePercent = base.totalBalance === 0 ? null : percentText(BigInt(base.greenBalance), BigInt(base.totalBalance));
  const endPercent = end.totalBalance === 0 ? null : percentText(BigInt(end.greenBalance), BigInt(end.totalBalance));
  let share: ThreeNotLowerResult['share'];
  if (base.totalBalance === 0 || end.totalBalance === 0) share = { verdict: 'notComputable', basePercent, endPercent, changePp: null, requiredPp: SHARE_RISE_REQUIRED_PP };
  else {
    const t0 = BigInt(base.totalBalance);
    const t1 = BigInt(end.totalBalance);
    // G1/T1 − G0/T0 = (G1·T0 − G0·T1) / (T0·T1), compared with 1/200 and printed in percent.
    const changeNumerator = BigInt(end.greenBalance) * t0 - BigInt(base.greenBalance) * t1;
    const changeDenominator = t0 * t1;
    const met = compareFractions(changeNumerator, changeDenominator, SHARE_RISE_NUMERATOR, SHARE_RISE_DENOMINATOR) >= 0;
    share = { verdict: met ? 'met' : 'notMet', basePercent, endPercent, changePp: percentText(changeNumerator, changeDenominator), requiredPp: SHARE_RISE_REQUIRED_PP };
  }
  return { growth, increment, customers, share };
}

// ---------------------------------------------------------------------------------------------
// The green report's groups

/** One green loan as of the report's day, with what the report groups it by. */
export interface GreenLoanAsOf {
  loanId: string;
  enterpriseId: string;
  balance: number;
  classification: string;
  /** catalogue version + level-1 code ("2025:1"). */
  category: string;
  focusGroup: string | null;
  divisionCode: string;
}

export interface GreenGroup {
  key: string;
  loans: number;
  customers: number;
  balance: number;
}

export const greenReportDimensions = ['category', 'focusGroup', 'divisionCode', 'classification'] as const;
export type GreenReportDimension = (typeof greenReportDimensions)[number];

/**
 * Green loans with a balance above 0, grouped by one dimension: loans, distinct borrowers and balance
 * per key, sorted by key (null focus groups under ''). The groups of one dimension add up to the
 * report's totals, borrowers aside (a borrower with loans in two groups counts in each).
 */
export function groupGreenLoans(loans: readonly GreenLoanAsOf[], dimension: GreenReportDimension): GreenGroup[] {
  const groups = new GreenGroups();
  for (const loan of loans) if (loan.balance > 0) groups.add(loan[dimension] ?? '', loan.enterpriseId, loan.balance);
  return groups.list();
}

/**
 * The groups of one dimension, fed one loan at a time (the statistics fold the green book in one
 * pass, without an object per loan): loans, distinct borrowers and balance per key, listed by key.
 */
export class GreenGroups {
  private readonly groups = new Map<string, { loans: number; customers: Set<string>; balance: number }>();

  add(key: string, enterpriseId: string, balance: number): void {
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = { loans: 0, customers: new Set(), balance: 0 }));
    group.loans += 1;
    group.customers.add(enterpriseId);
    group.balance += balance;
  }

  list(): GreenGroup[] {
    return sortedGroups([...this.groups.entries()].map(([key, group]) => ({ key, loans: group.loans, customers: group.customers.size, balance: group.balance })));
  }
}

/** Groups in the report's order: by key. */
export function sortedGroups(groups: GreenGroup[]): GreenGroup[] {
  return groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Category key of a tag: its catalogue version and the code's level-1 part ("2025:3" for 3.2.1). */
export function categoryKey(catalogueVersion: string, code: string): string {
  return `${catalogueVersion}:${code.split('.')[0]}`;
}
