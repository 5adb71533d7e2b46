import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditSummary, RecommendationImportPreview, RecommendationImportResult } from '../../../shared/api/index.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import { xlsxBase64 } from '../import/testFiles.ts';

/**
 * The 项目互荐 list through the one importer and the real dispatch: matched files are flagged with
 * the list's batch and date, unmatched names are listed, importing again changes nothing, and
 * credit counts a flagged enterprise's application 优先.
 */
const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('recommended-enterprise list import', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  let recommendedId: string;
  const recommended = testUscc(17_001);
  const unknown = testUscc(17_002);

  beforeAll(async () => {
    host = await hostWithUsers();
    recommendedId = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县昌南陶瓷科技有限公司', recommended) }, host.sessions.officer)).id;
  });
  afterAll(() => host?.cleanup());

  it('flags the matched file with batch and date, lists the unmatched name, and credit then says 优先', async () => {
    const contentBase64 = await xlsxBase64([
      ['序号', '企业名称', '统一社会信用代码', '推荐项目'],
      [1, '浮梁县昌南陶瓷科技有限公司', recommended.toLowerCase(), '隧道窑余热回收'],
      [2, '邵东市湘中玻璃制品有限公司', unknown, '光伏玻璃窑炉改造'],
    ]);
    const file = { fileName: '2026年第二批项目互荐名单.xlsx', contentBase64 };
    const preview = value<RecommendationImportPreview>(await host.dispatch('recommendations.importPreview', file, host.sessions.officer));
    expect(preview.suggestedMapping).toEqual({ enterpriseName: '企业名称', uscc: '统一社会信用代码', projectName: '推荐项目' });

    const application = value<{ id: string }>(
      await host.dispatch(
        'credit.create',
        { terms: { enterpriseId: recommendedId, product: 'fixed_asset', amountFen: 5_000_000_00, termMonths: 36, rateBp: 345, purpose: '隧道窑余热回收改造', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: true, project: null } },
        host.sessions.officer,
      ),
    );
    const priority = async () =>
      value<{ rows: CreditSummary[] }>(await host.dispatch('credit.list', { filter: { enterpriseId: recommendedId }, sort: { field: 'updatedAt', order: 'desc' }, offset: 0, limit: 10 }, host.sessions.officer)).rows.find(
        (row) => row.id === application.id,
      )?.priority;
    expect(await priority()).toBe(false);

    const run = { ...file, mapping: preview.suggestedMapping, batch: '2026年第二批', recommendedOn: '2026-06-18' };
    const result = value<RecommendationImportResult>(await host.dispatch('recommendations.importRun', run, host.sessions.officer));
    expect(result).toMatchObject({ imported: 0, updated: 1, unchanged: 0, batch: '2026年第二批', recommendedOn: '2026-06-18', unmatched: [{ row: 3, name: '邵东市湘中玻璃制品有限公司', uscc: unknown }] });
    expect(result.rejected).toEqual([{ row: 3, reasons: [`未匹配到企业档案：邵东市湘中玻璃制品有限公司，${unknown}；请先建立企业档案后再导入该行`] }]);
    expect(result.rejectedFileBase64).not.toBeNull();

    const detail = value<{ file: { greenCredentials: { miitRecommendation: unknown } } }>(await host.dispatch('enterprises.get', { id: recommendedId }, host.sessions.officer));
    expect(detail.file.greenCredentials.miitRecommendation).toEqual({ recommended: true, date: '2026-06-18', batch: '2026年第二批' });
    expect(await priority()).toBe(true);

    // The same list again: matched, nothing changed.
    expect(value<RecommendationImportResult>(await host.dispatch('recommendations.importRun', run, host.sessions.officer))).toMatchObject({ updated: 1, unchanged: 1 });
  });
});
