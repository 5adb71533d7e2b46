import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createHub, type Hub } from './hub.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'console-test-admin-token-0123456789';

describe('head-office console (read-only pages)', () => {
  let hub: Hub;
  let url: string;
  let cleanup: () => Promise<void>;
  let cookie = '';

  beforeAll(async () => {
    const opened = await testStorages()[0]!.open();
    cleanup = opened.cleanup;
    hub = await createHub({ storage: opened.storage, adminToken: ADMIN });
    url = await hub.listen();
    const branch = valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: '浮梁县支行', code: 'FL-9', divisionCode: '360222' } }));
    const device = await TestDevice.enroll(url, ADMIN, branch.id, '笔记本 A');
    await device.hello();
    const write = (name: string) => device.write('enterprises', uuidv7(), 'insert', { name, industry_code: 'C3012', environmental_rating: 'red' });
    valueOf(await device.push([write('华盛建材有限公司'), write('<script>alert(1)</script>有限公司')]));
  }, 60_000);

  afterAll(async () => {
    await hub.close();
    await cleanup();
  });

  const get = (path: string) => fetch(new URL(path, url), { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });

  it('asks for the admin token and refuses a wrong one', async () => {
    const anonymous = await get('/console');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/console/login');
    const wrong = await fetch(new URL('/console/login', url), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url }, body: 'token=nope' });
    expect(wrong.status).toBe(401);
    const right = await fetch(new URL('/console/login', url), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url }, body: `token=${ADMIN}` });
    expect(right.status).toBe(303);
    expect(right.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    cookie = (right.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });

  it('takes a cookie with a broken %-escape as signed out (found by the fuzz harness: it was a 500)', async () => {
    const broken = await fetch(new URL('/console', url), { redirect: 'manual', headers: { cookie: 'gl_console=%E0%A4%A' } });
    expect(broken.status).toBe(303);
    expect(broken.headers.get('location')).toBe('/console/login');
  });

  it('lists branches with devices and the cross-branch enterprise register, escaped', async () => {
    const branches = await (await get('/console')).text();
    expect(branches).toContain('浮梁县支行');
    expect(branches).toContain('笔记本 A');
    const register = await get('/console/enterprises?q=%E5%8D%8E%E7%9B%9B');
    expect(register.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await register.text();
    expect(html).toContain('华盛建材有限公司');
    expect(html).toContain('红牌');
    const all = await (await get('/console/enterprises')).text();
    expect(all).toContain('&lt;script&gt;');
    expect(all).not.toContain('<script>alert');
  });
});
