import type { Page } from '@playwright/test';
import { test, expect, type RunningHost } from './fixtures.ts';
import { addUser, callApi, chooseOption, colleague, completeSetup, login, logout, onePagePdf, openSection, type NewUser } from './pages.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';
import type { EnterpriseFile } from '../../shared/domain/enterprise.ts';

/**
 * Issue 13, acceptance 2: credit applications end to end in Chromium against the real browser-mode
 * host. Each person works in a browser context of their own (their own session), as colleagues do
 * on the branch's laptop one after the other; the host's refusals are checked by calling its API
 * with that person's session, not only by what the screen hides.
 */

const officer: NewUser = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const reviewer: NewUser = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' };
const manager: NewUser = { username: 'qianqi', displayName: '钱七', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2028' };
const branchHead: NewUser = { username: 'wangwu', displayName: '王五', role: 'branch_head', initialPassword: 'Head20260', password: 'Head20261' };

const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/credit-${name}.png`, fullPage: true });

/** The administrator sets the branch up and creates the four colleagues. */
async function branchWithColleagues(page: Page, host: RunningHost): Promise<void> {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, reviewer, manager, branchHead]) await addUser(page, user);
}

async function fileEnterprise(page: Page, file: EnterpriseFile, rating: 'green' | 'blue' | 'yellow' | 'red' | null): Promise<string> {
  const created = await callApi<{ id: string }>(page, 'enterprises.create', { file });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  if (rating !== null) {
    const rated = await callApi(page, 'enterprises.addRating', { enterpriseId: created.value.id, entry: { level: rating, bureau: '景德镇市生态环境局', ratedOn: '2025-03-31' } });
    expect(rated.ok, JSON.stringify(rated)).toBe(true);
  }
  return created.value.id;
}

async function openApplication(page: Page, enterpriseName: string): Promise<void> {
  await openSection(page, '授信申请');
  await page.getByTestId('credit-search').fill(enterpriseName);
  await page.getByTestId('credit-row').filter({ hasText: enterpriseName }).first().click();
  await expect(page.getByTestId('credit-detail')).toBeVisible();
}

/** An action through the screen: its button, the opinion, confirm; waits for the status it leads to. */
async function act(page: Page, action: string, opinion: string, status: string): Promise<void> {
  await page.getByTestId(`credit-action-${action}`).click();
  const dialog = page.getByTestId('credit-act-dialog');
  await dialog.getByTestId('credit-opinion').fill(opinion);
  await dialog.getByRole('button', { name: /确\s*定/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('credit-detail').getByTestId('credit-status').first()).toHaveText(status);
}

const applicationId = (page: Page) => page.url().split('/credit/')[1]!;

async function detailVersion(page: Page): Promise<number> {
  const detail = await callApi<{ version: number }>(page, 'credit.get', { id: applicationId(page) });
  if (!detail.ok) throw new Error(JSON.stringify(detail.error));
  return detail.value.version;
}

test('a recommended enterprise’s application is flagged 优先 and goes through 调查 → 审查 → 审批 by three people, with its step durations; its investigator cannot approve it', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await branchWithColleagues(page, host);
  const recommended = sampleEnterpriseFile('浮梁绿源陶瓷有限公司', testUscc(1301));
  recommended.greenCredentials = { ...recommended.greenCredentials, miitRecommendation: { recommended: true, date: '2025-06-18', batch: '2025 年第一批' } };

  // The investigator here is a credit manager: one who could approve, so four-eyes is what stops them.
  const investigatorPage = await colleague(browser, host, manager);
  await fileEnterprise(investigatorPage, recommended, 'blue');
  await openSection(investigatorPage, '授信申请');
  await expect(investigatorPage.getByTestId('credit-count')).toHaveText('共 0 笔');
  await investigatorPage.getByTestId('credit-create').click();
  const form = investigatorPage.getByTestId('credit-form');

  // The gate comes first: before an enterprise is chosen the terms are closed; required fields are marked before saving.
  await expect(form.getByTestId('credit-gate-pick')).toContainText('请先选择企业');
  await expect(form.getByTestId('credit-amount')).toBeDisabled();
  const required = form.locator('label.ant-form-item-required');
  for (const label of ['申请企业', '用途类别', '授信产品', '申请金额', '期限', '年利率', '用途说明', '担保方式']) await expect(required.filter({ hasText: label })).toHaveCount(1);
  await chooseOption(investigatorPage, form.getByTestId('credit-enterprise'), '绿源', '浮梁绿源陶瓷有限公司');
  await expect(form.getByTestId('credit-gate')).toContainText('准入：可以受理');
  await expect(form.getByTestId('credit-amount')).toHaveValue('');
  await expect(form.getByTestId('credit-amount')).toBeEnabled();
  await screenshot(investigatorPage, 'form-gate-allow');

  // Saving with nothing typed says what is missing, in Chinese; an amount in 万元 by mistake is named.
  await investigatorPage.getByTestId('credit-save').click();
  await expect(form.getByText('必填').first()).toBeVisible();
  await form.getByTestId('credit-amount').fill('150.125');
  await investigatorPage.getByTestId('credit-save').click();
  await expect(form.getByText('最多两位小数（单位是元，不是万元）')).toBeVisible();

  await chooseOption(investigatorPage, form.getByTestId('credit-product'), '', '流动资金贷款');
  await form.getByTestId('credit-amount').fill('1,500,000');
  await expect(form).toContainText('合 150.00 万元');
  await form.getByTestId('credit-term').fill('12');
  await form.getByTestId('credit-rate').fill('3.45');
  await form.getByTestId('credit-purpose').fill('采购高岭土等原材料，补充流动资金');
  await chooseOption(investigatorPage, form.getByTestId('credit-guarantee'), '', '保证');
  await screenshot(investigatorPage, 'form-filled');
  await investigatorPage.getByTestId('credit-save').click();

  const detail = investigatorPage.getByTestId('credit-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('credit-priority')).toHaveText('优先');
  await expect(detail.getByTestId('credit-status').first()).toHaveText('调查中');
  await expect(detail.getByTestId('credit-amount-view')).toHaveText('1,500,000.00 元');
  await expect(detail.getByTestId('credit-terms-view')).toContainText('3.45%');

  // 调查: the opinion and the investigation report go with the submission.
  await investigatorPage.getByTestId('credit-action-submit').click();
  const submit = investigatorPage.getByTestId('credit-act-dialog');
  await submit.getByTestId('credit-opinion').fill('企业经营正常，环保设施运行良好，保证人具备代偿能力。');
  await submit.locator('input[type=file]').setInputFiles({ name: '调查报告.pdf', mimeType: 'application/pdf', buffer: onePagePdf() });
  await expect(submit.getByTestId('credit-report')).toHaveText('调查报告.pdf');
  await submit.getByRole('button', { name: /确\s*定/ }).click();
  await expect(detail.getByTestId('credit-status').first()).toHaveText('审查中');
  const investigation = detail.getByTestId('credit-timeline-step').filter({ hasText: '调查 · 提交审查' });
  await expect(investigation).toContainText('钱七');
  await expect(investigation).toContainText('调查报告.pdf');
  // Priority targets are shorter (investigation 3 working days instead of 5): the step says how long it took against them.
  await expect(investigation.getByTestId('credit-timing-investigation')).toContainText(/用时 (不到 1 小时|\d+ 小时|[\d.]+ 个工作日) · 优先目标 3 个工作日/);
  // The investigator is not offered the review.
  await expect(investigatorPage.getByTestId('credit-action-pass')).toHaveCount(0);
  await expect(investigatorPage.getByTestId('credit-note-four-eyes')).toContainText('您是本笔申请的调查人');
  const id = applicationId(investigatorPage);

  // 审查, by 赵六: the application waits for them, flagged 优先 in the list.
  const reviewerPage = await colleague(browser, host, reviewer);
  await openSection(reviewerPage, '授信申请');
  await reviewerPage.getByTestId('filter-waiting-for-me').click();
  const waitingRow = reviewerPage.getByTestId('credit-row').filter({ hasText: '浮梁绿源陶瓷有限公司' });
  await expect(reviewerPage.getByTestId('credit-count')).toHaveText('共 1 笔');
  await expect(waitingRow.getByTestId('credit-priority')).toHaveText('优先');
  await expect(waitingRow).toContainText('审查中');
  await expect(waitingRow).toContainText('优先目标 2 个工作日');
  await screenshot(reviewerPage, 'list-waiting-for-me');
  await waitingRow.click();
  await act(reviewerPage, 'pass', '同意，材料齐全，报审批。', '审批中');
  // The reviewer does not also decide it.
  await expect(reviewerPage.getByTestId('credit-action-approve')).toHaveCount(0);
  await expect(reviewerPage.getByTestId('credit-note-reviewer')).toBeVisible();

  // The investigator cannot approve: the screen offers nothing, and the host refuses the call.
  await investigatorPage.reload();
  await expect(investigatorPage.getByTestId('credit-status').first()).toHaveText('审批中');
  await expect(investigatorPage.getByTestId('credit-action-approve')).toHaveCount(0);
  await expect(investigatorPage.getByTestId('credit-note-four-eyes')).toBeVisible();
  const selfApproval = await callApi(investigatorPage, 'credit.act', { id, version: await detailVersion(investigatorPage), action: 'approve', opinion: '同意' });
  expect(selfApproval.ok).toBe(false);
  if (!selfApproval.ok) expect(selfApproval.error).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'FOUR_EYES_INVESTIGATOR' } });
  await expect(investigatorPage.getByTestId('credit-status').first()).toHaveText('审批中');

  // 审批, by the branch head: a third person.
  const headPage = await colleague(browser, host, branchHead);
  await openApplication(headPage, '浮梁绿源陶瓷有限公司');
  await act(headPage, 'approve', '同意授信 150 万元，期限 12 个月。', '已批准');
  const steps = headPage.getByTestId('credit-timeline-step');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('钱七');
  await expect(steps.nth(1)).toContainText('赵六');
  await expect(steps.nth(2)).toContainText('王五');
  for (const [step, target] of [
    ['investigation', '优先目标 3 个工作日'],
    ['review', '优先目标 2 个工作日'],
    ['approval', '优先目标 1 个工作日'],
  ] as const) {
    await expect(headPage.getByTestId('credit-timeline').getByTestId(`credit-timing-${step}`)).toContainText(new RegExp(`^用时 .+ · ${target}`));
  }
  await expect(headPage.getByTestId('credit-actions')).toHaveCount(0);
  await screenshot(headPage, 'detail-approved');
});

test('a red-rated enterprise is denied with the reason unless the money finances pollution control; one past its outdated-capacity exit date needs a credit manager’s override, which the audit trail keeps with its reason', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await branchWithColleagues(page, host);
  const officerPage = await colleague(browser, host, officer);
  const red = await fileEnterprise(officerPage, sampleEnterpriseFile('浮梁县华达化工有限公司', testUscc(1302)), 'red');
  const outdated = sampleEnterpriseFile('浮梁县旧窑建材有限公司', testUscc(1303), { industryCode: 'C3011' });
  outdated.flags = { ...outdated.flags, outdatedCapacity: { flagged: true, exitDeadline: '2025-06-30', exitedOn: null } };
  const outdatedId = await fileEnterprise(officerPage, outdated, 'yellow');

  // Red plate, general purpose: denied, the reason said, nothing can be filed.
  await openSection(officerPage, '授信申请');
  await officerPage.getByTestId('credit-create').click();
  const form = officerPage.getByTestId('credit-form');
  await chooseOption(officerPage, form.getByTestId('credit-enterprise'), '华达', '浮梁县华达化工有限公司');
  const gate = form.getByTestId('credit-gate');
  await expect(gate).toContainText('不予准入：不得新增授信');
  await expect(gate).toContainText('环境信用评价为「红牌 环保不良」，不得新增授信；用于污染防治或环保整改的除外。');
  await expect(form.getByTestId('credit-amount')).toBeDisabled();
  await expect(officerPage.getByTestId('credit-save')).toBeDisabled();
  await screenshot(officerPage, 'form-gate-deny');
  // The host refuses it too.
  const terms = { enterpriseId: red, product: 'working_capital', amountFen: 50_000_000, termMonths: 12, rateBp: 385, purpose: '补充流动资金', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
  const denied = await callApi(officerPage, 'credit.create', { terms });
  expect(denied.ok).toBe(false);
  if (!denied.ok) expect(denied.error).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'GATE_DENIED' } });

  // Financing pollution control: it may go ahead with a credit manager's override.
  await chooseOption(officerPage, form.getByTestId('credit-purpose-kind'), '', '污染防治');
  await expect(gate).toContainText('须特批');
  await expect(gate).toContainText('本笔用于污染防治，须信贷经理特批并说明理由。');
  await expect(form.getByTestId('credit-amount')).toBeEnabled();
  await screenshot(officerPage, 'form-gate-pollution-control');
  await officerPage.getByRole('button', { name: /取\s*消/ }).click();

  // Outdated capacity past its exit date: opened, but not submitted until a credit manager overrides.
  const opened = await callApi<{ id: string }>(officerPage, 'credit.create', {
    terms: { ...terms, enterpriseId: outdatedId, purpose: '窑炉节能改造' },
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  await openApplication(officerPage, '浮梁县旧窑建材有限公司');
  const detailGate = officerPage.getByTestId('credit-gate');
  await expect(detailGate).toContainText('落后产能退出期限 2025-06-30 已过仍未退出，严格控制新增授信，须信贷经理特批。');
  await expect(officerPage.getByTestId('credit-action-submit')).toHaveCount(0);
  await expect(officerPage.getByTestId('credit-note-gate')).toContainText('调查人不能为自己的申请特批');
  const early = await callApi(officerPage, 'credit.act', { id: opened.value.id, version: await detailVersion(officerPage), action: 'submit', opinion: '调查完成' });
  expect(early.ok).toBe(false);
  if (!early.ok) expect(early.error).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'GATE_OVERRIDE_REQUIRED' } });

  const reason = '贷款专项用于窑炉节能改造，企业已承诺 2026 年底前淘汰落后窑线';
  const managerPage = await colleague(browser, host, reviewer);
  await openApplication(managerPage, '浮梁县旧窑建材有限公司');
  await managerPage.getByTestId('credit-action-override').click();
  const overrideDialog = managerPage.getByTestId('credit-override-dialog');
  await overrideDialog.getByTestId('credit-override-reason').fill(reason);
  await overrideDialog.getByRole('button', { name: /确\s*定/ }).click();
  await expect(managerPage.getByTestId('credit-gate-override')).toContainText('已特批：赵六');
  await expect(managerPage.getByTestId('credit-gate-override')).toContainText(reason);
  await screenshot(managerPage, 'detail-overridden');

  // Now the investigator may submit.
  await officerPage.reload();
  await act(officerPage, 'submit', '调查完成，已核实改造方案。', '审查中');

  // The override is in the application's history and in the administrator's audit log, with its reason.
  await managerPage.reload();
  await managerPage.getByTestId('credit-history').click();
  const history = managerPage.getByTestId('record-history');
  await expect(history).toContainText('准入特批');
  await expect(history).toContainText(reason);
  await logout(page);
  await login(page, 'admin', 'Admin2026ok');
  await openSection(page, '审计日志');
  const auditRow = page.locator('tr').filter({ hasText: '准入特批' });
  await expect(auditRow).toContainText('赵六');
  await expect(auditRow).toContainText(reason);
  await screenshot(page, 'audit-override');
  const audit = await callApi<{ rows: { action: string; userName: string | null; after: Record<string, unknown> | null }[] }>(page, 'audit.list', { recordType: 'credit_applications', page: 1, pageSize: 50 });
  if (!audit.ok) throw new Error(JSON.stringify(audit.error));
  expect(audit.value.rows.find((row) => row.action === 'gate_override')).toMatchObject({ userName: '赵六', after: { gate_override_reason: reason } });
});

test('an approval above the approver’s limit is refused naming the limit and escalated to the branch head; above the branch’s authority it goes to 上级行', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  await branchWithColleagues(page, host);
  const officerPage = await colleague(browser, host, officer);
  const enterpriseId = await fileEnterprise(officerPage, sampleEnterpriseFile('浮梁县瑶里茶业有限公司', testUscc(1304), { industryCode: 'C1530' }), 'green');
  const terms = { enterpriseId, product: 'fixed_asset', termMonths: 36, rateBp: 410, purpose: '新建茶叶精制加工生产线', purposeKind: 'general', guaranteeMode: 'mortgage', greenProject: false, project: null };
  const reviewerPage = await colleague(browser, host, manager);
  const approverPage = await colleague(browser, host, reviewer);
  const headPage = await colleague(browser, host, branchHead);

  /** Investigation and review through the API: this test is about the approval. */
  async function toApproval(amountFen: number): Promise<string> {
    const created = await callApi<{ id: string; version: number }>(officerPage, 'credit.create', { terms: { ...terms, amountFen } });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const submitted = await callApi<{ version: number }>(officerPage, 'credit.act', { id: created.value.id, version: created.value.version, action: 'submit', opinion: '调查完成' });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const passed = await callApi(reviewerPage, 'credit.act', { id: created.value.id, version: submitted.value.version, action: 'pass', opinion: '审查通过' });
    if (!passed.ok) throw new Error(JSON.stringify(passed.error));
    return created.value.id;
  }

  // 500 万元 against a credit manager's 300 万元 (the shipped default for a county branch).
  const id = await toApproval(500_000_000);
  await approverPage.goto(`${host.origin}/#/credit/${id}`);
  await expect(approverPage.getByTestId('credit-note-authority')).toHaveText('申请金额超出您的审批权限（3,000,000.00 元），请上报支行行长。');
  await expect(approverPage.getByTestId('credit-action-approve')).toHaveCount(0);
  const overLimit = await callApi(approverPage, 'credit.act', { id, version: await detailVersion(approverPage), action: 'approve', opinion: '同意' });
  expect(overLimit.ok).toBe(false);
  if (!overLimit.ok) expect(overLimit.error).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'AUTHORITY_EXCEEDED', limitFen: 300_000_000, escalateTo: 'branch_head' } });
  await screenshot(approverPage, 'detail-over-limit');
  await expect(approverPage.getByTestId('credit-action-escalate')).toHaveText(/上报支行行长/);
  await act(approverPage, 'escalate', '超出本人审批权限，上报支行行长审批。', '审批中');
  await expect(approverPage.getByTestId('credit-steps')).toContainText('等待支行行长处理');

  // The branch head's limit (1000 万元) covers it.
  await headPage.goto(`${host.origin}/#/credit/${id}`);
  await expect(headPage.getByTestId('credit-note-authority')).toContainText('您的审批权限：10,000,000.00 元');
  await act(headPage, 'approve', '同意。', '已批准');

  // 2000 万元 is above the branch head's limit too: it is marked 上报上级行 and waits for head office.
  const big = await toApproval(2_000_000_000);
  await headPage.goto(`${host.origin}/#/credit/${big}`);
  await expect(headPage.getByTestId('credit-note-authority')).toHaveText('申请金额超出您的审批权限（10,000,000.00 元），请上报上级行。');
  await act(headPage, 'escalate', '超出支行审批权限，上报上级行。', '已上报上级行');
  await expect(headPage.getByTestId('credit-note-head-office')).toHaveText('已上报上级行，等待上级行审批。');
  await screenshot(headPage, 'detail-escalated');
});
