import type { TFunction } from 'i18next';
import type { Dayjs } from 'dayjs';
import { shanghaiDate } from '../../../../shared/domain/calendar.ts';
import { quarterOf } from '../../../../shared/domain/greenFactory.ts';

/** The quarter today falls in, in Beijing: where the list opens and a new need is filed. */
export const currentQuarter = (): string => quarterOf(shanghaiDate(new Date()));

/** 2026Q4 as the reader says it: 2026 年第 4 季度 / 2026 Q4. */
export const quarterWords = (quarter: string, t: TFunction): string => t('greenFactory.quarterValue', { year: quarter.slice(0, 4), quarter: quarter.slice(5) });

/** The quarter picker's day ↔ 2026Q4. */
export const quarterOfDay = (day: Dayjs): string => quarterOf(day.format('YYYY-MM-DD'));
export const firstDayOf = (quarter: string): string => `${quarter.slice(0, 4)}-${String((Number(quarter.slice(5)) - 1) * 3 + 1).padStart(2, '0')}-01`;
