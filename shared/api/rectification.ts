import { z } from 'zod';
import { localDateSchema } from '../domain/calendar.ts';
import { caseCategories, caseMeasures, caseSources, caseStatuses, daysBetween } from '../domain/rectification.ts';
import { divisionCodeSchema } from '../domain/enterprise.ts';
import { pagedListInput, pagedListOutput } from './paging.ts';
import { displayText } from './text.ts';
import { attachmentListItemSchema } from './enterprises.ts';
import { monitoringBands, monitoringScheduleSettingsSchema, monitoringStatuses } from '../domain/monitoringSchedule.ts';
import { loanClassifications } from '../domain/loan.ts';
import { environmentalRatingLevels } from '../domain/environmentalRating.ts';

/**
 * Host API methods of rectification tracking (整改跟踪, DOMAIN §4, issue 16); merged into
 * contract.ts. A case's 变更记录 is records.history of record type 'rectification_cases'.
 */
const id = z.string().min(1).max(64);
const isoInstant = z.string().datetime({ offset: true });
const fen = z.number().int().min(0).max(1e15);

/** 压缩退出's plan: the outstanding balance at most targetFen by each date, dates ascending. */
export const exposurePlanSchema = z
  .array(z.object({ date: localDateSchema, targetFen: fen }).strict())
  .max(24)
  .refine((steps) => steps.every((step, i) => i === 0 || steps[i - 1]!.date < step.date), { params: { reason: 'planDatesAscending' } });

/** What an officer records when opening a case (and may correct until it is submitted). */
export const caseFactsSchema = z
  .object({
    enterpriseId: id,
    category: z.enum(caseCategories),
    source: z.enum(caseSources),
    /** 行政处罚决定书's number (文号), or the report's / inspection's reference. */
    sourceReference: displayText.trim().max(100).nullable(),
    sourceAuthority: displayText.trim().max(100).nullable(),
    sourceDate: localDateSchema.nullable(),
    foundOn: localDateSchema,
    description: displayText.trim().min(1).max(2000),
    requiredActions: displayText.trim().min(1).max(2000),
    deadline: localDateSchema,
    measure: z.enum(caseMeasures),
    exposurePlan: exposurePlanSchema,
    /** The responsible officer (责任客户经理): a person of the branch. */
    officerId: id,
    monitoringVisitId: id.nullable().default(null),
  })
  .strict()
  .refine((facts) => facts.source !== 'penalty_decision' || (facts.sourceReference !== null && facts.sourceAuthority !== null && facts.sourceDate !== null), {
    path: ['sourceReference'],
    params: { reason: 'penaltyDecisionDetails' },
  })
  .refine((facts) => facts.deadline >= facts.foundOn, { path: ['deadline'], params: { reason: 'deadlineBeforeFound' } });
export type CaseFacts = z.infer<typeof caseFactsSchema>;

export const caseListFilterSchema = z
  .object({
    category: z.enum(caseCategories).optional(),
    measure: z.enum(caseMeasures).optional(),
    status: z.enum(caseStatuses).optional(),
    /** Open and past the deadline (on Asia/Shanghai's today). */
    overdue: z.boolean().optional(),
    officerId: id.optional(),
    /** The enterprise's county (区县) code. */
    divisionCode: divisionCodeSchema.optional(),
    enterpriseId: id.optional(),
  })
  .strict();
export type CaseListFilter = z.infer<typeof caseListFilterSchema>;

export const caseSortFields = ['deadline', 'foundOn'] as const;
export const caseSortSchema = z.object({ field: z.enum(caseSortFields), order: z.enum(['asc', 'desc']) }).strict();
export type CaseSort = z.infer<typeof caseSortSchema>;

export const caseSummarySchema = z.object({
  id,
  version: z.number().int(),
  caseNumber: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  category: z.enum(caseCategories),
  source: z.enum(caseSources),
  foundOn: z.string(),
  deadline: z.string(),
  measure: z.enum(caseMeasures),
  status: z.enum(caseStatuses),
  overdue: z.boolean(),
  officerId: z.string(),
  officerName: z.string().nullable(),
  updatedAt: isoInstant,
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const followUpInputSchema = z
  .object({
    followedOn: localDateSchema,
    kind: z.enum(['visit', 'note']),
    note: displayText.trim().min(1).max(2000),
    progressPercent: z.number().int().min(0).max(100),
    nextFollowUpOn: localDateSchema.nullable(),
  })
  .strict();

export const followUpSchema = followUpInputSchema.extend({
  id,
  caseId: id,
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  createdAt: isoInstant,
});

/** A 督促整改函 recorded as sent: its number, day, sender and the PDF exactly as it was sent. */
export const caseLetterSchema = z.object({
  id,
  sequence: z.number().int(),
  letterNumber: z.string(),
  sentOn: z.string(),
  sentBy: z.string(),
  sentByName: z.string().nullable(),
  /** The stored PDF (attachments.link / attachments.get open it); null until a synced file arrives. */
  attachment: attachmentListItemSchema.nullable(),
});
export type CaseLetter = z.infer<typeof caseLetterSchema>;

export const caseActionNames = ['start', 'submit', 'return', 'verify', 'escalate'] as const;

export const caseDetailSchema = caseSummarySchema.extend({
  sourceReference: z.string().nullable(),
  sourceAuthority: z.string().nullable(),
  sourceDate: z.string().nullable(),
  description: z.string(),
  requiredActions: z.string(),
  exposurePlan: z.array(z.object({ date: z.string(), targetFen: z.number().int() })),
  verifierId: z.string().nullable(),
  verifierName: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  verificationNote: z.string().nullable(),
  letterSentOn: z.string().nullable(),
  monitoringVisitId: z.string().nullable(),
  /** The day of the monitoring visit whose finding opened the case (the link back to it). */
  monitoringVisitedOn: z.string().nullable(),
  followUps: z.array(followUpSchema),
  /** The letters recorded as sent, the first first. */
  letters: z.array(caseLetterSchema),
  /** What the next letter would be numbered (cases.letterPreview prints it); null once the case is closed. */
  nextLetterNumber: z.string().nullable(),
  /** Attachments on the case and on its follow-ups: the evidence a close is verified against. */
  evidenceCount: z.number().int(),
  /** What the signed-in user may do now (the host refuses the rest anyway). */
  allowedActions: z.array(z.enum(caseActionNames)),
  /** The measure the escalation rules call for now, if stronger than the case's. */
  escalationDue: z.enum(caseMeasures).nullable(),
  today: z.string(),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const caseCountsSchema = z.object(Object.fromEntries(caseStatuses.map((status) => [status, z.number().int()])) as Record<(typeof caseStatuses)[number], z.ZodNumber>).extend({
  overdue: z.number().int(),
  total: z.number().int(),
});
export type CaseCounts = z.infer<typeof caseCountsSchema>;

/** 贷后监测: one visit to a borrower, what was seen under each of seed 000's headings, and a finding if any. */
const visitNote = displayText.trim().max(2000).nullable();
export const monitoringVisitInputSchema = z
  .object({
    enterpriseId: id,
    /** The day the schedule asked for the visit; visitedOn the day it was made (null: not yet). */
    dueOn: localDateSchema,
    visitedOn: localDateSchema.nullable(),
    /** 生产经营 */
    production: visitNote,
    /** 财务状况 */
    finance: visitNote,
    /** 节能环保 */
    energyEnvironment: visitNote,
    /** 绿色创新 */
    greenInnovation: visitNote,
    /** A finding worth a case: its category and what was found, both or neither. */
    findingCategory: z.enum(caseCategories).nullable(),
    finding: visitNote,
  })
  .strict()
  .refine((visit) => (visit.findingCategory === null) === (visit.finding === null || visit.finding === ''), { path: ['finding'], params: { reason: 'findingNeedsCategory' } })
  .refine((visit) => visit.finding === null || visit.visitedOn !== null, { path: ['visitedOn'], params: { reason: 'findingNeedsVisit' } });
export type MonitoringVisitInput = z.infer<typeof monitoringVisitInputSchema>;

export const monitoringVisitSchema = z.object({
  id,
  version: z.number().int(),
  enterpriseId: z.string(),
  dueOn: z.string(),
  visitedOn: z.string().nullable(),
  officerId: z.string(),
  officerName: z.string().nullable(),
  production: z.string().nullable(),
  finance: z.string().nullable(),
  energyEnvironment: z.string().nullable(),
  greenInnovation: z.string().nullable(),
  findingCategory: z.enum(caseCategories).nullable(),
  finding: z.string().nullable(),
  /** Not visited and past its day (Asia/Shanghai). */
  overdue: z.boolean(),
  /** The case the finding opened, if one did. */
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
});
export type MonitoringVisit = z.infer<typeof monitoringVisitSchema>;

/**
 * 压缩退出's exposure (shared/domain/exposure.ts): the enterprise's balance over time from its loans'
 * snapshots, the case's plan, and each plan step against the balance on its day.
 */
export const caseExposureSchema = z.object({
  caseId: z.string(),
  measure: z.enum(caseMeasures),
  plan: z.array(z.object({ date: z.string(), targetFen: z.number().int() })),
  /** One point per day a loan of the enterprise has a snapshot (or was repaid), ascending. */
  actual: z.array(z.object({ date: z.string(), balanceFen: z.number().int() })),
  comparison: z.array(
    z.object({
      date: z.string(),
      targetFen: z.number().int(),
      actualFen: z.number().int().nullable(),
      actualAsOf: z.string().nullable(),
      gapFen: z.number().int().nullable(),
      standing: z.enum(['ahead', 'on_target', 'behind', 'not_due', 'no_data']),
    }),
  ),
  /** The enterprise's live loans the balance is summed over. */
  loans: z.number().int(),
  today: z.string(),
});
export type CaseExposure = z.infer<typeof caseExposureSchema>;
/** 贷后监测计划: a borrower's next visit, the rule that set its frequency, and where it stands today. */

export const monitoringScheduleRowSchema = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  divisionCode: z.string(),
  band: z.enum(monitoringBands),
  intervalMonths: z.number().int(),
  worstClass: z.enum(loanClassifications),
  hasOpenCase: z.boolean(),
  rating: z.enum(environmentalRatingLevels).nullable(),
  /** The base when never visited: the first disbursement of its outstanding loans. */
  firstDisbursedOn: z.string(),
  lastVisitedOn: z.string().nullable(),
  nextDueOn: z.string(),
  status: z.enum(monitoringStatuses),
});
export type MonitoringScheduleRow = z.infer<typeof monitoringScheduleRowSchema>;

export const monitoringScheduleFilterSchema = z
  .object({
    /** attention: due or overdue (what an officer has to do). */
    status: z.enum([...monitoringStatuses, 'attention']).optional(),
    divisionCode: divisionCodeSchema.optional(),
    band: z.enum(monitoringBands).optional(),
  })
  .strict();
export type MonitoringScheduleFilter = z.infer<typeof monitoringScheduleFilterSchema>;
export const monitoringScheduleSortSchema = z.object({ field: z.enum(['nextDueOn']), order: z.enum(['asc', 'desc']) }).strict();
export type MonitoringScheduleSort = z.infer<typeof monitoringScheduleSortSchema>;

export const monitoringScheduleCountsSchema = z.object({ overdue: z.number().int(), due: z.number().int(), scheduled: z.number().int(), total: z.number().int() });
export type MonitoringScheduleCounts = z.infer<typeof monitoringScheduleCountsSchema>;

/**
 * 整改日历: what falls due on each day of a range. A case's deadline, the next follow-up day its latest
 * follow-up set, its 压缩退出 plan's target days (open cases), a borrower's next monitoring visit by the
 * schedule (monitoring_due) and a visit recorded ahead and not yet made (monitoring_visit).
 */
export const calendarEntryKinds = ['deadline', 'follow_up', 'plan_target', 'monitoring_due', 'monitoring_visit'] as const;
export type CalendarEntryKind = (typeof calendarEntryKinds)[number];

/** A quarter at most: a month view asks for its six weeks; more would page the whole register through one answer. */
export const CALENDAR_MAX_DAYS = 93;
/** At most this many entries, the earliest first; `truncated` says more fell in the range. */
export const CALENDAR_LIMIT = 2_000;

export const calendarInputSchema = z
  .object({
    /** Asia/Shanghai calendar days, both included. */
    from: localDateSchema,
    to: localDateSchema,
    /**
     * The case list's filters, choosing cases: their deadlines, follow-ups and plan days. Monitoring is
     * a borrower's, not a case's: it follows the county, the enterprise and the overdue box, and is left
     * out when the filter names a case's category, measure, status or officer.
     */
    filter: caseListFilterSchema.default({}),
    /** Which kinds of entry; all when absent. */
    kinds: z.array(z.enum(calendarEntryKinds)).min(1).optional(),
  })
  .strict()
  .refine((input) => input.from <= input.to, { path: ['to'], params: { reason: 'calendarRangeReversed' } })
  .refine((input) => input.from > input.to || daysBetween(input.from, input.to) < CALENDAR_MAX_DAYS, { path: ['to'], params: { reason: 'calendarRangeTooLong', maxDays: CALENDAR_MAX_DAYS } });
export type CalendarInput = z.infer<typeof calendarInputSchema>;

export const calendarEntrySchema = z.object({
  kind: z.enum(calendarEntryKinds),
  date: z.string(),
  /** The entry's own record: the case, the follow-up, the case (plan), the enterprise (schedule) or the visit. */
  recordId: z.string(),
  /** The case a case entry belongs to (its page is the link); null for monitoring. */
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  /**
   * Its day passed with the thing not done: an open case past its deadline, an open case's follow-up
   * day passed with none since, a visit not made. A plan day is never marked (whether it was met is the
   * case's chart).
   */
  overdue: z.boolean(),
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

export const rectificationMethods = {
  /** Filtered, sorted and paged in SQL; the total is counted at most LIST_COUNT_AHEAD past the page unless exactTotal (totalCapped: at least `total`). */
  'cases.list': {
    access: 'records.read',
    input: pagedListInput(caseListFilterSchema, caseSortSchema, { field: 'deadline', order: 'asc' }),
    output: pagedListOutput(caseSummarySchema).required({ totalCapped: true }),
  },
  /** Per status (and overdue) for the same filter as the list, the status filter aside: the tabs over the list. */
  'cases.counts': { access: 'records.read', input: z.object({ filter: caseListFilterSchema.default({}) }).strict(), output: caseCountsSchema },
  'cases.get': { access: 'records.read', input: z.object({ id }).strict(), output: caseDetailSchema },
  /** A case opened under 压缩退出 carries its exposure-reduction plan (one escalated to it gets one by cases.update). */
  'cases.create': {
    access: 'case.write',
    input: z
      .object({ facts: caseFactsSchema })
      .strict()
      .refine((input) => input.facts.measure !== 'reduce_exit' || input.facts.exposurePlan.length > 0, { path: ['facts', 'exposurePlan'], params: { reason: 'planRequired' } }),
    output: caseDetailSchema,
  },
  /** Corrects the facts while the case is open or in progress (not the measure: that is escalation's). */
  'cases.update': { access: 'case.write', input: z.object({ id, version: z.number().int(), facts: caseFactsSchema }).strict(), output: caseDetailSchema },
  'cases.act': {
    access: 'case.write',
    input: z
      .object({
        id,
        version: z.number().int(),
        action: z.enum(caseActionNames),
        /** escalate: to which stronger measure. */
        measure: z.enum(caseMeasures).optional(),
        /** verify / return / escalate: the credit manager's opinion. */
        note: displayText.trim().max(2000).optional(),
      })
      .strict(),
    output: caseDetailSchema,
  },
  /** 整改日历: entries by day over a range of at most CALENDAR_MAX_DAYS, for the same filters as the list; the earliest CALENDAR_LIMIT. */
  'cases.calendar': {
    access: 'records.read',
    input: calendarInputSchema,
    output: z.object({ entries: z.array(calendarEntrySchema), truncated: z.boolean(), today: z.string() }),
  },
  /** Planned vs actual balance of the case's enterprise (the 压缩退出 chart on the case page). */
  'cases.exposure': { access: 'records.read', input: z.object({ id }).strict(), output: caseExposureSchema },
  'cases.addFollowUp': { access: 'case.write', input: z.object({ caseId: id, followUp: followUpInputSchema }).strict(), output: caseDetailSchema },
  /**
   * Step 1 of a 督促整改函: the letter as it would be sent today, numbered with the next number, as a
   * PDF to look at. Nothing is recorded (the same facts printed by cases.recordLetter are what is sent).
   */
  'cases.letterPreview': {
    access: 'case.write',
    input: z.object({ caseId: id }).strict(),
    output: z.object({ letterNumber: z.string(), issuedOn: z.string(), fileName: z.string(), contentBase64: z.string() }),
  },
  /**
   * Step 2: records the letter as sent today by the signed-in person — printed again from the case at
   * the version previewed (a case changed since is refused as STALE), numbered, its PDF kept as the
   * letter's attachment, audited and synced.
   */
  'cases.recordLetter': { access: 'case.write', input: z.object({ caseId: id, version: z.number().int() }).strict(), output: caseDetailSchema },
  /** An enterprise's monitoring visits, the next due first, each with the case its finding opened. */
  'monitoring.list': {
    access: 'records.read',
    input: z.object({ enterpriseId: id }).strict(),
    /** schedule: the enterprise's next visit by the 贷后监测计划, null when it has no outstanding loan. */
    output: z.object({ rows: z.array(monitoringVisitSchema), schedule: monitoringScheduleRowSchema.nullable() }),
  },
  /** 贷后监测计划: the borrowers by their next visit, most overdue first — a range of the due-day index, paged. */
  'monitoring.schedule': {
    access: 'records.read',
    input: pagedListInput(monitoringScheduleFilterSchema, monitoringScheduleSortSchema, { field: 'nextDueOn', order: 'asc' }),
    output: pagedListOutput(monitoringScheduleRowSchema).required({ totalCapped: true }),
  },
  /** Overdue, due soon and on schedule for the same filter as the list (its status aside). */
  'monitoring.scheduleCounts': { access: 'records.read', input: z.object({ filter: monitoringScheduleFilterSchema.default({}) }).strict(), output: monitoringScheduleCountsSchema },
  /** The visit frequencies in force on this laptop (defaults until changed) and whether they are the defaults. */
  'monitoring.settings': { access: 'records.read', input: z.object({}).strict(), output: z.object({ settings: monitoringScheduleSettingsSchema, isDefault: z.boolean() }) },
  /** Changes the frequencies (a credit manager's or the branch head's); audited; every borrower's next visit follows. */
  'monitoring.updateSettings': {
    access: 'monitoring.configure',
    input: z.object({ settings: monitoringScheduleSettingsSchema }).strict(),
    output: z.object({ settings: monitoringScheduleSettingsSchema, isDefault: z.boolean() }),
  },
  /** Records a visit (the signed-in person its officer). A finding then opens a case in one step: cases.create naming the visit. */
  'monitoring.record': { access: 'case.write', input: z.object({ visit: monitoringVisitInputSchema }).strict(), output: monitoringVisitSchema },
} as const;
