import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { CaseDetail, CollateralDetail, CollateralItemInput, CreditDetail, EnterpriseDetail, GreenTagDetail, LoanDetail, RejectedChange, SessionState, SyncStatus, User } from '../../shared/api/index.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';
import { updateRecord, type Row } from '../../db/records.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * The credit-manager-only rules at the hub, by the ROLE of the person a change names (the branch's
 * people directory the hub holds): a case close, a green-tag confirmation, a collateral approval and
 * a credit approval written straight into a laptop's database and outbox (its host's checks
 * bypassed) by a loan officer who is not the record's maker are refused naming the rule; the same
 * step by a credit manager passes — also one created in the same push; a switched-off account's
 * step and one by a person the hub has never heard of are refused too.
 */
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);

describe('role-gated steps pushed directly to a real hub process', () => {
  let hub: HubProcess;
  let laptop: Laptop;
  let serial = 7_700;
  let branchId: string;
  let officer: User;
  let manager: User;
  /** A second loan officer of the branch: not the maker of anything below. */
  let colleague: User;

  const sync = (session = laptop.sessions.officer) => value<SyncStatus>(laptop.dispatch('sync.now', {}, session));
  /** One sync, and how many of this laptop's changes the hub refused in it (the status counts them all). */
  let refusedSoFar = 0;
  const syncRefused = async () => {
    const status = await sync();
    expect(status.lastError).toBeNull();
    const refused = status.rejected - refusedSoFar;
    refusedSoFar = status.rejected;
    return refused;
  };
  const userOf = async (session: { sessionId: string }) => (await value<SessionState>(laptop.dispatch('session.get', {}, session))).user!;
  const createUser = (username: string, role: User['role']) => value<User>(laptop.dispatch('users.create', { username, displayName: username, role, password: 'Password2026' }, laptop.sessions.admin));
  /** Written as `userId` through the repository: audited and in the outbox, no host rule in the way. */
  const direct = (table: string, id: string, patch: Row, userId: string, userName: string) => updateRecord(laptop.store.db, table, id, patch, { userId, userName, branchId }, new Date());
  /** The rules the hub named refusing a person's change of a row (the 同步 page's list). */
  const refusedRules = async (rowId: string, userId: string) => {
    const rejections = await value<RejectedChange[]>(laptop.dispatch('sync.rejections', {}, laptop.sessions.officer));
    const found = rejections.filter((candidate) => candidate.rowId === rowId && candidate.userId === userId);
    expect(found).toHaveLength(1);
    const rejection = found[0];
    expect(rejection).toMatchObject({ reason: 'LIFECYCLE' });
    return rejection!.issues.map((issue) => issue.rule);
  };
  const enterprise = async (name: string) => {
    const created = await value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial++)) }, laptop.sessions.officer));
    await value(laptop.dispatch('enterprises.addRating', { enterpriseId: created.id, entry: { level: 'blue', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } }, laptop.sessions.officer));
    return created;
  };
  const statusOf = (table: string, id: string) => laptop.store.db.prepare(`SELECT status FROM "${table}" WHERE id = ?`).pluck().get(id);

  beforeAll(async () => {
    hub = await startHub();
    ({ A: laptop } = await enrolledLaptops(hub, '浮梁县支行', `FL-ROLE-${Date.now() % 100_000}`, ['A']));
    branchId = laptop.store.db.prepare('SELECT id FROM branch').pluck().get() as string;
    officer = await userOf(laptop.sessions.officer);
    manager = await userOf(laptop.sessions.manager);
    colleague = await createUser('colleague', 'loan_officer');
    await sync();
  }, 300_000);

  afterAll(async () => {
    laptop?.cleanup();
    await hub?.stop();
  });

  it('a rectification case closed by a loan officer who is not its officer is refused (issue 16 acceptance 3); a credit manager’s close passes', async () => {
    const { id: enterpriseId } = await enterprise('浮梁县角色整改陶瓷有限公司');
    const facts = {
      enterpriseId,
      category: 'environmental',
      source: 'inspection',
      sourceReference: null,
      sourceAuthority: '浮梁县生态环境局',
      sourceDate: '2026-05-20',
      foundOn: '2026-05-25',
      description: '废水排放口未规范设置',
      requiredActions: '规范设置排放口并安装在线监测',
      deadline: '2099-12-31',
      measure: 'urge',
      exposurePlan: [],
      officerId: officer.id,
    };
    let item = await value<CaseDetail>(laptop.dispatch('cases.create', { facts }, laptop.sessions.officer));
    item = await value<CaseDetail>(laptop.dispatch('cases.act', { id: item.id, version: item.version, action: 'submit' }, laptop.sessions.officer));
    await sync();

    const close = (userId: string) => ({ status: 'closed', verifier_id: userId, verified_at: new Date().toISOString() });
    direct('rectification_cases', item.id, close(colleague.id), colleague.id, 'colleague');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(item.id, colleague.id)).toEqual(['CASE_NOT_CREDIT_MANAGER']);
    expect(statusOf('rectification_cases', item.id)).toBe('submitted');

    const current = await value<CaseDetail>(laptop.dispatch('cases.get', { id: item.id }, laptop.sessions.manager));
    direct('rectification_cases', item.id, close(manager.id), manager.id, 'manager');
    expect(await syncRefused()).toBe(0);
    expect(await value<CaseDetail>(laptop.dispatch('cases.get', { id: item.id }, laptop.sessions.manager))).toMatchObject({ status: 'closed', verifierId: manager.id, version: current.version + 1 });
  });

  it('a green tag confirmed by a loan officer who did not prepare it is refused (issue 14); a credit manager’s confirmation passes', async () => {
    const { id: enterpriseId } = await enterprise('浮梁县角色绿色建材有限公司');
    const loan = await value<LoanDetail>(
      laptop.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber: `JK2026-R${serial}`,
            enterpriseId,
            amount: 1_000_000_00,
            balance: 1_000_000_00,
            balanceAsOf: '2026-11-30',
            disbursedOn: '2026-02-01',
            maturesOn: '2029-01-31',
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'credit',
            status: 'outstanding',
            purpose: '窑炉余热回收改造',
          },
        },
        laptop.sessions.officer,
      ),
    );
    const tag = await value<GreenTagDetail>(
      laptop.dispatch('green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: '1', totalInvestment: 4_000_000_00, benefits: { ...noBenefits, coalSavedTce: '800' } } }, laptop.sessions.officer),
    );
    const evidence = await value<{ id: string }>(laptop.dispatch('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.png', mime: 'image/png', contentBase64: png.toString('base64') }, laptop.sessions.officer));
    await sync();

    const confirm = (userId: string) => ({ status: 'confirmed', confirmed_by: userId, confirmed_at: new Date().toISOString(), evidence_attachment_ids: JSON.stringify([evidence.id]) });
    direct('green_tags', tag.id, confirm(colleague.id), colleague.id, 'colleague');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(tag.id, colleague.id)).toEqual(['TAG_NOT_CREDIT_MANAGER']);
    expect(statusOf('green_tags', tag.id)).toBe('draft');

    direct('green_tags', tag.id, confirm(manager.id), manager.id, 'manager');
    expect(await syncRefused()).toBe(0);
    expect(statusOf('green_tags', tag.id)).toBe('confirmed');
  });

  /** A submitted 排污权 item made by the branch's first loan officer. */
  async function submittedItem(name: string): Promise<CollateralDetail> {
    const { id: enterpriseId } = await enterprise(name);
    const item: CollateralItemInput = {
      enterpriseId,
      details: { type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' },
      certificateNumber: `浮环排污〔2026〕${serial}号`,
      certificateIssuer: '景德镇市生态环境局浮梁分局',
      validity: { from: '2024-01-01', to: '2028-12-31' },
      valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: '2026-01-01', appraiser: '江西中信评估有限公司' },
      pledgeRateBp: 8_000,
    };
    const created = await value<CollateralDetail>(laptop.dispatch('collateral.create', { item, submit: true }, laptop.sessions.officer));
    await sync();
    return created;
  }
  const approve = (userId: string) => ({ status: 'approved', checker_id: userId, decided_at: new Date().toISOString() });

  it('a collateral item approved by a loan officer who is not its maker is refused (issue 15 acceptance 4); a credit manager made in the same push approves it', async () => {
    const item = await submittedItem('浮梁县角色排污权有限公司');
    direct('collateral_items', item.id, approve(colleague.id), colleague.id, 'colleague');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(item.id, colleague.id)).toEqual(['COLLATERAL_NOT_CREDIT_MANAGER']);
    expect(statusOf('collateral_items', item.id)).toBe('submitted');

    // A new credit manager's account and their first step leave in one push: the directory entry
    // is in the outbox first (written with the account), so the hub knows them when the step comes.
    const newcomer = await createUser('newmanager', 'credit_manager');
    direct('collateral_items', item.id, approve(newcomer.id), newcomer.id, 'newmanager');
    expect(await syncRefused()).toBe(0);
    expect(statusOf('collateral_items', item.id)).toBe('approved');
  });

  it('a switched-off credit manager’s step is refused, switched off in the same push; so is a step by someone the hub has never heard of', async () => {
    const leaver = await createUser('leaver', 'credit_manager');
    await sync();
    const item = await submittedItem('浮梁县角色停用账户有限公司');
    await value(laptop.dispatch('users.update', { id: leaver.id, version: leaver.version, disabled: true }, laptop.sessions.admin));
    direct('collateral_items', item.id, approve(leaver.id), leaver.id, 'leaver');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(item.id, leaver.id)).toEqual(['ACTOR_INACTIVE']);

    const stranger = uuidv7();
    direct('collateral_items', item.id, approve(stranger), stranger, '不明人员');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(item.id, stranger)).toEqual(['UNKNOWN_ACTOR']);
    expect(statusOf('collateral_items', item.id)).toBe('submitted');
  });

  it('a credit approval above the credit manager’s authority (动态授权) or by a loan officer is refused; within it, it passes', async () => {
    const atApproval = async (name: string, amountFen: number) => {
      const { id: enterpriseId } = await enterprise(name);
      const terms = { enterpriseId, product: 'working_capital', amountFen, termMonths: 12, rateBp: 420, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
      let app = await value<CreditDetail>(laptop.dispatch('credit.create', { terms }, laptop.sessions.officer));
      app = await value<CreditDetail>(laptop.dispatch('credit.act', { id: app.id, version: app.version, action: 'submit', opinion: '经实地调查，建议授信' }, laptop.sessions.officer));
      app = await value<CreditDetail>(laptop.dispatch('credit.act', { id: app.id, version: app.version, action: 'pass', opinion: '审查同意' }, laptop.sessions.manager));
      await sync();
      return app;
    };
    // The reviewer may not decide: a second credit manager does.
    const decider = await createUser('decider', 'credit_manager');
    const decide = (userId: string) => ({ status: 'approved', decider_id: userId, decided_at: new Date().toISOString() });

    const large = await atApproval('浮梁县角色大额授信有限公司', 500_000_000); // 500 万元: above the county credit manager's 300 万元
    direct('credit_applications', large.id, decide(decider.id), decider.id, 'decider');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(large.id, decider.id)).toEqual(['AUTHORITY_EXCEEDED']);

    const small = await atApproval('浮梁县角色小额授信有限公司', 150_000_000);
    direct('credit_applications', small.id, decide(colleague.id), colleague.id, 'colleague');
    expect(await syncRefused()).toBe(1);
    expect(await refusedRules(small.id, colleague.id)).toEqual(['ROLE_NOT_PERMITTED']);
    direct('credit_applications', small.id, decide(decider.id), decider.id, 'decider');
    expect(await syncRefused()).toBe(0);
    expect(statusOf('credit_applications', small.id)).toBe('approved');
  });
});
