import type { LoanStatus } from './loan.ts';
import type { ExposurePlanStep } from './rectification.ts';

/**
 * Exposure tracking of a 压缩退出 case (issue 16): the enterprise's outstanding loan balance over
 * time, from the loans' balance snapshots (借据余额快照), against the case's reduction plan (target
 * balance by date). One pure definition for the case page's chart and figures, so what the chart
 * draws and what the figures say cannot disagree.
 *
 * The enterprise's balance on a day is the sum over its loans of each loan's balance on that day:
 * - a loan's balance on a day is that of its latest snapshot on or before the day (a loan without a
 *   snapshot on the day carries its last known balance forward);
 * - before its first snapshot a loan counts 0: it is not yet in the ledger here (no balance is
 *   guessed backwards);
 * - a repaid (已结清) or written-off (已核销) loan counts 0 from the day its balance is as of (the
 *   day the core system's export or the officer recorded the status), whatever its last snapshot
 *   said: it no longer is the bank's exposure on the book. Before that day its snapshots count.
 * Several snapshots of one loan on one day (two laptops entering a month-end offline) count once:
 * the first listed (the store lists the oldest first, as db/loans.ts snapshotOn reads it).
 */

export interface ExposureLoan {
  id: string;
  status: LoanStatus;
  /** The day the loan's balance and status are as of (its newest snapshot's day). */
  balanceAsOf: string;
  snapshots: readonly { asOf: string; balanceFen: number }[];
}

export interface ExposurePoint {
  date: string;
  /** The enterprise's outstanding balance on `date`, in fen. */
  balanceFen: number;
}

/** How a plan step stands: judged only once its day has come and a balance is known by then. */
export type PlanStepStanding = 'ahead' | 'on_target' | 'behind' | 'not_due' | 'no_data';

export interface PlanStepComparison {
  date: string;
  targetFen: number;
  /** The balance on the plan's day (null: no snapshot on or before it); for a day still to come, the latest known. */
  actualFen: number | null;
  /** The snapshot day that balance is as of. */
  actualAsOf: string | null;
  /** actual − target (positive: still above the target). */
  gapFen: number | null;
  standing: PlanStepStanding;
}

const ended = (loan: ExposureLoan) => loan.status !== 'outstanding';

/** One loan's balance on `date`: its latest snapshot on or before it, 0 before the first or once repaid. */
function loanBalanceOn(loan: ExposureLoan, snapshots: readonly { asOf: string; balanceFen: number }[], date: string): number {
  if (ended(loan) && date >= loan.balanceAsOf) return 0;
  let balance = 0;
  for (const snapshot of snapshots) {
    if (snapshot.asOf > date) break;
    balance = snapshot.balanceFen;
  }
  return balance;
}

/** A loan's snapshots by day ascending, one per day (the first listed of a day). */
function byDay(loan: ExposureLoan): { asOf: string; balanceFen: number }[] {
  const seen = new Set<string>();
  const once = loan.snapshots.filter((snapshot) => (seen.has(snapshot.asOf) ? false : (seen.add(snapshot.asOf), true)));
  return once.sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0));
}

/**
 * The enterprise's balance on every day one of its loans has a snapshot (or was repaid), ascending:
 * the actual line of the chart. Between two such days the balance does not change.
 */
export function actualExposure(loans: readonly ExposureLoan[]): ExposurePoint[] {
  const ordered = loans.map((loan) => ({ loan, snapshots: byDay(loan) }));
  const days = new Set<string>();
  for (const { loan, snapshots } of ordered) {
    for (const snapshot of snapshots) days.add(snapshot.asOf);
    if (ended(loan)) days.add(loan.balanceAsOf);
  }
  return [...days].sort().map((date) => ({ date, balanceFen: ordered.reduce((sum, { loan, snapshots }) => sum + loanBalanceOn(loan, snapshots, date), 0) }));
}

/** The balance on `date` read off the actual line: its latest point on or before the day, or null. */
export function exposureOn(series: readonly ExposurePoint[], date: string): ExposurePoint | null {
  let found: ExposurePoint | null = null;
  for (const point of series) {
    if (point.date > date) break;
    found = point;
  }
  return found;
}

/**
 * Each plan step against the actual line. A step whose day has come (`date` ≤ today, Asia/Shanghai)
 * is ahead (balance below the target), on target (equal) or behind (above); one still to come is
 * not due and shows the latest known balance against its target; a step with no balance known by
 * its day has no data.
 */
export function compareToPlan(plan: readonly ExposurePlanStep[], series: readonly ExposurePoint[], today: string): PlanStepComparison[] {
  return plan.map((step) => {
    const due = step.date <= today;
    const point = exposureOn(series, due ? step.date : today);
    if (point === null) return { date: step.date, targetFen: step.targetFen, actualFen: null, actualAsOf: null, gapFen: null, standing: due ? 'no_data' : 'not_due' };
    const gapFen = point.balanceFen - step.targetFen;
    const standing: PlanStepStanding = !due ? 'not_due' : gapFen > 0 ? 'behind' : gapFen < 0 ? 'ahead' : 'on_target';
    return { date: step.date, targetFen: step.targetFen, actualFen: point.balanceFen, actualAsOf: point.date, gapFen, standing };
  });
}
