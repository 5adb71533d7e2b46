import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleOutput, ReferencePreview, ReferenceProblem } from '../shared/api/console.ts';
import { createHub, type Hub } from './hub.ts';
import type { Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { headOfficeAdmin, headOfficePerson, type HeadOfficeLogin } from './testing/headOffice.ts';
import { testStorages } from './testing/storages.ts';

const ADMIN = 'test-admin-token-reference-console';
type SetAnswer = ConsoleOutput<'reference.get'>;
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

  interface Answer<T = unknown> {
    status: number;
    /** The hub's envelope; tests read what they expect and fail on what is missing. */
    body: { ok: boolean; value: T; error?: { code: string; message: string; details: { problems: ReferenceProblem[]; version?: number; baseVersion?: number } } };
  }
  const get = (path: string, who: HeadOfficeLogin) => fetch(new URL(path, url), { headers: { cookie: who.cookie } });
  const api = async <T = unknown,>(path: string, who: HeadOfficeLogin, body?: unknown, csrf = who.csrf): Promise<Answer<T>> => {
    const response = await fetch(new URL(`/console/api${path}`, url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? { cookie: who.cookie } : { cookie: who.cookie, origin: new URL(url).origin, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
  };
  const inForce = async (name: string) => Number((await storage.query<{ v: number | null }>('SELECT max(version) AS v FROM reference_sets WHERE name = $1', [name]))[0]?.v ?? 0);

  async function workbookOf(name: string, who: HeadOfficeLogin): Promise<ExcelJS.Workbook> {
    const response = await get(`/console/api/reference/${name}/workbook.xlsx`, who);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    return workbook;
  }

  async function upload(name: string, who: HeadOfficeLogin, workbook: ExcelJS.Workbook, csrf = who.csrf): Promise<Answer<ReferencePreview>> {
    const contentBase64 = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    return api<ReferencePreview>(`/reference/${name}/preview`, who, { kind: 'xlsx', fileName: '修改.xlsx', contentBase64 }, csrf);
  }

  const publish = (name: string, who: HeadOfficeLogin, preview: { data: unknown; baseVersion: number }) => api<{ name: string; version: number }>(`/reference/${name}`, who, { data: preview.data, baseVersion: preview.baseVersion, via: 'xlsx' });

  const setFactor = (workbook: ExcelJS.Workbook, key: string, value: string) => {
    const sheet = workbook.getWorksheet('折算系数')!;
    const keys = (sheet.getRow(2).values as string[]).slice(1);
    sheet.eachRow((row) => {
      if (row.getCell(keys.indexOf('key') + 1).value === key) row.getCell(keys.indexOf('value') + 1).value = value;
    });
  };

  it('lists every known set with its version in force and source, for any head-office role; the HTML pages are gone', async () => {
    const { status, body } = await api<ConsoleOutput<'reference.list'>>('/reference', viewer);
    expect(status).toBe(200);
    const names = body.value.sets.map((set) => set.name);
    for (const name of ['approval-authority', 'collateral-terms', 'benefit-factors', 'green-catalogue-2025']) expect(names).toContain(name);
    const terms = body.value.sets.find((set) => set.name === 'collateral-terms');
    expect(terms?.source).toContain('shared/reference');
    // Benefit factors name a source per factor, not one for the set.
    expect(body.value.sets.find((set) => set.name === 'benefit-factors')).toMatchObject({ source: null, entrySources: true });
    expect((await api('/reference/no-such-set', viewer)).status).toBe(404);
    expect((await fetch(new URL('/console/api/reference', url))).status).toBe(401);
    // The app answers the old page's address (its index.html, or the 503 without a build), never the old HTML.
    const old = await get('/console/reference/benefit-factors', viewer);
    expect(await old.text()).not.toContain('data-testid="in-force"');
    expect((await fetch(new URL('/console/reference/benefit-factors/upload', url), { method: 'POST', headers: { cookie: approver.cookie, origin: new URL(url).origin } })).status).toBe(404);
  });

  it('previews an edited sheet as a diff without publishing, publishes it audited, and a device pulls it and reports it applied', async () => {
    const device = await TestDevice.enroll(url, ADMIN, valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: `参考支行-${Math.random().toString(36).slice(2, 6)}`, code: `RF-${Math.random().toString(36).slice(2, 6)}`, divisionCode: '360222' } })).id);
    valueOf(await device.hello());
    await device.pull();
    const before = await inForce('benefit-factors');
    const workbook = await workbookOf('benefit-factors', approver);
    setFactor(workbook, 'coalKgcePerKg', '0.72');
    const shown = await upload('benefit-factors', approver, workbook);
    expect(shown.status).toBe(200);
    const preview = shown.body.value;
    expect(preview).toMatchObject({ baseVersion: before, nextVersion: before + 1, changed: true });
    const factors = preview.diff.find((table) => table.path === 'factors')!;
    expect(factors.changed).toEqual([expect.objectContaining({ changed: ['value'], before: expect.objectContaining({ key: 'coalKgcePerKg', value: '0.714' }), after: expect.objectContaining({ key: 'coalKgcePerKg', value: '0.72' }) })]);
    expect([factors.added, factors.removed]).toEqual([[], []]);
    // A preview publishes nothing.
    expect(await inForce('benefit-factors')).toBe(before);

    const published = await publish('benefit-factors', approver, preview);
    expect(published.status).toBe(200);
    expect(published.body.value).toMatchObject({ name: 'benefit-factors', version: before + 1 });
    expect(await inForce('benefit-factors')).toBe(before + 1);
    const [row] = await storage.query<{ data: { version: number; factors: { key: string; value: string }[] }; published_by: string }>('SELECT data, published_by FROM reference_sets WHERE name = $1 AND version = $2', ['benefit-factors', before + 1]);
    expect(row?.published_by).toBe('钱审批');
    expect(row?.data.version).toBe(before + 1);
    expect(row?.data.factors.find((factor) => factor.key === 'coalKgcePerKg')?.value).toBe('0.72');
    const [audit] = await storage.query<{ user_name: string; user_id: string; before: string; after: string }>("SELECT user_name, user_id, before, after FROM head_office_audit WHERE action = 'reference.publish' AND record_id = $1", [`benefit-factors@${before + 1}`]);
    expect(audit).toMatchObject({ user_name: '钱审批', user_id: approver.userId });
    expect(JSON.parse(audit!.after)).toEqual({ version: before + 1, via: 'console.xlsx' });

    // The same preview cannot be published twice: its base is no longer in force.
    const again = await publish('benefit-factors', approver, preview);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('CONFLICT');
    expect(await inForce('benefit-factors')).toBe(before + 1);

    const [pulled] = await device.pull();
    expect(pulled?.reference.find((set) => set.name === 'benefit-factors')?.version).toBe(before + 1);
    await device.pull();
    const set = (await api<SetAnswer>('/reference/benefit-factors', viewer)).body.value;
    expect(set.set).toMatchObject({ version: before + 1, publishedBy: '钱审批' });
    expect(set.history[0]).toMatchObject({ version: before + 1, publishedBy: '钱审批' });
    expect(set.applied.find((applied) => applied.branchName.startsWith('参考支行-'))?.version).toBe(before + 1);
  });

  it('previews tables edited on the page; money stays in 分 in the data and the workbook', async () => {
    const before = await inForce('approval-authority');
    const current = (await api<SetAnswer>('/reference/approval-authority', approver)).body.value;
    const parameters = current.tables.find((table) => table.path === null)!;
    expect(parameters.rows.find((row) => row.path === 'limits.county.credit_manager')?.value).toBe(300_000_000);
    const edited = current.tables.map((table) => ({
      path: table.path,
      rows: table.rows.map((row) => (row.path === 'limits.county.credit_manager' ? { ...row, value: '400000000' } : row.path === 'limits.county.branch_head' ? { ...row, value: 1_000_000_001 } : row)),
    }));
    const shown = await api<ReferencePreview>('/reference/approval-authority/preview', approver, { kind: 'tables', tables: edited });
    expect(shown.status).toBe(200);
    const changes = shown.body.value.diff.find((table) => table.path === null)!.changed;
    expect(changes.map((change) => [change.key, change.before.value, change.after.value])).toEqual(
      expect.arrayContaining([
        ['"limits.county.credit_manager"', 300_000_000, 400_000_000],
        ['"limits.county.branch_head"', 1_000_000_000, 1_000_000_001],
      ]),
    );
    const published = await api('/reference/approval-authority', approver, { data: shown.body.value.data, baseVersion: shown.body.value.baseVersion, via: 'edit' });
    expect(published.status).toBe(200);
    const [row] = await storage.query<{ data: { limits: { county: { credit_manager: number } } } }>('SELECT data FROM reference_sets WHERE name = $1 AND version = $2', ['approval-authority', before + 1]);
    expect(row?.data.limits.county.credit_manager).toBe(400_000_000);
    const sheet = (await workbookOf('approval-authority', approver)).getWorksheet('参数')!;
    let cell: unknown;
    sheet.eachRow((r) => {
      if (r.getCell(2).value === 'limits.county.credit_manager') cell = r.getCell(3).value;
    });
    expect(cell).toBe(400_000_000);
  });

  it('names the sheet, row and column of what the schema refuses, in Chinese, and publishes nothing', async () => {
    const before = await inForce('collateral-terms');
    const workbook = await workbookOf('collateral-terms', approver);
    const prices = workbook.getWorksheet('参考价格')!;
    prices.getRow(3).getCell((prices.getRow(2).values as string[]).indexOf('priceFen')).value = '很贵';
    const shown = await upload('collateral-terms', approver, workbook);
    expect(shown.status).toBe(400);
    expect(shown.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('「修改.xlsx」有 1 处问题，未发布') });
    expect(shown.body.error?.details.problems).toEqual([{ sheet: '参考价格', row: 3, column: expect.stringMatching(/^[A-Z]$/), field: '参考价格（分）', message: expect.stringContaining('无效输入') }]);
    expect(await inForce('collateral-terms')).toBe(before);

    // The same in the page's editor: the row of its table.
    const current = (await api<SetAnswer>('/reference/collateral-terms', approver)).body.value;
    const tables = current.tables.map((table) => ({ path: table.path, rows: table.path === 'referencePrices' ? table.rows.map((row, index) => (index === 0 ? { ...row, priceFen: '很贵' } : row)) : table.rows }));
    const edited = await api('/reference/collateral-terms/preview', approver, { kind: 'tables', tables });
    expect(edited.status).toBe(400);
    expect(edited.body.error?.details.problems).toEqual([expect.objectContaining({ sheet: '参考价格', row: 1, column: null, field: '参考价格（分）' })]);

    // Not a workbook at all, and a workbook with an unknown sheet.
    const junk = await api('/reference/collateral-terms/preview', approver, { kind: 'xlsx', fileName: 'x.xlsx', contentBase64: Buffer.from('not a zip').toString('base64') });
    expect(junk.status).toBe(400);
    expect(junk.body.error?.message).toContain('不是 .xlsx 工作簿');
    const stray = new ExcelJS.Workbook();
    stray.addWorksheet('随便');
    expect((await upload('collateral-terms', approver, stray)).body.error?.details.problems[0]).toMatchObject({ sheet: '随便', message: expect.stringContaining('不认识这个工作表') });
    // Input the contract refuses.
    expect((await api('/reference/collateral-terms/preview', approver, { kind: 'csv', fileName: 'x' })).status).toBe(400);
    expect((await api('/reference/collateral-terms/preview', approver, { kind: 'xlsx', fileName: 'x.xlsx', contentBase64: '***' })).status).toBe(400);
    expect(await inForce('collateral-terms')).toBe(before);
  });

  it('reads a green catalogue also from the catalogue’s own sheet (代码, 名称, 层级, 上级代码), naming a bad row', async () => {
    const sheetOf = (rows: (string | number)[][]) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('目录');
      sheet.addRow(['代码', '名称', '层级', '上级代码']);
      for (const row of rows) sheet.addRow(row);
      return workbook;
    };
    const shown = await upload('green-catalogue-2025', approver, sheetOf([['1', '节能降碳产业', '一级', ''], ['1.1', '节能降碳装备制造', '二级', '1']]));
    expect(shown.status).toBe(200);
    const entries = shown.body.value.diff.find((table) => table.path === 'entries')!;
    expect(entries.added).toEqual([expect.objectContaining({ code: '1.1', name: '节能降碳装备制造', level: 2, parent: '1' })]);
    expect(shown.body.value.data).toMatchObject({ source: expect.stringContaining('2025') });
    const bad = await upload('green-catalogue-2025', approver, sheetOf([['1', '节能降碳产业', '一级', ''], ['1.1', '节能降碳装备制造', '很高', '1']]));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details.problems).toEqual([{ sheet: '目录', row: 3, column: 'C', field: '层级', message: expect.stringContaining('无效输入') }]);
    // The catalogue's own rules (code depth, parent, duplicates) are worded in Chinese too.
    const wrong = await upload('green-catalogue-2025', approver, sheetOf([['1', '节能降碳产业', '一级', ''], ['1.1', '节能降碳装备制造', '三级', '1'], ['1.1', '重复', '二级', '1'], ['1.2', '错上级', '二级', '2']]));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.details.problems).toEqual([
      { sheet: '目录', row: 3, column: 'C', field: '层级', message: '层级 3 与代码 1.1 不符（应为第 2 级）' },
      { sheet: '目录', row: 4, column: 'A', field: '代码', message: '代码 1.1 重复' },
      { sheet: '目录', row: 5, column: 'D', field: '上级代码', message: '代码 1.2 的上级代码应为 1' },
    ]);
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
    const one = (await upload('greenwashing-bounds', approver, first)).body.value;
    const two = (await upload('greenwashing-bounds', approver, second)).body.value;
    expect((await publish('greenwashing-bounds', approver, one)).status).toBe(200);
    const refused = await publish('greenwashing-bounds', approver, two);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', details: { version: one.nextVersion, baseVersion: two.baseVersion } });
    const [row] = await storage.query<{ data: { source: string } }>('SELECT data FROM reference_sets WHERE name = $1 ORDER BY version DESC LIMIT 1', ['greenwashing-bounds']);
    expect(row?.data.source).toBe('总行 2026 年第一次修订');
    expect((await api<ConsoleOutput<'reference.list'>>('/reference', viewer)).body.value.sets.find((set) => set.name === 'greenwashing-bounds')?.source).toBe('总行 2026 年第一次修订');
  });

  it('a 总行查看 may read and download but not preview or publish; no preview without the CSRF token', async () => {
    const workbook = await workbookOf('approval-authority', viewer);
    const before = await inForce('approval-authority');
    const refused = await upload('approval-authority', viewer, workbook);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'ROLE', permission: 'reference.publish' } });
    const current = (await api<SetAnswer>('/reference/approval-authority', viewer)).body.value;
    expect((await publish('approval-authority', viewer, { data: shippedData(current.tables), baseVersion: before })).status).toBe(403);
    const [audited] = await storage.query<{ n: string | number }>("SELECT count(*) AS n FROM head_office_audit WHERE action = 'refused' AND record_id = 'reference.publish' AND user_id = $1", [viewer.userId]);
    expect(Number(audited?.n)).toBe(2);
    expect((await upload('approval-authority', approver, workbook, 'wrong-token')).status).toBe(403);
    expect(await inForce('approval-authority')).toBe(before);
  });
});

/** Any data: a refused publish never reaches the schema. */
const shippedData = (tables: unknown) => ({ tables });
