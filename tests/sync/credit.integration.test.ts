import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { CreditDetail, EnterpriseDetail, RejectedChange, SessionState, SyncConflict, SyncStatus } from '../../shared/api/index.ts';
import { updateRecord } from '../../db/records.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, type Laptop } from './laptops.ts';

/**
 * Credit applications across laptops and a real hub process (issue 13 acceptance 4): the workflow
 * converges on every laptop; two credit managers deciding one application offline make a conflict
 * resolved with the 同步 page's own calls; and the hub refuses what a laptop whose host checks were
 * bypassed pushes (a row written straight into its database and outbox) — a self-approval, a
 * skipped step — with the lifecycle rule's reason, which the laptop lists in 同步.
 */
type Session = { sessionId: string };
type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

async function value<T>(promise: Promise<Answer>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

describe('credit applications through a real hub process', () => {
  let hub: HubProcess;
  let laptops: Record<'A' | 'B' | 'C', Laptop>;
  let serial = 500;

  const sync = (laptop: Laptop) => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
  const syncAll = async () => {
    for (const name of ['A', 'B', 'C'] as const) await sync(laptops[name]);
  };
  const get = (laptop: Laptop, id: string, session: Session = laptop.sessions.officer) => value<CreditDetail>(laptop.dispatch('credit.get', { id }, session));
  const act = async (laptop: Laptop, session: Session, id: string, action: string, opinion: string) => {
    const current = await get(laptop, id, session);
    return value<CreditDetail>(laptop.dispatch('credit.act', { id, version: current.version, action, opinion }, session));
  };
  const userOf = async (laptop: Laptop, session: Session) => (await value<SessionState>(laptop.dispatch('session.get', {}, session))).user!;

  /** An application made on A by A's loan officer, submitted, and reviewed on B; every laptop has it at 审批. */
  async function atApproval(name: string): Promise<string> {
    const file = sampleEnterpriseFile(name, testUscc(serial++));
    const enterprise = await value<EnterpriseDetail>(laptops.A.dispatch('enterprises.create', { file }, laptops.A.sessions.officer));
    await value(laptops.A.dispatch('enterprises.addRating', { enterpriseId: enterprise.id, entry: { level: 'blue', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } }, laptops.A.sessions.officer));
    const terms = { enterpriseId: enterprise.id, product: 'working_capital', amountFen: 150_000_000, termMonths: 12, rateBp: 420, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
    const created = await value<CreditDetail>(laptops.A.dispatch('credit.create', { terms }, laptops.A.sessions.officer));
    await act(laptops.A, laptops.A.sessions.officer, created.id, 'submit', '经实地调查，建议授信');
    await syncAll();
    await act(laptops.B, laptops.B.sessions.manager, created.id, 'pass', '审查同意');
    await sync(laptops.B);
    await syncAll();
    return created.id;
  }

  beforeAll(async () => {
    hub = await startHub();
    laptops = await enrolledLaptops(hub, '浮梁县支行', 'FL-013', ['A', 'B', 'C']);
  }, 300_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  it('the workflow converges on every laptop; two managers deciding offline make a conflict resolved in 同步', async () => {
    const id = await atApproval('浮梁县同步授信有限公司');
    for (const laptop of Object.values(laptops)) expect(await get(laptop, id)).toMatchObject({ status: 'approval', investigator: { name: 'officer' }, reviewer: { name: 'manager' } });

    // A's and C's credit managers both decide it, each offline on the same version.
    await act(laptops.A, laptops.A.sessions.manager, id, 'approve', '同意授信');
    await act(laptops.C, laptops.C.sessions.manager, id, 'reject', '担保不足，不同意');
    await sync(laptops.A);
    const onC = await sync(laptops.C);
    expect(onC.openConflicts).toBe(1);
    const [conflict] = await value<SyncConflict[]>(laptops.C.dispatch('sync.conflicts', {}, laptops.C.sessions.manager));
    expect(conflict).toMatchObject({ table: 'credit_applications', rowId: id, heldFor: 'this', mayResolve: true, mine: { status: 'rejected' }, theirs: { status: 'approved' } });

    // C keeps its decision, as the 同步 page does: the hub checks the row is still four-eyes clean.
    await value(laptops.C.dispatch('sync.resolve', { id: conflict!.id, choice: 'mine', expectedVersion: conflict!.theirsVersion }, laptops.C.sessions.manager));
    await syncAll();
    const cManager = await userOf(laptops.C, laptops.C.sessions.manager);
    for (const laptop of Object.values(laptops)) {
      expect(await get(laptop, id)).toMatchObject({ status: 'rejected', decider: { id: cManager.id } });
      expect(await value<SyncConflict[]>(laptop.dispatch('sync.conflicts', {}, laptop.sessions.officer))).toEqual([]);
    }
  });

  it('refuses a self-approval written straight into a laptop’s database and outbox, with the reason shown in 同步', async () => {
    const id = await atApproval('浮梁县绕过审批有限公司');
    const officer = await userOf(laptops.A, laptops.A.sessions.officer);
    const { db } = laptops.A.store;
    const branchId = db.prepare('SELECT id FROM branch').pluck().get() as string;
    // The host would refuse (four-eyes); the repository's write path does not know the rule.
    updateRecord(db, 'credit_applications', id, { status: 'approved', decider_id: officer.id, decided_at: new Date().toISOString() }, { userId: officer.id, userName: 'officer', branchId }, new Date());
    expect(db.prepare('SELECT status FROM credit_applications WHERE id = ?').pluck().get(id)).toBe('approved');

    const status = await sync(laptops.A);
    expect(status.rejected).toBe(1);
    const [rejection] = await value<RejectedChange[]>(laptops.A.dispatch('sync.rejections', {}, laptops.A.sessions.officer));
    expect(rejection).toMatchObject({ table: 'credit_applications', rowId: id, reason: 'LIFECYCLE', userId: officer.id });
    expect(rejection!.issues.map((issue) => issue.rule)).toEqual(['FOUR_EYES_ROW', 'ROLE_NOT_PERMITTED', 'FOUR_EYES_INVESTIGATOR']);

    // Head office's row stands: back at 审批 on every laptop, A included.
    await syncAll();
    for (const laptop of Object.values(laptops)) expect(await get(laptop, id)).toMatchObject({ status: 'approval', decider: null });
  });

  it('refuses a skipped workflow step pushed from a laptop', async () => {
    const file = sampleEnterpriseFile('浮梁县跳步测试有限公司', testUscc(serial++));
    const enterprise = await value<EnterpriseDetail>(laptops.B.dispatch('enterprises.create', { file }, laptops.B.sessions.officer));
    const terms = { enterpriseId: enterprise.id, product: 'fixed_asset', amountFen: 80_000_000, termMonths: 36, rateBp: 450, purpose: '购置生产设备', purposeKind: 'general', guaranteeMode: 'mortgage', greenProject: false, project: null };
    const created = await value<CreditDetail>(laptops.B.dispatch('credit.create', { terms }, laptops.B.sessions.officer));
    await sync(laptops.B);
    const manager = await userOf(laptops.B, laptops.B.sessions.manager);
    const { db } = laptops.B.store;
    const branchId = db.prepare('SELECT id FROM branch').pluck().get() as string;
    // Straight from 调查 to 已批准, by a credit manager: no review, no approval step.
    updateRecord(db, 'credit_applications', created.id, { status: 'approved', reviewer_id: manager.id, decider_id: manager.id }, { userId: manager.id, userName: 'manager', branchId }, new Date());
    await sync(laptops.B);
    const rejections = await value<RejectedChange[]>(laptops.B.dispatch('sync.rejections', {}, laptops.B.sessions.officer));
    expect(rejections.find((rejection) => rejection.rowId === created.id)?.issues.map((issue) => issue.rule)).toContain('ILLEGAL_TRANSITION');
    await sync(laptops.A);
    expect(await get(laptops.A, created.id)).toMatchObject({ status: 'investigation' });
  });
});

