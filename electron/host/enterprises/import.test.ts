import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { EnterpriseDetail, EnterpriseSummary, ImportMapping, ImportPreview, ImportResult } from '../../../shared/api/enterprises.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import { parseCsv, decodeText, type SourceRow } from '../import/table.ts';
import { suggestMapping as suggestFor, withHeaders as withHeadersFor } from '../import/mapping.ts';
import { encodeGbk, readXlsx, xlsxBase64, xlsxWithLoneSurrogates } from '../import/testFiles.ts';
import { enterpriseImport } from './importer.ts';
import { bulkImportSettled } from '../import/importer.ts';
import { getBlob, sha256Hex } from './attachmentStore.ts';
import { verifyAuditChain } from '../../../db/audit.ts';
import { changeFields } from '../../../db/outbox.ts';
import { greenBookRows } from '../../../db/greenBook.ts';

// The shared importer's header rules, with the enterprise register's synonyms.
const suggestMapping = (headers: readonly string[]) => suggestFor(enterpriseImport.synonyms, headers);
const withHeaders = (rows: readonly SourceRow[]) => withHeadersFor(enterpriseImport.synonyms, rows);

type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

const HEADERS = ['企业名称', '统一社会信用代码', '法定代表人', '注册地址', '行政区划代码', '行业代码', '企业规模', '控股情况', '从业人数', '联系人', '联系电话'];
const COUNTIES = ['360222', '360203', '360281', '361024', '360702'];
const WORDS = ['华盛', '绿源', '恒通', '鑫达', '瑞丰', '宏远', '金桥', '天成'];
const INDUSTRIES: [string, string][] = [
  ['建材', 'C3012'],
  ['陶瓷', 'C3071'],
  ['茶业', 'C1530'],
  ['纺织', 'C1711'],
  ['机械', 'C3311'],
];

/**
 * 1,000 rows, exactly 20 of them bad: 4 wrong check characters, 4 forbidden letters, 4 without a
 * name, 4 bad division codes, 4 repeating an earlier row's USCC.
 */
function thousandRows(): { rows: (string | number)[][]; bad: Map<number, RegExp> } {
  const rows: (string | number)[][] = [];
  const bad = new Map<number, RegExp>();
  for (let i = 0; i < 1000; i += 1) {
    const [industryWord, industryCode] = INDUSTRIES[i % INDUSTRIES.length]!;
    rows.push([
      `浮梁${WORDS[i % WORDS.length]}${industryWord}${i}号有限公司`,
      testUscc(10_000 + i),
      '张建国',
      `江西省景德镇市浮梁县工业园区 ${i} 号`,
      COUNTIES[i % COUNTIES.length]!,
      industryCode,
      ['小型', '中型', '微型', '大型'][i % 4]!,
      '私人控股',
      50 + i,
      '李会计',
      `139${String(10_000_000 + i).slice(-8)}`,
    ]);
  }
  // Spreadsheet rows: the header is row 1, data row i is row i + 2.
  for (const i of [11, 211, 411, 611]) {
    const code = String(rows[i]![1]);
    const wrong = code.endsWith('0') ? '1' : '0';
    rows[i]![1] = code.slice(0, 17) + wrong;
    bad.set(i + 2, /^统一社会信用代码：校验位应为 [0-9A-Y]$/);
  }
  for (const [k, i] of [22, 222, 422, 622].entries()) {
    const code = String(rows[i]![1]);
    rows[i]![1] = `${code.slice(0, 9)}${'IOSVZ'[k]}${code.slice(10)}`;
    bad.set(i + 2, /^统一社会信用代码：第 10 位「[IOSVZ]」不是统一社会信用代码字符$/);
  }
  for (const i of [33, 233, 433, 633]) {
    rows[i]![0] = '';
    bad.set(i + 2, /^企业名称：必填$/);
  }
  // Each says why: not a current county (360299 looks right but 景德镇 has no such county), malformed, a province.
  const divisionReasons = [
    ['360299', /^行政区划代码：360299 不是现行的县级行政区划代码$/],
    ['36022', /^行政区划代码：应为 6 位数字代码/],
    ['360000', /^行政区划代码：360000 是江西省的代码，请填写县级行政区划代码$/],
    ['3602AB', /^行政区划代码：应为 6 位数字代码/],
  ] as const;
  for (const [k, i] of [44, 244, 444, 644].entries()) {
    rows[i]![4] = divisionReasons[k]![0];
    bad.set(i + 2, divisionReasons[k]![1]);
  }
  for (const [k, i] of [55, 255, 455, 655].entries()) {
    rows[i]![1] = rows[k]![1]!;
    bad.set(i + 2, new RegExp(`^统一社会信用代码：与第 ${k + 2} 行重复$`));
  }
  return { rows, bad };
}

async function preview(host: Host, fileName: string, contentBase64: string): Promise<ImportPreview> {
  return value(await host.dispatch('enterprises.importPreview', { fileName, contentBase64 }, host.sessions.officer));
}

async function run(host: Host, fileName: string, contentBase64: string, mapping: ImportMapping, defaults = {}): Promise<ImportResult> {
  return value(await host.dispatch('enterprises.importRun', { fileName, contentBase64, mapping, defaults }, host.sessions.officer));
}

async function total(host: Host, filter: object = {}): Promise<number> {
  return value<{ total: number }>(await host.dispatch('enterprises.list', { filter }, host.sessions.officer)).total;
}

async function byUscc(host: Host, uscc: string): Promise<EnterpriseDetail> {
  const { rows } = value<{ rows: EnterpriseSummary[] }>(await host.dispatch('enterprises.list', { filter: { query: uscc } }, host.sessions.officer));
  expect(rows).toHaveLength(1);
  return value(await host.dispatch('enterprises.get', { id: rows[0]!.id }, host.sessions.officer));
}

describe('enterprise import (.xlsx, 1,000 rows with 20 bad ones)', () => {
  let host: Host;
  let content: string;
  let bad: Map<number, RegExp>;
  let first: ImportResult;
  let mapping: ImportMapping;
  beforeAll(async () => {
    host = await hostWithUsers();
    const generated = thousandRows();
    bad = generated.bad;
    content = await xlsxBase64([HEADERS, ...generated.rows]);
  });
  afterAll(() => host.cleanup());

  it('previews headers, the first rows and a mapping from the header synonyms', async () => {
    const shown = await preview(host, '企业名单.xlsx', content);
    expect(shown).toMatchObject({ headers: HEADERS, totalRows: 1000, headerRow: 1, remembered: false, sheetName: 'Sheet1' });
    expect(shown.sampleRows).toHaveLength(10);
    expect(shown.sampleRows[0]![1]).toBe(testUscc(10_000));
    expect(shown.suggestedMapping).toEqual({
      name: '企业名称',
      uscc: '统一社会信用代码',
      legalRepresentative: '法定代表人',
      address: '注册地址',
      divisionCode: '行政区划代码',
      industryCode: '行业代码',
      scale: '企业规模',
      ownership: '控股情况',
      employees: '从业人数',
      contactName: '联系人',
      contactPhone: '联系电话',
    });
    mapping = shown.suggestedMapping;
  });

  it('imports the 980 valid rows and reports the 20 bad ones with reasons naming field and problem', async () => {
    const started = performance.now();
    first = await run(host, '企业名单.xlsx', content, mapping);
    const ms = performance.now() - started;
    console.info(`[import] 1,000-row .xlsx: ${ms.toFixed(0)} ms`);
    expect(first).toMatchObject({ imported: 980, updated: 0, unchanged: 0 });
    expect(first.rejected.map((r) => r.row).sort((a, b) => a - b)).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const { row, reasons } of first.rejected) {
      expect(reasons, `row ${row}`).toHaveLength(1);
      expect(reasons[0], `row ${row}`).toMatch(bad.get(row)!);
    }
    expect(await total(host)).toBe(980);
    const one = await byUscc(host, testUscc(10_007));
    expect(one.file.identity).toMatchObject({ name: '浮梁天成茶业7号有限公司', scale: 'large', ownership: 'private', employees: 57, contacts: [{ name: '李会计', phone: '13910000007' }] });
    expect(one.focusGroup).toBe('food');
    // The bulk path (issue 20): one audit entry per chunk (500 rows, then the other 480) naming the import file, kept as an
    // encrypted blob, with the ids it wrote; an outbox entry per file; the chain verifies.
    const { db } = host.store;
    const entries = db.prepare(`SELECT after FROM audit_log WHERE action = 'bulk_insert' ORDER BY seq`).pluck().all() as string[];
    expect(entries).toHaveLength(2);
    const summaries = entries.map((after) => JSON.parse(after) as { count: number; ids: string[]; import: { fileName: string; sha256: string; rows: number[] } });
    expect(summaries.reduce((sum, e) => sum + e.count, 0)).toBe(980);
    expect(summaries[0]!.import).toMatchObject({ fileName: '企业名单.xlsx', sha256: sha256Hex(Buffer.from(content, 'base64')) });
    expect(getBlob(host.ctx.dataDir, host.store.attachmentKey, summaries[0]!.import.sha256).equals(Buffer.from(content, 'base64'))).toBe(true);
    expect(summaries.flatMap((e) => e.ids)).toContain(one.id);
    expect(db.prepare(`SELECT count(*) FROM outbox WHERE table_name = 'enterprises' AND op = 'insert'`).pluck().get()).toBe(980);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, problems: [] });
    // The import copied its WAL into the database once, at its end (on this thread: it is small;
    // a long list's on a thread of its own, walCopy.test.ts), and gave the file back (the remembered
    // mapping's commit is all that is left in it), with the connection's setting restored.
    await bulkImportSettled(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(statSync(`${db.name}-wal`).size).toBeLessThan(64 * 1024);
  });

  it('fills the search indexes of a bulk chunk at its end and keeps each outbox entry compact yet complete', async () => {
    const { db } = host.store;
    // Written with the insert triggers set aside, then one INSERT … SELECT per search index: the
    // trigram index (3+ characters), the bigrams (2 characters) and the initials find the file, and
    // the triggers are back for the next write.
    for (const query of ['天成茶业7号', '天成', 'FLTCCY']) expect(await total(host, { query }), query).toBeGreaterThan(0);
    expect(value<{ rows: EnterpriseSummary[] }>(await host.dispatch('enterprises.list', { filter: { query: '天成茶业7号' } }, host.sessions.officer)).rows.map((r) => r.name)).toContain('浮梁天成茶业7号有限公司');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%enterprise%_insert' ORDER BY name").pluck().all()).toEqual([
      'enterprises_fts_insert',
      'enterprises_grams_insert',
      'green_book_enterprise_insert',
    ]);
    expect(db.prepare('SELECT count(*) FROM enterprises_fts_docsize').pluck().get()).toBe(db.prepare('SELECT count(*) FROM enterprises').pluck().get());
    // The green book's rewrite ran for the chunk instead of per file: the book equals its definition.
    expect(greenBookRows(db, 'kept')).toEqual(greenBookRows(db, 'source'));
    // An entry leaves out null columns and the stamps it carries itself; what is sent has them back.
    const one = await byUscc(host, testUscc(10_007));
    const entry = db.prepare(`SELECT op, fields, user_id, at FROM outbox WHERE row_id = ?`).get(one.id) as { op: 'insert'; fields: string; user_id: string; at: string };
    const stored = JSON.parse(entry.fields) as Record<string, unknown>;
    expect(Object.values(stored)).not.toContain(null);
    expect(stored).not.toHaveProperty('created_at');
    expect(changeFields(entry)).toMatchObject({ created_at: entry.at, updated_at: entry.at, created_by: entry.user_id, updated_by: entry.user_id, name: '浮梁天成茶业7号有限公司' });
  });

  it('gives the rejected rows back as .xlsx: original columns plus 错误原因', async () => {
    expect(first.rejectedFileName).toMatch(/^企业名单-未导入-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = await readXlsx(first.rejectedFileBase64!);
    expect(sheet[0]).toEqual([...HEADERS, '错误原因']);
    expect(sheet).toHaveLength(21);
    const row13 = sheet.find((cells) => cells[0] === '浮梁鑫达陶瓷11号有限公司')!;
    expect(row13[1]).toHaveLength(18);
    expect(row13[11]).toMatch(/^统一社会信用代码：校验位应为 /);
  });

  it('writes numbers of the rejected rows as numbers and their codes as text', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(first.rejectedFileBase64!, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    let row13: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '浮梁鑫达陶瓷11号有限公司') row13 = row;
    });
    // 从业人数 (column 9) is 50 + 11.
    expect(row13!.getCell(9).value).toBe(61);
    // USCC, division code, industry code and phone stay text, marked as text.
    for (const column of [2, 5, 6, 11]) {
      expect(typeof row13!.getCell(column).value, `column ${column}`).toBe('string');
      expect(row13!.getCell(column).numFmt, `column ${column}`).toBe('@');
    }
    expect(row13!.getCell(5).value).toBe('360203');
  });

  it('updates on re-import instead of duplicating, and remembers the mapping', async () => {
    const again = await run(host, '企业名单.xlsx', content, mapping);
    expect(again).toMatchObject({ imported: 0, updated: 980, unchanged: 980 });
    expect(again.rejected).toHaveLength(20);
    expect(await total(host)).toBe(980);
    const shown = await preview(host, '另一份.xlsx', content);
    expect(shown).toMatchObject({ remembered: true, suggestedMapping: mapping });
  });

  it('changes only the mapped fields of an existing file', async () => {
    const edited = thousandRows().rows.slice(0, 3).map((row) => [row[1]!, '王新法人', '国家级', 2024]);
    const file = await xlsxBase64([['统一社会信用代码', '法定代表人', '绿色工厂级别', '绿色工厂年份'], ...edited]);
    const result = await run(host, 'green.xlsx', file, { uscc: '统一社会信用代码', legalRepresentative: '法定代表人', greenFactoryLevel: '绿色工厂级别', greenFactoryYear: '绿色工厂年份' });
    expect(result).toMatchObject({ imported: 0, updated: 3, unchanged: 0, rejected: [] });
    const one = await byUscc(host, testUscc(10_001));
    expect(one.version).toBe(2);
    expect(one.file.identity).toMatchObject({ name: '浮梁绿源陶瓷1号有限公司', legalRepresentative: '王新法人', address: '江西省景德镇市浮梁县工业园区 1 号', employees: 51 });
    expect(one.file.greenCredentials.greenFactory).toEqual({ level: 'national', year: 2024 });
    const history = value<{ action: string; after: Record<string, unknown> }[]>(await host.dispatch('records.history', { recordType: 'enterprises', recordId: one.id }, host.sessions.officer));
    // Filed by the bulk path: its chunk's one entry (bulk_insert) names it; the update is its own entry.
    expect(history.map((h) => h.action)).toEqual(['update', 'bulk_insert']);
  });

  it('is refused to a role without enterprise.write', async () => {
    const result = await host.dispatch('enterprises.importRun', { fileName: 'x.xlsx', contentBase64: content, mapping }, host.sessions.admin);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('serves other calls between chunks while a long import runs', async () => {
    const other = await hostWithUsers();
    try {
      let finished = false;
      const importing = run(other, '企业名单.xlsx', content, mapping).then((result) => ((finished = true), result));
      const count = () => other.store.db.prepare('SELECT count(*) FROM enterprises').pluck().get() as number;
      let listedMidway: number | null = null;
      while (!finished && listedMidway === null) {
        await new Promise((resolve) => setImmediate(resolve));
        if (count() > 0 && !finished) listedMidway = (await total(other)) as number;
      }
      // The list answered while the import had written some chunks and not yet the rest.
      expect(listedMidway).toBeGreaterThan(0);
      expect(listedMidway).toBeLessThan(980);
      expect(await importing).toMatchObject({ imported: 980 });
    } finally {
      other.cleanup();
    }
  });
});

describe('import sources: synonyms, title rows, CSV in UTF-8 and GBK, defaults', () => {
  let host: Host;
  beforeAll(async () => {
    host = await hostWithUsers();
  });
  afterAll(() => host.cleanup());

  it('maps header synonyms, brackets and notes included', () => {
    expect(
      suggestMapping(['序号', '单位名称', '信用代码', '法人代表', '企业地址', '区县代码', '国民经济行业代码', '规模', '从业人数', '联系电话', '绿色工厂级别', '批次年份', '推荐日期', '推荐批次']),
    ).toEqual({
      name: '单位名称',
      uscc: '信用代码',
      legalRepresentative: '法人代表',
      address: '企业地址',
      divisionCode: '区县代码',
      industryCode: '国民经济行业代码',
      scale: '规模',
      employees: '从业人数',
      contactPhone: '联系电话',
      greenFactoryLevel: '绿色工厂级别',
      greenFactoryYear: '批次年份',
      miitRecommendedOn: '推荐日期',
      miitBatch: '推荐批次',
    });
    expect(suggestMapping(['企业全称', '社会信用代码', '法定代表人', '地址'])).toMatchObject({ name: '企业全称', uscc: '社会信用代码' });
    expect(suggestMapping(['*企业名称（必填）', '统一社会信用代码(18位)', '企业规模 '])).toEqual({
      name: '*企业名称（必填）',
      uscc: '统一社会信用代码(18位)',
      scale: '企业规模 ',
    });
  });

  it('recognises 所属行业, 行政区划, 控股类型 and other common headers', () => {
    expect(suggestMapping(['企业名称', '统一社会信用代码', '负责人', '行政区划', '所属行业', '控股类型', '企业划型', '联系人手机号', '负面名单'])).toEqual({
      name: '企业名称',
      uscc: '统一社会信用代码',
      legalRepresentative: '负责人',
      divisionCode: '行政区划',
      industryCode: '所属行业',
      ownership: '控股类型',
      scale: '企业划型',
      contactPhone: '联系人手机号',
      negativeList: '负面名单',
    });
    expect(suggestMapping(['行业', '企业控股类型', '所属行政区划', '负面清单'])).toEqual({ industryCode: '行业', ownership: '企业控股类型', divisionCode: '所属行政区划', negativeList: '负面清单' });
  });

  it('updates the phone of the same contact on re-import instead of adding a second contact', async () => {
    const headers = ['企业名称', '统一社会信用代码', '法定代表人', '地址', '行政区划代码', '行业代码', '企业规模', '控股情况', '联系人', '联系电话'];
    const mapping = suggestMapping(headers);
    const row = (phone: string) => ['浮梁联系人测试有限公司', testUscc(77_001), '张建国', '江西省景德镇市浮梁县', '360222', 'C3012', '小型', '私人控股', '李会计', phone];
    expect(await run(host, 'a.xlsx', await xlsxBase64([headers, row('13907980001')]), mapping)).toMatchObject({ imported: 1 });
    expect(await run(host, 'b.xlsx', await xlsxBase64([headers, row('13907980002')]), mapping)).toMatchObject({ updated: 1, unchanged: 0 });
    expect((await byUscc(host, testUscc(77_001))).file.identity.contacts).toEqual([{ name: '李会计', phone: '13907980002' }]);
    // A different person is a second contact, the first kept.
    const other = [...row('13907980003')];
    other[8] = '王出纳';
    await run(host, 'c.xlsx', await xlsxBase64([headers, other]), mapping);
    expect((await byUscc(host, testUscc(77_001))).file.identity.contacts).toEqual([
      { name: '王出纳', phone: '13907980003' },
      { name: '李会计', phone: '13907980002' },
    ]);
  });

  it('skips a title row above the headers', () => {
    const table = withHeaders([
      { row: 1, cells: ['2024年度省级绿色工厂名单', '2024年度省级绿色工厂名单', '2024年度省级绿色工厂名单'] },
      { row: 2, cells: ['序号', '企业名称', '统一社会信用代码'] },
      { row: 3, cells: ['1', '华盛建材有限公司', testUscc(1)] },
    ]);
    expect(table).toMatchObject({ headerRow: 2, headers: ['序号', '企业名称', '统一社会信用代码'], rows: [{ row: 3 }] });
  });

  it('parses CSV: quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF', () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","line1\nline2"\r\n1,,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\nline2'],
      ['1', '', '3'],
    ]);
    expect(parseCsv('名称\t代码\n华盛\t123')).toEqual([
      ['名称', '代码'],
      ['华盛', '123'],
    ]);
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('企业')]))).toEqual({ text: '企业', encoding: 'utf-8' });
    expect(decodeText(encodeGbk('企业名称'))).toEqual({ text: '企业名称', encoding: 'gbk' });
  });

  const csv = (serial: number, name: string) =>
    [
      '单位名称,信用代码,法人代表,地址,区县代码,行业代码,规模,控股情况',
      `${name},${testUscc(serial)},赵六,"江西省景德镇市浮梁县 ""陶瓷""大道 8 号, 二楼",360222,C3071,小型,民营`,
    ].join('\r\n');

  it('imports a UTF-8 CSV with BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(501, '景德镇华盛陶瓷有限公司'))]);
    const shown = await preview(host, 'list.csv', bytes.toString('base64'));
    expect(shown).toMatchObject({ encoding: 'utf-8', headers: ['单位名称', '信用代码', '法人代表', '地址', '区县代码', '行业代码', '规模', '控股情况'], totalRows: 1 });
    expect(await run(host, 'list.csv', bytes.toString('base64'), shown.suggestedMapping)).toMatchObject({ imported: 1, rejected: [] });
    expect((await byUscc(host, testUscc(501))).file.identity).toMatchObject({ name: '景德镇华盛陶瓷有限公司', address: '江西省景德镇市浮梁县 "陶瓷"大道 8 号, 二楼', ownership: 'private' });
  });

  it('imports a GBK CSV (Excel 「CSV（逗号分隔）」 on Chinese Windows)', async () => {
    const bytes = encodeGbk(csv(502, '浮梁县绿源茶业有限公司'));
    const shown = await preview(host, 'list.csv', bytes.toString('base64'));
    expect(shown.encoding).toBe('gbk');
    expect(shown.sampleRows[0]![0]).toBe('浮梁县绿源茶业有限公司');
    expect(await run(host, 'list.csv', bytes.toString('base64'), shown.suggestedMapping)).toMatchObject({ imported: 1, rejected: [] });
    expect((await byUscc(host, testUscc(502))).file.identity.name).toBe('浮梁县绿源茶业有限公司');
  });

  it('turns a cell holding a lone surrogate into a reason for its row, and the audit chain stays intact (H2)', async () => {
    const file = await xlsxWithLoneSurrogates([
      ['企业名称', '统一社会信用代码', '法定代表人', '注册地址', '行政区划代码', '行业代码', '企业规模', '控股情况', '联系电{lone}话'],
      ['华盛{lone}建材有限公司', testUscc(701), '张建国', '浮梁县工业园区', '360222', 'C3012', '小型', '民营', '0798-1234567'],
      ['昌河新材料有限公司', testUscc(702), '李{lone}明', '浮梁县工业园区', '360222', 'C3012', '小型', '民营', ''],
      ['景德镇陶瓷有限公司', testUscc(703), '王强', '浮梁县工业园区', '360222', 'C3071', '小型', '民营', ''],
    ]);
    const shown = await preview(host, 'lone.xlsx', file);
    expect(shown.headers).toContain('联系电\ufffd话');
    const result = await run(host, 'lone.xlsx', file, shown.suggestedMapping);
    expect(result).toMatchObject({ imported: 1, rejected: [{ row: 2 }, { row: 3 }] });
    expect(result.rejected[0]!.reasons).toEqual([expect.stringMatching(/^企业名称：含有无效字符/)]);
    expect(result.rejected[1]!.reasons).toEqual([expect.stringMatching(/^法定代表人：含有无效字符/)]);
    expect(value(await host.dispatch('audit.verify', {}, host.sessions.admin))).toMatchObject({ ok: true, problems: [] });
  });

  it('fills a list of names and codes with defaults, without overwriting existing files', async () => {
    const existing = sampleEnterpriseFile('华盛建材有限公司', testUscc(601), { legalRepresentative: '张建国' });
    value(await host.dispatch('enterprises.create', { file: existing }, host.sessions.officer));
    const file = await xlsxBase64([
      ['2025年第一批省级绿色工厂名单'],
      ['序号', '企业名称', '统一社会信用代码'],
      [1, '华盛建材有限公司', testUscc(601)],
      [2, '昌河新材料有限公司', testUscc(602)],
    ]);
    const shown = await preview(host, 'green.xlsx', file);
    expect(shown).toMatchObject({ headerRow: 2, totalRows: 2, suggestedMapping: { name: '企业名称', uscc: '统一社会信用代码' } });
    const withoutDefaults = await run(host, 'green.xlsx', file, shown.suggestedMapping);
    expect(withoutDefaults).toMatchObject({ imported: 0, updated: 1, unchanged: 1, rejected: [{ row: 4 }] });
    expect(withoutDefaults.rejected[0]!.reasons).toContain('法定代表人：必填（文件中没有这一列，也没有默认值）');
    const result = await run(host, 'green.xlsx', file, shown.suggestedMapping, {
      legalRepresentative: '待补充',
      address: '待补充',
      divisionCode: '360222',
      industryCode: 'C3012',
      scale: '小型',
      ownership: 'private',
      greenFactoryLevel: '省级',
      greenFactoryYear: '2025',
    });
    expect(result).toMatchObject({ imported: 1, updated: 1, unchanged: 0, rejected: [] });
    const kept = await byUscc(host, testUscc(601));
    expect(kept.file.identity).toMatchObject({ legalRepresentative: '张建国', industryCode: 'C3012', scale: 'small' });
    expect(kept.file.greenCredentials.greenFactory).toEqual({ level: 'provincial', year: 2025 });
    const created = await byUscc(host, testUscc(602));
    expect(created.file.identity).toMatchObject({ divisionCode: '360222', legalRepresentative: '待补充', scale: 'small' });
  });

  it('refuses a mapping to a column the file does not have, and a file that is not a spreadsheet', async () => {
    const file = await xlsxBase64([['企业名称', '统一社会信用代码'], ['华盛', testUscc(1)]]);
    const missing = await host.dispatch('enterprises.importRun', { fileName: 'a.xlsx', contentBase64: file, mapping: { uscc: '信用代码' } }, host.sessions.officer);
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const junk = await host.dispatch('enterprises.importPreview', { fileName: 'a.pdf', contentBase64: Buffer.from('%PDF-1.4').toString('base64') }, host.sessions.officer);
    expect(junk).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '只能导入 .xlsx 或 .csv 文件' } });
  });
});
