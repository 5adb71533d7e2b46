import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import type { EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import type { LoanClassification } from '../shared/domain/loan.ts';
import {
  defaultMonitoringSchedule,
  monitoringFrequency,
  monitoringScheduleSettingsSchema,
  monitoringStatusRange,
  nextVisitDue,
  worstClassification,
  type MonitoringBand,
  type MonitoringScheduleSettings,
  type MonitoringStatus,
} from '../shared/domain/monitoringSchedule.ts';
import { prepared, type Db } from './open.ts';
import { readSettings, writeSettings } from './settings.ts';

/**
 * 贷后监测计划 on the laptop (migration 0030): each borrower's next visit, kept in monitoring_schedule
 * from the domain's frequency rule, and the due/overdue list read as a range of its due-day index.
 */

export const MONITORING_SETTINGS_KEY = 'monitoringSchedule';

/** The branch's frequencies on this laptop; a stored value that no longer parses falls back to the defaults. */
export function monitoringSettings(db: Db): MonitoringScheduleSettings {
  const parsed = monitoringScheduleSettingsSchema.safeParse(readSettings(db)[MONITORING_SETTINGS_KEY]);
  return parsed.success ? parsed.data : defaultMonitoringSchedule;
}

/** New frequencies: every borrower's next visit is computed again at the next read. */
export function writeMonitoringSettings(db: Db, settings: MonitoringScheduleSettings, now: Date): void {
  db.transaction(() => {
    writeSettings(db, { [MONITORING_SETTINGS_KEY]: settings }, now);
    prepared(db, 'INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) SELECT enterprise_id FROM monitoring_schedule').run();
  })();
}

interface BorrowerFacts {
  division_code: string | null;
  rating: EnvironmentalRatingLevel | null;
  deleted: number | null;
}

/**
 * Recomputes the borrowers whose loans, cases, visits or file changed since the last read (the
 * triggers of 0030 note them). Runs before each read of the schedule, in one transaction; after a
 * first pull that is every borrower once (one indexed read of each table per borrower).
 */
export function refreshMonitoringSchedule(db: Db): number {
  const dirty = prepared(db, 'SELECT enterprise_id FROM monitoring_schedule_dirty').pluck().all() as string[];
  if (dirty.length === 0) return 0;
  const settings = monitoringSettings(db);
  const enterprise = prepared(db, 'SELECT division_code, environmental_rating AS rating, deleted_at IS NOT NULL AS deleted FROM enterprises WHERE id = ?');
  const loans = prepared(
    db,
    `SELECT classification, min(disbursed_on) AS first FROM loans INDEXED BY loans_by_enterprise
     WHERE enterprise_id = ? AND status = 'outstanding' AND deleted_at IS NULL GROUP BY classification`,
  );
  const openCase = prepared(db, `SELECT 1 FROM rectification_cases INDEXED BY rectification_cases_by_enterprise WHERE enterprise_id = ? AND status <> 'closed' AND deleted_at IS NULL LIMIT 1`).pluck();
  const lastVisit = prepared(db, 'SELECT max(visited_on) FROM monitoring_visits WHERE enterprise_id = ? AND visited_on IS NOT NULL AND deleted_at IS NULL').pluck();
  const remove = prepared(db, 'DELETE FROM monitoring_schedule WHERE enterprise_id = ?');
  const upsert = prepared(
    db,
    `INSERT OR REPLACE INTO monitoring_schedule (enterprise_id, division_code, band, interval_months, worst_class, has_open_case, rating, first_disbursed_on, last_visited_on, next_due_on)
     VALUES (@enterpriseId, @divisionCode, @band, @months, @worstClass, @hasOpenCase, @rating, @firstDisbursedOn, @lastVisitedOn, @nextDueOn)`,
  );
  const clean = prepared(db, 'DELETE FROM monitoring_schedule_dirty WHERE enterprise_id = ?');
  db.transaction(() => {
    for (const enterpriseId of dirty) {
      clean.run(enterpriseId);
      const file = enterprise.get(enterpriseId) as BorrowerFacts | undefined;
      const outstanding = loans.all(enterpriseId) as { classification: LoanClassification; first: string }[];
      const worstClass = worstClassification(outstanding.map((loan) => loan.classification));
      // Not a borrower (no outstanding loan), or no file on this laptop (yet): nothing to visit.
      if (file === undefined || file.deleted === 1 || file.division_code === null || worstClass === null) {
        remove.run(enterpriseId);
        continue;
      }
      const hasOpenCase = openCase.get(enterpriseId) !== undefined;
      const { band, months } = monitoringFrequency({ worstClass, hasOpenCase, rating: file.rating }, settings);
      const firstDisbursedOn = outstanding.reduce((first, loan) => (loan.first < first ? loan.first : first), outstanding[0]!.first);
      const lastVisitedOn = (lastVisit.get(enterpriseId) as string | null) ?? null;
      upsert.run({
        enterpriseId,
        divisionCode: file.division_code,
        band,
        months,
        worstClass,
        hasOpenCase: hasOpenCase ? 1 : 0,
        rating: file.rating,
        firstDisbursedOn,
        lastVisitedOn,
        nextDueOn: nextVisitDue(lastVisitedOn, firstDisbursedOn, months),
      });
    }
  })();
  return dirty.length;
}

export interface ScheduleFilter {
  status?: MonitoringStatus | 'attention';
  divisionCode?: string;
  band?: MonitoringBand;
  enterpriseId?: string;
  /** Next visits due from this day on and up to that one (both included): the calendar's range. */
  dueFrom?: string;
  dueTo?: string;
}

export interface ScheduleRow {
  enterprise_id: string;
  enterprise_name: string;
  division_code: string;
  band: MonitoringBand;
  interval_months: number;
  worst_class: LoanClassification;
  has_open_case: number;
  rating: EnvironmentalRatingLevel | null;
  first_disbursed_on: string;
  last_visited_on: string | null;
  next_due_on: string;
}

function plan(filter: ScheduleFilter, today: string, dueSoonDays: number, withStatus = true) {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (withStatus && filter.status !== undefined) {
    const { from, to } = monitoringStatusRange(filter.status, today, dueSoonDays);
    if (from !== null) {
      clauses.push('s.next_due_on >= @from');
      params.from = from;
    }
    if (to !== null) {
      clauses.push('s.next_due_on <= @to');
      params.to = to;
    }
  }
  if (filter.dueFrom !== undefined) {
    clauses.push('s.next_due_on >= @dueFrom');
    params.dueFrom = filter.dueFrom;
  }
  if (filter.dueTo !== undefined) {
    clauses.push('s.next_due_on <= @dueTo');
    params.dueTo = filter.dueTo;
  }
  for (const [field, column] of [
    ['divisionCode', 's.division_code'],
    ['band', 's.band'],
    ['enterpriseId', 's.enterprise_id'],
  ] as const) {
    if (filter[field] === undefined) continue;
    clauses.push(`${column} = @${field}`);
    params[field] = filter[field];
  }
  // A county's borrowers are a range of their own index; otherwise the due-day index is walked.
  const index = filter.enterpriseId !== undefined ? null : filter.divisionCode !== undefined ? 'monitoring_schedule_by_division' : 'monitoring_schedule_by_due';
  return { where: clauses.length === 0 ? '1' : clauses.join(' AND '), params, source: index === null ? 'monitoring_schedule s' : `monitoring_schedule s INDEXED BY ${index}` };
}

/**
 * A page of the schedule, soonest (most overdue) first: a range of the due-day index, stopped after
 * the page; the names of the page's borrowers only. Counted no further than LIST_COUNT_AHEAD past
 * the page unless exactTotal, as the other registers. Bench: bench/scenarios/cases.ts monitoring.*.
 */
export function listSchedule(db: Db, filter: ScheduleFilter, order: 'asc' | 'desc', offset: number, limit: number, today: string, exactTotal = false) {
  const { dueSoonDays } = monitoringSettings(db);
  const { where, params, source } = plan(filter, today, dueSoonDays);
  const cap = offset + limit + LIST_COUNT_AHEAD;
  const counted = exactTotal
    ? (prepared(db, `SELECT count(*) FROM ${source} WHERE ${where}`).pluck().get(params) as number)
    : (prepared(db, `SELECT count(*) FROM (SELECT 1 FROM ${source} WHERE ${where} LIMIT @cap)`).pluck().get({ ...params, cap: cap + 1 }) as number);
  const totalCapped = !exactTotal && counted > cap;
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  const rows = prepared(
    db,
    `SELECT s.*, coalesce(e.name, '') AS enterprise_name FROM ${source} LEFT JOIN enterprises e ON e.id = s.enterprise_id
     WHERE ${where} ORDER BY s.next_due_on ${direction}, s.enterprise_id ${direction} LIMIT @limit OFFSET @offset`,
  ).all({ ...params, limit, offset }) as ScheduleRow[];
  return { rows, total: totalCapped ? cap : counted, totalCapped, dueSoonDays };
}

/** How many borrowers are overdue, due soon and on schedule for the filter (its status aside): the same plan as the list. */
export function countSchedule(db: Db, filter: ScheduleFilter, today: string): Record<MonitoringStatus | 'total', number> {
  const { dueSoonDays } = monitoringSettings(db);
  const { where, params, source } = plan(filter, today, dueSoonDays, false);
  const overdue = monitoringStatusRange('overdue', today, dueSoonDays).to!;
  const soon = monitoringStatusRange('due', today, dueSoonDays).to!;
  const row = prepared(
    db,
    `SELECT count(*) AS total, coalesce(sum(s.next_due_on <= @overdueTo), 0) AS overdue, coalesce(sum(s.next_due_on > @overdueTo AND s.next_due_on <= @soonTo), 0) AS due FROM ${source} WHERE ${where}`,
  ).get({ ...params, overdueTo: overdue, soonTo: soon }) as { total: number; overdue: number; due: number };
  return { overdue: row.overdue, due: row.due, scheduled: row.total - row.overdue - row.due, total: row.total };
}
