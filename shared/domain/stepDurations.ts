import { z } from 'zod';
import { localDateSchema } from './calendar.ts';

/**
 * How long each workflow step took (or, for the open step, has waited so far), in working days,
 * against target durations — so a priority application (seed 000 四(四): 优先受理调查、优先安排信贷
 * 计划、优先审批放款) that sits too long becomes visible. Working time is weekday time in
 * Asia/Shanghai; head office's reference data can name public holidays and the Saturdays or Sundays
 * worked in exchange (调休), which the State Council publishes each year.
 *
 * Targets are reference data (name `credit-step-targets`); the default below is GreenLedger's choice,
 * not a regulation (README "Credit applications").
 */

export const workflowSteps = ['investigation', 'review', 'approval', 'escalated'] as const;
export type WorkflowStep = (typeof workflowSteps)[number];

const workingDays = z.number().positive().max(365);
const stepTarget = z.strictObject({ standard: workingDays, priority: workingDays });

export const stepTargetsSchema = z
  .strictObject({
    version: z.int().positive(),
    source: z.string().trim().min(1).max(200),
    targets: z.strictObject({ investigation: stepTarget, review: stepTarget, approval: stepTarget, escalated: stepTarget }),
    /** Weekdays that are not worked (国庆, 春节 …). */
    holidays: z.array(localDateSchema).max(400).default([]),
    /** Weekend days that are worked (调休). */
    workedWeekendDays: z.array(localDateSchema).max(100).default([]),
  })
  .superRefine((table, ctx) => {
    for (const step of workflowSteps) {
      const target = table.targets[step];
      if (target.priority > target.standard) ctx.addIssue({ code: 'custom', path: ['targets', step], input: target, message: 'a priority target cannot be longer than the standard one' });
    }
  });

export type StepTargets = z.infer<typeof stepTargetsSchema>;

/**
 * Investigation 5 working days (a site visit and the report), review 3, approval 3, head office 5;
 * priority applications 3 / 2 / 1 / 3 — about half, the working meaning of 优先.
 */
export const defaultStepTargets: StepTargets = {
  version: 1,
  source: 'GreenLedger 默认值（非监管规定，待总行发布）',
  targets: {
    investigation: { standard: 5, priority: 3 },
    review: { standard: 3, priority: 2 },
    approval: { standard: 3, priority: 1 },
    escalated: { standard: 5, priority: 3 },
  },
  holidays: [],
  workedWeekendDays: [],
};

const DAY_MS = 86_400_000;
/** China Standard Time has no daylight saving: a fixed +8 h. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export interface WorkingCalendar {
  holidays: readonly string[];
  workedWeekendDays: readonly string[];
}

/** The Shanghai local date of an instant-based day index. */
const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

function isWorkingDay(day: number, calendar: WorkingCalendar): boolean {
  const date = dateOfDay(day);
  if (calendar.workedWeekendDays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Milliseconds of working days between two instants (0 when end is not after start). */
export function workingMsBetween(startIso: string, endIso: string, calendar: WorkingCalendar = defaultStepTargets): number {
  const start = Date.parse(startIso) + SHANGHAI_OFFSET_MS;
  const end = Date.parse(endIso) + SHANGHAI_OFFSET_MS;
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`not instants: ${startIso}, ${endIso}`);
  let total = 0;
  for (let day = Math.floor(start / DAY_MS); day * DAY_MS < end; day += 1) {
    if (!isWorkingDay(day, calendar)) continue;
    total += Math.min(end, (day + 1) * DAY_MS) - Math.max(start, day * DAY_MS);
  }
  return Math.max(0, total);
}

export interface StepTiming {
  step: WorkflowStep;
  /** Working days the step took (left) or has waited so far (open), two decimals. */
  workingDays: number;
  targetWorkingDays: number;
  overdue: boolean;
  open: boolean;
}

export function stepTiming(
  step: WorkflowStep,
  span: { enteredAt: string; leftAt: string | null },
  now: string,
  priority: boolean,
  targets: StepTargets = defaultStepTargets,
): StepTiming {
  const ms = workingMsBetween(span.enteredAt, span.leftAt ?? now, targets);
  const target = targets.targets[step][priority ? 'priority' : 'standard'];
  return { step, workingDays: Math.round((ms / DAY_MS) * 100) / 100, targetWorkingDays: target, overdue: ms > target * DAY_MS, open: span.leftAt === null };
}
