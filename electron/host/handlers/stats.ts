import type { ReportDay } from '../../../shared/api/stats.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { noFigures, periodBounds, samePeriodLastYear, threeNotLower, type BookFigures, type StatPeriod } from '../../../shared/domain/greenStatistics.ts';
import { HostFailure, type Handler, type HostContext } from '../context.ts';
import { figuresAt, greenLoansMatching, greenReportAt } from '../stats/greenBook.ts';
import { jobProgress, withProgress } from '../stats/progress.ts';
import { exportReport } from '../stats/reportExport.ts';
import { collateralReport, rectificationReport } from '../stats/summaries.ts';

/** Statistics and reports (issue 17): the calls of shared/api/stats.ts. */

/**
 * A period's last day, once the period has ended by today's Asia/Shanghai day. A running period is
 * refused, not answered: its figures would move until its last day (the screen offers ended ones
 * only, endedPeriods; the host holds every caller to the same rule).
 */
export function endedPeriodEnd(ctx: HostContext, period: StatPeriod): string {
  const { end } = periodBounds(period);
  if (end >= shanghaiDate(ctx.now())) {
    throw new HostFailure('VALIDATION', `统计期 ${period.key} 尚未结束（${end} 为最后一天），结束后才能出具报表`, {
      issues: [{ path: ['period'], code: 'PERIOD_NOT_ENDED', message: 'PERIOD_NOT_ENDED', params: { period: period.key, end } }],
    });
  }
  return end;
}

export function dayOf(ctx: HostContext, day: ReportDay): string {
  return day.asOf ?? endedPeriodEnd(ctx, day.period!);
}

export const statsThreeNotLower: Handler<'stats.threeNotLower'> = (ctx, call, input) =>
  withProgress(ctx, call, input.jobId, async (report) => {
    const { db } = ctx.store;
    endedPeriodEnd(ctx, input.period);
    const period = periodBounds(input.period);
    const lastYear = periodBounds(samePeriodLastYear(input.period));
    const days = [period.base, period.end, lastYear.base, lastYear.end];
    const [base, end, lastYearBase, lastYearEnd] = (await figuresAt(db, days, (done, total) => report('greenLoans', done, total))) as [BookFigures, BookFigures, BookFigures, BookFigures];
    return {
      period,
      lastYear,
      figures: { base, end, lastYearBase, lastYearEnd },
      ...threeNotLower({ base, end, lastYearBase, lastYearEnd }),
      loans: { base: { asOf: period.base }, end: { asOf: period.end }, lastYearBase: { asOf: lastYear.base }, lastYearEnd: { asOf: lastYear.end } },
    };
  });

export const statsGreenReport: Handler<'stats.greenReport'> = (ctx, call, input) =>
  withProgress(ctx, call, input.jobId, async (report) => {
    const day = dayOf(ctx, input.day);
    return greenReportAt(ctx.store.db, day, (done, total) => report('greenLoans', done, total));
  });

export const statsLoans: Handler<'stats.loans'> = async (ctx, _call, input) => {
  const { filter } = input;
  const matched = await greenLoansMatching(ctx.store.db, filter);
  return {
    rows: matched.slice(input.offset, input.offset + input.limit),
    total: matched.length,
    balance: matched.reduce((sum, loan) => sum + loan.balance, 0),
    customers: new Set(matched.map((loan) => loan.enterpriseId)).size,
  };
};

export const statsCollateralSummary: Handler<'stats.collateralSummary'> = (ctx) => collateralReport(ctx.store.db, shanghaiDate(ctx.now()));

export const statsRectificationSummary: Handler<'stats.rectificationSummary'> = (ctx) => rectificationReport(ctx.store.db, shanghaiDate(ctx.now()));

/** The same day a year earlier; 29 February falls back to the 28th. */
export function sameDayLastYear(day: string): string {
  const year = Number(day.slice(0, 4)) - 1;
  const monthDay = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${year}-${monthDay}`;
}

export async function dashboardOf(ctx: HostContext, report: (stage: string, done: number, total: number) => void) {
  const { db } = ctx.store;
  const today = shanghaiDate(ctx.now());
  const yearStart = `${Number(today.slice(0, 4)) - 1}-12-31`;
  const lastYear = sameDayLastYear(today);
  const [atToday, atYearStart, atLastYear] = (await figuresAt(db, [today, yearStart, lastYear], (done, total) => report('greenLoans', done, total))) as [BookFigures, BookFigures, BookFigures];
  const figures = { today: atToday, yearStart: atYearStart, sameDayLastYear: atLastYear };
  // 比年初 growth and share change as 三个不低于 computes them; 同比 from the same day last year.
  const ytd = threeNotLower({ base: figures.yearStart, end: figures.today, lastYearBase: noFigures, lastYearEnd: noFigures });
  const yoy = threeNotLower({ base: figures.sameDayLastYear, end: figures.today, lastYearBase: noFigures, lastYearEnd: noFigures });
  const collateral = collateralReport(db, today);
  const cases = rectificationReport(db, today);
  const expiring = collateral.byHorizon.find((line) => line.key === '30')!;
  return {
    asOf: today,
    green: {
      ...figures,
      sharePercent: ytd.share.endPercent,
      growthYtdPercent: ytd.growth.green.ratePercent,
      bookGrowthYtdPercent: ytd.growth.all.ratePercent,
      growthYoyPercent: yoy.growth.green.ratePercent,
      shareChangeYtdPp: ytd.share.changePp,
      loans: { today: { asOf: today }, yearStart: { asOf: yearStart }, sameDayLastYear: { asOf: lastYear } },
    },
    collateral,
    cases,
    alerts: { collateralExpiring: expiring.count, collateralExpiringFilter: expiring.filter, overdueCases: cases.total.overdue, overdueCasesFilter: { overdue: true } },
  };
}

export const statsDashboard: Handler<'stats.dashboard'> = (ctx, call, input) => withProgress(ctx, call, input.jobId, (report) => dashboardOf(ctx, report));

export const statsExport: Handler<'stats.export'> = (ctx, call, input) =>
  withProgress(ctx, call, input.jobId, (report) => exportReport(ctx, input.report, input.format, input.day === undefined ? shanghaiDate(ctx.now()) : dayOf(ctx, input.day), report));

export const statsProgress: Handler<'stats.progress'> = (ctx, call, input) => jobProgress(ctx, call, input.jobId);
