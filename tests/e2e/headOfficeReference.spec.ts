import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures.ts';
import { completeSetup, enrollLaptop } from './pages.ts';
import { branchWithCode, startHub, type HubProcess } from '../sync/hub.ts';
import { headOfficeAdmin, headOfficePerson, HEAD_OFFICE_TEST_PASSWORD } from '../../server/testing/headOffice.ts';

let hub: HubProcess;
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

test('a 总行审批人 uploads an edited .xlsx, sees its diff, publishes it, and a laptop applies it at sync', async ({ page, host, browser }) => {
  test.setTimeout(180_000);
  // In CI every spec's hub shares one PostgreSQL, so other specs' branches are there too: this one is named uniquely.
  const code = `LP-REF-${Date.now() % 100000}`;
  const branchName = `乐平市支行 ${code}`;
  const { enrollmentCode } = await branchWithCode(hub, branchName, code);
  const administrator = await headOfficeAdmin(hub.url, hub.adminToken);
  const approver = await headOfficePerson(hub.url, administrator, 'ho_approver', '王审批');

  // The laptop joins the hub and takes the reference data published so far.
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await enrollLaptop(page, hub.url, enrollmentCode, '乐平支行笔记本');
  await expect(page.getByTestId('sync-status')).toContainText('乐平市支行');

  // Head office signs in on the console's own page.
  const console = await browser.newPage();
  await console.goto(`${hub.url}/console/login`);
  await console.getByLabel('用户名').fill(approver.username);
  await console.getByLabel('密码').fill(HEAD_OFFICE_TEST_PASSWORD);
  await console.getByTestId('sign-in-submit').click();
  await console.getByRole('link', { name: '参考数据' }).first().click();
  await console.getByRole('link', { name: '审批权限（动态授权）' }).click();
  const inForce = (await console.getByTestId('in-force').textContent()) ?? '';
  const current = /^v(\d+)$/.exec(inForce.trim()) === null ? 0 : Number(/^v(\d+)$/.exec(inForce.trim())![1]);
  const next = current + 1;

  // Download the version in force, raise the county credit manager's limit in the sheet, upload it.
  const [download] = await Promise.all([console.waitForEvent('download'), console.getByRole('link', { name: '下载现行版本（.xlsx）' }).click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
  const parameters = workbook.getWorksheet('参数')!;
  parameters.eachRow((row) => {
    if (row.getCell(2).value === 'limits.county.credit_manager') row.getCell(3).value = 4_000_000_00;
  });
  const edited = Buffer.from(await workbook.xlsx.writeBuffer());
  await console.locator('input[type=file]').setInputFiles({ name: '审批权限-修改.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: edited });
  await console.getByRole('button', { name: '上传并查看差异' }).click();

  const diff = console.getByTestId('diff');
  const changed = diff.locator('tr[data-change="changed"]', { hasText: 'limits.county.credit_manager' });
  await expect(changed).toContainText('修改');
  // Limits are shown in 万元 as everywhere in the console; the sheet keeps 分 (4,000,000.00 元 = 400 万元).
  await expect(changed.locator('td.changed del')).not.toHaveText('400.00 万元');
  await expect(changed.locator('td.changed ins')).toHaveText('400.00 万元');
  await console.screenshot({ path: 'test-results/head-office-reference-diff.png', fullPage: true });
  await console.getByRole('button', { name: `发布为 v${next}` }).click();
  await expect(console.getByRole('status')).toHaveText(`已发布 v${next}，各支行笔记本将在下次同步时应用。`);
  await expect(console.getByTestId('in-force')).toHaveText(`v${next}`);
  await expect(console.locator('table').last()).toContainText('王审批');

  // The laptop's next sync applies it; its sync page lists the version.
  await page.getByTestId('sync-now').click();
  const referenceRow = page.locator('.ant-table-row', { hasText: '审批权限（动态授权）' });
  await expect(referenceRow).toContainText(String(next));
  // The sync after that reports it applied, and head office sees the branch on the new version.
  await page.getByTestId('sync-now').click();
  await expect.poll(async () => {
    await console.reload();
    return console.locator(`tr[data-branch="${branchName}"]`).textContent();
  }).toContain(`v${next}`);
  await console.screenshot({ path: 'test-results/head-office-reference-applied.png', fullPage: true });
  await console.close();
});
