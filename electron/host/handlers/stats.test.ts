import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GreenTagDetail } from '../../../shared/api/green.ts';
import type { LoanDetail } from '../../../shared/api/loans.ts';
import type { Result } from '../../../shared/api/result.ts';
import type { CollateralReport, Dashboard, GreenReport, RectificationReport, ThreeNotLowerView } from '../../../shared/api/stats.ts';
import { noBenefits } from '../../../shared/domain/environmentalBenefit.ts';
import { bookFigures, currentPeriod, periodBefore, periodBounds, threeNotLower, type StatLoan } from '../../../shared/domain/greenStatistics.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * Statistics through the real dispatch over a real encrypted store: loans entered and snapshotted by
 * hand, green tags prepared by an officer and confirmed by a manager, then 三个不低于, the green report,
 * its drill-down lists, the summaries, and the exports read back.
 */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;
const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};
const WAN = 1_000_000;
const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (环评批复) >> endobj\n${'stream data '.repeat(50)}\n%%EOF\n`).toString('base64');

interface LoanPlan {
  number: string;
  borrower: 'e1' | 'e2' | 'e3';
  /** [day, balance in 万元] in the order entered */
  snapshots: [string, number][];
  tag: null | { code: string; confirm: boolean; investment: number | null; co2: string | null };
}

// 2026Q3 against 2025Q3. g1 and g2 are green, n1 has no tag, d1 a draft tag only (not green).
const plans: LoanPlan[] = [
  { number: 'JK2025-0001', borrower: 'e1', snapshots: [['2025-06-30', 1000], ['2025-09-30', 1200], ['2026-06-30', 1500], ['2026-09-30', 2000]], tag: { code: '1', confirm: true, investment: 5000, co2: '3000' } },
  { number: 'JK2026-0002', borrower: 'e2', snapshots: [['2026-06-30', 300], ['2026-09-30', 500], ['2026-10-01', 900]], tag: { code: '2', confirm: true, investment: 400, co2: '10' } },
  { number: 'JK2025-0003', borrower: 'e3', snapshots: [['2025-06-30', 8000], ['2025-09-30', 8000], ['2026-06-30', 9000], ['2026-09-30', 9500]], tag: null },
  { number: 'JK2026-0004', borrower: 'e3', snapshots: [['2026-09-30', 100]], tag: { code: '3', confirm: false, investment: null, co2: null } },
];

describe('statistics and reports', () => {
  let host: Host;
  const borrowers: Record<string, string> = {};
  const loanIds: Record<string, string> = {};

  beforeAll(async () => {
    host = await hostWithUsers();
    const files = {
      e1: sampleEnterpriseFile('浮梁华盛建材有限公司', testUscc(17_001), { industryCode: 'C3012', divisionCode: '360222' }),
      e2: sampleEnterpriseFile('醴陵绿源食品有限公司', testUscc(17_002), { industryCode: 'C1431', divisionCode: '430582' }),
      e3: sampleEnterpriseFile('浮梁县永兴贸易有限公司', testUscc(17_003), { industryCode: 'F5123', divisionCode: '360222' }),
    };
    for (const [key, file] of Object.entries(files)) borrowers[key] = value<{ id: string }>(await host.dispatch('enterprises.create', { file }, host.sessions.officer)).id;
    for (const plan of plans) {
      const [first, ...rest] = plan.snapshots;
      const loan = value<LoanDetail>(
        await host.dispatch(
          'loans.create',
          {
            loan: {
              loanNumber: plan.number,
              enterpriseId: borrowers[plan.borrower],
              amount: 20_000 * WAN,
              balance: first![1] * WAN,
              balanceAsOf: first![0],
              disbursedOn: '2025-01-10',
              maturesOn: '2030-01-10',
              rateBp: 385,
              classification: 'normal',
              guaranteeMode: 'credit',
              status: 'outstanding',
              purpose: '技术改造',
            },
          },
          host.sessions.officer,
        ),
      );
      loanIds[plan.number] = loan.id;
      for (const [asOf, balance] of rest) value(await host.dispatch('loans.recordSnapshot', { loanId: loan.id, snapshot: { asOf, balance: balance * WAN, classification: 'normal' } }, host.sessions.officer));
      if (plan.tag === null) continue;
      const benefits = { ...noBenefits, co2ReducedT: plan.tag.co2 };
      const tag = value<GreenTagDetail>(
        await host.dispatch(
          'green.saveTag',
          { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: plan.tag.code, totalInvestment: plan.tag.investment === null ? null : plan.tag.investment * WAN, benefits } },
          host.sessions.officer,
        ),
      );
      value(await host.dispatch('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '环评批复.pdf', mime: 'application/pdf', contentBase64: pdf }, host.sessions.officer));
      if (plan.tag.confirm) value(await host.dispatch('green.confirm', { id: tag.id, version: tag.version }, host.sessions.manager));
    }
  });
  afterAll(() => host?.cleanup());

  /** The same book as the pure function sees it. */
  const model = (): StatLoan[] =>
    plans.map((plan) => ({
      loanId: plan.number,
      enterpriseId: plan.borrower,
      green: plan.tag?.confirm === true,
      snapshots: plan.snapshots.map(([asOf, balance], i) => ({ id: `${plan.number}-${i}`, asOf, balance: balance * WAN })),
    }));

  it('三个不低于 for 2026Q3 against 2025Q3, with the numbers used', async () => {
    const view = value<ThreeNotLowerView>(await host.dispatch('stats.threeNotLower', { period: { kind: 'quarter', key: '2026Q3' } }, host.sessions.officer));
    const q3 = periodBounds({ kind: 'quarter', key: '2026Q3' });
    const last = periodBounds({ kind: 'quarter', key: '2025Q3' });
    const figures = { base: bookFigures(model(), q3.base), end: bookFigures(model(), q3.end), lastYearBase: bookFigures(model(), last.base), lastYearEnd: bookFigures(model(), last.end) };
    expect(view.figures).toEqual(figures);
    expect(view).toMatchObject(threeNotLower(figures));
    // by hand: green 1,800 → 2,500 万元 (+38.89%), all 10,800 → 12,100 (+12.04%); last year green +200 万元
    expect(view.figures.end).toEqual({ totalBalance: 12_100 * WAN, greenBalance: 2_500 * WAN, greenLoans: 2, greenCustomers: 2 });
    expect(view.growth).toMatchObject({ verdict: 'met', green: { ratePercent: '38.89' }, all: { ratePercent: '12.04' } });
    expect(view.increment).toEqual({ verdict: 'met', current: 700 * WAN, lastYear: 200 * WAN });
    expect(view.customers).toEqual({ verdict: 'met', current: 2, lastYear: 1 });
    // 16.67% → 20.66%: +3.99 pp
    expect(view.share).toMatchObject({ verdict: 'met', basePercent: '16.67', endPercent: '20.66', changePp: '3.99' });
    // the loans behind each day's figure sum to it
    for (const slot of ['base', 'end', 'lastYearBase', 'lastYearEnd'] as const) {
      const list = value<{ total: number; balance: number; customers: number }>(await host.dispatch('stats.loans', { filter: view.loans[slot] }, host.sessions.officer));
      expect({ loans: list.total, balance: list.balance, customers: list.customers }).toEqual({ loans: view.figures[slot].greenLoans, balance: view.figures[slot].greenBalance, customers: view.figures[slot].greenCustomers });
    }
  });

  it('the green report as of a quarter end groups the green loans, each group’s drill-down list summing to it', async () => {
    const report = value<GreenReport>(await host.dispatch('stats.greenReport', { day: { period: { kind: 'quarter', key: '2026Q3' } } }, host.sessions.manager));
    expect(report.asOf).toBe('2026-09-30');
    expect(report.totals).toEqual({ loans: 2, customers: 2, balance: 2_500 * WAN });
    expect(report.book).toEqual({ totalBalance: 12_100 * WAN, sharePercent: '20.66' });
    expect(report.byCategory.map((g) => [g.key, g.name, g.balance])).toEqual([
      ['2025:1', '节能降碳产业', 2_000 * WAN],
      ['2025:2', '环境保护产业', 500 * WAN],
    ]);
    expect(report.byCounty.map((g) => [g.key, g.balance])).toEqual([
      ['360222', 2_000 * WAN],
      ['430582', 500 * WAN],
    ]);
    expect(report.byCounty[0]!.name).toContain('浮梁县');
    expect(report.byFocusGroup.map((g) => [g.key, g.name, g.balance])).toEqual([
      ['buildingMaterials', '建材', 2_000 * WAN],
      ['food', '食品', 500 * WAN],
    ]);
    expect(report.byClassification.map((g) => [g.key, g.loans])).toEqual([['normal', 2]]);
    // bank's share: g1 3000 t × 2,000 ÷ 5,000 = 1,200 t; g2's balance (500 万元) is above its investment (400): left out
    expect(report.benefits.totals.find((line) => line.indicator === 'co2ReducedT')).toEqual({ indicator: 'co2ReducedT', total: '1200', loans: 1 });
    expect(report.benefits.notComputed).toBe(1);
    for (const group of [...report.byCategory, ...report.byCounty, ...report.byFocusGroup, ...report.byClassification]) {
      const list = value<{ rows: { balance: number }[]; total: number; balance: number }>(await host.dispatch('stats.loans', { filter: group.loansFilter }, host.sessions.officer));
      expect({ total: list.total, balance: list.balance, rows: list.rows.reduce((sum, row) => sum + row.balance, 0) }).toEqual({ total: group.loans, balance: group.balance, rows: group.balance });
    }
    // a day later the 1 October snapshot of g2 counts
    const next = value<GreenReport>(await host.dispatch('stats.greenReport', { day: { asOf: '2026-10-01' } }, host.sessions.officer));
    expect(next.totals.balance).toBe(2_900 * WAN);
  });

  it('exports the green report as .xlsx whose totals are the host call’s, and as an A4 landscape PDF with the Chinese headings', async () => {
    const report = value<GreenReport>(await host.dispatch('stats.greenReport', { day: { asOf: '2026-09-30' } }, host.sessions.officer));
    const file = value<{ fileName: string; contentBase64: string }>(await host.dispatch('stats.export', { report: 'green', format: 'xlsx', day: { asOf: '2026-09-30' } }, host.sessions.officer));
    expect(file.fileName).toBe('绿色信贷统计表-2026-09-30.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('按区县')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '行政区划代码', '区县', '贷款笔数（笔）', '客户数（户）', '贷款余额（万元）']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.font?.bold).toBe(true);
    expect([last.getCell(3).value, last.getCell(4).value, Math.round(Number(last.getCell(5).value) * WAN)]).toEqual([report.totals.loans, report.totals.customers, report.totals.balance]);
    expect(last.getCell(5).numFmt).toBe('#,##0.00');
    for (const [index, group] of report.byCounty.entries()) expect(Math.round(Number(sheet.getRow(index + 2).getCell(5).value) * WAN)).toBe(group.balance);

    const pdfFile = value<{ fileName: string; contentBase64: string }>(await host.dispatch('stats.export', { report: 'green', format: 'pdf', day: { asOf: '2026-09-30' } }, host.sessions.officer));
    const dir = mkdtempSync(join(tmpdir(), 'gl-stats-'));
    try {
      const path = join(dir, 'report.pdf');
      writeFileSync(path, Buffer.from(pdfFile.contentBase64, 'base64'));
      const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      for (const heading of ['绿色信贷统计表', '按绿色金融支持项目目录分类', '按重点行业', '按区县', '按五级分类', '环境效益（本行份额）', '合计', '节能降碳产业']) expect(text).toContain(heading);
      expect(text).toContain(formatWanYuan(report.totals.balance));
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      // A4 landscape: 842 × 595 pt
      expect(info).toMatch(/Page size:\s+841\.\d+ x 594\.\d+ pts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('collateral and rectification summaries carry each line’s register filter, and the lists behind them agree', async () => {
    const users = value<{ id: string; username: string }[]>(await host.dispatch('users.list', {}, host.sessions.admin));
    const officerId = users.find((user) => user.username === 'officer')!.id;
    const facts = (measure: 'urge' | 'reduce_exit', deadline: string) => ({
      enterpriseId: borrowers.e3,
      category: 'environmental',
      source: 'penalty_decision',
      sourceReference: '浮环罚〔2026〕12号',
      sourceAuthority: '浮梁县生态环境局',
      sourceDate: '2026-05-20',
      foundOn: '2026-05-25',
      description: '废水总排口化学需氧量超标排放',
      requiredActions: '限期完成污水处理设施改造并经监测达标',
      deadline,
      measure,
      exposurePlan: [],
      officerId,
      monitoringVisitId: null,
    });
    value(await host.dispatch('cases.create', { facts: facts('urge', '2099-12-31') }, host.sessions.officer));
    value(await host.dispatch('cases.create', { facts: facts('urge', '2026-06-30') }, host.sessions.officer));
    const cases = value<RectificationReport>(await host.dispatch('stats.rectificationSummary', {}, host.sessions.officer));
    expect(cases.total).toMatchObject({ total: 2, open: 2, overdue: 1 });
    expect(cases.byMeasure.find((line) => line.measure === 'urge')!.counts).toMatchObject({ total: 2, overdue: 1 });
    for (const line of cases.byMeasure) {
      const list = value<{ total: number }>(await host.dispatch('cases.list', { filter: line.filter, exactTotal: true }, host.sessions.officer));
      expect(list.total).toBe(line.counts.total);
    }
    const collateral = value<CollateralReport>(await host.dispatch('stats.collateralSummary', {}, host.sessions.officer));
    expect(collateral.byType.reduce((sum, line) => sum + line.count, 0)).toBe(collateral.total.count);
    for (const line of [...collateral.byType, ...collateral.byHorizon]) {
      const list = value<{ total: number }>(await host.dispatch('collateral.list', { filter: line.filter, exactTotal: true }, host.sessions.officer));
      expect(list.total).toBe(line.count);
    }
    const file = value<{ fileName: string; contentBase64: string }>(await host.dispatch('stats.export', { report: 'rectification', format: 'xlsx' }, host.sessions.officer));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('按措施和状态')!;
    const totals = sheet.getRow(sheet.rowCount);
    expect(totals.getCell(1).value).toBe('合计');
    expect([totals.getCell(7).value, totals.getCell(8).value]).toEqual([cases.total.overdue, cases.total.total]);
  });

  it('the dashboard gives every figure with its list', async () => {
    const dashboard = value<Dashboard>(await host.dispatch('stats.dashboard', {}, host.sessions.officer));
    const today = dashboard.asOf;
    expect(dashboard.green.today).toEqual(bookFigures(model(), today));
    expect(dashboard.green.yearStart).toEqual(bookFigures(model(), `${Number(today.slice(0, 4)) - 1}-12-31`));
    const list = value<{ balance: number; total: number }>(await host.dispatch('stats.loans', { filter: dashboard.green.loans.today }, host.sessions.officer));
    expect(list).toMatchObject({ balance: dashboard.green.today.greenBalance, total: dashboard.green.today.greenLoans });
    expect(dashboard.alerts.overdueCases).toBe(1);
  });

  it('refuses a period that has not ended (the running quarter, month and year), as a report, 三个不低于 or an export', async () => {
    const now = new Date();
    for (const kind of ['quarter', 'month', 'year'] as const) {
      const period = currentPeriod(kind, now);
      const { end } = periodBounds(period);
      for (const [method, input] of [
        ['stats.greenReport', { day: { period } }],
        ['stats.threeNotLower', { period }],
        ['stats.export', { report: 'green', format: 'xlsx', day: { period } }],
      ] as const) {
        const result = await host.dispatch(method, input, host.sessions.manager);
        expect(result.ok, `${method} ${period.key}`).toBe(false);
        if (result.ok) continue;
        expect(result.error.code).toBe('VALIDATION');
        expect(result.error.details?.issues).toEqual([{ path: ['period'], code: 'PERIOD_NOT_ENDED', message: 'PERIOD_NOT_ENDED', params: { period: period.key, end } }]);
      }
    }
    // the one before the running quarter has ended and is answered
    const ended = value<GreenReport>(await host.dispatch('stats.greenReport', { day: { period: periodBefore(currentPeriod('quarter', now)) } }, host.sessions.manager));
    expect(ended.asOf).toBe(periodBounds(periodBefore(currentPeriod('quarter', now))).end);
  });
});

describe('a report over a large book', () => {
  let host: Host;
  beforeAll(async () => {
    host = await hostWithUsers();
    // 12,000 green loans written straight into the store (the dispatch path is the test above's):
    // more than two of the report's pages, so it must yield to other calls between them.
    const { db } = host.store;
    const stamp = `'b', 1, '2026-01-01T00:00:00.000Z', 'u', '2026-01-01T00:00:00.000Z', 'u'`;
    const loan = db.prepare(
      `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
       VALUES (?, ${stamp}, ?, ?, 2000000, ?, '2026-09-30', '2025-01-10', '2030-01-10', 385, 'normal', 'credit', 'outstanding')`,
    );
    const snapshot = db.prepare(`INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification) VALUES (?, ${stamp}, ?, '2026-09-30', ?, 'normal')`);
    const tag = db.prepare(
      `INSERT INTO green_tags (id, branch_id, version, created_at, created_by, updated_at, updated_by, owner_type, owner_id, catalogue_version, catalogue_code, evidence_attachment_ids, status, prepared_by, confirmed_by, confirmed_at)
       VALUES (?, ${stamp}, 'loan', ?, '2025', '1', '["a1"]', 'confirmed', 'u1', 'u2', '2026-01-02T00:00:00.000Z')`,
    );
    db.transaction(() => {
      for (let i = 0; i < 12_000; i += 1) {
        loan.run(`L${i}`, `JK${String(i).padStart(8, '0')}`, `E${i % 900}`, 1_000 + i);
        snapshot.run(`S${i}`, `L${i}`, 1_000 + i);
        tag.run(`T${i}`, `L${i}`);
      }
    })();
  });
  afterAll(() => host?.cleanup());

  it('keeps answering other calls while it runs, and reports its progress', async () => {
    const session = host.sessions.officer;
    const order: string[] = [];
    let finished = false;
    const report = host.dispatch('stats.greenReport', { day: { asOf: '2026-09-30' }, jobId: 'big-1' }, session).then((result) => {
      finished = true;
      order.push('report');
      return result;
    });
    const seen: { done: number; total: number }[] = [];
    while (!finished) {
      const progress = value<{ done: number; total: number } | null>(await host.dispatch('stats.progress', { jobId: 'big-1' }, session));
      if (progress !== null) seen.push(progress);
      const other = await host.dispatch('session.get', {}, session);
      expect(other.ok).toBe(true);
      if (!finished) order.push('other');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const result = value<GreenReport>(await report);
    expect(result.totals.loans).toBe(12_000);
    expect(result.totals.balance).toBe(12_000 * 1_000 + (11_999 * 12_000) / 2);
    expect(order.indexOf('other')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('report'));
    expect(seen.some((step) => step.total === 12_000 && step.done > 0 && step.done < step.total)).toBe(true);
    // the job is gone once its call answered
    expect(value(await host.dispatch('stats.progress', { jobId: 'big-1' }, session))).toBeNull();
  }, 60_000);
});
