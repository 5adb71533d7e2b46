import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollateralDetail, CollateralItemInput, CollateralSummary, CollateralTotals } from '../../../shared/api/collateral.ts';
import type { Result } from '../../../shared/api/result.ts';
import { collateralAlertKinds } from '../../../shared/domain/collateralAlerts.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { registerAlerts } from '../../../db/collateral.ts';
import { readXlsx } from '../import/testFiles.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/** The collateral register through the real dispatch: four-eyes, the cap, the lifecycle, locked values and revaluation (acceptance 3). */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('collateral register', () => {
  let host: Host;
  let enterpriseId: string;
  let loanId: string;
  const item = (overrides: Partial<CollateralItemInput> = {}): CollateralItemInput => ({
    enterpriseId,
    details: { type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' },
    certificateNumber: '浮环排污〔2025〕12号',
    certificateIssuer: '景德镇市生态环境局浮梁分局',
    validity: { from: '2024-01-01', to: '2028-12-31' },
    // 3,000.00 元 per t·yr × 12.5 t/yr × 3 years = 112,500.00 元
    valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: '2026-01-01', appraiser: '江西中信评估有限公司' },
    pledgeRateBp: 8_000,
    ...overrides,
  });
  const act = (id: string, version: number, action: string, session: { sessionId: string }, extra: Record<string, unknown> = {}) =>
    host.dispatch('collateral.act', { id, version, action, ...extra }, session);

  beforeAll(async () => {
    host = await hostWithUsers();
    enterpriseId = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁华盛建材有限公司', testUscc(9_101)) }, host.sessions.officer)).id;
    loanId = value<{ id: string }>(
      await host.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber: 'JK2026-0001',
            enterpriseId,
            amount: 9_000_000,
            balance: 9_000_000,
            balanceAsOf: '2026-01-31',
            disbursedOn: '2026-01-15',
            maturesOn: '2028-01-14',
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'environmental_rights_pledge',
            status: 'outstanding',
            purpose: '购置脱硫设备',
          },
        },
        host.sessions.officer,
      ),
    ).id;
  });
  afterAll(() => host.cleanup());

  it('refuses a pledge rate above the cap, naming the cap and its document', async () => {
    const refused = await host.dispatch('collateral.create', { item: item({ pledgeRateBp: 8_001 }) }, host.sessions.officer);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: '质押率 80.01% 超过上限 80.00%（《湖南省主要污染物排污权抵押贷款管理办法（试行）》：不超过排污权评估价值的80%）',
        details: { issues: [{ path: ['item', 'pledgeRateBp'], code: 'PLEDGE_RATE_OVER_CAP', params: { capBp: 8_000 } }] },
      },
    });
  });

  it('runs draft → submitted → approved by another → registered → active, four-eyes by the host', async () => {
    const created = value<CollateralDetail>(await host.dispatch('collateral.create', { item: item(), submit: true }, host.sessions.officer));
    expect(created).toMatchObject({ status: 'submitted', appraisedValue: 11_250_000, pledgedValue: 9_000_000, makerName: 'officer', revaluationDueOn: '2027-01-01', termsVersion: 1 });
    expect(created.appraisals).toHaveLength(1);
    expect(created.allowedActions).toEqual([]);

    // The maker holds no approval permission; a credit manager who made the item may not approve it either.
    expect(await act(created.id, created.version, 'approve', host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const managers = value<CollateralDetail>(await host.dispatch('collateral.create', { item: item({ certificateNumber: '浮环排污〔2025〕13号' }), submit: true }, host.sessions.manager));
    expect(managers.allowedActions).toEqual([]);
    expect(await act(managers.id, managers.version, 'approve', host.sessions.manager)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'FOUR_EYES_MAKER' } } });

    const review = value<CollateralDetail>(await host.dispatch('collateral.get', { id: created.id }, host.sessions.manager));
    expect(review.allowedActions).toEqual(['approve', 'reject']);
    const approved = value<CollateralDetail>(await act(created.id, created.version, 'approve', host.sessions.manager));
    expect(approved).toMatchObject({ status: 'approved', checkerName: 'manager' });

    expect(await act(approved.id, approved.version, 'register', host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ code: 'REGISTRATION_REQUIRED' }] } } });
    const registered = value<CollateralDetail>(
      await act(approved.id, approved.version, 'register', host.sessions.officer, {
        registration: { registry: '江西省排污权交易中心', registrationNumber: 'JXPW-2026-000123', registeredOn: '2026-02-01', expiresOn: '2029-01-31' },
      }),
    );
    expect(registered).toMatchObject({ status: 'registered', registrationNumber: 'JXPW-2026-000123', registrationExpiresOn: '2029-01-31' });
    expect(await act(registered.id, registered.version, 'activate', host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ code: 'NO_LINKED_LOAN' }] } } });
    const linked = value<CollateralDetail>(await host.dispatch('collateral.linkLoan', { itemId: registered.id, loanId, securedAmountFen: null }, host.sessions.officer));
    expect(linked.loans).toMatchObject([{ loanNumber: 'JK2026-0001', balance: 9_000_000 }]);
    const active = value<CollateralDetail>(await act(linked.id, linked.version, 'activate', host.sessions.officer));
    expect(active.status).toBe('active');
    // Coverage exactly 100 %: no alert.
    expect(active.alerts).toEqual([]);

    const rows = value<{ rows: CollateralSummary[]; total: number }>(await host.dispatch('collateral.list', { filter: { status: 'active' } }, host.sessions.officer));
    expect(rows).toMatchObject({ total: 1, rows: [{ id: active.id, enterpriseName: '浮梁华盛建材有限公司', pledgedValue: 9_000_000 }] });
    const totals = value<CollateralTotals>(await host.dispatch('collateral.totals', { filter: {} }, host.sessions.officer));
    // Two items, one of them registered (only that one counts toward value).
    expect(totals).toEqual({ count: 2, appraisedValue: 22_500_000, pledgedValue: 18_000_000, countedPledgedValue: 9_000_000 });
  });

  it('refuses a direct edit of an active item; a revaluation is a new appraisal, and the audit trail shows both', async () => {
    const [active] = value<{ rows: CollateralSummary[] }>(await host.dispatch('collateral.list', { filter: { status: 'active' } }, host.sessions.officer)).rows;
    const edit = await host.dispatch('collateral.update', { id: active!.id, version: active!.version, item: item({ valuation: { method: 'quantity_price', unitPriceFen: 400_000, basis: 'per_unit_year', appraisedOn: '2026-06-01', appraiser: '江西中信评估有限公司' } }) }, host.sessions.officer);
    expect(edit).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'VALUE_LOCKED', status: 'active' } } });

    // Revaluation on 2026-07-01 at 2,800.00 元 per t·yr: 35,000 元 a year × (2 years + 184/365) = 87,643.84 元.
    const revalued = value<CollateralDetail>(
      await host.dispatch('collateral.revalue', { id: active!.id, version: active!.version, valuation: { method: 'quantity_price', unitPriceFen: 280_000, basis: 'per_unit_year', appraisedOn: '2026-07-01', appraiser: '景德镇华信资产评估' } }, host.sessions.manager),
    );
    expect(revalued).toMatchObject({ appraisedValue: 8_764_384, pledgedValue: 7_011_507, appraisedOn: '2026-07-01', revaluationDueOn: '2027-07-01' });
    expect(revalued.appraisals.map((appraisal) => [appraisal.appraisedOn, appraisal.value, appraisal.appraiser])).toEqual([
      ['2026-07-01', 8_764_384, '景德镇华信资产评估'],
      ['2026-01-01', 11_250_000, '江西中信评估有限公司'],
    ]);
    // The loan's balance (90,000 元) is now above the pledged value: the coverage alert.
    expect(revalued.alerts).toContainEqual({ kind: 'coverage_over_limit', securedBalanceFen: 9_000_000, pledgedFen: 7_011_507, limitBp: 10_000 });

    const history = value<{ action: string; recordType: string; after: Record<string, unknown> | null }[]>(
      await host.dispatch('records.history', { recordType: 'collateral_items', recordId: active!.id }, host.sessions.officer),
    );
    const appraisals = history.filter((entry) => entry.recordType === 'collateral_appraisals').map((entry) => entry.after?.value_fen);
    expect(appraisals.sort()).toEqual([11_250_000, 8_764_384].sort());
    expect(history.map((entry) => `${entry.recordType}:${entry.action}`)).toEqual(
      expect.arrayContaining(['collateral_items:collateral.revalue', 'collateral_items:collateral.approve', 'collateral_items:collateral.activate', 'collateral_loans:insert']),
    );
    // A loan officer does not revalue (a credit manager's recorded decision).
    expect(await host.dispatch('collateral.revalue', { id: active!.id, version: revalued.version, valuation: { method: 'quantity_price', unitPriceFen: 1, basis: 'per_unit_year', appraisedOn: '2026-07-02', appraiser: 'x' } }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('a rejection needs a reason; the maker revises the rejected item back to a draft, edits and resubmits it', async () => {
    const created = value<CollateralDetail>(await host.dispatch('collateral.create', { item: item({ certificateNumber: '浮环排污〔2025〕20号', details: { type: 'emission_right', pollutant: 'nh3n', quantity: '2', unit: 't/yr' } }), submit: true }, host.sessions.officer));
    expect(await act(created.id, created.version, 'reject', host.sessions.manager)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ code: 'REASON_REQUIRED' }] } } });
    const rejected = value<CollateralDetail>(await act(created.id, created.version, 'reject', host.sessions.manager, { reason: '评估报告未盖章' }));
    expect(rejected).toMatchObject({ status: 'rejected', decisionReason: '评估报告未盖章', checkerName: 'manager' });
    expect(rejected.allowedActions).toEqual([]);
    const mine = value<CollateralDetail>(await host.dispatch('collateral.get', { id: created.id }, host.sessions.officer));
    expect(mine.allowedActions).toEqual(['revise']);
    const draft = value<CollateralDetail>(await act(created.id, mine.version, 'revise', host.sessions.officer));
    expect(draft).toMatchObject({ status: 'draft', checkerId: null, decisionReason: null });
    // A draft is edited directly: the new value is a new appraisal.
    const edited = value<CollateralDetail>(
      await host.dispatch(
        'collateral.update',
        { id: created.id, version: draft.version, item: item({ certificateNumber: '浮环排污〔2025〕20号', details: { type: 'emission_right', pollutant: 'nh3n', quantity: '4', unit: 't/yr' } }) },
        host.sessions.officer,
      ),
    );
    expect(edited).toMatchObject({ appraisedValue: 3_600_000, pledgedValue: 2_880_000 }); // 3,000.00 × 4 t/yr × 3 years
    expect(edited.appraisals.map((appraisal) => appraisal.value)).toEqual([3_600_000, 1_800_000]);
    expect(value<CollateralDetail>(await act(created.id, edited.version, 'submit', host.sessions.officer)).status).toBe('submitted');
  });

  it('filters the register by type, status, maker and expiry horizon', async () => {
    const list = async (filter: Record<string, unknown>) => value<{ rows: CollateralSummary[]; total: number }>(await host.dispatch('collateral.list', { filter }, host.sessions.officer)).total;
    const all = await list({});
    expect(all).toBe(3);
    expect(await list({ type: 'emission_right' })).toBe(3);
    expect(await list({ type: 'water_right' })).toBe(0);
    expect(await list({ status: 'submitted' })).toBe(2);
    // Every right here is valid to 2028-12-31, more than 700 days from now (2026-12).
    expect(await list({ expiringWithinDays: 30 })).toBe(0);
    expect(await list({ expiringWithinDays: 3_650 })).toBe(3);
  });

  it('refuses a valuation method that does not fit the type, and a right already expired', async () => {
    expect(await host.dispatch('collateral.create', { item: item({ valuation: { method: 'appraisal_report', valueFen: 1, reportNumber: 'R1', appraisedOn: '2026-01-01', appraiser: 'x' } }) }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ code: 'VALUATION_METHOD' }] } },
    });
    expect(await host.dispatch('collateral.create', { item: item({ validity: { from: '2021-01-01', to: '2025-12-31' } }) }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ code: 'RIGHT_EXPIRED' }] } },
    });
  });
  it('names an open environmental rectification case of the owner as an alert, on the item and in the whole register', async () => {
    const owner = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县瓷都化工有限公司', testUscc(9_102)) }, host.sessions.officer)).id;
    const submitted = value<CollateralDetail>(await host.dispatch('collateral.create', { item: item({ enterpriseId: owner, certificateNumber: '浮环排污〔2025〕31号' }), submit: true }, host.sessions.officer));
    const approved = value<CollateralDetail>(await act(submitted.id, submitted.version, 'approve', host.sessions.manager));
    expect(approved.alerts).toEqual([]);
    const facts = {
      enterpriseId: owner,
      source: 'penalty_decision',
      sourceReference: '浮环罚〔2026〕31号',
      sourceAuthority: '浮梁县生态环境局',
      sourceDate: '2026-06-02',
      foundOn: '2026-06-05',
      description: '废水总排口 COD 超标',
      requiredActions: '限期完成污水处理设施改造',
      deadline: '2099-12-31',
      measure: 'urge',
      exposurePlan: [],
      officerId: submitted.makerId,
      monitoringVisitId: null,
    };
    // A work-safety case does not touch a discharge right's eligibility; an environmental one does.
    value(await host.dispatch('cases.create', { facts: { ...facts, category: 'work_safety' } }, host.sessions.officer));
    expect(value<CollateralDetail>(await host.dispatch('collateral.get', { id: approved.id }, host.sessions.officer)).alerts).toEqual([]);
    const open = value<{ caseNumber: string }>(await host.dispatch('cases.create', { facts: { ...facts, category: 'environmental' } }, host.sessions.officer));
    expect(value<CollateralDetail>(await host.dispatch('collateral.get', { id: approved.id }, host.sessions.officer)).alerts).toEqual([{ kind: 'open_environmental_case', caseNumbers: [open.caseNumber] }]);
    const whole = registerAlerts(host.ctx.store.db, { today: '2026-12-02', registrationWarningDays: 30, coverageLimitBp: 10_000 });
    expect(whole.get(approved.id)).toEqual([{ kind: 'open_environmental_case', caseNumbers: [open.caseNumber] }]);
  });
  it('filters by alert kind, officer and owner: the list, its count and its totals hold exactly the items whose page shows that alert', async () => {
    type Page = { rows: CollateralSummary[]; total: number };
    const list = async (filter: Record<string, unknown>) => value<Page>(await host.dispatch('collateral.list', { filter, limit: 500 }, host.sessions.officer));
    const totalsOf = async (filter: Record<string, unknown>) => value<CollateralTotals>(await host.dispatch('collateral.totals', { filter }, host.sessions.officer));
    const everything = await list({});
    const pages = await Promise.all(everything.rows.map(async (row) => value<CollateralDetail>(await host.dispatch('collateral.get', { id: row.id }, host.sessions.officer))));
    const raising = (kind: string, among = pages) => among.filter((page) => page.alerts.some((alert) => alert.kind === kind));
    for (const kind of collateralAlertKinds) {
      const expected = raising(kind);
      const shown = await list({ alertKind: kind });
      expect({ kind, ids: shown.rows.map((row) => row.id).sort(), total: shown.total }).toEqual({ kind, ids: expected.map((page) => page.id).sort(), total: expected.length });
      const totals = await totalsOf({ alertKind: kind });
      expect({ kind, count: totals.count, pledged: totals.pledgedValue }).toEqual({ kind, count: expected.length, pledged: expected.reduce((sum, page) => sum + page.pledgedValue, 0) });
    }
    // This register raises two kinds (the revalued active item's coverage, the approved item's open case): the filter is not vacuous.
    expect((await list({ alertKind: 'coverage_over_limit' })).total).toBe(1);
    expect((await list({ alertKind: 'open_environmental_case' })).total).toBe(1);
    expect((await list({ alertKind: 'coverage_over_limit', status: 'approved' })).total).toBe(0);

    // The officer filter offers the people who enter collateral, and narrows to what each entered.
    const officers = value<{ id: string; name: string }[]>(await host.dispatch('collateral.officers', {}, host.sessions.officer));
    expect(officers.map((officer) => officer.name).sort()).toEqual(['manager', 'officer']);
    for (const officer of officers) {
      const mine = pages.filter((page) => page.makerId === officer.id);
      expect((await list({ makerId: officer.id })).total).toBe(mine.length);
      expect((await totalsOf({ makerId: officer.id, alertKind: 'coverage_over_limit' })).count).toBe(raising('coverage_over_limit', mine).length);
    }
    // The owner filter, alone and with an alert kind (computed over the owner's items only).
    const owner = raising('open_environmental_case')[0]!.enterpriseId;
    const owned = pages.filter((page) => page.enterpriseId === owner);
    expect((await list({ enterpriseId: owner })).rows.map((row) => row.id).sort()).toEqual(owned.map((page) => page.id).sort());
    expect((await list({ enterpriseId: owner, alertKind: 'open_environmental_case' })).total).toBe(1);
    expect((await list({ enterpriseId: owner, alertKind: 'coverage_over_limit' })).total).toBe(0);
    expect((await totalsOf({ enterpriseId: enterpriseId, alertKind: 'coverage_over_limit' })).count).toBe(1);
  });

  it('exports the filtered register as an .xlsx with its 合计 row, values in 元', async () => {
    const filter = { status: 'active' as const };
    const shown = value<{ rows: CollateralSummary[] }>(await host.dispatch('collateral.list', { filter, sort: { field: 'pledgedValue', order: 'desc' } }, host.sessions.officer)).rows;
    const totals = value<CollateralTotals>(await host.dispatch('collateral.totals', { filter }, host.sessions.officer));
    const exported = value<{ fileName: string; contentBase64: string; rows: number }>(await host.dispatch('collateral.export', { filter, sort: { field: 'pledgedValue', order: 'desc' } }, host.sessions.officer));
    expect(exported).toMatchObject({ rows: shown.length, fileName: expect.stringMatching(/^抵质押登记簿-\d{4}-\d{2}-\d{2}\.xlsx$/) });
    const sheet = await readXlsx(exported.contentBase64);
    expect(sheet[0]!.slice(0, 3)).toEqual(['权证编号', '出质企业', '类型']);
    expect(sheet.slice(1, -1).map((row) => row[0])).toEqual(shown.map((row) => row.certificateNumber));
    expect(sheet[1]!.slice(2, 3)).toEqual(['排污权']);
    expect(sheet[1]![9]).toBe(String(shown[0]!.pledgedValue / 100));
    expect(sheet[1]![13]).toBe('生效');
    expect(sheet.at(-1)!.slice(0, 1)).toEqual([`合计 ${totals.count} 项`]);
    expect(sheet.at(-1)![9]).toBe(String(totals.pledgedValue / 100));
  });


  it('renews a registration (展期) as a dated record: the expiry the alerts read is the renewal’s, the history keeps each', async () => {
    const today = shanghaiDate(new Date());
    const submitted = value<CollateralDetail>(await host.dispatch('collateral.create', { item: item({ certificateNumber: '浮环排污〔2025〕41号' }), submit: true }, host.sessions.officer));
    const approved = value<CollateralDetail>(await act(submitted.id, submitted.version, 'approve', host.sessions.manager));
    expect(approved.mayRenew).toBe(false);
    expect(await host.dispatch('collateral.renew', { id: approved.id, version: approved.version, renewal: { renewedOn: today, expiresOn: addDays(today, 365), registrationNumber: 'X' } }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'NOT_RENEWABLE' } },
    });
    const lapsing = addDays(today, 10);
    const registered = value<CollateralDetail>(
      await act(approved.id, approved.version, 'register', host.sessions.officer, { registration: { registry: '江西省排污权交易中心', registrationNumber: 'JXPW-2026-000900', registeredOn: '2026-01-05', expiresOn: lapsing } }),
    );
    expect(registered.mayRenew).toBe(true);
    expect(registered.alerts).toEqual([{ kind: 'registration_expiring', expiresOn: lapsing, daysLeft: 10 }]);

    // Not later than the current expiry: refused, naming it.
    expect(await host.dispatch('collateral.renew', { id: registered.id, version: registered.version, renewal: { renewedOn: today, expiresOn: lapsing, registrationNumber: 'JXPW-2026-000900' } }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: `展期后的到期日须晚于当前登记到期日 ${lapsing}`, details: { issues: [{ path: ['renewal', 'expiresOn'], code: 'RENEWAL_NOT_LATER' }] } },
    });
    const first = value<CollateralDetail>(
      await host.dispatch('collateral.renew', { id: registered.id, version: registered.version, renewal: { renewedOn: today, expiresOn: addDays(today, 20), registrationNumber: 'JXPW-2026-000900-Z1' } }, host.sessions.officer),
    );
    expect(first).toMatchObject({ registrationExpiresOn: addDays(today, 20), registrationNumber: 'JXPW-2026-000900-Z1', registry: '江西省排污权交易中心' });
    expect(first.alerts).toEqual([{ kind: 'registration_expiring', expiresOn: addDays(today, 20), daysLeft: 20 }]);
    // A credit manager records the next one, with the registry it moved to: the alert is gone, both renewals are kept.
    const second = value<CollateralDetail>(
      await host.dispatch(
        'collateral.renew',
        { id: registered.id, version: first.version, renewal: { renewedOn: today, expiresOn: addDays(today, 730), registrationNumber: 'DJ2026-77', registry: '动产融资统一登记公示系统', notes: '续展两年' } },
        host.sessions.manager,
      ),
    );
    expect(second).toMatchObject({ registrationExpiresOn: addDays(today, 730), registrationNumber: 'DJ2026-77', registry: '动产融资统一登记公示系统', alerts: [] });
    expect(second.renewals.map((renewal) => [renewal.previousExpiresOn, renewal.expiresOn, renewal.registrationNumber, renewal.createdByName])).toEqual([
      [addDays(today, 20), addDays(today, 730), 'DJ2026-77', 'manager'],
      [lapsing, addDays(today, 20), 'JXPW-2026-000900-Z1', 'officer'],
    ]);
    // The register's horizon and alert filter read the renewed expiry.
    const listed = async (filter: Record<string, unknown>) => value<{ rows: CollateralSummary[] }>(await host.dispatch('collateral.list', { filter }, host.sessions.officer)).rows.map((row) => row.id);
    expect(await listed({ expiringWithinDays: 30, status: 'registered' })).not.toContain(registered.id);
    expect(await listed({ alertKind: 'registration_expiring' })).not.toContain(registered.id);

    const history = value<{ action: string; recordType: string }[]>(await host.dispatch('records.history', { recordType: 'collateral_items', recordId: registered.id }, host.sessions.officer));
    expect(history.filter((entry) => entry.recordType === 'collateral_renewals')).toHaveLength(2);
    expect(history.filter((entry) => entry.action === 'collateral.renew')).toHaveLength(2);
    // A stale version is refused like every other write.
    expect(await host.dispatch('collateral.renew', { id: registered.id, version: first.version, renewal: { renewedOn: today, expiresOn: addDays(today, 1_000), registrationNumber: 'DJ2026-78' } }, host.sessions.officer)).toMatchObject({ ok: false });
  });
});
