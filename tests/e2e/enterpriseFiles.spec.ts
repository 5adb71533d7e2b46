import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures.ts';
import { downloadedSheet, logout, onePagePdf, signInAsLoanOfficer } from './pages.ts';
import { usccCheckCharacter } from '../../shared/domain/uscc.ts';

const withCheck = (first17: string) => first17 + usccCheckCharacter(first17);

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// A 1×1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('an officer imports a department list (one bad row comes back with its reason), exports the register and attaches a scan', async ({ page, host }) => {
  // Import, export, two attachments and a tab on the PDF: more than the default minute on a busy machine.
  test.setTimeout(120_000);
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);

  const good = withCheck('91360222MA38B1C2D');
  const bad = withCheck('91360222MA38B1C3E').slice(0, 17) + (withCheck('91360222MA38B1C3E').endsWith('0') ? '1' : '0');
  const list = await xlsx([
    ['2025年第一批工信部门推荐企业名单'],
    ['序号', '单位名称', '信用代码', '法人代表', '企业地址', '区县代码', '国民经济行业代码', '规模', '控股情况'],
    [1, '浮梁华盛建材有限公司', good, '张三', '浮梁县工业园区 1 号', '360222', 'C3021', '小型', '民营'],
    [2, '浮梁绿源茶业有限公司', bad, '李四', '浮梁县工业园区 2 号', '360222', 'C1530', '微型', '民营'],
  ]);

  await page.getByTestId('enterprise-import').click();
  const wizard = page.getByTestId('import-wizard');
  await wizard.locator('input[type=file]').setInputFiles({ name: '推荐企业名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: list });
  await expect(wizard).toContainText('表头在第 2 行，共 2 行数据');
  await expect(wizard.getByTestId('import-map-uscc')).toContainText('信用代码');
  await expect(wizard.getByTestId('import-map-name')).toContainText('单位名称');
  await page.getByTestId('import-run').click();
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('新建');
  await expect(result).toContainText(`统一社会信用代码：校验位应为 ${usccCheckCharacter(bad.slice(0, 17))}`);
  const rejected = page.waitForEvent('download');
  await page.getByTestId('import-download-rejected').click();
  const rejectedFile = await rejected;
  expect(rejectedFile.suggestedFilename()).toMatch(/^推荐企业名单-未导入-\d{4}-\d{2}-\d{2}\.xlsx$/);
  // The rejected row comes back as it was, with its reason, under the original headers plus 错误原因.
  const rejectedRows = await downloadedSheet(rejectedFile);
  const rejectedHeader = rejectedRows.findIndex((row) => row.includes('单位名称'));
  expect(rejectedRows[rejectedHeader]).toEqual(expect.arrayContaining(['单位名称', '信用代码', '法人代表', '错误原因']));
  const back = rejectedRows.slice(rejectedHeader + 1);
  expect(back).toHaveLength(1);
  expect(back[0]).toEqual(expect.arrayContaining(['浮梁绿源茶业有限公司', bad, '李四', `统一社会信用代码：校验位应为 ${usccCheckCharacter(bad.slice(0, 17))}`]));
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('enterprise-count')).toHaveText('共 1 家');

  const exported = page.waitForEvent('download');
  await page.getByTestId('enterprise-export').click();
  const exportedFile = await exported;
  expect(exportedFile.suggestedFilename()).toMatch(/^企业档案-\d{4}-\d{2}-\d{2}\.xlsx$/);
  // The register's export uses the import's own headers and holds the imported file.
  const [exportHeader, ...exportRows] = await downloadedSheet(exportedFile);
  expect(exportHeader).toEqual(expect.arrayContaining(['企业名称', '统一社会信用代码', '法定代表人']));
  expect(exportRows).toHaveLength(1);
  expect(exportRows[0]![exportHeader!.indexOf('企业名称')]).toBe('浮梁华盛建材有限公司');
  expect(exportRows[0]![exportHeader!.indexOf('统一社会信用代码')]).toBe(good);
  expect(exportRows[0]![exportHeader!.indexOf('法定代表人')]).toBe('张三');

  // Attach a photo to the imported file and look at it.
  await page.getByTestId('enterprise-row').first().click();
  await page.getByTestId('enterprise-tabs').getByRole('tab', { name: '附件' }).click();
  await page.getByTestId('attachment-note').fill('厂区照片');
  await page.locator('input[type=file][accept*=".png"]').setInputFiles({ name: '厂区.png', mimeType: 'image/png', buffer: png });
  const attachments = page.getByTestId('enterprise-attachments');
  await expect(attachments).toContainText('厂区.png');
  await expect(attachments).toContainText('厂区照片');
  await expect(attachments).toContainText('李四');
  await page.getByTestId('attachment-preview').click();
  await expect(page.getByTestId('attachment-image')).toBeVisible();
  expect(await page.getByTestId('attachment-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await page.keyboard.press('Escape');

  // A PDF previews in a frame from the host's path named for the file (CSP frame-src 'self'), so the
  // viewer's title and a tab opened on it say 营业执照.pdf, never a blob id; a browser without a PDF
  // viewer gets the file as a download instead.
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const pdf = onePagePdf();
  await page.locator('input[type=file][accept*=".png"]').setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(attachments).toContainText('营业执照.pdf');
  const viewer = await page.evaluate(() => navigator.pdfViewerEnabled);
  let address: string | undefined;
  const download = viewer ? null : page.waitForEvent('download');
  await page.getByTestId('attachment-preview').first().click();
  if (viewer) {
    const frame = page.getByTestId('attachment-pdf');
    await expect(frame).toHaveAttribute('src', new RegExp(`^/files/[\\w-]+/${encodeURIComponent('营业执照.pdf')}$`));
    address = new URL((await frame.getAttribute('src'))!, page.url()).href;
    // The viewer's address opened as a tab: it ends in the file's name and serves the file's bytes.
    const tab = await page.context().newPage();
    const opened = await tab.goto(address);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-type']).toBe('application/pdf');
    // (Chromium's viewer takes over the response stream: the bytes are read with a plain request.)
    expect(Buffer.compare(await (await page.request.get(address)).body(), pdf)).toBe(0);
    expect(decodeURIComponent(tab.url())).toMatch(/\/营业执照\.pdf$/);
    // What the user reads: Chromium's PDF viewer (an extension frame inside ours) titles its toolbar with the file's name.
    await expect.poll(() => page.frames().find((f) => f.url().startsWith('chrome-extension://'))?.locator('#title').textContent() ?? null).toBe('营业执照.pdf');
    // The same ticket under another name is not this file.
    expect((await tab.goto(address.replace(/[^/]+$/, encodeURIComponent('别的.pdf'))))?.status()).toBe(404);
    await tab.close();
  } else {
    const file = await download!;
    expect(file.suggestedFilename()).toBe('营业执照.pdf');
    expect(Buffer.compare(await readFile(await file.path()), pdf)).toBe(0);
  }
  expect(violations).toEqual([]);
  if (viewer) await page.keyboard.press('Escape');

  // A photo attached by mistake is removed, after a confirmation that names it.
  const photo = attachments.getByRole('row').filter({ hasText: '厂区.png' });
  await photo.getByTestId('attachment-remove').click();
  const confirm = page.getByRole('dialog').filter({ hasText: '移除附件「厂区.png」？' });
  await confirm.getByRole('button', { name: /移\s*除/ }).click();
  await expect(page.getByText('已移除「厂区.png」')).toBeVisible();
  await expect(attachments).not.toContainText('厂区.png');
  await expect(attachments).toContainText('营业执照.pdf');

  // Signed out, the viewer's link opens nothing any more.
  if (address !== undefined) {
    expect((await page.request.get(address)).status()).toBe(200);
    await logout(page);
    expect((await page.request.get(address)).status()).toBe(404);
  }
});
