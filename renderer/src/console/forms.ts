import { createConsoleUserSchema, type CreateConsoleUser } from '../../../shared/api/console.ts';
import type { HeadOfficeRole } from '../../../shared/domain/headOfficeRoles.ts';
import { formatYuan, yuanToFen } from '../../../shared/domain/money.ts';
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parsed(stored: string | null): Json | undefined {
  if (stored === null) return undefined;
  try {
    return JSON.parse(stored) as Json;
  } catch {
    return stored;
  }
}

const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One value as a reader reads it: an amount in 分 (a key ending in Fen) in 元 as the laptop writes it,
 * a role by its name, nothing as —, anything nested as its JSON.
 */
function shownValue(key: string, value: Json | undefined, t: T): string {
  if (value === undefined || value === null || value === '') return '—';
  if (key.endsWith('Fen') && typeof value === 'number') return t('audit.yuan', { amount: formatYuan(value) });
  if (key === 'role' && typeof value === 'string') return t(`roles.${value}`, { defaultValue: value });
  if (typeof value === 'boolean') return t(value ? 'audit.yes' : 'audit.no');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/**
 * An entry's before → after (JSON as the hub stored it, secrets already redacted there) in words, cut
 * to a line's length: each field by its name (audit.fields, else its key) — a field both sides hold
 * shown only when it changed, as "old → new".
 */
export function auditDetail(before: string | null, after: string | null, t: T): string {
  const from = parsed(before);
  const to = parsed(after);
  const fields = t('audit.fields', { returnObjects: true }) as unknown as Record<string, string>;
  const label = (key: string) => fields[key] ?? key;
  let shown: string;
  if (isObject(from) || isObject(to)) {
    const a = isObject(from) ? from : {};
    const b = isObject(to) ? to : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    shown = keys
      .filter((key) => !(key in a && key in b) || JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      .map((key) => (key in a && key in b ? `${label(key)}：${shownValue(key, a[key], t)} → ${shownValue(key, b[key], t)}` : key in b ? `${label(key)}：${shownValue(key, b[key], t)}` : `${label(key)}：${shownValue(key, a[key], t)} → —`))
      .join('；');
  } else {
    shown = [from, to].filter((part) => part !== undefined).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' → ');
  }
  return shown.length > DETAIL_CHARS ? `${shown.slice(0, DETAIL_CHARS)}…` : shown;
}
