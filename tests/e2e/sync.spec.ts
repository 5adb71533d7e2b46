import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, startHost, stopHost } from './fixtures.ts';
import { addUserAndSignIn, admin as adminUser, callApi, completeSetup, enrollLaptop, login, logout, officer, openSection } from './pages.ts';
import { admin, branchWithCode, startHub, type HubProcess } from '../sync/hub.ts';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { KEY_FILE } from '../../electron/host/keyfile.ts';
import { openStore } from '../../electron/host/store.ts';
import { updateRecord } from '../../db/records.ts';

let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

test('enroll with head office, sync, and resolve a guarded-field conflict in the 同步 section', async ({ page, host }) => {
  test.setTimeout(120_000);
  const { branchId, enrollmentCode } = await branchWithCode(hub, '浮梁县支行', 'FL-E2E');
  await page.goto(host.launchUrl);
  await completeSetup(page);
  expect((await callApi(page, 'users.create', { username: 'lisi', displayName: '李四', role: 'loan_officer', password: 'Officer2026' })).ok).toBe(true);

  // The administrator enrolls the laptop.
  await enrollLaptop(page, hub.url, enrollmentCode, '客户经理笔记本');
  await expect(page.getByTestId('sync-status')).toContainText('浮梁县支行');
  // What the branch holds at head office once enrolled (its people directory): the file comes on top.
  const rowsAtHub = async () => (await admin<{ branches: { id: string; rows: number }[] }>(hub, '/admin/branches')).branches.find((b) => b.id === branchId)?.rows ?? 0;
  await expect.poll(rowsAtHub).toBeGreaterThan(0);
  const rowsAtEnrolment = await rowsAtHub();
  await logout(page);

  await login(page, 'lisi', 'Officer2026');
  const change = page.getByTestId('change-password');
  await change.getByLabel('当前密码').fill('Officer2026');
  await change.getByLabel('新密码').fill('Officer2027');
  await change.getByLabel('确认密码').fill('Officer2027');
  await change.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('密码已修改')).toBeVisible();

  const created = await callApi<{ id: string; version: number }>(page, 'enterprises.create', { file: sampleEnterpriseFile('景德镇华盛陶瓷有限公司', testUscc(77)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  await openSection(page, '设置');
  await openSection(page, '同步');
  // The page may still show the state from before the enterprise was created: wait for the hub.
  await expect(page.getByTestId('sync-pending')).toHaveText('1 条');
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-pending')).toHaveText('0 条');
  await expect.poll(rowsAtHub).toBe(rowsAtEnrolment + 1);

  // Head office flags outdated capacity while the officer, offline, flags it with another deadline.
  await admin(hub, `/admin/rows/${branchId}/enterprises/${created.value.id}`, { fields: { outdated_capacity: 1, outdated_capacity_exit_deadline: '2026-12-31' }, baseVersion: created.value.version, userId: 'head-office-zhang' });
  const file = sampleEnterpriseFile('景德镇华盛陶瓷有限公司', testUscc(77));
  file.flags.outdatedCapacity = { flagged: true, exitDeadline: '2027-06-30', exitedOn: null };
  expect((await callApi(page, 'enterprises.update', { id: created.value.id, version: created.value.version, file })).ok).toBe(true);

  await page.getByTestId('sync-now').click();
  const conflict = page.getByTestId('sync-conflict');
  await expect(conflict).toContainText('景德镇华盛陶瓷有限公司');
  await expect(conflict).toContainText('2027-06-30');
  await expect(conflict).toContainText('2026-12-31');
  await conflict.getByRole('button', { name: '保留本机的修改' }).click();
  // A confirmation names the value that will be kept before anything is decided.
  await expect(page.getByTestId('conflict-confirm')).toContainText('2027-06-30');
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.getByText('冲突已处理')).toBeVisible();
  await expect(page.getByTestId('sync-conflict')).toHaveCount(0);

  const after = await callApi<{ file: { flags: { outdatedCapacity: { exitDeadline: string } } } }>(page, 'enterprises.get', { id: created.value.id });
  expect(after.ok && after.value.file.flags.outdatedCapacity.exitDeadline).toBe('2027-06-30');
  expect(adminUser.username).toBe('admin');
});

test('a step the hub refuses by role (a loan officer’s collateral approval written around the host) is listed in 同步 in words, in Chinese and English', async ({ page, host }) => {
  test.setTimeout(180_000);
  const { enrollmentCode } = await branchWithCode(hub, '浮梁县支行', `FL-E2E-ROLE-${Date.now() % 100_000}`);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  const colleague = await callApi<{ id: string }>(page, 'users.create', { username: 'wangwu', displayName: '王五', role: 'loan_officer', password: 'Officer2026' });
  if (!colleague.ok) throw new Error(JSON.stringify(colleague.error));
  expect((await callApi(page, 'sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '客户经理笔记本' })).ok).toBe(true);
  await addUserAndSignIn(page, officer);
  const enterprise = await callApi<{ id: string }>(page, 'enterprises.create', { file: sampleEnterpriseFile('浮梁县角色排污权有限公司', testUscc(7_901)) });
  if (!enterprise.ok) throw new Error(JSON.stringify(enterprise.error));
  const item = await callApi<{ id: string }>(page, 'collateral.create', {
    item: {
      enterpriseId: enterprise.value.id,
      details: { type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' },
      certificateNumber: '浮环排污〔2026〕79号',
      certificateIssuer: '景德镇市生态环境局浮梁分局',
      validity: { from: '2024-01-01', to: '2028-12-31' },
      valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: '2026-01-01', appraiser: '江西中信评估有限公司' },
      pledgeRateBp: 8_000,
    },
    submit: true,
  });
  if (!item.ok) throw new Error(JSON.stringify(item.error));
  expect((await callApi(page, 'sync.now', {})).ok).toBe(true);

  // With the host stopped, 王五 (a loan officer, not the maker) "approves" it straight in the database and outbox.
  await stopHost(host);
  const store = openStore(host.dataDir, readFileSync(join(host.dataDir, KEY_FILE), 'utf8').trim());
  const branchId = store.db.prepare('SELECT id FROM branch').pluck().get() as string;
  updateRecord(store.db, 'collateral_items', item.value.id, { status: 'approved', checker_id: colleague.value.id, decided_at: new Date().toISOString() }, { userId: colleague.value.id, userName: '王五', branchId }, new Date());
  store.db.close();

  const again = await startHost(host.dataDir);
  try {
    await page.goto(again.launchUrl);
    await login(page, officer.username, officer.password);
    await openSection(page, '同步');
    await page.getByTestId('sync-now').click();
    const rejections = page.getByTestId('sync-rejections');
    await expect(rejections).toContainText('违反审批流程：抵质押物只能由信贷经理审批或退回');
    await page.screenshot({ path: '/tmp/sync-role-rejection.png', fullPage: true });
    await openSection(page, '设置');
    await page.getByTestId('locale-switch').getByText('English').click();
    await openSection(page, 'Sync');
    await expect(page.getByTestId('sync-rejections')).toContainText('Only a credit manager approves or rejects a collateral item');
    await page.screenshot({ path: '/tmp/sync-role-rejection-en.png', fullPage: true });
  } finally {
    await stopHost(again);
  }
});
