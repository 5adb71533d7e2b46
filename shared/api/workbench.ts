import { z } from 'zod';

/**
 * 工作台 (issue 17): what the signed-in person must do today, computed by the host in one call
 * (electron/host/handlers/workbench.ts) with indexed queries. Every item names the record it is
 * about and the page that opens it, so the home screen is one click from the work.
 */
const id = z.string().min(1).max(64);

/**
 * The kinds of work, in the order the home screen shows them:
 * - credit_decision: a credit application whose current step this user may take (待我处理: their
 *   investigation, a review by a credit manager who did not investigate it, an approval at their level);
 * - collateral_approval: a submitted collateral item someone else entered (credit managers);
 * - green_confirmation: a green tag with a code and evidence, prepared by someone else, awaiting a
 *   credit manager's confirmation;
 * - case_verification: a rectification case submitted for verification whose officer is someone else (credit managers);
 * - case_follow_up: a case of theirs whose next follow-up falls within the horizon (or never had one);
 * - monitoring_visit: a post-loan monitoring visit of theirs, not made, due within the horizon;
 * - collateral_alert: an alert on a collateral item of one of their enterprises (expiry, coverage …);
 * - case_overdue: an open case past its deadline, of theirs or on one of their enterprises;
 * - sync_conflict: a conflict head office recorded for this laptop, to be decided on 同步.
 */
export const workbenchItemKinds = [
  'credit_decision',
  'collateral_approval',
  'green_confirmation',
  'case_verification',
  'case_follow_up',
  'monitoring_visit',
  'collateral_alert',
  'case_overdue',
  'sync_conflict',
] as const;
export type WorkbenchItemKind = (typeof workbenchItemKinds)[number];

/** Which page an item opens: a record's own page (and tab), or the 同步 section. */
export const workbenchTargets = ['credit', 'collateral', 'loan', 'case', 'enterprise', 'sync'] as const;

export const workbenchItemSchema = z.object({
  kind: z.enum(workbenchItemKinds),
  /** The record the item is about (an application, an item, a tag, a case, a visit, a conflict). */
  recordId: id,
  opens: z.object({ target: z.enum(workbenchTargets), id: z.string().nullable(), tab: z.string().nullable() }),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  /** The record as people name it: application product, certificate number, loan number, case number, table. */
  label: z.string(),
  /** What the item waits on: a credit status, a collateral alert kind, a tag's owner type, a case category. */
  detail: z.string().nullable(),
  /** The day it is due (deadline, follow-up, visit, step entered), when it has one. */
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
});
export type WorkbenchItem = z.infer<typeof workbenchItemSchema>;

/** Steps a new branch goes through before the app is in daily use; each done or not, from the data. */
export const checklistSteps = ['reference_data', 'users', 'first_sync', 'enterprises', 'loans'] as const;
export type ChecklistStep = (typeof checklistSteps)[number];

export const workbenchSchema = z.object({
  today: z.string(),
  /** Follow-ups and visits due up to today + this many days are listed. */
  horizonDays: z.number().int(),
  /** At most WORKBENCH_ITEMS_PER_KIND of each kind, the most pressing first. */
  items: z.array(workbenchItemSchema),
  /** How many of each kind there are in all (the list holds the first ones). */
  counts: z.object(Object.fromEntries(workbenchItemKinds.map((kind) => [kind, z.number().int()])) as Record<WorkbenchItemKind, z.ZodNumber>),
  /** The first-run checklist while any step is not done; null once every step is. */
  checklist: z.array(z.object({ step: z.enum(checklistSteps), done: z.boolean() })).nullable(),
});
export type Workbench = z.infer<typeof workbenchSchema>;

export const WORKBENCH_ITEMS_PER_KIND = 50;
export const WORKBENCH_HORIZON_DAYS = 7;

export const workbenchMethods = {
  /** The signed-in person's work for today (reviews, approvals, follow-ups, alerts, conflicts, first-run steps). */
  'workbench.today': { access: 'records.read', input: z.object({}).strict(), output: workbenchSchema },
} as const;
