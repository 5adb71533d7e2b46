import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { addUser, callApi, chooseOption, colleague, completeSetup, openSection, pickDate, type NewUser } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/**
 * Issue 16, tracking a case over time, in Chromium against the real browser-mode host: an officer
 * opens a 压缩退出 case with its reduction plan; the case page draws planned against actual balance
 * (the enterprise's loans summed by snapshot) and states each plan day's figures, ahead or behind.
 */
const officer: NewUser = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/case-tracking-${name}.png`, fullPage: true });

async function must<T>(answer: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

test('a 压缩退出 case shows planned against actual balance, with the figures of each plan day', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  const officerPage = await colleague(browser, host, officer);

  const name = '浮梁县宏达焦化有限公司';
  const enterprise = await must(callApi<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(1651)) }));
  const loan = (loanNumber: string, balance: number, balanceAsOf: string) => ({
    loanNumber, enterpriseId: enterprise.id, amount: 800_000_00, balance, balanceAsOf, disbursedOn: '2025-01-10', maturesOn: '2027-01-09', rateBp: 395, classification: 'normal', guaranteeMode: 'mortgage', status: 'outstanding', purpose: '流动资金周转',
  });
  const first = await must(callApi<{ id: string }>(officerPage, 'loans.create', { loan: loan('JK2025-HD0001', 800_000_00, '2025-01-31') }));
  const second = await must(callApi<{ id: string }>(officerPage, 'loans.create', { loan: loan('JK2025-HD0002', 300_000_00, '2025-01-31') }));
  for (const [loanId, asOf, balance] of [[first.id, '2025-03-31', 600_000_00], [second.id, '2025-04-30', 250_000_00], [first.id, '2025-06-30', 200_000_00]] as const) {
    await must(callApi(officerPage, 'loans.recordSnapshot', { loanId, snapshot: { asOf, balance, classification: 'normal' } }));
  }

  await officerPage.goto(`${host.origin}/#/enterprises/${enterprise.id}?tab=rectification`);
  await officerPage.getByTestId('enterprise-case-create').click();
  const form = officerPage.getByTestId('case-form');
  await chooseOption(officerPage, form.getByTestId('case-source'), '', '检查发现');
  await form.getByTestId('case-description').fill('焦炉烟气脱硫设施停运，二氧化硫超标排放');
  await form.getByTestId('case-required-actions').fill('恢复脱硫设施运行；逐步压降授信直至退出');
  await pickDate(officerPage, 'case-deadline', '2099-12-31');
  await chooseOption(officerPage, form.getByTestId('case-measure'), '', '压缩退出');
  // 压缩退出 asks for its plan: saved without one, the form says so.
  await officerPage.getByTestId('case-save').click();
  await expect(officerPage.getByTestId('case-form-error')).toHaveText('压缩退出的案件需要压降计划');
  for (const [index, day, target] of [[0, '2025-03-31', '100'], [1, '2025-06-30', '30'], [2, '2099-06-30', '0']] as const) {
    await form.getByTestId('exposure-plan-add').click();
    await pickDate(officerPage, `exposure-plan-date-${index}`, day);
    await form.getByTestId(`exposure-plan-target-${index}`).fill(target);
  }
  await screenshot(officerPage, 'plan-form');
  await officerPage.getByTestId('case-save').click();

  const panel = officerPage.getByTestId('case-exposure');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('exposure-basis')).toContainText('本企业 2 笔借据');
  // The chart is drawn (SVG), with both lines named in its legend.
  const chart = panel.getByTestId('exposure-chart');
  await expect(chart.locator('svg')).toBeVisible();
  await expect(chart).toContainText('计划余额');
  await expect(chart).toContainText('实际余额');
  // 2025-03-31: 60 + 30 (carried from January) = 90 万元 against 100: ahead by 10.
  const march = panel.getByTestId('exposure-step-2025-03-31');
  await expect(march).toContainText('100.00');
  await expect(march).toContainText('90.00');
  await expect(march).toContainText('-10.00');
  await expect(march).toContainText('提前完成');
  // 2025-06-30: 20 + 25 = 45 against 30: behind by 15.
  const june = panel.getByTestId('exposure-step-2025-06-30');
  await expect(june).toContainText('45.00');
  await expect(june).toContainText('+15.00');
  await expect(june).toContainText('落后于计划');
  await expect(panel.getByTestId('exposure-step-2099-06-30')).toContainText('未到期');
  await screenshot(officerPage, 'exposure');

  // The plan is corrected on the case page: June's target raised to 50, now ahead.
  await panel.getByTestId('exposure-plan-edit').click();
  await officerPage.getByTestId('exposure-plan-target-1').fill('50');
  await officerPage.getByTestId('exposure-plan-save').click();
  await expect(panel.getByTestId('exposure-step-2025-06-30')).toContainText('提前完成');
  await expect(panel.getByTestId('exposure-step-2025-06-30')).toContainText('-5.00');

  // In English the figures and the legend follow the language.
  const casePage = officerPage.url();
  await openSection(officerPage, '设置');
  await officerPage.getByTestId('locale-switch').getByText('English').click();
  await officerPage.goto(casePage);
  await expect(panel.getByTestId('exposure-step-2025-03-31')).toContainText('Ahead of plan');
  await expect(chart).toContainText('Planned balance');
  await screenshot(officerPage, 'exposure-en');
});
