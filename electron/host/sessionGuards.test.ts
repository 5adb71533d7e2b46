import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract, type ContractEntry, type MethodName } from '../../shared/api/index.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from './testing.ts';
import { MAX_FAILED_ATTEMPTS } from './handlers/identity.ts';

type Host = Awaited<ReturnType<typeof hostWithUsers>>;

describe('the host checks who calls before what they sent (L6)', () => {
  let host: Host;
  beforeEach(async () => {
    host = await hostWithUsers();
  });
  afterEach(() => host.cleanup());

  const garbage = { file: { identity: 42 }, extra: 'x'.repeat(10) };

  it('answers a locked session 423 without schema details, whatever the input', async () => {
    host.advance(16 * 60_000);
    const result = await host.dispatch('enterprises.create', garbage, host.sessions.officer);
    expect(result).toEqual({ ok: false, error: { code: 'SESSION_LOCKED', message: expect.any(String) } });
  });

  it('answers no session 401 and a role without the permission 403, before validating', async () => {
    expect(await host.dispatch('enterprises.create', garbage, { sessionId: 'nobody' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(await host.dispatch('enterprises.create', garbage, host.sessions.admin)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    // A caller who may call it still gets the schema's answer.
    expect(await host.dispatch('enterprises.create', garbage, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: expect.any(Array) } } });
  });
});

describe('a new account can do nothing but change its password (M5, M7)', () => {
  let host: Host;
  const fresh = { sessionId: 'fresh' };
  beforeEach(async () => {
    host = await hostWithUsers();
    await host.dispatch('users.create', { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', password: 'Initial2026' }, host.sessions.admin);
    expect(await host.dispatch('session.login', { username: 'zhaoliu', password: 'Initial2026' }, fresh)).toMatchObject({ ok: true, value: { user: { mustChangePassword: true } } });
  });
  afterEach(() => host.cleanup());

  it('refuses every non-public method but those the change screen needs', async () => {
    const allowed: string[] = [];
    for (const method of Object.keys(contract) as MethodName[]) {
      const entry: ContractEntry = contract[method];
      if (entry.access === 'public') continue;
      const result = await host.dispatch(method, {}, fresh);
      if (result.ok || result.error.code !== 'PASSWORD_CHANGE_REQUIRED') allowed.push(method);
    }
    expect(allowed.sort()).toEqual(['session.heartbeat', 'users.changeOwnPassword']);
    expect(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('华盛建材有限公司', testUscc(1)) }, fresh)).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    // Signing out stays possible (public).
    expect(await host.dispatch('session.logout', {}, fresh)).toMatchObject({ ok: true, value: { user: null } });
  });

  it('refuses the initial password as the new one, then lets the account work once changed', async () => {
    const same = await host.dispatch('users.changeOwnPassword', { currentPassword: 'Initial2026', newPassword: 'Initial2026' }, fresh);
    expect(same).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['newPassword'], code: 'SAME_PASSWORD' }] } } });
    expect(await host.dispatch('users.changeOwnPassword', { currentPassword: 'Initial2026', newPassword: 'Changed2026' }, fresh)).toMatchObject({ ok: true, value: { mustChangePassword: false } });
    expect(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('华盛建材有限公司', testUscc(1)) }, fresh)).toMatchObject({ ok: true });
  });
});

describe('unlock counts towards the login lockout (M3)', () => {
  let host: Host;
  beforeEach(async () => {
    host = await hostWithUsers();
  });
  afterEach(() => host.cleanup());

  it(`signs the session out after ${MAX_FAILED_ATTEMPTS} wrong passwords, audited, and the right one no longer unlocks`, async () => {
    host.advance(16 * 60_000);
    const officer = host.sessions.officer;
    for (let attempt = 1; attempt < MAX_FAILED_ATTEMPTS; attempt += 1) {
      expect(await host.dispatch('session.unlock', { password: `Wrong${attempt}x` }, officer)).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', details: { remainingAttempts: MAX_FAILED_ATTEMPTS - attempt } } });
    }
    expect(await host.dispatch('session.unlock', { password: 'Wrong5x' }, officer)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    expect(await host.dispatch('session.unlock', { password: 'Changed2026' }, officer)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await host.dispatch('session.get', {}, officer)).toMatchObject({ ok: true, value: { user: null } });
    // The account is locked for sign-in too, like after wrong passwords at login.
    expect(await host.dispatch('session.login', { username: 'officer', password: 'Changed2026' }, officer)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    const admin = { sessionId: 'admin-again' };
    await host.dispatch('session.login', { username: 'admin', password: 'Admin2026ok' }, admin);
    const audit = await host.dispatch('audit.list', { recordType: 'session', pageSize: 500 }, admin);
    const actions = (audit as { value: { rows: { action: string }[] } }).value.rows.map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['unlock_failed', 'account_locked', 'unlock_signed_out', 'login_refused_locked']));
  });

  it('resets the count after a successful unlock', async () => {
    host.advance(16 * 60_000);
    const officer = host.sessions.officer;
    for (let attempt = 1; attempt < MAX_FAILED_ATTEMPTS; attempt += 1) await host.dispatch('session.unlock', { password: 'Wrong1x' }, officer);
    expect(await host.dispatch('session.unlock', { password: 'Changed2026' }, officer)).toMatchObject({ ok: true, value: { locked: false } });
    host.advance(16 * 60_000);
    expect(await host.dispatch('session.unlock', { password: 'Wrong1x' }, officer)).toMatchObject({ ok: false, error: { details: { remainingAttempts: MAX_FAILED_ATTEMPTS - 1 } } });
  });
});

describe('users.create of one username at once (L3)', () => {
  it('creates it once and answers the others CONFLICT, not INTERNAL', async () => {
    const host = await hostWithUsers();
    try {
      const create = () => host.dispatch('users.create', { username: 'sunqi', displayName: '孙七', role: 'loan_officer', password: 'Initial2026' }, host.sessions.admin);
      const results = await Promise.all([create(), create(), create()]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      for (const result of results.filter((r) => !r.ok)) expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { issues: [{ code: 'USERNAME_TAKEN' }] } } });
    } finally {
      host.cleanup();
    }
  });
});

describe('only a person counts as activity for the idle lock (M6)', () => {
  it('locks a session whose only calls are background polls, and a person\'s call keeps it open', async () => {
    const host = await hostWithUsers();
    try {
      const officer = host.sessions.officer;
      const background = (Object.keys(contract) as MethodName[]).filter((method) => (contract[method] as ContractEntry).background === true);
      expect(background.sort()).toEqual(['stats.progress', 'sync.conflicts', 'sync.quarantine', 'sync.rejections', 'sync.status']);
      // A poll's input: stats.progress asks after one report run (an unknown run answers null).
      const pollInput = (method: MethodName) => (method === 'stats.progress' ? { jobId: 'report-1' } : {});
      const manager = host.sessions.manager;
      // 14 minutes of polls every minute (the idle lock is 15 minutes) …
      for (let minute = 0; minute < 14; minute += 1) {
        host.advance(60_000);
        for (const method of background) {
          expect(await host.dispatch(method, pollInput(method) as never, officer)).toMatchObject({ ok: true });
          expect(await host.dispatch(method, pollInput(method) as never, manager)).toMatchObject({ ok: true });
        }
        // The manager also does something now and then (a person's call).
        if (minute % 5 === 4) expect(await host.dispatch('enterprises.list', {}, manager)).toMatchObject({ ok: true });
      }
      // … and two more: the polls did not keep the officer's session open, the manager's call did.
      host.advance(2 * 60_000);
      expect(await host.dispatch('sync.status', {}, officer)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
      expect(await host.dispatch('sync.status', {}, manager)).toMatchObject({ ok: true });
    } finally {
      host.cleanup();
    }
  });
});
