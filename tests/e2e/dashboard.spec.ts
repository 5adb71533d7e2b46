import { join } from 'node:path';
import { test, expect } from './fixtures.ts';
import { hostValue as value, officerAndManager } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';

/**
 * 经营看板 in Chromium: a figure clicked opens the register list behind it with the same count (and,
 * for green loans, the same balance); the dashboard photographed in Chinese and English.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');
const shots = join(import.meta.dirname, '..', '..', 'test-results', 'dashboard');

test('a dashboard figure opens the filtered list with the same count', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  const { officerPage, managerPage } = await officerAndManager(page, host, browser);
  const today = shanghaiDate(new Date());
  const me = await value<{ user: { id: string } }>(officerPage, 'session.get', {});

  const enterprises: string[] = [];
  for (const [i, name] of ['浮梁县华盛陶瓷有限公司', '浮梁县景华纺织有限公司', '浮梁县绿源茶业有限公司'].entries()) {
    enterprises.push((await value<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(8_901 + i)) })).id);
  }
  // Three loans, two of them green (tagged, evidenced, confirmed by the manager).
  for (const [i, amount] of [3_000_000_00, 1_200_000_00, 800_000_00].entries()) {
    const loan = await value<{ id: string }>(officerPage, 'loans.create', {
      loan: { loanNumber: `JK2026-89${i}`, enterpriseId: enterprises[i]!, amount, balance: amount, balanceAsOf: addDays(today, -40), disbursedOn: addDays(today, -60), maturesOn: addDays(today, 700), rateBp: 345, classification: 'normal', guaranteeMode: 'credit', status: 'outstanding', purpose: '节能技术改造' },
    });
    if (i === 2) continue;
    const tag = await value<{ id: string }>(officerPage, 'green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: '1', totalInvestment: amount * 3, benefits: { ...noBenefits, coalSavedTce: '120' } } });
    await value(officerPage, 'attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: PDF });
    const current = await value<{ version: number }>(managerPage, 'green.tag', { ownerType: 'loan', ownerId: loan.id });
    await value(managerPage, 'green.confirm', { id: tag.id, version: current.version });
  }
  // Collateral: two submitted, one approved.
  for (let i = 0; i < 3; i += 1) {
    const item = await value<{ id: string; version: number }>(officerPage, 'collateral.create', {
      submit: true,
      item: {
        enterpriseId: enterprises[i]!,
        details: { type: 'emission_right', pollutant: 'cod', quantity: String(10 + i), unit: 't/yr' },
        certificateNumber: `浮环排污〔2026〕9${i}号`,
        certificateIssuer: '景德镇市生态环境局浮梁分局',
        validity: { from: '2024-01-01', to: addDays(today, 1_500) },
        valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: today, appraiser: '江西中信评估有限公司' },
        pledgeRateBp: 6_000,
      },
    });
    if (i === 0) await value(managerPage, 'collateral.act', { id: item.id, version: item.version, action: 'approve' });
  }
  // Cases: two overdue under 督促整改, one open in time.
  for (const [i, deadline] of [addDays(today, -5), addDays(today, -2), addDays(today, 30)].entries()) {
    await value(officerPage, 'cases.create', {
      facts: { enterpriseId: enterprises[i]!, category: 'environmental', source: 'inspection', sourceReference: null, sourceAuthority: null, sourceDate: null, foundOn: addDays(today, -60), description: `废气超标排放（${i}）`, requiredActions: '更换除尘设施并经监测达标', deadline, measure: 'urge', exposurePlan: [], officerId: me.user.id },
    });
  }

  const board = async () => {
    await managerPage.getByTestId('main-nav').getByText(/^(经营看板|Dashboard)$/).click();
    await expect(managerPage.getByTestId('dashboard-page')).toBeVisible();
  };
  await board();
  await expect(managerPage.getByTestId('figure-green-loans')).toContainText('2');
  await managerPage.waitForTimeout(500); // the charts' entry animation, for the photograph
  await managerPage.screenshot({ path: join(shots, 'dashboard-zh.png'), fullPage: true });

  // Green-loan balance → the green loans behind it: 2 loans, 420.00 万元.
  await expect(managerPage.getByTestId('figure-green-balance')).toContainText('420.00');
  await managerPage.getByTestId('figure-green-balance').click();
  await expect(managerPage.getByTestId('green-loans-count')).toHaveText('共 2 笔 · 2 户 · 余额 420.00 万元');
  await expect(managerPage.getByTestId('green-loans-row')).toHaveCount(2);

  // Collateral by status: the 待审批 line (2) → the register filtered to submitted items, 共 2 项.
  await board();
  await managerPage.getByTestId('collateral-status-submitted').click();
  await expect(managerPage.getByTestId('collateral-count')).toHaveText('共 2 项');
  await expect(managerPage.getByTestId('collateral-list-page')).toBeVisible();

  // Cases: 督促整改 overdue (2) → the case register filtered to overdue 督促整改 cases, 共 2 件.
  await board();
  await expect(managerPage.getByTestId('cases-urge-overdue')).toHaveText('2');
  await managerPage.getByTestId('cases-urge-overdue').click();
  await expect(managerPage.getByTestId('case-count')).toHaveText('共 2 件');
  // The alert figure gives the same list.
  await board();
  await expect(managerPage.getByTestId('figure-alerts-overdue-cases')).toContainText('2');
  await managerPage.getByTestId('figure-alerts-overdue-cases').click();
  await expect(managerPage.getByTestId('case-count')).toHaveText('共 2 件');

  await value(managerPage, 'settings.update', { locale: 'en' });
  await managerPage.reload();
  await board();
  await expect(managerPage.getByTestId('dashboard-green')).toContainText('Green-loan balance');
  await managerPage.waitForTimeout(500);
  await managerPage.screenshot({ path: join(shots, 'dashboard-en.png'), fullPage: true });
});
