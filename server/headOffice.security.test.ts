import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILED_ATTEMPTS } from '../shared/domain/lockout.ts';
import { hubConfig } from './config.ts';
import { openStorage } from './storage.ts';
import { startHub, stopHub, type Running } from './testing/hubProcess.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN_TOKEN = 'head-office-security-admin-token-0123456789';

interface Answer {
  status: number;
  headers: Headers;
  body: { ok: boolean; value?: Record<string, unknown>; error?: { code: string; details?: Record<string, unknown> } };
}

/** Head office's people and CSRF rules against `npm run headoffice` over real HTTP (issue 18, acceptance 4). */
describe.each(testStorages())('head-office sign-in and CSRF on $name', (testStorage) => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-ho-security-'));
  let env: Record<string, string>;
  let cleanupStorage: () => Promise<void>;
  let hub: Running;

  const request = async (path: string, options: { method?: string; cookie?: string; csrf?: string; body?: unknown; origin?: string | null; token?: string } = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
    if (options.origin !== null) headers.origin = options.origin ?? hub.url;
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(new URL(path, hub.url), { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as Answer['body'] };
  };

  const signIn = async (username: string, password: string) => {
    const answer = await request('/console/api/session', { body: { username, password } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0] ?? '', setCookie, csrf: String(answer.body.value?.csrfToken) };
  };

  const createUser = (as: { cookie: string; csrf: string }, username: string, role: string) =>
    request('/console/api/users', { cookie: as.cookie, csrf: as.csrf, body: { username, displayName: `${username} 用户`, role, password: 'Passw0rd-ho' } });

  beforeAll(async () => {
    const storageEnv = await testStorage.processEnv();
    cleanupStorage = storageEnv.cleanup;
    env = { ...storageEnv.env, HEADOFFICE_PORT: '0', HEADOFFICE_DATA_DIR: join(dir, 'data'), HEADOFFICE_ADMIN_TOKEN: ADMIN_TOKEN };
    hub = await startHub(env);
  }, 60_000);

  afterAll(async () => {
    if (hub !== undefined) await stopHub(hub);
    await cleanupStorage?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps the first 总行管理员 only with the admin token, and only that role', async () => {
    const body = { username: 'ho.admin', displayName: '总行管理员甲', role: 'ho_admin', password: 'Passw0rd-ho' };
    expect((await request('/admin/head-office/users', { body })).status).toBe(401);
    expect((await request('/admin/head-office/users', { body: { ...body, role: 'ho_viewer' }, token: ADMIN_TOKEN })).status).toBe(400);
    const created = await request('/admin/head-office/users', { body, token: ADMIN_TOKEN });
    expect(created.status).toBe(200);
    expect(created.body.value).toMatchObject({ username: 'ho.admin', role: 'ho_admin' });
    expect(JSON.stringify(created.body)).not.toContain('scrypt');
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie that never holds the admin token', async () => {
    const admin = await signIn('ho.admin', 'Passw0rd-ho');
    expect(admin.setCookie).toMatch(/^gl_ho=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(admin.setCookie).not.toContain(ADMIN_TOKEN);
    const session = await request('/console/api/session', { cookie: admin.cookie });
    expect(session.body.value).toMatchObject({ user: { username: 'ho.admin' } });
    // The console's pages and its API answers carry no admin token, signed in or not.
    for (const path of ['/console/login', '/console', '/console/users', '/console/approvals', '/console/api/session', '/console/api/users']) {
      const page = await fetch(new URL(path, hub.url), { headers: { cookie: admin.cookie } });
      expect(await page.text()).not.toContain(ADMIN_TOKEN);
      expect(page.headers.get('set-cookie') ?? '').not.toContain(ADMIN_TOKEN);
    }
  });

  it('never asks the console for the admin token: the sign-in is a named person’s, and the token opens none of its pages or API', async () => {
    // The sign-in is the contract's username and password (shared/api/console.ts), strictly: a token field is refused.
    const post = (body: Record<string, string>) => fetch(new URL('/console/api/session', hub.url), { method: 'POST', headers: { 'content-type': 'application/json', origin: hub.url }, body: JSON.stringify(body) });
    for (const body of [{ token: ADMIN_TOKEN }, { username: 'ho.admin', password: ADMIN_TOKEN }, { username: ADMIN_TOKEN, password: ADMIN_TOKEN }, { username: 'ho.admin', password: 'Passw0rd-ho', token: ADMIN_TOKEN }] as Record<string, string>[]) {
      const answer = await post(body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    // The wrong password above counted towards ho.admin's lockout; the right one starts it again.
    await signIn('ho.admin', 'Passw0rd-ho');
    // The hub's own pages send the token's bearer to sign in; the app's pages (/console, /console/users)
    // hold no data: what they show comes from the API, which the token does not open either.
    for (const path of ['/console/api/session', '/console/api/users', '/console/api/audit', '/console/api/branches', '/console/api/registers', '/console/api/registers/loans', '/console/api/registers/loans/export.xlsx', '/console/api/enterprises', '/console/api/register-filters', '/console/api/reference', '/console/api/reference/approval-authority', '/console/api/reference/approval-authority/workbook.xlsx', '/console/api/statistics?kind=quarter&key=2026Q3', '/console/api/statistics.xlsx?kind=quarter&key=2026Q3', '/console/api/approvals'])
      expect([path, (await request(path, { token: ADMIN_TOKEN })).status]).toEqual([path, 401]);
    expect((await request('/console/api/users', { token: ADMIN_TOKEN, body: { username: 'x0', displayName: 'x', role: 'ho_viewer', password: 'Passw0rd-ho' } })).status).toBe(401);
  });

  it('changes nothing without a session, a CSRF token and the console origin', async () => {
    const admin = await signIn('ho.admin', 'Passw0rd-ho');
    expect((await request('/console/api/users', { body: { username: 'x1', displayName: 'x', role: 'ho_viewer', password: 'Passw0rd-ho' } })).status).toBe(401);
    const noToken = await request('/console/api/users', { cookie: admin.cookie, body: { username: 'x2', displayName: 'x', role: 'ho_viewer', password: 'Passw0rd-ho' } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CSRF' } });
    expect((await request('/console/api/users', { cookie: admin.cookie, csrf: 'wrong', body: { username: 'x3', displayName: 'x', role: 'ho_viewer', password: 'Passw0rd-ho' } })).status).toBe(403);
    expect((await request('/console/api/users', { cookie: admin.cookie, csrf: admin.csrf, origin: 'https://evil.example', body: { username: 'x4', displayName: 'x', role: 'ho_viewer', password: 'Passw0rd-ho' } })).status).toBe(403);
    // Another session's token is no good either: the token belongs to its session.
    const other = await signIn('ho.admin', 'Passw0rd-ho');
    expect((await request('/console/api/users', { cookie: admin.cookie, csrf: other.csrf, body: { username: 'x5', displayName: 'x', role: 'ho_viewer', password: 'Passw0rd-ho' } })).status).toBe(403);
    // A decision likewise: without a session, a token, the right token or the console's origin it is
    // refused before the hub looks at the role or the application (these ids name nothing).
    const decision = `/console/api/approvals/${crypto.randomUUID()}/${crypto.randomUUID()}`;
    const decisionBody = { action: 'approve', opinion: '同意授信', version: 1 };
    expect((await request(decision, { body: decisionBody })).status).toBe(401);
    expect((await request(decision, { cookie: admin.cookie, body: decisionBody })).body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CSRF' } });
    expect((await request(decision, { cookie: admin.cookie, csrf: 'wrong', body: decisionBody })).body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CSRF' } });
    expect((await request(decision, { cookie: admin.cookie, csrf: admin.csrf, origin: 'https://evil.example', body: decisionBody })).body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CSRF' } });
    expect((await request(`/console/api/records/enterprises/${crypto.randomUUID()}/${crypto.randomUUID()}/ratings`, { cookie: admin.cookie, body: { level: 'red', bureau: '生态环境局', ratedOn: '2026-11-20' } })).body.error).toMatchObject({ details: { reason: 'CSRF' } });
    // A form post from another site (no JSON) is refused before any handler.
    const form = await fetch(new URL('/console/api/users', hub.url), { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=x6' });
    expect(form.status).toBeGreaterThanOrEqual(400);
    // Bad input: a clear validation error, nothing created.
    expect((await createUser(admin, 'x7', 'ho_root')).body.error).toMatchObject({ code: 'VALIDATION' });
    const users = await request('/console/api/users', { cookie: admin.cookie });
    expect((users.body.value?.users as { username: string }[]).map((u) => u.username)).toEqual(['ho.admin']);
    // Signing out needs the token too, and ends the session.
    // A reference set is neither previewed nor published without the session and its token (checked before the role).
    const preview = { kind: 'tables', tables: [{ path: null, rows: [{ path: 'source', value: '越权' }] }] };
    for (const [path, body] of [['/console/api/reference/approval-authority/preview', preview], ['/console/api/reference/pledge-rate-caps-test', { data: { cap: 0.5 } }]] as const) {
      expect((await request(path, { body })).status).toBe(401);
      expect((await request(path, { cookie: admin.cookie, body })).body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CSRF' } });
      expect((await request(path, { cookie: admin.cookie, csrf: other.csrf, body })).status).toBe(403);
      expect((await request(path, { cookie: admin.cookie, csrf: admin.csrf, origin: 'https://evil.example', body })).status).toBe(403);
    }
    expect((await request('/console/api/session/logout', { cookie: other.cookie, body: {} })).status).toBe(403);
    expect((await request('/console/api/session/logout', { cookie: other.cookie, csrf: other.csrf, body: {} })).status).toBe(200);
    expect((await request('/console/api/session', { cookie: other.cookie })).status).toBe(401);
  });

  it('lets a 总行管理员 create an approver and a viewer; a 总行查看 can neither publish nor manage people', async () => {
    const admin = await signIn('ho.admin', 'Passw0rd-ho');
    expect((await createUser(admin, 'ho.approver', 'ho_approver')).status).toBe(200);
    expect((await createUser(admin, 'ho.viewer', 'ho_viewer')).status).toBe(200);
    expect((await createUser(admin, 'HO.Viewer', 'ho_viewer')).body.error).toMatchObject({ code: 'CONFLICT' });

    const viewer = await signIn('ho.viewer', 'Passw0rd-ho');
    const publish = await request('/console/api/reference/pledge-rate-caps-test', { cookie: viewer.cookie, csrf: viewer.csrf, body: { data: { cap: 0.5 } } });
    expect(publish.status).toBe(403);
    expect(publish.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'ROLE', permission: 'reference.publish' } });
    // Nor preview one (the upload's first step), though the 总行查看 reads the sets and their workbooks.
    const preview = await request('/console/api/reference/approval-authority/preview', { cookie: viewer.cookie, csrf: viewer.csrf, body: { kind: 'tables', tables: [{ path: null, rows: [{ path: 'source', value: '越权' }] }] } });
    expect(preview.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'ROLE', permission: 'reference.publish' } });
    expect((await request('/console/api/reference/approval-authority', { cookie: viewer.cookie })).status).toBe(200);
    expect((await createUser(viewer, 'ho.sneaky', 'ho_admin')).status).toBe(403);
    // An administrator may not publish either: reference data is the approvers' (the role table).
    expect((await request('/console/api/reference/pledge-rate-caps-test', { cookie: admin.cookie, csrf: admin.csrf, body: { data: { cap: 0.5 } } })).status).toBe(403);

    // Nor may a 总行查看 decide an escalated application, nor record a rating: refused on the role
    // (the shared headOfficeMay), before any lookup — the ids here name nothing.
    const decision = { action: 'approve', opinion: '同意授信', version: 1 };
    const decide = await request(`/console/api/approvals/${crypto.randomUUID()}/${crypto.randomUUID()}`, { cookie: viewer.cookie, csrf: viewer.csrf, body: decision });
    expect(decide.status).toBe(403);
    expect(decide.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'ROLE', permission: 'applications.decide' } });
    const rating = await request(`/console/api/records/enterprises/${crypto.randomUUID()}/${crypto.randomUUID()}/ratings`, { cookie: viewer.cookie, csrf: viewer.csrf, body: { level: 'red', bureau: '生态环境局', ratedOn: '2026-11-20' } });
    expect(rating.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'ROLE', permission: 'records.edit' } });
    // A 总行管理员 neither: deciding is the approvers' (the role table).
    expect((await request(`/console/api/approvals/${crypto.randomUUID()}/${crypto.randomUUID()}`, { cookie: admin.cookie, csrf: admin.csrf, body: decision })).body.error).toMatchObject({ details: { reason: 'ROLE' } });
    // They read the queue all the same.
    expect((await request('/console/api/approvals', { cookie: viewer.cookie })).body.value).toMatchObject({ rows: [], total: 0, page: 1 });

    const approver = await signIn('ho.approver', 'Passw0rd-ho');
    const published = await request('/console/api/reference/pledge-rate-caps-test', { cookie: approver.cookie, csrf: approver.csrf, body: { data: { cap: 0.5 } } });
    expect(published.status).toBe(200);
    // Version 1: none of the refused attempts published anything.
    expect(published.body.value).toMatchObject({ name: 'pledge-rate-caps-test', version: 1 });
  });

  it(`locks an account after ${MAX_FAILED_ATTEMPTS} wrong passwords, even against the right one`, async () => {
    for (let attempt = 1; attempt < MAX_FAILED_ATTEMPTS; attempt += 1) {
      const wrong = await request('/console/api/session', { body: { username: 'ho.viewer', password: `Wrong${attempt}x` } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error?.details).toMatchObject({ remainingAttempts: MAX_FAILED_ATTEMPTS - attempt });
    }
    const locking = await request('/console/api/session', { body: { username: 'ho.viewer', password: 'Wrong5x' } });
    expect(locking.status).toBe(429);
    expect(locking.body.error?.details).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
    const right = await request('/console/api/session', { body: { username: 'ho.viewer', password: 'Passw0rd-ho' } });
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    // Sign-in from another site is refused before the password is looked at.
    expect((await request('/console/api/session', { origin: 'https://evil.example', body: { username: 'ho.admin', password: 'Passw0rd-ho' } })).status).toBe(403);
  });

  it('keeps every action in a verifying chain, exports it, and detects a row rewritten in the database', async () => {
    const admin = await signIn('ho.admin', 'Passw0rd-ho');
    const audit = await request('/console/api/audit', { cookie: admin.cookie });
    const value = audit.body.value as { rows: { seq: number; action: string; user_name: string | null }[]; total: number; verification: { ok: boolean; checked: number } };
    expect(value.verification).toMatchObject({ ok: true, checked: value.total });
    const actions = value.rows.map((row) => row.action);
    for (const action of ['head_office_user.create', 'sign_in', 'sign_out', 'refused', 'reference.publish', 'sign_in.failed', 'sign_in.locked', 'sign_in.refused_locked']) expect(actions).toContain(action);
    expect(value.rows.find((row) => row.action === 'reference.publish')?.user_name).toBe('ho.approver 用户');

    const exported = await fetch(new URL('/console/api/audit.xlsx', hub.url), { headers: { cookie: admin.cookie } });
    expect(exported.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await exported.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect(workbook.getWorksheet('总行审计日志')!.rowCount).toBe(value.total + 1);
    expect(workbook.getWorksheet('校验')!.getRow(1).getCell(2).value).toBe('审计链完整');

    // Stop the hub, rewrite a row as someone with the database's rights would, start it again.
    await stopHub(hub);
    const storage = await openStorage(hubConfig(env));
    try {
      await expect(storage.query("UPDATE head_office_audit SET user_name = 'x' WHERE seq = 2")).rejects.toThrow(/append-only/);
      await expect(storage.query('DELETE FROM head_office_audit WHERE seq = 2')).rejects.toThrow(/append-only/);
      await storage.exec("ALTER TABLE head_office_audit DISABLE TRIGGER head_office_audit_append_only; UPDATE head_office_audit SET user_name = '无名氏' WHERE seq = 2; ALTER TABLE head_office_audit ENABLE TRIGGER head_office_audit_append_only;");
    } finally {
      await storage.close();
    }
    hub = await startHub(env);
    const again = await signIn('ho.admin', 'Passw0rd-ho');
    const tampered = await request('/console/api/audit', { cookie: again.cookie });
    expect(tampered.body.value?.verification).toMatchObject({ ok: false, problems: [{ seq: 2, kind: 'edited' }] });
  }, 60_000);
});
