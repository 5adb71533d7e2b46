import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnterpriseDetail, EnterpriseSummary, ImportResult } from '../../../shared/api/enterprises.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, testUscc } from '../testing.ts';
import { MAX_IMPORT_ROWS } from '../import/table.ts';
import { xlsxBase64 } from '../import/testFiles.ts';

/** The import promises the README makes, each against the real host and its encrypted store. */
type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('import promises', () => {
  let host: Host;
  beforeAll(async () => {
    host = await hostWithUsers();
  });
  afterAll(() => host.cleanup());

  const run = async (contentBase64: string, mapping: Record<string, string>, fileName = '名单.xlsx') =>
    value<ImportResult>(await host.dispatch('enterprises.importRun', { fileName, contentBase64, mapping, defaults: {} }, host.sessions.officer));
  const byUscc = async (uscc: string) => {
    const { rows } = value<{ rows: EnterpriseSummary[] }>(await host.dispatch('enterprises.list', { filter: { query: uscc } }, host.sessions.officer));
    return value<EnterpriseDetail>(await host.dispatch('enterprises.get', { id: rows[0]!.id }, host.sessions.officer));
  };

  it('never clears a value with a blank cell: only the cells that hold something change the file', async () => {
    const headers = ['企业名称', '统一社会信用代码', '法定代表人', '注册地址', '行政区划代码', '行业代码', '企业规模', '控股情况', '从业人数'];
    const mapping = {
      name: '企业名称', uscc: '统一社会信用代码', legalRepresentative: '法定代表人', address: '注册地址', divisionCode: '行政区划代码',
      industryCode: '行业代码', scale: '企业规模', ownership: '控股情况', employees: '从业人数',
    };
    const full = await xlsxBase64([headers, ['浮梁空格测试建材有限公司', testUscc(4401), '张建国', '浮梁县工业园区 1 号', '360222', 'C3012', '小型', '私人控股', 80]]);
    expect(await run(full, mapping)).toMatchObject({ imported: 1, rejected: [] });
    // The same file again with the legal representative, address and staff count left blank, the scale changed.
    const sparse = await xlsxBase64([headers, ['浮梁空格测试建材有限公司', testUscc(4401), '', '', '360222', 'C3012', '中型', '私人控股', '']]);
    expect(await run(sparse, mapping)).toMatchObject({ imported: 0, updated: 1, rejected: [] });
    const file = (await byUscc(testUscc(4401))).file;
    expect(file.identity).toMatchObject({ legalRepresentative: '张建国', address: '浮梁县工业园区 1 号', scale: 'medium' });
    expect(file.identity.employees).toBe(80);
  });

  it(`refuses a file of more than ${MAX_IMPORT_ROWS} rows before importing any, and takes one of exactly ${MAX_IMPORT_ROWS}`, async () => {
    const csv = (rows: number) => {
      const lines = ['企业名称,统一社会信用代码'];
      for (let i = 0; i < rows; i += 1) lines.push(`上限测试${i}号有限公司,${testUscc(100_000 + i)}`);
      return Buffer.from(lines.join('\r\n'), 'utf8').toString('base64');
    };
    const tooMany = await host.dispatch('enterprises.importPreview', { fileName: '太多.csv', contentBase64: csv(MAX_IMPORT_ROWS + 1) }, host.sessions.officer);
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: `一次最多导入 50000 行，该文件有 50001 行；请分批导入` } });
    const runTooMany = await host.dispatch('enterprises.importRun', { fileName: '太多.csv', contentBase64: csv(MAX_IMPORT_ROWS + 1), mapping: { name: '企业名称', uscc: '统一社会信用代码' }, defaults: {} }, host.sessions.officer);
    expect(runTooMany).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(value<{ total: number }>(await host.dispatch('enterprises.list', { filter: { query: '上限测试' } }, host.sessions.officer)).total).toBe(0);
    const atCap = await host.dispatch('enterprises.importPreview', { fileName: '刚好.csv', contentBase64: csv(MAX_IMPORT_ROWS) }, host.sessions.officer);
    expect(atCap).toMatchObject({ ok: true, value: { totalRows: 50_000 } });
  });

  it('refuses an old .xls workbook (by its content, whatever its name), saying to save it as .xlsx', async () => {
    // The OLE2 compound-file signature every .xls starts with.
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]).toString('base64');
    for (const fileName of ['旧名单.xls', '改了名的.csv']) {
      const answer = await host.dispatch('enterprises.importPreview', { fileName, contentBase64: xls }, host.sessions.officer);
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '不支持旧版 .xls 文件；请在 Excel 或 WPS 中另存为 .xlsx 后再导入' } });
    }
  });
});
