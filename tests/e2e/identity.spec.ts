import { test, expect } from './fixtures.ts';
import { admin, completeSetup, downloadedSheet, login, logout, openSection } from './pages.ts';

test('first run → administrator → loan officer who cannot administer users, in the UI or at the API', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await expect(page.getByTestId('user-menu')).toContainText(admin.displayName);

  // The administrator creates a loan officer.
  await openSection(page, '用户管理');
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.getByTestId('user-dialog');
  await dialog.getByLabel('用户名').fill('wangwu');
  await dialog.getByLabel('姓名').fill('王五');
  await dialog.getByTestId('role-select').click();
  await page.getByTitle('客户经理').click();
  await dialog.getByLabel('初始密码').fill('short');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(dialog.getByText('密码至少 8 位')).toBeVisible();
  await dialog.getByLabel('初始密码').fill('Officer2026');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByTestId('users-table')).toContainText('wangwu');

  // The record's history shows who created it.
  await page.getByTestId('users-table').getByRole('row', { name: /wangwu/ }).getByRole('button', { name: '变更记录' }).click();
  await expect(page.getByTestId('record-history')).toContainText('新增');
  await expect(page.getByTestId('record-history')).toContainText(admin.displayName);
  await page.keyboard.press('Escape');

  await logout(page);

  // A wrong password says how many attempts are left.
  await login(page, 'wangwu', 'Wrong2026x');
  await expect(page.getByTestId('login-error')).toContainText('还可尝试 4 次');

  await login(page, 'wangwu', 'Officer2026');
  // First sign-in with an initial password: the officer must change it.
  const change = page.getByTestId('change-password');
  await change.getByLabel('当前密码').fill('Officer2026');
  await change.getByLabel('新密码').fill('Officer2027');
  await change.getByLabel('确认密码').fill('Officer2027');
  await change.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('密码已修改')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText('客户经理');

  const nav = page.getByTestId('main-nav');
  await expect(nav.getByText('企业档案', { exact: true })).toBeVisible();
  await expect(nav.getByText('用户管理', { exact: true })).toHaveCount(0);
  await expect(nav.getByText('审计日志', { exact: true })).toHaveCount(0);
  // Typing the route does not open it either.
  await page.goto(`${host.origin}/#/users`);
  await expect(page.getByTestId('users-table')).toHaveCount(0);

  // The host itself refuses the admin call made with this browser's session.
  const refused = await page.evaluate(async () => {
    const token = sessionStorage.getItem('greenledger.token') ?? '';
    const res = await fetch('/api/users.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-greenledger-token': token },
      body: JSON.stringify({ username: 'evil', displayName: 'x', role: 'admin', password: 'Password123' }),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error: { code: string } } };
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('FORBIDDEN');
});

test('the administrator verifies the audit chain and exports it', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await openSection(page, '审计日志');
  await expect(page.getByTestId('audit-table')).toContainText('新增');
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verification')).toContainText('审计链完整');
  const download = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.xlsx$/);
  // The export is the chain itself: every row with its hash, the first one the setup.
  const [header, ...rows] = await downloadedSheet(file);
  expect(header).toEqual(['序号 Seq', '时间 Time (UTC)', '用户 User', '操作 Action', '记录类型 Record type', '记录 Record', '修改前 Before', '修改后 After', '哈希 Hash']);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.map((row) => row[0])).toEqual(rows.map((_, i) => String(i + 1)));
  for (const row of rows) expect(row[8]).toMatch(/^[0-9a-f]{64}$/);
});
