import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, MAX_UPLOAD_INPUT_BYTES } from '../../../shared/api/result.ts';
import { rawRequest, testHost } from '../testing.ts';
import { startWebHost, TOKEN_HEADER, type WebHost } from './server.ts';

describe('browser-mode web host over HTTP', () => {
  const host = testHost();
  let web: WebHost;
  let headers: Record<string, string>;

  beforeAll(async () => {
    web = await startWebHost({ dispatch: host.dispatch });
    headers = { 'content-type': 'application/json', [TOKEN_HEADER]: web.token, host: `127.0.0.1:${web.port}` };
    await host.dispatch(
      'setup.initialize',
      { branch: { name: '浮梁县支行', code: '36022201', divisionCode: '360222' }, admin: { username: 'admin', displayName: '管理员', password: 'Admin2026ok' } },
      { sessionId: 'setup' },
    );
  });
  afterAll(async () => {
    await web.close();
    host.cleanup();
  });

  const post = (path: string, body: string, extra: Record<string, string> = {}) =>
    rawRequest(web.port, { path, body, headers: { ...headers, ...extra } });

  async function expectStillServing(): Promise<void> {
    const res = await post('/api/app.info', '{}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'browser' } });
  }

  it('serves a valid call, sets an HttpOnly session cookie and security headers', async () => {
    const res = await post('/api/settings.get', '{}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { locale: 'zh-CN' } });
    expect(String(res.headers['set-cookie'])).toMatch(/gl_session=.*HttpOnly; SameSite=Strict/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // Attachment previews: a PDF in a frame from this host's /files/ path; still no plugins (object-src 'none').
    expect(res.headers['content-security-policy']).toContain("frame-src 'self' blob:");
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
  });

  const malformed: [string, () => Promise<{ status: number; body: string }>, number, string][] = [
    ['unknown method', () => post('/api/nope.nothing', '{}'), 404, 'UNKNOWN_METHOD'],
    ['wrong types', () => post('/api/settings.update', '{"locale":7}'), 400, 'VALIDATION'],
    ['malformed JSON', () => post('/api/settings.update', '{"locale":'), 400, 'VALIDATION'],
    ['oversize body', () => post('/api/settings.update', JSON.stringify({ locale: 'x'.repeat(1_100_000) })), 413, 'PAYLOAD_TOO_LARGE'],
    ['missing token', () => rawRequest(web.port, { path: '/api/app.info', body: '{}', headers: { ...headers, [TOKEN_HEADER]: '' } }), 401, 'UNAUTHENTICATED'],
    ['wrong token', () => post('/api/app.info', '{}', { [TOKEN_HEADER]: 'x'.repeat(43) }), 401, 'UNAUTHENTICATED'],
    ['foreign Origin', () => post('/api/app.info', '{}', { origin: 'http://evil.example' }), 403, 'FORBIDDEN'],
    ['foreign Host (DNS rebinding)', () => post('/api/app.info', '{}', { host: `evil.example:${web.port}` }), 403, 'FORBIDDEN'],
    ['form content type', () => post('/api/app.info', '{}', { 'content-type': 'text/plain' }), 400, 'VALIDATION'],
    ['unknown route', () => rawRequest(web.port, { method: 'GET', path: '/api/app.info', headers }), 404, 'NOT_FOUND'],
  ];

  it.each(malformed)('answers %s with a structured error and keeps serving', async (_name, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code } });
    await expectStillServing();
  });

  it('applies each method its own body limit: uploads get 32 MiB, everything else 1 MiB', async () => {
    const pad = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes) });
    // 2 MiB to an upload method passes the transport (and then meets the session check) …
    const upload = await post('/api/attachments.add', pad(2 * 1024 * 1024));
    expect(upload.status).toBe(401);
    expect(JSON.parse(upload.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // … but not to any other method, known or unknown …
    for (const path of ['/api/settings.update', '/api/enterprises.list', '/api/no.such']) {
      const res = await post(path, pad(2 * 1024 * 1024));
      expect([path, res.status]).toEqual([path, 413]);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', details: { limit: MAX_INPUT_BYTES } } });
    }
    // … and an upload over its own limit is refused too, with Content-Length or chunked.
    const huge = pad(MAX_UPLOAD_INPUT_BYTES + 10);
    for (const extra of [{ 'content-length': String(Buffer.byteLength(huge)) }, {}] as Record<string, string>[]) {
      const res = await post('/api/enterprises.importRun', huge, extra);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', details: { limit: MAX_UPLOAD_INPUT_BYTES } } });
    }
    await expectStillServing();
  });

  it('refuses every path the router would read differently from its raw form, token or not (H1)', async () => {
    const login = JSON.stringify({ username: 'admin', password: 'Admin2026ok' });
    const noToken = { ...headers, [TOKEN_HEADER]: '' };
    const disguised = [
      '/%61pi/session.login',
      '/ap%69/session.login',
      '/api/%73ession.login',
      '/api%2Fsession.login',
      '//api/session.login',
      '/api//session.login',
      '/x/../api/session.login',
      '/api/./session.login',
      '/./api/session.login',
      // An attachment's path may carry percent-encoding in its file name, never a way out of it.
      '/files/x/%2F..%2Fapi%2Fsession.login',
      '/files/x/..%2Fapi%2Fsession.login',
      '/files/%2e%2e/api/session.login',
    ];
    for (const path of disguised) {
      for (const extra of [noToken, headers]) {
        const res = await rawRequest(web.port, { path, body: login, headers: extra });
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
    }
    // The canonical path still needs the token, and works with it.
    expect((await rawRequest(web.port, { path: '/api/session.login', body: login, headers: noToken })).status).toBe(401);
    const res = await post('/api/session.login', login);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { user: { username: 'admin' } } });
  });

  it('refuses a lone surrogate before anything is audited, so the chain verifies and a backup restores (H2)', async () => {
    // JSON.stringify keeps the lone half as the escape \\ud800, exactly as an attacker would send it.
    const attack = await post('/api/session.login', JSON.stringify({ username: '\ud800zz', password: 'whatever1' }));
    expect(attack.status).toBe(400);
    expect(JSON.parse(attack.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['username'], message: 'NOT_WELL_FORMED' }] } } });

    const login = await post('/api/session.login', JSON.stringify({ username: 'admin', password: 'Admin2026ok' }));
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const asAdmin = async (method: string, body: unknown = {}) => JSON.parse((await post(`/api/${method}`, JSON.stringify(body), { cookie })).body) as { ok: boolean; value: { ok?: boolean; fileName?: string } };
    expect((await asAdmin('audit.verify')).value).toMatchObject({ ok: true, problems: [] });
    const backup = await asAdmin('backup.create');
    expect(backup).toMatchObject({ ok: true });
    expect(await asAdmin('backup.restore', { fileName: backup.value.fileName })).toMatchObject({ ok: true, value: { restored: true } });
  });

  it('issues a fresh session id at login and unlock, and never adopts one it did not issue (M4)', async () => {
    const cookieOf = (res: { headers: Record<string, string | string[] | undefined> }) => /gl_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    const as = (cookie: string, method: string, body: unknown = {}) => post(`/api/${method}`, JSON.stringify(body), { cookie: `gl_session=${cookie}` });
    // A value the host did not issue (the old format included) is replaced, not adopted.
    const planted = '0190b5a0-0000-7000-8000-0000000000aa';
    const first = await as(planted, 'session.get');
    const issued = cookieOf(first);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    // An id the host did issue (an attacker can get one too) is kept until sign-in …
    expect(cookieOf(await as(issued!, 'session.get'))).toBeUndefined();
    const login = await as(issued!, 'session.login', { username: 'admin', password: 'Admin2026ok' });
    const signedIn = cookieOf(login);
    expect(JSON.parse(login.body)).toMatchObject({ ok: true, value: { user: { username: 'admin' } } });
    // … which moves the session to a fresh id: the one known before is not signed in.
    expect(signedIn).toBeDefined();
    expect(signedIn).not.toBe(issued);
    expect(JSON.parse((await as(issued!, 'session.get')).body)).toMatchObject({ ok: true, value: { user: null } });
    expect(JSON.parse((await as(signedIn!, 'session.get')).body)).toMatchObject({ ok: true, value: { user: { username: 'admin' } } });
    // Unlocking moves it again.
    host.advance(16 * 60_000);
    expect(JSON.parse((await as(signedIn!, 'users.list')).body)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    const unlock = await as(signedIn!, 'session.unlock', { password: 'Admin2026ok' });
    const unlocked = cookieOf(unlock);
    expect(JSON.parse(unlock.body)).toMatchObject({ ok: true, value: { locked: false } });
    expect(unlocked).toBeDefined();
    expect(unlocked).not.toBe(signedIn);
    expect(JSON.parse((await as(signedIn!, 'session.get')).body)).toMatchObject({ ok: true, value: { user: null } });
    expect(JSON.parse((await as(unlocked!, 'users.list')).body)).toMatchObject({ ok: true });
    // A forged id in the issued format (wrong signature) is replaced too.
    const forged = `${unlocked!.split('.')[0]}.${'A'.repeat(43)}`;
    const res = await as(forged, 'users.list');
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(cookieOf(res)).not.toBe(forged);
  });

  it('accepts the loopback name localhost and a same-origin Origin', async () => {
    const res = await post('/api/app.info', '{}', { host: `localhost:${web.port}`, origin: `http://localhost:${web.port}` });
    expect(res.status).toBe(200);
  });
});
