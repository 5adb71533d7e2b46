import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../shared/api/index.ts';
import { permissions, roles, type Permission, type Role } from '../../shared/domain/roles.ts';
import { hostWithUsers } from './testing.ts';

/**
 * The permission matrix as a whole, through the host's own dispatch: every method of the contract ×
 * every role, so a new method is covered the day it is added. The expected matrix is written out
 * here, as the README's 「Who sees what」 states it, not read back from roles.ts.
 */
const expected: Record<Permission, readonly Role[]> = {
  'users.manage': ['admin'],
  'audit.read': ['admin'],
  'backup.manage': ['admin'],
  'records.read': ['loan_officer', 'credit_manager', 'branch_head', 'admin'],
  'enterprise.write': ['loan_officer', 'credit_manager'],
  'enterprise.overrideUscc': ['credit_manager'],
  'enterprise.delete': ['credit_manager'],
  'loan.write': ['loan_officer', 'credit_manager'],
  'loan.writeOff': ['credit_manager'],
  approve: ['credit_manager'],
  'green.write': ['loan_officer', 'credit_manager'],
  'green.confirm': ['credit_manager'],
  'credit.write': ['loan_officer', 'credit_manager'],
  'credit.review': ['credit_manager'],
  'credit.approve': ['credit_manager', 'branch_head'],
  'credit.override': ['credit_manager'],
  'credit.act': ['loan_officer', 'credit_manager', 'branch_head'],
  'collateral.write': ['loan_officer', 'credit_manager'],
  'collateral.approve': ['credit_manager'],
  'case.write': ['loan_officer', 'credit_manager'],
  'case.verify': ['credit_manager'],
  'monitoring.configure': ['credit_manager', 'branch_head'],
  'reports.read': ['loan_officer', 'credit_manager', 'branch_head', 'admin'],
  'sync.run': ['loan_officer', 'credit_manager', 'branch_head', 'admin'],
  'sync.configure': ['admin'],
};

describe('the permission matrix, every method × every role', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  const sessions = {} as Record<Role, { sessionId: string }>;
  const anonymous = { sessionId: 'nobody-signed-in' };

  beforeAll(async () => {
    host = await hostWithUsers();
    sessions.admin = host.sessions.admin;
    sessions.loan_officer = host.sessions.officer;
    sessions.credit_manager = host.sessions.manager;
    sessions.branch_head = { sessionId: 'head' };
    await host.dispatch('users.create', { username: 'head', displayName: '行长', role: 'branch_head', password: 'Password2026' }, host.sessions.admin);
    await host.dispatch('session.login', { username: 'head', password: 'Password2026' }, sessions.branch_head);
    // Accounts made by the administrator must change their password before anything else.
    for (const role of roles) {
      const state = await host.dispatch('session.get', {}, sessions[role]);
      if (state.ok && (state.value as { user: { mustChangePassword: boolean } }).user.mustChangePassword) {
        const changed = await host.dispatch('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2027' }, sessions[role]);
        expect(changed.ok).toBe(true);
      }
    }
  });
  afterAll(() => host?.cleanup());

  it('states every permission of roles.ts', () => {
    expect(Object.keys(permissions).sort()).toEqual(Object.keys(expected).sort());
  });

  const methods = Object.keys(contract) as MethodName[];
  it.each(methods)('%s: refused to the roles without its permission, before the input is looked at', async (method) => {
    const access = contract[method].access;
    // A null input is invalid for every method, so a call that passes the access check stops at
    // validation and changes nothing.
    const outcome = async (session: { sessionId: string }) => {
      const result = await host.dispatch(method, null, session);
      expect(result.ok).toBe(false);
      return result.ok ? 'ok' : result.error.code;
    };
    for (const role of roles) {
      const allowed = access === 'public' || access === 'session' || expected[access].includes(role);
      expect({ role, code: await outcome(sessions[role]) }).toEqual({ role, code: allowed ? 'VALIDATION' : 'FORBIDDEN' });
    }
    expect(await outcome(anonymous)).toBe(access === 'public' ? 'VALIDATION' : 'UNAUTHENTICATED');
  });
});
