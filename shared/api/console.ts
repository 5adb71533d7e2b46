import { z } from 'zod';
import { collateralAlertKinds } from '../domain/collateralAlerts.ts';
import { statPeriodSchema } from '../domain/greenStatistics.ts';
import { headOfficeRoleSchema } from '../domain/headOfficeRoles.ts';
import { passwordSchema, usernameSchema } from '../domain/roles.ts';
import { environmentalRatingEntrySchema } from '../domain/enterprise.ts';
import { branchSummarySchema, publishReferenceRequestSchema, referenceNameSchema } from '../sync/admin.ts';
import { syncResultSchema } from '../sync/protocol.ts';
import { greenGroupSchema, greenReportSchema, periodBoundsSchema, threeNotLowerSchema } from './stats.ts';

/**
 * The head-office console's JSON API (/console/api, issue 18): one entry per endpoint with its method,
 * path, input and answer. The hub parses every input with these schemas (server/errors.ts parseWith)
 * and the console app (renderer/src/console) parses every answer with them, so both ends are typed
 * from here as the laptop's are from shared/api. Answers keep the hub's envelope
 * (`{ok:true,value}` / `{ok:false,error}`, shared/sync/protocol.ts). A state change needs the
 * session's gl_ho cookie and its CSRF token in `x-csrf-token` (server/headOfficeSession.ts).
 */
export const CONSOLE_API = '/console/api';
/** The header a state change carries the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

const instant = z.string();

export const consoleUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: headOfficeRoleSchema,
  /** An approver's authority in fen (null: none). */
  approvalLimitFen: z.int().nullable(),
  disabled: z.boolean(),
  createdAt: instant,
});
export type ConsoleUser = z.infer<typeof consoleUserSchema>;

export const signInRequestSchema = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) });

export const consoleSessionSchema = z.object({ user: consoleUserSchema, csrfToken: z.string().min(1) });
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

/** The laptop's username and password rules (shared/domain/roles.ts); messages are i18n keys. */
export const createConsoleUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(40),
  role: headOfficeRoleSchema,
  password: passwordSchema,
  approvalLimitFen: z.int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().default(null),
});
export type CreateConsoleUser = z.infer<typeof createConsoleUserSchema>;

export const auditRowSchema = z.object({
  seq: z.int(),
  at: instant,
  user_id: z.string().nullable(),
  user_name: z.string().nullable(),
  action: z.string(),
  record_type: z.string(),
  record_id: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type ConsoleAuditRow = z.infer<typeof auditRowSchema>;

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.int(),
  headSeq: z.int(),
  problems: z.array(z.object({ seq: z.int(), kind: z.string(), message: z.string() })),
});

/** Entries per audit page, newest first. */
export const AUDIT_PAGE_SIZE = 100;
/** A page past the end is an empty page; a page that is not a whole number reads as the first. */
export const auditQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

/** A register the console lists (server/consoleRegisters.ts), by its synced table. */
export const consoleRegisterSchema = z.object({ table: z.string(), title: z.string() });

/** A period (kind + key, statPeriodSchema's rule) and optionally the branches to count (`branch` repeated): all by default. */
export const statisticsQuerySchema = z
  .strictObject({ kind: statPeriodSchema.shape.kind, key: statPeriodSchema.shape.key, branch: z.union([z.uuid(), z.array(z.uuid()).max(5_000)]).optional() })
  .refine(({ kind, key }) => statPeriodSchema.safeParse({ kind, key }).success, { message: 'period key does not match its kind (2026-11, 2026Q3, 2026)', path: ['key'] });

// ---- 统计 page (server/consoleStatistics.ts): the laptop's report schemas (shared/api/stats.ts) without its drill-down filters. ----
const hubGreenGroupSchema = greenGroupSchema.omit({ loansFilter: true });
/** A book's green-credit report as of the period's last day, as the laptop's stats.greenReport counts it. */
export const headOfficeGreenReportSchema = greenReportSchema.omit({ loansFilter: true }).extend({
  byCategory: z.array(hubGreenGroupSchema),
  byFocusGroup: z.array(hubGreenGroupSchema),
  byCounty: z.array(hubGreenGroupSchema),
  byClassification: z.array(hubGreenGroupSchema),
});
/** 三个不低于 and the share change of one book (the bank, a branch, a county), with the four days' figures. */
export const threeNotLowerLineSchema = threeNotLowerSchema.omit({ period: true, lastYear: true, loans: true });
export const headOfficeStatisticsSchema = z.object({
  period: periodBoundsSchema,
  lastYear: periodBoundsSchema,
  bank: z.object({ report: headOfficeGreenReportSchema, threeNotLower: threeNotLowerLineSchema }),
  /** Ranked by green-loan balance at the period's end, then by name. */
  branches: z.array(z.object({ branchId: z.string(), name: z.string(), report: headOfficeGreenReportSchema, threeNotLower: threeNotLowerLineSchema })),
  /** By 区划 code; '' holds loans whose borrower's file is not on record. */
  counties: z.array(z.object({ divisionCode: z.string(), name: z.string(), threeNotLower: threeNotLowerLineSchema })),
});
export type ConsoleStatistics = z.infer<typeof headOfficeStatisticsSchema>;
/** The 统计 page's tables as .xlsx, for statisticsQuerySchema's query (a GET: the cookie alone); the export is audited. */
export const STATISTICS_EXPORT_PATH = `${CONSOLE_API}/statistics.xlsx`;
// ---- end of the 统计 page's block ----
// ——— 参考数据 (renderer/src/console/ReferencePage.tsx, server/consoleReference.ts) ———————————————

/** A reference set's name in a path (shared/sync/admin.ts referenceNameSchema's rule). */
export const referenceParamsSchema = z.strictObject({ name: referenceNameSchema });

/** A set with its version in force (0: not published, the default the laptops ship with). */
export const referenceSetSummarySchema = z.object({
  name: z.string(),
  version: z.int(),
  publishedAt: instant.nullable(),
  publishedBy: z.string().nullable(),
  /** The set's own `source` (the document it comes from, ../shared/reference/README.md), where it names one. */
  source: z.string().nullable(),
  /** Whether its entries each name their own source instead (benefit factors, reference prices). */
  entrySources: z.boolean(),
});
export type ReferenceSetSummary = z.infer<typeof referenceSetSummarySchema>;

const referenceScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const referenceCellSchema = z.union([referenceScalarSchema, z.array(referenceScalarSchema).readonly()]);
const referenceRowSchema = z.record(z.string(), referenceCellSchema);
/** A cell as typed on the page (a list's items joined with 、), as a sheet's cell is read. */
const editedCellSchema = z.union([z.string().max(4_000), z.number(), z.boolean(), z.null()]);
export type ReferenceRow = z.infer<typeof referenceRowSchema>;

/** A set's data as tables (server/referenceTables.ts): the 参数 table (path null: a dotted path and a value per row), then one table per list. */
export const referenceTableSchema = z.object({ path: z.string().nullable(), columns: z.array(z.string()), rows: z.array(referenceRowSchema) });
export type ReferenceTable = z.infer<typeof referenceTableSchema>;

export const referenceTableDiffSchema = z.object({
  path: z.string().nullable(),
  columns: z.array(z.string()),
  keyColumn: z.string().nullable(),
  added: z.array(referenceRowSchema),
  removed: z.array(referenceRowSchema),
  changed: z.array(z.object({ key: z.string(), before: referenceRowSchema, after: referenceRowSchema, changed: z.array(z.string()) })),
  unchanged: z.int(),
});
export type ReferenceTableDiff = z.infer<typeof referenceTableDiffSchema>;

/** Where an upload's problem is: the sheet, its row as Excel numbers it, the column letter, the field's name; the message in Chinese. */
export const referenceProblemSchema = z.object({ sheet: z.string(), row: z.int().nullable(), column: z.string().nullable(), field: z.string().nullable(), message: z.string() });
export type ReferenceProblem = z.infer<typeof referenceProblemSchema>;

/**
 * An .xlsx upload's bytes, base64 (the contract is JSON); at most REFERENCE_UPLOAD_BYTES before
 * encoding, so the request stays within the hub's 2 MiB body limit (bodyLimits.admin). The largest
 * shipped set's workbook (green-catalogue-2021) is about 30 KB.
 */
export const REFERENCE_UPLOAD_BYTES = 1_400 * 1024;
/**
 * What a preview reads: an uploaded .xlsx (the workbook the console downloads, edited), or the set's
 * tables as edited on the page, each cell as typed (a list's items joined with 、).
 */
export const referencePreviewRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('xlsx'),
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z
      .string()
      .min(1)
      .max(Math.ceil(REFERENCE_UPLOAD_BYTES / 3) * 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  }),
  z.strictObject({
    kind: z.literal('tables'),
    tables: z
      .array(z.strictObject({ path: z.string().max(200).nullable(), rows: z.array(z.record(z.string().max(200), editedCellSchema)).max(20_000) }))
      .min(1)
      .max(50),
  }),
]);
export type ReferencePreviewRequest = z.infer<typeof referencePreviewRequestSchema>;

/**
 * A preview: the data as it would be published (its own version field set to the next version),
 * the diff against the version in force, and whether anything changed. Nothing is published: the
 * publish sends `data` back with `baseVersion`, and is refused if another version came meanwhile.
 */
export const referencePreviewSchema = z.object({ baseVersion: z.int(), nextVersion: z.int(), changed: z.boolean(), diff: z.array(referenceTableDiffSchema), data: z.json() });
export type ReferencePreview = z.infer<typeof referencePreviewSchema>;

export const referenceAppliedSchema = z.object({ branchId: z.string(), branchName: z.string(), deviceId: z.string(), deviceName: z.string(), version: z.int(), lastSyncAt: instant.nullable() });

/** The .xlsx of a set's version in force (a GET: the cookie alone); `:name` as in the endpoints. */
export const REFERENCE_WORKBOOK_PATH = `${CONSOLE_API}/reference/:name/workbook.xlsx`;

const none = z.strictObject({});

interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /** The JSON body (POST) or the query string (GET). */
  input: z.ZodType;
  output: z.ZodType;
}

// ---------------------------------------------------------------------------------------------
// Cross-branch registers (the 登记簿 pages: /console/registers/:table and /console/enterprises),
// served by server/consoleRegisterApi.ts, shown by renderer/src/console/RegisterPage.tsx.

/** Rows per register page (the app fetches pages of this size as the list scrolls). */
export const REGISTER_PAGE_SIZE = 100;
/** Rows an export holds at most (a register filtered to more says so; narrow it by branch). */
export const REGISTER_EXPORT_LIMIT = 50_000;
/** What the collateral register's alert filter offers besides one kind: any alert at all. */
export const ANY_ALERT = 'any';
export const alertFilterValues: readonly string[] = [ANY_ALERT, ...collateralAlertKinds];

/**
 * A register's query string: the search (trimmed, at most 60 characters), a branch's id, a county's
 * 区划代码, a state of the register's own, an alert kind (collateral) and the page. A repeated
 * parameter (`?q=a&q=b` arrives as an array), a page that is not a whole number or a value that is
 * not one of the offered reads as none, never as a refusal or a server error: an old link still opens.
 */
export const registerQuerySchema = z.object({
  q: z
    .string()
    .catch('')
    .default('')
    .transform((q) => q.trim().slice(0, 60)),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  branch: z.uuid().catch('').default(''),
  state: z.string().max(20).catch('').default(''),
  county: z
    .string()
    .regex(/^\d{6}$/)
    .catch('')
    .default(''),
  alert: z
    .string()
    .refine((value) => alertFilterValues.includes(value))
    .catch('')
    .default(''),
});
export type RegisterQuery = z.infer<typeof registerQuerySchema>;

/** A column of a register: `key` names its words in the app (registers.col.<key>); `label` is the hub's, for a table without its own words. */
export const registerColumnSchema = z.object({ key: z.string(), label: z.string(), tags: z.boolean() });

/** A collateral item's alert: its kind (the tag) and its figures in the hub's words (the tag's tip, as in the export). */
export const registerAlertSchema = z.object({ kind: z.enum(collateralAlertKinds), text: z.string() });

export const registerRowSchema = z.object({
  branchId: z.string(),
  branchName: z.string(),
  rowId: z.string(),
  /** The record's page (/console/records/…). */
  href: z.string(),
  /** One text per column, in the columns' order: the same words the export writes. */
  cells: z.array(z.string()),
  alerts: z.array(registerAlertSchema),
});
export type ConsoleRegisterRow = z.infer<typeof registerRowSchema>;

export const registerPageSchema = z.object({
  table: z.string(),
  title: z.string(),
  columns: z.array(registerColumnSchema),
  /** The register's own state filter (e.g. 未销号 / 已逾期), empty when it has none. */
  states: z.array(z.object({ value: z.string(), label: z.string() })),
  /** The register's rows carry their collateral alerts and it filters by an alert kind. */
  alerts: z.boolean(),
  rows: z.array(registerRowSchema),
  /** Rows matching; with `totalCapped` only a lower bound (the alert filter stops counting at a cap). */
  total: z.int(),
  totalCapped: z.boolean(),
  /** The Asia/Shanghai day the page (overdue days, alerts) is for. */
  today: z.string(),
});
export type ConsoleRegisterPage = z.infer<typeof registerPageSchema>;

export const enterpriseRowSchema = z.object({
  branchId: z.string(),
  branchName: z.string(),
  rowId: z.string(),
  href: z.string(),
  name: z.string().nullable(),
  uscc: z.string().nullable(),
  industryCode: z.string().nullable(),
  divisionCode: z.string().nullable(),
  environmentalRating: z.string().nullable(),
  /** 淘汰落后产能 with its exit deadline (null: not flagged). */
  outdatedCapacityDeadline: z.string().nullable(),
  outdatedCapacity: z.boolean(),
  negativeList: z.boolean(),
  greenList: z.boolean(),
  miitRecommended: z.boolean(),
  greenFactoryLevel: z.enum(['national', 'provincial']).nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ConsoleEnterpriseRow = z.infer<typeof enterpriseRowSchema>;

export const registerEndpoints = {
  /** The branch and county selects of every register: the branches, and the counties the branches are in (区划代码 and place). */
  'registers.filters': {
    method: 'GET',
    path: `${CONSOLE_API}/register-filters`,
    input: none,
    output: z.object({
      branches: z.array(z.object({ id: z.string(), name: z.string(), divisionCode: z.string() })),
      counties: z.array(z.object({ code: z.string(), place: z.string().nullable() })),
    }),
  },
  /** One page of a cross-branch register (`:table`, a synced table), newest change first. */
  'registers.page': { method: 'GET', path: `${CONSOLE_API}/registers/:table`, input: registerQuerySchema, output: registerPageSchema },
  /** One page of the enterprise files across branches (state and alert do not apply). */
  'enterprises.page': {
    method: 'GET',
    path: `${CONSOLE_API}/enterprises`,
    input: registerQuerySchema,
    output: z.object({ rows: z.array(enterpriseRowSchema), total: z.int() }),
  },
} as const satisfies Record<string, Endpoint>;

/** A register's matches as .xlsx (a GET: the cookie alone, with the page's query string); the export is audited. */
export const REGISTER_EXPORT_PATH = `${CONSOLE_API}/registers/:table/export.xlsx`;
export const registerExportPath = (table: string) => REGISTER_EXPORT_PATH.replace(':table', encodeURIComponent(table));

// ---- 记录与历史 (a record's page, server/consoleRecords.ts) and 审批队列 (server/consoleApprovals.ts) ----

/** The console's address of a synced record's page (the registers link to it; the app routes it). */
export const consoleRecordPath = (table: string, branchId: string, rowId: string) => `/console/records/${encodeURIComponent(table)}/${branchId}/${rowId}`;

/** A field of a synced row as the hub holds it (a JSON value; the page words it, amounts in 元). */
const fieldValueSchema = z.object({ field: z.string(), value: z.unknown() });

export const recordChangeSchema = z.object({
  receivedAt: instant,
  at: instant,
  /** 'device', 'head-office' or 'resolution'. */
  actor: z.string(),
  deviceName: z.string().nullable(),
  /** The person's display name in the branch's directory, else their id. */
  person: z.string(),
  op: z.string(),
  /** The fields the change set, its own stamps (created_/updated_ at/by) left out. */
  fields: z.array(fieldValueSchema),
  /** What head office did with it: applied, conflict, rejected… and why. */
  status: z.string(),
  reason: z.string().nullable(),
});
export type ConsoleRecordChange = z.infer<typeof recordChangeSchema>;

export const recordRatingSchema = z.object({ id: z.string(), level: z.string(), bureau: z.string(), ratedOn: z.string(), by: z.string() });
export type ConsoleRecordRating = z.infer<typeof recordRatingSchema>;

export const consoleRecordSchema = z.object({
  table: z.string(),
  /** The register's title for the table. */
  title: z.string(),
  branchId: z.uuid(),
  branchName: z.string(),
  rowId: z.uuid(),
  deleted: z.boolean(),
  version: z.int(),
  updatedAt: instant,
  /** The register's own columns for the row, worded as the register words them. */
  summary: z.array(z.object({ label: z.string(), value: z.string() })),
  /** Every field of the row, by name. */
  fields: z.array(fieldValueSchema),
  /** Head office's changes of the row within the dedupe window, oldest first, at most historyLimit. */
  history: z.array(recordChangeSchema),
  historyLimit: z.int(),
  /** An enterprise file's rating records, newest rating day first; null for any other table. */
  ratings: z.array(recordRatingSchema).nullable(),
});
export type ConsoleRecord = z.infer<typeof consoleRecordSchema>;

/** A 总行审批人 records the bureau's rating of a branch's file (the laptop's rating rules). */
export const addRatingRequestSchema = environmentalRatingEntrySchema;

/** An application in the approval queue (or its page), its terms as the branch's laptop holds them. */
export const escalatedApplicationSchema = z.object({
  branchId: z.uuid(),
  branchName: z.string(),
  rowId: z.uuid(),
  /** The row's version, which a decision names (a change since is refused as stale). */
  version: z.int(),
  enterpriseName: z.string().nullable(),
  uscc: z.string().nullable(),
  product: z.string().nullable(),
  amountFen: z.int(),
  termMonths: z.int().nullable(),
  rateBp: z.int().nullable(),
  guaranteeMode: z.string().nullable(),
  purpose: z.string().nullable(),
  greenProject: z.boolean(),
  /** 工信部门推荐 or a green factory: 优先. */
  priority: z.boolean(),
  status: z.string(),
  investigator: z.string().nullable(),
  decider: z.string().nullable(),
  /** When it entered its current step: for an escalated one, when it was escalated. */
  stepEnteredAt: instant.nullable(),
});
export type EscalatedApplicationView = z.infer<typeof escalatedApplicationSchema>;

export const applicationStepSchema = z.object({
  step: z.string(),
  action: z.string(),
  /** The branch's name for who acted; null for head office's own step (its person is not in the branch's directory). */
  actor: z.string().nullable(),
  opinion: z.string(),
  actedAt: instant.nullable(),
});

export const escalatedApplicationDetailSchema = z.object({ application: escalatedApplicationSchema, steps: z.array(applicationStepSchema) });
export type EscalatedApplicationDetail = z.infer<typeof escalatedApplicationDetailSchema>;

export const APPROVALS_PAGE_SIZE = 100;
export const approvalsQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

/** A decision on an escalated application, on the version the person read. */
export const decideApplicationRequestSchema = z.strictObject({
  action: z.enum(['approve', 'reject']),
  opinion: z.string().trim().min(2).max(2000),
  version: z.int().positive(),
});
export type DecideApplication = z.infer<typeof decideApplicationRequestSchema>;

const recordsAndApprovals = {
  /** A record's page: `:table/:branchId/:rowId` as consoleRecordPath names it; NOT_FOUND when the branch holds no such row. */
  'records.get': { method: 'GET', path: `${CONSOLE_API}/records/:table/:branchId/:rowId`, input: none, output: consoleRecordSchema },
  /** A 总行审批人's rating of an enterprise file, written through the hub's apply path; the record's page after it. */
  'records.addRating': { method: 'POST', path: `${CONSOLE_API}/records/enterprises/:branchId/:rowId/ratings`, input: addRatingRequestSchema, output: consoleRecordSchema },
  /** 审批队列: applications escalated to head office (上报上级行), every branch, newest change first. */
  'approvals.list': {
    method: 'GET',
    path: `${CONSOLE_API}/approvals`,
    input: approvalsQuerySchema,
    output: z.object({ rows: z.array(escalatedApplicationSchema), total: z.int(), page: z.int() }),
  },
  /** A credit application's page (escalated or since decided): its terms and workflow. */
  'approvals.get': { method: 'GET', path: `${CONSOLE_API}/approvals/:branchId/:rowId`, input: none, output: escalatedApplicationDetailSchema },
  /** A 总行审批人's decision within their limit; the application's page after it. */
  'approvals.decide': { method: 'POST', path: `${CONSOLE_API}/approvals/:branchId/:rowId`, input: decideApplicationRequestSchema, output: escalatedApplicationDetailSchema },
} as const satisfies Record<string, Endpoint>;

export const consoleEndpoints = {
  ...registerEndpoints,
  /** Signs in (no session yet: the Origin is checked); starts the gl_ho cookie. */
  'session.signIn': { method: 'POST', path: `${CONSOLE_API}/session`, input: signInRequestSchema, output: consoleSessionSchema },
  /** Who is signed in, and the session's CSRF token; UNAUTHENTICATED when no one. */
  'session.get': { method: 'GET', path: `${CONSOLE_API}/session`, input: none, output: consoleSessionSchema },
  'session.signOut': { method: 'POST', path: `${CONSOLE_API}/session/logout`, input: none, output: z.object({ signedOut: z.literal(true) }) },
  /** 支行与设备: every branch with its devices, last sync, audit anchors and open conflicts. */
  'branches.list': { method: 'GET', path: `${CONSOLE_API}/branches`, input: none, output: z.object({ branches: z.array(branchSummarySchema) }) },
  /** The cross-branch registers the console lists (each one's page: registers.page). */
  'registers.list': { method: 'GET', path: `${CONSOLE_API}/registers`, input: none, output: z.object({ registers: z.array(consoleRegisterSchema) }) },
  'users.list': { method: 'GET', path: `${CONSOLE_API}/users`, input: none, output: z.object({ users: z.array(consoleUserSchema) }) },
  'users.create': { method: 'POST', path: `${CONSOLE_API}/users`, input: createConsoleUserSchema, output: consoleUserSchema },
  'audit.page': {
    method: 'GET',
    path: `${CONSOLE_API}/audit`,
    input: auditQuerySchema,
    output: z.object({ rows: z.array(auditRowSchema), total: z.int(), page: z.int(), verification: auditVerificationSchema }),
  },
  // ——— 参考数据 (renderer/src/console/ReferencePage.tsx, server/consoleReference.ts) ———
  /** Every reference set with its version in force, who published it and when. */
  'reference.list': { method: 'GET', path: `${CONSOLE_API}/reference`, input: none, output: z.object({ sets: z.array(referenceSetSummarySchema) }) },
  /** A set's version in force as tables, its publications (newest first) and the version each branch's laptops applied. */
  'reference.get': {
    method: 'GET',
    path: `${CONSOLE_API}/reference/:name`,
    input: none,
    output: z.object({
      set: referenceSetSummarySchema,
      tables: z.array(referenceTableSchema),
      history: z.array(z.object({ version: z.int(), publishedAt: instant.nullable(), publishedBy: z.string() })),
      applied: z.array(referenceAppliedSchema),
    }),
  },
  /** An uploaded .xlsx or edited tables, checked with the set's schema and diffed against the version in force; publishes nothing (a 总行审批人's). */
  'reference.preview': { method: 'POST', path: `${CONSOLE_API}/reference/:name/preview`, input: referencePreviewRequestSchema, output: referencePreviewSchema },
  /**
   * Publishes a reference set (`:name` in the path) as its next version; a 总行审批人's. With
   * `baseVersion` (the console's preview) it is refused (CONFLICT) when that is no longer the version
   * in force, and a known set's own version field becomes the version it is published as.
   */
  'reference.publish': {
    method: 'POST',
    path: `${CONSOLE_API}/reference/:name`,
    input: publishReferenceRequestSchema.extend({ baseVersion: z.int().nonnegative().optional(), via: z.enum(['xlsx', 'edit']).optional() }),
    output: z.object({ name: z.string(), version: z.int(), publishedAt: instant }),
  },
  /** 统计 (server/consoleStatistics.ts, renderer/src/console/StatisticsPage.tsx): cross-branch statistics of an ended period (server/statistics.ts). */
  'statistics.get': { method: 'GET', path: `${CONSOLE_API}/statistics`, input: statisticsQuerySchema, output: headOfficeStatisticsSchema },
  ...recordsAndApprovals,
} as const satisfies Record<string, Endpoint>;

export type ConsoleEndpointName = keyof typeof consoleEndpoints;
export type ConsoleInput<N extends ConsoleEndpointName> = z.input<(typeof consoleEndpoints)[N]['input']>;
export type ConsoleOutput<N extends ConsoleEndpointName> = z.infer<(typeof consoleEndpoints)[N]['output']>;

/** An endpoint's answer, envelope and value, as the client parses it. */
export const consoleResultSchema = <N extends ConsoleEndpointName>(name: N) => syncResultSchema(consoleEndpoints[name].output);

/** The whole audit trail as .xlsx with a sheet of its verification (a GET: the cookie alone); the export is audited. */
export const AUDIT_EXPORT_PATH = `${CONSOLE_API}/audit.xlsx`;
