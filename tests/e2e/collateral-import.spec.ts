import ExcelJS from 'exceljs';
import { test, expect } from './fixtures.ts';
import { callApi, dialogOpened, downloadedSheet, openSection, signInAsLoanOfficer } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/**
 * Issue 15, the register's import, in Chromium against the real browser-mode host: a loan officer
 * downloads the template, imports an existing collateral list written by exceljs, sees the row over
 * the pledge-rate cap refused naming the cap, and finds the good rows in the register as drafts
 * (an import never approves: a credit manager still does, four-eyes).
 */
test('an officer imports an existing collateral list: the template, a row over the cap refused naming it, the others drafts in the register', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);
  const name = '浮梁县瓷都陶瓷有限公司';
  const uscc = testUscc(1502);
  const created = await callApi(page, 'enterprises.create', { file: sampleEnterpriseFile(name, uscc) });
  expect(created.ok, JSON.stringify(created)).toBe(true);

  await openSection(page, '抵质押登记簿');
  await page.getByTestId('collateral-import').click();
  const wizard = page.getByTestId('import-wizard');
  await dialogOpened(page, wizard);

  // The template: the import's own headers.
  const [download] = await Promise.all([page.waitForEvent('download'), wizard.getByTestId('import-template').click()]);
  expect(download.suggestedFilename()).toBe('抵质押物导入模板.xlsx');
  expect((await downloadedSheet(download))[0]!.slice(0, 5)).toEqual(['权证编号', '统一社会信用代码', '出质企业', '类型', '发证机关']);

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('台账');
  sheet.addRow(['权证编号', '统一社会信用代码', '出质人', '押品类型', '发证机关', '有效期起', '有效期至', '污染物', '数量', '单位', '单价（元）', '评估价值（元）', '评估方法', '评估基准日', '评估机构', '质押率']);
  sheet.addRow(['浮环排污〔2025〕15号', uscc, name, '排污权', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', 'COD', 12.5, '吨/年', 3000, null, null, '2026-01-01', '江西中信资产评估有限公司', '80%']);
  sheet.addRow(['QS-2024-0088', uscc, name, '水权', '浮梁县水利局', '2024-01-01', '2033-12-31', null, 200000, '立方米/年', null, 360000, '收益法', '2026-01-01', '江西中信资产评估有限公司', '50%']);
  sheet.addRow(['浮环排污〔2025〕16号', uscc, name, '排污权', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', '二氧化硫', 3, '吨/年', 2000, null, null, '2026-01-01', '江西中信资产评估有限公司', '85%']);
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await wizard.locator('input[type=file]').setInputFiles({ name: '抵质押物台账.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect(wizard.getByTestId('import-map-certificateNumber')).toContainText('权证编号');
  await expect(wizard.getByTestId('import-map-enterpriseName')).toContainText('出质人');
  await expect(wizard.getByTestId('collateral-import-status')).toContainText('草稿');
  await page.screenshot({ path: '/tmp/collateral-import-mapping.png' });
  await page.getByTestId('import-run').click();

  const result = page.getByTestId('import-result');
  await expect(result).toBeVisible();
  await expect(result.locator('.ant-statistic').first()).toContainText('2');
  await expect(result.getByTestId('import-rejected')).toContainText('质押率 85.00% 超过上限 80.00%');
  await expect(result.getByTestId('collateral-import-note')).toContainText('草稿');
  await page.screenshot({ path: '/tmp/collateral-import-result.png' });
  await page.getByTestId('import-close').click();
  await expect(wizard).toBeHidden();

  // The drafts are on the register at once, valued; nothing of the refused row.
  const rows = page.getByTestId('collateral-row');
  await expect(rows).toHaveCount(2);
  for (const certificate of ['浮环排污〔2025〕15号', 'QS-2024-0088']) await expect(rows.filter({ hasText: certificate }).getByTestId('collateral-status')).toHaveText('草稿');
  await expect(rows.filter({ hasText: '浮环排污〔2025〕15号' }).getByTestId('collateral-pledged')).toHaveText('90,000.00');
  await expect(page.getByTestId('collateral-totals')).toHaveText('合计 2 项 · 评估价值 47.25 万元 · 质押价值 27.00 万元 · 计入担保 0.00 万元');
  await page.screenshot({ path: '/tmp/collateral-import-register.png' });
});
