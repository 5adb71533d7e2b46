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

test('a 总行审批人 uploads an edited .xlsx in the console app, sees its diff (and a bad sheet’s row named), publishes it, and a laptop applies it at sync', async ({ page, host, browser }) => {
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

  // Head office signs in on the console's own page and opens 参考数据 in the app's menu.
  const console = await browser.newPage();
  await console.goto(`${hub.url}/console/login`);
  await console.getByLabel('用户名').fill(approver.username);
  await console.getByLabel('密码').fill(HEAD_OFFICE_TEST_PASSWORD);
  await console.getByTestId('sign-in-submit').click();
  // An approver starts on the approval queue; the app's menu is on its home page.
  await expect(console).not.toHaveURL(/\/login$/);
  await console.goto(`${hub.url}/console/`);
  await console.getByTestId('console-nav').getByRole('menuitem', { name: '参考数据' }).click();
  await expect(console).toHaveURL(/\/console\/reference$/);
  await console.getByTestId('reference-sets').getByRole('link', { name: '审批权限（动态授权）' }).click();
  await expect(console.getByTestId('in-force')).not.toBeEmpty();
  // The set names the document its figures come from (../shared/reference/README.md).
  await expect(console.getByTestId('source')).not.toHaveText('未注明');
  const inForce = ((await console.getByTestId('in-force').textContent()) ?? '').trim();
  const current = /^v(\d+)$/.exec(inForce) === null ? 0 : Number(/^v(\d+)$/.exec(inForce)![1]);
  const next = current + 1;

  // Download the version in force.
  const [download] = await Promise.all([console.waitForEvent('download'), console.getByTestId('download-current').click()]);
  const workbookBytes = await readFile(await download.path());
  const edit = async (value: unknown) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(workbookBytes as unknown as ArrayBuffer);
    let row = 0;
    workbook.getWorksheet('参数')!.eachRow((sheetRow, number) => {
      if (sheetRow.getCell(2).value === 'limits.county.credit_manager') {
        sheetRow.getCell(3).value = value as ExcelJS.CellValue;
        row = number;
      }
    });
    return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), row };
  };
  const upload = (name: string, buffer: Buffer) => console.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });

  // A sheet the set's rules refuse: the problem is named by sheet, row and column, and nothing is offered for publishing.
  const bad = await edit('很多');
  await upload('审批权限-有误.xlsx', bad.buffer);
  await expect(console.getByTestId('upload-refused')).toContainText('「审批权限-有误.xlsx」有 1 处问题，未发布');
  await expect(console.getByTestId('problems')).toContainText(`工作表「参数」第 ${bad.row} 行 C 列`);
  await expect(console.getByTestId('publish')).toHaveCount(0);

  // Raise the county credit manager's limit in the sheet and upload it: the diff, nothing published yet.
  const good = await edit(4_000_000_00);
  await upload('审批权限-修改.xlsx', good.buffer);
  const diff = console.getByTestId('diff');
  const changed = diff.locator('tr[data-change="changed"]', { hasText: 'limits.county.credit_manager' });
  await expect(changed).toContainText('修改');
  // Limits are shown in 万元 as everywhere in the console; the sheet keeps 分 (4,000,000.00 元 = 400 万元).
  await expect(changed.locator('td.changed del')).not.toHaveText('400.00 万元');
  await expect(changed.locator('td.changed ins')).toHaveText('400.00 万元');
  await expect(console.getByTestId('in-force')).toHaveText(inForce);
  await console.screenshot({ path: 'test-results/head-office-reference-diff.png', fullPage: true });

  // Publishing asks first.
  await console.getByTestId('publish').click();
  const confirm = console.getByRole('dialog');
  await expect(confirm).toContainText(`发布「审批权限（动态授权）」v${next}？`);
  await confirm.getByRole('button', { name: /^发\s?布$/ }).click();
  await expect(console.getByRole('status')).toHaveText(`已发布 v${next}，各支行笔记本将在下次同步时应用。`);
  await expect(console.getByTestId('in-force')).toHaveText(`v${next}`);
  await console.getByRole('tab', { name: '发布记录' }).click();
  await expect(console.getByTestId('reference-history').locator('tbody tr').first()).toContainText(`v${next}`);
  await expect(console.getByTestId('reference-history').locator('tbody tr').first()).toContainText('王审批');
  await console.getByRole('tab', { name: '各支行已应用的版本' }).click();

  // The laptop's next sync applies it; its sync page lists the version.
  await page.getByTestId('sync-now').click();
  const referenceRow = page.locator('.ant-table-row', { hasText: '审批权限（动态授权）' });
  await expect(referenceRow).toContainText(String(next));
  // The sync after that reports it applied, and head office sees the branch on the new version.
  await page.getByTestId('sync-now').click();
  await expect
    .poll(async () => {
      await console.reload();
      return console.locator(`tr[data-branch="${branchName}"]`).textContent();
    })
    .toContain(`v${next}`);
  await console.screenshot({ path: 'test-results/head-office-reference-applied.png', fullPage: true });
  await console.close();
});
