import { rmSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { test, expect, startHost, stopHost, type RunningHost } from './fixtures.ts';
import { addUserAndSignIn, callApi, completeSetup, officer, openSection, type NewUser } from './pages.ts';
import { branchWithCode, admin, startHub, type HubProcess } from '../sync/hub.ts';
import { startCutProxy, type CutProxy } from '../sync/proxy.ts';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';

/**
 * Issue 10 acceptance 3, in Chromium: three laptops of one branch and a real hub, each laptop behind
 * its own proxy so that "offline" is real (the laptops also sync by themselves every minute).
 */
let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

const wang: NewUser = { username: 'wangwu', displayName: '王五', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' };
const zhao: NewUser = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' };

interface Laptop {
  name: string;
  page: Page;
  proxy: CutProxy;
  host?: RunningHost;
}

/** A laptop that joins the branch at first run (加入已有支行) through its own proxy, with its own officer signed in. */
async function joiningLaptop(browser: Browser, hubProxy: CutProxy, code: string, deviceName: string, user: NewUser): Promise<Laptop> {
  const host = await startHost();
  const page = await browser.newPage();
  await page.goto(host.launchUrl);
  await expect(page.getByTestId('setup-form')).toBeVisible();
  const joined = await callApi(page, 'setup.join', { hubUrl: hubProxy.url, code, deviceName, admin: { username: 'admin', displayName: `${deviceName}管理员`, password: 'Admin2026ok' } });
  expect(joined.ok).toBe(true);
  await page.reload();
  await expect(page.getByTestId('main-nav')).toBeVisible();
  await addUserAndSignIn(page, user);
  return { name: deviceName, page, proxy: hubProxy, host };
}

async function syncNow(laptop: Laptop): Promise<void> {
  const result = await callApi<{ lastError: unknown }>(laptop.page, 'sync.now', {});
  expect(result.ok && result.value.lastError).toBe(null);
}

async function scaleOf(laptop: Laptop, id: string): Promise<string> {
  const got = await callApi<{ file: { identity: { scale: string } } }>(laptop.page, 'enterprises.get', { id });
  if (!got.ok) throw new Error(JSON.stringify(got.error));
  return got.value.file.identity.scale;
}

async function panel(laptop: Laptop, shot: string) {
  await openSection(laptop.page, '设置');
  await openSection(laptop.page, '同步');
  const card = laptop.page.getByTestId('sync-conflict');
  await expect(card).toHaveCount(1);
  await card.scrollIntoViewIfNeeded();
  await laptop.page.screenshot({ path: `/tmp/floorui-conflict-${shot}.png`, fullPage: true });
  return card;
}

test('three laptops, one clash on 规模: each laptop labels only its own edit as its own, one decides, all end equal', async ({ page, host, browser }) => {
  test.setTimeout(300_000);
  const { branchId, enrollmentCode } = await branchWithCode(hub, '浮梁县支行', `FL-CP-${Date.now().toString(36)}`);
  const proxies = await Promise.all([startCutProxy(hub.url), startCutProxy(hub.url), startCutProxy(hub.url)]);
  const laptops: Laptop[] = [];
  try {
    // Laptop A: first run as a new branch; its administrator enrolls it with head office, then 李四 files the enterprise.
    await page.goto(host.launchUrl);
    await completeSetup(page);
    const a: Laptop = { name: '笔记本 A', page, proxy: proxies[0]! };
    laptops.push(a);
    expect((await callApi(page, 'sync.enroll', { hubUrl: proxies[0]!.url, code: enrollmentCode, deviceName: a.name })).ok).toBe(true);
    await addUserAndSignIn(page, officer);
    const created = await callApi<{ id: string; version: number }>(page, 'enterprises.create', { file: sampleEnterpriseFile('浮梁华盛陶瓷有限公司', testUscc(311)) });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const id = created.value.id;
    await syncNow(a);

    // Laptops B (王五) and C (赵六) join the branch and receive the file.
    for (const [index, name, user] of [[1, '笔记本 B', wang], [2, '笔记本 C', zhao]] as const) {
      const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
      const laptop = await joiningLaptop(browser, proxies[index]!, code, name, user);
      laptops.push(laptop);
      await expect.poll(async () => (await callApi(laptop.page, 'enterprises.get', { id })).ok, { timeout: 60_000 }).toBe(true);
    }
    const [, b, c] = laptops as [Laptop, Laptop, Laptop];

    // Offline, A and B set 规模 on the same version: A to 中型, B to 大型.
    for (const laptop of laptops) laptop.proxy.setOnline(false);
    for (const [laptop, scale] of [[a, 'medium'], [b, 'large']] as const) {
      const current = await callApi<{ version: number; file: ReturnType<typeof sampleEnterpriseFile> }>(laptop.page, 'enterprises.get', { id });
      if (!current.ok) throw new Error(JSON.stringify(current.error));
      const file = { ...current.value.file, identity: { ...current.value.file.identity, scale } };
      const updated = await callApi(laptop.page, 'enterprises.update', { id, version: current.value.version, file });
      expect(updated.ok).toBe(true);
    }
    // Back online: A first (applied), then B (held: B's conflict), then C and A again (they learn of it).
    for (const laptop of [a, b, c, a]) {
      laptop.proxy.setOnline(true);
      await syncNow(laptop);
    }

    // B: its own edit, as its own, in words, with who, where and when on both sides.
    const onB = await panel(b, 'B-own');
    await expect(onB).toHaveAttribute('data-held-for', 'this');
    // The header says there is something to decide here, not 已同步 beside a red badge (issue 12).
    await expect(b.page.getByTestId('sync-indicator')).toContainText('1 个冲突待处理');
    await expect(b.page.getByTestId('sync-indicator')).not.toContainText('已同步');
    await expect(onB.getByRole('columnheader', { name: '本机的修改' })).toBeVisible();
    await expect(onB.getByTestId('conflict-mine-value')).toHaveText('大型');
    await expect(onB.getByTestId('conflict-theirs-value')).toHaveText('中型');
    await expect(onB.getByTestId('conflict-mine-by')).toContainText('王五');
    await expect(onB.getByTestId('conflict-mine-by')).toContainText('笔记本 B');
    await expect(onB.getByTestId('conflict-mine-by')).toHaveText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await expect(onB.getByTestId('conflict-theirs-by')).toContainText('李四');
    await expect(onB.getByTestId('conflict-theirs-by')).toContainText('笔记本 A');
    await expect(onB).not.toContainText('large');
    await expect(onB).not.toContainText('medium');

    // A and C: B's edit, named as B's; no offer to keep it as their own.
    for (const [laptop, shot] of [[a, 'A-other'], [c, 'C-other']] as const) {
      const card = await panel(laptop, shot);
      await expect(card).toHaveAttribute('data-held-for', 'device');
      await expect(card.getByRole('columnheader', { name: '本机的修改' })).toHaveCount(0);
      await expect(card).toContainText('王五在「笔记本 B」上的修改');
      await expect(card.getByTestId('conflict-mine-value')).toHaveText('大型');
      await expect(card.getByTestId('conflict-theirs-value')).toHaveText('中型');
      await expect(card.getByTestId('conflict-keep-mine')).toHaveCount(0);
      await expect(card.getByTestId('conflict-take-theirs')).toHaveCount(0);
      await expect(card.getByTestId('conflict-elsewhere')).toContainText('笔记本 B');
      // Nothing to decide on this laptop: B decides its own edit.
      await expect(laptop.page.getByTestId('sync-indicator')).toContainText('已同步');
    }

    // B decides: the confirmation names the value kept; the panel then shows the record as it stands.
    await onB.getByTestId('conflict-keep-mine').click();
    await expect(b.page.getByTestId('conflict-confirm')).toContainText('规模：大型');
    await b.page.screenshot({ path: '/tmp/floorui-conflict-B-confirm.png' });
    await b.page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await expect(b.page.getByTestId('conflict-settled')).toContainText('大型');
    await expect(b.page.getByTestId('sync-conflict')).toHaveCount(0);
    await expect(b.page.getByTestId('sync-indicator')).not.toContainText('冲突待处理');
    await b.page.screenshot({ path: '/tmp/floorui-conflict-B-settled.png', fullPage: true });

    for (const laptop of [a, c]) await syncNow(laptop);
    for (const laptop of laptops) {
      expect([laptop.name, await scaleOf(laptop, id)]).toEqual([laptop.name, 'large']);
      expect([laptop.name, await callApi(laptop.page, 'sync.conflicts', {})]).toEqual([laptop.name, { ok: true, value: [] }]);
    }
    await openSection(a.page, '设置');
    await openSection(a.page, '同步');
    await expect(a.page.getByTestId('sync-conflict')).toHaveCount(0);
  } finally {
    for (const laptop of laptops.slice(1)) {
      await laptop.page.close();
      if (laptop.host !== undefined) {
        await stopHost(laptop.host);
        rmSync(laptop.host.dataDir, { recursive: true, force: true });
      }
    }
    for (const proxy of proxies) await proxy.close();
  }
});
