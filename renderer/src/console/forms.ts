import { createConsoleUserSchema, type CreateConsoleUser } from '../../../shared/api/console.ts';
import type { HeadOfficeRole } from '../../../shared/domain/headOfficeRoles.ts';
import { yuanToFen } from '../../../shared/domain/money.ts';
import { formatInstant } from '../format.ts';
import type { ConsoleError } from './api.ts';

/**
 * The console pages' rules without React (forms.test.ts): an account form as the contract's input,
 * the hub's refusals in words, an audit entry's detail. `describe` words any other refusal
 * (errors.ts describeConsoleError), passed in so these stay free of the app's store.
 */

export interface AccountForm {
  username?: string;
  displayName?: string;
  role?: HeadOfficeRole;
  password?: string;
  approvalLimitWan?: string;
}
export type Field = keyof AccountForm;
type FieldErrors = Partial<Record<Field, string>>;
export type T = (key: string, options?: Record<string, unknown>) => string;

const FEN_PER_WAN = 1_000_000; // 1 万元 = 10,000 元 = 1,000,000 分

/** The approver's limit typed in 万元 (up to two decimals, as money is typed everywhere) in fen, or why not. */
export function limitFen(typed: string): { ok: true; fen: number } | { ok: false } {
  const parsed = yuanToFen(typed);
  if (!parsed.ok || parsed.fen <= 0) return { ok: false };
  // The typed figure read as 元 is in fen ×100 of 元; as 万元 it is ×10,000 more.
  const fen = parsed.fen * (FEN_PER_WAN / 100);
  return Number.isSafeInteger(fen) ? { ok: true, fen } : { ok: false };
}

/** The form as the contract's account input, or each wrong field's words (the contract's rule, checked before sending). */
export function accountInput(form: AccountForm, t: T): { ok: true; value: CreateConsoleUser } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let approvalLimitFen: number | null = null;
  if (form.role === undefined) errors.role = t('users.error.role');
  if (form.role === 'ho_approver') {
    const typed = (form.approvalLimitWan ?? '').trim();
    const limit = typed === '' ? null : limitFen(typed);
    if (limit === null) errors.approvalLimitWan = t('users.error.limitRequired');
    else if (!limit.ok) errors.approvalLimitWan = t('users.error.limitFormat');
    else approvalLimitFen = limit.fen;
  }
  const parsed = createConsoleUserSchema.safeParse({ username: form.username ?? '', displayName: form.displayName ?? '', role: form.role, password: form.password ?? '', approvalLimitFen });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as Field;
      if (errors[field] !== undefined || field === 'role') continue;
      errors[field] = field === 'displayName' ? t('users.error.displayName') : t(`users.error.${issue.message}`, { defaultValue: t('users.error.USERNAME_FORMAT') });
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** A refusal of the hub in words: a taken username is the username field's, the rest the form's. */
export function accountRefusal(error: ConsoleError, username: string, t: T, describe: (error: ConsoleError) => string): { field?: Field; message: string } {
  if (error.code === 'CONFLICT') return { field: 'username', message: t('users.error.taken', { username }) };
  const issue = error.code === 'VALIDATION' && 'details' in error ? error.details?.issues?.[0] : undefined;
  if (issue !== undefined) {
    const field = String(issue.path[0]) as Field;
    return { field, message: field === 'displayName' ? t('users.error.displayName') : t(`users.error.${issue.message}`, { defaultValue: describe(error) }) };
  }
  return { message: describe(error) };
}

/**
 * A sign-in refusal in words: a lockout names when it ends (Beijing
 * time), a wrong password how many tries are left before the lock.
 */
export function signInRefusal(error: ConsoleError, t: T, describe: (error: ConsoleError) => string): string {
  const details = 'details' in error ? (error.details ?? {}) : {};
  if (details.reason === 'ACCOUNT_LOCKED' && typeof details.lockedUntil === 'string') return t('signIn.locked', { until: formatInstant(details.lockedUntil) });
  if (details.reason === 'ACCOUNT_DISABLED') return t('signIn.disabled');
  if (details.reason === 'ORIGIN') return t('signIn.origin');
  if (error.code === 'RATE_LIMITED') return t('signIn.busy');
  if (error.code === 'VALIDATION') return t('signIn.missing');
  if (error.code === 'UNAUTHENTICATED') {
    return typeof details.remainingAttempts === 'number' && details.remainingAttempts > 0 ? t('signIn.wrongRemaining', { n: details.remainingAttempts }) : t('signIn.wrong');
  }
  return describe(error);
}

const DETAIL_CHARS = 240;

/** An entry's before → after as stored (JSON, secrets already redacted by the hub), cut to a line's length. */
export function auditDetail(before: string | null, after: string | null): string {
  const shown = [before, after].filter((part): part is string => part !== null).join(' → ');
  return shown.length > DETAIL_CHARS ? `${shown.slice(0, DETAIL_CHARS)}…` : shown;
}

