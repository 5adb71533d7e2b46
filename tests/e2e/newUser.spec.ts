import { noEnterpriseFlags, noGreenCredentials } from '../../shared/domain/enterprise.ts';
import { testUscc } from '../../shared/domain/testing.ts';
import { test, expect } from './fixtures.ts';
import { callApi, completeSetup, signInAsLoanOfficer } from './pages.ts';

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

test('the enterprise form marks required fields before saving; the list names the county', async ({ page, host }) => {
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
