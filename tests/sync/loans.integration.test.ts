import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { xlsxBase64 } from '../../electron/host/import/testFiles.ts';
import type { LoanDetail, LoanImportResult, LoanSummary, SyncConflict, SyncStatus } from '../../shared/api/index.ts';
import { desktopSyncState, hubSyncState, openHubStorage } from './content.ts';
import { admin, branchWithCode, startHub, type HubProcess } from './hub.ts';

/**
 * Loans and their snapshots on two laptops of one branch and a real hub process: an import on one
 * laptop and a month-end entry on the other converge everywhere, field by field; two balances of
 * one loan entered offline on both meet as a conflict (balances are guarded), never a silent mix.
 */
type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;
type Answer = { ok: true; value: unknown } | { ok: false; error: unknown };

async function value<T>(promise: Promise<Answer>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

const HEADERS = ['借据号', '客户名称', '统一社会信用代码', '贷款金额', '贷款余额', '发放日', '到期日', '执行利率', '五级分类', '担保方式'];

describe('loans across two laptops and head office', () => {
  let hub: HubProcess;
  let branchId: string;
  let a: Laptop;
  let b: Laptop;

  const sync = async (laptop: Laptop) => {
    const status = await value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
    expect(status.lastError).toBeNull();
  };
  const loans = async (laptop: Laptop) => (await value<{ rows: LoanSummary[] }>(laptop.dispatch('loans.list', { sort: { field: 'loanNumber', order: 'asc' } }, laptop.sessions.officer))).rows;
  const get = (laptop: Laptop, id: string) => value<LoanDetail>(laptop.dispatch('loans.get', { id }, laptop.sessions.officer));

  beforeAll(async () => {
    hub = await startHub();
    const branch = await branchWithCode(hub, '浮梁县支行', `FL-LOANS-${Date.now() % 100_000}`);
    branchId = branch.branchId;
    a = await hostWithUsers();
    b = await hostWithUsers();
    await value(a.dispatch('sync.enroll', { hubUrl: hub.url, code: branch.enrollmentCode, deviceName: '客户经理笔记本 A' }, a.sessions.admin));
    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
    await value(b.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName: '客户经理笔记本 B' }, b.sessions.admin));
  }, 120_000);

  afterAll(async () => {
    a?.cleanup();
    b?.cleanup();
    await hub?.stop();
  });

  it('an import on A and a month-end entry on B converge on both laptops and the hub', async () => {
    for (const [serial, name] of [
      [61, '浮梁华盛建材有限公司'],
      [62, '浮梁绿源茶业有限公司'],
    ] as const) {
      await value(a.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial)) }, a.sessions.officer));
    }
    const file = await xlsxBase64([
      HEADERS,
      ['36022201202500000001', '浮梁华盛建材有限公司', testUscc(61), 1_000_000, 800_000, '2025-01-10', '2027-01-09', '3.45', '正常', '排污权质押'],
      ['36022201202500000002', '浮梁绿源茶业有限公司', testUscc(62), 300_000, 300_000, '2025-03-01', '2026-03-01', '4.35%', '关注', '保证'],
    ]);
    const mapping = { loanNumber: '借据号', enterpriseName: '客户名称', uscc: '统一社会信用代码', amount: '贷款金额', balance: '贷款余额', disbursedOn: '发放日', maturesOn: '到期日', rate: '执行利率', classification: '五级分类', guaranteeMode: '担保方式' };
    const imported = await value<LoanImportResult>(a.dispatch('loans.importRun', { fileName: '借据.xlsx', contentBase64: file, mapping, asOf: '2025-06-30' }, a.sessions.officer));
    expect(imported).toMatchObject({ imported: 2, rejected: [] });
    await sync(a);
    await sync(b);
    const onB = await loans(b);
    expect(onB.map((l) => [l.loanNumber, l.enterpriseName, l.balance, l.guaranteeMode])).toEqual([
      ['36022201202500000001', '浮梁华盛建材有限公司', 80_000_000, 'environmental_rights_pledge'],
      ['36022201202500000002', '浮梁绿源茶业有限公司', 30_000_000, 'guarantee'],
    ]);
    // B enters July's month-end balance of the first loan; A pulls it.
    await value(b.dispatch('loans.recordSnapshot', { loanId: onB[0]!.id, snapshot: { asOf: '2025-07-31', balance: 75_000_000, classification: 'normal' } }, b.sessions.officer));
    await sync(b);
    await sync(a);
    const onA = await get(a, onB[0]!.id);
    expect(onA).toMatchObject({ balance: 75_000_000, balanceAsOf: '2025-07-31' });
    expect(onA.snapshots.map((s) => [s.asOf, s.balance])).toEqual([
      ['2025-07-31', 75_000_000],
      ['2025-06-30', 80_000_000],
    ]);
    // And the history of a pulled change is on A too.
    const history = await value<{ recordType: string; action: string }[]>(a.dispatch('records.history', { recordType: 'loans', recordId: onA.id }, a.sessions.officer));
    expect(history.some((h) => h.recordType === 'loan_snapshots')).toBe(true);
  }, 120_000);

  it('two balances of one loan entered offline on both laptops become a conflict, resolved in 同步', async () => {
    const [first] = await loans(a);
    const seen = await get(a, first!.id);
    const edit = (laptop: Laptop, balance: number) =>
      value<LoanDetail>(
        laptop.dispatch(
          'loans.update',
          {
            id: seen.id,
            version: seen.version,
            loan: {
              loanNumber: seen.loanNumber,
              enterpriseId: seen.enterpriseId,
              applicationId: null,
              amount: seen.amount,
              balance,
              balanceAsOf: seen.balanceAsOf,
              disbursedOn: seen.disbursedOn,
              maturesOn: seen.maturesOn,
              rateBp: seen.rateBp,
              classification: seen.classification,
              guaranteeMode: seen.guaranteeMode,
              status: seen.status,
              purpose: null,
            },
          },
          laptop.sessions.officer,
        ),
      );
    await edit(a, 70_000_000);
    await edit(b, 72_000_000);
    await sync(a);
    await sync(b);
    const conflicts = await value<SyncConflict[]>(b.dispatch('sync.conflicts', {}, b.sessions.officer));
    // The loan's balance and that day's snapshot: both guarded, both held, each named by its borrower.
    expect(conflicts.map((c) => [c.table, c.recordName, c.heldFor]).sort()).toEqual([
      ['loan_snapshots', '浮梁华盛建材有限公司', 'this'],
      ['loans', '浮梁华盛建材有限公司', 'this'],
    ]);
    // B takes A's figure (head office's), as a person decided.
    for (const held of conflicts) await value(b.dispatch('sync.resolve', { id: held.id, choice: 'theirs', expectedVersion: held.theirsVersion }, b.sessions.officer));
    await sync(b);
    await sync(a);
    expect((await get(b, seen.id)).balance).toBe(70_000_000);
    expect((await get(a, seen.id)).balance).toBe(70_000_000);
    expect((await get(b, seen.id)).snapshots[0]).toMatchObject({ asOf: '2025-07-31', balance: 70_000_000 });
    expect((await value<SyncConflict[]>(b.dispatch('sync.conflicts', {}, b.sessions.officer))).filter((c) => c.status === 'open')).toEqual([]);
  }, 120_000);

  it('ends with the same loans and snapshots on both laptops and at the hub, field by field', async () => {
    await sync(a);
    await sync(b);
    const onA = desktopSyncState(a.store.db);
    const onB = desktopSyncState(b.store.db);
    for (const table of ['loans', 'loan_snapshots', 'enterprises']) expect(onB[table], table).toEqual(onA[table]);
    expect(onA.loans!.rows).toBe(2);
    expect(onA.loan_snapshots!.rows).toBe(3);
    const storage = await openHubStorage(hub);
    try {
      const atHub = await hubSyncState(storage, branchId, a.store.db);
      for (const table of ['loans', 'loan_snapshots']) expect(atHub[table], table).toEqual(onA[table]);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
