import type { TFunction } from 'i18next';

/**
 * A step's working time as people say it. The domain counts working days as whole weekdays
 * (shared/domain/stepDurations.ts: a weekday is 24 working hours, a weekend none), so a step that
 * took a morning reads 「3 小时」 rather than 「0.13 个工作日」, and one that took days reads in days.
 */
export function formatWorkingDuration(workingDays: number, t: TFunction): string {
  const hours = workingDays * 24;
  if (hours < 1) return t('credit.timing.lessThanHour');
  if (workingDays < 1) return t('credit.timing.hours', { count: Math.round(hours) });
  return t('credit.timing.days', { count: Math.round(workingDays * 10) / 10 });
}
