import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseListFilter, CollateralListFilter, Dashboard, MethodName, StatLoanFilter } from '../../../shared/api/index.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { noBenefits } from '../../../shared/domain/environmentalBenefit.ts';
import { caseStatuses } from '../../../shared/domain/rectification.ts';
import { seededRandom } from '../../../shared/domain/testing.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * The dashboard (issue 17 acceptance 2) on generated data through the host's own dispatch over a real
 * encrypted database: every figure stats.dashboard gives equals the sum over the list its click
 * opens — the green loans of stats.loans, the collateral register, the case register — read page by
 * page as the screens read them, not from the lists' own totals.
 */
type Session = { sessionId: string };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');

describe('every dashboard figure equals the sum over its drill-down list', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  let officerId = '';
  const random = seededRandom(1717);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const value = async <T,>(method: MethodName, input: unknown, session: Session): Promise<T> => {
    const result = await host.dispatch(method, input as never, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.details)}`);
    return result.value as T;
  };
  /** Every row of a paged list, page by page (small pages, so paging is exercised). */
  async function all<Row>(method: MethodName, input: Record<string, unknown>): Promise<Row[]> {
    const rows: Row[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = await value<{ rows: Row[] }>(method, { ...input, offset, limit: 7 }, host.sessions.manager);
      rows.push(...page.rows);
      if (page.rows.length < 7) return rows;
    }
  }

  beforeAll(async () => {
    host = await hostWithUsers();
    officerId = (await value<{ user: { id: string } }>('session.get', {}, host.sessions.officer)).user.id;
    const officer = host.sessions.officer;
    const manager = host.sessions.manager;
    const today = shanghaiDate(host.ctx.now());
    const lastYear = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const yearStart = `${Number(today.slice(0, 4)) - 1}-12-31`;
    const enterprises: string[] = [];
    for (let i = 0; i < 10; i += 1) enterprises.push((await value<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile(`浮梁县绿源${i}号科技有限公司`, testUscc(9_300 + i)) }, officer)).id);

    // Loans disbursed before last year's same day, balances moving through three snapshots; about half tagged green and confirmed.
    for (let i = 0; i < 24; i += 1) {
      const amount = (50 + Math.floor(random() * 950)) * 1_000_000;
      const loan = await value<{ id: string }>(
        'loans.create',
        {
          loan: {
            loanNumber: `JK-DB-${1000 + i}`,
            enterpriseId: pick(enterprises),
            amount,
            balance: amount,
            balanceAsOf: addDays(lastYear, -30),
            disbursedOn: addDays(lastYear, -60),
            maturesOn: addDays(today, 700),
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'credit',
            status: 'outstanding',
            purpose: '节能技术改造',
          },
        },
        officer,
      );
      for (const day of [lastYear, yearStart, today]) {
        if (random() < 0.2) continue;
        const balance = Math.floor(amount * (0.3 + random() * 0.7));
        await value('loans.recordSnapshot', { loanId: loan.id, snapshot: { asOf: day, balance, classification: pick(['normal', 'normal', 'special_mention', 'substandard'] as const) } }, officer);
      }
      if (random() < 0.55) {
        const tag = await value<{ id: string }>(
          'green.saveTag',
          { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: pick(['1', '2', '3']), totalInvestment: amount * 3, benefits: { ...noBenefits, coalSavedTce: '120' } } },
          officer,
        );
        await value('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: PDF }, officer);
        if (random() < 0.85) {
          const current = await value<{ version: number }>('green.tag', { ownerType: 'loan', ownerId: loan.id }, manager);
          await value('green.confirm', { id: tag.id, version: current.version }, manager);
        }
      }
    }

    // Collateral in several types and statuses, some ending within 30 days.
    const details = [
      { type: 'emission_right', pollutant: 'cod', quantity: '12', unit: 't/yr' },
      { type: 'emission_right', pollutant: 'so2', quantity: '30', unit: 't/yr' },
      { type: 'water_right', quantity: '50000', unit: 'm3/yr' },
    ];
    for (let i = 0; i < 14; i += 1) {
      const detail = pick(details);
      const created = await value<{ id: string; version: number }>(
        'collateral.create',
        {
          submit: random() < 0.85,
          item: {
            enterpriseId: pick(enterprises),
            details: detail,
            certificateNumber: `浮环权证〔2026〕${900 + i}号`,
            certificateIssuer: '景德镇市生态环境局浮梁分局',
            validity: { from: addDays(today, -400), to: addDays(today, random() < 0.3 ? 20 : 1_500) },
            valuation: { method: 'quantity_price', unitPriceFen: 100_000 + Math.floor(random() * 300_000), basis: 'per_unit_year', appraisedOn: today, appraiser: '江西中信评估有限公司' },
            pledgeRateBp: 5_000 + Math.floor(random() * 20) * 100,
          },
        },
        officer,
      ).catch(() => null);
      if (created === null) continue;
      const roll = random();
      if (roll < 0.25) continue;
      const decided = await value<{ id: string; version: number; status: string }>('collateral.act', { id: created.id, version: created.version, action: roll < 0.4 ? 'reject' : 'approve', ...(roll < 0.4 ? { reason: '估值依据不足' } : {}) }, manager).catch(() => null);
      if (decided === null || decided.status !== 'approved' || random() < 0.3) continue;
      await value(
        'collateral.act',
        { id: decided.id, version: decided.version, action: 'register', registration: { registry: '江西省排污权交易中心', registrationNumber: `JXPW-DB-${i}`, registeredOn: addDays(today, -100), expiresOn: addDays(today, random() < 0.5 ? 10 : 900) } },
        officer,
      );
    }

    // Cases under each measure, some overdue, some submitted and closed.
    for (let i = 0; i < 12; i += 1) {
      const facts = {
        enterpriseId: pick(enterprises),
        category: pick(['environmental', 'work_safety', 'occupational_health'] as const),
        source: 'inspection',
        sourceReference: null,
        sourceAuthority: null,
        sourceDate: null,
        foundOn: addDays(today, -90),
        description: `现场检查发现问题（${i}）`,
        requiredActions: '限期整改并报送整改材料',
        deadline: addDays(today, random() < 0.4 ? -10 : 60),
        measure: pick(['urge', 'urge', 'reduce_exit', 'collect_dispose'] as const),
        exposurePlan: [] as { date: string; targetFen: number }[],
        officerId,
      };
      // A 压缩退出 case opens only with its exposure-reduction plan (cases.create refuses it otherwise).
      if (facts.measure === 'reduce_exit') facts.exposurePlan = [{ date: addDays(today, 90), targetFen: 1_000_000 }];
      let item = await value<{ id: string; version: number }>('cases.create', { facts }, officer);
      const roll = random();
      if (roll < 0.3) continue;
      if (roll < 0.5) {
        await value('cases.act', { id: item.id, version: item.version, action: 'start' }, officer);
        continue;
      }
      await value('attachments.add', { ownerType: 'rectification_cases', ownerId: item.id, fileName: '整改报告.pdf', mime: 'application/pdf', contentBase64: PDF }, officer);
      item = await value('cases.act', { id: item.id, version: item.version, action: 'submit' }, officer);
      if (roll < 0.8) await value('cases.act', { id: item.id, version: item.version, action: 'verify', note: '经现场核实，整改到位' }, manager);
    }
  }, 120_000);
  afterAll(() => host?.cleanup());

  it('green loans: balance, count and customers on each day equal the loans listed behind them', async () => {
    const board = await value<Dashboard>('stats.dashboard', {}, host.sessions.manager);
    const days = [
      [board.green.today, board.green.loans.today],
      [board.green.yearStart, board.green.loans.yearStart],
      [board.green.sameDayLastYear, board.green.loans.sameDayLastYear],
    ] as const;
    for (const [figures, filter] of days) {
      const rows = await all<{ balance: number; enterpriseId: string }>('stats.loans', { filter: filter satisfies StatLoanFilter });
      expect({ day: filter.asOf, balance: rows.reduce((sum, row) => sum + row.balance, 0), loans: rows.length, customers: new Set(rows.map((row) => row.enterpriseId)).size }).toEqual({
        day: filter.asOf,
        balance: figures.greenBalance,
        loans: figures.greenLoans,
        customers: figures.greenCustomers,
      });
    }
    // Generated data that exercises the figures: green loans today and a share of the book.
    expect(board.green.today.greenLoans).toBeGreaterThan(0);
    expect(board.green.today.greenBalance).toBeLessThan(board.green.today.totalBalance);
  });

  it('collateral by type, status and expiry: count and values equal the register rows the line opens', async () => {
    const board = await value<Dashboard>('stats.dashboard', {}, host.sessions.manager);
    const lines = [...board.collateral.byType, ...board.collateral.byStatus, ...board.collateral.byHorizon, { key: 'expiring', ...board.collateral.total, count: board.alerts.collateralExpiring, filter: board.alerts.collateralExpiringFilter }];
    let nonEmpty = 0;
    for (const line of lines) {
      const rows = await all<{ appraisedValue: number; pledgedValue: number }>('collateral.list', { filter: line.filter satisfies CollateralListFilter, exactTotal: true });
      const listed = { key: line.key, count: rows.length, ...(line.key === 'expiring' ? {} : { appraised: rows.reduce((sum, row) => sum + row.appraisedValue, 0), pledged: rows.reduce((sum, row) => sum + row.pledgedValue, 0) }) };
      expect(listed).toEqual({ key: line.key, count: line.count, ...(line.key === 'expiring' ? {} : { appraised: line.appraisedValue, pledged: line.pledgedValue }) });
      if (rows.length > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThan(4);
  });

  it('rectification cases by measure and status, and overdue: each count equals the cases its link lists', async () => {
    const board = await value<Dashboard>('stats.dashboard', {}, host.sessions.manager);
    const count = async (filter: CaseListFilter) => (await all<{ id: string }>('cases.list', { filter, exactTotal: true })).length;
    for (const line of board.cases.byMeasure) {
      for (const status of caseStatuses) expect({ measure: line.measure, status, count: await count({ measure: line.measure, status }) }).toEqual({ measure: line.measure, status, count: line.counts[status] });
      expect({ measure: line.measure, overdue: await count({ measure: line.measure, overdue: true }) }).toEqual({ measure: line.measure, overdue: line.counts.overdue });
    }
    expect(await count(board.alerts.overdueCasesFilter)).toBe(board.alerts.overdueCases);
    expect(board.alerts.overdueCases).toBeGreaterThan(0);
    expect(board.cases.total.closed).toBeGreaterThan(0);
  });
});
