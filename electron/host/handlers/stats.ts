import type { ReportDay } from '../../../shared/api/stats.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { noFigures, periodBounds, samePeriodLastYear, threeNotLower } from '../../../shared/domain/greenStatistics.ts';
import type { Handler, HostContext } from '../context.ts';
import { asOfView, figuresAt, greenReportOf, matchesFilter, readGreenLoans } from '../stats/greenBook.ts';
import { jobProgress, withProgress } from '../stats/progress.ts';
import { exportReport } from '../stats/reportExport.ts';
import { collateralReport, rectificationReport } from '../stats/summaries.ts';

/** Statistics and reports (issue 17): the calls of shared/api/stats.ts. */

export function dayOf(day: ReportDay): string {
  return day.asOf ?? periodBounds(day.period!).end;
}

export const statsThreeNotLower: Handler<'stats.threeNotLower'> = (ctx, call, input) =>
  withProgress(ctx, call, input.jobId, async (report) => {
    const { db } = ctx.store;
    const period = periodBounds(input.period);
    const lastYear = periodBounds(samePeriodLastYear(input.period));
    const days = [period.base, period.end, lastYear.base, lastYear.end];
    const loans = await readGreenLoans(db, days, (done, total) => report('greenLoans', done, total));
    const [base, end, lastYearBase, lastYearEnd] = days.map((day, slot) => figuresAt(db, loans, slot, day)) as [ReturnType<typeof figuresAt>, ReturnType<typeof figuresAt>, ReturnType<typeof figuresAt>, ReturnType<typeof figuresAt>];
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
    const day = dayOf(input.day);
    const loans = await readGreenLoans(ctx.store.db, [day], (done, total) => report('greenLoans', done, total));
    return greenReportOf(ctx.store.db, loans, 0, day);
  });

export const statsLoans: Handler<'stats.loans'> = async (ctx, _call, input) => {
  const { filter } = input;
  const loans = await readGreenLoans(ctx.store.db, [filter.asOf]);
  const matched = loans.filter((loan) => matchesFilter(asOfView(loan, 0), filter));
  // Largest first, then by loan number: a stable order to page through.
  matched.sort((a, b) => b.balances[0]! - a.balances[0]! || (a.row.loan_number < b.row.loan_number ? -1 : a.row.loan_number > b.row.loan_number ? 1 : 0));
  return {
    rows: matched.slice(input.offset, input.offset + input.limit).map((loan) => ({
      loanId: loan.row.loan_id,
      loanNumber: loan.row.loan_number,
      enterpriseId: loan.row.enterprise_id,
      enterpriseName: loan.row.enterprise_name,
      balance: loan.balances[0]!,
      classification: loan.classes[0] ?? 'normal',
      category: loan.category,
      focusGroup: loan.row.focus_group,
      divisionCode: loan.row.division_code,
    })),
    total: matched.length,
    balance: matched.reduce((sum, loan) => sum + loan.balances[0]!, 0),
    customers: new Set(matched.map((loan) => loan.row.enterprise_id)).size,
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
  const loans = await readGreenLoans(db, [today, yearStart, lastYear], (done, total) => report('greenLoans', done, total));
  const figures = { today: figuresAt(db, loans, 0, today), yearStart: figuresAt(db, loans, 1, yearStart), sameDayLastYear: figuresAt(db, loans, 2, lastYear) };
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
  withProgress(ctx, call, input.jobId, (report) => exportReport(ctx, input.report, input.format, input.day === undefined ? shanghaiDate(ctx.now()) : dayOf(input.day), report));

export const statsProgress: Handler<'stats.progress'> = (ctx, call, input) => jobProgress(ctx, call, input.jobId);
