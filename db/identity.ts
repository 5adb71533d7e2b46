import type { Db } from './open.ts';
import { getRecord, insertRecord, updateRecord, type Actor, type Row, type UpdateOptions } from './records.ts';

/** Repository for the branch identity and its users (tables from 0002-identity.sql). */
export interface BranchRow {
  id: string;
  name: string;
  code: string;
  division_code: string;
}

export interface UserRow {
  id: string;
  branch_id: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  username: string;
  display_name: string;
  role: 'loan_officer' | 'credit_manager' | 'branch_head' | 'admin';
  password_hash: string;
  disabled: 0 | 1;
  must_change_password: 0 | 1;
}

export function getBranch(db: Db): BranchRow | undefined {
  return db.prepare('SELECT id, name, code, division_code FROM branch WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1').get() as
    | BranchRow
    | undefined;
}

export function getUser(db: Db, id: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ? AND deleted_at IS NULL').get(id) as UserRow | undefined;
}

export function findUserByUsername(db: Db, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE username = ? AND deleted_at IS NULL').get(username) as UserRow | undefined;
}

export function listUsers(db: Db): UserRow[] {
  return db.prepare('SELECT * FROM users WHERE deleted_at IS NULL ORDER BY username').all() as UserRow[];
}

/** A user's entry in the synced people directory (0012-people.sql): a name and a role, never a credential. */
function personOf(user: UserRow): Row {
  return { display_name: user.display_name, role: user.role, active: user.disabled === 1 ? 0 : 1 };
}

/** Brings the user's directory entry in line with the account; unchanged fields write nothing. */
function publishPerson(db: Db, user: UserRow, actor: Actor, now: Date, action?: string): void {
  if (getRecord(db, 'people', user.id) === undefined) insertRecord(db, 'people', personOf(user), actor, now, user.id);
  else updateRecord(db, 'people', user.id, personOf(user), actor, now, action === undefined ? {} : { action });
}

export interface NewUser {
  username: string;
  display_name: string;
  role: UserRow['role'];
  password_hash: string;
  must_change_password?: 0 | 1;
}

/** Every account change goes through these two, so the people directory changes in the same transaction. */
export function insertUser(db: Db, values: NewUser, actor: Actor, now: Date, id?: string): UserRow {
  return db.transaction(() => {
    const user = insertRecord(db, 'users', { ...values }, actor, now, id) as unknown as UserRow;
    publishPerson(db, user, actor, now);
    return user;
  })();
}

export function updateUser(db: Db, id: string, patch: Partial<Omit<UserRow, 'id' | 'branch_id' | 'version' | 'created_at' | 'updated_at' | 'deleted_at'>>, actor: Actor, now: Date, options: UpdateOptions = {}): UserRow {
  return db.transaction(() => {
    const user = updateRecord(db, 'users', id, patch as Row, actor, now, options) as unknown as UserRow;
    publishPerson(db, user, actor, now, options.action);
    return user;
  })();
}

/**
 * Users made before the directory existed (or by an older app version) get their entry, each as
 * its own audited, synced insert. Called when the host starts; returns how many were published.
 */
export function publishMissingPeople(db: Db, now: Date): number {
  const missing = db.prepare('SELECT * FROM users u WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = u.id)').all() as UserRow[];
  db.transaction(() => {
    for (const user of missing) publishPerson(db, user, { userId: user.id, userName: user.display_name, branchId: user.branch_id }, now);
  })();
  return missing.length;
}

/**
 * The name of whoever a user id names: someone of the branch's people directory (any laptop), or an
 * account of this laptop not published yet (publishMissingPeople runs at the host's start); null if unknown.
 */
export function personName(db: Db, userId: string): string | null {
  return (db.prepare(`SELECT coalesce((SELECT display_name FROM people WHERE id = @id), (SELECT display_name FROM users WHERE id = @id))`).pluck().get({ id: userId }) as string | null) ?? null;
}

/**
 * The branch's people of these roles, by name: the synced directory (everyone of every laptop) and
 * this laptop's accounts not published yet. A register's officer filter offers them.
 */
export function peopleWithRoles(db: Db, roles: readonly UserRow['role'][]): { id: string; name: string }[] {
  const list = roles.map((role) => `'${role}'`).join(', ');
  return db
    .prepare(
      `SELECT id, display_name AS name FROM people WHERE deleted_at IS NULL AND role IN (${list})
       UNION SELECT id, display_name FROM users u WHERE deleted_at IS NULL AND role IN (${list}) AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = u.id)
       ORDER BY name, id`,
    )
    .all() as { id: string; name: string }[];
}

export interface Throttle {
  failed_attempts: number;
  locked_until: string | null;
}

export function getThrottle(db: Db, username: string): Throttle {
  return (db.prepare('SELECT failed_attempts, locked_until FROM login_throttle WHERE username = ?').get(username) as Throttle | undefined) ?? {
    failed_attempts: 0,
    locked_until: null,
  };
}

export function setThrottle(db: Db, username: string, throttle: Throttle): void {
  db.prepare(
    `INSERT INTO login_throttle (username, failed_attempts, locked_until) VALUES (?, ?, ?)
     ON CONFLICT (username) DO UPDATE SET failed_attempts = excluded.failed_attempts, locked_until = excluded.locked_until`,
  ).run(username, throttle.failed_attempts, throttle.locked_until);
}
