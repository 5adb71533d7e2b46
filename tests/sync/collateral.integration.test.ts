import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { CollateralDetail, CollateralItemInput, EnterpriseDetail, RejectedChange, SessionState, SyncConflict, SyncStatus } from '../../shared/api/index.ts';
import { updateRecord } from '../../db/records.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * The collateral register across two laptops and a real hub process (issue 15 acceptance 4): an item
 * submitted on one laptop is approved on the other by another person and is active on both after
 * sync; the hub refuses an approval by the maker written straight into a laptop's database and
 * outbox (the host's four-eyes check bypassed), with the lifecycle rule's reason listed in 同步; a
 * revaluation on one laptop while the other releases the item is a conflict resolved in 同步.
 */
describe('collateral items through a real hub process', () => {
  let hub: HubProcess;
  let laptops: Record<'A' | 'B', Laptop>;
  let serial = 9_300;

  const sync = (laptop: Laptop) => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
  const syncAll = async () => {
    for (const name of ['A', 'B', 'A'] as const) await sync(laptops[name]);
  };
  const get = (laptop: Laptop, id: string) => value<CollateralDetail>(laptop.dispatch('collateral.get', { id }, laptop.sessions.officer));

  /** A submitted 排污权 (COD) item of a new enterprise, made on A by A's loan officer, on both laptops. */
  async function submittedOnA(name: string): Promise<CollateralDetail> {
    const enterprise = await value<EnterpriseDetail>(laptops.A.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial++)) }, laptops.A.sessions.officer));
    const item: CollateralItemInput = {
      enterpriseId: enterprise.id,
      details: { type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' },
      certificateNumber: `浮环排污〔2026〕${serial}号`,
      certificateIssuer: '景德镇市生态环境局浮梁分局',
      validity: { from: '2024-01-01', to: '2028-12-31' },
      valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: '2026-01-01', appraiser: '江西中信评估有限公司' },
      pledgeRateBp: 8_000,
    };
    const created = await value<CollateralDetail>(laptops.A.dispatch('collateral.create', { item, submit: true }, laptops.A.sessions.officer));
    await syncAll();
    return created;
  }

  /** On A: registered, a loan of its owner linked, activated; then synced to B. Returns the loan's id. */
  async function activateOnA(created: CollateralDetail, version: number): Promise<string> {
    const registered = await value<CollateralDetail>(
      laptops.A.dispatch(
        'collateral.act',
        { id: created.id, version, action: 'register', registration: { registry: '江西省排污权交易中心', registrationNumber: 'JXPW-2026-000456', registeredOn: '2026-02-01', expiresOn: '2029-01-31' } },
        laptops.A.sessions.officer,
      ),
    );
    const loan = await value<{ id: string }>(
      laptops.A.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber: `JK2026-${serial}`,
            enterpriseId: created.enterpriseId,
            amount: 9_000_000,
            balance: 9_000_000,
            balanceAsOf: '2026-02-28',
            disbursedOn: '2026-02-15',
            maturesOn: '2028-02-14',
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'environmental_rights_pledge',
            status: 'outstanding',
            purpose: '购置污水处理设备',
          },
        },
        laptops.A.sessions.officer,
      ),
    );
    const linked = await value<CollateralDetail>(laptops.A.dispatch('collateral.linkLoan', { itemId: created.id, loanId: loan.id, securedAmountFen: null }, laptops.A.sessions.officer));
    await value(laptops.A.dispatch('collateral.act', { id: created.id, version: linked.version, action: 'activate' }, laptops.A.sessions.officer));
    expect(registered.status).toBe('registered');
    await syncAll();
    return loan.id;
  }

  beforeAll(async () => {
    hub = await startHub();
    laptops = await enrolledLaptops(hub, '浮梁县支行', 'FL-015', ['A', 'B'] as const);
  }, 300_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  it('submitted on A, approved on B by its credit manager, registered and activated: active on both with its pledged value', async () => {
    const created = await submittedOnA('浮梁县同步排污权有限公司');
    const onB = await get(laptops.B, created.id);
    expect(onB).toMatchObject({ status: 'submitted', makerName: 'officer', appraisedValue: 11_250_000, pledgedValue: 9_000_000 });
    expect(onB.appraisals).toHaveLength(1);

    const approved = await value<CollateralDetail>(laptops.B.dispatch('collateral.act', { id: created.id, version: onB.version, action: 'approve' }, laptops.B.sessions.manager));
    await syncAll();
    const onA = await get(laptops.A, created.id);
    expect(onA).toMatchObject({ status: 'approved', checkerId: approved.checkerId });

    const loanId = await activateOnA(created, onA.version);

    for (const laptop of Object.values(laptops)) {
      const item = await get(laptop, created.id);
      expect(item).toMatchObject({ status: 'active', registrationNumber: 'JXPW-2026-000456', pledgedValue: 9_000_000, checkerId: approved.checkerId });
      expect(item.loans.map((link) => link.loanId)).toEqual([loanId]);
      const register = await value<{ rows: { id: string; pledgedValue: number }[] }>(laptop.dispatch('collateral.list', { filter: { status: 'active', enterpriseId: created.enterpriseId } }, laptop.sessions.officer));
      expect(register.rows).toEqual([expect.objectContaining({ id: created.id, pledgedValue: 9_000_000 })]);
    }
  });

  it('two managers approving one item offline meet as a conflict, not a refusal; the one kept stands on both', async () => {
    // The torture test found it: the status agrees (approved) and is not held, so the hub judged the
    // second approval as approved → approved and refused it as a skipped step (LIFECYCLE).
    const created = await submittedOnA('浮梁县双人同批有限公司');
    // A's credit manager (not the maker, A's officer) and B's both approve it, each on the version they see.
    await value(laptops.A.dispatch('collateral.act', { id: created.id, version: (await get(laptops.A, created.id)).version, action: 'approve' }, laptops.A.sessions.manager));
    await value(laptops.B.dispatch('collateral.act', { id: created.id, version: (await get(laptops.B, created.id)).version, action: 'approve' }, laptops.B.sessions.manager));
    await sync(laptops.A);
    const onB = await sync(laptops.B);
    expect(onB).toMatchObject({ rejected: 0, openConflicts: 1 });
    expect(await value<RejectedChange[]>(laptops.B.dispatch('sync.rejections', {}, laptops.B.sessions.officer))).toEqual([]);
    const [conflict] = await value<SyncConflict[]>(laptops.B.dispatch('sync.conflicts', {}, laptops.B.sessions.manager));
    const bManager = (await value<SessionState>(laptops.B.dispatch('session.get', {}, laptops.B.sessions.manager))).user!;
    expect(conflict).toMatchObject({ table: 'collateral_items', rowId: created.id, heldFor: 'this', mayResolve: true, mine: { checker_id: bManager.id } });
    await value(laptops.B.dispatch('sync.resolve', { id: conflict!.id, choice: 'mine', expectedVersion: conflict!.theirsVersion }, laptops.B.sessions.manager));
    await syncAll();
    for (const laptop of Object.values(laptops)) {
      expect(await get(laptop, created.id)).toMatchObject({ status: 'approved', checkerId: bManager.id });
      expect(await value<SyncConflict[]>(laptop.dispatch('sync.conflicts', {}, laptop.sessions.manager))).toEqual([]);
    }
  });

  it('refuses an approval by the maker pushed directly, with the reason shown in 同步; head office’s row comes back', async () => {
    const created = await submittedOnA('浮梁县绕过复核有限公司');
    const officer = (await value<SessionState>(laptops.A.dispatch('session.get', {}, laptops.A.sessions.officer))).user!;
    const { db } = laptops.A.store;
    const branchId = db.prepare('SELECT id FROM branch').pluck().get() as string;
    // The host refuses this (four-eyes); the repository's write path does not know the rule.
    updateRecord(db, 'collateral_items', created.id, { status: 'approved', checker_id: officer.id, decided_at: new Date().toISOString() }, { userId: officer.id, userName: 'officer', branchId }, new Date());
    expect((await get(laptops.A, created.id)).status).toBe('approved');

    const status = await sync(laptops.A);
    expect(status.rejected).toBeGreaterThanOrEqual(1);
    const rejections = await value<RejectedChange[]>(laptops.A.dispatch('sync.rejections', {}, laptops.A.sessions.officer));
    const rejection = rejections.find((candidate) => candidate.rowId === created.id);
    expect(rejection).toMatchObject({ table: 'collateral_items', reason: 'LIFECYCLE', userId: officer.id });
    expect(rejection!.issues.map((issue) => issue.rule)).toEqual(['FOUR_EYES_ROW', 'COLLATERAL_NOT_CREDIT_MANAGER', 'FOUR_EYES_MAKER']);

    await syncAll();
    for (const laptop of Object.values(laptops)) expect(await get(laptop, created.id)).toMatchObject({ status: 'submitted', checkerId: null });
  });

  it('a revaluation on A while B releases the item is a conflict resolved in 同步: the release stands on both', async () => {
    const created = await submittedOnA('浮梁县重估解除有限公司');
    const onB = await get(laptops.B, created.id);
    await value(laptops.B.dispatch('collateral.act', { id: created.id, version: onB.version, action: 'approve' }, laptops.B.sessions.manager));
    await syncAll();
    await activateOnA(created, (await get(laptops.A, created.id)).version);
    const active = await get(laptops.B, created.id);
    expect(active.status).toBe('active');

    // Both offline on the same version: B releases the pledge, A's credit manager revalues it.
    await value(laptops.B.dispatch('collateral.act', { id: created.id, version: active.version, action: 'release' }, laptops.B.sessions.officer));
    const revalued = await value<CollateralDetail>(
      laptops.A.dispatch(
        'collateral.revalue',
        { id: created.id, version: active.version, valuation: { method: 'quantity_price', unitPriceFen: 280_000, basis: 'per_unit_year', appraisedOn: '2026-07-01', appraiser: '景德镇华信资产评估' } },
        laptops.A.sessions.manager,
      ),
    );
    expect(revalued.appraisedValue).toBeLessThan(active.appraisedValue);
    await sync(laptops.B);
    const onA = await sync(laptops.A);
    expect(onA.openConflicts).toBe(1);
    const [conflict] = await value<SyncConflict[]>(laptops.A.dispatch('sync.conflicts', {}, laptops.A.sessions.manager));
    expect(conflict).toMatchObject({
      table: 'collateral_items',
      rowId: created.id,
      heldFor: 'this',
      mayResolve: true,
      mine: { appraised_value_fen: revalued.appraisedValue, pledged_value_fen: revalued.pledgedValue },
      theirs: { appraised_value_fen: active.appraisedValue, pledged_value_fen: active.pledgedValue },
    });

    // A takes head office's row, as the 同步 page offers: the released item keeps its last value.
    await value(laptops.A.dispatch('sync.resolve', { id: conflict!.id, choice: 'theirs', expectedVersion: conflict!.theirsVersion }, laptops.A.sessions.manager));
    await syncAll();
    for (const laptop of Object.values(laptops)) {
      expect(await get(laptop, created.id)).toMatchObject({ status: 'released', appraisedValue: active.appraisedValue, pledgedValue: active.pledgedValue });
      expect(await value<SyncConflict[]>(laptop.dispatch('sync.conflicts', {}, laptop.sessions.officer))).toEqual([]);
    }
  });

  it('a renewal on A reaches B with its record; two renewals of one item offline meet as a conflict, and both records are kept', async () => {
    const created = await submittedOnA('浮梁县登记展期有限公司');
    await value(laptops.B.dispatch('collateral.act', { id: created.id, version: (await get(laptops.B, created.id)).version, action: 'approve' }, laptops.B.sessions.manager));
    await syncAll();
    await activateOnA(created, (await get(laptops.A, created.id)).version);
    const active = await get(laptops.A, created.id);
    const renewal = (expiresOn: string, registrationNumber: string) => ({ renewedOn: '2026-12-01', expiresOn, registrationNumber });

    const renewed = await value<CollateralDetail>(laptops.A.dispatch('collateral.renew', { id: created.id, version: active.version, renewal: renewal('2030-01-31', 'JXPW-2026-000456-Z1') }, laptops.A.sessions.officer));
    await syncAll();
    const onB = await get(laptops.B, created.id);
    expect(onB).toMatchObject({ registrationExpiresOn: '2030-01-31', registrationNumber: 'JXPW-2026-000456-Z1', version: renewed.version });
    expect(onB.renewals.map((row) => [row.previousExpiresOn, row.expiresOn, row.createdByName])).toEqual([['2029-01-31', '2030-01-31', 'officer']]);

    // Both offline on the same version: A renews to 2031, B to mid-2030.
    await value(laptops.A.dispatch('collateral.renew', { id: created.id, version: onB.version, renewal: renewal('2031-01-31', 'JXPW-2026-000456-Z2') }, laptops.A.sessions.officer));
    await value(laptops.B.dispatch('collateral.renew', { id: created.id, version: onB.version, renewal: renewal('2030-07-31', 'JXPW-2026-000456-Z2B') }, laptops.B.sessions.officer));
    await sync(laptops.A);
    const status = await sync(laptops.B);
    expect(status).toMatchObject({ rejected: 0, openConflicts: 1 });
    const [conflict] = await value<SyncConflict[]>(laptops.B.dispatch('sync.conflicts', {}, laptops.B.sessions.officer));
    expect(conflict).toMatchObject({ table: 'collateral_items', rowId: created.id, mine: { registration_expires_on: '2030-07-31' }, theirs: { registration_expires_on: '2031-01-31' } });
    // B keeps head office's (A's) renewal, as the later one.
    await value(laptops.B.dispatch('sync.resolve', { id: conflict!.id, choice: 'theirs', expectedVersion: conflict!.theirsVersion }, laptops.B.sessions.officer));
    await syncAll();
    for (const laptop of Object.values(laptops)) {
      const item = await get(laptop, created.id);
      expect(item).toMatchObject({ registrationExpiresOn: '2031-01-31', registrationNumber: 'JXPW-2026-000456-Z2' });
      // Every renewal recorded stays in the item's history, whichever side was kept.
      expect(item.renewals.map((row) => row.expiresOn).sort()).toEqual(['2030-01-31', '2030-07-31', '2031-01-31']);
      expect(await value<SyncConflict[]>(laptop.dispatch('sync.conflicts', {}, laptop.sessions.officer))).toEqual([]);
    }
  });

  it('refuses a registration expiry moved back, pushed directly around the host', async () => {
    const created = await submittedOnA('浮梁县展期倒退有限公司');
    await value(laptops.B.dispatch('collateral.act', { id: created.id, version: (await get(laptops.B, created.id)).version, action: 'approve' }, laptops.B.sessions.manager));
    await syncAll();
    await activateOnA(created, (await get(laptops.A, created.id)).version);
    const officer = (await value<SessionState>(laptops.A.dispatch('session.get', {}, laptops.A.sessions.officer))).user!;
    const { db } = laptops.A.store;
    const branchId = db.prepare('SELECT id FROM branch').pluck().get() as string;
    updateRecord(db, 'collateral_items', created.id, { registration_expires_on: '2027-01-31' }, { userId: officer.id, userName: 'officer', branchId }, new Date());
    const status = await sync(laptops.A);
    expect(status.rejected).toBeGreaterThanOrEqual(1);
    const rejection = (await value<RejectedChange[]>(laptops.A.dispatch('sync.rejections', {}, laptops.A.sessions.officer))).find((candidate) => candidate.rowId === created.id);
    expect(rejection).toMatchObject({ table: 'collateral_items', reason: 'LIFECYCLE' });
    expect(rejection!.issues.map((issue) => issue.rule)).toEqual(['RENEWAL_NOT_LATER']);
    await syncAll();
    for (const laptop of Object.values(laptops)) expect(await get(laptop, created.id)).toMatchObject({ registrationExpiresOn: '2029-01-31' });
  });
});
