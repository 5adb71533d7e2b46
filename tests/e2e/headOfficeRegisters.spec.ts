import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { uuidv7 } from 'uuidv7';
import { test, expect } from './fixtures.ts';
import { admin, startHub, type HubProcess } from '../sync/hub.ts';
import { headOfficeAdmin, HEAD_OFFICE_TEST_PASSWORD } from '../../server/testing/headOffice.ts';
import { TestDevice, valueOf } from '../../server/testing/device.ts';

/**
 * Issue 18, the cross-branch registers in the console app, in Chromium against a real hub process:
 * two branches in two counties sync enterprises, loans and collateral (items awaiting approval,
 * past their revaluation date); a signed-in head-office user opens 借据 and 抵质押登记簿 from the menu
 * (app routes, not reloads), narrows them by search, county and alert, exports what is shown as
 * .xlsx, reloads a filtered address to the same list, switches to English, and opens a file's record
 * page from 企业档案登记簿. (Alert tags on watched items are the integration test's: approving an item
 * takes a second person's laptop.)
 */
let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

test('a head-office reader filters, exports and opens the cross-branch registers in the console app', async ({ browser }) => {
  test.setTimeout(180_000);
  const suffix = String(Date.now() % 100_000);
  const fuliang = await admin<{ id: string }>(hub, '/admin/branches', { name: `浮梁县登记簿支行${suffix}`, code: `FL-REG-${suffix}`, divisionCode: '360222' });
  const leping = await admin<{ id: string }>(hub, '/admin/branches', { name: `乐平市登记簿支行${suffix}`, code: `LP-REG-${suffix}`, divisionCode: '360281' });
  for (const [branch, n] of [
    [fuliang, 1],
    [leping, 2],
  ] as const) {
    const device = await TestDevice.enroll(hub.url, hub.adminToken, branch.id, `笔记本 ${n}`);
    await device.hello();
    const enterpriseId = uuidv7();
    valueOf(
      await device.push([
        device.write('enterprises', enterpriseId, 'insert', { name: `登记簿测试${suffix}企业${n}有限公司`, industry_code: 'C3012', green_list: n === 1 ? 1 : 0 }),
        device.write('loans', uuidv7(), 'insert', { enterprise_id: enterpriseId, loan_number: `JK-REG-${suffix}-${n}` }),
        // Items awaiting approval past their revaluation date: not yet watched, so neither raises 重估逾期
        // (the alerts themselves, from approved items, are tests/sync/consoleCollateral.integration.test.ts's).
        device.write('collateral_items', uuidv7(), 'insert', { enterprise_id: enterpriseId, certificate_number: `排污〔${suffix}〕${n}号`, valid_to: '2035-12-31', revaluation_due_on: '2026-01-31' }),
      ]),
    );
  }

  const login = await headOfficeAdmin(hub.url, hub.adminToken);
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${hub.url}/console/login`);
  await page.getByLabel('用户名').fill(login.username);
  await page.getByLabel('密码').fill(HEAD_OFFICE_TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByRole('heading', { name: /支行与设备/ })).toBeVisible();

  const nav = page.getByTestId('console-nav');
  // 登记簿 › 借据 is a route of the app: the shell stays (no reload), the address is the old page's.
  await page.evaluate(() => ((window as unknown as { __stay: boolean }).__stay = true));
  await nav.getByText('登记簿', { exact: true }).click();
  await nav.getByText('借据', { exact: true }).click();
  await expect(page).toHaveURL(/\/console\/registers\/loans$/);
  await expect(page.getByRole('heading', { name: '借据' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __stay?: boolean }).__stay)).toBe(true);
  await page.getByTestId('register-search').fill(`JK-REG-${suffix}`);
  await expect(page.getByTestId('register-count')).toHaveText('各支行共 2 条');
  await expect(page.getByTestId('register-row')).toHaveCount(2);
  await expect(page).toHaveURL(new RegExp(`q=JK-REG-${suffix}`));
  // The county select narrows to its branches' rows.
  await page.getByTestId('register-county').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '360281' }).click();
  await expect(page.getByTestId('register-count')).toHaveText('各支行共 1 条');
  await expect(page.getByTestId('register-row')).toContainText(`乐平市登记簿支行${suffix}`);
  await page.screenshot({ path: '/tmp/ho-register-loans.png' });

  // 抵质押登记簿 with its alert filter (an item awaiting approval raises none); the export holds what is shown.
  await nav.getByText('抵质押登记簿', { exact: true }).click();
  await expect(page).toHaveURL(/\/console\/registers\/collateral_items$/);
  await page.getByTestId('register-search').fill(`〔${suffix}〕`);
  await expect(page.getByTestId('register-count')).toHaveText('各支行共 2 条');
  await expect(page.getByTestId('register-row').first()).toContainText('待审批');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('register-export').click();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await (await downloading).path())) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const certificateAt = (sheet.getRow(1).values as unknown[]).indexOf('权证编号');
  expect(sheet.rowCount).toBe(3);
  expect([2, 3].map((n) => String(sheet.getRow(n).getCell(certificateAt).value)).sort()).toEqual([`排污〔${suffix}〕1号`, `排污〔${suffix}〕2号`]);
  await page.getByTestId('register-alert-filter').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '重估逾期' }).click();
  await expect(page.getByTestId('register-count')).toHaveText('各支行共 0 条');
  await expect(page.getByText('没有符合条件的记录')).toBeVisible();
  await page.screenshot({ path: '/tmp/ho-register-collateral.png' });

  // A filtered address reloads to the same list; English words the page's own labels.
  expect(page.url()).toContain('alert=revaluation_overdue');
  await page.reload();
  await expect(page.getByTestId('register-count')).toHaveText('各支行共 0 条');
  await expect(page.getByTestId('register-search')).toHaveValue(`〔${suffix}〕`);
  await page.getByTestId('register-alert-filter').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '全部（不限预警）' }).click();
  await expect(page.getByTestId('register-count')).toHaveText('各支行共 2 条');
  await page.getByTestId('locale-switch').getByText('English').click();
  await expect(page.getByTestId('register-count')).toHaveText('2 across branches');
  await expect(page.getByRole('columnheader', { name: 'Certificate no.' })).toBeVisible();
  await page.screenshot({ path: '/tmp/ho-register-collateral-en.png' });
  await page.getByTestId('locale-switch').getByText('中文').click();

  // The enterprise files, then a row's record page (the hub's, at its old address).
  await nav.getByText('企业档案登记簿', { exact: true }).click();
  await expect(page).toHaveURL(/\/console\/enterprises$/);
  await page.getByTestId('enterprises-search').fill(`登记簿测试${suffix}`);
  await expect(page.getByTestId('enterprises-count')).toHaveText('各支行共 2 家');
  await expect(page.getByTestId('enterprises-row').filter({ hasText: `企业1有限公司` })).toContainText('绿色名单');
  await page.screenshot({ path: '/tmp/ho-register-enterprises.png' });
  await page.getByTestId('enterprises-row').filter({ hasText: `企业1有限公司` }).click();
  await expect(page).toHaveURL(/\/console\/records\/enterprises\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`登记簿测试${suffix}企业1有限公司`).first()).toBeVisible();
  await context.close();
});
