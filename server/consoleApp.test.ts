import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from './hub.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'console-app-test-admin-token-0123456789';

/**
 * How the hub serves the console app's build (server/consoleApp.ts): the build's files as they are,
 * every client route of the app with its index.html, the API never answered by the app's page. The build is a directory written here (the hub serves
 * whatever Vite wrote, so its content is no part of what is tested).
 */
describe('the console app served by the hub', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-console-app-'));
  const build = join(dir, 'console');
  const INDEX = '<!doctype html><html lang="zh-CN"><head><script type="module" src="/console/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
  let hub: Hub;
  let bare: Hub;
  let url: string;
  let bareUrl: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    mkdirSync(join(build, 'assets'), { recursive: true });
    writeFileSync(join(build, 'index.html'), INDEX);
    writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(build, 'favicon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const opened = await testStorages()[0]!.open();
    cleanup = opened.cleanup;
    hub = await createHub({ storage: opened.storage, adminToken: ADMIN, consoleDir: build });
    url = await hub.listen();
    bare = await createHub({ storage: opened.storage, adminToken: ADMIN, consoleDir: join(dir, 'not-built') });
    bareUrl = await bare.listen();
  }, 120_000);

  afterAll(async () => {
    await hub.close();
    await bare.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, base = url) => fetch(new URL(path, base), { redirect: 'manual' });

  it('answers every route of the app with its page, under a CSP that allows only the hub’s own scripts, never cached', async () => {
    for (const path of ['/console', '/console/', '/console/login', '/console/users', '/console/audit', '/console/enterprises?q=x', '/console/registers/loans?branch=x', '/console/no/such/page']) {
      const answer = await get(path);
      expect([path, answer.status]).toEqual([path, 200]);
      expect(answer.headers.get('content-type')).toContain('text/html');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(await answer.text()).toBe(INDEX);
    }
  });

  it('serves the build’s files, hashed assets cached for good, and a missing asset as 404 rather than the page', async () => {
    const script = await get('/console/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('/console/favicon.png')).status).toBe(200);
    expect((await get('/console/assets/index-gone.js')).status).toBe(404);
    expect((await get('/console/assets/../../package.json')).status).not.toBe(200);
  });

  it('answers the API’s unknown addresses with the API’s 404, and its downloads behind the session', async () => {
    // Every console page is the app's now: a register's page and the approval queue among them.
    for (const path of ['/console/approvals', '/console/records/loans/x/y']) expect([path, (await get(path)).status]).toEqual([path, 200]);
    expect((await get('/console/api/registers/loans/export.xlsx')).status).toBe(401);
    const unknown = await get('/console/api/no-such-endpoint');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await get('/console/api/session')).status).toBe(401);
  });

  it('says in words how to build the console when the hub has no build, instead of a bare 404', async () => {
    const answer = await get('/console/users', bareUrl);
    expect(answer.status).toBe(503);
    const page = await answer.text();
    expect(page).toContain('总行控制台尚未构建');
    expect(page).toContain('npm run build');
    // The API does not depend on the build.
    expect((await get('/console/api/session', bareUrl)).status).toBe(401);
    expect((await get('/console/approvals', bareUrl)).status).toBe(503);
  });
});
