import type { MonitoringScheduleRow } from '../../../shared/api/rectification.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { defaultMonitoringSchedule, monitoringStatus } from '../../../shared/domain/monitoringSchedule.ts';
import { appendAudit } from '../../../db/audit.ts';
import { countSchedule, listSchedule, monitoringSettings, refreshMonitoringSchedule, writeMonitoringSettings, type ScheduleRow } from '../../../db/monitoring.ts';
import type { Db } from '../../../db/open.ts';
import { signedInUser, type Handler } from '../context.ts';

/**
 * 贷后监测计划 (issue 16): every borrower's next monitoring visit by the branch's frequencies
 * (shared/domain/monitoringSchedule.ts), the due/overdue list and its counts, and the settings.
 * Each read first recomputes the borrowers whose facts changed (db/monitoring.ts).
 */

export function scheduleRowOf(row: ScheduleRow, today: string, dueSoonDays: number): MonitoringScheduleRow {
  return {
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    divisionCode: row.division_code,
    band: row.band,
    intervalMonths: row.interval_months,
    worstClass: row.worst_class,
    hasOpenCase: row.has_open_case === 1,
    rating: row.rating,
    firstDisbursedOn: row.first_disbursed_on,
    lastVisitedOn: row.last_visited_on,
    nextDueOn: row.next_due_on,
    status: monitoringStatus(row.next_due_on, today, dueSoonDays),
  };
}

/** One enterprise's place in the schedule (its 整改 tab), null when it has no outstanding loan. */
export function scheduleOf(db: Db, enterpriseId: string, today: string): MonitoringScheduleRow | null {
  refreshMonitoringSchedule(db);
  const { rows, dueSoonDays } = listSchedule(db, { enterpriseId }, 'asc', 0, 1, today, true);
  return rows[0] === undefined ? null : scheduleRowOf(rows[0], today, dueSoonDays);
}

export const monitoringSchedule: Handler<'monitoring.schedule'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  const today = shanghaiDate(ctx.now());
  refreshMonitoringSchedule(db);
  const page = listSchedule(db, input.filter, input.sort.order, input.offset, input.limit, today, input.exactTotal);
  return { rows: page.rows.map((row) => scheduleRowOf(row, today, page.dueSoonDays)), total: page.total, totalCapped: page.totalCapped };
};

export const monitoringScheduleCounts: Handler<'monitoring.scheduleCounts'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  refreshMonitoringSchedule(db);
  return countSchedule(db, input.filter, shanghaiDate(ctx.now()));
};

const settingsView = (db: Db) => {
  const settings = monitoringSettings(db);
  return { settings, isDefault: JSON.stringify(settings) === JSON.stringify(defaultMonitoringSchedule) };
};

export const monitoringSettingsGet: Handler<'monitoring.settings'> = (ctx) => settingsView(ctx.store.db);

/** Audited like the security settings: who changed how often borrowers are visited matters afterwards. */
export const monitoringUpdateSettings: Handler<'monitoring.updateSettings'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  const before = monitoringSettings(db);
  db.transaction(() => {
    writeMonitoringSettings(db, input.settings, now);
    appendAudit(db, { at: now.toISOString(), userId: user.id, userName: user.displayName, action: 'update', recordType: 'settings', recordId: 'monitoringSchedule', before, after: input.settings });
  })();
  return settingsView(db);
};
