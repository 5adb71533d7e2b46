import type { Db } from './open.ts';

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
