import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { EnterpriseDetail, GreenFactoryProjectDetail, GreenFactoryQuarter } from '../../shared/api/index.ts';
import { openMatchmakingOutcomes, type MatchmakingOutcome } from '../../shared/domain/greenFactory.ts';
import type { ConsoleRegisterPage } from '../../shared/api/console.ts';
import { apiValue, branchIdOf, columnCells, registerText, twoBranchConsole, type TwoBranches } from './consoleBranches.ts';
import { value, type Laptop } from './laptops.ts';

/**
 * Head office's green-factory register (issue 18, cross-branch registers): two branches' laptops
 * collect financing needs and record matchmaking (one granted, one given up, one still matching,
 * one new), sync to a real hub process, and the console's 绿色工厂融资需求 register lists them
 * across branches; each state filter gives exactly the projects whose outcome each laptop's own
 * quarter register shows. Counts are taken within this test's own two branches, named uniquely.
 */
const WAN = 1_000_000;
const QUARTER = '2026Q4';
const projectNames = (page: ConsoleRegisterPage) => columnCells(page, 'projectName');

describe('the console lists green-factory financing needs across branches', () => {
  let two: TwoBranches;

  async function project(laptop: Laptop, n: number, outcomes: readonly MatchmakingOutcome[]): Promise<GreenFactoryProjectDetail> {
    const enterprise = await value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(`绿色工厂测试企业${n}有限公司`, testUscc(18_300 + n)) }, laptop.sessions.officer));
    let detail = await value<GreenFactoryProjectDetail>(
      laptop.dispatch(
        'greenFactory.create',
        { project: { enterpriseId: enterprise.id, projectName: `GF-${two.suffix}-${n} 余热回收技术改造`, kind: 'technical_upgrade', amountSought: (100 + n) * WAN, quarter: QUARTER, contactName: '李会计', contactPhone: '13907981234' } },
        laptop.sessions.officer,
      ),
    );
    for (const [i, outcome] of outcomes.entries()) {
      const contact = { contactedOn: `2026-10-${String(10 + i).padStart(2, '0')}`, note: '上门对接融资需求', outcome, reason: outcome === 'not_reached' ? '企业资金已自筹' : null };
      detail = await value<GreenFactoryProjectDetail>(laptop.dispatch('greenFactory.recordContact', { projectId: detail.id, version: detail.version, contact }, laptop.sessions.officer));
    }
    return detail;
  }

  beforeAll(async () => {
    two = await twoBranchConsole('GF');
  }, 300_000);

  afterAll(async () => {
    await two?.stop();
  });

  it('lists every branch’s projects, and each outcome filter and the branch filter agree with the laptops’ own registers', async () => {
    const { fuliang, leping, fuliangName, lepingName, suffix, get, sync } = two;
    await project(fuliang, 1, ['matching', 'credit_granted']);
    await project(fuliang, 2, ['not_reached']);
    await project(fuliang, 3, []);
    await project(leping, 4, ['matching']);
    await project(leping, 5, ['credit_granted', 'disbursed']);
    await sync(fuliang);
    await sync(leping);

    const laptopRows = (await Promise.all([fuliang, leping].map((laptop) => value<GreenFactoryQuarter>(laptop.dispatch('greenFactory.quarter', { quarter: QUARTER }, laptop.sessions.officer))))).flatMap(
      (quarter) => quarter.rows,
    );
    const named = (keep: (outcome: MatchmakingOutcome) => boolean) =>
      laptopRows
        .filter((row) => keep(row.outcome))
        .map((row) => row.projectName)
        .sort();
    const register = async (query: string) => apiValue<ConsoleRegisterPage>(await get(`/console/api/registers/green_factory_projects?q=${encodeURIComponent(`GF-${suffix}`)}&${query}`));

    const all = await register('');
    expect(projectNames(all)).toEqual(named(() => true));
    expect(all).toMatchObject({ title: '绿色工厂融资需求', total: 5 });
    for (const text of [fuliangName, lepingName, '技术改造', '105.00 万元', '已放款', '未达成', '企业资金已自筹', '李会计']) expect(registerText(all)).toContain(text);
    expect(projectNames(await register('state=open'))).toEqual(named((outcome) => openMatchmakingOutcomes.includes(outcome)));
    for (const outcome of ['credit_granted', 'disbursed', 'not_reached'] as const) {
      expect([outcome, projectNames(await register(`state=${outcome}`))]).toEqual([outcome, named((o) => o === outcome)]);
    }
    // The filters had what the test is about: every state holds a project.
    expect(named((outcome) => openMatchmakingOutcomes.includes(outcome))).toHaveLength(2);

    const lepingId = await branchIdOf(get, lepingName);
    expect(lepingId).toBeDefined();
    expect(projectNames(await register(`branch=${lepingId}`))).toEqual([`GF-${suffix}-4 余热回收技术改造`, `GF-${suffix}-5 余热回收技术改造`]);
  });
});
