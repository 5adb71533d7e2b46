import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { admin, branchWithCode, startHub, type HubProcess } from '../tests/sync/hub.ts';
import { createHub } from './hub.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';
import { HEAD_OFFICE_TEST_PASSWORD, headOfficeAdmin, type HeadOfficeLogin } from './testing/headOffice.ts';
import { createHeadOfficeUser } from './headOfficeUsers.ts';

/**
 * What the hub exposes to an address without secrets (issue 9, M2 and L4), over real HTTP against
 * the real hub process (`npm run headoffice`) with its default limits.
 */

/** Resident memory of a process, from /proc (Linux). */
const rssBytes = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;

/** 16 MB of nested '[' is ≈15.5 KB of gzip: the bomb of the security review. */
const nestingBomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, '['), { level: 9 });


describe('the hub process, to an address without secrets', () => {
  let hub: HubProcess;

  beforeAll(async () => {
    hub = await startHub();
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const enroll = (body: unknown) => call(hub.url, '/sync/v1/enroll', { body });

  it('refuses a gzip bomb of nested brackets at enrollment unread (413), holding no memory, and keeps serving /health', async () => {
    expect(nestingBomb.length).toBeLessThan(16 * 1024);
    const pid = hub.process.pid as number;
    const before = rssBytes(pid);
    const bombs = Array.from({ length: 8 }, () => call(hub.url, '/sync/v1/enroll', { raw: nestingBomb, headers: { 'content-encoding': 'gzip' } }));
    const health = call(hub.url, '/health');
    const answers = await Promise.all(bombs);
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      // Refused from Content-Length against the enrollment limit: nothing was inflated or parsed.
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', details: { limit: 4096 } } });
    }
    expect((await health).status).toBe(200);
    expect((await call(hub.url, '/health')).status).toBe(200);
    // Parsed, each bomb cost ~800 MB; refused unread, the hub grows by far less than one of them.
    expect(rssBytes(pid) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses deep nesting in a small body before JSON.parse, and inflating past an endpoint limit', async () => {
    const deep = await call(hub.url, '/sync/v1/enroll', { raw: `${'['.repeat(65)}${']'.repeat(65)}` });
    expect(deep.status).toBe(413);
    expect(deep.body).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', details: { maxDepth: 64 } } });
    // A small gzip body that inflates past the enrollment limit is stopped while inflating.
    const inflating = await call(hub.url, '/sync/v1/enroll', { raw: gzipSync(JSON.stringify({ code: 'x'.repeat(10_000) })), headers: { 'content-encoding': 'gzip' } });
    expect(inflating.status).toBe(413);
    expect(inflating.body).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', details: { limit: 4096 } } });
    // Strings may hold brackets: only structure counts.
    const bracketsInAString = await enroll({ code: '[[[[', deviceName: '['.repeat(100), clientId: uuidv7() });
    expect(bracketsInAString.status).toBe(400);
  });

  it('answers 429 with Retry-After after ten wrong enrollment codes from one address, without checking the next code', async () => {
    const { enrollmentCode } = await branchWithCode(hub, '限流支行', 'RL-1');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const wrong = await enroll({ code: `WRONG-CODE-${String(attempt).padStart(4, '0')}`, deviceName: '猜测', clientId: uuidv7() });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ ok: false, error: { code: 'ENROLLMENT_INVALID' } });
    }
    const refused = await enroll({ code: enrollmentCode, deviceName: '正当设备', clientId: uuidv7() });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The code was not spent: the hub never looked at it.
    const { branches } = await admin<{ branches: { code: string; devices: unknown[] }[] }>(hub, '/admin/branches');
    expect(branches.find((branch) => branch.code === 'RL-1')?.devices).toEqual([]);
    expect((await call(hub.url, '/health')).status).toBe(200);
  });

  describe('the console', () => {
    /** Who the cookie signs in (the console app asks this first): 200 with the person, 401 for none. */
    const open = (cookie: string) => fetch(new URL('/console/api/session', hub.url), { redirect: 'manual', headers: { cookie } });

    let person: HeadOfficeLogin;
    const signIn = (headers: Record<string, string> = {}) =>
      fetch(new URL('/console/api/session', hub.url), { method: 'POST', headers: { 'content-type': 'application/json', origin: hub.url, ...headers }, body: JSON.stringify({ username: person.username, password: person.password }) });
    beforeAll(async () => {
      person = await headOfficeAdmin(hub.url, hub.adminToken);
    });

    it('keeps a random session id in an HttpOnly, SameSite=Strict cookie, never the admin token, and ignores ids it did not issue', async () => {
      const signedIn = await signIn();
      expect(signedIn.status).toBe(200);
      expect(await signedIn.text()).not.toContain(hub.adminToken);
      const setCookie = signedIn.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^gl_ho=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
      expect(setCookie).not.toContain(hub.adminToken);
      expect(setCookie).not.toContain(encodeURIComponent(hub.adminToken));
      const cookie = setCookie.split(';')[0] as string;
      expect((await open(cookie)).status).toBe(200);
      // The old cookie format (the raw token) and made-up ids open nothing.
      for (const forged of [`gl_ho=${encodeURIComponent(hub.adminToken)}`, `gl_console=${encodeURIComponent(hub.adminToken)}`, 'gl_ho=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        expect((await open(forged)).status).toBe(401);
      }
    });

    it('signs out only by the API’s POST with the session’s CSRF token from its own origin, and the session is gone afterwards', async () => {
      // A GET (a link, an image on another page) is the app's page, not a sign-out.
      const cookie = ((await signIn()).headers.get('set-cookie') ?? '').split(';')[0] as string;
      const link = await fetch(new URL('/console/api/session/logout', hub.url), { redirect: 'manual', headers: { cookie } });
      expect(link.headers.get('set-cookie')).toBeNull();
      expect((await open(cookie)).status).toBe(200);
      // The app's sign-out: the API's, with the session's CSRF token.
      const again = await signIn();
      const session = ((await again.json()) as { value: { csrfToken: string } }).value;
      const other = (again.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const apiSignOut = (csrf: string) => fetch(new URL('/console/api/session/logout', hub.url), { method: 'POST', headers: { cookie: other, origin: hub.url, 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' });
      expect((await apiSignOut('not-the-token')).status).toBe(403);
      const foreign = await fetch(new URL('/console/api/session/logout', hub.url), { method: 'POST', headers: { cookie: other, origin: 'https://evil.example', 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: '{}' });
      expect(foreign.status).toBe(403);
      expect((await open(other)).status).toBe(200);
      const out = await apiSignOut(session.csrfToken);
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
      expect((await open(other)).status).toBe(401);
    });

    it('refuses a sign-in posted from another site', async () => {
      const answer = await signIn({ origin: 'https://evil.example' });
      expect(answer.status).toBe(403);
      expect(answer.headers.get('set-cookie')).toBeNull();
    });
  });

  // Last: it locks 127.0.0.1 out of the admin API of this hub process for the window.
  it('answers 429 with Retry-After after ten wrong admin tokens (API and /metrics together), even to the right one; the console’s named sign-in is not the admin token’s', async () => {
    const person = await headOfficeAdmin(hub.url, hub.adminToken);
    const wrong = 'wrong-admin-token-0123456789';
    for (let attempt = 0; attempt < 7; attempt += 1) expect((await call(hub.url, '/admin/branches', { token: wrong })).status).toBe(401);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await fetch(new URL('/metrics', hub.url), { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    const refused = await call(hub.url, '/admin/branches', { token: hub.adminToken });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const login = await fetch(new URL('/console/api/session', hub.url), { method: 'POST', headers: { 'content-type': 'application/json', origin: hub.url }, body: JSON.stringify({ username: person.username, password: person.password }) });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/^gl_ho=/);
  });
});

describe('device tokens and pushes', () => {
  const ADMIN = 'exposure-test-admin-token-0123456789';
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await testStorages()[0]!.open();
    const hub = await createHub({ storage: opened.storage, adminToken: ADMIN, attemptLimits: { device: { max: 3, windowMs: 60_000 } } });
    url = await hub.listen();
    close = async () => {
      await hub.close();
      await opened.cleanup();
    };
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  it('refuses a nesting bomb from an enrolled device at its push limit, after inflating at most 16 MB and parsing nothing', async () => {
    const branch = valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: '推送支行', code: 'PU-1', divisionCode: '360222' } }));
    const device = await TestDevice.enroll(url, ADMIN, branch.id);
    valueOf(await device.hello());
    const answer = await call(url, '/sync/v1/push', { token: device.token, raw: nestingBomb, headers: { 'content-encoding': 'gzip' } });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    // A real page still goes through.
    expect(await device.pushOk([device.write('enterprises', uuidv7(), 'insert', { name: '正常企业' })])).toHaveLength(1);
  });

  it('answers 429 after too many unknown device tokens from one address', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await call(url, '/sync/v1/pull', { token: `guess-${attempt}`, body: {} })).status).toBe(401);
    const refused = await call(url, '/sync/v1/pull', { token: 'guess-4', body: {} });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the console under TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-console-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the session cookie Secure', async () => {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    expect(made.status).toBe(0);
    const opened = await testStorages()[0]!.open();
    const ADMIN = 'exposure-tls-admin-token-0123456789';
    const hub = await createHub({ storage: opened.storage, adminToken: ADMIN, tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) } });
    try {
      const url = await hub.listen();
      await createHeadOfficeUser(opened.storage, { userId: null, userName: '管理员令牌' }, { username: 'tls.admin', displayName: '总行管理员', role: 'ho_admin', password: HEAD_OFFICE_TEST_PASSWORD, approvalLimitFen: null });
      const setCookie = await new Promise<string>((resolve, reject) => {
        void import('node:https').then(({ request }) => {
          const body = JSON.stringify({ username: 'tls.admin', password: HEAD_OFFICE_TEST_PASSWORD });
          const req = request(`${url}/console/api/session`, { method: 'POST', ca: readFileSync(join(dir, 'cert.pem')), headers: { 'content-type': 'application/json', origin: url, 'content-length': Buffer.byteLength(body) } }, (res) => {
            res.resume();
            resolve(String(res.headers['set-cookie'] ?? ''));
          });
          req.on('error', reject);
          req.end(body);
        });
      });
      expect(setCookie).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await hub.close();
      await opened.cleanup();
    }
  });
});
