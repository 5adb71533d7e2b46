import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { sampleCaseFacts } from '../../shared/domain/testing.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { isCaseOverdue } from '../../shared/domain/rectification.ts';
import type { CaseDetail, CaseSummary, EnterpriseDetail, SessionState } from '../../shared/api/index.ts';
import type { ConsoleRegisterPage } from '../../shared/api/console.ts';
import { apiValue, branchIdOf, columnCells, registerText, twoBranchConsole, type TwoBranches } from './consoleBranches.ts';
import { value, type Laptop } from './laptops.ts';

/**
 * Head office's rectification register (issue 16): two branches' laptops open cases — one in time,
 * one past its deadline, one past it but closed on 浮梁, one past it on 乐平 — and sync them to a real
 * hub process; the console's 整改案件 register lists them across branches, and its 已逾期 / 未销号
 * filters and branch filter give exactly the cases each laptop's own list calls overdue / open.
 * The hub's database may hold other tests' branches (CI runs the sync suite against one PostgreSQL),
 * so every count is taken within this test's own two branches, named uniquely.
 */
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const caseNumbers = (page: ConsoleRegisterPage) => columnCells(page, 'caseNumber');

describe('the console lists open and overdue rectification cases across branches', () => {
  let two: TwoBranches;
  const laptopCases = async (laptop: Laptop, filter: Record<string, unknown>) =>
    (await value<{ rows: CaseSummary[] }>(laptop.dispatch('cases.list', { filter, limit: 500 }, laptop.sessions.officer))).rows.map((row) => row.caseNumber).sort();

  async function openCase(laptop: Laptop, name: string, n: number, deadline: string): Promise<CaseDetail> {
    const officer = (await value<SessionState>(laptop.dispatch('session.get', {}, laptop.sessions.officer))).user!;
    const enterprise = await value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(n)) }, laptop.sessions.officer));
    const facts = sampleCaseFacts(enterprise.id, officer.id, { foundOn: daysBefore(deadline, 30), deadline });
    return value<CaseDetail>(laptop.dispatch('cases.create', { facts }, laptop.sessions.officer));
  }

  beforeAll(async () => {
    two = await twoBranchConsole('C16');
  }, 300_000);

  afterAll(async () => {
    await two?.stop();
  });

  it('lists every branch’s cases, and the overdue / open / branch filters agree with each laptop’s own list', async () => {
    const { fuliang, leping, fuliangName, lepingName, get, sync } = two;
    const today = shanghaiDate(new Date());
    const inTime = await openCase(fuliang, '浮梁县按期整改陶瓷有限公司', 1661, daysBefore(today, -20));
    const late = await openCase(fuliang, '浮梁县逾期整改化工有限公司', 1662, daysBefore(today, 12));
    let closed = await openCase(fuliang, '浮梁县已销号建材有限公司', 1663, daysBefore(today, 40));
    closed = await value<CaseDetail>(fuliang.dispatch('cases.addFollowUp', { caseId: closed.id, followUp: { followedOn: daysBefore(today, 41), kind: 'visit', note: '整改完成', progressPercent: 100, nextFollowUpOn: null } }, fuliang.sessions.officer));
    await value(fuliang.dispatch('attachments.add', { ownerType: 'rectification_follow_ups', ownerId: closed.followUps[0]!.id, fileName: '现场.png', mime: 'image/png', contentBase64: png.toString('base64') }, fuliang.sessions.officer));
    closed = await value<CaseDetail>(fuliang.dispatch('cases.act', { id: closed.id, version: closed.version, action: 'submit' }, fuliang.sessions.officer));
    closed = await value<CaseDetail>(fuliang.dispatch('cases.act', { id: closed.id, version: closed.version, action: 'verify', note: '经现场核实，整改到位' }, fuliang.sessions.manager));
    expect(closed.status).toBe('closed');
    const lepingLate = await openCase(leping, '乐平市逾期整改造纸有限公司', 1664, daysBefore(today, 3));
    await sync(fuliang);
    await sync(leping);

    // The shared rule, as the laptops apply it.
    expect([inTime, late, closed, lepingLate].map((item) => isCaseOverdue(item, today))).toEqual([false, true, false, true]);

    const [fl, lp] = [await branchIdOf(get, fuliangName), await branchIdOf(get, lepingName)];
    expect(fl).toBeDefined();
    expect(lp).toBeDefined();
    const register = async (query: string) => apiValue<ConsoleRegisterPage>(await get(`/console/api/registers/rectification_cases?${query}`));

    const allFl = await register(`branch=${fl}`);
    const allLp = await register(`branch=${lp}`);
    expect(allFl).toMatchObject({ title: '整改案件', total: 3 });
    expect(caseNumbers(allFl)).toEqual([inTime, late, closed].map((item) => item.caseNumber).sort());
    expect(caseNumbers(allLp)).toEqual([lepingLate.caseNumber]);
    for (const text of [fuliangName, '浮梁县逾期整改化工有限公司', '环境保护', '已核实销号', '逾期 12 天', 'officer']) expect(registerText(allFl)).toContain(text);
    for (const text of [lepingName, '乐平市逾期整改造纸有限公司', '逾期 3 天']) expect(registerText(allLp)).toContain(text);

    const openOnLaptop = async (laptop: Laptop) => (await Promise.all((['open', 'in_progress', 'submitted', 'escalated'] as const).map((status) => laptopCases(laptop, { status })))).flat().sort();
    for (const [branch, laptop] of [[fl, fuliang], [lp, leping]] as const) {
      const overdue = await register(`state=overdue&branch=${branch}`);
      expect(caseNumbers(overdue)).toEqual(await laptopCases(laptop, { overdue: true }));
      expect(overdue.rows.every((row) => row.branchId === branch)).toBe(true);
      const open = await register(`state=open&branch=${branch}`);
      expect(caseNumbers(open)).toEqual(await openOnLaptop(laptop));
      expect(caseNumbers(open)).not.toContain(closed.caseNumber);
    }
    expect(caseNumbers(await register(`state=overdue&branch=${fl}`))).toEqual([late.caseNumber]);
    expect(caseNumbers(await register(`state=overdue&branch=${lp}`))).toEqual([lepingLate.caseNumber]);
    // A filter value the register does not know lists everything of the branch rather than failing.
    expect(caseNumbers(await register(`state=nonsense&branch=${fl}`))).toHaveLength(3);
  }, 300_000);
});
