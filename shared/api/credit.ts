import { z } from 'zod';
import { plainText } from './text.ts';
import { pagedListInput, pagedListOutput } from './paging.ts';
import { attachmentListItemSchema } from './enterprises.ts';
import { creditProducts, creditTermsSchema, purposeKinds } from '../domain/creditApplication.ts';
import { gateReasonCodes } from '../domain/creditGate.ts';
import { creditActions, creditStatuses } from '../domain/creditWorkflow.ts';
import { approvingRoles } from '../domain/approvalAuthority.ts';
import { workflowSteps } from '../domain/stepDurations.ts';

/** Host API methods of credit applications (授信申请, DOMAIN §3, issue 13); merged into contract.ts. */
const id = z.string().min(1).max(64);
const isoInstant = z.string().datetime({ offset: true });

export const creditListFilterSchema = z
  .object({
    /** Enterprise name fragment, pinyin initials or USCC prefix, as the enterprise list. */
    query: z.string().trim().max(60).optional(),
    /** A status, or every undecided one ('open') / every decided one ('decided'). */
    status: z.enum([...creditStatuses, 'open', 'decided']).optional(),
    priority: z.boolean().optional(),
    /** 待我处理: the applications whose current step the signed-in user can act on. */
    waitingForMe: z.boolean().optional(),
    enterpriseId: id.optional(),
    product: z.enum(creditProducts).optional(),
  })
  .strict();

export const creditSortSchema = z
  .object({ field: z.enum(['createdAt', 'updatedAt', 'amountFen', 'stepEnteredAt', 'enterpriseName']), order: z.enum(['asc', 'desc']) })
  .strict();

export const gateReasonSchema = z.object({
  code: z.enum(gateReasonCodes),
  effect: z.enum(['allow', 'needs_override', 'deny', 'warning']),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  subject: z.string().optional(),
});

export const gateResultSchema = z.object({
  verdict: z.enum(['allow', 'needs_override', 'deny']),
  reasons: z.array(gateReasonSchema),
  warnings: z.array(gateReasonSchema),
  /** The local date the rules were applied on (the exit deadline is compared with it). */
  today: z.string(),
});

export const stepTimingSchema = z.object({
  step: z.enum(workflowSteps),
  /** Working days taken (a finished step) or waited so far (the open one). */
  workingDays: z.number(),
  targetWorkingDays: z.number(),
  overdue: z.boolean(),
  open: z.boolean(),
});

const person = { id: z.string(), name: z.string().nullable() };

export const creditSummarySchema = z.object({
  id,
  version: z.number().int(),
  enterpriseId: id,
  enterpriseName: z.string(),
  enterpriseUscc: z.string(),
  product: z.enum(creditProducts),
  amountFen: z.number().int(),
  termMonths: z.number().int(),
  rateBp: z.number().int(),
  status: z.enum(creditStatuses),
  approvalLevel: z.enum(approvingRoles),
  /** 优先: the enterprise is recommended by the industry department or holds a green-factory title. */
  priority: z.boolean(),
  greenProject: z.boolean(),
  investigator: z.object(person),
  /** When the current step began (the decision, once decided). */
  stepEnteredAt: isoInstant,
  /** The open step's wait against its target; null once decided. */
  waiting: stepTimingSchema.nullable(),
  waitingForMe: z.boolean(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

export const creditStepSchema = z.object({
  id,
  step: z.enum(workflowSteps),
  action: z.enum(creditActions),
  actor: z.object(person),
  /** 调查/审查/审批意见, or the reason of a rejection or a return. */
  opinion: z.string(),
  /** Attachments of the application this opinion names (the investigation report …). */
  attachmentIds: z.array(id),
  /** When the step began and when this action ended it. */
  enteredAt: isoInstant,
  actedAt: isoInstant,
  timing: stepTimingSchema,
  /** Where the action sent the application (approval/branch_head for an escalation …). */
  toStatus: z.enum(creditStatuses),
  toApprovalLevel: z.enum(approvingRoles),
});

export const gateOverrideSchema = z.object({
  by: z.object(person),
  reason: z.string(),
  at: isoInstant,
  /** The gate reasons it covers; a new one needs a new override. */
  codes: z.array(z.string()),
});

export const creditDetailSchema = creditSummarySchema.extend({
  terms: creditTermsSchema,
  reviewer: z.object(person).nullable(),
  decider: z.object(person).nullable(),
  decidedAt: isoInstant.nullable(),
  notes: z.string().nullable(),
  /** The gate as it stands today over the enterprise file, and whether the recorded override lets it through. */
  gate: gateResultSchema,
  gatePasses: z.boolean(),
  override: gateOverrideSchema.nullable(),
  steps: z.array(creditStepSchema),
  attachments: z.array(attachmentListItemSchema),
  /**
   * What the signed-in user may do now (the UI shows these buttons and hides the rest; the host
   * refuses the others anyway). 'override' when the gate needs one and the user may give it.
   */
  allowedActions: z.array(z.enum([...creditActions, 'override', 'edit'])),
  /** For an approver at the approval step: their limit for this application and, above it, where it goes. */
  authority: z
    .object({ limitFen: z.number().int(), covers: z.boolean(), escalateTo: z.enum([...approvingRoles, 'head_office']).nullable() })
    .nullable(),
  createdBy: z.object(person),
});

const opinion = plainText.trim().min(2).max(2000);

export const creditMethods = {
  'credit.list': {
    access: 'records.read',
    input: pagedListInput(creditListFilterSchema, creditSortSchema, { field: 'updatedAt', order: 'desc' }),
    output: pagedListOutput(creditSummarySchema),
  },
  'credit.get': { access: 'records.read', input: z.object({ id }).strict(), output: creditDetailSchema },
  /**
   * The gate for an enterprise and a purpose, before anything is typed: the screen shows the verdict
   * and its reasons first. Writes nothing.
   */
  'credit.gate': {
    access: 'records.read',
    input: z.object({ enterpriseId: id, purposeKind: z.enum(purposeKinds) }).strict(),
    output: gateResultSchema,
  },
  /** Opens an application at 调查, the signed-in user its investigator. Refused when the gate denies. */
  'credit.create': {
    access: 'credit.write',
    input: z.object({ terms: creditTermsSchema, notes: plainText.trim().max(2000).nullable().default(null) }).strict(),
    output: creditDetailSchema,
  },
  /** Edits the terms while the investigation is open, by its investigator. */
  'credit.update': {
    access: 'credit.write',
    input: z.object({ id, version: z.number().int(), terms: creditTermsSchema, notes: plainText.trim().max(2000).nullable().default(null) }).strict(),
    output: creditDetailSchema,
  },
  /**
   * One workflow action with its opinion: submit (调查完成), pass (审查通过), return (退回补充),
   * reject (否决, the opinion is the reason), approve, escalate (to the branch head, or 上报上级行
   * when above the branch's authority — the host picks by the approval authority table).
   * `attachmentIds` name attachments already added to the application (attachments.add with
   * ownerType credit_applications). The host refuses illegal transitions, four-eyes breaches,
   * approvals above the approver's limit (naming it) and a gate that does not pass.
   */
  'credit.act': {
    access: 'credit.act',
    input: z
      .object({ id, version: z.number().int(), action: z.enum(creditActions), opinion, attachmentIds: z.array(id).max(20).default([]) })
      .strict(),
    output: creditDetailSchema,
  },
  /** A credit manager lets a needs_override verdict through, with the reason; audited and synced. */
  'credit.override': {
    access: 'credit.override',
    input: z.object({ id, version: z.number().int(), reason: plainText.trim().min(4).max(500) }).strict(),
    output: creditDetailSchema,
  },
} as const;

export type CreditSummary = z.infer<typeof creditSummarySchema>;
export type CreditDetail = z.infer<typeof creditDetailSchema>;
export type CreditStep = z.infer<typeof creditStepSchema>;
export type CreditListFilter = z.infer<typeof creditListFilterSchema>;
export type CreditSort = z.infer<typeof creditSortSchema>;
export type GateResultOutput = z.infer<typeof gateResultSchema>;
export type StepTimingOutput = z.infer<typeof stepTimingSchema>;
