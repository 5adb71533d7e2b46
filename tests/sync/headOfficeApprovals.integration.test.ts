import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { CreditDetail, EnterpriseDetail, SyncStatus } from '../../shared/api/index.ts';
import { headOfficeAdmin, headOfficePerson, type HeadOfficeLogin } from '../../server/testing/headOffice.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * Head office decides an application a branch escalated (issue 18, acceptance 1 without the
 * browser): a laptop escalates an application above the branch's authority (上报上级行) and syncs to
 * a real hub process; it waits in the console's 审批队列; a 总行审批人 whose limit is too low is
 * refused, naming the limit, and one whose limit covers it approves with an opinion; the laptop's
 * next sync brings the decision, with its step, into the application and the laptop's audit trail;
 * head office's own trail holds the refusal and the decision. Counts stay within this test's branch.
 */
const WAN = 1_000_000; // fen

describe('an application escalated on a laptop is decided in the head-office console', () => {
  let hub: HubProcess;
  let laptop: Laptop;
  let admin: HeadOfficeLogin;
  const suffix = Date.now() % 100000;
  const branchName = `浮梁县支行${suffix}`;
  const manager2 = { sessionId: 'manager2' };

  type Detail = { application: { rowId: string; version: number; status: string; enterpriseName: string | null; amountFen: number }; steps: { step: string; opinion: string; actor: string | null }[] };
  type Answer<T> = { status: number; body: { ok: boolean; value?: T; error?: { code: string; message: string; details?: Record<string, unknown> } } };
  const api = async <T,>(path: string, login: HeadOfficeLogin, body?: unknown): Promise<Answer<T>> => {
    const response = await fetch(new URL(`/console/api${path}`, hub.url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie: login.cookie, ...(body === undefined ? {} : { origin: hub.url, 'content-type': 'application/json', 'x-csrf-token': login.csrf }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
  };
  const queue = async (login: HeadOfficeLogin) => {
    const answer = await api<{ rows: (Detail['application'] & { branchId: string; branchName: string })[]; total: number }>('/approvals', login);
    expect(answer.status).toBe(200);
    return answer.body.value!.rows;
  };
  const sync = () => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));

  beforeAll(async () => {
    hub = await startHub();
    ({ A: laptop } = await enrolledLaptops(hub, branchName, `FL-HO18-${suffix}`, ['A']));
    // A second credit manager: the reviewer may not also decide (or escalate) the application.
    await value(laptop.dispatch('users.create', { username: 'manager2', displayName: '赵经理', role: 'credit_manager', password: 'Password2026' }, laptop.sessions.admin));
    await value(laptop.dispatch('session.login', { username: 'manager2', password: 'Password2026' }, manager2));
    await value(laptop.dispatch('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2026' }, manager2));
    admin = await headOfficeAdmin(hub.url, hub.adminToken);
  }, 300_000);

  afterAll(async () => {
    laptop?.cleanup();
    await hub?.stop();
  });

  it('waits in the queue after sync, is refused above a low limit, approved within a covering one, and shows approved on the laptop after its next sync', async () => {
    const enterprise = await value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县总行审批陶瓷有限公司', testUscc(1801)) }, laptop.sessions.officer));
    await value(laptop.dispatch('enterprises.addRating', { enterpriseId: enterprise.id, entry: { level: 'green', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } }, laptop.sessions.officer));
    const terms = { enterpriseId: enterprise.id, product: 'working_capital', amountFen: 1_500 * WAN, termMonths: 12, rateBp: 435, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
    let application = await value<CreditDetail>(laptop.dispatch('credit.create', { terms }, laptop.sessions.officer));
    const act = async (action: string, session: { sessionId: string }, opinion: string) =>
      (application = await value<CreditDetail>(laptop.dispatch('credit.act', { id: application.id, version: application.version, action, opinion }, session)));
    await act('submit', laptop.sessions.officer, '经实地调查，建议授信');
    await act('pass', laptop.sessions.manager, '审查通过');
    await act('escalate', manager2, '超出支行权限，上报上级行');
    expect(application.status).toBe('escalated');
    await sync();

    // Opened by the 总行管理员 from the console's API; the viewer reads the queue and cannot decide.
    const low = await headOfficePerson(hub.url, admin, 'ho_approver', '钱审批', 1_000 * WAN);
    const high = await headOfficePerson(hub.url, admin, 'ho_approver', '孙审批', 2_000 * WAN);
    const viewer = await headOfficePerson(hub.url, admin, 'ho_viewer', '李查看');

    const waiting = (await queue(viewer)).find((row) => row.rowId === application.id);
    expect(waiting).toMatchObject({ branchName, enterpriseName: '浮梁县总行审批陶瓷有限公司', amountFen: 1_500 * WAN, status: 'escalated', version: expect.any(Number) });
    const path = `/approvals/${waiting!.branchId}/${application.id}`;
    const viewed = await api<Detail>(path, viewer);
    expect(viewed.status).toBe(200);
    expect(viewed.body.value!.steps.map((step) => step.opinion)).toContain('超出支行权限，上报上级行');
    const version = viewed.body.value!.application.version;
    expect(version).toBe(waiting!.version);
    const byViewer = await api(path, viewer, { action: 'approve', opinion: '同意', version });
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error?.details).toMatchObject({ reason: 'ROLE', permission: 'applications.decide' });

    const refused = await api(path, low, { action: 'approve', opinion: '同意', version });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'AUTHORITY_EXCEEDED', amountFen: 1_500 * WAN, limitFen: 1_000 * WAN } });
    expect((await api(path, high, { action: 'approve', opinion: '', version })).status).toBe(400);
    // A stale version (the page read before a change) is refused as such.
    expect((await api(path, high, { action: 'approve', opinion: '同意授信', version: version - 1 })).body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'STALE' } });
    const approved = await api<Detail>(path, high, { action: 'approve', opinion: '同意授信，按期跟踪环境信用', version });
    expect(approved.status).toBe(200);
    expect(approved.body.value!.application).toMatchObject({ status: 'approved', enterpriseName: '浮梁县总行审批陶瓷有限公司' });
    expect(approved.body.value!.steps.at(-1)).toMatchObject({ step: 'escalated', opinion: '同意授信，按期跟踪环境信用', actor: null });
    // Decided once: the queue no longer holds it, and a second decision is refused.
    expect((await queue(high)).map((row) => row.rowId)).not.toContain(application.id);
    const again = await api(path, high, { action: 'reject', opinion: '再次决定', version: approved.body.value!.application.version });
    expect(again.status).toBe(409);
    expect(again.body.error?.details).toMatchObject({ reason: 'NOT_ESCALATED' });

    // The laptop's next sync brings the decision: approved, by head office, with the opinion; audited there.
    await sync();
    const onLaptop = await value<CreditDetail>(laptop.dispatch('credit.get', { id: application.id }, laptop.sessions.officer));
    expect(onLaptop).toMatchObject({ status: 'approved', decider: { id: high.userId } });
    expect(onLaptop.decidedAt).not.toBeNull();
    expect(onLaptop.steps.at(-1)).toMatchObject({ step: 'escalated', action: 'approve', opinion: '同意授信，按期跟踪环境信用', actor: { id: high.userId }, toStatus: 'approved' });
    const trail = await value<{ rows: { action: string; userId: string | null; after: Record<string, unknown> | null }[] }>(
      laptop.dispatch('audit.list', { recordType: 'credit_applications', recordId: application.id, pageSize: 100 }, laptop.sessions.admin),
    );
    expect(trail.rows).toContainEqual(expect.objectContaining({ action: 'sync_update', userId: high.userId, after: expect.objectContaining({ status: 'approved', decider_id: high.userId }) }));

    // Head office's trail: the refusal naming the limit, and the decision with its opinion.
    const audit = await fetch(new URL('/console/api/audit', hub.url), { headers: { cookie: admin.cookie } });
    const rows = ((await audit.json()) as { value: { rows: { action: string; user_id: string | null; record_id: string | null; after: string | null }[]; verification: { ok: boolean } } }).value;
    expect(rows.verification.ok).toBe(true);
    const mine = rows.rows.filter((row) => row.record_id === application.id);
    expect(mine.map((row) => [row.action, row.user_id])).toEqual([
      ['credit.approve', high.userId],
      ['credit.approve.refused', low.userId],
    ]);
    expect(JSON.parse(mine[0]!.after!)).toMatchObject({ status: 'approved', opinion: '同意授信，按期跟踪环境信用', amountFen: 1_500 * WAN });
    expect(JSON.parse(mine[1]!.after!)).toMatchObject({ reason: 'AUTHORITY_EXCEEDED', limitFen: 1_000 * WAN });
  });
});
