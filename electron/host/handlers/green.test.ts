import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GreenSummary, GreenTagDetail, GreenTagInput, GreenwashingLine } from '../../../shared/api/green.ts';
import type { LoanDetail } from '../../../shared/api/loans.ts';
import type { Result } from '../../../shared/api/result.ts';
import { noBenefits } from '../../../shared/domain/environmentalBenefit.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/** Green tags through the real dispatch: four-eyes confirmation, 待完善, catalogue versions, the greenwashing list. */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};
const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (环评批复) >> endobj\n${'stream data '.repeat(50)}\n%%EOF\n`).toString('base64');
const WAN = 1_000_000;

describe('green tags', () => {
  let host: Host;
  let enterpriseId: string;
  const second = { sessionId: 'manager2' };
  const loanOn = async (loanNumber: string, disbursedOn: string, balance = 1000 * WAN, borrower = enterpriseId) =>
    value<LoanDetail>(
      await host.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber,
            enterpriseId: borrower,
            amount: 1000 * WAN,
            balance,
            balanceAsOf: '2026-11-30',
            disbursedOn,
            maturesOn: '2029-06-30',
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'credit',
            status: 'outstanding',
            purpose: '余热发电技术改造',
          },
        },
        host.sessions.officer,
      ),
    ).id;
  const save = (ownerId: string, tag: Partial<GreenTagInput>, version: number | null, session = host.sessions.officer) =>
    host.dispatch('green.saveTag', { ownerType: 'loan', ownerId, version, tag: { catalogueVersion: '2025', code: null, totalInvestment: null, benefits: noBenefits, ...tag } }, session);

  beforeAll(async () => {
    host = await hostWithUsers();
    await host.dispatch('users.create', { username: 'manager2', displayName: '赵经理', role: 'credit_manager', password: 'Password2026' }, host.sessions.admin);
    await host.dispatch('session.login', { username: 'manager2', password: 'Password2026' }, second);
    await host.dispatch('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2026' }, second);
    enterpriseId = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁华盛建材有限公司', testUscc(14_001)) }, host.sessions.officer)).id;
  });
  afterAll(() => host.cleanup());

  it('a tag without code or evidence is 待完善, cannot be confirmed, and is on the greenwashing list with its reasons', async () => {
    const loanId = await loanOn('JK2026-1401', '2026-01-10');
    const draft = value<GreenTagDetail>(await save(loanId, {}, null));
    expect(draft).toMatchObject({ status: 'draft', preparedByName: 'officer', standing: { green: false, gaps: ['noCode', 'noEvidence', 'notConfirmed'] } });
    const refused = await host.dispatch('green.confirm', { id: draft.id, version: draft.version }, host.sessions.manager);
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '不能确认为绿色：未选择目录代码、未上传佐证材料' } });
    const list = value<GreenwashingLine[]>(await host.dispatch('green.greenwashing', {}, host.sessions.manager));
    expect(list.find((line) => line.ownerId === loanId)).toMatchObject({
      label: 'JK2026-1401',
      enterpriseName: '浮梁华盛建材有限公司',
      reasons: [{ rule: 'noCode', message: '缺少目录代码' }, { rule: 'noEvidence' }, { rule: 'noBenefits' }],
    });
    expect(value<GreenSummary>(await host.dispatch('green.summary', {}, host.sessions.officer))).toMatchObject({ greenLoans: 0, incompleteLoans: 1 });
  });

  it('completed and confirmed by a credit manager who did not prepare it, the loan counts green; the bank share follows the balance', async () => {
    const loanId = await loanOn('JK2026-1402', '2026-02-10', 1000 * WAN);
    const complete = { code: '1', totalInvestment: 5000 * WAN, benefits: { ...noBenefits, coalSavedTce: '1200', co2ReducedT: '3000' } };
    let tag = value<GreenTagDetail>(await save(loanId, complete, null));
    expect(tag.codeName).toBe('节能降碳产业');
    value(await host.dispatch('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '环评批复.pdf', mime: 'application/pdf', contentBase64: pdf }, host.sessions.officer));
    expect(await host.dispatch('green.confirm', { id: tag.id, version: tag.version }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    tag = value<GreenTagDetail>(await host.dispatch('green.confirm', { id: tag.id, version: tag.version }, host.sessions.manager));
    expect(tag).toMatchObject({ status: 'confirmed', confirmedByName: 'manager', evidenceCount: 1, standing: { green: true }, greenwashing: [] });
    expect(tag.bankShare).toEqual({ ok: true, asOf: '2026-11-30', balance: 1000 * WAN, share: { ...noBenefits, coalSavedTce: '240', co2ReducedT: '600' } });
    expect(value<GreenSummary>(await host.dispatch('green.summary', {}, host.sessions.officer))).toMatchObject({ greenLoans: 1, greenBalance: 1000 * WAN });
    const history = value<{ action: string }[]>(await host.dispatch('records.history', { recordType: 'green_tags', recordId: tag.id }, host.sessions.officer));
    expect(history.map((entry) => entry.action)).toContain('confirm');

    // Editing the benefits withdraws the confirmation: the manager who edits is now the preparer and cannot confirm it.
    tag = value<GreenTagDetail>(await save(loanId, { ...complete, benefits: { ...complete.benefits, coalSavedTce: '1500' } }, tag.version, host.sessions.manager));
    expect(tag).toMatchObject({ status: 'draft', preparedByName: 'manager', confirmedBy: null, standing: { green: false, gaps: ['notConfirmed'] } });
    expect(await host.dispatch('green.confirm', { id: tag.id, version: tag.version }, host.sessions.manager)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: '绿色标识须由录入人以外的信贷经理确认' },
    });
    tag = value<GreenTagDetail>(await host.dispatch('green.confirm', { id: tag.id, version: tag.version }, second));
    expect(tag).toMatchObject({ status: 'confirmed', confirmedByName: '赵经理', standing: { green: true } });
  });

  it('a loan approved before 2025-10-01 keeps a 2021 tag; one approved after cannot take one', async () => {
    const older = await loanOn('JK2024-1403', '2024-05-20');
    const tagged = value<GreenTagDetail>(await save(older, { catalogueVersion: '2021', code: '1.1.1.1' }, null));
    expect(tagged).toMatchObject({ catalogueVersion: '2021', code: '1.1.1.1', codeName: '节能锅炉制造' });
    const newer = await loanOn('JK2026-1404', '2026-03-01');
    expect(await save(newer, { catalogueVersion: '2021', code: '1.1.1.1' }, null)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['tag', 'catalogueVersion'] }] } } });
    expect(await save(newer, { code: '1.1' }, null)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '目录代码 1.1 不在所选目录中' } });
  });

  it('the bank share is refused when the balance is above the project total investment', async () => {
    const loanId = await loanOn('JK2026-1405', '2026-04-01', 1000 * WAN);
    const tag = value<GreenTagDetail>(await save(loanId, { code: '2', totalInvestment: 800 * WAN, benefits: { ...noBenefits, codReducedT: '12' } }, null));
    expect(tag.bankShare).toEqual({ ok: false, message: '贷款余额大于项目总投资，无法计算本行份额；请核对余额或总投资' });
  });

  it('an open environmental rectification case of the borrower puts even a complete tag on the greenwashing list; another category does not', async () => {
    const borrower = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县瑶里陶瓷有限公司', testUscc(14_002)) }, host.sessions.officer)).id;
    const loanId = await loanOn('JK2026-1406', '2026-05-01', 500 * WAN, borrower);
    const tag = value<GreenTagDetail>(await save(loanId, { code: '1', totalInvestment: 2000 * WAN, benefits: { ...noBenefits, coalSavedTce: '300' } }, null));
    value(await host.dispatch('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: pdf }, host.sessions.officer));
    const washing = async () => value<GreenwashingLine[]>(await host.dispatch('green.greenwashing', {}, host.sessions.manager)).find((line) => line.ownerId === loanId);
    expect(await washing()).toBeUndefined();

    const officerId = value<{ user: { id: string } }>(await host.dispatch('session.get', {}, host.sessions.officer)).user.id;
    const facts = {
      enterpriseId: borrower,
      source: 'penalty_decision',
      sourceReference: '浮环罚〔2026〕31号',
      sourceAuthority: '浮梁县生态环境局',
      sourceDate: '2026-06-02',
      foundOn: '2026-06-05',
      description: '窑炉烟气颗粒物超标排放',
      requiredActions: '限期完成除尘设施改造并经监测达标',
      deadline: '2099-12-31',
      measure: 'urge',
      exposurePlan: [],
      officerId,
      monitoringVisitId: null,
    };
    value(await host.dispatch('cases.create', { facts: { ...facts, category: 'work_safety' } }, host.sessions.officer));
    expect(await washing()).toBeUndefined();
    const open = value<{ caseNumber: string }>(await host.dispatch('cases.create', { facts: { ...facts, category: 'environmental' } }, host.sessions.officer));
    expect((await washing())?.reasons).toEqual([{ rule: 'openEnvironmentalCase', caseNumbers: [open.caseNumber], message: `企业有未销号的环保整改案件 ${open.caseNumber}` }]);
    // The tag's own page says the same.
    expect(value<GreenTagDetail>(await host.dispatch('green.tag', { ownerType: 'loan', ownerId: loanId }, host.sessions.officer)).greenwashing.map((reason) => reason.rule)).toEqual(['openEnvironmentalCase']);
  });

  it('offers the catalogue in force for the code picker', async () => {
    const catalogue = value<{ entries: unknown[]; inForceToday: boolean }>(await host.dispatch('green.catalogue', { version: '2025' }, host.sessions.officer));
    expect(catalogue.entries).toHaveLength(9);
  });
});
