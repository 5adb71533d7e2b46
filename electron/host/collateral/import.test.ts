import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollateralDetail, CollateralImportPreview, CollateralImportResult, CollateralSummary } from '../../../shared/api/collateral.ts';
import type { Result } from '../../../shared/api/result.ts';
import { verifyAuditChain } from '../../../db/audit.ts';
import { readXlsx, xlsxBase64 } from '../import/testFiles.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * An existing collateral list through the one importer and the real dispatch, over a real database
 * file, in a real .xlsx written by exceljs: good rows become drafts (never approved), bad rows come
 * back with their row and column named and nothing of them is written, the same list again is all
 * duplicates, and a credit manager still approves each imported item (four-eyes).
 */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

const headers = ['序号', '出质人', '统一社会信用代码', '押品类型', '权证编号', '发证机关', '有效期起', '有效期至', '污染物', '履约年度', '数量', '单位', '单价（元）', '评估价值（万元）', '评估方法', '评估基准日', '评估机构', '质押率'];

describe('collateral list import', () => {
  let host: Host;
  let enterpriseId: string;
  const owner = testUscc(15_101);
  const unknown = testUscc(15_102);
  const name = '浮梁县瓷都陶瓷有限公司';

  beforeAll(async () => {
    host = await hostWithUsers();
    enterpriseId = value<{ id: string }>(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, owner) }, host.sessions.officer)).id;
  });
  afterAll(() => host.cleanup());

  const list = (rows: (string | number | Date | null)[][]) => xlsxBase64([['抵质押物清单（截至 2026-01-31）'], headers, ...rows]);
  const count = async () => value<{ total: number }>(await host.dispatch('collateral.list', { filter: { enterpriseId }, exactTotal: true }, host.sessions.officer)).total;
  const auditEntries = () => host.store.db.prepare(`SELECT count(*) FROM audit_log`).pluck().get() as number;

  it('offers a template with the import headers that imports back as an empty list', async () => {
    const template = value<{ fileName: string; contentBase64: string }>(await host.dispatch('collateral.importTemplate', {}, host.sessions.officer));
    expect(template.fileName).toBe('抵质押物导入模板.xlsx');
    const [head] = await readXlsx(template.contentBase64);
    expect(head!.slice(0, 4)).toEqual(['权证编号', '统一社会信用代码', '出质企业', '类型']);
    const preview = value<CollateralImportPreview>(await host.dispatch('collateral.importPreview', { fileName: template.fileName, contentBase64: template.contentBase64 }, host.sessions.officer));
    expect(preview.totalRows).toBe(0);
    // Every template column maps to its field by its own header.
    expect(Object.keys(preview.suggestedMapping)).toHaveLength(25);
    expect(await host.dispatch('collateral.importTemplate', {}, host.sessions.admin)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('files good rows as drafts, refuses bad rows naming row and column, and writes nothing of them', async () => {
    const contentBase64 = await list([
      // 3: COD at a paid-use fee: 3,000 元/t·yr × 12.5 t/yr × 3 years = 112,500 元 at 80 %.
      [1, name, owner.toLowerCase(), '排污权', '浮环排污〔2025〕15号', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', 'COD', null, 12.5, '吨/年', 3000, null, null, new Date(Date.UTC(2026, 0, 1)), '江西中信资产评估有限公司', '80%'],
      // 4: NH3-N of the same certificate: another pledged right, not a duplicate; the list's value (万元) as stated.
      [2, name, owner, '排污权', '浮环排污〔2025〕15号', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', '氨氮', null, 1.2, null, null, 1.8, '市场法', '2026-01-01', '江西中信资产评估有限公司', 0.7],
      // 5: CEA of 2025 at a stated value.
      [3, name, owner, '碳排放权', 'CEA-360222-0015', '全国碳排放权注册登记结算有限责任公司', '2026-01-01', '2026-12-31', null, '2025年度', 5000, 't', null, 48.745, '市场法', '2026-01-15', '江西中信资产评估有限公司', '60'],
      // 6: unknown owner, unknown type, impossible date.
      [4, '邵东市湘中玻璃制品有限公司', unknown, '林权', 'LQ-2024-01', '邵东市林业局', '2024-13-01', '2030-12-31', null, null, null, null, null, 10, '市场法', '2026-01-01', '湖南评估', '50%'],
      // 7: above the 排污权 cap.
      [5, name, owner, '排污权', '浮环排污〔2025〕16号', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', 'SO2', null, 3, '吨/年', 2000, null, null, '2026-01-01', '江西中信资产评估有限公司', '85%'],
      // 8: the same COD right again within the file.
      [6, name, owner, '排污权', '浮环排污〔2025〕 15号', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', 'COD（化学需氧量）', null, 12.5, '吨/年', 3000, null, null, '2026-01-01', '江西中信资产评估有限公司', '80%'],
      // 9: a 水权 with neither value nor price, nor a quantity.
      [7, name, owner, '水权', 'QS-2024-0088', '浮梁县水利局', '2024-01-01', '2033-12-31', null, null, null, null, null, null, null, '2026-01-01', '江西中信资产评估有限公司', '50%'],
    ]);
    const file = { fileName: '2026年1月抵质押物台账.xlsx', contentBase64 };
    const preview = value<CollateralImportPreview>(await host.dispatch('collateral.importPreview', file, host.sessions.officer));
    expect(preview).toMatchObject({ headerRow: 2, totalRows: 7 });
    expect(preview.suggestedMapping).toMatchObject({ uscc: '统一社会信用代码', type: '押品类型', certificateNumber: '权证编号', appraisedValue: '评估价值（万元）', pledgeRate: '质押率', enterpriseName: '出质人' });

    const before = await count();
    const result = value<CollateralImportResult>(await host.dispatch('collateral.importRun', { ...file, mapping: preview.suggestedMapping, status: 'draft' }, host.sessions.officer));
    expect(result).toMatchObject({ imported: 3, updated: 0, status: 'draft' });
    expect(result.rejected).toEqual([
      {
        row: 6,
        reasons: [
          '类型：无法识别「林权」，应为 排污权、碳排放权、水权、用能权、节能节水未来收益权、合同能源管理收益权、节能环保知识产权 或 特许经营权',
          '有效期起：应为日期（如 2024-06-30），现为「2024-13-01」',
          `统一社会信用代码：邵东市湘中玻璃制品有限公司，${unknown} 未在本支行建档；请先建立企业档案后再导入该行`,
        ],
      },
      { row: 7, reasons: ['质押率 85.00% 超过上限 80.00%（《湖南省主要污染物排污权抵押贷款管理办法（试行）》：不超过排污权评估价值的80%）'] },
      { row: 8, reasons: ['权证编号：浮环排污〔2025〕 15号（COD） 与第 3 行重复'] },
      { row: 9, reasons: ['数量：水权必填', '评估价值（元）：必填（或填写单价）'] },
    ]);
    // The rejected rows come back as a sheet to fix: their own cells and the reasons.
    const rejected = await readXlsx(result.rejectedFileBase64!);
    expect(rejected[0]!.at(-1)).toBe('错误原因');
    expect(rejected.slice(1).map((row) => row[4])).toEqual(['LQ-2024-01', '浮环排污〔2025〕16号', '浮环排污〔2025〕 15号', 'QS-2024-0088']);
    expect(await count()).toBe(before + 3);

    const rows = value<{ rows: CollateralSummary[] }>(await host.dispatch('collateral.list', { filter: { enterpriseId }, sort: { field: 'appraisedValue', order: 'asc' } }, host.sessions.officer)).rows;
    expect(rows.map((row) => [row.certificateNumber, row.status, row.appraisedValue, row.pledgedValue, row.makerName])).toEqual([
      ['浮环排污〔2025〕15号', 'draft', 1_800_000, 1_260_000, 'officer'],
      ['浮环排污〔2025〕15号', 'draft', 11_250_000, 9_000_000, 'officer'],
      ['CEA-360222-0015', 'draft', 48_745_000, 29_247_000, 'officer'],
    ]);
    const cea = value<CollateralDetail>(await host.dispatch('collateral.get', { id: rows[2]!.id }, host.sessions.officer));
    expect(cea.details).toEqual({ type: 'carbon_allowance', kind: 'cea', complianceYear: 2025, quantity: '5000', unit: 'tCO2e' });
    expect(cea.appraisals).toMatchObject([{ method: 'appraisal_report', value: 48_745_000, appraiser: '江西中信资产评估有限公司', appraisedOn: '2026-01-15', inputs: { reportNumber: '导入清单第 5 行', listedMethod: '市场法' } }]);
    expect(cea.revaluationDueOn).toBe('2026-07-15');
    // Nothing imported is approved: the maker has no approve step, a credit manager has.
    expect(cea.allowedActions).toEqual(['submit']);

    // The audit trail records the import: one entry per table naming the file, and the item's history shows it.
    const history = value<{ action: string; after: Record<string, unknown> }[]>(await host.dispatch('records.history', { recordType: 'collateral_items', recordId: cea.id }, host.sessions.officer));
    expect(history.map((entry) => entry.action)).toEqual(['bulk_insert']);
    expect(history[0]!.after).toMatchObject({ import: { fileName: '2026年1月抵质押物台账.xlsx', rows: [3, 4, 5] }, count: 3 });
    expect(verifyAuditChain(host.store.db)).toMatchObject({ ok: true });
  });

  it('a list imported again is all duplicates and adds nothing; a bad file or mapping writes nothing', async () => {
    const contentBase64 = await list([
      [1, name, owner, '排污权', '浮环排污〔2025〕15号', '景德镇市生态环境局浮梁分局', '2024-01-01', '2028-12-31', 'COD', null, 12.5, '吨/年', 3000, null, null, '2026-01-01', '江西中信资产评估有限公司', '80%'],
      [2, name, owner, '碳排放权', 'cea-360222-0015', '全国碳排放权注册登记结算有限责任公司', '2026-01-01', '2026-12-31', null, 2025, 5000, null, null, 48.745, null, '2026-01-15', '江西中信资产评估有限公司', '60%'],
    ]);
    const file = { fileName: '再次导入.xlsx', contentBase64 };
    const preview = value<CollateralImportPreview>(await host.dispatch('collateral.importPreview', file, host.sessions.officer));
    expect(preview.remembered).toBe(true);
    const [items, audit] = [await count(), auditEntries()];
    const again = value<CollateralImportResult>(await host.dispatch('collateral.importRun', { ...file, mapping: preview.suggestedMapping, status: 'submitted' }, host.sessions.manager));
    expect(again).toMatchObject({ imported: 0, updated: 0 });
    expect(again.rejected).toEqual([
      { row: 3, reasons: ['权证编号：浮环排污〔2025〕15号（COD） 已在抵质押登记簿中（草稿，录入人 officer），未重复导入'] },
      { row: 4, reasons: ['权证编号：cea-360222-0015（2025 年度） 已在抵质押登记簿中（草稿，录入人 officer），未重复导入'] },
    ]);
    expect([await count(), auditEntries()]).toEqual([items, audit]);

    // Without the key column, or not a spreadsheet: refused whole.
    const { certificateNumber: _key, ...keyless } = preview.suggestedMapping;
    expect(await host.dispatch('collateral.importRun', { ...file, mapping: keyless, status: 'draft' }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '请指定「权证编号」所在的列：导入按它识别重复的抵质押物' } });
    expect(await host.dispatch('collateral.importRun', { fileName: 'x.xlsx', contentBase64: Buffer.from('PK\u0003\u0004 broken').toString('base64'), mapping: preview.suggestedMapping, status: 'draft' }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    // An import never files an approved item: the run has no such status.
    expect(await host.dispatch('collateral.importRun', { ...file, mapping: preview.suggestedMapping, status: 'approved' }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect([await count(), auditEntries()]).toEqual([items, audit]);
  });

  it('submitted on import, an item waits for a credit manager other than the importer', async () => {
    const contentBase64 = await list([
      [1, name, owner, '用能权', 'YN-2026-0007', '江西省发展和改革委员会', '2026-01-01', '2030-12-31', null, null, '1,200', '吨标准煤/年', 500, null, null, '2026-01-01', '江西中信资产评估有限公司', '0.5'],
    ]);
    const preview = value<CollateralImportPreview>(await host.dispatch('collateral.importPreview', { fileName: '用能权.xlsx', contentBase64 }, host.sessions.officer));
    const result = value<CollateralImportResult>(await host.dispatch('collateral.importRun', { fileName: '用能权.xlsx', contentBase64, mapping: preview.suggestedMapping, status: 'submitted' }, host.sessions.officer));
    expect(result).toMatchObject({ imported: 1, rejected: [] });
    const [row] = value<{ rows: CollateralSummary[] }>(await host.dispatch('collateral.list', { filter: { enterpriseId, status: 'submitted' } }, host.sessions.officer)).rows;
    // 500 元/tce·yr × 1,200 tce/yr × 5 years = 3,000,000 元 at 50 %.
    expect(row).toMatchObject({ certificateNumber: 'YN-2026-0007', status: 'submitted', appraisedValue: 300_000_000, pledgedValue: 150_000_000 });
    expect(await host.dispatch('collateral.act', { id: row!.id, version: row!.version, action: 'approve' }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const approved = value<CollateralDetail>(await host.dispatch('collateral.act', { id: row!.id, version: row!.version, action: 'approve' }, host.sessions.manager));
    expect(approved).toMatchObject({ status: 'approved', checkerName: 'manager', makerName: 'officer' });
  });
});
