import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures.ts';
import { chooseOption, hostValue as value, officerAndManager } from './pages.ts';
import { branchWithCode, startHub, type HubProcess } from '../sync/hub.ts';
import { headOfficeAdmin, headOfficePerson, HEAD_OFFICE_TEST_PASSWORD } from '../../server/testing/headOffice.ts';
import type { GreenReport, SyncStatus, ThreeNotLowerView } from '../../shared/api/index.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';
import { endedPeriods, periodBounds } from '../../shared/domain/greenStatistics.ts';
import { formatYuan } from '../../shared/domain/money.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';
import { wanYuan } from '../../shared/node/workbook.ts';

/**
 * Issue 18's 统计 page in Chromium against a real hub process: a laptop's book synced to the hub
 * shows on the console's 统计 page, filtered to the laptop's branch, with the laptop's own figures
 * (its 统计报表's, in 元) — the green balance, the book, 三个不低于's verdicts, the category 合计 —
 * and the page's .xlsx export holds the same branch and balance.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');

let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

test('the console’s 统计 shows a branch’s figures as its laptop reports them, and exports them', async ({ page, host, browser }) => {
  test.setTimeout(240_000);
  // In CI every spec's hub shares one PostgreSQL: this spec's branch is named uniquely and the page is filtered to it.
  const code = `TJ-E2E-${Date.now() % 100_000}`;
  const branchName = `浮梁县统计支行 ${code}`;
  const { enrollmentCode } = await branchWithCode(hub, branchName, code);
  // A second branch with no book yet: the ranking has two lines to draw at least (0 for this one).
  await branchWithCode(hub, `乐平市统计支行 ${code}`, `${code}-LP`);
  const { officerPage, managerPage } = await officerAndManager(page, host, browser);
  await value(page, 'sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '统计笔记本' });

  const quarter = endedPeriods('quarter', new Date(), 1)[0]!;
  const { end } = periodBounds(quarter);
  const plans = [
    { name: '浮梁县统计陶瓷有限公司', county: '360222', fen: 3_000_000_00, green: true },
    { name: '乐平市统计食品有限公司', county: '360281', fen: 1_234_567_89, green: true },
    { name: '浮梁县统计贸易有限公司', county: '360222', fen: 800_000_00, green: false },
  ];
  for (const [i, plan] of plans.entries()) {
    const enterprise = await value<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(plan.name, testUscc(9_181 + i), { divisionCode: plan.county }) });
    const loan = await value<{ id: string }>(officerPage, 'loans.create', {
      loan: { loanNumber: `JK-TJ-${i}`, enterpriseId: enterprise.id, amount: plan.fen, balance: plan.fen, balanceAsOf: addDays(end, -5), disbursedOn: addDays(end, -30), maturesOn: addDays(end, 900), rateBp: 345, classification: 'normal', guaranteeMode: 'credit', status: 'outstanding', purpose: '节能技术改造' },
    });
    if (!plan.green) continue;
    const tag = await value<{ id: string }>(officerPage, 'green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: '1', totalInvestment: plan.fen * 2, benefits: { ...noBenefits, coalSavedTce: '50' } } });
    await value(officerPage, 'attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: PDF });
    const current = await value<{ version: number }>(managerPage, 'green.tag', { ownerType: 'loan', ownerId: loan.id });
    await value(managerPage, 'green.confirm', { id: tag.id, version: current.version });
  }
  const synced = await value<SyncStatus>(managerPage, 'sync.now', {});
  expect(synced.lastError).toBeNull();
  const report = await value<GreenReport>(managerPage, 'stats.greenReport', { day: { period: quarter } });
  const tests = await value<ThreeNotLowerView>(managerPage, 'stats.threeNotLower', { period: quarter });
  expect(report.totals.balance).toBe(3_000_000_00 + 1_234_567_89); // hand-computed: the two green loans

  // Head office: a 总行查看 opens 统计 from the menu; the newest ended quarter is chosen.
  const viewer = await headOfficePerson(hub.url, await headOfficeAdmin(hub.url, hub.adminToken), 'ho_viewer', '统计查看员');
  const consolePage = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
  await consolePage.goto(`${hub.url}/console/login`);
  await consolePage.getByLabel('用户名').fill(viewer.username);
  await consolePage.getByLabel('密码').fill(HEAD_OFFICE_TEST_PASSWORD);
  await consolePage.getByTestId('sign-in-submit').click();
  await consolePage.getByTestId('console-nav').getByText('统计', { exact: true }).click();
  await expect(consolePage).toHaveURL(/\/console\/statistics$/);
  await expect(consolePage.getByTestId('statistics-span')).toContainText(`${periodBounds(quarter).start} 至 ${end}`);
  // The whole bank: the ranking lists the branch (other specs' branches may be there too).
  await expect(consolePage.getByTestId('branches')).toContainText(branchName);
  await expect(consolePage.getByTestId('chart-ranking').locator('svg')).toContainText(branchName.slice(0, 6));
  await consolePage.screenshot({ path: 'test-results/head-office-statistics-bank.png', fullPage: true });

  await chooseOption(consolePage, consolePage.getByTestId('branch-filter'), code, branchName);
  const three = consolePage.getByTestId('three-not-lower');
  await expect(three).toContainText(`支行：${branchName}`);
  await expect(consolePage.getByTestId('figure-green-balance')).toContainText(formatYuan(report.totals.balance));
  await expect(consolePage.getByTestId('figure-total-balance')).toContainText(formatYuan(report.book.totalBalance));
  await expect(consolePage.getByTestId('by-category-total')).toHaveText(formatYuan(report.totals.balance));
  const words = { met: '达标', notMet: '未达标', notComputable: '无法计算' } as const;
  const verdicts = (await three.locator('tbody tr td:last-child').allInnerTexts()).map((text) => text.trim());
  expect(verdicts).toEqual([tests.growth, tests.increment, tests.customers, tests.share].map((line) => words[line.verdict]));
  await expect(consolePage.getByTestId('counties')).toContainText('乐平市');
  await expect(consolePage.getByTestId('chart-category').locator('svg')).toBeVisible();
  await consolePage.screenshot({ path: 'test-results/head-office-statistics.png', fullPage: true });

  // A county picks its line: 乐平市 holds one green loan of 1,234,567.89 元.
  await chooseOption(consolePage, consolePage.getByTestId('county-filter'), '360281', /乐平市/);
  await expect(three).toContainText('县：');
  await expect(consolePage.getByTestId('figure-green-balance')).toContainText('1,234,567.89');

  // The export: the filtered branch alone, its balance in 万元 (the workbook's unit), the download audited.
  const [download] = await Promise.all([consolePage.waitForEvent('download'), consolePage.getByTestId('statistics-export').click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
  const ranking = workbook.getWorksheet('各支行排名')!;
  expect([ranking.rowCount, ranking.getRow(2).getCell(2).value, ranking.getRow(2).getCell(3).value]).toEqual([3, branchName, wanYuan(report.totals.balance)]);

  // In English the same page reads in English, the amounts unchanged.
  await consolePage.getByTestId('locale-switch').getByText('English').click();
  await expect(consolePage.getByTestId('statistics-page')).toContainText('Bank-wide green-credit statistics');
  await expect(consolePage.getByTestId('figure-green-balance')).toContainText('1,234,567.89');
  await consolePage.screenshot({ path: 'test-results/head-office-statistics-en.png', fullPage: true });
});
