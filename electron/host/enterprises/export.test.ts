import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnterpriseDetail, ImportPreview, ImportResult } from '../../../shared/api/enterprises.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import { readXlsx } from '../import/testFiles.ts';

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('enterprise export', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  beforeAll(async () => {
    host = await hostWithUsers();
    const green = sampleEnterpriseFile('华盛建材有限公司', testUscc(1), { employees: null });
    green.greenCredentials.greenFactory = { level: 'national', year: 2023 };
    green.greenCredentials.miitRecommendation = { recommended: true, date: '2024-06-30', batch: '2024年第二批' };
    green.flags.greenList = true;
    green.identity.contacts = [
      { name: '李会计', phone: '13907981234' },
      { name: '王出纳', phone: '0798-2712345' },
    ];
    const created = value<EnterpriseDetail>(await host.dispatch('enterprises.create', { file: green }, host.sessions.officer));
    value(await host.dispatch('enterprises.addRating', { enterpriseId: created.id, entry: { level: 'yellow', bureau: '景德镇市生态环境局', ratedOn: '2025-03-01' } }, host.sessions.officer));
    const outdated = sampleEnterpriseFile('浮梁县绿源茶业有限公司', testUscc(2), { industryCode: 'C1530', scale: 'micro', ownership: 'collective' });
    outdated.flags.outdatedCapacity = { flagged: true, exitDeadline: '2026-12-31', exitedOn: null };
    value(await host.dispatch('enterprises.create', { file: outdated }, host.sessions.officer));
    value(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('深圳某电子有限公司', testUscc(3), { divisionCode: '440305', industryCode: 'C3971' }) }, host.sessions.officer));
  });
  afterAll(() => host.cleanup());

  it('writes the filtered, sorted list with Chinese headers and words for codes and flags', async () => {
    const exported = value<{ fileName: string; contentBase64: string; rows: number }>(
      await host.dispatch('enterprises.export', { filter: { divisionCode: '36' }, sort: { field: 'uscc', order: 'asc' } }, host.sessions.manager),
    );
    expect(exported.fileName).toMatch(/^企业档案-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(exported.rows).toBe(2);
    const [header, huasheng, lvyuan] = await readXlsx(exported.contentBase64);
    const cell = (row: string[] | undefined, name: string) => row![header!.indexOf(name)];
    expect(header).toEqual(expect.arrayContaining(['企业名称', '统一社会信用代码', '行业名称', '重点行业', '企业规模', '环境信用评价', '绿色工厂级别', '工信部门推荐', '落后产能']));
    expect(cell(huasheng, '统一社会信用代码')).toBe(testUscc(1));
    expect(cell(huasheng, '重点行业')).toBe('建材');
    expect(cell(huasheng, '环境信用评价')).toBe('环保警示（黄牌）');
    expect(cell(huasheng, '绿色工厂级别')).toBe('国家级');
    expect(cell(huasheng, '工信部门推荐')).toBe('是');
    expect(cell(huasheng, '推荐日期')).toBe('2024-06-30');
    expect(cell(huasheng, '绿色名单')).toBe('是');
    expect(cell(huasheng, '企业规模')).toBe('小型');
    expect(cell(lvyuan, '落后产能')).toBe('是');
    expect(cell(lvyuan, '落后产能退出期限')).toBe('2026-12-31');
    expect(cell(lvyuan, '控股情况')).toBe('集体控股');
    expect(cell(lvyuan, '重点行业')).toBe('食品');
  });

  it('round-trips: the exported file imports back as unchanged updates', async () => {
    const exported = value<{ contentBase64: string; rows: number }>(await host.dispatch('enterprises.export', {}, host.sessions.officer));
    expect(exported.rows).toBe(3);
    const preview = value<ImportPreview>(await host.dispatch('enterprises.importPreview', { fileName: '企业档案.xlsx', contentBase64: exported.contentBase64 }, host.sessions.officer));
    expect(Object.keys(preview.suggestedMapping).sort()).toEqual(
      ['name', 'uscc', 'legalRepresentative', 'address', 'divisionCode', 'industryCode', 'scale', 'ownership', 'employees', 'contactName', 'contactPhone', 'greenFactoryLevel', 'greenFactoryYear', 'miitRecommendedOn', 'miitBatch', 'greenList', 'negativeList'].sort(),
    );
    const result = value<ImportResult>(
      await host.dispatch('enterprises.importRun', { fileName: '企业档案.xlsx', contentBase64: exported.contentBase64, mapping: preview.suggestedMapping }, host.sessions.officer),
    );
    expect(result).toEqual({ imported: 0, updated: 3, unchanged: 3, rejected: [], rejectedFileName: null, rejectedFileBase64: null });
  });

  it('is open to every reader, branch head and admin included', async () => {
    expect((await host.dispatch('enterprises.export', {}, host.sessions.admin)).ok).toBe(true);
  });
});
