import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.ts';

const sections = ['企业档案', '抵质押登记簿', '贷款与绿色标识', '整改跟踪', '统计报表', '同步', '设置'];

test('opens the zh-CN shell from the launch URL and hides the token', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await expect(page.getByRole('heading', { name: '绿色信贷台账' })).toBeVisible();
  const nav = page.getByTestId('main-nav');
  for (const section of sections) await expect(nav.getByText(section, { exact: true })).toBeVisible();
  await expect(page.getByTestId('placeholder-enterprises')).toContainText('本模块尚未建成');
  await expect(page.getByText('浏览器模式')).toBeVisible();
  expect(page.url()).not.toContain('token=');
});

test('every unbuilt section says so plainly', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  const nav = page.getByTestId('main-nav');
  for (const [label, key] of [
    ['抵质押登记簿', 'collateral'],
    ['贷款与绿色标识', 'loans'],
    ['整改跟踪', 'rectification'],
    ['统计报表', 'reports'],
    ['同步', 'sync'],
  ] as const) {
    await nav.getByText(label, { exact: true }).click();
    await expect(page.getByTestId(`placeholder-${key}`)).toContainText('本模块尚未建成');
  }
});

test('settings show the encrypted store, and the language choice persists in it', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByTestId('main-nav').getByText('设置', { exact: true }).click();
  await expect(page.getByTestId('encryption-status')).toContainText('已加密');
  await expect(page.getByText(host.dataDir, { exact: true })).toBeVisible();

  await page.getByTestId('locale-switch').getByText('English').click();
  await expect(page.getByTestId('main-nav').getByText('Enterprise files')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('main-nav').getByText('Settings', { exact: true })).toBeVisible();

  // The store behind the UI is the encrypted file on disk.
  const header = readFileSync(join(host.dataDir, 'greenledger.db')).subarray(0, 16).toString('latin1');
  expect(header).not.toBe('SQLite format 3\u0000');
});

test('without the launch token the UI explains what to do and the API refuses', async ({ page, host }) => {
  await page.goto(host.origin + '/');
  await expect(page.getByText('缺少启动令牌')).toBeVisible();
  const status = await page.evaluate(async () => {
    const res = await fetch('/api/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string } } };
  });
  expect(status).toEqual({ status: 401, body: { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Missing or wrong launch token' } } });
});
