import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { addUser, callApi, chooseOption, colleague, completeSetup, openSection, pickDate, type NewUser } from './pages.ts';
import { sampleCaseFacts, sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/**
 * Issue 16, acceptance 2 and the UI part of 3, in Chromium against the real browser-mode host: an
 * officer opens an environmental case from a penalty decision on the enterprise's 整改 tab and adds a
 * follow-up with a photo; a new application for that enterprise is held by the gate naming the case;
 * the officer cannot close it (no button, and the host refuses the call); a credit manager verifies
 * and closes it; the gate then lets the application through.
 */
const officer: NewUser = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const manager: NewUser = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' };
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);
const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/rectification-${name}.png`, fullPage: true });

/** The credit application form's gate for the enterprise, as the officer sees it before typing an amount. */
async function gateInForm(page: Page, enterpriseName: string) {
  await openSection(page, '授信申请');
  await page.getByTestId('credit-create').click();
  const form = page.getByTestId('credit-form');
  await chooseOption(page, form.getByTestId('credit-enterprise'), enterpriseName.slice(3, 7), enterpriseName);
  return form.getByTestId('credit-gate');
}

test('an officer opens a case from a penalty decision with a photographed follow-up; the gate names it; only a credit manager closes it', async ({ page, host, browser }) => {
  test.setTimeout(240_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, manager]) await addUser(page, user);

  const officerPage = await colleague(browser, host, officer);
  const managerPage = await colleague(browser, host, manager);
  const name = '浮梁县瓷都化工有限公司';
  const created = await callApi<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(1601)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  await callApi(officerPage, 'enterprises.addRating', { enterpriseId: created.value.id, entry: { level: 'green', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } });

  // The enterprise's 整改 tab: a new case from a penalty decision.
  await officerPage.goto(`${host.origin}/#/enterprises/${created.value.id}?tab=rectification`);
  await expect(officerPage.getByTestId('enterprise-cases-count')).toHaveText('共 0 件整改案件');
  await officerPage.getByTestId('enterprise-case-create').click();
  const form = officerPage.getByTestId('case-form');
  await expect(form.getByTestId('case-category')).toContainText('环境保护');
  await expect(form.getByTestId('case-source')).toContainText('行政处罚决定书');
  await form.getByTestId('case-source-reference').fill('浮环罚〔2026〕16号');
  await form.getByTestId('case-source-authority').fill('浮梁县生态环境局');
  await pickDate(officerPage, 'case-source-date', '2026-05-20');
  await form.getByTestId('case-description').fill('窑炉烟气颗粒物超标排放');
  await form.getByTestId('case-required-actions').fill('更换布袋除尘设施，经第三方监测达标');
  await pickDate(officerPage, 'case-deadline', '2099-12-31');
  await screenshot(officerPage, 'form');
  await officerPage.getByTestId('case-save').click();

  const detail = officerPage.getByTestId('case-detail');
  await expect(detail).toBeVisible();
  const caseNumber = (await detail.getByTestId('case-detail-number').textContent()) ?? '';
  expect(caseNumber).toMatch(/^ZG-\d{4}-[0-9A-F]{4}-0001$/);
  await expect(detail.getByTestId('case-status')).toHaveText('待整改');
  await expect(detail.getByTestId('case-facts')).toContainText('浮环罚〔2026〕16号');

  // A follow-up with a photo: the work starts, the photo is evidence.
  await detail.getByTestId('case-add-follow-up').click();
  const followUp = officerPage.getByTestId('follow-up-form');
  await followUp.getByTestId('follow-up-note').fill('现场查看：新除尘设施已安装，待监测');
  await followUp.getByTestId('follow-up-progress').fill('80');
  await followUp.locator('input[type=file]').setInputFiles({ name: '除尘设施.png', mimeType: 'image/png', buffer: png });
  await officerPage.getByTestId('follow-up-save').click();
  await expect(detail.getByTestId('case-status')).toHaveText('整改中');
  await expect(detail.getByTestId('case-follow-up')).toContainText('进度 80%');
  await expect(detail.getByTestId('case-evidence-count')).toHaveText('整改证据 1 份');

  // A new application for this enterprise: the gate holds it and names the case.
  const gate = await gateInForm(officerPage, name);
  await expect(gate).toHaveAttribute('data-verdict', 'needs_override');
  await expect(gate).toContainText(caseNumber);
  await expect(gate).toContainText('环境保护整改案件');
  await screenshot(officerPage, 'gate-held');
  await officerPage.keyboard.press('Escape');

  // The officer submits it for verification, and cannot close it: no button, and the host refuses.
  await officerPage.goBack();
  await officerPage.goto(`${host.origin}/#/rectification`);
  await officerPage.getByTestId('case-row').filter({ hasText: caseNumber }).click();
  await detail.getByTestId('case-action-submit').click();
  await officerPage.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
  await expect(detail.getByTestId('case-status')).toHaveText('待核实');
  await expect(detail.getByTestId('case-action-verify')).toHaveCount(0);
  await expect(officerPage.getByTestId('case-officer-cannot-close')).toBeVisible();
  const caseId = officerPage.url().split('/rectification/')[1]!;
  const current = await callApi<{ version: number }>(officerPage, 'cases.get', { id: caseId });
  if (!current.ok) throw new Error(JSON.stringify(current.error));
  expect(await callApi(officerPage, 'cases.act', { id: caseId, version: current.value.version, action: 'verify' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'CASE_NOT_CREDIT_MANAGER' } } });

  // The credit manager: the list's counts match it, the case is verified and closed.
  await openSection(managerPage, '整改跟踪');
  await expect(managerPage.getByTestId('case-count-submitted')).toHaveText('待核实 1');
  await expect(managerPage.getByTestId('case-count-all')).toHaveText('全部 1');
  await managerPage.getByTestId('case-count-submitted').click();
  await expect(managerPage.getByTestId('case-row')).toHaveCount(1);
  await managerPage.getByTestId('case-row').first().click();
  const managerDetail = managerPage.getByTestId('case-detail');
  await managerDetail.getByTestId('case-action-verify').click();
  await managerPage.getByTestId('case-act-note').fill('经现场核实，除尘设施已更换并经监测达标');
  await managerPage.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
  await expect(managerDetail.getByTestId('case-status')).toHaveText('已核实销号');
  await expect(managerDetail.getByTestId('case-verifier')).toHaveText(manager.displayName);
  await screenshot(managerPage, 'closed');

  // The application is now allowed.
  const after = await gateInForm(officerPage, name);
  await expect(after).toHaveAttribute('data-verdict', 'allow');
  await expect(after).toContainText('准入：可以受理');
});

/**
 * Issue 16, acceptance 4: a monitoring visit's finding opens a case filled from it. The officer records a
 * visit on the enterprise's 整改 tab with notes under seed 000's headings and a work-safety finding; 立案整改
 * opens the case form with the category, source 银行走访, the visit's day and the finding; the saved case
 * names the visit, and the visit names the case.
 */
test('a monitoring visit’s finding opens a rectification case filled from it, and each names the other', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  const officerPage = await colleague(browser, host, officer);
  const name = '浮梁县瓷都陶瓷有限公司';
  const created = await callApi<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(1602)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));

  await officerPage.goto(`${host.origin}/#/enterprises/${created.value.id}?tab=rectification`);
  const panel = officerPage.getByTestId('monitoring-panel');
  await expect(panel).toContainText('还没有贷后监测记录');
  await panel.getByTestId('monitoring-record').click();
  const form = officerPage.getByTestId('monitoring-form');
  await pickDate(officerPage, 'monitoring-due-on', '2026-06-10');
  await pickDate(officerPage, 'monitoring-visited-on', '2026-06-12');
  await form.getByTestId('monitoring-production').fill('三条生产线正常运转，订单排至第三季度');
  await form.getByTestId('monitoring-energyEnvironment').fill('窑炉余热回收已投用');
  // A finding without its category is told, not saved.
  await form.getByTestId('monitoring-finding').fill('原料车间粉尘防爆设施缺失，消防通道被占用');
  await officerPage.getByTestId('monitoring-save').click();
  await expect(officerPage.getByTestId('monitoring-form-error')).toHaveText('发现问题时请同时选择问题类别和填写问题描述');
  await chooseOption(officerPage, form.getByTestId('monitoring-finding-category'), '', '安全生产');
  await screenshot(officerPage, 'monitoring-form');
  await officerPage.getByTestId('monitoring-save').click();
  const visits = panel.getByTestId('monitoring-visits');
  await expect(visits).toContainText('2026-06-12');
  await expect(visits).toContainText('原料车间粉尘防爆设施缺失');

  // 立案整改: the case form starts from the visit.
  await visits.getByTestId('monitoring-open-case').click();
  const caseForm = officerPage.getByTestId('case-form');
  await expect(caseForm.getByTestId('case-category')).toContainText('安全生产');
  await expect(caseForm.getByTestId('case-source')).toContainText('银行走访');
  await expect(caseForm.getByTestId('case-found-on')).toHaveValue('2026-06-12');
  await expect(caseForm.getByTestId('case-description')).toHaveValue('原料车间粉尘防爆设施缺失，消防通道被占用');
  await caseForm.getByTestId('case-required-actions').fill('加装粉尘防爆设施，清理消防通道');
  await pickDate(officerPage, 'case-deadline', '2099-06-30');
  await screenshot(officerPage, 'case-from-visit');
  await officerPage.getByTestId('case-save').click();

  const detail = officerPage.getByTestId('case-detail');
  await expect(detail.getByTestId('case-source-view')).toHaveText('银行走访 · 贷后监测（2026-06-12 走访）');
  const caseNumber = (await detail.getByTestId('case-detail-number').textContent()) ?? '';
  await officerPage.goBack();
  await expect(officerPage.getByTestId('monitoring-case-link')).toHaveText(caseNumber);
  await expect(officerPage.getByTestId('monitoring-open-case')).toHaveCount(0);
  await screenshot(officerPage, 'monitoring-tab');
});

/**
 * The 督促整改函 in its two steps: the officer generates the letter on the case page (a preview: nothing
 * is recorded), records it as sent from the preview, and the case's 函件 list shows it with its number,
 * day and sender; the stored PDF opens again, on the officer's page and on a credit manager's.
 */
test('an officer previews the rectification letter, records it as sent, and the case lists it, openable', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, manager]) await addUser(page, user);
  const officerPage = await colleague(browser, host, officer);
  const managerPage = await colleague(browser, host, manager);
  const created = await callApi<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile('浮梁县瓷都化工有限公司', testUscc(1603)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const session = await callApi<{ user: { id: string } }>(officerPage, 'session.get', {});
  if (!session.ok) throw new Error(JSON.stringify(session.error));
  const opened = await callApi<{ id: string; caseNumber: string }>(officerPage, 'cases.create', { facts: sampleCaseFacts(created.value.id, session.value.user.id) });

  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  const { id, caseNumber } = opened.value;

  await officerPage.goto(`${host.origin}/#/rectification/${id}`);
  const letters = officerPage.getByTestId('case-letters');
  await expect(letters).toContainText('尚未发出督促整改函');
  await letters.getByTestId('case-letter-generate').click();
  const preview = officerPage.getByTestId('case-letter-preview');
  await expect(preview).toBeVisible({ timeout: 60_000 });
  await expect(officerPage.getByRole('dialog')).toContainText(`督促整改函 ${caseNumber}-01（预览）`);
  await expect(preview).toContainText('尚未记录');
  await screenshot(officerPage, 'letter-preview');
  // Nothing is recorded by looking at it.
  const before = await callApi<{ letters: unknown[] }>(officerPage, 'cases.get', { id });
  expect(before.ok && before.value.letters).toEqual([]);

  await officerPage.getByTestId('case-letter-record').click();
  const row = letters.getByTestId('case-letter');
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row).toContainText(`${caseNumber}-01`);
  await expect(row).toContainText('发出 · 李四');
  await screenshot(officerPage, 'letter-recorded');

  // The credit manager opens the very letter sent.
  await managerPage.goto(`${host.origin}/#/rectification/${id}`);
  await managerPage.getByTestId('case-letters').getByTestId('case-letter-open').click();
  const frame = managerPage.getByTestId('attachment-pdf');
  await expect(frame).toBeVisible();
  expect(decodeURIComponent((await frame.getAttribute('src')) ?? '')).toContain(`督促整改函-${caseNumber}-01.pdf`);
  await screenshot(managerPage, 'letter-open');
});

/**
 * 贷后监测计划: a borrower never visited since its loan was disbursed long ago is overdue — counted and
 * listed under 需走访 / 已逾期 on the schedule, and shown so on its enterprise's 整改 tab.
 */
test('a borrower overdue for its monitoring visit shows in the schedule list and on the enterprise', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  const officerPage = await colleague(browser, host, officer);
  const name = '浮梁县逾期走访陶瓷有限公司';
  const created = await callApi<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(1604)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const loan = await callApi(officerPage, 'loans.create', {
    loan: { loanNumber: 'JK2025-E2E-01', enterpriseId: created.value.id, amount: 500_000_00, balance: 400_000_00, balanceAsOf: '2025-06-30', disbursedOn: '2025-01-10', maturesOn: '2099-01-10', rateBp: 345, classification: 'special_mention', guaranteeMode: 'guarantee', status: 'outstanding', purpose: '流动资金' },
  });
  if (!loan.ok) throw new Error(JSON.stringify(loan.error));

  await openSection(officerPage, '整改跟踪');
  await officerPage.getByTestId('case-to-schedule').click();
  const list = officerPage.getByTestId('schedule-list-page');
  await expect(officerPage.getByTestId('schedule-count-overdue')).toHaveText('已逾期 1');
  await expect(officerPage.getByTestId('schedule-count-attention')).toHaveText('需走访 1');
  const row = list.getByTestId('schedule-row').filter({ hasText: name });
  await expect(row).toContainText('每 3 个月 · 关注类');
  await expect(row).toContainText('2025-04-10');
  await expect(row.getByTestId('monitoring-due-status')).toHaveText('已逾期未走访');
  await screenshot(officerPage, 'schedule');

  await row.click();
  const schedule = officerPage.getByTestId('monitoring-schedule');
  await expect(schedule).toContainText('下次走访：2025-04-10');
  await expect(schedule.getByTestId('monitoring-due-status')).toHaveText('已逾期未走访');
  await screenshot(officerPage, 'schedule-enterprise');
});
