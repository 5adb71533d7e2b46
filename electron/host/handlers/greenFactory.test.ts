import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GreenFactoryProjectDetail, GreenFactoryQuarter } from '../../../shared/api/greenFactory.ts';
import type { Result } from '../../../shared/api/result.ts';
import { readXlsx } from '../import/testFiles.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/** Green-factory financing needs (seed 004, issue 14 acceptance 4) through the real dispatch. */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};
const WAN = 1_000_000;

describe('green-factory financing needs', () => {
  let host: Host;
  let factory: string;
  let other: string;
  const project = async (enterpriseId: string, projectName: string, amountWan: number, kind: string, quarter = '2026Q4') =>
    value<GreenFactoryProjectDetail>(
      await host.dispatch('greenFactory.create', { project: { enterpriseId, projectName, kind, amountSought: amountWan * WAN, quarter, contactName: '李会计', contactPhone: '13907981234' } }, host.sessions.officer),
    );

  beforeAll(async () => {
    host = await hostWithUsers();
    factory = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁华盛建材有限公司', testUscc(14_201)) }, host.sessions.officer)).id;
    other = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁绿源茶业有限公司', testUscc(14_202)) }, host.sessions.officer)).id;
  });
  afterAll(() => host.cleanup());

  it('a project moves from need to 已授信 with its matchmaking history and the application it led to', async () => {
    let need = await project(factory, '窑炉余热回收技术改造', 1200, 'technical_upgrade');
    expect(need).toMatchObject({ outcome: 'need', history: [], enterpriseName: '浮梁华盛建材有限公司' });
    need = value(await host.dispatch('greenFactory.recordContact', { projectId: need.id, version: need.version, contact: { contactedOn: '2026-10-15', note: '上门了解融资需求，企业提供可研报告', outcome: 'matching' } }, host.sessions.officer));
    const application = value<{ id: string }>(
      await host.dispatch(
        'credit.create',
        { terms: { enterpriseId: factory, product: 'fixed_asset', amountFen: 1000 * WAN, termMonths: 36, rateBp: 345, purpose: '窑炉余热回收技术改造', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: true, project: null } },
        host.sessions.officer,
      ),
    );
    // An application of another enterprise is refused; an outcome that skips ahead too.
    const foreign = value<{ id: string }>(
      await host.dispatch('credit.create', { terms: { enterpriseId: other, product: 'working_capital', amountFen: 100 * WAN, termMonths: 12, rateBp: 435, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null } }, host.sessions.officer),
    );
    expect(await host.dispatch('greenFactory.recordContact', { projectId: need.id, version: need.version, contact: { contactedOn: '2026-11-02', note: '授信审批通过', outcome: 'credit_granted', applicationId: foreign.id } }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: '关联的授信申请不存在或属于另一家企业' },
    });
    const granted = value<GreenFactoryProjectDetail>(
      await host.dispatch('greenFactory.recordContact', { projectId: need.id, version: need.version, contact: { contactedOn: '2026-11-02', note: '授信审批通过，额度 1,000 万元', outcome: 'credit_granted', applicationId: application.id } }, host.sessions.officer),
    );
    expect(granted).toMatchObject({ outcome: 'credit_granted', applicationId: application.id, contacts: 2, lastContactOn: '2026-11-02' });
    expect(granted.history.map((h) => [h.contactedOn, h.outcome, h.createdByName])).toEqual([
      ['2026-10-15', 'matching', 'officer'],
      ['2026-11-02', 'credit_granted', 'officer'],
    ]);
    expect(await host.dispatch('greenFactory.recordContact', { projectId: granted.id, version: granted.version, contact: { contactedOn: '2026-11-05', note: '重新对接', outcome: 'need' } }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: '对接结果不能从「已授信」改为「待对接」' },
    });
  });

  it("the quarterly export, read back, has the screen's rows and totals", async () => {
    const zeroCarbon = await project(other, '零碳工厂光伏储能建设', 800.5, 'zero_carbon_factory');
    value(
      await host.dispatch('greenFactory.recordContact', { projectId: zeroCarbon.id, version: zeroCarbon.version, contact: { contactedOn: '2026-11-20', note: '企业暂缓建设计划', outcome: 'not_reached', reason: '企业资金已自筹' } }, host.sessions.officer),
    );
    await project(other, '下季度的项目', 50, 'rnd_industrialisation', '2027Q1');
    const screen = value<GreenFactoryQuarter>(await host.dispatch('greenFactory.quarter', { quarter: '2026Q4' }, host.sessions.officer));
    expect(screen.totals).toEqual({ projects: 2, amountSought: 2000.5 * WAN, byOutcome: { need: 0, matching: 0, credit_granted: 1, disbursed: 0, not_reached: 1 } });
    const exported = value<{ fileName: string; contentBase64: string; rows: number }>(await host.dispatch('greenFactory.export', { quarter: '2026Q4' }, host.sessions.officer));
    expect(exported).toMatchObject({ fileName: expect.stringContaining('绿色工厂融资需求-2026Q4'), rows: 2 });
    const sheet = await readXlsx(exported.contentBase64);
    expect(sheet[0]).toEqual(['季度', '企业名称', '统一社会信用代码', '项目名称', '项目类型', '融资需求（万元）', '联系人', '联系电话', '对接情况', '未达成原因', '最近对接日期', '对接次数']);
    const body = sheet.slice(1, -1);
    expect(body.map((row) => [row[1], row[3], row[5], row[8]])).toEqual(screen.rows.map((row) => [row.enterpriseName, row.projectName, String(row.amountSought / WAN), { credit_granted: '已授信', not_reached: '未达成' }[row.outcome as 'credit_granted']]));
    expect(body.map((row) => row[9])).toEqual(screen.rows.map((row) => row.outcomeReason ?? ''));
    const totals = sheet.at(-1)!;
    expect(totals.slice(0, 2)).toEqual(['合计', '2 个项目']);
    expect(Number(totals[5])).toBe(screen.totals.amountSought / WAN);
    expect(body.reduce((sum, row) => sum + Number(row[5]), 0)).toBe(Number(totals[5]));
    expect(totals[8]).toBe('已授信 1，未达成 1');
  });
});
