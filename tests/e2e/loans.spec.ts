import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { usccCheckCharacter } from '../../shared/domain/uscc.ts';
import { test, expect } from './fixtures.ts';
import { callApi, chooseOption, downloadedSheet, enterpriseFile, openSection, signInAsLoanOfficer } from './pages.ts';

const withCheck = (first17: string) => first17 + usccCheckCharacter(first17);

const borrowers = {
  huasheng: { name: '浮梁华盛建材有限公司', uscc: withCheck('91360222MA35H7JC1') },
  lvyuan: { name: '浮梁绿源茶业有限公司', uscc: withCheck('91360222MA38B1C2D') },
  taoci: { name: '景德镇陶瓷科技有限公司', uscc: withCheck('91360200MA37K2X8P') },
};
/** A borrower the core system knows but the branch has no file for. */
const stranger = { name: '乐平市远方化工有限公司', uscc: withCheck('91360281MA39X1Y2W') };

const header = ['借据号', '客户名称', '统一社会信用代码', '贷款金额', '贷款余额', '发放日', '到期日', '利率', '五级分类', '担保方式', '借据状态'];

/** A core-system export as a branch gets it: a title row, then the loans, amounts in 元. */
async function coreExport(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('借据清单');
  sheet.addRow(['浮梁县支行 对公贷款借据清单']);
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const good: (string | number)[][] = [
  ['360222012025000101', borrowers.huasheng.name, borrowers.huasheng.uscc, 5_000_000, 4_800_000.5, '2025-01-15', '2027-01-14', '3.45', '正常', '环境权益质押', '未结清'],
  ['360222012025000102', borrowers.huasheng.name, borrowers.huasheng.uscc, 1_200_000, 300_000, '2024-03-01', '2026-02-28', '3.80', '关注', '抵押', '未结清'],
  ['360222012025000103', borrowers.lvyuan.name, borrowers.lvyuan.uscc, 800_000, 800_000, '2025-06-20', '2026-06-19', '4.35', '次级', '保证', '未结清'],
  ['360222012025000104', borrowers.taoci.name, borrowers.taoci.uscc, 2_000_000, 1_500_000, '2025-02-10', '2028-02-09', '3.95', '正常', '信用', '未结清'],
  ['360222012025000105', borrowers.taoci.name, borrowers.taoci.uscc, 600_000, 600_000, '2024-09-01', '2026-08-31', '4.10', '可疑', '质押', '未结清'],
];
const bad: (string | number)[][] = [
  // The balance is more than was lent.
  ['360222012025000201', borrowers.lvyuan.name, borrowers.lvyuan.uscc, 100_000, 150_000, '2025-03-01', '2026-03-01', '4.35', '正常', '信用', '未结清'],
  // A borrower without an enterprise file: reported by name and USCC, not dropped.
  ['360222012025000202', stranger.name, stranger.uscc, 900_000, 900_000, '2025-04-01', '2026-04-01', '4.35', '正常', '保证', '未结清'],
  // Not one of the five classes.
  ['360222012025000203', borrowers.taoci.name, borrowers.taoci.uscc, 300_000, 300_000, '2025-05-01', '2026-05-01', '4.35', '良好', '信用', '未结清'],
];

async function importFile(page: Page, fileName: string, buffer: Buffer, asOf: string) {
  await page.getByTestId('loan-import').click();
  const wizard = page.getByTestId('import-wizard');
  await wizard.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect(wizard.getByTestId('import-map-loanNumber')).toContainText('借据号');
  const asOfBox = wizard.getByRole('textbox', { name: '数据日期' });
  await asOfBox.click();
  await asOfBox.fill(asOf);
  await asOfBox.press('Enter');
  await expect(asOfBox).toHaveValue(asOf);
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  return page.getByTestId('import-result');
}

const rowNumbers = (page: Page) => page.getByTestId('loan-row').locator('[role=cell]:first-child');

test('an officer imports a core-system export: bad rows come back with reasons, the register filters and sorts in SQL, a second date keeps the first snapshot, the enterprise shows its loans', async ({ page, host }) => {
  test.setTimeout(240_000);
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);
  const ids: Record<string, string> = {};
  for (const [key, { name, uscc }] of Object.entries(borrowers)) {
    const created = await callApi<{ id: string }>(page, 'enterprises.create', { file: enterpriseFile(name, uscc) });
    if (!created.ok) throw new Error(created.error.message);
    ids[key] = created.value.id;
  }

  await openSection(page, '借据台账');
  await expect(page.getByTestId('loan-count')).toHaveText('共 0 笔');

  // First import, as of the end of June: five good rows, three bad ones.
  const result = await importFile(page, '借据清单-20250630.xlsx', await coreExport([...good, ...bad]), '2025-06-30');
  await expect(result).toContainText('新建');
  await expect(result.getByTestId('import-snapshots')).toContainText('快照日期 2025-06-30：记下 5 笔借据');
  const rejected = result.getByTestId('import-rejected');
  await expect(rejected.getByRole('row')).toHaveCount(4); // the header and three rows
  await expect(rejected).toContainText('贷款余额不能大于贷款金额');
  await expect(rejected).toContainText('五级分类');
  await expect(result.getByTestId('import-unknown-enterprises')).toContainText(stranger.name);
  await expect(result.getByTestId('import-unknown-enterprises')).toContainText(stranger.uscc);
  await page.screenshot({ path: '/tmp/loans-import-result.png', fullPage: true });

  // The rejected rows come back as they were, with their reasons, under the original headers.
  const download = page.waitForEvent('download');
  await page.getByTestId('import-download-rejected').click();
  const rejectedRows = await downloadedSheet(await download);
  const headerAt = rejectedRows.findIndex((row) => row.includes('借据号'));
  expect(rejectedRows[headerAt]).toEqual(expect.arrayContaining([...header, '错误原因']));
  const back = rejectedRows.slice(headerAt + 1);
  expect(back.map((row) => row[0])).toEqual(bad.map((row) => row[0]));
  const reasonAt = rejectedRows[headerAt]!.indexOf('错误原因');
  expect(back[0]![reasonAt]).toContain('贷款余额不能大于贷款金额');
  expect(back[1]![reasonAt]).toContain(stranger.uscc);
  expect(back[2]![reasonAt]).toContain('五级分类');
  // Numbers stay numbers in the file to fix and import again.
  expect(back[0]![header.indexOf('贷款金额')]).toBe('100000');
  await page.getByTestId('import-close').click();

  // The register: codes as words, money in 元 to the 分.
  await expect(page.getByTestId('loan-count')).toHaveText('共 5 笔');
  const rows = page.getByTestId('loan-row');
  await expect(rows).toHaveCount(5);
  // Soonest maturity first by default.
  await expect(rowNumbers(page)).toHaveText(['360222012025000102', '360222012025000103', '360222012025000105', '360222012025000101', '360222012025000104']);
  const first101 = rows.filter({ hasText: '360222012025000101' });
  await expect(first101).toContainText('5,000,000.00');
  await expect(first101).toContainText('4,800,000.50');
  await expect(first101).toContainText('环境权益质押');
  await expect(first101).toContainText('正常');
  await expect(first101).toContainText('3.45%');
  await page.screenshot({ path: '/tmp/loans-register.png', fullPage: true });

  // Sorted by balance, largest first, in SQL.
  await page.getByTestId('sort-balance').click();
  await expect(rowNumbers(page)).toHaveText(['360222012025000101', '360222012025000104', '360222012025000103', '360222012025000105', '360222012025000102']);
  // 不良 (substandard, doubtful, loss) only.
  await chooseOption(page, page.getByTestId('loan-filter-classification'), '', '不良');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('loan-count')).toHaveText('共 2 笔');
  await expect(rowNumbers(page)).toHaveText(['360222012025000103', '360222012025000105']);
  // And by guarantee: the doubtful one is pledged.
  await chooseOption(page, page.getByTestId('loan-filter-guarantee'), '', /^质押$/);
  await expect(page.getByTestId('loan-count')).toHaveText('共 1 笔');
  await expect(rowNumbers(page)).toHaveText(['360222012025000105']);
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(page.getByTestId('loan-count')).toHaveText('共 5 笔');
  // Maturing in 2026 (both ends of the range included).
  for (const [placeholder, day] of [['到期日起', '2026-01-01'], ['到期日止', '2026-12-31']] as const) {
    await page.getByPlaceholder(placeholder).click();
    await page.getByPlaceholder(placeholder).fill(day);
    await page.getByPlaceholder(placeholder).press('Enter');
  }
  await expect(page.getByTestId('loan-count')).toHaveText('共 3 笔');
  await page.getByRole('button', { name: '清除筛选' }).click();
  // One box: a loan number prefix, or the borrower's pinyin initials.
  await page.getByTestId('loan-search').fill('36022201202500010');
  await expect(page.getByTestId('loan-count')).toHaveText('共 5 笔');
  await page.getByTestId('loan-search').fill('FLHS');
  await expect(page.getByTestId('loan-count')).toHaveText('共 2 笔');
  await page.getByTestId('loan-search').fill('');
  await expect(page.getByTestId('loan-count')).toHaveText('共 5 笔');

  // The export of the same day again, a month later: balances moved, the class worsened.
  const july = good.map((row) => [...row]);
  july[0]![4] = 4_600_000;
  july[0]![8] = '关注';
  const second = await importFile(page, '借据清单-20250731.xlsx', await coreExport(july), '2025-07-31');
  await expect(second).toContainText('更新');
  await expect(second.getByTestId('import-snapshots')).toContainText('快照日期 2025-07-31');
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('loan-count')).toHaveText('共 5 笔');

  await rows.filter({ hasText: '360222012025000101' }).click();
  await expect(page.getByTestId('loan-number')).toHaveText('360222012025000101');
  await expect(page.getByTestId('loan-detail-balance')).toHaveText('4,600,000.00');
  await page.getByTestId('loan-tabs').getByRole('tab', { name: /余额快照/ }).click();
  const snapshots = page.getByTestId('loan-snapshots');
  await expect(snapshots.locator('tbody tr')).toHaveCount(2);
  await expect(snapshots.locator('tbody tr').nth(0)).toContainText('2025-07-31');
  await expect(snapshots.locator('tbody tr').nth(0)).toContainText('4,600,000.00');
  await expect(snapshots.locator('tbody tr').nth(0)).toContainText('关注');
  await expect(snapshots.locator('tbody tr').nth(1)).toContainText('2025-06-30');
  await expect(snapshots.locator('tbody tr').nth(1)).toContainText('4,800,000.50');
  await expect(snapshots.locator('tbody tr').nth(1)).toContainText('正常');
  await page.screenshot({ path: '/tmp/loans-detail-snapshots.png', fullPage: true });
  await page.getByTestId('loan-tabs').getByRole('tab', { name: '变更记录' }).click();
  await expect(page.getByTestId('loan-history')).toContainText('4,600,000.00 元');
  await page.screenshot({ path: '/tmp/loans-detail-history.png', fullPage: true });

  // The borrower's page lists its loans in the 借据 tab.
  await page.getByTestId('loan-enterprise-link').click();
  await expect(page.getByTestId('enterprise-name')).toHaveText(borrowers.huasheng.name);
  const tab = page.getByTestId('enterprise-loans');
  await expect(tab.getByTestId('enterprise-loan-row')).toHaveCount(2);
  await expect(tab.getByTestId('enterprise-loans-count')).toHaveText('共 2 笔借据');
  await expect(tab).toContainText('360222012025000101');
  await expect(tab).toContainText('360222012025000102');
  await expect(tab).not.toContainText('360222012025000103');
  await page.screenshot({ path: '/tmp/loans-enterprise-tab.png', fullPage: true });
});

test('a loan typed by hand is checked field by field in Chinese before it is saved', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);
  const created = await callApi<{ id: string }>(page, 'enterprises.create', { file: enterpriseFile(borrowers.lvyuan.name, borrowers.lvyuan.uscc) });
  if (!created.ok) throw new Error(created.error.message);

  await openSection(page, '借据台账');
  await page.getByTestId('loan-create').click();
  const form = page.getByTestId('loan-form');
  await page.getByTestId('loan-save').click();
  await expect(form.getByText('必填').first()).toBeVisible();

  await chooseOption(page, form.getByTestId('loan-enterprise'), 'FLLY', borrowers.lvyuan.name);
  await form.getByLabel('借据号').fill('3.6022E+19');
  await form.getByLabel('贷款金额').fill('500万');
  await form.getByLabel('贷款余额').fill('600,000');
  await form.getByLabel('年利率').fill('4.355');
  for (const [label, day] of [['发放日', '2025-03-01'], ['到期日', '2026-02-28']] as const) {
    await form.getByLabel(label).fill(day);
    await form.getByLabel(label).press('Enter');
  }
  await chooseOption(page, form.getByTestId('loan-guarantee-select'), '', '保证');
  await page.getByTestId('loan-save').click();
  await expect(form.getByText('借据号被表格转成了科学计数法')).toBeVisible();
  await expect(form.getByText('请填写金额（元），如 1,234,567.89')).toBeVisible();
  await expect(form.getByText('年利率最多两位小数')).toBeVisible();
  await page.screenshot({ path: '/tmp/loans-form-errors.png', fullPage: true });

  await form.getByLabel('借据号').fill('360222012025000301');
  await form.getByLabel('贷款金额').fill('500,000');
  await form.getByLabel('年利率').fill('4.35');
  await page.getByTestId('loan-save').click();
  // The rule between the fields, as the host applies it.
  await expect(form.getByText('贷款余额不能大于贷款金额')).toBeVisible();
  await form.getByLabel('贷款余额').fill('450,000.25');
  await page.getByTestId('loan-save').click();

  await expect(page.getByTestId('loan-number')).toHaveText('360222012025000301');
  await expect(page.getByTestId('loan-summary')).toContainText('500,000.00 元');
  await expect(page.getByTestId('loan-summary')).toContainText('450,000.25 元');
  await expect(page.getByTestId('loan-summary')).toContainText('4.35%');
  await page.getByTestId('loan-tabs').getByRole('tab', { name: /余额快照/ }).click();
  await expect(page.getByTestId('loan-snapshots').locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('loan-tabs').getByRole('tab', { name: '变更记录' }).click();
  await expect(page.getByTestId('loan-history')).toContainText('新增');
});
