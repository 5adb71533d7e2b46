import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { addUser, colleague, completeSetup, creditManager, hostValue as value, officer } from './pages.ts';
import { openDatabase } from '../../db/open.ts';
import { storeConflict } from '../../db/syncState.ts';
import { loadOrCreateKeyFile } from '../../electron/host/keyfile.ts';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';

/**
 * The 工作台 in Chromium: the first screen after sign-in lists each kind of work for the person who
 * must do it, and every item opens the page of the record it names (acceptance 2). The officer's and
 * the credit manager's workbenches are photographed in Chinese and English.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');
const shots = join(import.meta.dirname, '..', '..', 'test-results', 'workbench');

/** Clicks each listed item of `kind` in turn and checks the page it opened names the record. */
async function opensEach(page: Page, kind: string, check: (recordId: string) => Promise<void>): Promise<number> {
  await page.getByTestId('main-nav').getByText(/^(工作台|Workbench)$/).click();
  const items = page.getByTestId(`workbench-item-${kind}`);
  await expect(items.first()).toBeVisible();
  const ids = await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-record-id') ?? ''));
  for (const [index, id] of ids.entries()) {
    await page.getByTestId('main-nav').getByText(/^(工作台|Workbench)$/).click();
    await items.nth(index).click();
    await check(id);
  }
  return ids.length;
}

test('every workbench item kind opens the record it names, for the person who must act on it', async ({ page, host, browser }) => {
  test.setTimeout(240_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, creditManager]) await addUser(page, user);
  // The administrator of a new branch sees the first-run checklist.
  await page.getByTestId('main-nav').getByText('工作台', { exact: true }).click();
  await expect(page.getByTestId('workbench-checklist')).toBeVisible();
  await expect(page.getByTestId('checklist-users')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('checklist-first_sync')).toHaveAttribute('data-done', 'false');
  await page.screenshot({ path: join(shots, 'admin-checklist-zh.png'), fullPage: true });

  const officerPage = await colleague(browser, host, officer);
  const managerPage = await colleague(browser, host, creditManager);
  const today = shanghaiDate(new Date());
  const me = await value<{ user: { id: string } }>(officerPage, 'session.get', {});

  // The officer's files and the work they start.
  const enterpriseId = (await value<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile('浮梁县华盛陶瓷有限公司', testUscc(8_801)) })).id;
  const terms = { enterpriseId, product: 'working_capital', amountFen: 2_000_000_00, termMonths: 12, rateBp: 435, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
  const application = await value<{ id: string; version: number }>(officerPage, 'credit.create', { terms });
  await value(officerPage, 'credit.act', { id: application.id, version: application.version, action: 'submit', opinion: '调查完成，同意上报' });
  const item = (certificate: string, validTo: string) => ({
    enterpriseId,
    details: { type: 'emission_right', pollutant: 'cod', quantity: '12', unit: 't/yr' },
    certificateNumber: certificate,
    certificateIssuer: '景德镇市生态环境局浮梁分局',
    validity: { from: '2024-01-01', to: validTo },
    valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: today, appraiser: '江西中信评估有限公司' },
    pledgeRateBp: 6_000,
  });
  await value(officerPage, 'collateral.create', { item: item('浮环排污〔2026〕801号', addDays(today, 2_000)), submit: true });
  const expiring = await value<{ id: string; version: number }>(officerPage, 'collateral.create', { item: item('浮环排污〔2026〕802号', addDays(today, 2_000)), submit: true });
  const approved = await value<{ id: string; version: number }>(managerPage, 'collateral.act', { id: expiring.id, version: expiring.version, action: 'approve' });
  await value(officerPage, 'collateral.act', {
    id: approved.id,
    version: approved.version,
    action: 'register',
    registration: { registry: '江西省排污权交易中心', registrationNumber: 'JXPW-2026-0802', registeredOn: addDays(today, -300), expiresOn: addDays(today, 10) },
  });
  const loan = await value<{ id: string }>(officerPage, 'loans.create', {
    loan: { loanNumber: 'JK2026-8801', enterpriseId, amount: 9_000_000, balance: 9_000_000, balanceAsOf: '2026-01-31', disbursedOn: '2026-01-15', maturesOn: addDays(today, 400), rateBp: 345, classification: 'normal', guaranteeMode: 'environmental_rights_pledge', status: 'outstanding', purpose: '购置脱硫设备' },
  });
  const tag = await value<{ id: string }>(officerPage, 'green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: '1', totalInvestment: 50_000_000_00, benefits: { ...noBenefits, coalSavedTce: '300' } } });
  await value(officerPage, 'attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: PDF });
  const facts = (deadline: string, description: string) => ({
    enterpriseId,
    category: 'environmental',
    source: 'inspection',
    sourceReference: null,
    sourceAuthority: null,
    sourceDate: null,
    foundOn: addDays(today, -60),
    description,
    requiredActions: '更换除尘设施并经监测达标',
    deadline,
    measure: 'urge',
    exposurePlan: [],
    officerId: me.user.id,
  });
  const submitted = await value<{ id: string; version: number; caseNumber: string }>(officerPage, 'cases.create', { facts: facts(addDays(today, 90), '废水总排口化学需氧量超标排放') });
  await value(officerPage, 'attachments.add', { ownerType: 'rectification_cases', ownerId: submitted.id, fileName: '整改现场.pdf', mime: 'application/pdf', contentBase64: PDF });
  await value(officerPage, 'cases.act', { id: submitted.id, version: submitted.version, action: 'submit' });
  const late = await value<{ id: string; caseNumber: string }>(officerPage, 'cases.create', { facts: facts(addDays(today, -5), '窑炉烟气颗粒物超标排放') });
  await value(officerPage, 'monitoring.record', {
    visit: { enterpriseId, dueOn: addDays(today, -1), visitedOn: null, production: null, finance: null, energyEnvironment: null, greenInnovation: null, findingCategory: null, finding: null },
  });

  // A conflict head office recorded on this laptop's own held edit, written into the laptop's
  // database as the sync client stores a pulled one (a real hub round trip is conflictPanel.spec's).
  const db = openDatabase(join(host.dataDir, 'greenledger.db'), { keyHex: loadOrCreateKeyFile(host.dataDir) });
  try {
    const clientId = db.prepare('SELECT client_id FROM device').pluck().get() as string;
    const at = new Date().toISOString();
    storeConflict(db, {
      id: '0193a000-0000-7000-8000-000000008801',
      seq: 1,
      table: 'enterprises',
      rowId: enterpriseId,
      baseVersion: 1,
      status: 'open',
      mine: { op: 'update', fields: { legal_representative: '张建华' }, prev: { legal_representative: '张建国' }, hlc: '0', userId: me.user.id, at, clientId, opId: 1 },
      theirs: { fields: { legal_representative: '张国华' }, version: 2, deleted: false },
      createdAt: at,
      resolution: null,
    });
  } finally {
    db.close();
  }

  // The officer: follow-ups and visits due, alerts on their enterprise, the conflict.
  await officerPage.getByTestId('main-nav').getByText('工作台', { exact: true }).click();
  await expect(officerPage.getByTestId('workbench-page')).toBeVisible();
  await expect(officerPage.getByTestId('workbench-kind-credit_decision')).toHaveCount(0);
  await expect(officerPage.getByTestId('workbench-kind-collateral_approval')).toHaveCount(0);
  await officerPage.screenshot({ path: join(shots, 'officer-zh.png'), fullPage: true });
  const caseNumber = officerPage.getByTestId('case-detail-number');
  await opensEach(officerPage, 'case_follow_up', async () => expect(caseNumber).toHaveText(late.caseNumber));
  await opensEach(officerPage, 'case_overdue', async () => expect(caseNumber).toHaveText(late.caseNumber));
  await opensEach(officerPage, 'monitoring_visit', async () => {
    await expect(officerPage.getByTestId('enterprise-name')).toHaveText('浮梁县华盛陶瓷有限公司');
    await expect(officerPage.getByTestId('monitoring-visits')).toContainText(addDays(today, -1));
  });
  await opensEach(officerPage, 'collateral_alert', async (id) => {
    expect(id).toBe(expiring.id);
    await expect(officerPage.getByTestId('collateral-detail-certificate')).toHaveText('浮环排污〔2026〕802号');
  });
  await opensEach(officerPage, 'sync_conflict', async () => {
    await expect(officerPage.getByTestId('sync-conflict')).toHaveCount(1);
  });

  // The credit manager: the four-eyes steps the officer started.
  await managerPage.getByTestId('main-nav').getByText('工作台', { exact: true }).click();
  await expect(managerPage.getByTestId('workbench-count-collateral_approval')).toHaveText('1');
  await managerPage.screenshot({ path: join(shots, 'manager-zh.png'), fullPage: true });
  await opensEach(managerPage, 'credit_decision', async (id) => {
    expect(id).toBe(application.id);
    await expect(managerPage.getByTestId('credit-enterprise-name')).toHaveText('浮梁县华盛陶瓷有限公司');
  });
  await opensEach(managerPage, 'collateral_approval', async () => expect(managerPage.getByTestId('collateral-detail-certificate')).toHaveText('浮环排污〔2026〕801号'));
  await opensEach(managerPage, 'green_confirmation', async () => {
    await expect(managerPage.getByTestId('loan-number')).toHaveText('JK2026-8801');
    await expect(managerPage.getByTestId('green-tag-panel')).toBeVisible();
  });
  await opensEach(managerPage, 'case_verification', async () => expect(managerPage.getByTestId('case-detail-number')).toHaveText(submitted.caseNumber));

  // In English, the same workbench in the other language.
  await value(managerPage, 'settings.update', { locale: 'en' });
  await managerPage.reload();
  await managerPage.getByTestId('main-nav').getByText('Workbench', { exact: true }).click();
  await expect(managerPage.getByTestId('workbench-group-decisions')).toContainText('Waiting for my decision');
  await expect(managerPage.getByTestId('workbench-kind-green_confirmation')).toContainText('Green tag confirmation');
  await managerPage.screenshot({ path: join(shots, 'manager-en.png'), fullPage: true });
  await officerPage.reload();
  await officerPage.getByTestId('main-nav').getByText('Workbench', { exact: true }).click();
  await expect(officerPage.getByTestId('workbench-group-alerts')).toContainText('Registration expiring');
  await officerPage.screenshot({ path: join(shots, 'officer-en.png'), fullPage: true });
});
