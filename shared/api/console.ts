import { z } from 'zod';
import { statPeriodSchema } from '../domain/greenStatistics.ts';
import { headOfficeRoleSchema } from '../domain/headOfficeRoles.ts';
import { passwordSchema, usernameSchema } from '../domain/roles.ts';
import { branchSummarySchema, publishReferenceRequestSchema } from '../sync/admin.ts';
import { syncResultSchema } from '../sync/protocol.ts';

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
  /**
   * Cross-branch statistics of an ended period (server/statistics.ts). The answer is typed by the
   * statistics page when it is ported to the app; until then it passes as the hub sends it.
   */
  'statistics.get': { method: 'GET', path: `${CONSOLE_API}/statistics`, input: statisticsQuerySchema, output: z.unknown() },
} as const satisfies Record<string, Endpoint>;

export type ConsoleEndpointName = keyof typeof consoleEndpoints;
export type ConsoleInput<N extends ConsoleEndpointName> = z.input<(typeof consoleEndpoints)[N]['input']>;
export type ConsoleOutput<N extends ConsoleEndpointName> = z.infer<(typeof consoleEndpoints)[N]['output']>;

/** An endpoint's answer, envelope and value, as the client parses it. */
export const consoleResultSchema = <N extends ConsoleEndpointName>(name: N) => syncResultSchema(consoleEndpoints[name].output);

/** The whole audit trail as .xlsx with a sheet of its verification (a GET: the cookie alone); the export is audited. */
export const AUDIT_EXPORT_PATH = `${CONSOLE_API}/audit.xlsx`;
