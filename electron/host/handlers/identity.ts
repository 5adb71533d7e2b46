import { uuidv7 } from 'uuidv7';
import type { Branch, SessionState, User } from '../../../shared/api/index.ts';
import type { Db } from '../../../db/open.ts';
import { appendAudit } from '../../../db/audit.ts';
import { insertRecord, type Actor } from '../../../db/records.ts';
import { findUserByUsername, getBranch, getThrottle, getUser, insertUser, listUsers, setThrottle, updateUser, type UserRow } from '../../../db/identity.ts';
import { hashPassword, verifyPassword } from '../../../shared/node/passwords.ts';
import { HostFailure, signedInUser, type CallContext, type Handler, type HostContext } from '../context.ts';
import { currentSettings } from './settings.ts';
import { asHostFailure } from '../sync/failures.ts';
import { activeLock, afterWrongPassword } from '../../../shared/domain/lockout.ts';

export { LOCKOUT_MINUTES, MAX_FAILED_ATTEMPTS } from '../../../shared/domain/lockout.ts';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function actorOf(user: User, db: Db): Actor {
  const branch = getBranch(db);
  if (branch === undefined) throw new HostFailure('SETUP_REQUIRED', 'First-run setup has not been completed');
  return { userId: user.id, userName: user.displayName, branchId: branch.id };
}

function branchOf(db: Db): Branch | null {
  const row = getBranch(db);
  return row === undefined ? null : { id: row.id, name: row.name, code: row.code, divisionCode: row.division_code };
}

/** The signed-in state of a transport session, as the renderer sees it. */
export function sessionState(ctx: HostContext, call: CallContext): SessionState {
  const { db } = ctx.store;
  const settings = currentSettings(db);
  const session = ctx.sessions.get(call.sessionId);
  const row = session === undefined ? undefined : getUser(db, session.userId);
  if (session !== undefined && (row === undefined || row.disabled === 1)) ctx.sessions.signOut(call.sessionId);
  const live = row !== undefined && row.disabled === 0 && session !== undefined;
  return {
    user: live ? toUser(row) : null,
    locked: live ? ctx.sessions.lockIfIdle(session, ctx.now(), settings.idleLockMinutes) : false,
    idleLockMinutes: settings.idleLockMinutes,
    branch: branchOf(db),
  };
}

// A hash to verify against when the username is unknown, so both paths cost the same scrypt time.
let decoyHash: Promise<string> | undefined;

function audit(ctx: HostContext, action: string, user: { id: string | null; name: string | null }, recordId: string | null, after: Record<string, unknown> | null = null): void {
  appendAudit(ctx.store.db, { at: ctx.now().toISOString(), userId: user.id, userName: user.name, action, recordType: 'session', recordId, before: null, after });
}

export const setupStatus: Handler<'setup.status'> = (ctx) => {
  const branch = branchOf(ctx.store.db);
  return { initialized: branch !== null, branch };
};

/** The branch row and its first administrator, in one transaction; the administrator is signed in. */
function createBranchAndAdmin(ctx: HostContext, call: CallContext, branch: Branch, admin: { username: string; displayName: string }, passwordHash: string): SessionState {
  const { db } = ctx.store;
  const now = ctx.now();
  const adminId = uuidv7();
  db.transaction(() => {
    // Checked inside the transaction: two windows finishing setup at once must not make two branches.
    if (getBranch(db) !== undefined) throw new HostFailure('ALREADY_INITIALIZED', 'This installation is already set up');
    const actor: Actor = { userId: adminId, userName: admin.displayName, branchId: branch.id };
    insertRecord(db, 'branch', { name: branch.name, code: branch.code, division_code: branch.divisionCode }, actor, now, branch.id);
    insertUser(db, { username: admin.username, display_name: admin.displayName, role: 'admin', password_hash: passwordHash }, actor, now, adminId);
  })();
  const sessionId = ctx.sessions.signIn(call, adminId, now);
  return sessionState(ctx, { ...call, sessionId });
}

export const setupInitialize: Handler<'setup.initialize'> = async (ctx, call, input) => {
  const passwordHash = await hashPassword(input.admin.password);
  return createBranchAndAdmin(ctx, call, { id: uuidv7(), ...input.branch }, input.admin, passwordHash);
};

/**
 * 「加入已有支行」: the branch is head office's (name, code, county and id, from the enrollment
 * answer), so the laptop's rows belong to it from the first one; the first sync then brings the
 * branch's people and files and sends the new administrator's directory entry.
 */
export const setupJoin: Handler<'setup.join'> = async (ctx, call, input) => {
  if (getBranch(ctx.store.db) !== undefined) throw new HostFailure('ALREADY_INITIALIZED', 'This installation is already set up');
  const passwordHash = await hashPassword(input.admin.password);
  const branch = await asHostFailure(() => ctx.sync.enroll({ hubUrl: input.hubUrl, code: input.code, deviceName: input.deviceName }, { sync: false }), true);
  const state = createBranchAndAdmin(ctx, call, branch, input.admin, passwordHash);
  void ctx.sync.runNow();
  return state;
};

export const getSession: Handler<'session.get'> = (ctx, call) => sessionState(ctx, call);

function refuseWhileLocked(ctx: HostContext, username: string, action: string): void {
  const throttle = getThrottle(ctx.store.db, username);
  const lockedUntil = activeLock({ failedAttempts: throttle.failed_attempts, lockedUntil: throttle.locked_until }, ctx.now());
  if (lockedUntil !== null) {
    audit(ctx, action, { id: null, name: null }, username);
    throw new HostFailure('ACCOUNT_LOCKED', 'Too many wrong passwords; the account is locked for now', { lockedUntil });
  }
}

/**
 * A wrong password at login or unlock: one more towards the account's lockout (the same counter for
 * both, so a locked screen is no way around it). Returns the failure to throw.
 */
function wrongPassword(ctx: HostContext, username: string, row: UserRow | undefined, via: 'login' | 'unlock'): HostFailure {
  const { db } = ctx.store;
  const throttle = getThrottle(db, username);
  const wrong = afterWrongPassword({ failedAttempts: throttle.failed_attempts, lockedUntil: throttle.locked_until }, ctx.now());
  db.transaction(() => {
    setThrottle(db, username, { failed_attempts: wrong.next.failedAttempts, locked_until: wrong.next.lockedUntil });
    audit(ctx, wrong.locks ? 'account_locked' : `${via}_failed`, { id: row?.id ?? null, name: row?.display_name ?? null }, username, { attempt: wrong.attempt, via });
  })();
  if (wrong.locks) return new HostFailure('ACCOUNT_LOCKED', 'Too many wrong passwords; the account is locked for now', { lockedUntil: wrong.next.lockedUntil });
  return new HostFailure('INVALID_CREDENTIALS', via === 'login' ? 'Wrong username or password' : 'Wrong password', { remainingAttempts: wrong.remainingAttempts });
}

export const login: Handler<'session.login'> = async (ctx, call, input) => {
  const { db } = ctx.store;
  if (getBranch(db) === undefined) throw new HostFailure('SETUP_REQUIRED', 'First-run setup has not been completed');
  const now = ctx.now();
  const username = input.username;
  refuseWhileLocked(ctx, username, 'login_refused_locked');
  const row = findUserByUsername(db, username);
  decoyHash ??= hashPassword('decoy-password-1');
  const valid = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash));
  if (row === undefined || !valid) throw wrongPassword(ctx, username, row, 'login');
  if (row.disabled === 1) {
    audit(ctx, 'login_refused_disabled', { id: row.id, name: row.display_name }, username);
    throw new HostFailure('ACCOUNT_DISABLED', 'This account is disabled');
  }
  db.transaction(() => {
    setThrottle(db, username, { failed_attempts: 0, locked_until: null });
    audit(ctx, 'login', { id: row.id, name: row.display_name }, username);
  })();
  const sessionId = ctx.sessions.signIn(call, row.id, now);
  return sessionState(ctx, { ...call, sessionId });
};

export const logout: Handler<'session.logout'> = (ctx, call) => {
  const session = ctx.sessions.get(call.sessionId);
  const row = session === undefined ? undefined : getUser(ctx.store.db, session.userId);
  if (row !== undefined) audit(ctx, 'logout', { id: row.id, name: row.display_name }, row.username);
  ctx.sessions.signOut(call.sessionId);
  return sessionState(ctx, call);
};

export const unlock: Handler<'session.unlock'> = async (ctx, call, input) => {
  const session = ctx.sessions.get(call.sessionId);
  const row = session === undefined ? undefined : getUser(ctx.store.db, session.userId);
  if (session === undefined || row === undefined || row.disabled === 1) throw new HostFailure('UNAUTHENTICATED', 'Not signed in');
  try {
    refuseWhileLocked(ctx, row.username, 'unlock_refused_locked');
    if (!(await verifyPassword(input.password, row.password_hash))) throw wrongPassword(ctx, row.username, row, 'unlock');
  } catch (error) {
    // Locked out while the screen was locked: whoever is at the keyboard must sign in afresh.
    if (error instanceof HostFailure && error.code === 'ACCOUNT_LOCKED') {
      ctx.sessions.signOut(call.sessionId);
      audit(ctx, 'unlock_signed_out', { id: row.id, name: row.display_name }, row.username);
    }
    throw error;
  }
  setThrottle(ctx.store.db, row.username, { failed_attempts: 0, locked_until: null });
  session.locked = false;
  ctx.sessions.touch(session, ctx.now());
  const sessionId = ctx.sessions.renew(call);
  return sessionState(ctx, { ...call, sessionId });
};

export const heartbeat: Handler<'session.heartbeat'> = () => ({ done: true as const });

export const usersList: Handler<'users.list'> = (ctx) => listUsers(ctx.store.db).map(toUser);

export const usersCreate: Handler<'users.create'> = async (ctx, call, input) => {
  const { db } = ctx.store;
  if (findUserByUsername(db, input.username) !== undefined) {
    throw new HostFailure('VALIDATION', 'Username already taken', { issues: [{ path: ['username'], code: 'USERNAME_TAKEN', message: 'USERNAME_TAKEN' }] });
  }
  const passwordHash = await hashPassword(input.password);
  // Checked again after the awaited hash: another call may have taken the name meanwhile.
  if (findUserByUsername(db, input.username) !== undefined) {
    throw new HostFailure('CONFLICT', 'Username already taken', { issues: [{ path: ['username'], code: 'USERNAME_TAKEN', message: 'USERNAME_TAKEN' }] });
  }
  const row = insertUser(
    db,
    { username: input.username, display_name: input.displayName, role: input.role, password_hash: passwordHash, must_change_password: 1 },
    actorOf(signedInUser(call), db),
    ctx.now(),
  );
  return toUser(row);
};

export const usersUpdate: Handler<'users.update'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const me = signedInUser(call);
  if (input.id === me.id && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
    throw new HostFailure('FORBIDDEN', 'An administrator cannot disable or demote their own account');
  }
  const patch: Parameters<typeof updateUser>[2] = {};
  if (input.displayName !== undefined) patch.display_name = input.displayName;
  if (input.role !== undefined) patch.role = input.role;
  if (input.disabled !== undefined) patch.disabled = input.disabled ? 1 : 0;
  const row = updateUser(db, input.id, patch, actorOf(me, db), ctx.now(), { expectedVersion: input.version });
  if (row.disabled === 1 || input.role !== undefined) ctx.sessions.signOutUser(row.id);
  return toUser(row);
};

export const usersResetPassword: Handler<'users.resetPassword'> = async (ctx, call, input) => {
  const { db } = ctx.store;
  const passwordHash = await hashPassword(input.newPassword);
  const row = updateUser(db, input.id, { password_hash: passwordHash, must_change_password: 1 }, actorOf(signedInUser(call), db), ctx.now(), {
    action: 'reset_password',
  });
  setThrottle(db, row.username, { failed_attempts: 0, locked_until: null });
  ctx.sessions.signOutUser(row.id);
  return toUser(row);
};

export const changeOwnPassword: Handler<'users.changeOwnPassword'> = async (ctx, call, input) => {
  const { db } = ctx.store;
  const me = signedInUser(call);
  const row = getUser(db, me.id);
  if (row === undefined || !(await verifyPassword(input.currentPassword, row.password_hash))) {
    throw new HostFailure('INVALID_CREDENTIALS', 'The current password is wrong', { issues: [{ path: ['currentPassword'], code: 'WRONG_PASSWORD', message: 'WRONG_PASSWORD' }] });
  }
  // The current password is the initial one an administrator chose when the change is forced.
  if (input.newPassword === input.currentPassword) {
    throw new HostFailure('VALIDATION', 'The new password must differ from the current one', { issues: [{ path: ['newPassword'], code: 'SAME_PASSWORD', message: 'SAME_PASSWORD' }] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const updated = updateUser(db, me.id, { password_hash: passwordHash, must_change_password: 0 }, actorOf(me, db), ctx.now(), {
    action: 'change_password',
  });
  return toUser(updated);
};
