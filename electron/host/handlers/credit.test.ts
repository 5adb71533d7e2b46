import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditDetail, MethodInput } from '../../../shared/api/index.ts';
import type { CreditTerms } from '../../../shared/domain/creditApplication.ts';
import type { EnterpriseFile } from '../../../shared/domain/enterprise.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * Credit applications through the host's own dispatch over a real encrypted database: the workflow
 * by three people, four-eyes, the gate and its override (in the audit trail), approval authority
 * and escalation — every refusal the domain rule's, named in details.rule.
 */
type Session = { sessionId: string };
const WAN = 1_000_000; // fen

describe('credit applications on the host', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  const people = {} as Record<'officer' | 'manager' | 'manager2' | 'head', Session>;
  let serial = 100;

  const call = async <M extends Parameters<typeof host.dispatch>[0]>(method: M, input: unknown, session: Session) => host.dispatch(method, input as never, session);
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

  async function enterprise(name: string, change: (file: EnterpriseFile) => void = () => {}, rating: string | null = 'green'): Promise<string> {
    const file = sampleEnterpriseFile(name, testUscc((serial += 1)));
    change(file);
    const created = await value<{ id: string }>('enterprises.create', { file }, people.officer);
    if (rating !== null) await value('enterprises.addRating', { enterpriseId: created.id, entry: { level: rating, bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } }, people.officer);
    return created.id;
  }
  const terms = (enterpriseId: string, overrides: Partial<CreditTerms> = {}): MethodInput<'credit.create'>['terms'] => ({
    enterpriseId,
    product: 'working_capital',
    amountFen: 200 * WAN,
    termMonths: 12,
    rateBp: 435,
    purpose: '购买原材料',
    purposeKind: 'general',
    guaranteeMode: 'guarantee',
    greenProject: false,
    project: null,
    ...overrides,
  });
  const create = (enterpriseId: string, overrides: Partial<CreditTerms> = {}, by: Session = people.officer) => value<CreditDetail>('credit.create', { terms: terms(enterpriseId, overrides) }, by);
  const act = (application: CreditDetail, action: string, by: Session, opinion = '同意') => value<CreditDetail>('credit.act', { id: application.id, version: application.version, action, opinion }, by);

  beforeAll(async () => {
    host = await hostWithUsers();
    people.officer = host.sessions.officer;
    people.manager = host.sessions.manager;
    for (const [username, role] of [
      ['manager2', 'credit_manager'],
      ['head', 'branch_head'],
    ] as const) {
      people[username] = { sessionId: username };
      await value('users.create', { username, displayName: username === 'head' ? '王行长' : '赵经理', role, password: 'Password2026' }, host.sessions.admin);
      await value('session.login', { username, password: 'Password2026' }, people[username]);
      await value('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2026' }, people[username]);
    }
  });
  afterAll(() => host?.cleanup());

  it('a recommended enterprise’s application is 优先 and goes 调查 → 审查 → 审批 by three people, each step timed', async () => {
    const id = await enterprise('景德镇华盛建材有限公司', (file) => {
      file.greenCredentials.miitRecommendation = { recommended: true, date: '2026-02-01', batch: '2026年第一批' };
    });
    let application = await create(id);
    expect(application).toMatchObject({ status: 'investigation', priority: true, waitingForMe: true, allowedActions: ['submit', 'edit'] });
    expect(application.waiting).toMatchObject({ step: 'investigation', targetWorkingDays: 3, open: true });

    application = await act(application, 'submit', people.officer, '经实地调查，企业经营正常，建议授信');
    expect(application).toMatchObject({ status: 'review', waitingForMe: false, allowedActions: [] });
    const reviewing = await value<CreditDetail>('credit.get', { id: application.id }, people.manager);
    expect(reviewing).toMatchObject({ waitingForMe: true, allowedActions: ['pass', 'return', 'reject'] });

    application = await act(reviewing, 'pass', people.manager, '审查同意');
    // The reviewer may not also decide: the approval waits for another credit manager.
    expect((await value<CreditDetail>('credit.get', { id: application.id }, people.manager)).allowedActions).toEqual([]);
    const approving = await value<CreditDetail>('credit.get', { id: application.id }, people.manager2);
    expect(approving).toMatchObject({ waitingForMe: true, authority: { limitFen: 300 * WAN, covers: true, escalateTo: null } });
    expect(approving.allowedActions).toEqual(['return', 'reject', 'approve']);

    application = await act(approving, 'approve', people.manager2, '同意授信 200 万元');
    expect(application).toMatchObject({ status: 'approved', waiting: null, decider: { name: '赵经理' }, reviewer: { name: 'manager' } });
    expect(application.steps.map((step) => [step.step, step.action, step.actor.name, step.timing.targetWorkingDays])).toEqual([
      ['investigation', 'submit', 'officer', 3],
      ['review', 'pass', 'manager', 2],
      ['approval', 'approve', '赵经理', 1],
    ]);
    expect(application.steps.every((step) => step.timing.workingDays >= 0 && !step.timing.open)).toBe(true);

    const history = await value<{ action: string }[]>('records.history', { recordType: 'credit_applications', recordId: application.id }, people.officer);
    // 变更记录, newest first.
    expect(history.map((entry) => entry.action)).toEqual(['credit_approve', 'credit_pass', 'credit_submit', 'insert']);
  });

  it('the investigator cannot review or approve their own application (four-eyes), nor a reviewer decide it', async () => {
    const id = await enterprise('浮梁县瓷都纺织有限公司');
    // A credit manager investigates: they hold the approving permission, the workflow still refuses.
    let application = await create(id, {}, people.manager);
    application = await act(application, 'submit', people.manager);
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'pass', opinion: '自审' }, people.manager))?.details).toMatchObject({ rule: 'FOUR_EYES_INVESTIGATOR' });
    application = await act(application, 'pass', people.manager2);
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'approve', opinion: '自批' }, people.manager))?.details).toMatchObject({ rule: 'FOUR_EYES_INVESTIGATOR' });
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'approve', opinion: '审查人审批' }, people.manager2))?.details).toMatchObject({ rule: 'FOUR_EYES_REVIEWER' });
    // A loan officer has no approving permission at all.
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'approve', opinion: '越权' }, people.officer))?.details).toMatchObject({ rule: 'ROLE' });
  });

  it('refuses skipped and repeated steps, stale versions and edits after submission', async () => {
    const id = await enterprise('浮梁县红塔食品有限公司');
    let application = await create(id);
    expect(await refusal('credit.act', { id: application.id, version: application.version, action: 'approve', opinion: '跳过审查' }, people.manager)).toMatchObject({ code: 'CONFLICT', details: { rule: 'ILLEGAL_TRANSITION' } });
    const submitted = await act(application, 'submit', people.officer);
    expect(await refusal('credit.act', { id: application.id, version: application.version, action: 'pass', opinion: '旧版本' }, people.manager)).toMatchObject({ code: 'CONFLICT', details: { rule: 'STALE' } });
    expect((await refusal('credit.update', { id: application.id, version: submitted.version, terms: terms(id, { amountFen: 900 * WAN }) }, people.officer))?.details).toMatchObject({ rule: 'TERMS_LOCKED' });
    // Returned for more information: back to the investigator, who may edit again and resubmit.
    application = await act(submitted, 'return', people.manager, '请补充近三年财务报表');
    expect(application).toMatchObject({ status: 'investigation', reviewer: null });
    application = await value<CreditDetail>('credit.update', { id: application.id, version: application.version, terms: terms(id, { amountFen: 250 * WAN }) }, people.officer);
    expect(application.terms.amountFen).toBe(250 * WAN);
    application = await act(application, 'submit', people.officer, '已补充财务报表');
    expect(application.steps.map((step) => step.action)).toEqual(['submit', 'return', 'submit']);
  });

  it('a red-rated enterprise is denied with the reason, unless the money finances pollution control: then an override, in the audit trail', async () => {
    const id = await enterprise('浮梁县东风化工有限公司', () => {}, 'red');
    expect(await value('credit.gate', { enterpriseId: id, purposeKind: 'general' }, people.officer)).toMatchObject({ verdict: 'deny', reasons: [{ code: 'ADVERSE_RATING', params: { level: 'red' } }] });
    expect(await refusal('credit.create', { terms: terms(id) }, people.officer)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'GATE_DENIED', gate: { verdict: 'deny' } } });

    let application = await create(id, { purposeKind: 'pollution_control', purpose: '建设污水处理设施' });
    expect(application).toMatchObject({ gate: { verdict: 'needs_override' }, gatePasses: false, override: null });
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'submit', opinion: '提交' }, people.officer))?.details).toMatchObject({ rule: 'GATE_OVERRIDE_REQUIRED' });
    // Not by the investigator's own role, and not without a reason.
    expect((await refusal('credit.override', { id: application.id, version: application.version, reason: '污染治理' }, people.officer))?.code).toBe('FORBIDDEN');
    expect((await refusal('credit.override', { id: application.id, version: application.version, reason: '短' }, people.manager))?.code).toBe('VALIDATION');
    const manager = await value<CreditDetail>('credit.get', { id: application.id }, people.manager);
    expect(manager.allowedActions).toContain('override');
    application = await value<CreditDetail>('credit.override', { id: application.id, version: application.version, reason: '贷款专用于污水处理设施建设，属污染防治项目' }, people.manager);
    expect(application).toMatchObject({ gatePasses: true, override: { by: { name: 'manager' }, reason: '贷款专用于污水处理设施建设，属污染防治项目', codes: ['ADVERSE_RATING_REMEDIAL_PURPOSE'] } });
    application = await act(application, 'submit', people.officer);
    expect(application.status).toBe('review');

    const audit = await value<{ rows: { action: string; after: Record<string, unknown> | null; userName: string }[] }>('audit.list', { recordType: 'credit_applications', recordId: application.id }, host.sessions.admin);
    const entry = audit.rows.find((row) => row.action === 'gate_override');
    expect(entry).toMatchObject({ userName: 'manager', after: { gate_override_reason: '贷款专用于污水处理设施建设，属污染防治项目' } });
  });

  it('outdated capacity past its exit date needs an override; on the deadline day it does not', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const past = await enterprise('浮梁县老窑陶瓷有限公司', (file) => {
      file.flags.outdatedCapacity = { flagged: true, exitDeadline: yesterday, exitedOn: null };
    });
    const onTheDay = await enterprise('浮梁县新窑陶瓷有限公司', (file) => {
      file.flags.outdatedCapacity = { flagged: true, exitDeadline: today, exitedOn: null };
    });
    expect(await value('credit.gate', { enterpriseId: past, purposeKind: 'general' }, people.officer)).toMatchObject({ verdict: 'needs_override', reasons: [{ code: 'OUTDATED_CAPACITY_NOT_EXITED', params: { exitDeadline: yesterday } }] });
    expect(await value('credit.gate', { enterpriseId: onTheDay, purposeKind: 'general' }, people.officer)).toMatchObject({ verdict: 'allow' });
    const application = await create(past);
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'submit', opinion: '提交' }, people.officer))?.details).toMatchObject({ rule: 'GATE_OVERRIDE_REQUIRED' });
  });

  it('an unrated enterprise passes with a warning', async () => {
    const id = await enterprise('浮梁县未评企业有限公司', () => {}, null);
    expect(await value('credit.gate', { enterpriseId: id, purposeKind: 'general' }, people.officer)).toMatchObject({ verdict: 'allow', warnings: [{ code: 'NO_RATING' }] });
  });

  it('an approval above the approver’s limit is refused naming it, and escalates to the branch head, then 上报上级行', async () => {
    const id = await enterprise('浮梁县金鼎机械有限公司');
    let application = await create(id, { amountFen: 300 * WAN + 1 });
    application = await act(application, 'submit', people.officer);
    application = await act(application, 'pass', people.manager);
    const approving = await value<CreditDetail>('credit.get', { id: application.id }, people.manager2);
    expect(approving).toMatchObject({ authority: { limitFen: 300 * WAN, covers: false, escalateTo: 'branch_head' } });
    expect(approving.allowedActions).toContain('escalate');
    expect(await refusal('credit.act', { id: application.id, version: application.version, action: 'approve', opinion: '同意' }, people.manager2)).toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'AUTHORITY_EXCEEDED', limitFen: 300 * WAN, escalateTo: 'branch_head' },
    });
    application = await act(approving, 'escalate', people.manager2, '超出本人权限，报行长审批');
    expect(application).toMatchObject({ status: 'approval', approvalLevel: 'branch_head' });
    const head = await value<CreditDetail>('credit.get', { id: application.id }, people.head);
    expect(head).toMatchObject({ waitingForMe: true, authority: { limitFen: 1_000 * WAN, covers: true } });
    application = await act(head, 'approve', people.head, '同意');
    expect(application.status).toBe('approved');

    // Above the branch head's limit too: 上报上级行, waiting for head office.
    let large = await create(id, { amountFen: 1_000 * WAN + 1 });
    large = await act(large, 'submit', people.officer);
    large = await act(large, 'pass', people.manager);
    large = await act(large, 'escalate', people.manager2, '超出支行权限');
    expect(large).toMatchObject({ status: 'escalated', waiting: { step: 'escalated' } });
    expect((await value<CreditDetail>('credit.get', { id: large.id }, people.head)).allowedActions).toEqual([]);
  });

  it('a green project is approved at the uplifted limit; at 300 万 a credit manager may not escalate what they can decide', async () => {
    const id = await enterprise('浮梁县光伏新能源有限公司');
    let application = await create(id, { amountFen: 360 * WAN, greenProject: true });
    application = await act(application, 'submit', people.officer);
    application = await act(application, 'pass', people.manager);
    expect((await refusal('credit.act', { id: application.id, version: application.version, action: 'escalate', opinion: '上报' }, people.manager2))?.details).toMatchObject({ rule: 'AUTHORITY_COVERS' });
    application = await act(application, 'approve', people.manager2);
    expect(application.status).toBe('approved');
  });

  it('lists applications with 待我处理, status and priority filters', async () => {
    const mine = await value<{ rows: { id: string; status: string; waitingForMe: boolean }[]; total: number }>('credit.list', { filter: { waitingForMe: true } }, people.manager);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.rows.every((row) => row.waitingForMe && row.status === 'review')).toBe(true);
    const priority = await value<{ rows: { priority: boolean; enterpriseName: string }[] }>('credit.list', { filter: { priority: true } }, people.officer);
    expect(priority.rows.map((row) => row.enterpriseName)).toEqual(['景德镇华盛建材有限公司']);
    const decided = await value<{ rows: { status: string }[]; total: number }>('credit.list', { filter: { status: 'decided' }, sort: { field: 'amountFen', order: 'desc' } }, people.officer);
    expect(decided.rows.map((row) => row.status).every((status) => status === 'approved' || status === 'rejected')).toBe(true);
    const byName = await value<{ rows: { enterpriseName: string }[] }>('credit.list', { filter: { query: '金鼎机械' } }, people.officer);
    expect(byName.rows.map((row) => row.enterpriseName)).toEqual(['浮梁县金鼎机械有限公司', '浮梁县金鼎机械有限公司']);
  });
});
