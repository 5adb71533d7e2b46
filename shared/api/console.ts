import { z } from 'zod';
import { statPeriodSchema } from '../domain/greenStatistics.ts';
import { headOfficeRoleSchema } from '../domain/headOfficeRoles.ts';
import { passwordSchema, usernameSchema } from '../domain/roles.ts';
import { branchSummarySchema, publishReferenceRequestSchema } from '../sync/admin.ts';
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

const none = z.strictObject({});

interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /** The JSON body (POST) or the query string (GET). */
  input: z.ZodType;
  output: z.ZodType;
}

export const consoleEndpoints = {
  /** Signs in (no session yet: the Origin is checked); starts the gl_ho cookie. */
  'session.signIn': { method: 'POST', path: `${CONSOLE_API}/session`, input: signInRequestSchema, output: consoleSessionSchema },
  /** Who is signed in, and the session's CSRF token; UNAUTHENTICATED when no one. */
  'session.get': { method: 'GET', path: `${CONSOLE_API}/session`, input: none, output: consoleSessionSchema },
  'session.signOut': { method: 'POST', path: `${CONSOLE_API}/session/logout`, input: none, output: z.object({ signedOut: z.literal(true) }) },
  /** 支行与设备: every branch with its devices, last sync, audit anchors and open conflicts. */
  'branches.list': { method: 'GET', path: `${CONSOLE_API}/branches`, input: none, output: z.object({ branches: z.array(branchSummarySchema) }) },
  /** The cross-branch registers the console lists (their pages are still the hub's HTML). */
  'registers.list': { method: 'GET', path: `${CONSOLE_API}/registers`, input: none, output: z.object({ registers: z.array(consoleRegisterSchema) }) },
  'users.list': { method: 'GET', path: `${CONSOLE_API}/users`, input: none, output: z.object({ users: z.array(consoleUserSchema) }) },
  'users.create': { method: 'POST', path: `${CONSOLE_API}/users`, input: createConsoleUserSchema, output: consoleUserSchema },
  'audit.page': {
    method: 'GET',
    path: `${CONSOLE_API}/audit`,
    input: auditQuerySchema,
    output: z.object({ rows: z.array(auditRowSchema), total: z.int(), page: z.int(), verification: auditVerificationSchema }),
  },
  /** Publishes a reference set (`:name` in the path) as its next version; a 总行审批人's. */
  'reference.publish': {
    method: 'POST',
    path: `${CONSOLE_API}/reference/:name`,
    input: publishReferenceRequestSchema,
    output: z.object({ name: z.string(), version: z.int(), publishedAt: instant }),
  },
  /** 统计 (server/consoleStatistics.ts, renderer/src/console/StatisticsPage.tsx): cross-branch statistics of an ended period (server/statistics.ts). */
  'statistics.get': { method: 'GET', path: `${CONSOLE_API}/statistics`, input: statisticsQuerySchema, output: headOfficeStatisticsSchema },
} as const satisfies Record<string, Endpoint>;

export type ConsoleEndpointName = keyof typeof consoleEndpoints;
export type ConsoleInput<N extends ConsoleEndpointName> = z.input<(typeof consoleEndpoints)[N]['input']>;
export type ConsoleOutput<N extends ConsoleEndpointName> = z.infer<(typeof consoleEndpoints)[N]['output']>;

/** An endpoint's answer, envelope and value, as the client parses it. */
export const consoleResultSchema = <N extends ConsoleEndpointName>(name: N) => syncResultSchema(consoleEndpoints[name].output);

/** The whole audit trail as .xlsx with a sheet of its verification (a GET: the cookie alone); the export is audited. */
export const AUDIT_EXPORT_PATH = `${CONSOLE_API}/audit.xlsx`;
