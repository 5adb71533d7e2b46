import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { addUser, callApi, chooseOption, colleague, completeSetup, openSection, pickDate, type NewUser } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/**
 * Issue 15's register, the parts after acceptance: the alert-kind, owner and officer filters with
 * counts and totals that match the list; a credit manager's saved view (视图), reopened after the
 * filters were cleared; a renewal (展期) of an active item's registration recorded on its page, the
 * renewal listed and the registration's expiry the renewal's. In Chromium against the real host.
 */
const officer: NewUser = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const manager: NewUser = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' };
const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/collateral-register-${name}.png`, fullPage: true });

async function api<T>(page: Page, method: string, input: unknown): Promise<T> {
  const result = await callApi<T>(page, method, input);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value;
}

test('filters by alert kind, owner and officer, saves and reopens a view, and renews a registration', async ({ page, host, browser }) => {
  test.setTimeout(300_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, manager]) await addUser(page, user);
  const officerPage = await colleague(browser, host, officer);
  const managerPage = await colleague(browser, host, manager);

  // Two owners: one 排污权 active and over its coverage (the loan's balance above the pledged value), one only submitted.
  const owner = await api<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile('浮梁县红塔化工有限公司', testUscc(1521)) });
  const other = await api<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile('浮梁县青山水务有限公司', testUscc(1522)) });
  const loan = await api<{ id: string }>(officerPage, 'loans.create', {
    loan: { loanNumber: 'JK2026-1521', enterpriseId: owner.id, amount: 20_000_000, balance: 20_000_000, balanceAsOf: '2026-11-30', disbursedOn: '2026-01-15', maturesOn: '2028-06-30', rateBp: 345, classification: 'normal', guaranteeMode: 'environmental_rights_pledge', status: 'outstanding', purpose: '脱硫改造' },
  });
  const item = (enterpriseId: string, certificateNumber: string) => ({
    enterpriseId,
    details: { type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' },
    certificateNumber,
    certificateIssuer: '景德镇市生态环境局浮梁分局',
    validity: { from: '2024-01-01', to: '2029-12-31' },
    valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: '2026-01-01', appraiser: '江西中信评估有限公司' },
    pledgeRateBp: 8_000,
  });
  const submitted = await api<{ id: string; version: number }>(officerPage, 'collateral.create', { item: item(owner.id, '浮环排污〔2026〕21号'), submit: true });
  const approved = await api<{ version: number }>(managerPage, 'collateral.act', { id: submitted.id, version: submitted.version, action: 'approve' });
  const registered = await api<{ version: number }>(officerPage, 'collateral.act', {
    id: submitted.id,
    version: approved.version,
    action: 'register',
    registration: { registry: '江西省排污权交易中心', registrationNumber: 'JXPW-2026-001521', registeredOn: '2026-02-01', expiresOn: '2029-01-31' },
  });
  const linked = await api<{ version: number }>(officerPage, 'collateral.linkLoan', { itemId: submitted.id, loanId: loan.id, securedAmountFen: null });
  await api(officerPage, 'collateral.act', { id: submitted.id, version: Math.max(linked.version, registered.version), action: 'activate' });
  await api(managerPage, 'collateral.create', { item: item(other.id, '浮环排污〔2026〕22号'), submit: true });

  await openSection(managerPage, '抵质押登记簿');
  const count = managerPage.getByTestId('collateral-count');
  const totals = managerPage.getByTestId('collateral-totals');
  const rows = managerPage.getByTestId('collateral-row');
  await expect(count).toHaveText('共 2 项');

  // Alert kind: only the item over its coverage; the count and the totals say the same.
  await chooseOption(managerPage, managerPage.getByTestId('collateral-filter-alert'), '', '担保覆盖超限');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('浮环排污〔2026〕21号');
  await expect(count).toHaveText('共 1 项');
  await expect(totals).toContainText('合计 1 项');
  await screenshot(managerPage, 'alert-filter');

  // Saved as a view, the filters cleared, the view reopened.
  await managerPage.getByTestId('collateral-view-save').click();
  await managerPage.getByTestId('collateral-view-name').fill('覆盖超限');
  await managerPage.getByTestId('collateral-view-save-confirm').click();
  await expect(managerPage.getByTestId('collateral-views')).toContainText('覆盖超限');
  await managerPage.getByRole('button', { name: '清除筛选' }).click();
  await expect(count).toHaveText('共 2 项');
  await expect(managerPage.getByTestId('collateral-views')).not.toContainText('覆盖超限');
  await chooseOption(managerPage, managerPage.getByTestId('collateral-views'), '', '覆盖超限');
  await expect(count).toHaveText('共 1 项');
  await expect(managerPage.getByTestId('collateral-filter-alert')).toContainText('担保覆盖超限');
  // The view is the manager's own, kept on this laptop: it survives a reload.
  await managerPage.reload();
  await chooseOption(managerPage, managerPage.getByTestId('collateral-views'), '', '覆盖超限');
  await expect(count).toHaveText('共 1 项');
  await screenshot(managerPage, 'view');
  await managerPage.getByRole('button', { name: '清除筛选' }).click();

  // Owner and officer filters.
  await chooseOption(managerPage, managerPage.getByTestId('collateral-filter-enterprise'), '青山', '浮梁县青山水务有限公司');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('浮环排污〔2026〕22号');
  await managerPage.getByRole('button', { name: '清除筛选' }).click();
  await chooseOption(managerPage, managerPage.getByTestId('collateral-filter-officer'), '', officer.displayName);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('浮环排污〔2026〕21号');
  await expect(totals).toContainText('合计 1 项');

  // A renewal of the active item's registration, recorded by the officer on its page.
  await officerPage.goto(`${host.origin}/#/collateral/${submitted.id}`);
  const detail = officerPage.getByTestId('collateral-detail');
  await expect(detail.getByTestId('collateral-renewals')).toContainText('尚无展期');
  await detail.getByTestId('collateral-renew').click();
  const form = officerPage.getByTestId('collateral-renew-form');
  await expect(form.getByTestId('collateral-renewal-number')).toHaveValue('JXPW-2026-001521');
  await pickDate(officerPage, 'collateral-renewed-on', '2026-12-01');
  // Not later than the current expiry: refused, naming it.
  await pickDate(officerPage, 'collateral-renewal-expires', '2029-01-31');
  await officerPage.getByTestId('collateral-renew-save').click();
  await expect(officerPage.getByTestId('collateral-renew-error')).toHaveText('展期后的到期日须晚于当前登记到期日 2029-01-31');
  await pickDate(officerPage, 'collateral-renewal-expires', '2031-01-31');
  await form.getByTestId('collateral-renewal-number').fill('JXPW-2026-001521-Z1');
  await officerPage.getByTestId('collateral-renew-save').click();
  await expect(detail.getByTestId('collateral-detail-registration')).toContainText('2031-01-31');
  await expect(detail.getByTestId('collateral-detail-registration')).toContainText('JXPW-2026-001521-Z1');
  await expect(detail.getByTestId('collateral-renewals')).toContainText('2029-01-31');
  await expect(detail.getByTestId('collateral-renewals')).toContainText('李四');
  await screenshot(officerPage, 'renewed');
});
