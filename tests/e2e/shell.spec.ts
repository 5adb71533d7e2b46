import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.ts';
import { completeSetup, openSection } from './pages.ts';

const sections = ['工作台', '经营看板', '企业档案', '抵质押登记簿', '借据台账', '绿色信贷', '整改跟踪', '统计报表', '同步', '用户管理', '审计日志', '设置'];

test('opens the zh-CN app from the launch URL, hides the token, and starts with first-run setup', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await expect(page.getByText('首次设置')).toBeVisible();
  expect(page.url()).not.toContain('token=');
  await completeSetup(page);
  const nav = page.getByTestId('main-nav');
  for (const section of sections) await expect(nav.getByText(section, { exact: true })).toBeVisible();
  // completeSetup saw the 工作台 first (the landing page since issue 17) and went on to the enterprise register.
  await expect(page.getByTestId('enterprise-list-page')).toBeVisible();
  await expect(page.getByText('浏览器模式')).toBeVisible();
});

test('统计报表 opens the reports with 三个不低于 and the exports', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await openSection(page, '统计报表');
  await expect(page.getByTestId('reports-page')).toBeVisible();
  // An empty book: the tests say they cannot be computed rather than inventing a verdict.
  await expect(page.getByTestId('three-not-lower')).toContainText('绿色信贷增速不低于各项贷款增速');
  await expect(page.getByTestId('three-not-lower')).toContainText('无法计算');
  await expect(page.getByTestId('green-report')).toContainText('按绿色金融支持项目目录分类');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-green-xlsx').click();
  expect((await download).suggestedFilename()).toMatch(/^绿色信贷统计表-\d{4}-\d{2}-\d{2}\.xlsx$/);
  await page.screenshot({ path: test.info().outputPath('reports.png'), fullPage: true });
});

test('settings show the encrypted store, and the language choice persists in it', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await openSection(page, '设置');
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
