import {
  contract,
  fail,
  ok,
  parseMethodInput,
  type ContractEntry,
  type FieldIssue,
  type MethodName,
  type Result,
} from '../../shared/api/index.ts';
import { StoreError } from '../../db/errors.ts';
import { RecordError } from '../../db/records.ts';
import { can } from '../../shared/domain/roles.ts';
import { HostFailure, type CallContext, type Handlers, type HostContext } from './context.ts';
import { sessionState } from './handlers/identity.ts';
import type { Session } from './auth/sessions.ts';

/** Calls slower than this are logged with their method name (they are the regressions to chase). */
export const SLOW_CALL_MS = 40;

export type Dispatch = (method: string, rawInput: unknown, call: CallContext) => Promise<Result<unknown>>;

const isMethod = (method: string): method is MethodName => Object.hasOwn(contract, method);

export function toFieldIssues(issues: readonly { path: PropertyKey[]; code: string; message: string; params?: Record<string, unknown> }[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    code: issue.code,
    message: issue.message,
    ...(issue.params !== undefined && { params: issue.params }),
  }));
}

/**
 * The transport-free entry point: both the IPC relay and the HTTP host call this, so validation,
 * error mapping and logging are identical whichever way a call arrives. It never throws.
 */
export function createDispatch(ctx: HostContext, handlers: Handlers): Dispatch {
  return async (method, rawInput, call) => {
    if (!isMethod(method)) return fail('UNKNOWN_METHOD', `Unknown method: ${method.slice(0, 100)}`);
    const started = performance.now();
    try {
      // Who may call comes before what they sent: a locked or signed-out session learns nothing
      // about the input schema (423/401, not a 400 with schema details).
      const entry: ContractEntry = contract[method];
      const access = entry.access;
      let resolved = call;
      let session: Session | undefined;
      if (access !== 'public') {
        const state = sessionState(ctx, call);
        if (state.user === null) return fail('UNAUTHENTICATED', 'Not signed in');
        if (state.locked) return fail('SESSION_LOCKED', 'The session is locked after inactivity; unlock with your password');
        if (state.user.mustChangePassword && entry.beforePasswordChange !== true) {
          return fail('PASSWORD_CHANGE_REQUIRED', 'Change the initial password before anything else');
        }
        if (access !== 'session' && !can(state.user.role, access)) return fail('FORBIDDEN', `Role ${state.user.role} may not call ${method}`);
        session = ctx.sessions.get(call.sessionId);
        resolved = { ...call, user: state.user };
      }
      const parsed = parseMethodInput(method, rawInput);
      if (!parsed.success) {
        return fail('VALIDATION', `Invalid input for ${method}`, { issues: toFieldIssues(parsed.error.issues) });
      }
      // Only a person's calls keep the session awake; polling must not hold off the idle lock.
      if (session !== undefined && entry.background !== true) ctx.sessions.touch(session, ctx.now());
      const handler = handlers[method] as (c: HostContext, k: CallContext, i: unknown) => unknown;
      const value = await handler(ctx, resolved, parsed.data);
      return ok(value);
    } catch (error) {
      if (error instanceof HostFailure) return fail(error.code, error.message, error.details);
      if (error instanceof StoreError) return fail(error.code, error.message);
      if (error instanceof RecordError) return fail(error.code, error.message);
      ctx.log(`[host] ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fail('INTERNAL', 'Internal error; the details are in the host log');
    } finally {
      const elapsed = performance.now() - started;
      if (elapsed > SLOW_CALL_MS) ctx.log(`[host] slow call ${method}: ${elapsed.toFixed(1)} ms`);
    }
  };
}
