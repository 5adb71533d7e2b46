import type { Page } from '@playwright/test';
import { usccCheckCharacter } from '../../shared/domain/uscc.ts';
import { test, expect } from './fixtures.ts';
import { addUser, callApi, completeSetup, creditManager, enterpriseFile, login, logout, officer, onePagePdf, openSection, signInFirstTime } from './pages.ts';

/**
 * Issue 14 acceptance 2 in Chromium: a green tag without a catalogue code or evidence cannot be
 * confirmed as green; the greenwashing list shows it with the reason; completing it and having a
 * second user (a credit manager) confirm it makes the loan count as green.
 */
const borrower = { name: '浮梁华盛建材有限公司', uscc: ((first17: string) => first17 + usccCheckCharacter(first17))('91360222MA35H7JC1') };

const openLoanTag = async (page: Page, loanId: string) => {
  await page.evaluate((id) => (window.location.hash = `#/loans/${id}?tab=green`), loanId);
  await expect(page.getByTestId('green-tag-panel')).toBeVisible();
};

test('a green tag is confirmed only with code and evidence, by a credit manager who did not prepare it; the greenwashing list says why until then', async ({ page, host }) => {
  test.setTimeout(240_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  await addUser(page, creditManager);
  await logout(page);
  await signInFirstTime(page, officer);

  const enterprise = await callApi<{ id: string }>(page, 'enterprises.create', { file: enterpriseFile(borrower.name, borrower.uscc) });
  if (!enterprise.ok) throw new Error(enterprise.error.message);
  const loan = await callApi<{ id: string }>(page, 'loans.create', {
    loan: {
      loanNumber: '360222012026001401',
      enterpriseId: enterprise.value.id,
      amount: 10_000_000_00,
      balance: 8_000_000_00,
      balanceAsOf: '2026-11-30',
      disbursedOn: '2026-03-01',
      maturesOn: '2029-02-28',
      rateBp: 345,
      classification: 'normal',
      guaranteeMode: 'credit',
      status: 'outstanding',
      purpose: '余热发电技术改造',
    },
  });
  if (!loan.ok) throw new Error(loan.error.message);

  // The officer tags the loan but leaves out the code and evidence.
  await openLoanTag(page, loan.value.id);
  await expect(page.getByTestId('green-standing')).toContainText('未标识');
  await page.getByTestId('green-save').click();
  await expect(page.getByTestId('green-standing')).toContainText('待完善');
  await expect(page.getByTestId('green-gaps')).toHaveText('未选择目录代码、未上传佐证材料、未经信贷经理确认');
  await logout(page);

  // The credit manager cannot confirm it: the button is off and says why, and the host refuses too.
  await signInFirstTime(page, creditManager);
  await openLoanTag(page, loan.value.id);
  await expect(page.getByTestId('green-confirm')).toBeDisabled();
  await expect(page.getByTestId('green-tag-panel')).toContainText('尚不能确认：未选择目录代码、未上传佐证材料');
  const tag = await callApi<{ id: string; version: number }>(page, 'green.tag', { ownerType: 'loan', ownerId: loan.value.id });
  if (!tag.ok) throw new Error(tag.error.message);
  expect(await callApi(page, 'green.confirm', { id: tag.value.id, version: tag.value.version })).toMatchObject({ ok: false, error: { message: '不能确认为绿色：未选择目录代码、未上传佐证材料' } });

  // The greenwashing list shows the tag with its reasons and links to the loan.
  await openSection(page, '绿色信贷');
  await expect(page.getByTestId('green-summary')).toContainText('计入绿色贷款 0 笔');
  const line = page.getByTestId('greenwashing-list').locator('tr', { hasText: '360222012026001401' });
  await expect(line.getByTestId('greenwashing-reasons')).toHaveText('缺少目录代码；缺少佐证材料；缺少环境效益数据');
  await expect(line).toContainText(borrower.name);
  await line.getByTestId('greenwashing-link').click();
  await expect(page.getByTestId('green-tag-panel')).toBeVisible();
  await logout(page);

  // The officer completes it: a code from the picker, the project's figures, an EIA approval.
  await login(page, officer.username, officer.password);
  await openLoanTag(page, loan.value.id);
  await page.getByTestId('green-code').click();
  await page.locator('.ant-select-tree-title', { hasText: '节能降碳产业' }).click();
  await page.getByTestId('green-total-investment').fill('50,000,000');
  await page.getByTestId('green-benefit-coalSavedTce').fill('12000');
  await page.getByTestId('green-benefit-co2ReducedT').fill('30000.5');
  await page.getByTestId('green-save').click();
  await expect(page.getByText('绿色标识已保存')).toBeVisible();
  await page.getByTestId('green-tag-panel').locator('input[type=file]').setInputFiles({ name: '环评批复.pdf', mimeType: 'application/pdf', buffer: onePagePdf() });
  await expect(page.getByTestId('green-tag-panel').getByText('环评批复.pdf')).toBeVisible();
  await expect(page.getByTestId('green-gaps')).toHaveText('未经信贷经理确认');
  // The bank's share: 800 万 of 5,000 万 invested.
  await expect(page.getByTestId('green-bank-share')).toContainText('1,920 吨标准煤');
  await expect(page.getByTestId('green-bank-share')).toContainText('4,800.08 吨');
  await logout(page);

  // A second user, the credit manager, confirms it: the loan counts green and leaves the list.
  await login(page, creditManager.username, creditManager.password);
  await openLoanTag(page, loan.value.id);
  await page.getByTestId('green-confirm').click();
  await expect(page.getByTestId('green-standing')).toContainText('计入绿色贷款');
  await expect(page.getByTestId('green-standing')).toContainText(`${creditManager.displayName} 于`);
  await openSection(page, '绿色信贷');
  await expect(page.getByTestId('green-summary')).toContainText('计入绿色贷款 1 笔，余额 8,000,000.00 元；待完善 0 笔');
  await expect(page.getByTestId('greenwashing-list')).not.toContainText('360222012026001401');
});

test('a green-project credit application carries its own tag panel', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  await logout(page);
  await signInFirstTime(page, officer);
  const enterprise = await callApi<{ id: string }>(page, 'enterprises.create', { file: enterpriseFile(borrower.name, borrower.uscc) });
  if (!enterprise.ok) throw new Error(enterprise.error.message);
  const application = await callApi<{ id: string }>(page, 'credit.create', {
    terms: { enterpriseId: enterprise.value.id, product: 'fixed_asset', amountFen: 5_000_000_00, termMonths: 36, rateBp: 345, purpose: '窑炉余热回收技术改造', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: true, project: null },
  });
  if (!application.ok) throw new Error(application.error.message);
  await page.evaluate((id) => (window.location.hash = `#/credit/${id}`), application.value.id);
  const panel = page.getByTestId('credit-green-tag');
  await expect(panel.getByTestId('green-standing')).toContainText('未标识');
  await panel.getByTestId('green-code').click();
  await page.locator('.ant-select-tree-title', { hasText: '环境保护产业' }).click();
  await panel.getByTestId('green-save').click();
  await expect(panel.getByTestId('green-gaps')).toHaveText('未上传佐证材料、未经信贷经理确认');
});
