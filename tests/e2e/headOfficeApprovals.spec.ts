import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures.ts';
import { addUser, colleague, completeSetup, hostValue, openSection, type NewUser } from './pages.ts';
import { branchWithCode, startHub, type HubProcess } from '../sync/hub.ts';
import { headOfficeAdmin, headOfficePerson, HEAD_OFFICE_TEST_PASSWORD } from '../../server/testing/headOffice.ts';
import { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/**
 * Issue 18, acceptance 1, in Chromium against a real hub process and the browser-mode host: a
 * 总行管理员 signs in to the console and opens a 总行审批人 account; an application escalated on the
 * laptop (上报上级行) appears in the console's 审批队列 after the laptop syncs, is approved there, and
 * the laptop shows it approved after its next sync; both audit trails record it.
 */
const officer: NewUser = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const reviewer: NewUser = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' };
const manager: NewUser = { username: 'qianqi', displayName: '钱七', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2028' };
const WAN = 1_000_000; // fen

let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

test('a 总行审批人 opened in the console approves an application escalated on a laptop; the laptop shows it approved after its next sync', async ({ page, host, browser }) => {
  test.setTimeout(240_000);
  const suffix = Date.now() % 100_000;
  const { enrollmentCode } = await branchWithCode(hub, `浮梁县支行${suffix}`, `FL-E2E-HO-${suffix}`);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, reviewer, manager]) await addUser(page, user);
  await hostValue(page, 'sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '信贷笔记本' });

  // On the laptop: 调查 → 审查 → 上报上级行 (1,500 万元 is above the county branch's authority), then sync.
  const officerPage = await colleague(browser, host, officer);
  const enterprise = await hostValue<{ id: string }>(officerPage, 'enterprises.create', { file: sampleEnterpriseFile('浮梁县总行审批陶瓷有限公司', testUscc(1802)) });
  await hostValue(officerPage, 'enterprises.addRating', { enterpriseId: enterprise.id, entry: { level: 'green', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } });
  const terms = { enterpriseId: enterprise.id, product: 'working_capital', amountFen: 1_500 * WAN, termMonths: 12, rateBp: 435, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
  let application = await hostValue<{ id: string; version: number; status: string }>(officerPage, 'credit.create', { terms });
  const act = async (on: typeof page, action: string, opinion: string) => (application = await hostValue(on, 'credit.act', { id: application.id, version: application.version, action, opinion }));
  await act(officerPage, 'submit', '经实地调查，建议授信');
  await act(await colleague(browser, host, reviewer), 'pass', '审查通过');
  const managerPage = await colleague(browser, host, manager);
  await act(managerPage, 'escalate', '超出支行权限，上报上级行');
  expect(application.status).toBe('escalated');
  await openSection(managerPage, '同步');
  await managerPage.getByTestId('sync-now').click();
  await expect(managerPage.getByTestId('sync-pending')).toHaveText('0 条');

  // Head office: the 总行管理员 signs in with a username and password (no admin token) and opens an approver.
  const hoAdmin = await headOfficeAdmin(hub.url, hub.adminToken);
  const consolePage = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
  await consolePage.goto(`${hub.url}/console`);
  await expect(consolePage.getByRole('heading', { name: '总行控制台登录' })).toBeVisible();
  await consolePage.getByLabel('用户名').fill(hoAdmin.username);
  await consolePage.getByLabel('密码').fill('wrong-password-1');
  await consolePage.getByTestId('sign-in-submit').click();
  await expect(consolePage.getByRole('alert')).toHaveText('用户名或密码不正确，再错 4 次账户将被锁定 15 分钟');
  await consolePage.getByLabel('密码').fill(HEAD_OFFICE_TEST_PASSWORD);
  await consolePage.getByTestId('sign-in-submit').click();
  // The console app (React, antd): its 支行与设备 lists the branch; 总行用户 is a page of the app, not a reload.
  await expect(consolePage.getByRole('heading', { name: /支行与设备/ })).toBeVisible();
  await expect(consolePage.locator(`tr[data-branch="浮梁县支行${suffix}"]`)).toContainText('信贷笔记本');
  await expect(consolePage.locator('.ant-spin-blur')).toHaveCount(0); // the table's loading veil faded out
  await consolePage.screenshot({ path: '/tmp/ho-branches.png', fullPage: true });
  await consolePage.getByRole('menuitem', { name: '总行用户' }).click();
  await expect(consolePage).toHaveURL(/\/console\/users$/);
  const approverName = `ho-approver.${suffix}`;
  await consolePage.getByLabel('用户名').fill(approverName);
  await consolePage.getByLabel('姓名').fill('孙审批');
  await consolePage.getByLabel('角色').click();
  await consolePage.locator('.ant-select-item-option[title="总行审批人"]').click();
  await consolePage.getByLabel('初始密码').fill('Approver2026');
  await consolePage.getByLabel('审批权限（万元）').fill('2000');
  await consolePage.screenshot({ path: '/tmp/ho-users-form.png', fullPage: true });
  await consolePage.getByRole('button', { name: '开设账户' }).click();
  await expect(consolePage.getByRole('status')).toHaveText(`已开设总行审批人「孙审批」（${approverName}）`);
  await expect(consolePage.locator('tr', { hasText: approverName })).toContainText('2,000.00 万元');
  await consolePage.getByTestId('sign-out').click();
  await expect(consolePage).toHaveURL(/\/console\/login$/);

  // A 总行查看 reads the queue and the application, and is offered no decision (the hub refuses one too).
  const viewer = await headOfficePerson(hub.url, hoAdmin, 'ho_viewer', '李查看');
  const viewerPage = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
  await viewerPage.goto(`${hub.url}/console/login`);
  await viewerPage.getByLabel('用户名').fill(viewer.username);
  await viewerPage.getByLabel('密码').fill(viewer.password);
  await viewerPage.getByTestId('sign-in-submit').click();
  await viewerPage.getByRole('menuitem', { name: '审批队列' }).click();
  await viewerPage.locator(`tr[data-application="${application.id}"]`).getByRole('link', { name: '查看' }).click();
  await expect(viewerPage.getByTestId('viewer-only')).toHaveText('总行查看只能查看，不能审批');
  await expect(viewerPage.getByTestId('application-steps')).toContainText('超出支行权限，上报上级行');
  await expect(viewerPage.getByTestId('decision')).toHaveCount(0);
  await expect(viewerPage.getByRole('button', { name: '批准' })).toHaveCount(0);
  await expect(viewerPage.getByRole('button', { name: '否决' })).toHaveCount(0);
  await viewerPage.screenshot({ path: '/tmp/ho-approval-viewer.png', fullPage: true });
  await viewerPage.context().close();

  // The approver: the app opens on the queue (审批队列, the app's page), which holds the escalated
  // application with its amount in 元 as the laptop writes it; they approve it with an opinion.
  await consolePage.getByLabel('用户名').fill(approverName);
  await consolePage.getByLabel('密码').fill('Approver2026');
  await consolePage.getByTestId('sign-in-submit').click();
  await expect(consolePage).toHaveURL(/\/console\/approvals$/);
  await expect(consolePage.getByRole('heading', { name: /上报总行的授信申请/ })).toBeVisible();
  const row = consolePage.locator(`tr[data-application="${application.id}"]`);
  await expect(row).toContainText('浮梁县总行审批陶瓷有限公司');
  await expect(row).toContainText('15,000,000.00');
  await expect(row).toContainText('已上报上级行');
  await expect(consolePage.locator('.ant-spin-blur')).toHaveCount(0);
  await consolePage.screenshot({ path: '/tmp/ho-approvals-queue.png', fullPage: true });
  await row.getByRole('link', { name: '审批' }).click();
  await expect(consolePage).toHaveURL(new RegExp(`/console/approvals/[0-9a-f-]{36}/${application.id}$`));
  const decision = consolePage.getByTestId('decision');
  await expect(decision).toContainText('您的审批权限：20,000,000.00 元；本笔金额：15,000,000.00 元');
  await expect(decision).toContainText('在您的审批权限内');
  await expect(consolePage.getByTestId('application-steps')).toContainText('超出支行权限，上报上级行');
  await decision.getByLabel('审批意见').fill('同意授信，按期跟踪环境信用');
  await consolePage.screenshot({ path: '/tmp/ho-approval-detail.png', fullPage: true });
  await decision.getByRole('button', { name: '批准' }).click();
  await expect(consolePage.getByRole('status')).toHaveText('已批准：浮梁县总行审批陶瓷有限公司，15,000,000.00 元。支行下次同步后即可看到。');
  // Decided: the page says so and offers no decision any more.
  await expect(consolePage.getByRole('button', { name: '批准' })).toHaveCount(0);
  await expect(consolePage.getByTestId('application-steps')).toContainText('同意授信，按期跟踪环境信用');
  await consolePage.screenshot({ path: '/tmp/ho-approval-decided.png', fullPage: true });
  // 记录与历史: the application's changes as head office received them — the laptop's, then head office's decision.
  await consolePage.getByRole('link', { name: /记录与历史/ }).click();
  await expect(consolePage).toHaveURL(new RegExp(`/console/records/credit_applications/[0-9a-f-]{36}/${application.id}$`));
  await expect(consolePage.getByRole('heading', { name: /^授信申请 · 浮梁县支行/ })).toBeVisible();
  const history = consolePage.getByTestId('history');
  await expect(history).toContainText('信贷笔记本');
  await expect(history.locator('tbody tr').last()).toContainText('总行');
  await expect(history.locator('tbody tr').last()).toContainText('状态：approved');
  await expect(consolePage.getByTestId('record-summary')).toContainText('已批准');
  await consolePage.screenshot({ path: '/tmp/ho-record.png', fullPage: true });
  await consolePage.getByRole('menuitem', { name: '审批队列' }).click();
  await expect(consolePage.getByRole('heading', { name: /上报总行的授信申请/ })).toBeVisible();
  await expect(consolePage.locator(`tr[data-application="${application.id}"]`)).toHaveCount(0);

  // 审计日志 (the app's page): the decision at the top, the chain verified, the export.
  await consolePage.getByRole('menuitem', { name: '审计日志' }).click();
  await expect(consolePage.getByTestId('audit-status')).toHaveText(/^审计链完整：已校验 \d+ 条，链头为第 \d+ 条$/);
  const decided = consolePage.getByTestId('audit').locator('tbody tr').first();
  await expect(decided).toContainText('批准上报的授信申请');
  await expect(decided).toContainText('孙审批');
  await expect(decided).toContainText(application.id);
  await consolePage.screenshot({ path: '/tmp/ho-audit.png', fullPage: true });
  const [exported] = await Promise.all([consolePage.waitForEvent('download'), consolePage.getByTestId('audit-export').click()]);
  expect(exported.suggestedFilename()).toBe('总行审计日志.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await exported.path())) as unknown as ArrayBuffer);
  expect(workbook.getWorksheet('校验')!.getRow(1).values).toEqual([undefined, '校验结果', '审计链完整']);
  const exportedRows = workbook.getWorksheet('总行审计日志')!.getSheetValues().map((row) => JSON.stringify(row));
  expect(exportedRows.some((row) => row.includes(application.id) && row.includes('孙审批'))).toBe(true);

  // The laptop's next sync: the application shows 已批准, head office's step and opinion in its timeline.
  await managerPage.getByTestId('sync-now').click();
  await expect(managerPage.getByTestId('sync-pending')).toHaveText('0 条');
  await expect.poll(async () => (await hostValue<{ status: string }>(managerPage, 'credit.get', { id: application.id })).status).toBe('approved');
  await openSection(managerPage, '授信申请');
  await managerPage.getByTestId('credit-search').fill('浮梁县总行审批陶瓷有限公司');
  await managerPage.getByTestId('credit-row').filter({ hasText: '浮梁县总行审批陶瓷有限公司' }).first().click();
  const detail = managerPage.getByTestId('credit-detail');
  await expect(detail.getByTestId('credit-status').first()).toHaveText('已批准');
  const step = detail.locator('[data-testid="credit-timeline-step"][data-step="escalated"]');
  await expect(step).toContainText('同意授信，按期跟踪环境信用');
  await expect(step).toContainText('总行');
  await managerPage.screenshot({ path: '/tmp/ho-approved-on-laptop.png', fullPage: true });

  // Both audit trails: the laptop's records the change pulled from head office; head office's the decision.
  const trail = await hostValue<{ rows: { action: string; after: Record<string, unknown> | null }[] }>(page, 'audit.list', { recordType: 'credit_applications', recordId: application.id, pageSize: 100 });
  expect(trail.rows).toContainEqual(expect.objectContaining({ action: 'sync_update', after: expect.objectContaining({ status: 'approved' }) }));
  const headOffice = await fetch(new URL('/console/api/audit', hub.url), { headers: { cookie: hoAdmin.cookie } });
  const entries = ((await headOffice.json()) as { value: { rows: { action: string; record_id: string | null; user_name: string | null }[] } }).value.rows;
  expect(entries).toContainEqual(expect.objectContaining({ action: 'credit.approve', record_id: application.id, user_name: '孙审批' }));
  expect(entries).toContainEqual(expect.objectContaining({ action: 'head_office_user.create', user_name: expect.stringMatching(/^总行管理员 /) }));
});
