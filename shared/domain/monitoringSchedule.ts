import { z } from 'zod';
import { addDays } from './collateralValuation.ts';
import { isAdverseRating, type EnvironmentalRatingLevel } from './environmentalRating.ts';
import { loanClassifications, type LoanClassification } from './loan.ts';

/**
 * 贷后监测计划: how often a borrower is visited, and when the next visit is due. The frequencies are
 * the branch's settings (monitoring.updateSettings), not law: the defaults below are GreenLedger's
 * working defaults — a normal loan every 6 months, 关注 quarterly, 次级 and worse monthly, and monthly
 * whatever the class while the enterprise has an open rectification case or a red/black 环境信用
 * rating. The shortest interval that applies wins. Days are Asia/Shanghai days (calendar.ts): the
 * function takes `today` as a day, so a laptop's time zone never moves it.
 */
export const monitoringBands = ['normal', 'special_mention', 'non_performing', 'open_case', 'red_rating'] as const;
export type MonitoringBand = (typeof monitoringBands)[number];

const months = z.int().min(1).max(24);
export const monitoringScheduleSettingsSchema = z
  .object({
    /** 正常类 */
    normalMonths: months,
    /** 关注类 */
    specialMentionMonths: months,
    /** 次级、可疑、损失类 */
    nonPerformingMonths: months,
    /** An open (not yet 核实销号) rectification case, whatever the class. */
    openCaseMonths: months,
    /** A red or black 环境信用 rating, whatever the class. */
    redRatingMonths: months,
    /** A visit within this many days is 即将到期 (due); after its day it is 已逾期 (overdue). */
    dueSoonDays: z.int().min(0).max(90),
  })
  .strict();
export type MonitoringScheduleSettings = z.infer<typeof monitoringScheduleSettingsSchema>;

export const defaultMonitoringSchedule: MonitoringScheduleSettings = {
  normalMonths: 6,
  specialMentionMonths: 3,
  nonPerformingMonths: 1,
  openCaseMonths: 1,
  redRatingMonths: 1,
  dueSoonDays: 14,
};

/** What the frequency is decided on: the borrower's worst class among its outstanding loans and its risks. */
export interface MonitoringRisk {
  worstClass: LoanClassification;
  hasOpenCase: boolean;
  rating: EnvironmentalRatingLevel | null;
}

/** The worst of some loans' classes (损失 worst); null for none. */
export function worstClassification(classes: readonly LoanClassification[]): LoanClassification | null {
  let worst = -1;
  for (const value of classes) worst = Math.max(worst, loanClassifications.indexOf(value));
  return worst < 0 ? null : loanClassifications[worst]!;
}

/**
 * The band and interval that apply: the shortest of the class's and of each risk's. On a tie a
 * risk names the band (an open case says more than 次级 does about why the visit is monthly).
 */
export function monitoringFrequency(risk: MonitoringRisk, settings: MonitoringScheduleSettings): { band: MonitoringBand; months: number } {
  const byClass: { band: MonitoringBand; months: number } =
    risk.worstClass === 'normal'
      ? { band: 'normal', months: settings.normalMonths }
      : risk.worstClass === 'special_mention'
        ? { band: 'special_mention', months: settings.specialMentionMonths }
        : { band: 'non_performing', months: settings.nonPerformingMonths };
  const candidates = [
    ...(risk.hasOpenCase ? [{ band: 'open_case' as const, months: settings.openCaseMonths }] : []),
    ...(risk.rating !== null && isAdverseRating(risk.rating) ? [{ band: 'red_rating' as const, months: settings.redRatingMonths }] : []),
    byClass,
  ];
  return candidates.reduce((best, next) => (next.months < best.months ? next : best));
}

/** A day `count` months after another; a day the month lacks is its last day (01-31 + 1 month → 02-28 or 02-29). */
export function addMonths(day: string, count: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + count;
  const date = Number(day.slice(8, 10));
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date, lastOfMonth))).toISOString().slice(0, 10);
}

/**
 * The next visit's day: the interval after the last visit made, or — never visited — after the
 * first disbursement of its outstanding loans (post-loan monitoring starts with the loan).
 */
export function nextVisitDue(lastVisitedOn: string | null, firstDisbursedOn: string, intervalMonths: number): string {
  return addMonths(lastVisitedOn ?? firstDisbursedOn, intervalMonths);
}

export const monitoringStatuses = ['overdue', 'due', 'scheduled'] as const;
export type MonitoringStatus = (typeof monitoringStatuses)[number];

/** 已逾期 after its day; 即将到期 from dueSoonDays before it through the day itself; else 按计划. */
export function monitoringStatus(nextDueOn: string, today: string, dueSoonDays: number): MonitoringStatus {
  if (nextDueOn < today) return 'overdue';
  return nextDueOn <= addDays(today, dueSoonDays) ? 'due' : 'scheduled';
}

/** The nextDueOn range of a status on `today` (inclusive bounds; null: open), for an indexed range read. */
export function monitoringStatusRange(status: MonitoringStatus | 'attention', today: string, dueSoonDays: number): { from: string | null; to: string | null } {
  const soon = addDays(today, dueSoonDays);
  if (status === 'overdue') return { from: null, to: addDays(today, -1) };
  if (status === 'due') return { from: today, to: soon };
  if (status === 'attention') return { from: null, to: soon };
  return { from: addDays(soon, 1), to: null };
}
