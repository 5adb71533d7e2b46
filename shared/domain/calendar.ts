import { z } from 'zod';

/**
 * Calendar dates (deadlines, rating dates, validity) are local dates `YYYY-MM-DD` in
 * Asia/Shanghai, never timestamps: an exit deadline is a day, not an instant, and must not move
 * when a laptop's clock zone does. zod checks the calendar (no 2025-02-29); the range check
 * catches typed years such as 0202 or 2202, which the calendar alone would accept.
 */
export const localDateSchema = z.iso
  .date()
  .refine((date) => date >= '1900-01-01' && date <= '2100-12-31', { params: { reason: 'dateRange' } });

/** A calendar or reporting year. */
export const yearSchema = z.int().min(1900).max(2100);

/** The local date (Asia/Shanghai, UTC+8 all year) of an instant: "today" for deadlines and the credit gate. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
