import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbenchItemKinds, type MethodName, type Workbench, type WorkbenchItem } from '../../../shared/api/index.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { noBenefits } from '../../../shared/domain/environmentalBenefit.ts';
import { storeConflict, updateSyncState } from '../../../db/syncState.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * The 工作台 through the host's own dispatch over a real encrypted database: each kind of work appears
 * for the person who must do it and for nobody else (four-eyes: never one's own record), leaves when
 * it is done, and names a record that its page's own call opens.
 */
type Session = { sessionId: string };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');

describe('workbench.today on the host', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  const people = {} as Record<'officer' | 'manager' | 'manager2' | 'admin', Session>;
  const ids = {} as Record<'officer' | 'manager' | 'manager2', string>;
  let serial = 7_100;

  const value = async <T,>(method: MethodName, input: unknown, session: Session): Promise<T> => {
    const result = await host.dispatch(method, input as never, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.details)}`);
    return result.value as T;
  };
  /** Kinds whose items were opened through their page's own call. */
  const opened = new Set<WorkbenchItem['kind']>();
  const pageCall = { credit: 'credit.get', collateral: 'collateral.get', loan: 'loans.get', case: 'cases.get', enterprise: 'enterprises.get', sync: 'sync.conflicts' } as const;
  /** The person's workbench, every item of which must open the record it names for that person. */
  const workbench = async (session: Session) => {
    const bench = await value<Workbench>('workbench.today', {}, session);
    for (const item of bench.items) {
      const page = await value<{ id?: string }[] | { id: string }>(pageCall[item.opens.target], item.opens.target === 'sync' ? {} : { id: item.opens.id }, session);
      const named = Array.isArray(page) ? page.some((row) => row.id === item.recordId) : item.opens.target !== 'enterprise' || page.id === item.enterpriseId;
      expect({ item: item.kind, named }).toEqual({ item: item.kind, named: true });
      opened.add(item.kind);
    }
    return bench;
  };
  const kinds = (bench: Workbench, kind: WorkbenchItem['kind']) => bench.items.filter((item) => item.kind === kind);
  const today = () => shanghaiDate(host.ctx.now());
  const enterprise = async (name: string, by: Session = people.officer) => (await value<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile(name, testUscc((serial += 1))) }, by)).id;
  const loan = async (enterpriseId: string, loanNumber: string) =>
    (
      await value<{ id: string }>(
        'loans.create',
        {
          loan: {
            loanNumber,
            enterpriseId,
            amount: 9_000_000,
            balance: 9_000_000,
            balanceAsOf: '2026-01-31',
            disbursedOn: '2026-01-15',
            maturesOn: addDays(today(), 400),
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'environmental_rights_pledge',
            status: 'outstanding',
            purpose: '购置脱硫设备',
          },
        },
        people.officer,
      )
    ).id;
  const collateral = (enterpriseId: string, by: Session) =>
    value<{ id: string; version: number }>(
      'collateral.create',
      {
        submit: true,
        item: {
          enterpriseId,
          details: { type: 'emission_right', pollutant: 'cod', quantity: '12', unit: 't/yr' },
          certificateNumber: `浮环排污〔2026〕${(serial += 1)}号`,
          certificateIssuer: '景德镇市生态环境局浮梁分局',
          validity: { from: '2024-01-01', to: addDays(today(), 2_000) },
          valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: today(), appraiser: '江西中信评估有限公司' },
          pledgeRateBp: 6_000,
        },
      },
      by,
    );
  const caseFacts = (enterpriseId: string, deadline: string) => ({
    enterpriseId,
    category: 'environmental',
    source: 'inspection',
    sourceReference: null,
    sourceAuthority: null,
    sourceDate: null,
    foundOn: addDays(today(), -60),
    description: '窑炉烟气颗粒物超标排放',
    requiredActions: '更换除尘设施并经监测达标',
    deadline,
    measure: 'urge',
    exposurePlan: [],
    officerId: ids.officer,
  });

  beforeAll(async () => {
    host = await hostWithUsers();
    people.officer = host.sessions.officer;
    people.manager = host.sessions.manager;
    people.admin = host.sessions.admin;
    people.manager2 = { sessionId: 'manager2' };
    await value('users.create', { username: 'manager2', displayName: '李审查', role: 'credit_manager', password: 'Password2026' }, people.admin);
    await value('session.login', { username: 'manager2', password: 'Password2026' }, people.manager2);
    await value('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2026' }, people.manager2);
    for (const who of ['officer', 'manager', 'manager2'] as const) ids[who] = (await value<{ user: { id: string } }>('session.get', {}, people[who])).user.id;
  });
  afterAll(() => host?.cleanup());

  it('a new branch sees its first-run checklist, each step done from the data, and none once all are', async () => {
    const fresh = await workbench(people.admin);
    expect(fresh.checklist).toEqual([
      { step: 'reference_data', done: false },
      { step: 'users', done: true },
      { step: 'first_sync', done: false },
      { step: 'enterprises', done: false },
      { step: 'loans', done: false },
    ]);
    expect(fresh.items).toEqual([]);
    expect(Object.values(fresh.counts).every((count) => count === 0)).toBe(true);
  });

  it('lists each review for the person who may decide it, never their own, and drops it once decided', async () => {
    const e1 = await enterprise('浮梁县华盛陶瓷有限公司');
    // Credit: the officer's own investigation, then the review for a credit manager.
    const terms = { enterpriseId: e1, product: 'working_capital', amountFen: 2_000_000_00, termMonths: 12, rateBp: 435, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
    let application = await value<{ id: string; version: number }>('credit.create', { terms }, people.officer);
    expect(kinds(await workbench(people.officer), 'credit_decision')).toMatchObject([{ recordId: application.id, opens: { target: 'credit', id: application.id }, detail: 'investigation', enterpriseName: '浮梁县华盛陶瓷有限公司' }]);
    expect(kinds(await workbench(people.manager), 'credit_decision')).toEqual([]);
    application = await value('credit.act', { id: application.id, version: application.version, action: 'submit', opinion: '调查完成，同意上报' }, people.officer);
    expect(kinds(await workbench(people.officer), 'credit_decision')).toEqual([]);
    expect(kinds(await workbench(people.manager), 'credit_decision')).toMatchObject([{ recordId: application.id, detail: 'review' }]);

    // Collateral: the officer's item for either manager; a manager's own item only for the other.
    const officersItem = await collateral(e1, people.officer);
    const managersItem = await collateral(e1, people.manager);
    expect(kinds(await workbench(people.officer), 'collateral_approval')).toEqual([]);
    expect(kinds(await workbench(people.manager), 'collateral_approval').map((item) => item.recordId)).toEqual([officersItem.id]);
    expect(kinds(await workbench(people.manager2), 'collateral_approval').map((item) => item.recordId).sort()).toEqual([officersItem.id, managersItem.id].sort());
    await value('collateral.act', { id: managersItem.id, version: managersItem.version, action: 'approve' }, people.manager2);
    expect((await workbench(people.manager2)).counts.collateral_approval).toBe(1);

    // Green tags: a draft with a code and evidence, for a manager other than its preparer; it opens the loan's 绿色 tab.
    const loanId = await loan(e1, 'JK2026-7101');
    const tag = await value<{ id: string; version: number }>(
      'green.saveTag',
      { ownerType: 'loan', ownerId: loanId, version: null, tag: { catalogueVersion: '2025', code: '1', totalInvestment: 50_000_000_00, benefits: { ...noBenefits, coalSavedTce: '300' } } },
      people.officer,
    );
    expect(kinds(await workbench(people.manager), 'green_confirmation')).toEqual([]);
    await value('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: PDF }, people.officer);
    const confirmations = kinds(await workbench(people.manager), 'green_confirmation');
    expect(confirmations).toMatchObject([{ recordId: tag.id, opens: { target: 'loan', id: loanId, tab: 'green' }, label: 'JK2026-7101', detail: 'loan' }]);
    expect(kinds(await workbench(people.officer), 'green_confirmation')).toEqual([]);
    const current = await value<{ version: number }>('green.tag', { ownerType: 'loan', ownerId: loanId }, people.manager);
    await value('green.confirm', { id: tag.id, version: current.version }, people.manager);
    expect(kinds(await workbench(people.manager), 'green_confirmation')).toEqual([]);

    // Cases: submitted by its officer, verified by a manager (the officer never sees it to verify).
    const item = await value<{ id: string; version: number }>('cases.create', { facts: caseFacts(e1, addDays(today(), 90)) }, people.officer);
    await value('attachments.add', { ownerType: 'rectification_cases', ownerId: item.id, fileName: '整改现场.pdf', mime: 'application/pdf', contentBase64: PDF }, people.officer);
    const submitted = await value<{ id: string; version: number }>('cases.act', { id: item.id, version: item.version, action: 'submit' }, people.officer);
    expect(kinds(await workbench(people.officer), 'case_verification')).toEqual([]);
    expect(kinds(await workbench(people.manager), 'case_verification')).toMatchObject([{ recordId: item.id, opens: { target: 'case', id: item.id }, detail: 'environmental' }]);
    await value('cases.act', { id: submitted.id, version: submitted.version, action: 'verify', note: '经现场核实，整改到位' }, people.manager);
    expect(kinds(await workbench(people.manager), 'case_verification')).toEqual([]);
  });

  it("lists the officer's own follow-ups and visits due, the alerts on their enterprises, and the laptop's conflicts", async () => {
    const e2 = await enterprise('浮梁县景华纺织有限公司');
    // An overdue case with no follow-up yet: due for a follow-up and overdue.
    const late = await value<{ id: string; caseNumber: string }>('cases.create', { facts: caseFacts(e2, addDays(today(), -5)) }, people.officer);
    let bench = await workbench(people.officer);
    expect(kinds(bench, 'case_follow_up')).toMatchObject([{ recordId: late.id, label: late.caseNumber, dueOn: null }]);
    expect(kinds(bench, 'case_overdue')).toMatchObject([{ recordId: late.id, dueOn: addDays(today(), -5), overdue: true }]);
    // A follow-up that asks to look again in a month takes it off the follow-ups; it stays overdue.
    await value('cases.addFollowUp', { caseId: late.id, followUp: { followedOn: today(), kind: 'visit', note: '已现场督促', progressPercent: 30, nextFollowUpOn: addDays(today(), 30) } }, people.officer);
    bench = await workbench(people.officer);
    expect(kinds(bench, 'case_follow_up')).toEqual([]);
    expect(kinds(bench, 'case_overdue').map((item) => item.recordId)).toEqual([late.id]);
    // The manager does not look after e2: the overdue case is not on their workbench.
    expect(kinds(await workbench(people.manager), 'case_overdue')).toEqual([]);

    // A monitoring visit due yesterday and not made; one due in a month is not listed yet.
    const visit = await value<{ id: string }>(
      'monitoring.record',
      { visit: { enterpriseId: e2, dueOn: addDays(today(), -1), visitedOn: null, production: null, finance: null, energyEnvironment: null, greenInnovation: null, findingCategory: null, finding: null } },
      people.officer,
    );
    await value('monitoring.record', { visit: { enterpriseId: e2, dueOn: addDays(today(), 30), visitedOn: null, production: null, finance: null, energyEnvironment: null, greenInnovation: null, findingCategory: null, finding: null } }, people.officer);
    expect(kinds(await workbench(people.officer), 'monitoring_visit')).toMatchObject([{ recordId: visit.id, opens: { target: 'enterprise', id: e2, tab: 'rectification' }, overdue: true }]);

    // A registration lapsing in ten days on the officer's item: an alert on their workbench.
    const e3 = await enterprise('浮梁县红星化工有限公司');
    const made = await collateral(e3, people.officer);
    const approved = await value<{ id: string; version: number }>('collateral.act', { id: made.id, version: made.version, action: 'approve' }, people.manager);
    await value(
      'collateral.act',
      { id: approved.id, version: approved.version, action: 'register', registration: { registry: '江西省排污权交易中心', registrationNumber: 'JXPW-2026-7101', registeredOn: addDays(today(), -300), expiresOn: addDays(today(), 10) } },
      people.officer,
    );
    const alerts = kinds(await workbench(people.officer), 'collateral_alert');
    expect(alerts).toContainEqual(expect.objectContaining({ recordId: made.id, opens: { target: 'collateral', id: made.id, tab: null }, detail: 'registration_expiring', dueOn: addDays(today(), 10) }));
    expect(kinds(await workbench(people.manager2), 'collateral_alert')).toEqual([]);

    // A conflict head office recorded for this laptop is on everyone's workbench who syncs.
    // A conflict on this laptop's own held edit is to be decided here; another laptop's is decided there.
    const db = host.ctx.store.db;
    const clientId = db.prepare('SELECT client_id FROM device').pluck().get() as string;
    const conflict = (id: string, seq: number, heldBy: string) => ({
      id,
      seq,
      table: 'enterprises' as const,
      rowId: e2,
      baseVersion: 1,
      status: 'open' as const,
      mine: { op: 'update' as const, fields: { name: '浮梁县景华纺织股份有限公司' }, prev: { name: '浮梁县景华纺织有限公司' }, hlc: '0', userId: ids.officer, at: host.ctx.now().toISOString(), clientId: heldBy, opId: seq },
      theirs: { fields: { name: '景华纺织' }, version: 2, deleted: false },
      createdAt: host.ctx.now().toISOString(),
      resolution: null,
    });
    storeConflict(db, conflict('0193a000-0000-7000-8000-000000007101', 1, clientId));
    storeConflict(db, conflict('0193a000-0000-7000-8000-000000007102', 2, '0193a000-0000-7000-8000-0000000000ff'));
    const conflicts = kinds(await workbench(people.officer), 'sync_conflict');
    expect(conflicts).toMatchObject([{ recordId: '0193a000-0000-7000-8000-000000007101', opens: { target: 'sync' }, label: 'enterprises', detail: e2 }]);
    const shown = await value<{ id: string; mayResolve: boolean }[]>('sync.conflicts', {}, people.officer);
    expect(shown.filter((item) => item.mayResolve).map((item) => item.id)).toEqual(conflicts.map((item) => item.recordId));
  });

  it('every kind of item appeared and opened the record it names', () => {
    expect([...opened].sort()).toEqual([...workbenchItemKinds].sort());
  });

  it('the checklist goes once reference data, a sync, files and loans are there', async () => {
    expect((await workbench(people.admin)).checklist?.filter((step) => !step.done).map((step) => step.step)).toEqual(['reference_data', 'first_sync']);
    host.ctx.store.db.prepare("INSERT INTO reference_data (name, version, data, published_at) VALUES ('industry_groups', 1, '{}', '2026-11-01T00:00:00.000Z')").run();
    updateSyncState(host.ctx.store.db, { last_success_at: host.ctx.now().toISOString() });
    expect((await workbench(people.admin)).checklist).toBeNull();
  });
});
