import { z } from 'zod';
import { localDateSchema } from '../domain/calendar.ts';
import { benefitIndicators } from '../domain/environmentalBenefit.ts';
import { statPeriodSchema } from '../domain/greenStatistics.ts';
import { loanClassifications } from '../domain/loan.ts';
import { caseMeasures } from '../domain/rectification.ts';
import { collateralListFilterSchema, collateralTotalsSchema } from './collateral.ts';
import { caseCountsSchema, caseListFilterSchema } from './rectification.ts';

/**
 * Host API of the statistics and reports (绿色信贷统计, DOMAIN §5, issue 17); merged into contract.ts.
 *
 * Contract for the screens (the reports screen, the 工作台 and the dashboard):
 * - Every green-loan figure is as of one Asia/Shanghai day: a loan counts its newest snapshot on or
 *   before that day (shared/domain/greenStatistics.ts); a loan counts green when its tag does today
 *   (confirmed by a credit manager other than its preparer, a code the catalogue knows, evidence).
 * - A day is given as `asOf` or as a `period` (month 2026-11, quarter 2026Q3, year 2026: its last day).
 * - Every figure comes with the filter of the list behind it: `loans` (a stats.loans filter: the green
 *   loans as of the day, their as-of balances summing to the figure), `collateral` (a collateral.list
 *   filter) or `cases` (a cases.list filter). Sum a drill-down list and you get the figure.
 * - Long work (the report over a large book) yields to other calls between pages; pass a `jobId` and
 *   poll stats.progress with it to show how far it is.
 */
const id = z.string().min(1).max(64);
const fen = z.number().int();
const count = z.number().int().nonnegative();

/** The day figures are as of: a day, or a period's last day. */
export const reportDaySchema = z
  .strictObject({ asOf: localDateSchema.optional(), period: statPeriodSchema.optional() })
  .refine((day) => (day.asOf === undefined) !== (day.period === undefined), { message: 'give asOf or period, not both', params: { reason: 'asOfOrPeriod' } });
export type ReportDay = z.infer<typeof reportDaySchema>;

/** A caller-chosen id under which stats.progress reports the call's progress. */
const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

/** The green loans behind a figure: as of a day, optionally one group of one dimension. */
export const statLoanFilterSchema = z.strictObject({
  asOf: localDateSchema,
  /** catalogue version + level-1 code: "2025:1". */
  category: z.string().regex(/^(2021|2025):\d{1,2}$/).optional(),
  /** a focus-industry key; '' for loans of borrowers in none. */
  focusGroup: z.string().max(40).optional(),
  divisionCode: z.string().regex(/^\d{6}$/).optional(),
  /** five-level class as of the day. */
  classification: z.enum(loanClassifications).optional(),
  enterpriseId: id.optional(),
});
export type StatLoanFilter = z.infer<typeof statLoanFilterSchema>;

export const bookFiguresSchema = z.object({
  totalBalance: fen,
  greenBalance: fen,
  greenLoans: count,
  greenCustomers: count,
});

export const periodBoundsSchema = z.object({ period: statPeriodSchema, start: z.string(), end: z.string(), base: z.string() });

const verdictSchema = z.enum(['met', 'notMet', 'notComputable']);
const growthLineSchema = z.object({ base: fen, end: fen, increment: fen, ratePercent: z.string().nullable() });

export const threeNotLowerSchema = z.object({
  period: periodBoundsSchema,
  lastYear: periodBoundsSchema,
  /** The book as of base and end of the period and of the same period last year. */
  figures: z.object({ base: bookFiguresSchema, end: bookFiguresSchema, lastYearBase: bookFiguresSchema, lastYearEnd: bookFiguresSchema }),
  growth: z.object({ verdict: verdictSchema, green: growthLineSchema, all: growthLineSchema, reason: z.enum(['noBook', 'fromZero']).nullable() }),
  increment: z.object({ verdict: verdictSchema, current: fen, lastYear: fen }),
  customers: z.object({ verdict: verdictSchema, current: count, lastYear: count }),
  share: z.object({ verdict: verdictSchema, basePercent: z.string().nullable(), endPercent: z.string().nullable(), changePp: z.string().nullable(), requiredPp: z.string() }),
  /** The loans behind the figures as of each of the four days (stats.loans filters). */
  loans: z.object({ base: statLoanFilterSchema, end: statLoanFilterSchema, lastYearBase: statLoanFilterSchema, lastYearEnd: statLoanFilterSchema }),
});
export type ThreeNotLowerView = z.infer<typeof threeNotLowerSchema>;

export const greenGroupSchema = z.object({
  key: z.string(),
  /** The key in words where the data names it (catalogue category, focus group, county); '' otherwise. */
  name: z.string(),
  loans: count,
  customers: count,
  balance: fen,
  loansFilter: statLoanFilterSchema,
});
export type GreenGroupView = z.infer<typeof greenGroupSchema>;

export const benefitTotalSchema = z.object({
  indicator: z.enum(benefitIndicators),
  /** The bank's share summed over the green loans, an exact decimal (4 places at most). */
  total: z.string(),
  /** Loans whose tag reports the figure. */
  loans: count,
});

export const greenReportSchema = z.object({
  asOf: z.string(),
  totals: z.object({ loans: count, customers: count, balance: fen }),
  /** 各项贷款余额 and the green share of it as of the day. */
  book: z.object({ totalBalance: fen, sharePercent: z.string().nullable() }),
  byCategory: z.array(greenGroupSchema),
  byFocusGroup: z.array(greenGroupSchema),
  byCounty: z.array(greenGroupSchema),
  byClassification: z.array(greenGroupSchema),
  /** 环境效益 (bank's share: figure × balance ÷ project total investment). */
  benefits: z.object({
    totals: z.array(benefitTotalSchema),
    /** Green loans whose share cannot be computed (no total investment, or a balance above it): left out of the totals. */
    notComputed: count,
  }),
  loansFilter: statLoanFilterSchema,
});
export type GreenReport = z.infer<typeof greenReportSchema>;

export const statLoanRowSchema = z.object({
  loanId: z.string(),
  loanNumber: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  balance: fen,
  classification: z.enum(loanClassifications),
  category: z.string(),
  focusGroup: z.string().nullable(),
  divisionCode: z.string(),
});
export type StatLoanRow = z.infer<typeof statLoanRowSchema>;

export const collateralSummaryLineSchema = collateralTotalsSchema.extend({ key: z.string(), filter: collateralListFilterSchema });
/** Expiry horizons of the collateral summary, in days from today (lapsed items included in each). */
export const collateralHorizons = [0, 30, 90, 180, 365] as const;

export const collateralReportSchema = z.object({
  asOf: z.string(),
  total: collateralTotalsSchema,
  byType: z.array(collateralSummaryLineSchema),
  byStatus: z.array(collateralSummaryLineSchema),
  /** Cumulative: the right or its registration ends within `key` days (0: already lapsed). */
  byHorizon: z.array(collateralSummaryLineSchema),
});
export type CollateralReport = z.infer<typeof collateralReportSchema>;

export const rectificationReportSchema = z.object({
  asOf: z.string(),
  total: caseCountsSchema,
  byMeasure: z.array(z.object({ measure: z.enum(caseMeasures), counts: caseCountsSchema, filter: caseListFilterSchema })),
});
export type RectificationReport = z.infer<typeof rectificationReportSchema>;

export const dashboardSchema = z.object({
  asOf: z.string(),
  green: z.object({
    /** As of today, the start of the year (previous year-end) and the same day last year. */
    today: bookFiguresSchema,
    yearStart: bookFiguresSchema,
    sameDayLastYear: bookFiguresSchema,
    sharePercent: z.string().nullable(),
    /** Since the start of the year (比年初) and on the same day last year (同比), in percent. */
    growthYtdPercent: z.string().nullable(),
    bookGrowthYtdPercent: z.string().nullable(),
    growthYoyPercent: z.string().nullable(),
    shareChangeYtdPp: z.string().nullable(),
    loans: z.object({ today: statLoanFilterSchema, yearStart: statLoanFilterSchema, sameDayLastYear: statLoanFilterSchema }),
  }),
  collateral: collateralReportSchema,
  cases: rectificationReportSchema,
  alerts: z.object({
    /** Collateral whose right or registration ends within 30 days (lapsed included). */
    collateralExpiring: count,
    collateralExpiringFilter: collateralListFilterSchema,
    overdueCases: count,
    overdueCasesFilter: caseListFilterSchema,
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const reportKinds = ['green', 'collateral', 'rectification'] as const;
export type ReportKind = (typeof reportKinds)[number];

const fileOutput = z.object({ fileName: z.string(), contentBase64: z.string() });

export const statsMethods = {
  /** 三个不低于 and the share change for a period against the same period last year. */
  'stats.threeNotLower': { access: 'reports.read', input: z.strictObject({ period: statPeriodSchema, jobId: jobIdSchema.optional() }), output: threeNotLowerSchema },
  /** Green-credit statistics as of a day by category, focus industry, county and class, with the environmental benefits. */
  'stats.greenReport': { access: 'reports.read', input: z.strictObject({ day: reportDaySchema, jobId: jobIdSchema.optional() }), output: greenReportSchema },
  /** The green loans behind a figure, with their as-of balances (largest first) and the totals of all of them. */
  'stats.loans': {
    access: 'reports.read',
    input: z.strictObject({ filter: statLoanFilterSchema, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ rows: z.array(statLoanRowSchema), total: count, balance: fen, customers: count }),
  },
  /** The collateral register by type, status and expiry horizon, as of today. */
  'stats.collateralSummary': { access: 'reports.read', input: z.strictObject({}), output: collateralReportSchema },
  /** Rectification cases by measure and status (open, overdue, closed), as of today. */
  'stats.rectificationSummary': { access: 'reports.read', input: z.strictObject({}), output: rectificationReportSchema },
  /** Every dashboard figure in one call, as of today. */
  'stats.dashboard': { access: 'reports.read', input: z.strictObject({ jobId: jobIdSchema.optional() }), output: dashboardSchema },
  /** A report as .xlsx (headers, units, totals row, frozen header) or PDF (A4 landscape, Chinese). */
  'stats.export': {
    access: 'reports.read',
    input: z.strictObject({ report: z.enum(reportKinds), format: z.enum(['xlsx', 'pdf']), day: reportDaySchema.optional(), jobId: jobIdSchema.optional() }),
    output: fileOutput,
  },
  /** How far the call started with this jobId is (this session's calls only); null when none runs. */
  'stats.progress': {
    access: 'reports.read',
    input: z.strictObject({ jobId: jobIdSchema }),
    output: z.object({ done: count, total: count, stage: z.string() }).nullable(),
    background: true,
  },
} as const;
