import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { sampleCaseFacts } from '../../shared/domain/testing.ts';
import type { CaseDetail, EnterpriseDetail, GateResultOutput, RejectedChange, SessionState, SyncStatus } from '../../shared/api/index.ts';
import { updateRecord } from '../../db/records.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, type Laptop } from './laptops.ts';

/**
 * Rectification cases across two laptops and a real hub process (issue 16 acceptance 3): a case
 * opened on A with a photographed follow-up reaches B, where the credit gate names it; an officer's
 * close written straight into A's database and outbox (its host's checks bypassed) is refused by the
 * hub with the case workflow's reason; B's credit manager then verifies and closes it, and A's gate
 * lets a new application through.
 */
type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

async function value<T>(promise: Promise<Answer>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);

describe('rectification cases through a real hub process', () => {
  let hub: HubProcess;
  let laptops: Record<'A' | 'B', Laptop>;

  const sync = (laptop: Laptop) => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
  const syncAll = async () => {
    await sync(laptops.A);
    await sync(laptops.B);
    await sync(laptops.A);
  };
  const get = (laptop: Laptop, id: string) => value<CaseDetail>(laptop.dispatch('cases.get', { id }, laptop.sessions.manager));
  const gate = (laptop: Laptop, enterpriseId: string) => value<GateResultOutput>(laptop.dispatch('credit.gate', { enterpriseId, purposeKind: 'general' }, laptop.sessions.officer));
  const userOf = async (laptop: Laptop, session: { sessionId: string }) => (await value<SessionState>(laptop.dispatch('session.get', {}, session))).user!;

  beforeAll(async () => {
    hub = await startHub();
    laptops = await enrolledLaptops(hub, '浮梁县支行', `FL-016-${Date.now() % 100000}`, ['A', 'B']);
  }, 300_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  it('the hub refuses an officer’s own close pushed directly; a credit manager on the other laptop closes it', async () => {
    const { A, B } = laptops;
    const officer = await userOf(A, A.sessions.officer);
    const enterprise = await value<EnterpriseDetail>(A.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县整改同步陶瓷有限公司', testUscc(1616)) }, A.sessions.officer));
    await value(A.dispatch('enterprises.addRating', { enterpriseId: enterprise.id, entry: { level: 'green', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } }, A.sessions.officer));
    const facts = {
      enterpriseId: enterprise.id,
      category: 'environmental',
      source: 'penalty_decision',
      sourceReference: '浮环罚〔2026〕16号',
      sourceAuthority: '浮梁县生态环境局',
      sourceDate: '2026-05-20',
      foundOn: '2026-05-25',
      description: '窑炉烟气颗粒物超标排放',
      requiredActions: '更换除尘设施并经监测达标',
      deadline: '2099-12-31',
      measure: 'urge',
      exposurePlan: [],
      officerId: officer.id,
    };
    let item = await value<CaseDetail>(A.dispatch('cases.create', { facts }, A.sessions.officer));
    item = await value<CaseDetail>(A.dispatch('cases.addFollowUp', { caseId: item.id, followUp: { followedOn: '2026-06-10', kind: 'visit', note: '除尘设施已更换', progressPercent: 100, nextFollowUpOn: null } }, A.sessions.officer));
    await value(A.dispatch('attachments.add', { ownerType: 'rectification_follow_ups', ownerId: item.followUps[0]!.id, fileName: '除尘设施.png', mime: 'image/png', contentBase64: png.toString('base64'), note: '更换后的除尘设施' }, A.sessions.officer));
    item = await value<CaseDetail>(A.dispatch('cases.act', { id: item.id, version: item.version, action: 'submit' }, A.sessions.officer));
    await syncAll();

    expect(await get(B, item.id)).toMatchObject({ caseNumber: item.caseNumber, status: 'submitted', evidenceCount: 1, officerName: 'officer' });
    expect(await gate(B, enterprise.id)).toMatchObject({ verdict: 'needs_override', reasons: [{ code: 'RECTIFICATION_CASE_OPEN', params: { caseNumber: item.caseNumber } }] });

    // A's officer closes their own case, the host bypassed: straight into the database and outbox.
    const { db } = A.store;
    const branchId = db.prepare('SELECT id FROM branch').pluck().get() as string;
    updateRecord(db, 'rectification_cases', item.id, { status: 'closed', verifier_id: officer.id, verified_at: new Date().toISOString() }, { userId: officer.id, userName: 'officer', branchId }, new Date());
    const status = await sync(A);
    expect(status.rejected).toBe(1);
    const [rejection] = await value<RejectedChange[]>(A.dispatch('sync.rejections', {}, A.sessions.officer));
    expect(rejection).toMatchObject({ table: 'rectification_cases', rowId: item.id, reason: 'LIFECYCLE', userId: officer.id });
    expect(rejection!.issues.map((issue) => issue.rule)).toEqual(['CASE_FOUR_EYES_ROW', 'CASE_NOT_CREDIT_MANAGER']);
    await syncAll();
    for (const laptop of [A, B]) expect(await get(laptop, item.id)).toMatchObject({ status: 'submitted', verifierId: null });

    // B's credit manager verifies it; both laptops see it closed and the gate lets credit through.
    const onB = await get(B, item.id);
    await value(B.dispatch('cases.act', { id: item.id, version: onB.version, action: 'verify', note: '经现场核实，整改到位' }, B.sessions.manager));
    await syncAll();
    const manager = await userOf(B, B.sessions.manager);
    for (const laptop of [A, B]) {
      expect(await get(laptop, item.id)).toMatchObject({ status: 'closed', verifierId: manager.id });
      expect((await gate(laptop, enterprise.id)).verdict).toBe('allow');
    }
  });

  it('a 督促整改函 recorded as sent on A reaches B: its number, day, sender and the very PDF', async () => {
    const { A, B } = laptops;
    const officer = await userOf(A, A.sessions.officer);
    const enterprise = await value<EnterpriseDetail>(A.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县函件同步化工有限公司', testUscc(1617)) }, A.sessions.officer));
    const facts = sampleCaseFacts(enterprise.id, officer.id, { category: 'work_safety', source: 'inspection', sourceReference: null, sourceAuthority: '浮梁县应急管理局', sourceDate: null, description: '危化品仓库未设防爆设施' });
    let item = await value<CaseDetail>(A.dispatch('cases.create', { facts }, A.sessions.officer));
    item = await value<CaseDetail>(A.dispatch('cases.recordLetter', { caseId: item.id, version: item.version }, A.sessions.officer));
    const sent = item.letters[0]!;
    const onA = await value<{ contentBase64: string }>(A.dispatch('attachments.get', { id: sent.attachment!.id }, A.sessions.officer));
    await syncAll();
    const onB = await get(B, item.id);
    expect(onB).toMatchObject({ letterSentOn: sent.sentOn, letters: [{ letterNumber: sent.letterNumber, sentOn: sent.sentOn, sentByName: 'officer', attachment: { id: sent.attachment!.id, sha256: sent.attachment!.sha256 } }] });
    const fileOnB = await value<{ contentBase64: string }>(B.dispatch('attachments.get', { id: sent.attachment!.id }, B.sessions.manager));
    expect(fileOnB.contentBase64).toBe(onA.contentBase64);
  }, 180_000);
});
