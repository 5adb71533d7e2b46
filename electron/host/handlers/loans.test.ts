import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoanDetail, LoanSummary } from '../../../shared/api/loans.ts';
import type { LoanInput } from '../../../shared/domain/loan.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import { readXlsx } from '../import/testFiles.ts';

/** Loans by hand (借据): the host's rules, history and the register, through the real dispatch. */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('loans by hand', () => {
  let host: Host;
  let enterpriseId: string;
  let other: string;
  const loan = (overrides: Partial<LoanInput> = {}): LoanInput => ({
    loanNumber: 'JK2025-0001',
    enterpriseId,
    amount: 500_000_00,
    balance: 500_000_00,
    balanceAsOf: '2025-03-31',
    disbursedOn: '2025-03-01',
    maturesOn: '2026-02-28',
    rateBp: 345,
    classification: 'normal',
    guaranteeMode: 'environmental_rights_pledge',
    status: 'outstanding',
    purpose: '购买节能设备',
    ...overrides,
  });
  const create = (input: LoanInput, session = host.sessions.officer) => host.dispatch('loans.create', { loan: input }, session);

  beforeAll(async () => {
    host = await hostWithUsers();
    enterpriseId = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁华盛建材有限公司', testUscc(8_001)) }, host.sessions.officer)).id;
    other = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁绿源茶业有限公司', testUscc(8_002)) }, host.sessions.officer)).id;
  });
  afterAll(() => host.cleanup());

  it('creates a loan with its first snapshot, named with its borrower, audited', async () => {
    const created = value<LoanDetail>(await create(loan({ loanNumber: ' jk2025-0001 ' })));
    expect(created).toMatchObject({ loanNumber: 'JK2025-0001', enterpriseName: '浮梁华盛建材有限公司', enterpriseUscc: testUscc(8_001), balance: 500_000_00, createdByName: 'officer', version: 1 });
    expect(created.snapshots).toMatchObject([{ asOf: '2025-03-31', balance: 500_000_00, classification: 'normal' }]);
    const history = value<{ action: string; recordType: string }[]>(await host.dispatch('records.history', { recordType: 'loans', recordId: created.id }, host.sessions.officer));
    expect(history.map((h) => `${h.recordType}:${h.action}`).sort()).toEqual(['loan_snapshots:insert', 'loans:insert']);
  });

  it('refuses a second loan with the same number, an unknown borrower and an application that does not exist', async () => {
    expect(await create(loan())).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '借据号 JK2025-0001 已登记' } });
    expect(await create(loan({ loanNumber: 'JK2025-0002', enterpriseId: 'no-such-file' }))).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '借款企业不在本支行的企业档案中' } });
    expect(await create(loan({ loanNumber: 'JK2025-0002', applicationId: 'no-such-application' }))).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '授信申请不存在' } });
    expect(await create(loan({ loanNumber: 'JK2025-0002', balance: 500_000_01 }))).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['loan', 'balance'] }] } } });
  });

  it('a month-end balance updates the loan and keeps the earlier snapshot; an older day only adds its snapshot', async () => {
    const [row] = value<{ rows: LoanSummary[] }>(await host.dispatch('loans.list', { filter: { enterpriseId } }, host.sessions.officer)).rows;
    const april = value<LoanDetail>(await host.dispatch('loans.recordSnapshot', { loanId: row!.id, snapshot: { asOf: '2025-04-30', balance: 450_000_00, classification: 'special_mention' } }, host.sessions.officer));
    expect(april).toMatchObject({ balance: 450_000_00, balanceAsOf: '2025-04-30', classification: 'special_mention', version: 2 });
    const march = value<LoanDetail>(await host.dispatch('loans.recordSnapshot', { loanId: row!.id, snapshot: { asOf: '2025-03-15', balance: 500_000_00, classification: 'normal' } }, host.sessions.officer));
    expect(march).toMatchObject({ balance: 450_000_00, balanceAsOf: '2025-04-30', version: 2 });
    expect(march.snapshots.map((s) => s.asOf)).toEqual(['2025-04-30', '2025-03-31', '2025-03-15']);
    const before = await host.dispatch('loans.recordSnapshot', { loanId: row!.id, snapshot: { asOf: '2025-02-28', balance: 1, classification: 'normal' } }, host.sessions.officer);
    expect(before).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '余额日期不能早于发放日' } });
    const updateOlder = await host.dispatch('loans.update', { id: row!.id, version: 2, loan: loan({ balanceAsOf: '2025-04-01' }) }, host.sessions.officer);
    expect(updateOlder).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '余额日期不能早于已记录的 2025-04-30；较早日期的余额请作为月末余额录入' } });
  });

  it('settles with a zero balance; a settled loan stays settled; only a credit manager writes off', async () => {
    const [row] = value<{ rows: LoanSummary[] }>(await host.dispatch('loans.list', { filter: { enterpriseId } }, host.sessions.officer)).rows;
    const settleWithBalance = await host.dispatch('loans.update', { id: row!.id, version: row!.version, loan: loan({ balanceAsOf: '2025-05-31', status: 'settled', balance: 1 }) }, host.sessions.officer);
    expect(settleWithBalance).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['loan', 'balance'], message: '已结清的借据余额应为 0' }] } } });
    const settled = value<LoanDetail>(await host.dispatch('loans.update', { id: row!.id, version: row!.version, loan: loan({ balanceAsOf: '2025-05-31', status: 'settled', balance: 0 }) }, host.sessions.officer));
    expect(settled).toMatchObject({ status: 'settled', balance: 0 });
    const reopened = await host.dispatch('loans.update', { id: row!.id, version: settled.version, loan: loan({ balanceAsOf: '2025-06-30', status: 'outstanding', balance: 0 }) }, host.sessions.officer);
    expect(reopened).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '借据已结清，不能改为未结清' } });

    const bad = value<LoanDetail>(await create(loan({ loanNumber: 'JK2025-0003', enterpriseId: other, classification: 'loss' })));
    const writeOff = loan({ loanNumber: 'JK2025-0003', enterpriseId: other, classification: 'loss', status: 'written_off', balanceAsOf: '2025-12-31' });
    expect(await host.dispatch('loans.update', { id: bad.id, version: bad.version, loan: writeOff }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(value<LoanDetail>(await host.dispatch('loans.update', { id: bad.id, version: bad.version, loan: writeOff }, host.sessions.manager))).toMatchObject({ status: 'written_off' });
    // A stale version is a conflict, not a silent overwrite.
    expect(await host.dispatch('loans.update', { id: bad.id, version: bad.version, loan: writeOff }, host.sessions.manager)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('lists by borrower, class, status and maturity, sorted, and exports with the import headers', async () => {
    for (let i = 0; i < 5; i += 1) {
      value(await create(loan({ loanNumber: `JK2025-1${i}`, enterpriseId: other, amount: 100_000_00 * (i + 1), balance: 10_000_00 * (i + 1), maturesOn: `2026-0${i + 1}-15`, classification: i < 2 ? 'substandard' : 'normal' })));
    }
    const list = async (input: object) => value<{ rows: LoanSummary[]; total: number; totalCapped: boolean }>(await host.dispatch('loans.list', input, host.sessions.officer));
    const bad = await list({ filter: { enterpriseId: other, classifications: ['substandard', 'doubtful', 'loss'], status: 'outstanding' }, sort: { field: 'maturesOn', order: 'asc' } });
    expect(bad).toMatchObject({ total: 2, totalCapped: false });
    expect(bad.rows.map((r) => r.loanNumber)).toEqual(['JK2025-10', 'JK2025-11']);
    const byBalance = await list({ filter: { query: '绿源茶业', maturesFrom: '2026-02-01', maturesTo: '2026-04-30' }, sort: { field: 'balance', order: 'desc' } });
    expect(byBalance.rows.map((r) => r.loanNumber)).toEqual(['JK2025-0003', 'JK2025-13', 'JK2025-12', 'JK2025-11']);
    // HSJC: the borrower's pinyin initials; JK2025-1: a loan number prefix.
    expect((await list({ filter: { query: 'HSJC' } })).rows.map((r) => r.loanNumber)).toEqual(['JK2025-0001']);
    expect((await list({ filter: { query: 'jk2025-1' } })).total).toBe(5);
    const exported = value<{ fileName: string; contentBase64: string; rows: number }>(
      await host.dispatch('loans.export', { filter: { enterpriseId: other }, sort: { field: 'balance', order: 'desc' } }, host.sessions.officer),
    );
    expect(exported).toMatchObject({ rows: 6, fileName: expect.stringMatching(/^借据-\d{4}-\d{2}-\d{2}\.xlsx$/) });
    const sheet = await readXlsx(exported.contentBase64);
    expect(sheet[0]!.slice(0, 5)).toEqual(['借据号', '客户名称', '统一社会信用代码', '贷款金额', '贷款余额']);
    expect(sheet[1]!.slice(0, 5)).toEqual(['JK2025-0003', '浮梁绿源茶业有限公司', testUscc(8_002), '500000', '500000']);
    expect(sheet[2]!.slice(8, 12)).toEqual(['3.45%', '正常', '环境权益质押', '未结清']);
  });

  it('is written only by the roles holding loan.write', async () => {
    expect(await create(loan({ loanNumber: 'JK2025-0009' }), host.sessions.admin)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
