import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { LoanDetail, LoanImportMapping, LoanImportPreview, LoanImportResult, LoanSummary } from '../../../shared/api/loans.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import { encodeGbk, readXlsx, xlsxBase64 } from '../import/testFiles.ts';

/** Acceptance 3 of issue 13, and the import's promises, against the real host and its encrypted store. */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

/** A core-system export's headers, as an ABC county branch's 借据明细 has them. */
const HEADERS = ['借据号', '客户名称', '统一社会信用代码', '贷款金额', '贷款余额', '发放日', '到期日', '执行利率', '五级分类', '担保方式', '贷款用途'];
const BORROWERS = 50;
const LOANS = 5_000;
const CLASSES = ['正常', '正常', '正常', '正常', '关注', '次级类', '可疑', '损失'];
const GUARANTEES = ['信用', '保证', '抵押', '质押', '排污权质押', '抵押+保证'];

const borrowerName = (b: number) => `浮梁借款人${b}号有限公司`;
const loanNumber = (i: number) => `36022201${String(2024_000_000 + i)}`;

/** One row of the export: loan i of borrower i % 50; the balance depends on the export's day. */
function exportRow(i: number, day: 1 | 2): (string | number)[] {
  const b = i % BORROWERS;
  const amount = 100_000 + (i % 97) * 10_000;
  const repaid = day === 1 ? (i % 10) * 1_000 : (i % 10) * 1_000 + 5_000;
  return [
    loanNumber(i),
    borrowerName(b),
    testUscc(30_000 + b),
    amount,
    amount - repaid,
    `2024-${String(1 + (i % 12)).padStart(2, '0')}-15`,
    `2027-${String(1 + (i % 12)).padStart(2, '0')}-14`,
    (3.1 + (i % 20) * 0.05).toFixed(2),
    CLASSES[i % CLASSES.length]!,
    GUARANTEES[i % GUARANTEES.length]!,
    '流动资金周转',
  ];
}

/**
 * 5,000 rows, exactly 50 bad: 10 borrowers not on file, 10 loan numbers Excel turned into floats,
 * 10 balances over the amount, 10 maturities before disbursement, 5 unknown classes, 5 repeats of
 * an earlier loan number. Spreadsheet row = data index + 2.
 */
function exportRows(day: 1 | 2): { rows: (string | number)[][]; bad: Map<number, RegExp> } {
  const rows = Array.from({ length: LOANS }, (_, i) => exportRow(i, day));
  const bad = new Map<number, RegExp>();
  const mark = (start: number, count: number, change: (row: (string | number)[], k: number) => void, reason: (k: number) => RegExp) => {
    for (let k = 0; k < count; k += 1) {
      const i = start + k * 97;
      change(rows[i]!, k);
      bad.set(i + 2, reason(k));
    }
  };
  mark(
    3,
    10,
    (row, k) => {
      row[1] = `未建档企业${k}号有限公司`;
      row[2] = testUscc(90_000 + k);
    },
    (k) => new RegExp(`^借款企业未建档：未建档企业${k}号有限公司，${testUscc(90_000 + k)}；`),
  );
  mark(5, 10, (row) => (row[0] = '3.6022201202E+19'), () => /^借据号：被表格转成了科学计数法/);
  mark(7, 10, (row) => (row[4] = Number(row[3]) + 0.01), () => /^贷款余额：贷款余额不能大于贷款金额$/);
  mark(9, 10, (row) => (row[6] = '2023-12-31'), () => /^到期日：到期日应晚于发放日$/);
  mark(11, 5, (row) => (row[8] = '良好'), () => /^五级分类：无法识别「良好」，应为 正常、关注、次级、可疑 或 损失$/);
  mark(
    13,
    5,
    (row, k) => (row[0] = loanNumber(k)),
    (k) => new RegExp(`^借据号：与第 ${k + 2} 行重复$`),
  );
  return { rows, bad };
}

async function borrowersOnFile(host: Host): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let b = 0; b < BORROWERS; b += 1) {
    const detail = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile(borrowerName(b), testUscc(30_000 + b)) }, host.sessions.officer));
    ids.set(testUscc(30_000 + b), detail.id);
  }
  return ids;
}

const list = async (host: Host, input: object) => value<{ rows: LoanSummary[]; total: number; totalCapped: boolean }>(await host.dispatch('loans.list', input, host.sessions.officer));
const byNumber = async (host: Host, number: string) => {
  const { rows } = await list(host, { filter: { query: number } });
  expect(rows.map((r) => r.loanNumber)).toContain(number);
  return value<LoanDetail>(await host.dispatch('loans.get', { id: rows.find((r) => r.loanNumber === number)!.id }, host.sessions.officer));
};

describe('loan import from a core-system export (5,000 rows, 50 bad)', () => {
  let host: Host;
  let mapping: LoanImportMapping;
  let first: LoanImportResult;
  const day1 = exportRows(1);
  const day2 = exportRows(2);
  let file1: string;
  let file2: string;
  beforeAll(async () => {
    host = await hostWithUsers();
    await borrowersOnFile(host);
    file1 = await xlsxBase64([HEADERS, ...day1.rows]);
    file2 = await xlsxBase64([HEADERS, ...day2.rows]);
  }, 300_000);
  afterAll(() => host.cleanup());

  it('previews the export and maps the core system headers', async () => {
    const shown = value<LoanImportPreview>(await host.dispatch('loans.importPreview', { fileName: '借据明细.xlsx', contentBase64: file1 }, host.sessions.officer));
    expect(shown).toMatchObject({ headers: HEADERS, totalRows: LOANS, remembered: false });
    expect(shown.suggestedMapping).toEqual({
      loanNumber: '借据号',
      enterpriseName: '客户名称',
      uscc: '统一社会信用代码',
      amount: '贷款金额',
      balance: '贷款余额',
      disbursedOn: '发放日',
      maturesOn: '到期日',
      rate: '执行利率',
      classification: '五级分类',
      guaranteeMode: '担保方式',
      purpose: '贷款用途',
    });
    mapping = shown.suggestedMapping;
  });

  it('imports 4,950 loans and gives the 50 bad rows one reason each; borrowers not on file by name and USCC', async () => {
    first = value(await host.dispatch('loans.importRun', { fileName: '借据明细.xlsx', contentBase64: file1, mapping, asOf: '2025-06-30' }, host.sessions.officer));
    expect(first).toMatchObject({ imported: 4_950, updated: 0, unchanged: 0, snapshots: 4_950, asOf: '2025-06-30' });
    expect(first.rejected).toHaveLength(50);
    expect(first.rejected.map((r) => r.row).sort((a, b) => a - b)).toEqual([...day1.bad.keys()].sort((a, b) => a - b));
    for (const { row, reasons } of first.rejected) {
      expect(reasons, `row ${row}`).toHaveLength(1);
      expect(reasons[0], `row ${row}`).toMatch(day1.bad.get(row)!);
    }
    expect(first.unknownEnterprises).toHaveLength(10);
    expect(first.unknownEnterprises[0]).toEqual({ name: '未建档企业0号有限公司', uscc: testUscc(90_000), rows: [5] });
    expect(await list(host, { exactTotal: true, limit: 1 })).toMatchObject({ total: 4_950, totalCapped: false });
    const one = await byNumber(host, loanNumber(16));
    // Row 16: borrower 16, 100,000 + 16 × 10,000 元, 6,000 元 repaid; 次级类 (16 % 8 = 0 → 正常), 排污权质押 → env pledge.
    expect(one).toMatchObject({
      enterpriseName: borrowerName(16),
      amount: 26_000_000,
      balance: 25_400_000,
      balanceAsOf: '2025-06-30',
      disbursedOn: '2024-05-15',
      maturesOn: '2027-05-14',
      rateBp: 390,
      classification: 'normal',
      guaranteeMode: 'environmental_rights_pledge',
      status: 'outstanding',
    });
    expect(one.snapshots).toMatchObject([{ asOf: '2025-06-30', balance: 25_400_000, classification: 'normal' }]);
  }, 300_000);

  it('gives the rejected rows back as .xlsx, amounts as numbers and loan numbers as text', async () => {
    expect(first.rejectedFileName).toMatch(/^借据明细-未导入-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = await readXlsx(first.rejectedFileBase64!);
    expect(sheet[0]).toEqual([...HEADERS, '错误原因']);
    expect(sheet).toHaveLength(51);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(first.rejectedFileBase64!, 'base64') as unknown as ArrayBuffer);
    const row = workbook.worksheets[0]!.getRow(2);
    expect(row.getCell(1).value).toBe(loanNumber(3));
    expect(row.getCell(1).numFmt).toBe('@');
    expect(typeof row.getCell(4).value).toBe('number');
    expect(row.getCell(12).value).toMatch(/^借款企业未建档/);
  });

  it('updates instead of duplicating on re-import, and remembers the mapping', async () => {
    const again = value<LoanImportResult>(await host.dispatch('loans.importRun', { fileName: '借据明细.xlsx', contentBase64: file1, mapping, asOf: '2025-06-30' }, host.sessions.officer));
    expect(again).toMatchObject({ imported: 0, updated: 4_950, unchanged: 4_950 });
    expect(again.rejected).toHaveLength(50);
    expect((await list(host, { exactTotal: true, limit: 1 })).total).toBe(4_950);
    const snapshots = host.store.db.prepare('SELECT count(*) FROM loan_snapshots').pluck().get();
    expect(snapshots).toBe(4_950);
    const shown = value<LoanImportPreview>(await host.dispatch('loans.importPreview', { fileName: '七月.xlsx', contentBase64: file2 }, host.sessions.officer));
    expect(shown).toMatchObject({ remembered: true, suggestedMapping: mapping });
  }, 300_000);

  it('a second snapshot date updates the balances and keeps the first', async () => {
    const second = value<LoanImportResult>(await host.dispatch('loans.importRun', { fileName: '七月.xlsx', contentBase64: file2, mapping, asOf: '2025-07-31' }, host.sessions.officer));
    expect(second).toMatchObject({ imported: 0, updated: 4_950, unchanged: 0, snapshots: 4_950, asOf: '2025-07-31' });
    expect((await list(host, { exactTotal: true, limit: 1 })).total).toBe(4_950);
    const one = await byNumber(host, loanNumber(16));
    expect(one).toMatchObject({ balance: 24_900_000, balanceAsOf: '2025-07-31' });
    expect(one.snapshots.map((s) => [s.asOf, s.balance])).toEqual([
      ['2025-07-31', 24_900_000],
      ['2025-06-30', 25_400_000],
    ]);
    const perDay = host.store.db.prepare('SELECT as_of, count(*) AS n FROM loan_snapshots GROUP BY as_of ORDER BY as_of').all();
    expect(perDay).toEqual([
      { as_of: '2025-06-30', n: 4_950 },
      { as_of: '2025-07-31', n: 4_950 },
    ]);
    // An older export imported afterwards records its day and leaves the loan at the newer balance.
    const late = await xlsxBase64([HEADERS, exportRow(16, 1)]);
    const older = value<LoanImportResult>(await host.dispatch('loans.importRun', { fileName: '五月.xlsx', contentBase64: late, mapping, asOf: '2025-05-31' }, host.sessions.officer));
    expect(older).toMatchObject({ updated: 1, rejected: [] });
    const after = await byNumber(host, loanNumber(16));
    expect(after).toMatchObject({ balance: 24_900_000, balanceAsOf: '2025-07-31' });
    expect(after.snapshots.map((s) => s.asOf)).toEqual(['2025-07-31', '2025-06-30', '2025-05-31']);
    const history = value<{ recordType: string }[]>(await host.dispatch('records.history', { recordType: 'loans', recordId: after.id }, host.sessions.officer));
    expect(new Set(history.map((h) => h.recordType))).toEqual(new Set(['loans', 'loan_snapshots']));
  }, 300_000);
});

describe('loan import sources and rules', () => {
  let host: Host;
  beforeAll(async () => {
    host = await hostWithUsers();
    value(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县绿源茶业有限公司', testUscc(40_001)) }, host.sessions.officer));
  });
  afterAll(() => host.cleanup());

  const run = async (contentBase64: string, fileName: string, asOf = '2025-06-30', session = host.sessions.officer) => {
    const shown = value<LoanImportPreview>(await host.dispatch('loans.importPreview', { fileName, contentBase64 }, session));
    return { shown, result: value<LoanImportResult>(await host.dispatch('loans.importRun', { fileName, contentBase64, mapping: shown.suggestedMapping, asOf }, session)) };
  };

  it('reads a GBK CSV with amounts in 万元, rates with %, by borrower name only; infers settled from a zero balance', async () => {
    const csv = [
      '借据编号,借款人名称,贷款金额（万元）,贷款余额（万元）,放款日期,贷款到期日,年利率,风险分类,主要担保方式',
      'JK2025-0001,浮梁县绿源茶业有限公司,120.5,100.123456,2025/1/15,2026年1月14日,4.35%,关注二级,碳排放权质押',
      'JK2025-0002,浮梁县绿源茶业有限公司,50,0,20240301,20250301,3.45,正常,信用',
      'JK2025-0003,浮梁县绿源茶业有限公司,50,10,2024-03-01,2026-03-01,0.0435,正常,信用',
      'JK2025-0004,浮梁县绿源茶业有限公司,50,10,2024-03-01,2026-03-01,4.355,正常,信用',
    ].join('\r\n');
    const { shown, result } = await run(encodeGbk(csv).toString('base64'), '借据.csv');
    expect(shown.encoding).toBe('gbk');
    expect(result).toMatchObject({ imported: 2 });
    expect(result.rejected).toEqual([
      { row: 4, reasons: ['利率：「0.0435」无法判断是百分数还是小数，请写成百分数（如 4.35 或 4.35%）'] },
      { row: 5, reasons: ['利率：利率精确到 0.01%，现为「4.355」'] },
    ]);
    const green = await byNumber(host, 'JK2025-0001');
    expect(green).toMatchObject({ amount: 120_500_000, balance: 100_123_456, rateBp: 435, classification: 'special_mention', guaranteeMode: 'environmental_rights_pledge', disbursedOn: '2025-01-15', maturesOn: '2026-01-14' });
    expect(await byNumber(host, 'JK2025-0002')).toMatchObject({ balance: 0, status: 'settled' });
  });

  it('refuses a write-off by a loan officer and takes it from a credit manager', async () => {
    const headers = ['借据号', '客户名称', '贷款金额', '贷款余额', '发放日', '到期日', '利率', '五级分类', '担保方式', '借据状态'];
    const row = ['JK2025-0101', '浮梁县绿源茶业有限公司', 100_000, 0, '2023-01-01', '2024-01-01', 5.6, '损失', '保证', '已核销'];
    const file = await xlsxBase64([headers, row]);
    const byOfficer = await run(file, '核销.xlsx');
    expect(byOfficer.result.rejected).toEqual([{ row: 2, reasons: ['借据状态：核销须由信贷经理操作，该行未导入'] }]);
    const byManager = await run(file, '核销.xlsx', '2025-06-30', host.sessions.manager);
    expect(byManager.result).toMatchObject({ imported: 1, rejected: [] });
    // And a written-off loan stays written off.
    const back = await xlsxBase64([headers, [...row.slice(0, 9), '未结清']]);
    expect((await run(back, '改回.xlsx', '2025-07-31', host.sessions.manager)).result.rejected[0]!.reasons[0]).toMatch(/^保存失败：借据已核销，不能改为未结清$/);
  });

  it('refuses a file without a loan number column, naming it', async () => {
    const file = await xlsxBase64([['客户名称', '贷款余额'], ['浮梁县绿源茶业有限公司', 1]]);
    const answer = await host.dispatch('loans.importRun', { fileName: 'x.xlsx', contentBase64: file, mapping: { enterpriseName: '客户名称', balance: '贷款余额' }, asOf: '2025-06-30' }, host.sessions.officer);
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '请指定「借据号」所在的列：导入按它匹配已有借据' } });
  });
});
