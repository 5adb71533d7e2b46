import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { CreateConsoleUser, signInRequestSchema } from '../shared/api/console.ts';
import type { HeadOfficeRole } from '../shared/domain/headOfficeRoles.ts';
import { activeLock, afterWrongPassword, type PasswordThrottle } from '../shared/domain/lockout.ts';
import { hashPassword, verifyPassword } from '../shared/node/passwords.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit, type HeadOfficeActor } from './headOfficeAudit.ts';
import type { Sql, Storage } from './storage.ts';

/**
 * Head office's named people (migration 0007): created by a 总行管理员 in the console, or — the
 * first one, and to recover a team locked out — by automation with the admin token. Passwords are
 * hashed as on the laptop and lock as the laptop's do (shared/node/passwords.ts, shared/domain/lockout.ts).
 */
export interface HeadOfficeUser {
  id: string;
  username: string;
  displayName: string;
  role: HeadOfficeRole;
  /** An approver's authority in fen (null: none). */
  approvalLimitFen: number | null;
  disabled: boolean;
  createdAt: string;
}

/** The account and sign-in inputs are the console contract's (shared/api/console.ts), which the console app types its forms from. */
export { createConsoleUserSchema as createHeadOfficeUserSchema, signInRequestSchema as signInSchema } from '../shared/api/console.ts';
export type CreateHeadOfficeUser = CreateConsoleUser;

interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  role: HeadOfficeRole;
  password_hash: string;
  approval_limit_fen: string | number | null;
  disabled: boolean;
  failed_attempts: number;
  locked_until: Date | string | null;
  created_at: Date | string;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

const throttleOf = (row: UserRow): PasswordThrottle => ({ failedAttempts: row.failed_attempts, lockedUntil: row.locked_until === null ? null : iso(row.locked_until) });

const toUser = (row: UserRow): HeadOfficeUser => ({
  id: row.user_id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  approvalLimitFen: row.approval_limit_fen === null ? null : Number(row.approval_limit_fen),
  disabled: row.disabled,
  createdAt: iso(row.created_at),
});

export async function getHeadOfficeUser(sql: Sql, id: string): Promise<HeadOfficeUser | undefined> {
  const [row] = await sql.query<UserRow>('SELECT * FROM head_office_users WHERE user_id = $1', [id]);
  return row === undefined ? undefined : toUser(row);
}

export async function listHeadOfficeUsers(sql: Sql): Promise<HeadOfficeUser[]> {
  return (await sql.query<UserRow>('SELECT * FROM head_office_users ORDER BY created_at, username')).map(toUser);
}

export async function createHeadOfficeUser(storage: Storage, actor: HeadOfficeActor, input: CreateHeadOfficeUser): Promise<HeadOfficeUser> {
  const passwordHash = await hashPassword(input.password);
  return storage.transaction(async (tx) => {
    const [taken] = await tx.query('SELECT 1 FROM head_office_users WHERE lower(username) = lower($1)', [input.username]);
    if (taken !== undefined) throw new HubError('CONFLICT', `The username ${input.username} is taken`, { field: 'username' });
    const [row] = await tx.query<UserRow>(
      `INSERT INTO head_office_users (user_id, username, display_name, role, password_hash, approval_limit_fen)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [uuidv7(), input.username, input.displayName, input.role, passwordHash, input.approvalLimitFen],
    );
    const user = toUser(row!);
    await appendHeadOfficeAudit(tx, actor, { action: 'head_office_user.create', recordType: 'head_office_user', recordId: user.id, after: { username: user.username, displayName: user.displayName, role: user.role, approvalLimitFen: user.approvalLimitFen } });
    return user;
  });
}

// A hash to verify against when the username is unknown, so both paths cost the same scrypt time.
let decoyHash: Promise<string> | undefined;

/**
 * Checks a username and password. A wrong password counts towards the account's lockout and is
 * audited; a locked account is refused before its password is even looked at.
 */
export async function signInHeadOfficeUser(storage: Storage, input: z.infer<typeof signInRequestSchema>, now: Date = new Date()): Promise<HeadOfficeUser> {
  const [row] = await storage.query<UserRow>('SELECT * FROM head_office_users WHERE lower(username) = lower($1)', [input.username]);
  const anonymous: HeadOfficeActor = { userId: null, userName: null };
  if (row !== undefined) {
    const lockedUntil = activeLock(throttleOf(row), now);
    if (lockedUntil !== null) {
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, anonymous, { action: 'sign_in.refused_locked', recordType: 'head_office_user', recordId: row.user_id }, now));
      throw new HubError('RATE_LIMITED', 'Too many wrong passwords; the account is locked for now', { reason: 'ACCOUNT_LOCKED', lockedUntil });
    }
  }
  decoyHash ??= hashPassword('decoy-password-1');
  const valid = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash));
  if (row === undefined) {
    await storage.transaction((tx) => appendHeadOfficeAudit(tx, anonymous, { action: 'sign_in.failed', recordType: 'head_office_user', recordId: null, after: { username: input.username.slice(0, 64) } }, now));
    throw new HubError('UNAUTHENTICATED', 'Wrong username or password');
  }
  const actor: HeadOfficeActor = { userId: row.user_id, userName: row.display_name };
  if (!valid) {
    const wrong = afterWrongPassword(throttleOf(row), now);
    await storage.transaction(async (tx) => {
      await tx.query('UPDATE head_office_users SET failed_attempts = $2, locked_until = $3 WHERE user_id = $1', [row.user_id, wrong.next.failedAttempts, wrong.next.lockedUntil]);
      await appendHeadOfficeAudit(tx, actor, { action: wrong.locks ? 'sign_in.locked' : 'sign_in.failed', recordType: 'head_office_user', recordId: row.user_id, after: { attempt: wrong.attempt } }, now);
    });
    if (wrong.locks) throw new HubError('RATE_LIMITED', 'Too many wrong passwords; the account is locked for now', { reason: 'ACCOUNT_LOCKED', lockedUntil: wrong.next.lockedUntil });
    throw new HubError('UNAUTHENTICATED', 'Wrong username or password', { remainingAttempts: wrong.remainingAttempts });
  }
  if (row.disabled) {
    await storage.transaction((tx) => appendHeadOfficeAudit(tx, actor, { action: 'sign_in.refused_disabled', recordType: 'head_office_user', recordId: row.user_id }, now));
    throw new HubError('FORBIDDEN', 'This account is disabled', { reason: 'ACCOUNT_DISABLED' });
  }
  await storage.transaction(async (tx) => {
    await tx.query('UPDATE head_office_users SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1', [row.user_id]);
    await appendHeadOfficeAudit(tx, actor, { action: 'sign_in', recordType: 'head_office_user', recordId: row.user_id }, now);
  });
  return toUser(row);
}
