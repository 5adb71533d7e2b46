import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseCounts, CaseDetail, CaseExposure, CaseFacts, CaseSummary, GateResultOutput, MonitoringVisit } from '../../../shared/api/index.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { caseStatuses } from '../../../shared/domain/rectification.ts';
import { seededRandom } from '../../../shared/domain/testing.ts';
import { insertRecord } from '../../../db/records.ts';
import { openEnvironmentalCases } from '../../../db/rectification.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * Rectification cases through the host's own dispatch over a real encrypted database: opened from
 * a penalty decision, followed up with a photo, named by the credit gate, closed only by a credit
 * manager other than its officer and only with evidence; counts per status equal to the list.
 */
type Session = { sessionId: string };
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);

describe('rectification cases on the host', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  let serial = 400;
  const ids = {} as Record<'officer' | 'manager', string>;

  const call = async (method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session) => host.dispatch(method, input as never, session);
  const value = async <T,>(method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session): Promise<T> => {
    const result = await call(method, input, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${JSON.stringify(result.error.details)}`);
    return result.value as T;
  };
  const refusal = async (method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session) => {
    const result = await call(method, input, session);
    expect(result.ok).toBe(false);
    return result.ok ? null : result.error;
  };
  const today = () => shanghaiDate(host.ctx.now());
  const enterprise = async (name: string) => {
    const created = await value<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile(name, testUscc((serial += 1))) }, host.sessions.officer);
    await value('enterprises.addRating', { enterpriseId: created.id, entry: { level: 'green', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } }, host.sessions.officer);
    return created.id;
  };
  const facts = (enterpriseId: string, overrides: Partial<CaseFacts> = {}): CaseFacts => ({
    enterpriseId,
    category: 'environmental',
    source: 'penalty_decision',
    sourceReference: '浮环罚〔2026〕12号',
    sourceAuthority: '浮梁县生态环境局',
    sourceDate: '2026-05-20',
    foundOn: '2026-05-25',
    description: '废水总排口化学需氧量超标排放',
    requiredActions: '限期完成污水处理设施改造并经监测达标',
    deadline: '2099-12-31',
    measure: 'urge',
    exposurePlan: [],
    officerId: ids.officer,
    monitoringVisitId: null,
    ...overrides,
  });
  const gate = (enterpriseId: string) => value<GateResultOutput>('credit.gate', { enterpriseId, purposeKind: 'general' }, host.sessions.officer);
  const act = (item: CaseDetail, action: string, by: Session, extra: Record<string, unknown> = {}) => value<CaseDetail>('cases.act', { id: item.id, version: item.version, action, ...extra }, by);

  beforeAll(async () => {
    host = await hostWithUsers();
    for (const who of ['officer', 'manager'] as const) {
      const state = await value<{ user: { id: string } }>('session.get', {}, host.sessions[who]);
      ids[who] = state.user.id;
    }
  });
  afterAll(() => host?.cleanup());

  it('an officer opens a case from a penalty decision; the gate names it; only another credit manager closes it, with evidence', async () => {
    const enterpriseId = await enterprise('浮梁县华盛陶瓷有限公司');
    expect((await gate(enterpriseId)).verdict).toBe('allow');

    let item = await value<CaseDetail>('cases.create', { facts: facts(enterpriseId) }, host.sessions.officer);
    expect(item).toMatchObject({ status: 'open', measure: 'urge', enterpriseName: '浮梁县华盛陶瓷有限公司', officerName: 'officer', overdue: false, evidenceCount: 0 });
    expect(item.caseNumber).toMatch(/^ZG-\d{4}-[0-9A-F]{4}-0001$/);
    expect(openEnvironmentalCases(host.ctx.store.db, enterpriseId).map((open) => open.caseNumber)).toEqual([item.caseNumber]);

    const verdict = await gate(enterpriseId);
    expect(verdict).toMatchObject({ verdict: 'needs_override', reasons: [{ code: 'RECTIFICATION_CASE_OPEN', params: { caseNumber: item.caseNumber }, subject: item.id }] });

    // A follow-up by the officer starts the work; its photo is evidence.
    item = await value<CaseDetail>('cases.addFollowUp', { caseId: item.id, followUp: { followedOn: today(), kind: 'visit', note: '现场查看，污水处理设施改造已开工', progressPercent: 40, nextFollowUpOn: null } }, host.sessions.officer);
    expect(item).toMatchObject({ status: 'in_progress', followUps: [{ progressPercent: 40, createdByName: 'officer' }] });
    item = await act(item, 'submit', host.sessions.officer);
    expect(item.status).toBe('submitted');

    // The officer may not close it (not a credit manager), and no one closes it without evidence.
    expect(await refusal('cases.act', { id: item.id, version: item.version, action: 'verify' }, host.sessions.officer)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'CASE_NOT_CREDIT_MANAGER' } });
    expect(await refusal('cases.act', { id: item.id, version: item.version, action: 'verify' }, host.sessions.manager)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'CASE_NO_EVIDENCE' } });
    expect((await value<CaseDetail>('cases.get', { id: item.id }, host.sessions.manager)).allowedActions).toEqual(['return', 'escalate']);

    await value('attachments.add', { ownerType: 'rectification_follow_ups', ownerId: item.followUps[0]!.id, fileName: '整改现场.png', mime: 'image/png', contentBase64: png.toString('base64'), note: '整改现场照片' }, host.sessions.officer);
    item = await value<CaseDetail>('cases.get', { id: item.id }, host.sessions.manager);
    expect(item.evidenceCount).toBe(1);
    expect(item.allowedActions).toContain('verify');

    item = await act(item, 'verify', host.sessions.manager, { note: '经现场核实，整改到位' });
    expect(item).toMatchObject({ status: 'closed', verifierId: ids.manager, verificationNote: '经现场核实，整改到位' });
    expect((await gate(enterpriseId)).verdict).toBe('allow');
    expect(openEnvironmentalCases(host.ctx.store.db, enterpriseId)).toEqual([]);
  });

  it('a credit manager who is the case’s officer cannot verify it', async () => {
    const enterpriseId = await enterprise('浮梁县永兴化工有限公司');
    let item = await value<CaseDetail>('cases.create', { facts: facts(enterpriseId, { officerId: ids.manager }) }, host.sessions.manager);
    item = await act(item, 'submit', host.sessions.manager);
    await value('attachments.add', { ownerType: 'rectification_cases', ownerId: item.id, fileName: '监测报告.png', mime: 'image/png', contentBase64: png.toString('base64'), note: '整改现场照片' }, host.sessions.manager);
    item = await value<CaseDetail>('cases.get', { id: item.id }, host.sessions.manager);
    expect(await refusal('cases.act', { id: item.id, version: item.version, action: 'verify' }, host.sessions.manager)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'CASE_FOUR_EYES' } });
  });

  it('an overdue case or one under 清收处置 denies new credit, naming the case', async () => {
    const overdueEnterprise = await enterprise('浮梁县东风矿业有限公司');
    const overdue = await value<CaseDetail>('cases.create', { facts: facts(overdueEnterprise, { category: 'work_safety', foundOn: '2026-01-05', deadline: '2026-03-31' }) }, host.sessions.officer);
    expect(overdue.overdue).toBe(true);
    expect(await gate(overdueEnterprise)).toMatchObject({ verdict: 'deny', reasons: [{ code: 'RECTIFICATION_CASE_OVERDUE', params: { caseNumber: overdue.caseNumber, category: 'work_safety', deadline: '2026-03-31' } }] });

    const collected = await enterprise('浮梁县金鑫冶炼有限公司');
    let item = await value<CaseDetail>('cases.create', { facts: facts(collected) }, host.sessions.officer);
    expect(await refusal('cases.act', { id: item.id, version: item.version, action: 'escalate', measure: 'collect_dispose' }, host.sessions.officer)).toMatchObject({ details: { rule: 'CASE_NOT_CREDIT_MANAGER' } });
    item = await act(item, 'escalate', host.sessions.manager, { measure: 'collect_dispose', note: '拒不整改，启动清收' });
    expect(item).toMatchObject({ status: 'escalated', measure: 'collect_dispose' });
    expect(await gate(collected)).toMatchObject({ verdict: 'deny', reasons: [{ code: 'RECTIFICATION_COLLECTION' }] });
    expect(await refusal('credit.create', {
      terms: { enterpriseId: collected, product: 'working_capital', amountFen: 100_000_000, termMonths: 12, rateBp: 435, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null },
    }, host.sessions.officer)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'GATE_DENIED' } });
  });

  it('a penalty decision needs its number, authority and date; the deadline is not before the finding', async () => {
    const enterpriseId = await enterprise('浮梁县红星纸业有限公司');
    expect(await refusal('cases.create', { facts: facts(enterpriseId, { sourceReference: null }) }, host.sessions.officer)).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: ['facts', 'sourceReference'] }] } });
    expect(await refusal('cases.create', { facts: facts(enterpriseId, { deadline: '2026-05-01' }) }, host.sessions.officer)).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: ['facts', 'deadline'] }] } });
  });

  it('a monitoring visit’s finding opens one case naming the visit; the visit shows it', async () => {
    const enterpriseId = await enterprise('浮梁县绿源食品有限公司');
    const other = await enterprise('浮梁县宏远机械有限公司');
    const visit = {
      enterpriseId,
      dueOn: '2026-06-30',
      visitedOn: '2026-06-28',
      production: '开工率约七成，订单稳定',
      finance: '应收账款增加',
      energyEnvironment: '污水站在线监测数据中断',
      greenInnovation: null,
      findingCategory: 'environmental',
      finding: '污水处理站在线监测设备停运，未按证排污',
    };
    expect(await refusal('monitoring.record', { visit: { ...visit, findingCategory: null } }, host.sessions.officer)).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: ['visit', 'finding'] }] } });
    const recorded = await value<MonitoringVisit>('monitoring.record', { visit }, host.sessions.officer);
    expect(recorded).toMatchObject({ officerId: ids.officer, finding: visit.finding, caseId: null, overdue: false });
    const scheduled = await value<MonitoringVisit>('monitoring.record', { visit: { ...visit, dueOn: '2026-01-31', visitedOn: null, findingCategory: null, finding: null, production: null, finance: null, energyEnvironment: null } }, host.sessions.officer);
    expect(scheduled.overdue).toBe(today() > '2026-01-31');
    // A visit without a finding, or of another enterprise, opens no case.
    expect(await refusal('cases.create', { facts: facts(enterpriseId, { source: 'bank_visit', monitoringVisitId: scheduled.id }) }, host.sessions.officer)).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal('cases.create', { facts: facts(other, { source: 'bank_visit', monitoringVisitId: recorded.id }) }, host.sessions.officer)).toMatchObject({ code: 'NOT_FOUND' });
    const fromVisit = facts(enterpriseId, { source: 'bank_visit', sourceReference: null, sourceAuthority: null, sourceDate: null, foundOn: '2026-06-28', description: visit.finding, monitoringVisitId: recorded.id });
    const opened = await value<CaseDetail>('cases.create', { facts: fromVisit }, host.sessions.officer);
    expect(opened).toMatchObject({ source: 'bank_visit', monitoringVisitId: recorded.id, monitoringVisitedOn: '2026-06-28', description: visit.finding });
    expect(await refusal('cases.create', { facts: fromVisit }, host.sessions.officer)).toMatchObject({ code: 'CONFLICT', details: { rule: 'VISIT_HAS_CASE', caseNumber: opened.caseNumber } });
    const { rows } = await value<{ rows: MonitoringVisit[] }>('monitoring.list', { enterpriseId }, host.sessions.officer);
    expect(rows.map((row) => [row.id, row.caseNumber])).toEqual([
      [scheduled.id, null],
      [recorded.id, opened.caseNumber],
    ]);
    // The administrator reads visits but records none.
    expect(await refusal('monitoring.record', { visit }, host.sessions.admin)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('counts per status match the list for the same filter (generated cases, acceptance 6)', async () => {
    const db = host.ctx.store.db;
    const random = seededRandom(16);
    const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const enterprises = [await enterprise('浮梁县甲乙陶瓷有限公司'), await enterprise('浮梁县丙丁建材有限公司')];
    const actor = { userId: ids.officer, userName: 'officer', branchId: 'b' };
    for (let i = 0; i < 300; i += 1) {
      const status = pick(caseStatuses);
      insertRecord(db, 'rectification_cases', {
        case_number: `ZG-2026-GEN0-${String(i).padStart(4, '0')}`,
        enterprise_id: pick(enterprises),
        category: pick(['environmental', 'work_safety', 'occupational_health']),
        source: 'inspection',
        found_on: '2026-01-01',
        description: '检查发现问题',
        required_actions: '限期整改',
        deadline: pick(['2026-02-01', '2026-06-30', '2099-01-01']),
        measure: pick(['urge', 'reduce_exit', 'collect_dispose']),
        officer_id: pick([ids.officer, ids.manager]),
        status,
        verifier_id: status === 'closed' ? ids.manager : null,
      }, actor, host.ctx.now());
    }
    const listAll = async (filter: Record<string, unknown>) => {
      const rows: CaseSummary[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await value<{ rows: CaseSummary[]; total: number }>('cases.list', { filter, offset, limit: 100 }, host.sessions.officer);
        rows.push(...page.rows);
        if (page.rows.length < 100) return { rows, total: page.total };
      }
    };
    for (const filter of [{}, { category: 'environmental' }, { measure: 'reduce_exit', officerId: ids.officer }, { enterpriseId: enterprises[0] }, { divisionCode: '360222', category: 'work_safety' }, { overdue: true }]) {
      const counts = await value<CaseCounts>('cases.counts', { filter }, host.sessions.officer);
      const all = await listAll(filter);
      expect(counts.total, JSON.stringify(filter)).toBe(all.total);
      expect(all.rows.length).toBe(all.total);
      expect(counts.overdue, JSON.stringify(filter)).toBe(all.rows.filter((row) => row.overdue).length);
      for (const status of caseStatuses) {
        const listed = await value<{ total: number }>('cases.list', { filter: { ...filter, status }, limit: 1 }, host.sessions.officer);
        expect(counts[status], `${JSON.stringify(filter)} ${status}`).toBe(listed.total);
        expect(counts[status]).toBe(all.rows.filter((row) => row.status === status).length);
      }
    }
  });
  it('cases.exposure: the enterprise balance from its loans’ snapshots against a 压缩退出 plan', async () => {
    const enterpriseId = await enterprise('浮梁县宏达焦化有限公司');
    const loanInput = (loanNumber: string, balance: number, balanceAsOf: string, status = 'outstanding') => ({
      loanNumber, enterpriseId, amount: 800_000_00, balance, balanceAsOf, disbursedOn: '2025-01-10', maturesOn: '2027-01-09', rateBp: 395, classification: 'normal', guaranteeMode: 'mortgage', status, purpose: '流动资金周转',
    });
    const first = await value<{ id: string; version: number }>('loans.create', { loan: loanInput('JK2025-EXP001', 800_000_00, '2025-01-31') }, host.sessions.officer);
    const second = await value<{ id: string }>('loans.create', { loan: loanInput('JK2025-EXP002', 300_000_00, '2025-02-28') }, host.sessions.officer);
    const snapshot = (loanId: string, asOf: string, balance: number) => value('loans.recordSnapshot', { loanId, snapshot: { asOf, balance, classification: 'normal' } }, host.sessions.officer);
    await snapshot(first.id, '2025-03-31', 600_000_00);
    await snapshot(second.id, '2025-04-30', 250_000_00);
    // The first loan repaid by the end of May: it counts 0 from then on.
    const latest = await value<{ version: number }>('loans.get', { id: first.id }, host.sessions.officer);
    await value('loans.update', { id: first.id, version: latest.version, loan: loanInput('JK2025-EXP001', 0, '2025-05-31', 'settled') }, host.sessions.officer);
    // A loan of another enterprise never counts.
    const other = await enterprise('浮梁县无关建材有限公司');
    await value('loans.create', { loan: { ...loanInput('JK2025-EXP900', 700_000_00, '2025-03-31'), enterpriseId: other } }, host.sessions.officer);

    const plan = [
      { date: '2025-03-31', targetFen: 1_000_000_00 },
      { date: '2025-04-30', targetFen: 700_000_00 },
      { date: '2025-06-30', targetFen: 0 },
      { date: '2099-06-30', targetFen: 0 },
    ];
    const item = await value<CaseDetail>('cases.create', { facts: facts(enterpriseId, { measure: 'reduce_exit', exposurePlan: plan }) }, host.sessions.officer);
    expect(item.exposurePlan).toEqual(plan);
    const exposure = await value<CaseExposure>('cases.exposure', { id: item.id }, host.sessions.manager);
    expect(exposure).toMatchObject({ caseId: item.id, measure: 'reduce_exit', plan, loans: 2, today: today() });
    expect(exposure.actual).toEqual([
      { date: '2025-01-31', balanceFen: 800_000_00 },
      { date: '2025-02-28', balanceFen: 1_100_000_00 },
      { date: '2025-03-31', balanceFen: 900_000_00 },
      { date: '2025-04-30', balanceFen: 850_000_00 },
      { date: '2025-05-31', balanceFen: 250_000_00 },
    ]);
    expect(exposure.comparison.map((step) => [step.date, step.actualFen, step.standing, step.gapFen])).toEqual([
      ['2025-03-31', 900_000_00, 'ahead', -100_000_00],
      ['2025-04-30', 850_000_00, 'behind', 150_000_00],
      ['2025-06-30', 250_000_00, 'behind', 250_000_00],
      ['2099-06-30', 250_000_00, 'not_due', 250_000_00],
    ]);
    // A 压缩退出 case opens with a plan, and a plan step out of order is refused at the contract.
    expect(await refusal('cases.create', { facts: facts(enterpriseId, { measure: 'reduce_exit', exposurePlan: [] }) }, host.sessions.officer)).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: ['facts', 'exposurePlan'] }] } });
    expect(await refusal('cases.create', { facts: facts(enterpriseId, { measure: 'reduce_exit', exposurePlan: [plan[1]!, plan[0]!] }) }, host.sessions.officer)).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal('cases.exposure', { id: 'no-such-case' }, host.sessions.officer)).toMatchObject({ code: 'NOT_FOUND' });
  });
});
