import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { hostValue as value, officerAndManager, openSection } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';
import { currentPeriod, endedPeriods, periodBounds } from '../../shared/domain/greenStatistics.ts';

/**
 * 统计报表 in Chromium (issue 17 acceptance 3): the green report's 合计 as the screen shows it equals
 * the 合计 row of the .xlsx the screen downloads (read back with exceljs) and the text pdftotext
 * extracts from its PDF, which carries the Chinese headings. The period picker offers ended periods only.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');

/** The cells of the 合计 row under a group table, as the user reads them. */
async function totalRow(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).locator('.ant-table-summary tr').first().locator('td').allInnerTexts()).map((text) => text.trim());
}

test('the green report’s totals on screen are the exported .xlsx’s and the PDF’s, for the newest ended quarter', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  const { officerPage, managerPage } = await officerAndManager(page, host, browser);
  const quarter = endedPeriods('quarter', new Date(), 1)[0]!;
  const { end } = periodBounds(quarter);

  // Three loans entered with their balance a few days before the quarter's end; two are green (two counties).
  const plans = [
    { name: '浮梁县华盛陶瓷有限公司', county: '360222', fen: 3_000_000_00, green: true },
    { name: '醴陵市绿源食品有限公司', county: '430582', fen: 1_234_567_89, green: true },
    { name: '浮梁县永兴贸易有限公司', county: '360222', fen: 800_000_00, green: false },
  ];
  for (const [i, plan] of plans.entries()) {
    const enterprise = await value<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(plan.name, testUscc(9_301 + i), { divisionCode: plan.county }) });
    const loan = await value<{ id: string }>(officerPage, 'loans.create', {
      loan: { loanNumber: `JK-R17-${i}`, enterpriseId: enterprise.id, amount: plan.fen, balance: plan.fen, balanceAsOf: addDays(end, -5), disbursedOn: addDays(end, -30), maturesOn: addDays(end, 900), rateBp: 345, classification: 'normal', guaranteeMode: 'credit', status: 'outstanding', purpose: '节能技术改造' },
    });
    if (!plan.green) continue;
    const tag = await value<{ id: string }>(officerPage, 'green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: '1', totalInvestment: plan.fen * 2, benefits: { ...noBenefits, coalSavedTce: '50' } } });
    await value(officerPage, 'attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: PDF });
    const current = await value<{ version: number }>(managerPage, 'green.tag', { ownerType: 'loan', ownerId: loan.id });
    await value(managerPage, 'green.confirm', { id: tag.id, version: current.version });
  }

  await openSection(officerPage, '统计报表');
  await expect(officerPage.getByTestId('reports-page')).toBeVisible();
  // The newest ended quarter is chosen; the running one is not offered.
  await expect(officerPage.getByTestId('period-key')).toContainText(quarter.key);
  await officerPage.getByTestId('period-key').click();
  const offered = officerPage.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await expect(offered.first()).toHaveText(quarter.key);
  await expect(offered.filter({ hasText: currentPeriod('quarter', new Date()).key })).toHaveCount(0);
  await officerPage.keyboard.press('Escape');

  // Hand-computed: 2 green loans, 2 customers, 3,000,000.00 + 1,234,567.89 yuan = 423.46 万元 (to the fen: 423.456789).
  await expect(officerPage.getByTestId('by-county-total')).toHaveText('423.46');
  const screen = await totalRow(officerPage, 'by-county');
  expect(screen).toEqual(['合计', '2', '2', '423.46']);
  expect(await totalRow(officerPage, 'by-category')).toEqual(screen);

  const xlsxDownload = officerPage.waitForEvent('download');
  await officerPage.getByTestId('export-green-xlsx').click();
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toBe(`绿色信贷统计表-${end}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await xlsx.path())) as unknown as ArrayBuffer);
  for (const name of ['按区县', '按绿色金融支持项目目录分类']) {
    const sheet = workbook.getWorksheet(name);
    expect(sheet, name).toBeDefined();
    const last = sheet!.getRow(sheet!.rowCount);
    const cells = (last.values as unknown[]).slice(1).filter((cell) => cell !== null && cell !== undefined);
    // The label, then loans, customers and the balance in 万元 (a number, shown with two decimals).
    expect(cells[0]).toBe('合计');
    const [loans, customers, balance] = cells.slice(-3).map(Number);
    expect([String(loans), String(customers), balance!.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })]).toEqual(screen.slice(1));
  }

  const pdfDownload = officerPage.waitForEvent('download');
  await officerPage.getByTestId('export-green-pdf').click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toBe(`绿色信贷统计表-${end}.pdf`);
  const text = execFileSync('pdftotext', ['-layout', await pdf.path(), '-'], { encoding: 'utf8' });
  for (const heading of ['绿色信贷统计表', '按绿色金融支持项目目录分类', '按区县', '按五级分类', '合计']) expect(text).toContain(heading);
  // Every 合计 line of the PDF carries the screen's figures.
  const totals = text.split('\n').filter((line) => line.trim().startsWith('合计'));
  expect(totals.length).toBeGreaterThanOrEqual(4);
  for (const line of totals.slice(0, 4)) expect(line.trim().split(/\s+/).slice(-3)).toEqual(screen.slice(1));
});
