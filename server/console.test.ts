import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { registerExportPath } from '../shared/api/console.ts';
import { createHub, type Hub } from './hub.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';
import type { Storage } from './storage.ts';
import type { ConsoleRecord } from '../shared/api/console.ts';
import { HEAD_OFFICE_TEST_PASSWORD, headOfficeAdmin, headOfficePerson } from './testing/headOffice.ts';

const ADMIN = 'console-test-admin-token-0123456789';

type RegisterAnswer = {
  table: string;
  title: string;
  columns: { key: string; label: string; tags: boolean }[];
  states: { value: string; label: string }[];
  alerts: boolean;
  rows: { branchName: string; href: string; cells: string[]; alerts: { kind: string; text: string }[] }[];
  total: number;
  totalCapped: boolean;
};
/** A register row's cells by column key. */
const cellsOf = (page: RegisterAnswer, index: number) => Object.fromEntries(page.columns.map((column, i) => [column.key, page.rows[index]!.cells[i]]));

describe('head-office console pages', () => {
  let hub: Hub;
  let url: string;
  let cleanup: () => Promise<void>;
  let cookie = '';
  let laptopA: TestDevice;
  let storage: Storage;

  beforeAll(async () => {
    const opened = await testStorages()[0]!.open();
    cleanup = opened.cleanup;
    storage = opened.storage;
    hub = await createHub({ storage: opened.storage, adminToken: ADMIN });
    url = await hub.listen();
    const branch = valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: '浮梁县支行', code: 'FL-9', divisionCode: '360222' } }));
    const device = await TestDevice.enroll(url, ADMIN, branch.id, '笔记本 A');
    laptopA = device;
    await device.hello();
    // Each with a red rating record: head office derives the enterprise's rating from its records.
    const write = (name: string) => {
      const id = uuidv7();
      return [device.write('enterprises', id, 'insert', { name, industry_code: 'C3012' }), device.write('enterprise_ratings', uuidv7(), 'insert', { enterprise_id: id, level: 'red' })];
    };
    valueOf(await device.push([...write('华盛建材有限公司'), ...write('<script>alert(1)</script>有限公司')]));
    // A second branch with a credit application for one of its enterprises.
    const other = valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: '乐平市支行', code: 'LP-9', divisionCode: '360281' } }));
    const laptop = await TestDevice.enroll(url, ADMIN, other.id, '笔记本 B');
    await laptop.hello();
    const enterpriseId = uuidv7();
    valueOf(
      await laptop.push([
        laptop.write('enterprises', enterpriseId, 'insert', { name: '乐平市绿源环保有限公司', industry_code: 'C3012', miit_recommended: 1, miit_recommended_on: '2026-01-10', miit_batch: '第一批' }),
        laptop.write('credit_applications', uuidv7(), 'insert', { enterprise_id: enterpriseId, amount_fen: 350_000_000, purpose: '购置脱硫设备' }),
        laptop.write('loans', uuidv7(), 'insert', { enterprise_id: enterpriseId, loan_number: 'JK2026-LP0001' }),
        laptop.write('collateral_items', uuidv7(), 'insert', { enterprise_id: enterpriseId, certificate_number: '乐环排污〔2026〕7号' }),
      ]),
    );
  }, 180_000);

  afterAll(async () => {
    await hub.close();
    await cleanup();
  });

  const get = (path: string) => fetch(new URL(path, url), { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });

  const api = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(new URL(`/console/api/${path}`, url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(cookie === '' ? {} : { cookie }), ...(body === undefined ? {} : { 'content-type': 'application/json', origin: new URL(url).origin }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const apiValue = async <T,>(path: string): Promise<T> => {
    const answer = (await (await api(path)).json()) as { ok: boolean; value: T; error?: unknown };
    expect(answer.ok, JSON.stringify(answer.error)).toBe(true);
    return answer.value;
  };

  it('asks for a username and password, never the admin token, and signs in a named person', async () => {
    const anonymous = await api('session');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    // The admin token is no sign-in here, however it is sent.
    for (const attempt of [api('session', { token: ADMIN }), api('session', {}, { authorization: `Bearer ${ADMIN}` }), api('session', undefined, { authorization: `Bearer ${ADMIN}` })]) {
      const token = await attempt;
      expect([400, 401]).toContain(token.status);
      expect(token.headers.get('set-cookie')).toBeNull();
    }
    const admin = await headOfficeAdmin(url, ADMIN);
    const wrong = await api('session', { username: admin.username, password: 'Wrong-passw0rd' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { details: unknown } }).error.details).toMatchObject({ remainingAttempts: 4 });
    const right = await api('session', { username: admin.username, password: HEAD_OFFICE_TEST_PASSWORD });
    expect(right.status).toBe(200);
    expect(right.headers.get('set-cookie')).toMatch(/^gl_ho=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    const session = ((await right.json()) as { value: { csrfToken: string; user: { role: string } } }).value;
    expect(session.user.role).toBe('ho_admin');
    expect(JSON.stringify(session)).not.toContain(ADMIN);
    cookie = (right.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(await apiValue('session')).toMatchObject({ user: { username: admin.username }, csrfToken: session.csrfToken });
  });

  it('takes a cookie with a broken %-escape as signed out (found by the fuzz harness: it was a 500)', async () => {
    for (const path of ['/console/api/session', '/console/api/enterprises', '/console/api/registers/loans']) {
      const broken = await fetch(new URL(path, url), { headers: { cookie: 'gl_ho=%E0%A4%A' } });
      expect([path, broken.status]).toEqual([path, 401]);
    }
  });

  it('lists branches with devices and the cross-branch enterprise register, escaped', async () => {
    const { branches } = await apiValue<{ branches: { name: string; devices: { name: string }[] }[] }>('branches');
    expect(branches.find((branch) => branch.name === '浮梁县支行')?.devices.map((device) => device.name)).toEqual(['笔记本 A']);
    type Enterprises = { rows: { name: string; branchName: string; environmentalRating: string | null; href: string }[]; total: number };
    const found = await apiValue<Enterprises>('enterprises?q=%E5%8D%8E%E7%9B%9B');
    expect(found.total).toBe(1);
    expect(found.rows[0]).toMatchObject({ name: '华盛建材有限公司', branchName: '浮梁县支行', environmentalRating: 'red' });
    // The API carries the name as it is: the app's React escapes it as text.
    const all = await apiValue<Enterprises>('enterprises');
    expect(all.rows.map((row) => row.name)).toContain('<script>alert(1)</script>有限公司');
    // The page's address is the app's now (its index.html, or the not-built notice here): no data in it.
    expect(await (await get('/console/enterprises?q=%E5%8D%8E%E7%9B%9B')).text()).not.toContain('华盛建材');
    // A county narrows to its branches' files; a branch of another county leaves none.
    expect((await apiValue<Enterprises>('enterprises?county=360222')).total).toBe(2);
    expect((await apiValue<Enterprises>('enterprises?county=360281')).rows.map((row) => row.branchName)).toEqual(['乐平市支行']);
  });

  it('lists credit applications and loans across branches, with the enterprise and 优先; an unknown table is 404', async () => {
    // The app's navigation lists the registers whose table syncs; each one's page is registers.page.
    const { registers } = await apiValue<{ registers: { table: string; title: string }[] }>('registers');
    expect(registers).toContainEqual({ table: 'credit_applications', title: '授信申请' });
    const applications = await apiValue<RegisterAnswer>('registers/credit_applications');
    expect(applications).toMatchObject({ table: 'credit_applications', title: '授信申请', total: 1, totalCapped: false, alerts: false });
    expect(applications.states.map((state) => state.value)).toEqual(['escalated']);
    expect(applications.rows[0]!.branchName).toBe('乐平市支行');
    expect(cellsOf(applications, 0)).toMatchObject({ enterprise: '乐平市绿源环保有限公司', product: '流动资金贷款', amount: '350.00 万元', status: '调查中', priority: '优先', investigator: 'officer-1' });
    expect((await apiValue<RegisterAnswer>('registers/credit_applications?q=%E7%BB%BF%E6%BA%90')).total).toBe(1);
    expect(await apiValue<RegisterAnswer>('registers/credit_applications?q=%E5%8D%8E%E7%9B%9B')).toMatchObject({ total: 0, rows: [] });
    expect((await apiValue<RegisterAnswer>('registers/credit_applications?state=escalated')).total).toBe(0);
    const loans = await apiValue<RegisterAnswer>('registers/loans');
    expect(loans.rows[0]!.branchName).toBe('乐平市支行');
    expect(cellsOf(loans, 0)).toMatchObject({ loanNumber: 'JK2026-LP0001', enterprise: '乐平市绿源环保有限公司', amount: '50.00 万元', balance: '40.00 万元', classification: '正常', status: '未结清' });
    // The collateral register: type, values in 万元, rate, status and the maker in words (issue 15), with its alert filter.
    const collateral = await apiValue<RegisterAnswer>('registers/collateral_items');
    expect(collateral).toMatchObject({ title: '抵质押登记簿', alerts: true });
    expect(cellsOf(collateral, 0)).toMatchObject({ enterprise: '乐平市绿源环保有限公司', collateralType: '排污权', certificate: '乐环排污〔2026〕7号', appraised: '11.25 万元', pledgeRate: '80.00%', pledged: '9.00 万元', status: '待审批', maker: 'officer-1' });
    expect(collateral.columns.find((column) => column.key === 'alerts')?.tags).toBe(true);
    expect((await apiValue<RegisterAnswer>('registers/collateral_items?q=%E4%B9%90%E7%8E%AF%E6%8E%92%E6%B1%A1')).total).toBe(1);
    // A branch narrows the register to its rows; a county to its branches'.
    expect((await apiValue<RegisterAnswer>('registers/loans?county=360222')).total).toBe(0);
    expect((await apiValue<RegisterAnswer>('registers/loans?county=360281')).total).toBe(1);
    // Any registered table lists, by its stored columns when the console has no columns of its own for it.
    expect(await apiValue<RegisterAnswer>('registers/enterprise_financials')).toMatchObject({ total: 0, rows: [] });
    expect((await api('registers/users')).status).toBe(404);
    // The filters' branches and counties (区划 with the place's name).
    const filters = await apiValue<{ branches: { name: string; divisionCode: string }[]; counties: { code: string; place: string | null }[] }>('register-filters');
    expect(filters.branches.map((branch) => branch.name).sort()).toEqual(['乐平市支行', '浮梁县支行']);
    expect(filters.counties.map((county) => county.code)).toEqual(['360222', '360281']);
    expect(filters.counties[0]!.place).toContain('浮梁');
  });

  /** A synced row's key, as the registers link to its page. */
  const rowOf = async (table: string, where = 'TRUE') => {
    const [row] = await storage.query<{ branch_id: string; row_id: string }>(`SELECT branch_id::text AS branch_id, row_id::text AS row_id FROM sync_rows WHERE table_name = $1 AND ${where} ORDER BY updated_at LIMIT 1`, [table]);
    expect(row, table).toBeDefined();
    return row!;
  };

  it('gives a record’s page (records.get) with its fields and its history across devices; an unknown record is NOT_FOUND', async () => {
    const loan = await rowOf('loans');
    // The register links each row to its page in the app.
    expect((await apiValue<RegisterAnswer>('registers/loans')).rows.map((row) => row.href)).toContain(`/console/records/loans/${loan.branch_id}/${loan.row_id}`);
    const record = await apiValue<ConsoleRecord>(`records/loans/${loan.branch_id}/${loan.row_id}`);
    expect(record).toMatchObject({ table: 'loans', title: '借据', branchName: '乐平市支行', deleted: false, ratings: null });
    const summary = Object.fromEntries(record.summary.map((item) => [item.label, item.value]));
    expect(summary).toMatchObject({ 借据号: 'JK2026-LP0001', 企业: '乐平市绿源环保有限公司' });
    expect(record.fields).toContainEqual({ field: 'loan_number', value: 'JK2026-LP0001' });
    expect(record.history).toHaveLength(1);
    expect(record.history[0]).toMatchObject({ actor: 'device', deviceName: '笔记本 B', op: 'insert', status: 'applied', reason: null });
    expect(record.history[0]!.fields).toContainEqual({ field: 'loan_number', value: 'JK2026-LP0001' });
    // The change's own stamps are its time and person, not fields.
    expect(record.history[0]!.fields.map((item) => item.field)).not.toContain('updated_at');
    const file = await rowOf('enterprises', "data->>'name' = '华盛建材有限公司'");
    const enterprise = await apiValue<ConsoleRecord>(`records/enterprises/${file.branch_id}/${file.row_id}`);
    expect(enterprise.history.map((change) => change.deviceName)).toEqual(['笔记本 A']);
    expect(enterprise.fields).toContainEqual({ field: 'name', value: '华盛建材有限公司' });
    expect(enterprise.ratings?.map((rating) => rating.level)).toEqual(['red']);
    // Another branch's id with this row's id, a table that does not sync, a malformed id: no such record.
    for (const path of [`records/loans/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/${loan.row_id}`, `records/users/${loan.branch_id}/${loan.row_id}`, 'records/loans/x/y', `records/loans/${file.branch_id}/${loan.row_id}`]) {
      const answer = await api(path);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    // The page itself is the console app's: its index.html answers the address the registers link to
    // (503 in words where the app is not built), no longer a page of the hub's own.
    const page = await get(`/console/records/loans/${loan.branch_id}/${loan.row_id}`);
    expect([200, 503]).toContain(page.status);
    expect(await page.text()).not.toContain('JK2026-LP0001');
  });

  it('exports a register as the page filters it, as .xlsx, and the export is in the audit trail', async () => {
    // The app's export button is this GET with the page's query string (registerExportPath).
    const answer = await get(`${registerExportPath('loans')}?q=%E7%BB%BF%E6%BA%90`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toContain(encodeURIComponent('借据-'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await answer.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '支行', '借据号', '企业', '金额', '余额', '到期日', '五级分类', '状态', '记录编号']);
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(2).value).toBe('JK2026-LP0001');
    expect(sheet.getRow(2).getCell(4).value).toBe('50.00 万元');
    const none = await get(`${registerExportPath('loans')}?q=%E5%8D%8E%E7%9B%9B`);
    const empty = new ExcelJS.Workbook();
    await empty.xlsx.load(await none.arrayBuffer());
    expect(empty.worksheets[0]!.rowCount).toBe(1);
    const exported = (await apiValue<{ rows: { action: string; record_type: string; after: string | null }[] }>('audit')).rows.filter((row) => row.action === 'register.export');
    expect(exported.map((row) => [row.record_type, JSON.parse(row.after ?? '{}') as unknown])).toContainEqual(['loans', expect.objectContaining({ query: '绿源', rows: 1, total: 1 })]);
    expect((await get(registerExportPath('users'))).status).toBe(404);
    // Without a session there is no file.
    expect((await fetch(new URL(registerExportPath('loans'), url))).status).toBe(401);
  });

  it('lets a 总行审批人 record the bureau’s rating from a file’s page, through the apply path, audited, pulled by the laptop; others may not', async () => {
    const admin = await headOfficeAdmin(url, ADMIN);
    const approver = await headOfficePerson(url, admin, 'ho_approver', '王审批');
    const viewer = await headOfficePerson(url, admin, 'ho_viewer', '李查看');
    const file = await rowOf('enterprises', "data->>'name' = '华盛建材有限公司'");
    const path = `/console/api/records/enterprises/${file.branch_id}/${file.row_id}/ratings`;
    const post = (login: { cookie: string; csrf: string }, body: Record<string, string>, csrf = login.csrf) =>
      fetch(new URL(path, url), { method: 'POST', headers: { cookie: login.cookie, origin: new URL(url).origin, 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    const rating = { level: 'yellow', bureau: '浮梁县生态环境局', ratedOn: '2026-11-20' };
    const refused = await post(viewer, rating);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { details: unknown } }).error.details).toMatchObject({ reason: 'ROLE', permission: 'records.edit' });
    expect((await post(approver, rating, 'not-the-token')).status).toBe(403);
    const invalid = await post(approver, { ...rating, bureau: 'x' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string; details: { issues: { path: string[] }[] } } }).error).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: ['bureau'] }] } });
    // Another branch's id with the file's: no such file, nothing written.
    const elsewhere = await fetch(new URL(`/console/api/records/enterprises/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/${file.row_id}/ratings`, url), {
      method: 'POST',
      headers: { cookie: approver.cookie, origin: new URL(url).origin, 'content-type': 'application/json', 'x-csrf-token': approver.csrf },
      body: JSON.stringify(rating),
    });
    expect(elsewhere.status).toBe(404);
    const saved = await post(approver, rating);
    expect(saved.status).toBe(200);
    const after = ((await saved.json()) as { value: ConsoleRecord }).value;
    expect(after.ratings?.[0]).toMatchObject({ level: 'yellow', bureau: '浮梁县生态环境局', ratedOn: '2026-11-20', by: '王审批' });
    expect(after.ratings).toHaveLength(2);
    // The branch's laptop pulls the rating row head office wrote; the file's derived rating follows it.
    await laptopA.pull();
    const pulled = [...laptopA.rows.entries()].filter(([key, row]) => key.startsWith('enterprise_ratings/') && row.data.rated_on === '2026-11-20');
    expect(pulled).toHaveLength(1);
    expect(pulled[0]![1].data).toMatchObject({ level: 'yellow', rated_on: '2026-11-20', created_by: approver.userId });
    expect((await apiValue<{ rows: { environmentalRating: string | null }[] }>('enterprises?q=%E5%8D%8E%E7%9B%9B')).rows[0]?.environmentalRating).toBe('yellow');
    expect((await apiValue<{ rows: { action: string; user_id: string | null }[] }>('audit')).rows).toContainEqual(expect.objectContaining({ action: 'enterprise_rating.record', user_id: approver.userId }));
  });

  it('gives head office’s audit trail verified, newest first, with its export; a page past the end is empty, not an error', async () => {
    type AuditPage = { rows: { seq: number; action: string; user_name: string | null }[]; total: number; page: number; verification: { ok: boolean; checked: number } };
    const audit = await apiValue<AuditPage>('audit');
    expect(audit.verification).toMatchObject({ ok: true, checked: audit.total });
    // Newest first: the failed sign-in of the first test comes after (below) the good one.
    const actions = audit.rows.map((row) => row.action);
    expect(audit.rows.map((row) => row.seq)).toEqual([...audit.rows.map((row) => row.seq)].sort((a, b) => b - a));
    const failed = audit.rows.findIndex((row) => row.action === 'sign_in.failed');
    expect(failed).toBeGreaterThan(0);
    expect(audit.rows.slice(0, failed).map((row) => [row.action, row.user_name])).toContainEqual(['sign_in', audit.rows[failed]!.user_name]);
    expect(actions).toContain('head_office_user.create');
    const beyond = await apiValue<AuditPage>('audit?page=999');
    expect(beyond).toMatchObject({ rows: [], page: 999, total: audit.total });
    expect((await apiValue<AuditPage>('audit?page=x')).page).toBe(1);
    // The export the page links to is the trail as .xlsx, with the session's cookie alone (a GET).
    const xlsx = await get('/console/api/audit.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('reads a repeated or odd query parameter as none, not as a server error', async () => {
    for (const path of ['enterprises?q=a&q=b', 'registers/loans?q=a&q=b&page=x', 'enterprises?page=2.5&page=3', 'registers/collateral_items?alert=nonsense&county=12&branch=x']) {
      const answer = await api(path);
      expect([path, answer.status]).toEqual([path, 200]);
    }
    // An unknown alert reads as no alert filter: the whole register.
    expect((await apiValue<RegisterAnswer>('registers/collateral_items?alert=nonsense')).total).toBe(1);
  });

  it('refuses a NUL in a query or a body (found by the fuzz harness: PostgreSQL answered a 500)', async () => {
    for (const path of ['registers/green_factory_projects?state=overdue&q=%00', 'enterprises?q=a%00b', 'registers/loans/export.xlsx?q=%00']) {
      const answer = await api(path);
      expect([path, answer.status]).toEqual([path, 400]);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    }
    // The API's query strings are parsed by the contract: a NUL page is the first page.
    expect((await apiValue<{ page: number }>('approvals?page=%00')).page).toBe(1);
    const signIn = await api('session', { username: 'a\u0000b', password: 'x' });
    expect(signIn.status).toBe(400);
  });
});
