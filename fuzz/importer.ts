import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { importFieldLabels, importValueWords } from '../shared/api/index.ts';
import { testUscc } from '../shared/domain/testing.ts';
import { hostWithUsers } from '../electron/host/testing.ts';
import { encodeGbk } from '../electron/host/import/testFiles.ts';
import { hostileStrings, hostileValue } from './arbitraries.ts';
import { checkDatabase } from './hostProcess.ts';
import type { RunOptions } from './hostApi.ts';
import { bump, failure, newReport, type BoundaryReport } from './report.ts';

/**
 * Boundary 3: the importer. Generated workbooks (every cell type exceljs writes: text, numbers,
 * dates, booleans, formulas, rich text, hyperlinks, errors) and CSV byte strings (UTF-8, GBK, BOMs,
 * odd delimiters and quotes, broken bytes) go through enterprises.importPreview and, with the
 * mapping it suggests, enterprises.importRun — the host's dispatch over a real encrypted database.
 */

const labels = Object.values(importFieldLabels);
const valueWords = [...Object.values(importValueWords.scale), ...Object.values(importValueWords.ownership), ...Object.values(importValueWords.greenFactoryLevel)];

/** Cell text that a real list holds: a valid USCC, a county code, an industry code, a value word … */
const plausibleText = fc.oneof(
  fc.integer({ min: 0, max: 5000 }).map(testUscc),
  fc.constantFrom('浮梁县华盛建材有限公司', '景德镇市绿源陶瓷厂', '张建国', '江西省景德镇市浮梁县工业园区 1 号', '360222', '360200', 'C3012', 'C30', '13907981234', '2025-06-30', '2025', '是', '否', ...valueWords),
  fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 }),
);

const cellText = fc.oneof({ weight: 6, arbitrary: plausibleText }, { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });

type Cell = ExcelJS.CellValue;

const xlsxCell: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 8, arbitrary: cellText },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -10, max: 10_000_000 }), fc.double({ noNaN: true }), fc.constant(91360222000000001)) },
  { weight: 1, arbitrary: fc.date({ min: new Date('1899-12-30'), max: new Date('2100-12-31'), noInvalidDate: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('1+1', 'A1', 'HYPERLINK("x")', 'NOW()', '1/0'), fc.option(fc.oneof(cellText, fc.integer()), { nil: undefined })).map(([formula, result]) => ({ formula, result }) as Cell) },
  { weight: 1, arbitrary: fc.array(cellText, { minLength: 1, maxLength: 3 }).map((texts) => ({ richText: texts.map((text) => ({ text })) }) as Cell) },
  { weight: 1, arbitrary: cellText.map((text) => ({ text, hyperlink: 'http://127.0.0.1:9/' }) as Cell) },
  { weight: 1, arbitrary: fc.constantFrom('#N/A', '#DIV/0!', '#REF!', '#VALUE!').map((error) => ({ error }) as Cell) },
);

const anyHeaders = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...labels, '单位名称', '信用代码', '企业规模') }, { weight: 1, arbitrary: cellText }), { minLength: 1, maxLength: 14 });
/** Mostly a list that has the two columns an import needs (the code and the name), in any place. */
const headerRow = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(anyHeaders, fc.nat()).map(([rest, at]) => [...rest.slice(0, at % (rest.length + 1)), importFieldLabels.uscc, ...rest.slice(at % (rest.length + 1)), importFieldLabels.name]) },
  { weight: 1, arbitrary: anyHeaders },
);

/** What a column of a real list holds, by its header, so that some rows import and reach the writes. */
const cellForHeader = new Map<string, fc.Arbitrary<string>>(Object.entries({
  [importFieldLabels.name]: fc.constantFrom('浮梁县华盛建材有限公司', '景德镇市绿源陶瓷厂', '江西瑞丰纺织有限责任公司'),
  [importFieldLabels.uscc]: fc.integer({ min: 0, max: 3000 }).map(testUscc),
  [importFieldLabels.legalRepresentative]: fc.constantFrom('张建国', '李梅'),
  [importFieldLabels.address]: fc.constant('江西省景德镇市浮梁县工业园区 1 号'),
  [importFieldLabels.divisionCode]: fc.constantFrom('360222', '360203'),
  [importFieldLabels.industryCode]: fc.constantFrom('C3012', 'C1713', 'C3071'),
  [importFieldLabels.scale]: fc.constantFrom(...Object.values(importValueWords.scale)),
  [importFieldLabels.ownership]: fc.constantFrom(...Object.values(importValueWords.ownership)),
  [importFieldLabels.employees]: fc.integer({ min: 0, max: 5000 }).map(String),
}));

/** A header and rows that follow it, each cell plausible for its column, one in five replaced by anything. */
const table = <C>(anyCell: fc.Arbitrary<C>) =>
  headerRow.chain((header) =>
    fc.record({
      header: fc.constant(header),
      rows: fc.array(fc.tuple(...header.map((label) => fc.oneof({ weight: 4, arbitrary: (cellForHeader.get(label) ?? anyCell) as fc.Arbitrary<C | string> }, { weight: 1, arbitrary: anyCell }))), { maxLength: 6 }),
    }),
  );

interface ImportInput {
  kind: string;
  fileName: string;
  bytes: Buffer;
}

const csvText = fc
  .record({
    table: table(cellText),
    delimiter: fc.constantFrom(',', ',', '\t', ';', '|'),
    newline: fc.constantFrom('\r\n', '\n', '\r'),
    quoting: fc.constantFrom('needed', 'always', 'broken'),
    bom: fc.boolean(),
  })
  .map(({ table: { header, rows }, delimiter, newline, quoting, bom }) => {
    const quote = (cell: string) =>
      quoting === 'always' || (quoting === 'needed' && /["\r\n,;\t|]/.test(cell)) ? `"${cell.replaceAll('"', '""')}"` : quoting === 'broken' && cell.length % 3 === 0 ? `"${cell}` : cell;
    return `${bom ? '\ufeff' : ''}${[header, ...rows].map((row) => row.map(quote).join(delimiter)).join(newline)}`;
  });

/** GBK where every character has a GBK code, else the same text as UTF-8 (as WPS would have to). */
function gbkOrUtf8(text: string): { bytes: Buffer; encoding: string } {
  try {
    return { bytes: encodeGbk(text.replace(/^\ufeff/, '')), encoding: 'gbk' };
  } catch {
    return { bytes: Buffer.from(text, 'utf8'), encoding: 'utf-8 (not GBK-encodable)' };
  }
}

const csvFile: fc.Arbitrary<ImportInput> = fc
  .tuple(csvText, fc.constantFrom('utf-8', 'gbk'), fc.constantFrom('企业名单.csv', 'list.CSV', 'list.txt', 'list', 'list.xls'), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 16 }) }), fc.nat())
  .map(([text, encoding, fileName, junk, at]) => {
    const encoded = encoding === 'gbk' ? gbkOrUtf8(text) : { bytes: Buffer.from(text, 'utf8'), encoding: 'utf-8' };
    // Now and then, bytes that are no text at all spliced in (a truncated download, a binary file).
    const bytes = junk === null ? encoded.bytes : Buffer.concat([encoded.bytes.subarray(0, at % (encoded.bytes.length + 1)), Buffer.from(junk), encoded.bytes.subarray(at % (encoded.bytes.length + 1))]);
    return { kind: `csv ${encoded.encoding}${junk === null ? '' : ' + bytes'}`, fileName, bytes };
  });

interface SheetPlan {
  name: string;
  titleRow: string | null;
  table: { header: string[]; rows: Cell[][] };
}

const sheetPlan = fc.record({
  name: fc.oneof(fc.constantFrom('Sheet1', '企业名单', '名单 (2)'), fc.string({ minLength: 1, maxLength: 20 }).filter((n) => !/[\\/*?:[\]]/.test(n) && n.trim() !== '' && !n.startsWith("'") && !n.endsWith("'"))),
  titleRow: fc.option(fc.constantFrom('浮梁县绿色信贷企业名单', '2025 年度'), { freq: 3 }),
  table: table(xlsxCell),
});

async function workbookBytes(sheets: readonly SheetPlan[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const used = new Set<string>();
  for (const plan of sheets) {
    let name = plan.name.slice(0, 31);
    while (used.has(name.toLowerCase())) name = `${name.slice(0, 28)}_${used.size}`;
    used.add(name.toLowerCase());
    const sheet = workbook.addWorksheet(name);
    if (plan.titleRow !== null) sheet.addRow([plan.titleRow]);
    sheet.addRow(plan.table.header);
    for (const row of plan.table.rows) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const xlsxFile = fc.tuple(fc.array(sheetPlan, { minLength: 1, maxLength: 3 }), fc.constantFrom('企业名单.xlsx', 'list.XLSX', 'list.csv', 'list'), fc.constantFrom('whole', 'whole', 'whole', 'truncated', 'flipped'), fc.nat());

type XlsxPlan = typeof xlsxFile extends fc.Arbitrary<infer T> ? T : never;

async function xlsxInput([sheets, fileName, damage, at]: XlsxPlan): Promise<ImportInput> {
  let bytes = await workbookBytes(sheets);
  if (damage === 'truncated') bytes = bytes.subarray(0, 4 + (at % bytes.length));
  if (damage === 'flipped') {
    bytes = Buffer.from(bytes);
    const i = 4 + (at % (bytes.length - 4));
    bytes[i] = bytes[i]! ^ 0xff;
  }
  return { kind: `xlsx ${damage}`, fileName, bytes };
}

/** Defaults for the required fields a list lacks (as a user fills them in the mapping step). */
const listDefaults = { legalRepresentative: '未登记', address: '江西省景德镇市浮梁县', divisionCode: '360222', industryCode: 'C3012', scale: '小型', ownership: '私人控股' };

export async function fuzzImporter(options: RunOptions): Promise<BoundaryReport> {
  const report = newReport('importer', options.seed);
  const started = performance.now();
  const host = await hostWithUsers();
  const officer = host.sessions.officer;
  const withTimeout = <T>(work: Promise<T>): Promise<T | 'timeout'> =>
    Promise.race([work, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.timeoutMs).unref())]);
  try {
    const plan = fc.oneof(
      // Workbooks cost three times a CSV (zip, XML, and the rejected rows written back as .xlsx).
      { weight: 6, arbitrary: csvFile.map((input) => ({ csv: input })) },
      { weight: 3, arbitrary: xlsxFile.map((xlsx) => ({ xlsx })) },
      { weight: 1, arbitrary: hostileValue.map((mapping) => ({ badMapping: mapping })) },
    );
    const batchSize = 200;
    for (let batch = 0; report.inputs < options.inputs; batch += 1) {
      for (const planned of fc.sample(plan, { seed: options.seed + batch, numRuns: Math.min(batchSize, options.inputs - report.inputs) })) {
        report.inputs += 1;
        let input: ImportInput;
        let mapping: unknown;
        if ('csv' in planned) input = planned.csv;
        else if ('xlsx' in planned) input = await xlsxInput(planned.xlsx);
        else {
          // A hostile mapping with a well-formed file: the run's own input boundary.
          input = { kind: 'bad mapping', fileName: 'list.csv', bytes: Buffer.from(`${labels.join(',')}\n${testUscc(report.inputs)},华盛建材,张三,地址,360222,C3012,小型,私人控股`) };
          mapping = planned.badMapping;
        }
        bump(report.kinds, input.kind);
        const what = `${input.kind} ${input.fileName} ${input.bytes.toString('base64').slice(0, 300)}`;
        const contentBase64 = input.bytes.toString('base64');
        const preview = await withTimeout(host.dispatch('enterprises.importPreview', { fileName: input.fileName, contentBase64 }, officer));
        if (preview === 'timeout') {
          failure(report, 'hang', what, 'importPreview');
          continue;
        }
        bump(report.answers, `preview ${preview.ok ? 'ok' : preview.error.code}`);
        if (!preview.ok) {
          if (preview.error.code === 'INTERNAL') failure(report, 'internal', what, `importPreview: ${host.logs.at(-1) ?? ''}`);
          continue;
        }
        mapping ??= (preview.value as { suggestedMapping: unknown }).suggestedMapping;
        const run = await withTimeout(host.dispatch('enterprises.importRun', { fileName: input.fileName, contentBase64, mapping, defaults: listDefaults }, officer));
        if (run === 'timeout') {
          failure(report, 'hang', what, 'importRun');
          continue;
        }
        bump(report.answers, `run ${run.ok ? 'ok' : `${run.error.code} ${run.error.details?.issues?.[0]?.path.join('.') ?? ''}`}`);
        if (run.ok) {
          const result = run.value as { imported: number; updated: number };
          if (result.imported > 0) bump(report.answers, 'rows imported');
        } else if (run.error.code === 'INTERNAL') failure(report, 'internal', `${what} mapping ${JSON.stringify(mapping)?.slice(0, 200)}`, `importRun: ${host.logs.at(-1) ?? ''}`);
      }
      if (batch % 10 === 9) options.log(`[fuzz importer] ${report.inputs} inputs, ${report.internal} internal`);
    }
    const checked = checkDatabase(host.store.db);
    report.auditVerified = checked.auditOk;
    report.integrityOk = checked.integrityOk;
    if (!checked.auditOk) report.examples.push({ what: 'audit', input: '', answer: checked.auditProblems.join('; ') });
    if (!checked.integrityOk) report.examples.push({ what: 'integrity', input: '', answer: checked.integrity });
  } finally {
    host.cleanup();
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
