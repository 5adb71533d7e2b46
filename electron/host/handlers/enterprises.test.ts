import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import type { EnterpriseDetail, EnterpriseSummary } from '../../../shared/api/enterprises.ts';
import { enterpriseColumns } from '../../../db/enterprises.ts';
import { insertRecord } from '../../../db/records.ts';
import { defaultFocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';

describe('enterprise credit files', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  let huasheng: EnterpriseDetail;
  beforeAll(async () => {
    host = await hostWithUsers();
    const created = await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('华盛建材有限公司', testUscc(1)) }, host.sessions.officer);
    expect(created.ok).toBe(true);
    huasheng = (created as { value: EnterpriseDetail }).value;
    for (const [serial, name, industryCode] of [
      [2, '景德镇华盛陶瓷有限公司', 'C3071'],
      [3, '浮梁县绿源茶业有限公司', 'C1530'],
      [4, '江西昌河机械制造有限公司', 'C3311'],
    ] as const) {
      const result = await host.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial), { industryCode }) }, host.sessions.officer);
      expect(result.ok).toBe(true);
    }
  });
  afterAll(() => host.cleanup());

  const search = async (query: string) => {
    const result = await host.dispatch('enterprises.list', { filter: { query } }, host.sessions.officer);
    return result.ok ? (result.value as { rows: EnterpriseSummary[] }).rows.map((r) => r.name) : result;
  };

  it('saves the file with derived initials and focus group, audited', async () => {
    expect(huasheng).toMatchObject({ version: 1, focusGroup: 'buildingMaterials', file: { identity: { name: '华盛建材有限公司', uscc: testUscc(1) } } });
    const history = await host.dispatch('records.history', { recordType: 'enterprises', recordId: huasheng.id }, host.sessions.officer);
    expect(history).toMatchObject({ ok: true, value: [{ action: 'insert', userName: 'officer' }] });
  });

  it('finds by name fragment (2 and 3+ characters), pinyin initials and USCC prefix', async () => {
    expect(await search('华盛')).toEqual(expect.arrayContaining(['华盛建材有限公司', '景德镇华盛陶瓷有限公司']));
    expect(await search('盛建材')).toEqual(['华盛建材有限公司']);
    expect(await search('HSJC')).toEqual(['华盛建材有限公司']);
    expect(await search('hsjc')).toEqual(['华盛建材有限公司']);
    expect(await search('JDZHS')).toEqual(['景德镇华盛陶瓷有限公司']);
    expect(await search(testUscc(3).slice(0, 17))).toEqual(['浮梁县绿源茶业有限公司']);
    expect(await search('913602')).toHaveLength(4);
  });

  it('reads control characters in the search box as spaces instead of failing (L2)', async () => {
    expect(await search('华盛建\u0000')).toEqual(['华盛建材有限公司']);
    expect(await search('\u0000华盛建材')).toEqual(['华盛建材有限公司']);
    expect(await search('华盛\u0000建材')).toEqual([]);
    for (const query of ['\u0000', '"\u0000', 'HS\u0000JC', '9136\u0000', '华\u0001', '\u001b[2J盛建']) {
      expect([query, Array.isArray(await search(query))]).toEqual([query, true]);
    }
  });

  it('filters by focus group and industry prefix', async () => {
    const list = async (filter: object) => {
      const result = await host.dispatch('enterprises.list', { filter }, host.sessions.officer);
      return result.ok ? (result.value as { total: number }).total : -1;
    };
    expect(await list({ focusGroup: 'food' })).toBe(1);
    expect(await list({ industryCode: 'C30' })).toBe(2);
    expect(await list({ divisionCode: '36' })).toBe(4);
    expect(await list({ divisionCode: '440300' })).toBe(0);
  });

  it('refuses an invalid USCC naming the expected check character', async () => {
    const bad = `${testUscc(9).slice(0, 17)}${testUscc(9).endsWith('0') ? '1' : '0'}`;
    const result = await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('错误代码公司', bad) }, host.sessions.officer);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!result.ok) {
      const issue = result.error.details?.issues?.[0];
      expect(issue?.path).toEqual(['file', 'identity', 'uscc']);
      expect(issue?.message).toContain(`校验位应为 ${testUscc(9).slice(-1)}`);
    }
  });

  it('refuses a duplicate USCC within the branch', async () => {
    const result = await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('另一家公司', testUscc(1)) }, host.sessions.officer);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ code: 'USCC_TAKEN' }] } } });
  });

  it('lets only a credit manager keep a code whose check character fails, with a reason', async () => {
    const bad = `${testUscc(10).slice(0, 17)}${testUscc(10).endsWith('0') ? '1' : '0'}`;
    const file = sampleEnterpriseFile('特批代码公司', bad, { usccCheckOverride: { reason: '营业执照原件如此，已核实' } });
    expect(await host.dispatch('enterprises.create', { file }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await host.dispatch('enterprises.create', { file }, host.sessions.manager)).toMatchObject({ ok: true });
  });

  it('updates with optimistic versions, keeps rating history, year rows and the newest rating', async () => {
    const renamed = await host.dispatch('enterprises.update', { id: huasheng.id, version: 1, file: sampleEnterpriseFile('华盛新型建材有限公司', testUscc(1)) }, host.sessions.officer);
    expect(renamed).toMatchObject({ ok: true, value: { version: 2 } });
    expect(await host.dispatch('enterprises.update', { id: huasheng.id, version: 1, file: sampleEnterpriseFile('过期编辑', testUscc(1)) }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await host.dispatch('enterprises.addRating', { enterpriseId: huasheng.id, entry: { level: 'blue', bureau: '景德镇市生态环境局', ratedOn: '2025-06-30' } }, host.sessions.officer);
    await host.dispatch('enterprises.addRating', { enterpriseId: huasheng.id, entry: { level: 'yellow', bureau: '景德镇市生态环境局', ratedOn: '2024-06-30' } }, host.sessions.officer);
    await host.dispatch('enterprises.saveFinancials', { enterpriseId: huasheng.id, snapshot: { year: 2025, revenue: 12_345_678_90, totalAssets: 5_000_000_00, liabilities: 2_000_000_00, profit: -12_00 } }, host.sessions.officer);
    const detail = await host.dispatch('enterprises.saveFinancials', { enterpriseId: huasheng.id, snapshot: { year: 2025, revenue: 1, totalAssets: 2, liabilities: 3, profit: 4 } }, host.sessions.officer);
    expect(detail).toMatchObject({ ok: true, value: { environmentalRating: 'blue', financials: [{ year: 2025, revenue: 1 }], ratings: [{ level: 'blue' }, { level: 'yellow' }] } });
    expect(await search('新型')).toEqual(['华盛新型建材有限公司']);
    // The page's history includes its child records' changes.
    const history = await host.dispatch('records.history', { recordType: 'enterprises', recordId: huasheng.id }, host.sessions.officer);
    const types = history.ok ? (history.value as { recordType: string }[]).map((h) => h.recordType) : [];
    expect(types).toEqual(expect.arrayContaining(['enterprises', 'enterprise_ratings', 'enterprise_financials']));
  });

  it('refuses writes from roles without enterprise.write', async () => {
    expect(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('管理员建的', testUscc(20)) }, host.sessions.admin)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('points out a file entered twice, and a credit manager deletes one with a reason, audited', async () => {
    const first = (await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('重复录入茶业有限公司', testUscc(30)) }, host.sessions.officer)) as { ok: true; value: EnterpriseDetail };
    // The second copy as sync brings it (another laptop filed it offline): the handlers would refuse it here.
    const second = insertRecord(host.store.db, 'enterprises', { ...enterpriseColumns(sampleEnterpriseFile('重复录入茶业有限公司（同事）', testUscc(30)), defaultFocusIndustryGroupings) }, { userId: 'colleague', userName: '同事', branchId: 'b' }, new Date());
    const detail = async (id: string) => (await host.dispatch('enterprises.get', { id }, host.sessions.manager)) as { ok: boolean; value: EnterpriseDetail };
    expect((await detail(first.value.id)).value.sameUscc).toEqual([{ id: second.id, name: '重复录入茶业有限公司（同事）' }]);
    expect((await detail(String(second.id))).value.sameUscc).toEqual([{ id: first.value.id, name: '重复录入茶业有限公司' }]);

    const remove = (session: { sessionId: string }, input: object) => host.dispatch('enterprises.remove', { id: second.id, version: 1, reason: '与同事离线录入的档案重复', ...input }, session);
    expect(await remove(host.sessions.officer, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await remove(host.sessions.manager, { reason: '重复' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await remove(host.sessions.manager, { version: 7 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await remove(host.sessions.manager, {})).toMatchObject({ ok: true, value: { id: second.id } });
    expect(await detail(String(second.id))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await detail(first.value.id)).value.sameUscc).toEqual([]);
    const history = (await host.dispatch('records.history', { recordType: 'enterprises', recordId: second.id }, host.sessions.manager)) as { ok: true; value: { action: string; userName: string; after: Record<string, unknown> }[] };
    expect(history.value[0]).toMatchObject({ action: 'delete', userName: 'manager', after: { reason: '与同事离线录入的档案重复' } });
    expect(await search('重复录入')).toEqual(['重复录入茶业有限公司']);
  });
});
