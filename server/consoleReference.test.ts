import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from './hub.ts';
import type { Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { headOfficeAdmin, headOfficePerson, type HeadOfficeLogin } from './testing/headOffice.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'test-admin-token-reference-console';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(testStorages())('reference data in the head-office console on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let hub: Hub;
  let url: string;
  let approver: HeadOfficeLogin;
  let viewer: HeadOfficeLogin;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    hub = await createHub({ storage, adminToken: ADMIN });
    url = await hub.listen();
    const administrator = await headOfficeAdmin(url, ADMIN);
    approver = await headOfficePerson(url, administrator, 'ho_approver', '钱审批');
    viewer = await headOfficePerson(url, administrator, 'ho_viewer', '孙查看');
  });
  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  const get = (path: string, who: HeadOfficeLogin) => fetch(new URL(path, url), { headers: { cookie: who.cookie } });
  const inForce = async (name: string) => Number((await storage.query<{ v: number | null }>('SELECT max(version) AS v FROM reference_sets WHERE name = $1', [name]))[0]?.v ?? 0);

  async function workbookOf(name: string, who: HeadOfficeLogin): Promise<ExcelJS.Workbook> {
    const response = await get(`/console/reference/${name}/download.xlsx`, who);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    return workbook;
  }

  async function upload(name: string, who: HeadOfficeLogin, workbook: ExcelJS.Workbook, csrf = who.csrf): Promise<{ status: number; page: string }> {
    const form = new FormData();
    form.set('_csrf', csrf);
    form.set('file', new Blob([await workbook.xlsx.writeBuffer()], { type: XLSX }), '修改.xlsx');
    const response = await fetch(new URL(`/console/reference/${name}/upload`, url), { method: 'POST', headers: { cookie: who.cookie, origin: new URL(url).origin }, body: form });
    return { status: response.status, page: await response.text() };
  }

  async function publish(name: string, who: HeadOfficeLogin, draft: string): Promise<Response> {
    return fetch(new URL(`/console/reference/${name}/publish`, url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: who.cookie, origin: new URL(url).origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: who.csrf, draft }).toString(),
    });
  }

  const draftOf = (page: string) => /name="draft" value="([^"]+)"/.exec(page)?.[1] ?? '';

  const setFactor = (workbook: ExcelJS.Workbook, key: string, value: string) => {
    const sheet = workbook.getWorksheet('折算系数')!;
    const keys = (sheet.getRow(2).values as string[]).slice(1);
    sheet.eachRow((row) => {
      if (row.getCell(keys.indexOf('key') + 1).value === key) row.getCell(keys.indexOf('value') + 1).value = value;
    });
  };

  it('lists every known set with its version in force, for any head-office role', async () => {
    const response = await get('/console/reference', viewer);
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const title of ['审批权限（动态授权）', '押品参数（质押率上限、参考价格、重估周期）', '环境效益折算系数', '绿色产业指导目录（2025 年版）']) expect(page).toContain(title);
    expect((await fetch(new URL('/console/reference', url), { redirect: 'manual' })).status).toBe(303);
  });

  it('uploads an edited sheet, shows its diff, publishes it audited, and a device pulls it and reports it applied', async () => {
    const device = await TestDevice.enroll(url, ADMIN, valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: `参考支行-${Math.random().toString(36).slice(2, 6)}`, code: `RF-${Math.random().toString(36).slice(2, 6)}`, divisionCode: '360222' } })).id);
    valueOf(await device.hello());
    await device.pull();
    const before = await inForce('benefit-factors');
    const workbook = await workbookOf('benefit-factors', approver);
    setFactor(workbook, 'coalKgcePerKg', '0.72');
    const shown = await upload('benefit-factors', approver, workbook);
    expect(shown.status).toBe(200);
    expect(shown.page).toMatch(/<tr data-change="changed"><td>修改<\/td><td>coalKgcePerKg<\/td>.*<td class="changed"><del>0\.714<\/del> → <ins>0\.72<\/ins><\/td>/);
    expect(shown.page).toContain(`发布为 v${before + 1}`);

    const published = await publish('benefit-factors', approver, draftOf(shown.page));
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe(`/console/reference/benefit-factors?published=${before + 1}`);
    expect(await inForce('benefit-factors')).toBe(before + 1);
    const [row] = await storage.query<{ data: { version: number; factors: { key: string; value: string }[] }; published_by: string }>('SELECT data, published_by FROM reference_sets WHERE name = $1 AND version = $2', ['benefit-factors', before + 1]);
    expect(row?.published_by).toBe('钱审批');
    expect(row?.data.version).toBe(before + 1);
    expect(row?.data.factors.find((factor) => factor.key === 'coalKgcePerKg')?.value).toBe('0.72');
    const [audit] = await storage.query<{ user_name: string; user_id: string; before: string; after: string }>("SELECT user_name, user_id, before, after FROM head_office_audit WHERE action = 'reference.publish' AND record_id = $1", [`benefit-factors@${before + 1}`]);
    expect(audit).toMatchObject({ user_name: '钱审批', user_id: approver.userId });

    // The same draft cannot be published twice.
    expect((await publish('benefit-factors', approver, draftOf(shown.page))).status).toBe(409);

    const [pulled] = await device.pull();
    expect(pulled?.reference.find((set) => set.name === 'benefit-factors')?.version).toBe(before + 1);
    await device.pull();
    const setPage = await (await get('/console/reference/benefit-factors', viewer)).text();
    expect(setPage).toMatch(new RegExp(`<tr data-branch="参考支行-[a-z0-9]+"><td>[^<]+</td><td>[^<]+</td><td>v${before + 1}</td>`));
    expect(setPage).toContain('钱审批');
  });

  it('shows money fields of a diff in the console’s units, while the workbook keeps 分 both ways', async () => {
    const parameterRow = (workbook: ExcelJS.Workbook, path: string) => {
      let found: ExcelJS.Row | undefined;
      workbook.getWorksheet('参数')!.eachRow((row) => {
        if (row.getCell(2).value === path) found = row;
      });
      return found!;
    };
    const before = await inForce('approval-authority');
    const workbook = await workbookOf('approval-authority', approver);
    expect(parameterRow(workbook, 'limits.county.credit_manager').getCell(3).value).toBe(300_000_000);
    parameterRow(workbook, 'limits.county.credit_manager').getCell(3).value = 400_000_000;
    parameterRow(workbook, 'limits.county.branch_head').getCell(3).value = 1_000_000_001;
    const shown = await upload('approval-authority', approver, workbook);
    expect(shown.status).toBe(200);
    expect(shown.page).toMatch(/<td>审批限额 · 县支行 · 客户经理（limits\.county\.credit_manager）<\/td><td class="changed"><del>300\.00 万元<\/del> → <ins>400\.00 万元<\/ins><\/td>/);
    // A change below the 万元's two decimals is shown to the fen, not rounded away.
    expect(shown.page).toContain('<del>1,000.00 万元</del> → <ins>1,000.000001 万元</ins>');
    expect(shown.page).not.toContain('300000000');
    expect((await publish('approval-authority', approver, draftOf(shown.page))).status).toBe(303);
    const [row] = await storage.query<{ data: { limits: { county: { credit_manager: number } } } }>('SELECT data FROM reference_sets WHERE name = $1 AND version = $2', ['approval-authority', before + 1]);
    expect(row?.data.limits.county.credit_manager).toBe(400_000_000);
    expect(parameterRow(await workbookOf('approval-authority', approver), 'limits.county.credit_manager').getCell(3).value).toBe(400_000_000);

    // A unit price (分 per tonne) in 元, as the laptop's collateral form shows it.
    const terms = await workbookOf('collateral-terms', approver);
    const prices = terms.getWorksheet('参考价格')!;
    const priceColumn = (prices.getRow(2).values as string[]).indexOf('priceFen');
    expect(prices.getRow(3).getCell(priceColumn).value).toBe(9_749);
    prices.getRow(3).getCell(priceColumn).value = 10_050;
    const price = await upload('collateral-terms', approver, terms);
    expect(price.status).toBe(200);
    expect(price.page).toContain('<th>参考价格</th>');
    expect(price.page).toContain('<del>97.49 元</del> → <ins>100.50 元</ins>');
  });

  it('names the row and column of what the schema refuses, and publishes nothing', async () => {
    const before = await inForce('collateral-terms');
    const workbook = await workbookOf('collateral-terms', approver);
    const prices = workbook.getWorksheet('参考价格')!;
    prices.getRow(3).getCell((prices.getRow(2).values as string[]).indexOf('priceFen')).value = '很贵';
    const shown = await upload('collateral-terms', approver, workbook);
    expect(shown.status).toBe(400);
    expect(shown.page).toMatch(/工作表「参考价格」第 3 行 [A-Z] 列（参考价格（分））：无效输入/);
    expect(shown.page).not.toContain('name="draft"');
    expect(await inForce('collateral-terms')).toBe(before);
  });

  it('refuses a publish whose base was superseded meanwhile', async () => {
    const first = await workbookOf('greenwashing-bounds', approver);
    const second = await workbookOf('greenwashing-bounds', approver);
    first.getWorksheet('参数')!.eachRow((row) => {
      if (row.getCell(2).value === 'source') row.getCell(3).value = '总行 2026 年第一次修订';
    });
    second.getWorksheet('参数')!.eachRow((row) => {
      if (row.getCell(2).value === 'source') row.getCell(3).value = '总行 2026 年第二次修订';
    });
    const one = draftOf((await upload('greenwashing-bounds', approver, first)).page);
    const two = draftOf((await upload('greenwashing-bounds', approver, second)).page);
    expect((await publish('greenwashing-bounds', approver, one)).status).toBe(303);
    const refused = await publish('greenwashing-bounds', approver, two);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('在您核对期间已有人发布了');
  });

  it('a 总行查看 may read and download but not upload or publish; no upload without the CSRF token', async () => {
    const workbook = await workbookOf('approval-authority', viewer);
    const before = await inForce('approval-authority');
    const setPage = await (await get('/console/reference/approval-authority', viewer)).text();
    expect(setPage).not.toContain('enctype="multipart/form-data"');
    expect(setPage).toContain('您的角色只能查看');
    const refused = await upload('approval-authority', viewer, workbook);
    expect(refused.status).toBe(403);
    expect((await publish('approval-authority', viewer, 'any-draft')).status).toBe(403);
    const [audited] = await storage.query<{ n: string | number }>("SELECT count(*) AS n FROM head_office_audit WHERE action = 'refused' AND record_id = 'reference.publish' AND user_id = $1", [viewer.userId]);
    expect(Number(audited?.n)).toBe(2);
    expect((await upload('approval-authority', approver, workbook, 'wrong-token')).status).toBe(403);
    expect(await inForce('approval-authority')).toBe(before);
  });
});
