import { z } from 'zod';
import { passwordSchema, roleSchema, usernameSchema, type Permission } from '../domain/roles.ts';
import { enterpriseMethods } from './enterprises.ts';
import { creditMethods } from './credit.ts';
import { enrollmentSchema, operationsMethods } from './operations.ts';
import { divisionCodeSchema } from '../domain/enterprise.ts';
import { wellFormedJson } from './text.ts';
import { localDateSchema } from '../domain/calendar.ts';
import { auditEntrySchema } from './audit.ts';
import { loanMethods } from './loans.ts';
import { greenMethods } from './green.ts';
import { greenFactoryMethods } from './greenFactory.ts';
import { recommendationMethods } from './recommendations.ts';
import { collateralMethods } from './collateral.ts';
import { viewMethods } from './views.ts';
import { rectificationMethods } from './rectification.ts';
import { workbenchMethods } from './workbench.ts';
import { statsMethods } from './stats.ts';

export { auditEntrySchema };

/**
 * The host API: one zod input/output pair per method, and who may call it. Handlers, the preload
 * bridge and the HTTP client are all typed from this table; every transport parses inputs with it
 * and the host enforces `access` before a handler runs.
 *   public  — callable before login (first run, login, language)
 *   session — any signed-in, unlocked user
 *   a Permission — a signed-in user whose role holds it (shared/domain/roles.ts)
 */
export type Access = 'public' | 'session' | Permission;

export interface ContractEntry {
  access: Access;
  input: z.ZodType;
  output: z.ZodType;
  /** Largest serialized input, in bytes, when a method needs more than MAX_INPUT_BYTES (file uploads). */
  maxInputBytes?: number;
  /**
   * Callable by a signed-in user who must still change their password (a new account, a reset):
   * what the change screen needs. Every other non-public method answers PASSWORD_CHANGE_REQUIRED.
   */
  beforePasswordChange?: true;
  /**
   * Called by the app on its own (polling), not by a person: the host does not count it as activity,
   * so the idle lock still falls while it runs.
   */
  background?: true;
}

export const localeSchema = z.enum(['zh-CN', 'en']);
const isoInstant = z.string().datetime({ offset: true });
const id = z.string().min(1).max(64);

export const appInfoSchema = z.object({
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  mode: z.enum(['desktop', 'browser']),
  dataDir: z.string(),
  databaseFile: z.string(),
  encrypted: z.boolean(),
  cipher: z.string(),
});

export const settingsSchema = z.object({
  locale: localeSchema,
  idleLockMinutes: z.number().int().min(1).max(240),
  backupKeep: z.number().int().min(1).max(365),
});

export const branchSchema = z.object({
  id,
  name: z.string().trim().min(2).max(60),
  code: z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/),
  divisionCode: divisionCodeSchema,
});

export const userSchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  version: z.number().int(),
});

export const sessionStateSchema = z.object({
  user: userSchema.nullable(),
  locked: z.boolean(),
  idleLockMinutes: z.number().int(),
  branch: branchSchema.nullable(),
});

export const auditFilterSchema = z
  .object({
    userId: id.optional(),
    recordType: z.string().max(64).optional(),
    recordId: id.optional(),
    // A real calendar day: 2026-13-45 matched the old digits-only pattern and broke the handler's date arithmetic (500).
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
  })
  .strict();

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  problems: z.array(z.object({ seq: z.number().int(), kind: z.string(), message: z.string() })),
  /** The last audit head head office acknowledged: rows up to it cannot be rewritten unnoticed. */
  anchor: z.object({ seq: z.number().int(), hash: z.string(), at: z.string() }).nullable(),
});

const displayName = z.string().trim().min(1).max(40);
const empty = z.object({}).strict();
const done = z.object({ done: z.literal(true) });

export const contract = {
  'app.info': { access: 'public', input: empty, output: appInfoSchema },
  'settings.get': { access: 'public', input: empty, output: settingsSchema },
  'settings.update': { access: 'public', input: z.object({ locale: localeSchema }).strict(), output: settingsSchema },
  'settings.updateSecurity': {
    access: 'users.manage',
    input: settingsSchema.pick({ idleLockMinutes: true, backupKeep: true }).partial().strict(),
    output: settingsSchema,
  },

  'setup.status': { access: 'public', input: empty, output: z.object({ initialized: z.boolean(), branch: branchSchema.nullable() }) },
  'setup.initialize': {
    access: 'public',
    input: z
      .object({
        branch: branchSchema.omit({ id: true }).strict(),
        admin: z.object({ username: usernameSchema, displayName, password: passwordSchema }).strict(),
      })
      .strict(),
    output: sessionStateSchema,
  },
  /**
   * First run on a laptop of a branch that exists (「加入已有支行」): enrolls with head office, takes
   * the branch identity from it, creates the local administrator and signs them in; the branch's
   * people and files follow with the first sync.
   */
  'setup.join': {
    access: 'public',
    input: enrollmentSchema.extend({ admin: z.object({ username: usernameSchema, displayName, password: passwordSchema }).strict() }).strict(),
    output: sessionStateSchema,
  },

  'session.get': { access: 'public', input: empty, output: sessionStateSchema },
  'session.login': {
    access: 'public',
    input: z.object({ username: z.string().trim().min(1).max(32), password: z.string().min(1).max(128) }).strict(),
    output: sessionStateSchema,
  },
  'session.logout': { access: 'public', input: empty, output: sessionStateSchema },
  'session.unlock': { access: 'public', input: z.object({ password: z.string().min(1).max(128) }).strict(), output: sessionStateSchema },
  /** Sent by the renderer while the user is active, so an open form keeps the session alive. */
  'session.heartbeat': { access: 'session', input: empty, output: done, beforePasswordChange: true },

  'users.list': { access: 'users.manage', input: empty, output: z.array(userSchema) },
  'users.create': {
    access: 'users.manage',
    input: z.object({ username: usernameSchema, displayName, role: roleSchema, password: passwordSchema }).strict(),
    output: userSchema,
  },
  'users.update': {
    access: 'users.manage',
    input: z
      .object({ id, version: z.number().int(), displayName: displayName.optional(), role: roleSchema.optional(), disabled: z.boolean().optional() })
      .strict(),
    output: userSchema,
  },
  'users.resetPassword': {
    access: 'users.manage',
    input: z.object({ id, newPassword: passwordSchema }).strict(),
    output: userSchema,
  },
  'users.changeOwnPassword': {
    access: 'session',
    beforePasswordChange: true,
    input: z.object({ currentPassword: z.string().min(1).max(128), newPassword: passwordSchema }).strict(),
    output: userSchema,
  },

  'audit.list': {
    access: 'audit.read',
    input: auditFilterSchema.extend({ page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.object({ rows: z.array(auditEntrySchema), total: z.number().int() }),
  },
  'audit.export': {
    access: 'audit.read',
    input: auditFilterSchema,
    output: z.object({ fileName: z.string(), contentBase64: z.string(), rows: z.number().int() }),
  },
  'audit.verify': { access: 'audit.read', input: empty, output: auditVerificationSchema },
  'records.history': {
    access: 'records.read',
    input: z.object({ recordType: z.string().max(64), recordId: id }).strict(),
    output: z.array(auditEntrySchema),
  },
  ...enterpriseMethods,
  ...creditMethods,
  ...loanMethods,
  ...greenMethods,
  ...greenFactoryMethods,
  ...recommendationMethods,
  ...collateralMethods,
  ...viewMethods,
  ...rectificationMethods,
  ...workbenchMethods,
  ...statsMethods,
  ...operationsMethods,
} as const satisfies Record<string, ContractEntry>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type AppInfo = z.infer<typeof appInfoSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type Locale = z.infer<typeof localeSchema>;
export type User = z.infer<typeof userSchema>;
export type Branch = z.infer<typeof branchSchema>;
export type SessionState = z.infer<typeof sessionStateSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/**
 * How every transport's input is parsed: first every string anywhere in it must be well-formed
 * (shared/api/text.ts), then the method's own schema. One function, so no method can skip either.
 */
export function parseMethodInput<M extends MethodName>(method: M, rawInput: unknown): z.ZodSafeParseResult<ParsedInput<M>> {
  const text = wellFormedJson.safeParse(rawInput);
  if (!text.success) return text as z.ZodSafeParseResult<never>;
  return contract[method].input.safeParse(rawInput) as z.ZodSafeParseResult<ParsedInput<M>>;
}
