import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { addUser, callApi, chooseOption, colleague, completeSetup, dialogOpened, downloadedSheet, onePagePdf, openSection, pickDate, type NewUser } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/**
 * Issue 15, acceptance 2, in Chromium against the real browser-mode host: an officer registers a
 * 排污权 (COD) item with a valuation and a certificate scan on the enterprise's 抵质押物 tab, a rate
 * above the cap being refused first, naming the cap; the officer cannot approve it (no button, and
 * the host refuses the call); a credit manager approves it from the review queue; the registration
 * number is entered and the secured loan linked; the item is active with its pledged value in the
 * register and on the enterprise page.
 */
const officer: NewUser = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const manager: NewUser = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' };
const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/collateral-${name}.png`, fullPage: true });

test('an officer registers a COD discharge right with a scan; only another person approves it; registered and linked, it is active at its pledged value', async ({ page, host, browser }) => {
  test.setTimeout(300_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, manager]) await addUser(page, user);
  const officerPage = await colleague(browser, host, officer);
  const managerPage = await colleague(browser, host, manager);

  const name = '浮梁县瓷都陶瓷有限公司';
  const created = await callApi<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(1501)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const enterpriseId = created.value.id;
  const loan = await callApi(officerPage, 'loans.create', {
    loan: {
      loanNumber: 'JK2026-0015',
      enterpriseId,
      amount: 8_000_000,
      balance: 8_000_000,
      balanceAsOf: '2026-01-31',
      disbursedOn: '2026-01-15',
      maturesOn: '2027-12-31',
      rateBp: 345,
      classification: 'normal',
      guaranteeMode: 'environmental_rights_pledge',
      status: 'outstanding',
      purpose: '窑炉脱硝改造',
    },
  });
  expect(loan.ok, JSON.stringify(loan)).toBe(true);

  // The enterprise's 抵质押物 tab is live, empty at first.
  await officerPage.goto(`${host.origin}/#/enterprises/${enterpriseId}?tab=collateral`);
  const tab = officerPage.getByTestId('enterprise-collateral');
  await expect(tab).toBeVisible();
  await expect(tab.getByTestId('enterprise-collateral-totals')).toHaveText('合计 0 项 · 评估价值 0.00 万元 · 质押价值 0.00 万元 · 计入担保 0.00 万元');

  // A 排污权 (COD), 12.5 t/yr to 2028-12-31 at a paid-use fee of 3,000 元 per t·yr: 3 years left from 2026-01-01.
  await tab.getByTestId('enterprise-collateral-create').click();
  const form = officerPage.getByTestId('collateral-form');
  await dialogOpened(officerPage, form);
  await expect(form.getByTestId('collateral-type')).toContainText('排污权');
  await chooseOption(officerPage, form.getByTestId('collateral-pollutant'), '', 'COD');
  await form.getByTestId('collateral-quantity').fill('12.5');
  await expect(form.getByTestId('collateral-unit')).toContainText('吨/年');
  await form.getByTestId('collateral-certificate-number').fill('浮环排污〔2025〕15号');
  await form.getByTestId('collateral-certificate-issuer').fill('景德镇市生态环境局浮梁分局');
  await pickDate(officerPage, 'collateral-valid-from', '2024-01-01');
  await pickDate(officerPage, 'collateral-valid-to', '2028-12-31');
  await form.getByTestId('collateral-unit-price').fill('3000');
  await pickDate(officerPage, 'collateral-appraised-on', '2026-01-01');
  await form.getByTestId('collateral-appraiser').fill('江西中信资产评估有限公司');
  await expect(form).toContainText('上限 80.00%');
  await form.locator('input[type=file]').setInputFiles({ name: '排污许可证.pdf', mimeType: 'application/pdf', buffer: onePagePdf() });

  // Above the cap: refused, naming the cap and its document.
  await form.getByTestId('collateral-pledge-rate').fill('85');
  await officerPage.getByTestId('collateral-submit').click();
  const refusal = officerPage.getByTestId('collateral-form-error');
  await expect(refusal).toContainText('质押率 85.00% 超过上限 80.00%');
  await expect(refusal).toContainText('湖南省主要污染物排污权抵押贷款管理办法');
  await screenshot(officerPage, 'over-cap');

  await form.getByTestId('collateral-pledge-rate').fill('80');
  await officerPage.getByTestId('collateral-submit').click();
  const detail = officerPage.getByTestId('collateral-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('collateral-status')).toHaveText('待审批');
  await expect(detail.getByTestId('collateral-details')).toHaveText('COD（化学需氧量） · 12.5 吨/年');
  await expect(detail.getByTestId('collateral-detail-appraised')).toHaveText('112,500.00 元');
  await expect(detail.getByTestId('collateral-detail-pledged')).toHaveText('90,000.00 元');
  await expect(detail.getByTestId('collateral-appraisals')).toContainText('江西中信资产评估有限公司');
  await expect(detail).toContainText('排污许可证.pdf');
  await screenshot(officerPage, 'submitted');

  // The maker cannot approve: no button, and the host refuses the call.
  await expect(detail.getByTestId('collateral-action-approve')).toHaveCount(0);
  const itemId = officerPage.url().split('/collateral/')[1]!;
  const current = await callApi<{ version: number }>(officerPage, 'collateral.get', { id: itemId });
  if (!current.ok) throw new Error(JSON.stringify(current.error));
  expect(await callApi(officerPage, 'collateral.act', { id: itemId, version: current.value.version, action: 'approve' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

  // The credit manager finds it in the review queue and approves it.
  await openSection(managerPage, '抵质押登记簿');
  await expect(managerPage.getByTestId('collateral-review-link')).toContainText('待审批 1 项');
  await managerPage.getByTestId('collateral-review-link').click();
  await expect(managerPage.getByTestId('collateral-review-row')).toHaveCount(1);
  await screenshot(managerPage, 'review-queue');
  await managerPage.getByTestId('collateral-review-row').first().click();
  const managerDetail = managerPage.getByTestId('collateral-detail');
  await managerDetail.getByTestId('collateral-action-approve').click();
  // Each dialog is used once it has opened (dialogOpened says why: a click during its zoom is lost).
  await dialogOpened(managerPage, managerPage.getByTestId('collateral-approve-confirm'));
  await managerPage.getByTestId('collateral-approve-confirm').click();
  await expect(managerDetail.getByTestId('collateral-status')).toHaveText('已批准');
  await expect(managerDetail.getByTestId('collateral-checker')).toHaveText(manager.displayName);

  // The officer enters the registration (登记证明编号) and links the loan it secures; then it is active.
  await officerPage.reload();
  await expect(detail.getByTestId('collateral-status')).toHaveText('已批准');
  await detail.getByTestId('collateral-action-register').click();
  const registration = officerPage.getByTestId('collateral-register-form');
  await dialogOpened(officerPage, registration);
  await registration.getByTestId('collateral-registry').fill('景德镇市排污权交易中心');
  await registration.getByTestId('collateral-registration-number').fill('JDZPW2026000015');
  await pickDate(officerPage, 'collateral-registered-on', '2026-02-01');
  await pickDate(officerPage, 'collateral-registration-expires', '2029-01-31');
  await officerPage.getByTestId('collateral-register-save').click();
  await expect(detail.getByTestId('collateral-status')).toHaveText('已登记');
  await expect(detail.getByTestId('collateral-detail-registration')).toContainText('JDZPW2026000015');

  await detail.getByTestId('collateral-link-loan-button').click();
  await dialogOpened(officerPage, officerPage.getByTestId('collateral-link-form'));
  await chooseOption(officerPage, officerPage.getByTestId('collateral-link-loan'), '', 'JK2026-0015');
  await officerPage.getByTestId('collateral-link-secured').fill('80000');
  await officerPage.getByTestId('collateral-link-save').click();
  await expect(detail.getByTestId('collateral-loan-secured')).toHaveText('80,000.00');
  await detail.getByTestId('collateral-action-activate').click();
  await dialogOpened(officerPage, officerPage.getByTestId('collateral-confirm'));
  await officerPage.getByTestId('collateral-confirm').click();
  await expect(detail.getByTestId('collateral-status')).toHaveText('生效');
  await screenshot(officerPage, 'active');

  // Active at its pledged value in the register, and counted in the totals …
  await openSection(officerPage, '抵质押登记簿');
  const row = officerPage.getByTestId('collateral-row').filter({ hasText: '浮环排污〔2025〕15号' });
  await expect(row.getByTestId('collateral-status')).toHaveText('生效');
  await expect(row.getByTestId('collateral-pledged')).toHaveText('90,000.00');
  await expect(row.getByTestId('collateral-registration')).toHaveText('JDZPW2026000015');
  await expect(officerPage.getByTestId('collateral-totals')).toHaveText('合计 1 项 · 评估价值 11.25 万元 · 质押价值 9.00 万元 · 计入担保 9.00 万元');
  await screenshot(officerPage, 'register');
  // The register's export: the filtered set with its 合计 row, values in 元.
  const [download] = await Promise.all([officerPage.waitForEvent('download'), officerPage.getByTestId('collateral-export').click()]);
  const sheet = await downloadedSheet(download);
  expect(sheet[0]!.slice(0, 3)).toEqual(['权证编号', '出质企业', '类型']);
  expect(sheet[1]!.slice(0, 3)).toEqual(['浮环排污〔2025〕15号', name, '排污权']);
  expect(sheet[1]![9]).toBe('90000');
  expect(sheet[2]![0]).toBe('合计 1 项');

  // … and on the enterprise page.
  await officerPage.goto(`${host.origin}/#/enterprises/${enterpriseId}?tab=collateral`);
  const enterpriseRow = tab.getByTestId('enterprise-collateral-row');
  await expect(enterpriseRow).toHaveCount(1);
  await expect(enterpriseRow.getByTestId('collateral-status')).toHaveText('生效');
  await expect(enterpriseRow.getByTestId('collateral-pledged')).toHaveText('90,000.00');
  await expect(tab.getByTestId('enterprise-collateral-totals')).toContainText('计入担保 9.00 万元');
  await screenshot(officerPage, 'enterprise-tab');

  // The same item in English: statuses, units and the history in words.
  await openSection(officerPage, '设置');
  await officerPage.getByTestId('locale-switch').getByText('English').click();
  await officerPage.goto(`${host.origin}/#/collateral/${itemId}`);
  await expect(detail.getByTestId('collateral-status')).toHaveText('Active');
  await expect(detail.getByTestId('collateral-details')).toHaveText('COD · 12.5 t/yr');
  await expect(detail.getByTestId('collateral-detail-pledged')).toHaveText('90,000.00 CNY');
  await expect(detail).toContainText('Collateral activated');
  await screenshot(officerPage, 'english');
});
