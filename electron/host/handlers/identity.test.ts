import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testHost, type TestHost } from '../testing.ts';
import { verifyAuditChain } from '../../../db/audit.ts';

const setup = {
  branch: { name: '浮梁县支行', code: '36022201', divisionCode: '360222' },
  admin: { username: 'admin', displayName: '系统管理员', password: 'Admin2026ok' },
};

describe('identity: first run, roles, login throttling', () => {
  let host: TestHost;
  const admin = { sessionId: 'admin-window' };
  const officer = { sessionId: 'officer-window' };

  beforeEach(async () => {
    host = testHost();
    expect(await host.dispatch('setup.initialize', setup, admin)).toMatchObject({ ok: true, value: { user: { role: 'admin' } } });
  });
  afterEach(() => host.cleanup());

  async function createOfficer(): Promise<void> {
    const created = await host.dispatch('users.create', { username: 'wangwu', displayName: '王五', role: 'loan_officer', password: 'Officer2026' }, admin);
    expect(created).toMatchObject({ ok: true, value: { username: 'wangwu', mustChangePassword: true } });
  }

  it('refuses a second setup', async () => {
    expect(await host.dispatch('setup.initialize', setup, { sessionId: 'x' })).toMatchObject({ ok: false, error: { code: 'ALREADY_INITIALIZED' } });
  });

  it('refuses a division code that is not six digits and a weak password', async () => {
    const fresh = testHost();
    const bad = await fresh.dispatch('setup.initialize', { ...setup, branch: { ...setup.branch, divisionCode: '3602' }, admin: { ...setup.admin, password: 'short' } }, admin);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!bad.ok) expect(bad.error.details?.issues?.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['branch.divisionCode', 'admin.password']));
    fresh.cleanup();
  });

  it('refuses a division code that is not a current county, saying so', async () => {
    const fresh = testHost();
    const bad = await fresh.dispatch('setup.initialize', { ...setup, branch: { ...setup.branch, divisionCode: '360299' } }, admin);
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: ['branch', 'divisionCode'], message: '360299 不是现行的县级行政区划代码', params: { reason: 'divisionUnknown', code: '360299' } }] } },
    });
    fresh.cleanup();
  });

  it('lets a loan officer sign in but the host refuses them user administration', async () => {
    await createOfficer();
    expect(await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer)).toMatchObject({ ok: true, value: { user: { role: 'loan_officer' } } });
    expect(await host.dispatch('users.changeOwnPassword', { currentPassword: 'Officer2026', newPassword: 'Officer2027' }, officer)).toMatchObject({ ok: true });
    for (const [method, input] of [
      ['users.list', {}],
      ['users.create', { username: 'evil', displayName: 'x', role: 'admin', password: 'Password123' }],
      ['audit.list', {}],
      ['audit.verify', {}],
      ['settings.updateSecurity', { idleLockMinutes: 240 }],
    ] as const) {
      expect(await host.dispatch(method, input, officer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await host.dispatch('users.list', {}, { sessionId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('locks an account after five wrong passwords, and the lock expires after 15 minutes', async () => {
    await createOfficer();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await host.dispatch('session.login', { username: 'wangwu', password: `Wrong${attempt}` }, officer)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_CREDENTIALS', details: { remainingAttempts: 5 - attempt } },
      });
    }
    expect(await host.dispatch('session.login', { username: 'wangwu', password: 'Wrong5' }, officer)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    // Even the right password is refused while locked.
    expect(await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    host.advance(14 * 60_000);
    expect(await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    host.advance(2 * 60_000);
    expect(await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer)).toMatchObject({ ok: true });
  });

  it('never writes a password, or its hash, to the log or the audit trail', async () => {
    await createOfficer();
    await host.dispatch('session.login', { username: 'wangwu', password: 'NotMyPassword9' }, officer);
    await host.dispatch('session.login', { username: 'ghost', password: 'GhostPassword9' }, officer);
    await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer);
    await host.dispatch('users.changeOwnPassword', { currentPassword: 'Officer2026', newPassword: 'Officer2027' }, officer);
    const audit = JSON.stringify(host.store.db.prepare('SELECT * FROM audit_log').all());
    const hashes = host.store.db.prepare('SELECT password_hash FROM users').pluck().all() as string[];
    for (const secret of ['NotMyPassword9', 'GhostPassword9', 'Officer2026', 'Officer2027', 'Admin2026ok', ...hashes]) {
      expect(audit).not.toContain(secret);
      expect(host.logs.join('\n')).not.toContain(secret);
    }
    expect(audit).toContain('login_failed');
    expect(verifyAuditChain(host.store.db).ok).toBe(true);
  });

  it('locks an idle session, keeps it for unlocking with the password, and refuses calls meanwhile', async () => {
    host.advance(16 * 60_000);
    expect(await host.dispatch('users.list', {}, admin)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await host.dispatch('session.get', {}, admin)).toMatchObject({ ok: true, value: { locked: true, user: { username: 'admin' } } });
    expect(await host.dispatch('session.unlock', { password: 'wrong-one1' }, admin)).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await host.dispatch('session.unlock', { password: 'Admin2026ok' }, admin)).toMatchObject({ ok: true, value: { locked: false } });
    expect((await host.dispatch('users.list', {}, admin)).ok).toBe(true);
  });

  it('signs a disabled user out and refuses their next login', async () => {
    await createOfficer();
    await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer);
    const list = await host.dispatch('users.list', {}, admin);
    const wangwu = list.ok ? (list.value as { id: string; username: string; version: number }[]).find((u) => u.username === 'wangwu') : undefined;
    expect(await host.dispatch('users.update', { id: wangwu!.id, version: wangwu!.version, disabled: true }, admin)).toMatchObject({ ok: true, value: { disabled: true } });
    expect(await host.dispatch('session.heartbeat', {}, officer)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await host.dispatch('session.login', { username: 'wangwu', password: 'Officer2026' }, officer)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } });
  });

  it('shows a record its history and filters the audit list', async () => {
    await createOfficer();
    const list = await host.dispatch('audit.list', { recordType: 'users' }, admin);
    expect(list).toMatchObject({ ok: true, value: { total: 2 } });
    const exported = await host.dispatch('audit.export', { recordType: 'users' }, admin);
    expect(exported).toMatchObject({ ok: true, value: { rows: 2 } });
    if (exported.ok) expect(Buffer.from((exported.value as { contentBase64: string }).contentBase64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });
});
