import { test, expect } from './fixtures.ts';
import { callApi, chooseOption, creditManager, dialogOpened, enterpriseFile as file, signInAsLoanOfficer, signInAsNewUser } from './pages.ts';
import { usccCheckCharacter } from '../../shared/domain/uscc.ts';
import type { Page } from '@playwright/test';

const withCheck = (first17: string) => first17 + usccCheckCharacter(first17);

async function search(page: Page, text: string) {
  await page.getByTestId('enterprise-search').fill(text);
}

test('an officer files an enterprise: a bad USCC is refused naming the check character; the saved file is found by name, initials and code', async ({ page, host }) => {
  // Setup, a new user, a file with a rating and a year of financials, five searches: about a minute
  // on its own, more than the default minute on a machine shared by several runs.
  test.setTimeout(120_000);
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);

  // Two neighbours, so that each search below has something to leave out.
  for (const [name, uscc] of [
    ['景德镇陶瓷有限公司', withCheck('91360200MA37K2X8P')],
    ['浮梁县红茶专业合作社', withCheck('93360222MA38A1B2C')],
  ] as const) {
    const created = await callApi(page, 'enterprises.create', { file: file(name, uscc) });
    expect(created.ok, JSON.stringify(created)).toBe(true);
  }
  await page.reload();
  await expect(page.getByTestId('enterprise-count')).toHaveText('共 2 家');

  // The form checks the code as it is typed and names the expected check character.
  await page.getByTestId('enterprise-create').click();
  const form = page.getByTestId('enterprise-form');
  const bad = '91350100M000100Y44';
  const expected = usccCheckCharacter(bad.slice(0, 17));
  expect(expected).not.toBe(bad.charAt(17));
  await form.getByLabel('统一社会信用代码').fill(bad.toLowerCase());
  await expect(form.getByLabel('统一社会信用代码')).toHaveValue(bad);
  await expect(form.getByText(`校验位应为 ${expected}`)).toBeVisible();
  // Saving is refused; the other empty fields say so too, and nothing is created.
  await page.getByTestId('enterprise-save').click();
  await expect(form.getByText(`校验位应为 ${expected}`)).toBeVisible();
  await expect(form.getByText('必填').first()).toBeVisible();
  await expect(form).toBeVisible();
  // A loan officer is not offered the credit manager's 特批.
  await expect(page.getByTestId('uscc-override')).toHaveCount(0);

  const uscc = withCheck('91360222MA35H7JC1');
  await form.getByLabel('统一社会信用代码').fill(uscc);
  await expect(form.getByText(/校验位应为/)).toHaveCount(0);
  await form.getByLabel('企业名称').fill('江西华盛建材有限公司');
  await form.getByLabel('法定代表人').fill('王建国');
  await form.getByLabel('地址').fill('江西省景德镇市浮梁县工业园区 8 号');
  // The county defaults to the branch's own (360222 from setup) and names it with its province and prefecture.
  await expect(form.getByLabel('所在县（行政区划代码）')).toHaveValue('360222');
  await expect(form.getByText('江西省 景德镇市 浮梁县')).toBeVisible();
  await chooseOption(page, form.getByTestId('industry-select'), 'C302', /^C302 /);
  await expect(form.getByText('属于重点行业：建材')).toBeVisible();
  await chooseOption(page, form.getByTestId('scale-select'), '', '小型');
  await chooseOption(page, form.getByTestId('ownership-select'), '', '私人控股');
  await page.getByTestId('enterprise-save').click();

  // Saved: the detail page shows the file with its tabs.
  await expect(page.getByTestId('enterprise-name')).toHaveText('江西华盛建材有限公司');
  await expect(page.getByTestId('enterprise-uscc')).toContainText(uscc);
  const tabs = page.getByTestId('enterprise-tabs');
  for (const tab of ['基本信息', '绿色资质', '环境信用', '财务与能耗', '附件', '变更记录', '借据', '抵质押物', '整改']) {
    await expect(tabs.getByRole('tab', { name: tab, exact: true })).toBeVisible();
  }
  await expect(tabs.getByRole('tab', { name: '抵质押物', exact: true })).not.toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByTestId('enterprise-basic')).toContainText('C302 石膏、水泥制品及类似制品制造');

  // An environmental credit rating becomes the file's plate.
  await tabs.getByRole('tab', { name: '环境信用' }).click();
  await page.getByTestId('rating-add').click();
  const rating = page.getByTestId('rating-dialog');
  // The test id sits on the modal's root, outside .ant-modal; its form (named rating) is inside.
  await dialogOpened(page, page.locator('form#rating'));
  await rating.getByRole('button', { name: /保\s*存/ }).click();
  await expect(rating.getByText('必填')).toHaveCount(3);
  await chooseOption(page, rating.getByTestId('rating-level'), '', '蓝牌 环保良好');
  await rating.getByLabel('发布机关').fill('景德镇市生态环境局');
  await rating.getByLabel('评价日期').fill('2024-06-30');
  await rating.getByLabel('评价日期').press('Enter');
  await rating.getByRole('button', { name: /保\s*存/ }).click();
  await expect(rating).toBeHidden();
  await expect(page.getByTestId('enterprise-ratings')).toContainText('2024-06-30');
  await expect(page.getByTestId('enterprise-detail').getByTestId('rating-plate').first()).toHaveText('蓝牌 环保良好');

  // A year of financials typed in 元 is shown in 万元.
  await tabs.getByRole('tab', { name: '财务与能耗' }).click();
  await page.getByTestId('financials-add').click();
  const dialog = page.getByTestId('financials-dialog');
  await dialog.getByLabel('营业收入').fill('12,345,678.90');
  await dialog.getByLabel('资产总额').fill('50000000');
  await dialog.getByLabel('负债总额').fill('20000000');
  await dialog.getByLabel('利润总额').fill('-1234.5');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByTestId('financials-table')).toContainText('1,234.57');
  await expect(page.getByTestId('financials-table')).toContainText('40.0%');

  await tabs.getByRole('tab', { name: '变更记录' }).click();
  await expect(page.getByTestId('enterprise-history')).toContainText('新增');

  // Back in the list, one box finds it by a name fragment, by pinyin initials and by USCC prefix.
  await page.getByTestId('enterprise-back').click();
  await expect(page.getByTestId('enterprise-count')).toHaveText('共 3 家');
  const rows = page.getByTestId('enterprise-row');
  for (const query of ['华盛建', 'HSJC', 'hsjc', uscc.slice(0, 12)]) {
    await search(page, query);
    await expect(page.getByTestId('enterprise-count'), query).toHaveText('共 1 家');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('江西华盛建材有限公司');
  }
  // A prefix shared by two of them finds both.
  await search(page, '913602');
  await expect(page.getByTestId('enterprise-count')).toHaveText('共 2 家');

  // A row opens its file.
  await search(page, 'HSJC');
  await expect(page.getByTestId('enterprise-count')).toHaveText('共 1 家');
  await rows.first().click();
  await expect(page.getByTestId('enterprise-name')).toHaveText('江西华盛建材有限公司');
});

test('a credit manager keeps a code that fails only its check character, with a reason; a stale edit is told and reloads', async ({ page, host }) => {
  // Setup, a new user, a file, a conflicting edit and a delete: more than a minute on a busy machine.
  test.setTimeout(120_000);
  await page.goto(host.launchUrl);
  await signInAsNewUser(page, creditManager);

  await page.getByTestId('enterprise-create').click();
  const form = page.getByTestId('enterprise-form');
  const printed = '91350100M000100Y44';
  const expected = usccCheckCharacter(printed.slice(0, 17));
  await form.getByLabel('统一社会信用代码').fill(printed);
  await expect(form.getByText(`校验位应为 ${expected}`)).toBeVisible();
  await page.getByTestId('uscc-override').check();
  await expect(form.getByText(`校验位应为 ${expected}，已申请特批保留`)).toBeVisible();
  await form.getByLabel('企业名称').fill('福州榕城食品有限公司');
  await form.getByLabel('法定代表人').fill('林国华');
  await form.getByLabel('地址').fill('福建省福州市鼓楼区');
  await form.getByLabel('所在县（行政区划代码）').fill('350102');
  await chooseOption(page, form.getByTestId('industry-select'), 'C14', /^C14 /);
  await chooseOption(page, form.getByTestId('scale-select'), '', '小型');
  await chooseOption(page, form.getByTestId('ownership-select'), '', '私人控股');
  // The reason is required.
  await page.getByTestId('enterprise-save').click();
  await expect(form.getByText('必填')).toBeVisible();
  await form.getByLabel('特批原因').fill('已核对营业执照原件，登记机关确认代码无误');
  await page.getByTestId('enterprise-save').click();
  await expect(page.getByTestId('enterprise-name')).toHaveText('福州榕城食品有限公司');
  await expect(page.getByTestId('enterprise-uscc')).toContainText(printed);
  await expect(page.getByTestId('enterprise-basic')).toContainText('已核对营业执照原件，登记机关确认代码无误');

  // Someone else saves a newer version while this user has the form open.
  await page.getByTestId('enterprise-edit').click();
  const id = page.url().split('/').pop()!;
  const current = await callApi<{ version: number; file: { identity: Record<string, unknown> } }>(page, 'enterprises.get', { id });
  if (!current.ok) throw new Error(current.error.message);
  const file = { ...current.value.file, identity: { ...current.value.file.identity, legalRepresentative: '林建平' } };
  expect((await callApi(page, 'enterprises.update', { id, version: current.value.version, file })).ok).toBe(true);

  await form.getByLabel('地址').fill('福建省福州市鼓楼区五四路 1 号');
  await page.getByTestId('enterprise-save').click();
  await expect(page.getByTestId('enterprise-conflict')).toContainText('该企业档案已被他人修改');
  await page.getByTestId('enterprise-reload').click();
  await expect(page.getByTestId('enterprise-conflict')).toHaveCount(0);
  await expect(form.getByLabel('法定代表人')).toHaveValue('林建平');
  await expect(form.getByLabel('地址')).toHaveValue('福建省福州市鼓楼区');
  await page.getByTestId('enterprise-save').click();
  await expect(form).toBeHidden();
  await expect(page.getByTestId('enterprise-basic')).toContainText('林建平');

  // A credit manager may delete a file, only with a reason; it leaves the list.
  await page.getByTestId('enterprise-remove').click();
  const dialog = page.getByTestId('enterprise-remove-dialog');
  await expect(dialog).toContainText('删除企业档案「福州榕城食品有限公司」？');
  await dialog.getByRole('button', { name: '删除档案' }).click();
  await expect(dialog.getByText('请填写删除原因（至少 4 个字）')).toBeVisible();
  await dialog.getByLabel('删除原因').fill('与另一份档案重复，保留先录入的一份');
  await dialog.getByRole('button', { name: '删除档案' }).click();
  await expect(page.getByText('已删除「福州榕城食品有限公司」')).toBeVisible();
  await expect(page.getByTestId('enterprise-list')).toBeVisible();
  await expect(page.getByTestId('enterprise-list')).not.toContainText('福州榕城食品有限公司');
});
