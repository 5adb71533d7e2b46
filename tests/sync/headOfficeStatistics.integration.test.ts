import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, seededRandom, testUscc } from '../../shared/domain/testing.ts';
import type { GreenReport, GreenTagDetail, LoanDetail, SyncStatus, ThreeNotLowerView } from '../../shared/api/index.ts';
import { noBenefits, sumQuantities } from '../../shared/domain/environmentalBenefit.ts';
import { addFigures } from '../../shared/domain/greenLoanBook.ts';
import { threeNotLower } from '../../shared/domain/greenStatistics.ts';
import { headOfficeAdmin, headOfficePerson, type HeadOfficeLogin } from '../../server/testing/headOffice.ts';
import type { HeadOfficeGreenReport, HeadOfficeStatistics } from '../../server/statistics.ts';
import { consoleResultSchema, STATISTICS_EXPORT_PATH } from '../../shared/api/console.ts';
import { wanYuan } from '../../shared/node/workbook.ts';
import { admin, startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * Issue 18 acceptance 3: head office's cross-branch statistics equal the sum of two branches' own
 * laptop reports, on generated books (borrowers in counties shared across the branches, several
 * loans each, snapshots at the four days 三个不低于 reads and balances of 0, tags confirmed, draft or
 * without evidence), synced through a real hub process. Head office's figures are read as a
 * 总行查看 reads them, over the console's API and its export.
 */
const evidence = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (节能审查意见) >> endobj\n${'stream '.repeat(40)}\n%%EOF\n`).toString('base64');
const period = { kind: 'quarter', key: '2026Q3' } as const;
const days = ['2025-06-30', '2025-09-30', '2026-06-30', '2026-09-30'] as const;
const classes = ['normal', 'normal', 'normal', 'special_mention', 'substandard'] as const;
const industries = ['C3012', 'C1713', 'C3412', 'C1512'];

/** A branch's book entered through the host's own calls: files, loans with their snapshots, green tags. */
async function generateBook(laptop: Laptop, seed: number, counties: readonly string[]): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const { officer, manager } = laptop.sessions;
  const enterprises: string[] = [];
  for (let e = 0; e < 8; e += 1) {
    const file = sampleEnterpriseFile(`统计测试企业${seed}-${e}有限公司`, testUscc(seed * 100 + e), { divisionCode: pick(counties), industryCode: pick(industries) });
    enterprises.push((await value<{ id: string }>(laptop.dispatch('enterprises.create', { file }, officer))).id);
  }
  for (let l = 0; l < 16; l += 1) {
    // a quarter of the loans start this year (no balance last year)
    const first = l % 4 === 3 ? 2 : 0;
    const balance = () => (random() < 0.12 ? 0 : (10 + Math.floor(random() * 490)) * 10_000_00);
    const loan = await value<LoanDetail>(
      laptop.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber: `TJ${seed}-${l}`,
            enterpriseId: pick(enterprises),
            amount: 500 * 10_000_00,
            balance: balance(),
            balanceAsOf: days[first],
            disbursedOn: `${days[first]!.slice(0, 4)}-01-15`,
            maturesOn: '2029-12-31',
            rateBp: 345,
            classification: pick(classes),
            guaranteeMode: 'credit',
            status: 'outstanding',
            purpose: '技术改造',
          },
        },
        officer,
      ),
    );
    for (const day of days.slice(first + 1)) {
      await value(laptop.dispatch('loans.recordSnapshot', { loanId: loan.id, snapshot: { asOf: day, balance: balance(), classification: pick(classes) } }, officer));
    }
    if (random() < 0.2) continue; // not tagged
    // A project's figures, or none; its investment mostly above the loan, sometimes below a balance (no share then).
    const project = () => ({
      totalInvestment: pick([2_000, 2_000, 2_000, 300]) * 10_000_00,
      benefits: random() < 0.25 ? noBenefits : { ...noBenefits, coalSavedTce: pick(['1200', '35.5', '0.125']), co2ReducedT: random() < 0.5 ? null : '3120.4' },
    });
    const tag = await value<GreenTagDetail>(
      laptop.dispatch('green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: pick(['1', '2', '3']), ...project() } }, officer),
    );
    if (random() < 0.15) continue; // no evidence: prepared, never confirmed
    await value(laptop.dispatch('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: evidence }, officer));
    if (random() < 0.15) continue; // evidence, still a draft
    await value(laptop.dispatch('green.confirm', { id: tag.id, version: tag.version }, manager));
  }
}

/** A report's groups and totals, without the laptop's drill-down filters (head office has no loan list to open). */
function figures(report: GreenReport | HeadOfficeGreenReport) {
  const groups = (list: GreenReport['byCategory'] | HeadOfficeGreenReport['byCategory']) => list.map(({ key, name, loans, customers, balance }) => ({ key, name, loans, customers, balance }));
  return {
    asOf: report.asOf,
    totals: report.totals,
    book: report.book,
    byCategory: groups(report.byCategory),
    byFocusGroup: groups(report.byFocusGroup),
    byCounty: groups(report.byCounty),
    byClassification: groups(report.byClassification),
  };
}

/** Laptop reports added up key by key, as the bank's statistics must be. */
function summed(reports: readonly GreenReport[]) {
  const all = reports.map(figures);
  const add = (field: 'byCategory' | 'byFocusGroup' | 'byCounty' | 'byClassification') => {
    const byKey = new Map<string, { key: string; name: string; loans: number; customers: number; balance: number }>();
    for (const group of all.flatMap((report) => report[field])) {
      const line = byKey.get(group.key) ?? { ...group, loans: 0, customers: 0, balance: 0 };
      byKey.set(group.key, { ...line, loans: line.loans + group.loans, customers: line.customers + group.customers, balance: line.balance + group.balance });
    }
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  };
  return {
    totals: { loans: all.reduce((s, r) => s + r.totals.loans, 0), customers: all.reduce((s, r) => s + r.totals.customers, 0), balance: all.reduce((s, r) => s + r.totals.balance, 0) },
    totalBalance: all.reduce((s, r) => s + r.book.totalBalance, 0),
    byCategory: add('byCategory'),
    byFocusGroup: add('byFocusGroup'),
    byCounty: add('byCounty'),
    byClassification: add('byClassification'),
  };
}

describe('cross-branch statistics at head office', () => {
  let hub: HubProcess;
  let a: Laptop;
  let b: Laptop;
  let branchA: string;
  let branchB: string;
  let viewer: HeadOfficeLogin;
  const sync = async (laptop: Laptop) => {
    const status = await value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
    expect(status.lastError).toBeNull();
  };
  const statistics = async (query: string) => {
    const response = await fetch(new URL(`/console/api/statistics?${query}`, hub.url), { headers: { cookie: viewer.cookie } });
    return (await response.json()) as { ok: boolean; value?: HeadOfficeStatistics; error?: { code: string; message: string } };
  };

  beforeAll(async () => {
    hub = await startHub();
    const suffix = Date.now() % 100_000;
    ({ A: a } = await enrolledLaptops(hub, `统计测试甲支行${suffix}`, `TJ-A-${suffix}`, ['A']));
    ({ B: b } = await enrolledLaptops(hub, `统计测试乙支行${suffix}`, `TJ-B-${suffix}`, ['B']));
    await generateBook(a, 18_001, ['360222', '360281']);
    await generateBook(b, 18_002, ['360281', '430582']);
    await sync(a);
    await sync(b);
    const { branches } = await admin<{ branches: { id: string; name: string }[] }>(hub, '/admin/branches');
    branchA = branches.find((branch) => branch.name === `统计测试甲支行${suffix}`)!.id;
    branchB = branches.find((branch) => branch.name === `统计测试乙支行${suffix}`)!.id;
    viewer = await headOfficePerson(hub.url, await headOfficeAdmin(hub.url, hub.adminToken), 'ho_viewer', '统计查看员');
  }, 300_000);

  afterAll(async () => {
    a?.cleanup();
    b?.cleanup();
    await hub?.stop();
  });

  it('each branch’s figures are its laptop’s, and the bank’s are their sum', async () => {
    const laptopReports = await Promise.all([a, b].map((laptop) => value<GreenReport>(laptop.dispatch('stats.greenReport', { day: { asOf: '2026-09-30' } }, laptop.sessions.manager))));
    const laptopTests = await Promise.all([a, b].map((laptop) => value<ThreeNotLowerView>(laptop.dispatch('stats.threeNotLower', { period }, laptop.sessions.manager))));
    const answer = await statistics(`kind=quarter&key=2026Q3&branch=${branchA}&branch=${branchB}`);
    expect(answer.ok, JSON.stringify(answer.error)).toBe(true);
    // The answer is the contract's (shared/api/console.ts), as the console app parses it.
    expect(consoleResultSchema('statistics.get').safeParse(answer).error).toBeUndefined();
    const stats = answer.value!;
    expect(stats.branches.map((branch) => branch.branchId).sort()).toEqual([branchA, branchB].sort());

    for (const [i, branchId] of [branchA, branchB].entries()) {
      const branch = stats.branches.find((line) => line.branchId === branchId)!;
      expect(figures(branch.report)).toEqual(figures(laptopReports[i]!));
      expect(branch.threeNotLower.figures).toEqual(laptopTests[i]!.figures);
      for (const test of ['growth', 'increment', 'customers', 'share'] as const) expect(branch.threeNotLower[test]).toEqual(laptopTests[i]![test]);
      expect(branch.report.benefits).toEqual(laptopReports[i]!.benefits);
    }
    // The bank's benefits: each indicator's shares (exact decimals) and loans added over the two laptops' reports.
    expect(stats.bank.report.benefits).toEqual({
      totals: laptopReports[0]!.benefits.totals.map((line, i) => ({
        indicator: line.indicator,
        total: sumQuantities(laptopReports.map((report) => report.benefits.totals[i]!.total)),
        loans: laptopReports.reduce((sum, report) => sum + report.benefits.totals[i]!.loans, 0),
      })),
      notComputed: laptopReports.reduce((sum, report) => sum + report.benefits.notComputed, 0),
    });
    expect(stats.bank.report.benefits.totals.filter((line) => line.loans > 0).map((line) => line.indicator)).toEqual(['coalSavedTce', 'co2ReducedT']);
    expect(stats.bank.report.benefits.notComputed).toBeGreaterThan(0);

    const expected = summed(laptopReports);
    const bank = figures(stats.bank.report);
    expect(bank.totals).toEqual(expected.totals);
    expect(bank.book.totalBalance).toBe(expected.totalBalance);
    expect({ byCategory: bank.byCategory, byFocusGroup: bank.byFocusGroup, byCounty: bank.byCounty, byClassification: bank.byClassification }).toEqual({
      byCategory: expected.byCategory,
      byFocusGroup: expected.byFocusGroup,
      byCounty: expected.byCounty,
      byClassification: expected.byClassification,
    });
    const bankFigures = {
      base: addFigures(laptopTests.map((t) => t.figures.base)),
      end: addFigures(laptopTests.map((t) => t.figures.end)),
      lastYearBase: addFigures(laptopTests.map((t) => t.figures.lastYearBase)),
      lastYearEnd: addFigures(laptopTests.map((t) => t.figures.lastYearEnd)),
    };
    expect(stats.bank.threeNotLower).toEqual({ figures: bankFigures, ...threeNotLower(bankFigures) });

    // The county both branches lend in adds both branches' borrowers there.
    const shared = stats.counties.find((county) => county.divisionCode === '360281')!;
    expect(shared.name).toBe('江西省 景德镇市 乐平市');
    const sharedGreen = laptopReports.map((report) => report.byCounty.find((group) => group.key === '360281')?.balance ?? 0).reduce((s, v) => s + v, 0);
    expect(shared.threeNotLower.figures.end.greenBalance).toBe(sharedGreen);
    expect(stats.counties.map((county) => county.divisionCode)).toEqual(['360222', '360281', '430582']);

    // The generated books held what the test is about.
    expect(expected.totals.loans).toBeGreaterThan(10);
    expect(expected.byCategory.length).toBeGreaterThan(1);
    expect(laptopReports.every((report) => report.totals.loans < 16)).toBe(true); // some loans are not green
  });

  it('exports the 统计 page’s figures as .xlsx, for the bank or the branch the page is filtered to, and the export is audited', async () => {
    const get = (path: string) => fetch(new URL(path, hub.url), { headers: { cookie: viewer.cookie } });
    const href = `${STATISTICS_EXPORT_PATH}?kind=quarter&key=2026Q3`;
    const answer = await get(href);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toContain(encodeURIComponent('全行绿色信贷统计-2026年第3季度.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await answer.arrayBuffer());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['说明', '三个不低于', '各支行排名', '各县', '按绿色产业目录类别（期末）', '按五级分类（期末）', '按重点行业（期末）', '环境效益（本行份额）']);
    expect(workbook.getWorksheet('说明')!.getCell('A2').value).toBe('统计期：2026年第3季度（2026-07-01 至 2026-09-30）');

    // Every branch's line and the bank's are the API's figures, as numbers (万元 to the fen).
    const stats = (await statistics('kind=quarter&key=2026Q3')).value!;
    const branches = workbook.getWorksheet('各支行排名')!;
    expect(branches.getRow(1).getCell(3).value).toBe('绿色贷款余额（万元）');
    expect(branches.rowCount).toBe(stats.branches.length + 2);
    for (const [i, branch] of stats.branches.entries()) {
      const row = branches.getRow(i + 2);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(9).value]).toEqual([
        i + 1,
        branch.name,
        wanYuan(branch.threeNotLower.figures.end.greenBalance),
        wanYuan(branch.threeNotLower.figures.end.totalBalance),
        branch.threeNotLower.figures.end.greenCustomers,
      ]);
    }
    const bankRow = branches.getRow(stats.branches.length + 2);
    expect(bankRow.getCell(1).value).toBe('全行');
    expect(bankRow.getCell(3).value).toBe(wanYuan(stats.bank.threeNotLower.figures.end.greenBalance));
    const sheetSum = stats.branches.reduce((sum, _, i) => sum + Number(branches.getRow(i + 2).getCell(3).value), 0);
    expect(sheetSum).toBeCloseTo(Number(bankRow.getCell(3).value), 6);

    const tests = workbook.getWorksheet('三个不低于')!;
    const verdicts = [2, 3, 4, 6].map((r) => tests.getRow(r).getCell(5).value);
    const { growth, increment, customers, share } = stats.bank.threeNotLower;
    const words = { met: '达标', notMet: '未达标', notComputable: '无法计算' } as const;
    expect(verdicts).toEqual([growth, increment, customers, share].map((test) => words[test.verdict]));
    expect(tests.getRow(3).getCell(3).value).toBe(wanYuan(increment.current));

    const categories = workbook.getWorksheet('按绿色产业目录类别（期末）')!;
    expect(categories.rowCount).toBe(stats.bank.report.byCategory.length + 2);
    expect(categories.getRow(categories.rowCount).values).toEqual([undefined, '合计', stats.bank.report.totals.loans, stats.bank.report.totals.customers, wanYuan(stats.bank.report.totals.balance)]);

    const benefits = workbook.getWorksheet('环境效益（本行份额）')!;
    expect(benefits.getRow(2).values).toEqual([undefined, '节约标准煤', '吨标准煤', Number(stats.bank.report.benefits.totals[0]!.total), stats.bank.report.benefits.totals[0]!.loans]);
    expect(stats.bank.report.benefits.totals[0]!.loans).toBeGreaterThan(0);

    // Filtered to branch A, the export holds A alone, and its 全行 line is A's own figures.
    const filtered = new ExcelJS.Workbook();
    await filtered.xlsx.load(await (await get(`${href}&branch=${branchA}`)).arrayBuffer());
    const onlyA = filtered.getWorksheet('各支行排名')!;
    const a = stats.branches.find((line) => line.branchId === branchA)!;
    expect(onlyA.rowCount).toBe(3);
    expect([onlyA.getRow(2).getCell(2).value, onlyA.getRow(3).getCell(3).value]).toEqual([a.name, wanYuan(a.threeNotLower.figures.end.greenBalance)]);

    const audit = (await (await get('/console/api/audit')).json()) as { value: { rows: { action: string; after: string | null }[] } };
    const exports = audit.value.rows.filter((row) => row.action === 'statistics.export').map((row) => JSON.parse(row.after!) as { branches: number; branchIds?: string[] });
    expect(exports.map((row) => row.branchIds ?? null)).toEqual([[branchA], null]); // newest first
    expect((await get(`${STATISTICS_EXPORT_PATH}?kind=year&key=2099`)).status).toBe(400);
    expect((await fetch(new URL(href, hub.url))).status).toBe(401);
    // The HTML page and its export are gone: the app answers the page's path, the old export address is no route.
    expect((await get('/console/statistics/export.xlsx?kind=quarter&key=2026Q3')).headers.get('content-type')).not.toContain('spreadsheet');
  });

  it('refuses a period that has not ended, and a request without a session', async () => {
    const running = await statistics('kind=year&key=2099');
    expect(running).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(running.error!.message).toContain('尚未结束');
    const malformed = await statistics('kind=quarter&key=2026-07');
    expect(malformed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const anonymous = await fetch(new URL('/console/api/statistics?kind=quarter&key=2026Q3', hub.url));
    expect(anonymous.status).toBe(401);
  });

  it('a change synced later moves the kept figures: new quarter-end balances on a laptop', async () => {
    const earlier = (await statistics(`kind=quarter&key=2026Q3&branch=${branchA}&branch=${branchB}`)).value!;
    const kept = (stats: HeadOfficeStatistics, branchId: string) => stats.branches.find((line) => line.branchId === branchId)!;
    // The same day again replaces a loan's month-end entry: every loan of branch A gets a new balance on 2026-09-30.
    const { rows: loans } = await value<{ rows: { id: string }[] }>(a.dispatch('loans.list', { limit: 100 }, a.sessions.officer));
    expect(loans.length).toBe(16);
    for (const [i, loan] of loans.entries()) {
      await value(a.dispatch('loans.recordSnapshot', { loanId: loan.id, snapshot: { asOf: '2026-09-30', balance: i % 3 === 0 ? 0 : (100 + i * 10) * 10_000_00, classification: 'normal' } }, a.sessions.officer));
    }
    await sync(a);
    const [report, test] = await Promise.all([
      value<GreenReport>(a.dispatch('stats.greenReport', { day: { asOf: '2026-09-30' } }, a.sessions.manager)),
      value<ThreeNotLowerView>(a.dispatch('stats.threeNotLower', { period }, a.sessions.manager)),
    ]);
    const later = (await statistics(`kind=quarter&key=2026Q3&branch=${branchA}&branch=${branchB}`)).value!;
    expect(figures(kept(later, branchA).report)).toEqual(figures(report));
    expect(kept(later, branchA).threeNotLower.figures).toEqual(test.figures);
    expect(kept(later, branchA).report.benefits).toEqual(report.benefits);
    // The figures did move (and only A's, and only from the quarter's end on), and the bank's are still the branches' sum.
    expect(kept(later, branchA).threeNotLower.figures.end).not.toEqual(kept(earlier, branchA).threeNotLower.figures.end);
    expect(kept(later, branchA).threeNotLower.figures.base).toEqual(kept(earlier, branchA).threeNotLower.figures.base);
    expect(kept(later, branchB)).toEqual(kept(earlier, branchB));
    expect(later.bank.threeNotLower.figures.end).toEqual(addFigures(later.branches.map((branch) => branch.threeNotLower.figures.end)));
  });
});
