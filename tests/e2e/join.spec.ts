import { test, expect, startHost, stopHost } from './fixtures.ts';
import { rmSync } from 'node:fs';
import { admin as adminUser, callApi, login, logout, officer, openSection, signInAsNewUser, startFromEnterprises } from './pages.ts';
import { admin, branchWithCode, startHub, type HubProcess } from '../sync/hub.ts';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';

let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

test("a second laptop joins the branch at first run with an enrollment code and shows the first laptop's people by name", async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  const { branchId, enrollmentCode } = await branchWithCode(hub, '浮梁县支行', 'FL-JOIN');

  // Laptop A: the branch's officer 李四 files an enterprise; the administrator enrolls the laptop.
  await page.goto(host.launchUrl);
  await signInAsNewUser(page, officer);
  const created = await callApi<{ id: string }>(page, 'enterprises.create', { file: sampleEnterpriseFile('浮梁加入测试有限公司', testUscc(91)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  await logout(page);
  await login(page, adminUser.username, adminUser.password);
  await expect(page.getByTestId('main-nav')).toBeVisible();
  const enrolled = await callApi<{ pendingChanges: number; lastError: unknown }>(page, 'sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '笔记本 A' });
  expect(enrolled.ok && enrolled.value).toMatchObject({ pendingChanges: 0, lastError: null });

  // Laptop B, first run: 「加入已有支行」.
  const laptopB = await startHost();
  const pageB = await browser.newPage();
  try {
    await pageB.goto(laptopB.launchUrl);
    await pageB.getByTestId('setup-mode').getByText('加入已有支行').click();
    const form = pageB.getByTestId('setup-form');
    // The address without a scheme, as people copy it.
    await form.getByLabel('总行同步服务地址').fill(new URL(hub.url).host);
    await form.getByLabel(/登记码/).fill('WRONG-CODE-0000');
    await form.getByLabel('本机名称').fill('笔记本 B');
    await form.getByLabel('用户名').fill('zhaoadmin');
    await form.getByLabel('姓名').fill('赵管理');
    await form.getByLabel('密码', { exact: true }).fill('Admin2026ok');
    await form.getByLabel('确认密码').fill('Admin2026ok');
    await form.getByRole('button', { name: '加入支行并登录' }).click();
    // A wrong code is said on its field, in Chinese; never the local-service message.
    await expect(form.getByText('登记码不存在、已使用或已过期，请向总行索取新的登记码')).toBeVisible();
    await expect(pageB.getByText('无法连接本机服务')).toHaveCount(0);
    // So is an address nothing answers at.
    await form.getByLabel('总行同步服务地址').fill('127.0.0.1:9');
    await form.getByRole('button', { name: '加入支行并登录' }).click();
    await expect(form.getByText('无法连接该地址的总行同步服务，请核对地址和端口，并确认网络畅通')).toBeVisible();

    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
    await form.getByLabel('总行同步服务地址').fill(new URL(hub.url).host);
    await form.getByLabel(/登记码/).fill(code);
    await form.getByRole('button', { name: '加入支行并登录' }).click();
    await expect(pageB.getByTestId('main-nav')).toBeVisible();
    await expect(pageB.getByTestId('user-menu')).toContainText('赵管理');
    await startFromEnterprises(pageB);

    // The first sync brings the branch's files; the file names the colleague who filed it on laptop A.
    await expect(async () => {
      await pageB.reload();
      await expect(pageB.getByText('浮梁加入测试有限公司')).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await pageB.getByText('浮梁加入测试有限公司').click();
    await expect(pageB.getByTestId('enterprise-detail')).toContainText(`${officer.displayName} 修改于`);
    const session = await callApi<{ branch: { id: string; name: string } }>(pageB, 'session.get', {});
    expect(session.ok && session.value.branch).toMatchObject({ id: branchId, name: '浮梁县支行' });

    // Head office goes down: the header and the 同步 page say the same, and neither says 已同步.
    await hub.stop();
    await openSection(pageB, '同步');
    await pageB.getByTestId('sync-now').click();
    await expect(pageB.getByTestId('sync-indicator')).toContainText('上次同步失败于');
    await expect(pageB.getByTestId('sync-indicator')).not.toContainText('已同步');
    await expect(pageB.getByTestId('sync-error')).toBeVisible();
  } finally {
    await pageB.close();
    await stopHost(laptopB);
    rmSync(laptopB.dataDir, { recursive: true, force: true });
  }
});
