import { noEnterpriseFlags, noGreenCredentials } from '../../shared/domain/enterprise.ts';
import { testUscc } from '../../shared/domain/testing.ts';
import { test, expect } from './fixtures.ts';
import { callApi, completeSetup, openSection, signInAsLoanOfficer } from './pages.ts';

// What a new branch hit on its first day (issue 12): county codes, required marks, the list's region column.

test('first run says why a county code is refused and names the county it accepts', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  const form = page.getByTestId('setup-form');
  const division = form.getByLabel('县级行政区划代码');
  await division.fill('360299');
  await expect(form.getByText('360299 不是现行的县级行政区划代码')).toBeVisible();
  await division.fill('360200');
  await expect(form.getByText('360200 是景德镇市的代码，请填写县级行政区划代码')).toBeVisible();
  await division.fill('360222');
  await expect(form.getByText('江西省 景德镇市 浮梁县')).toBeVisible();
  await expect(form.getByText(/不是现行的县级行政区划代码/)).toHaveCount(0);
  await completeSetup(page);
});

test('the list names the county; a program renamed .pdf is refused as not matching its name; the form marks required fields before saving', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);
  const seeded = await callApi(page, 'enterprises.create', {
    file: {
      identity: {
        uscc: testUscc(4242),
        usccCheckOverride: null,
        name: '浮梁县红茶有限公司',
        legalRepresentative: '张三',
        address: '江西省景德镇市浮梁县',
        divisionCode: '360222',
        contacts: [],
        industryCode: 'C1530',
        scale: 'small',
        ownership: 'private',
        employees: null,
      },
      greenCredentials: { ...noGreenCredentials, greenProducts: [] },
      flags: { ...noEnterpriseFlags },
    },
  });
  expect(seeded.ok, JSON.stringify(seeded)).toBe(true);
  await page.reload();
  const row = page.getByRole('row').filter({ hasText: '浮梁县红茶有限公司' });
  await expect(row).toContainText('360222 浮梁县');
  await expect(row).toContainText('江西省 景德镇市');

  // A program renamed .pdf: refused, saying that the content does not match the name.
  await row.click();
  await page.getByTestId('enterprise-tabs').getByRole('tab', { name: '附件' }).click();
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(256)]);
  await page.locator('input[type=file][accept*=".png"]').setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf', buffer: exe });
  await expect(page.locator('.ant-message')).toContainText('「营业执照.pdf」的内容不是 PDF 文件，与文件名不符，未上传');
  await expect(page.getByTestId('enterprise-attachments')).not.toContainText('营业执照.pdf');
  await openSection(page, '企业档案');

  await page.getByTestId('enterprise-create').click();
  const form = page.getByTestId('enterprise-form');
  // antd's required mark, shown from the start, not only after a failed save.
  for (const label of ['统一社会信用代码', '企业名称', '法定代表人', '地址', '所在县（行政区划代码）', '行业（GB/T 4754-2017）', '规模', '控股情况']) {
    await expect(form.locator('label.ant-form-item-required').filter({ hasText: new RegExp(`^${label}$`) }), label).toHaveCount(1);
  }
  await expect(form.locator('label.ant-form-item-required').filter({ hasText: /^从业人数$/ })).toHaveCount(0);
  await form.getByLabel('所在县（行政区划代码）').fill('360299');
  await expect(form.getByText('360299 不是现行的县级行政区划代码')).toBeVisible();
});

test('in English: the saved toast, history values, actor-free ids and dates, and whole sidebar labels', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await signInAsLoanOfficer(page);
  const created = await callApi<{ id: string }>(page, 'enterprises.create', {
    file: {
      identity: {
        uscc: testUscc(4343),
        usccCheckOverride: null,
        name: '浮梁县黄牌测试有限公司',
        legalRepresentative: '张三',
        address: '江西省景德镇市浮梁县',
        divisionCode: '360222',
        contacts: [],
        industryCode: 'C3012',
        scale: 'small',
        ownership: 'private',
        employees: null,
      },
      greenCredentials: { ...noGreenCredentials, greenProducts: [] },
      flags: { ...noEnterpriseFlags },
    },
  });
  expect(created.ok, JSON.stringify(created)).toBe(true);
  if (!created.ok) return;
  const rated = await callApi(page, 'enterprises.addRating', { enterpriseId: created.value.id, entry: { level: 'yellow', bureau: '景德镇市生态环境局', ratedOn: '2026-03-01' } });
  expect(rated.ok, JSON.stringify(rated)).toBe(true);

  await openSection(page, '设置');
  await page.getByTestId('locale-switch').getByText('English').click();
  // The toast speaks the language just chosen.
  await expect(page.locator('.ant-message').getByText('Saved', { exact: true })).toBeVisible();
  await expect(page.locator('.ant-message').getByText('已保存')).toHaveCount(0);

  // Every sidebar label fits (none is cut off with an ellipsis).
  const cut = await page
    .getByTestId('main-nav')
    .locator('.ant-menu-title-content')
    .evaluateAll((items) => items.filter((item) => item.scrollWidth > item.clientWidth).map((item) => item.textContent));
  expect(cut).toEqual([]);

  await openSection(page, 'Enterprise files');
  await page.getByRole('row').filter({ hasText: '浮梁县黄牌测试有限公司' }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByTestId('enterprise-history');
  await expect(history).toContainText('Result');
  await expect(history).toContainText('Yellow');
  await expect(history).not.toContainText('yellow');
  await expect(history).not.toContainText(created.value.id);
  await expect(history).not.toContainText('Enterprise:');
  // Instants as YYYY-MM-DD HH:mm:ss, Beijing time.
  await expect(history).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  await expect(history).not.toContainText(/\d{2}\/\d{2}\/\d{4}/);
});

test('an administrator sets the auto-lock minutes in Settings, within 1–240, and the change is audited', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await openSection(page, '设置');
  const card = page.getByTestId('auto-lock-card');
  const minutes = card.getByLabel('无操作多少分钟后锁定');
  await expect(minutes).toHaveValue('15');
  await minutes.fill('500');
  await card.getByTestId('auto-lock-save').click();
  // Refused on the field (zod's own zh-CN message names the bound), nothing saved.
  await expect(card.locator('.ant-form-item-explain-error')).toContainText('240');
  expect(await callApi(page, 'settings.get', {})).toMatchObject({ value: { idleLockMinutes: 15 } });
  await minutes.fill('30');
  await card.getByTestId('auto-lock-save').click();
  await expect(page.locator('.ant-message').getByText('已保存')).toBeVisible();
  expect(await callApi(page, 'session.get', {})).toMatchObject({ value: { idleLockMinutes: 30 } });
  await page.reload();
  await expect(page.getByTestId('auto-lock-card').getByLabel('无操作多少分钟后锁定')).toHaveValue('30');
  const audit = await callApi<{ entries: { recordType: string; after: unknown }[] }>(page, 'audit.list', { recordType: 'settings' });
  expect(JSON.stringify(audit)).toContain('"idleLockMinutes":30');
});
