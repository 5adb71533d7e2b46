import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { usccCheckCharacter } from '../../shared/domain/uscc.ts';
import { test, expect } from './fixtures.ts';
import { callApi, chooseOption, completeSetup, downloadedSheet, enterpriseFile, logout, officer, addUser, openSection, signInAsLoanOfficer, signInFirstTime } from './pages.ts';

/**
 * Issue 14 acceptance 4 in Chromium: a green factory's project is recorded as a need (融资需求),
 * matchmaking contacts move it to 对接中 and then 已授信 with the credit application it led to,
 * every contact is on its page; the quarter's export, read back, has the screen's rows and totals.
 */
const usccOf = (first17: string) => first17 + usccCheckCharacter(first17);
const ceramics = { name: '浮梁县昌南陶瓷科技有限公司', uscc: usccOf('91360222MA35K8CN1') };
const glass = { name: '邵东市湘中玻璃制品有限公司', uscc: usccOf('91430582MA4T2BL91') };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/greenFactory-${name}.png`, fullPage: true });
const amountOf = (text: string) => Number(text.replaceAll(',', ''));

test('a green-factory project moves from need to 已授信 with its matchmaking history; the quarterly export has the screen’s rows and totals', async ({ page, host }) => {
  test.setTimeout(240_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  await logout(page);
  await signInFirstTime(page, officer);

  const enterprises: Record<string, string> = {};
  for (const company of [ceramics, glass]) {
    const created = await callApi<{ id: string }>(page, 'enterprises.create', { file: enterpriseFile(company.name, company.uscc) });
    if (!created.ok) throw new Error(created.error.message);
    enterprises[company.name] = created.value.id;
  }
  const application = await callApi<{ id: string }>(page, 'credit.create', {
    terms: { enterpriseId: enterprises[ceramics.name], product: 'fixed_asset', amountFen: 10_000_000_00, termMonths: 36, rateBp: 345, purpose: '隧道窑余热回收改造', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: true, project: null },
  });
  if (!application.ok) throw new Error(application.error.message);
  const today = await page.evaluate(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
  const quarter = `${today.slice(0, 4)}Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  // A second project of the quarter, filed through the API: the totals then add up two rows.
  const other = await callApi(page, 'greenFactory.create', {
    project: { enterpriseId: enterprises[glass.name], projectName: '光伏玻璃窑炉零碳改造', kind: 'zero_carbon_factory', amountSought: 3_000_000_00, quarter, contactName: '王工', contactPhone: '0739-6821234' },
  });
  expect(other.ok, JSON.stringify(other)).toBe(true);

  // The need is recorded on the screen, from the 绿色信贷 section.
  await openSection(page, '绿色信贷');
  await page.getByTestId('green-factory-entry').click();
  await expect(page.getByTestId('factory-list-page')).toBeVisible();
  await expect(page.getByTestId('factory-count')).toHaveText('共 1 个项目');
  await page.getByTestId('factory-create').click();
  const form = page.getByTestId('factory-form');
  await chooseOption(page, form.getByTestId('factory-form-enterprise'), '昌南', ceramics.name);
  await form.getByTestId('factory-form-project-name').fill('日用陶瓷隧道窑余热回收技术改造');
  await chooseOption(page, form.getByTestId('factory-form-kind'), '', '技术改造');
  await form.getByTestId('factory-form-amount').fill('12,000,000');
  await expect(form).toContainText('合 1,200.00 万元');
  await form.getByTestId('factory-form-contact-name').fill('陈经理');
  await form.getByTestId('factory-form-contact-phone').fill('0798-2681234');
  await shot(page, 'form');
  await page.getByTestId('factory-form-save').click();

  // Its page: 待对接, no contact yet.
  const detail = page.getByTestId('factory-detail');
  await expect(detail.getByTestId('factory-detail-name')).toHaveText('日用陶瓷隧道窑余热回收技术改造');
  await expect(detail.getByTestId('factory-steps').locator('.ant-steps-item-process')).toContainText('待对接');
  await expect(detail.getByTestId('factory-detail-amount')).toHaveText('1,200.00 万元');
  await expect(detail).toContainText('还没有对接记录');

  // First contact: 对接中.
  await detail.getByTestId('factory-add-contact').click();
  let contact = page.getByTestId('factory-contact-form');
  await expect(contact.getByTestId('factory-contact-outcome')).toContainText('对接中');
  await contact.getByTestId('factory-contact-note').fill('上门了解技改方案与投资概算，企业拟申请固定资产贷款');
  await page.getByTestId('factory-contact-save').click();
  await expect(detail.getByTestId('factory-history-entry')).toHaveCount(1);
  await expect(detail.getByTestId('factory-steps').locator('.ant-steps-item-process')).toContainText('对接中');

  // Second contact: 已授信, naming the application it led to. 已放款 is not offered before credit is granted.
  await detail.getByTestId('factory-add-contact').click();
  contact = page.getByTestId('factory-contact-form');
  await contact.getByTestId('factory-contact-outcome').click();
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option')).toHaveText(['对接中', '已授信', '未达成']);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '已授信' }).click();
  await contact.getByTestId('factory-contact-note').fill('授信审批通过，授信 1,000 万元');
  await chooseOption(page, contact.getByTestId('factory-contact-application'), '', /固定资产贷款/);
  await page.getByTestId('factory-contact-save').click();
  await expect(detail.getByTestId('factory-history-entry')).toHaveCount(2);
  await expect(detail.getByTestId('factory-steps').locator('.ant-steps-item-process')).toContainText('已授信');
  await expect(detail.getByTestId('factory-outcome').first()).toHaveText('已授信');
  // Newest first, each with its date, who recorded it and the outcome it left.
  await expect(detail.getByTestId('factory-history-entry').first()).toContainText(`${today} · 李四`);
  await expect(detail.getByTestId('factory-history-entry').first()).toContainText('已授信');
  await expect(detail.getByTestId('factory-history-entry').last()).toContainText('对接中');
  await expect(detail.getByTestId('factory-application-link')).toBeVisible();
  await shot(page, 'detail');

  // The quarter's list and its totals.
  await page.getByTestId('factory-back').click();
  await expect(page.getByTestId('factory-count')).toHaveText('共 2 个项目');
  const rows = page.getByTestId('factory-row');
  await expect(rows).toHaveCount(2);
  const screenRows = await rows.evaluateAll((found) =>
    found.map((row) => ({
      enterprise: row.querySelector('[data-testid="factory-enterprise"]')!.textContent!,
      project: row.querySelector('[data-testid="factory-project-name"]')!.textContent!,
      amount: row.querySelector('[data-testid="factory-amount"]')!.textContent!,
      outcome: row.querySelector('[data-testid="factory-outcome"]')!.textContent!,
    })),
  );
  expect(screenRows.map((row) => row.project).sort()).toEqual(['光伏玻璃窑炉零碳改造', '日用陶瓷隧道窑余热回收技术改造']);
  await expect(page.getByTestId('factory-totals-amount')).toHaveText('合计：2 个项目，融资需求 1,500.00 万元');
  await expect(page.getByTestId('factory-totals-outcomes')).toHaveText('对接情况：待对接 1、已授信 1');
  await expect(page.getByTestId('factory-export')).toBeEnabled();
  await shot(page, 'list');

  // The export, read back: the same rows in the same order, and a totals row with the screen's figures.
  const download = page.waitForEvent('download');
  await page.getByTestId('factory-export').click();
  const [header, ...body] = await downloadedSheet(await download);
  expect(header).toEqual(['季度', '企业名称', '统一社会信用代码', '项目名称', '项目类型', '融资需求（万元）', '联系人', '联系电话', '对接情况', '未达成原因', '最近对接日期', '对接次数']);
  const totals = body.pop()!;
  expect(body.map((cells) => ({ enterprise: cells[1], project: cells[3], amount: Number(cells[5]), outcome: cells[8] }))).toEqual(
    screenRows.map((row) => ({ enterprise: row.enterprise, project: row.project, amount: amountOf(row.amount), outcome: row.outcome })),
  );
  expect(body.every((cells) => cells[0] === quarter)).toBe(true);
  expect(body.find((cells) => cells[3] === '日用陶瓷隧道窑余热回收技术改造')).toEqual([
    quarter,
    ceramics.name,
    ceramics.uscc,
    '日用陶瓷隧道窑余热回收技术改造',
    '技术改造',
    '1200',
    '陈经理',
    '0798-2681234',
    '已授信',
    '',
    today,
    '2',
  ]);
  const screenTotal = amountOf((await page.getByTestId('factory-totals-amount').textContent())!.match(/([\d,.]+) 万元/)![1]!);
  expect(totals[0]).toBe('合计');
  expect(totals[1]).toBe(`${screenRows.length} 个项目`);
  expect(Number(totals[5])).toBe(screenTotal);
  expect(totals[8]).toBe('待对接 1，已授信 1');
  expect(totals[11]).toBe('2');

  // The same screens in English fit a 1366 px laptop.
  await openSection(page, '设置');
  await page.getByTestId('locale-switch').getByText('English').click();
  await page.evaluate(() => (window.location.hash = '#/green/factory'));
  await expect(page.getByTestId('factory-count')).toHaveText('2 projects');
  await expect(page.getByTestId('factory-totals-amount')).toHaveText('Total: 2 projects, 1,500.00 10k yuan sought');
  await expect(page.getByTestId('factory-export')).toBeEnabled();
  // Every header and type fits its column in English too.
  const cut = await page
    .getByTestId('factory-list')
    .locator('[role="columnheader"], [data-testid="factory-row"] .gl-main')
    .evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
  expect(cut).toEqual([]);
  await shot(page, 'list-en');
  await rows.filter({ hasText: '日用陶瓷' }).click();
  await expect(page.getByTestId('factory-steps')).toContainText('Credit granted');
  await shot(page, 'detail-en');
});

test('the industry department’s recommended list flags the matched file 项目互荐 with its batch and date and lists the name it could not match', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);
  const created = await callApi<{ id: string }>(page, 'enterprises.create', { file: enterpriseFile(ceramics.name, ceramics.uscc) });
  if (!created.ok) throw new Error(created.error.message);

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('推荐名单');
  sheet.addRow(['序号', '企业名称', '统一社会信用代码', '推荐项目']);
  sheet.addRow([1, ceramics.name, ceramics.uscc, '隧道窑余热回收']);
  sheet.addRow([2, glass.name, glass.uscc, '光伏玻璃窑炉零碳改造']);
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());

  await openSection(page, '绿色信贷');
  await page.getByTestId('recommendation-import').click();
  const wizard = page.getByTestId('import-wizard');
  await wizard.locator('input[type=file]').setInputFiles({ name: '2026年第二批项目互荐名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect(wizard.getByTestId('import-map-uscc')).toContainText('统一社会信用代码');
  await expect(page.getByTestId('import-run')).toBeDisabled();
  await wizard.getByTestId('recommendation-batch').fill('2026年第二批');
  await page.getByTestId('import-run').click();
  const result = page.getByTestId('import-result');
  await expect(result.getByTestId('recommendation-unmatched')).toContainText(glass.name);
  await expect(result.getByTestId('recommendation-unmatched')).toContainText(glass.uscc);
  await shot(page, 'recommendations-result');

  const file = await callApi<{ file: { greenCredentials: { miitRecommendation: { recommended: boolean; batch?: string } } } }>(page, 'enterprises.get', { id: created.value.id });
  if (!file.ok) throw new Error(file.error.message);
  expect(file.value.file.greenCredentials.miitRecommendation).toMatchObject({ recommended: true, batch: '2026年第二批' });
});
