import ExcelJS from 'exceljs';
import { z } from 'zod';
import { referenceSetSchemaOf } from '../shared/sync/referenceSets.ts';
import { HubError } from './errors.ts';
import { fieldLabel, pathLabel, referenceSetTitles, sheetLabel } from './referenceLabels.ts';
import { fromTables, toTables, type Cell, type ReadTable, type ReferenceTable, type Scalar } from './referenceTables.ts';

/**
 * A reference set as the .xlsx head office downloads, edits and uploads again (referenceTables.ts
 * gives the tables): per sheet a row of Chinese column names, a row of field keys (what the upload
 * reads, so the Chinese may be reworded), then one row per entry. The upload is checked with the
 * set's own schema, each problem named by sheet, row and column in Chinese.
 */

const LABEL_KEY = '_label';
const LIST_JOIN = '、';
const FIRST_DATA_ROW = 3;

const cellValue = (cell: Cell): ExcelJS.CellValue => (Array.isArray(cell) ? cell.join(LIST_JOIN) : (cell as Scalar));

export async function writeReferenceWorkbook(name: string, version: number, data: unknown): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.title = `${referenceSetTitles[name] ?? name} v${version}`;
  workbook.subject = name;
  for (const table of toTables(data)) {
    const sheet = workbook.addWorksheet(sheetLabel(table.path));
    const parameters = table.path === null;
    const keys = parameters ? [LABEL_KEY, ...table.columns] : table.columns;
    sheet.addRow(keys.map((key) => (key === LABEL_KEY ? '说明' : fieldLabel(key)))).font = { bold: true };
    sheet.addRow(keys.map((key) => (key === LABEL_KEY ? '' : key))).font = { color: { argb: 'FF888888' }, italic: true };
    for (const row of table.rows) {
      const added = sheet.addRow(keys.map((key) => (key === LABEL_KEY ? pathLabel(String(row.path)) : cellValue(row[key] ?? null))));
      // Text that looks like a number (0.714, a code 01) stays text when the sheet is edited.
      added.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.numFmt = '@';
      });
    }
    sheet.columns.forEach((column, index) => {
      column.width = Math.min(60, Math.max(10, ...[fieldLabel(keys[index] ?? ''), ...table.rows.map((row) => String(cellValue(row[keys[index] as string] ?? null) ?? ''))].map((text) => text.length * 1.6)));
    });
    sheet.views = [{ state: 'frozen', ySplit: 2 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellScalar(value: ExcelJS.CellValue): Scalar {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('result' in value) return cellScalar(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    return null;
  }
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  return value as Scalar;
}

/** Where a problem is: the sheet, its row number (1-based, as Excel shows it) and column. */
export interface WorkbookProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  field: string | null;
  message: string;
}

export const problemText = (problem: WorkbookProblem): string =>
  `工作表「${problem.sheet}」${problem.row === null ? '' : `第 ${problem.row} 行`}${problem.column === null ? '' : ` ${problem.column} 列`}${problem.field === null ? '' : `（${problem.field}）`}：${problem.message}`;

/** A table as read (from a sheet or the console's editor), with where each row came from. */
export interface SheetRead extends ReadTable {
  sheet: string;
  keys: string[];
  rowNumbers: number[];
}

const columnLetter = (index: number): string => (index < 26 ? String.fromCharCode(65 + index) : columnLetter(Math.floor(index / 26) - 1) + String.fromCharCode(65 + (index % 26)));

export type ReferenceUpload = { ok: true; data: unknown } | { ok: false; problems: WorkbookProblem[] };

/**
 * An uploaded workbook read against the version in force (`template`): the set's data, or the
 * problems — an unknown sheet, a missing key row, or what the set's schema refuses — in Chinese.
 */
export async function readReferenceWorkbook(name: string, content: Buffer, template: unknown): Promise<ReferenceUpload> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new HubError('VALIDATION', '上传的文件不是 .xlsx 工作簿');
  }
  const known = new Map<string, ReferenceTable>();
  for (const table of toTables(template)) {
    known.set(sheetLabel(table.path), table);
    if (table.path !== null && table.path !== '') known.set(table.path, table);
  }
  const problems: WorkbookProblem[] = [];
  const sheets: SheetRead[] = [];
  for (const sheet of workbook.worksheets) {
    const table = known.get(sheet.name.trim());
    if (table === undefined) {
      problems.push({ sheet: sheet.name, row: null, column: null, field: null, message: `不认识这个工作表（应为：${[...new Set(toTables(template).map((t) => sheetLabel(t.path)))].join('、')}）` });
      continue;
    }
    const keys = (sheet.getRow(2).values as ExcelJS.CellValue[]).slice(1).map((value) => String(cellScalar(value) ?? ''));
    if (!table.columns.every((column) => keys.includes(column)) && keys.every((key) => key === '' || key === LABEL_KEY)) {
      problems.push({ sheet: sheet.name, row: 2, column: null, field: null, message: `第 2 行应为字段名（${table.columns.join('、')}），请在下载的文件上修改` });
      continue;
    }
    const read: SheetRead = { sheet: sheet.name, path: table.path, keys, rows: [], rowNumbers: [] };
    sheet.eachRow((row, number) => {
      if (number < FIRST_DATA_ROW) return;
      const values = (row.values as ExcelJS.CellValue[]).slice(1);
      const cells = Object.fromEntries(keys.flatMap((key, index) => (key === '' || key === LABEL_KEY ? [] : [[key, cellScalar(values[index])]])));
      if (Object.values(cells).every((value) => value === null)) return;
      read.rows.push(cells);
      read.rowNumbers.push(number);
    });
    sheets.push(read);
  }
  if (problems.length > 0) return { ok: false, problems };
  return referenceFromSheets(name, sheets, template);
}

/** The set's data from its tables, judged by the set's own schema; a problem names the sheet, row and column it came from. */
export function referenceFromSheets(name: string, sheets: readonly SheetRead[], template: unknown): ReferenceUpload {
  const data = fromTables(sheets, template);
  const schema = referenceSetSchemaOf(name);
  if (schema === undefined) return { ok: true, data };
  const parsed = schema.safeParse(data, { error: z.locales.zhCN().localeError });
  if (parsed.success) return { ok: true, data };
  return { ok: false, problems: parsed.error.issues.map((issue) => locate(issue.path, issue.message, sheets)) };
}

/** A schema issue's path in the data, as the sheet, row and column it came from. */
function locate(path: readonly PropertyKey[], message: string, sheets: readonly SheetRead[]): WorkbookProblem {
  const [first, index, column] = path;
  const list = sheets.find((sheet) => sheet.path !== null && (sheet.path === first || (sheet.path === '' && typeof first === 'number')));
  if (list !== undefined) {
    const rowIndex = list.path === '' ? first : index;
    const field = list.path === '' ? index : column;
    const row = typeof rowIndex === 'number' ? (list.rowNumbers[rowIndex] ?? null) : null;
    const at = typeof field === 'string' ? list.keys.indexOf(field) : -1;
    return { sheet: list.sheet, row, column: at < 0 ? null : columnLetter(at), field: typeof field === 'string' ? fieldLabel(field) : null, message };
  }
  const parameters = sheets.find((sheet) => sheet.path === null);
  const dotted = path.map(String).join('.');
  if (parameters === undefined || dotted === '') return { sheet: parameters?.sheet ?? '参数', row: null, column: null, field: null, message };
  const index_ = parameters.rows.findIndex((row) => {
    const rowPath = String(row.path ?? '');
    return rowPath === dotted || rowPath.startsWith(`${dotted}.`) || dotted.startsWith(`${rowPath}.`);
  });
  const valueColumn = parameters.keys.indexOf('value');
  if (index_ < 0) return { sheet: parameters.sheet, row: null, column: null, field: pathLabel(dotted), message: `缺少字段 ${dotted}：${message}` };
  return { sheet: parameters.sheet, row: parameters.rowNumbers[index_] ?? null, column: valueColumn < 0 ? null : columnLetter(valueColumn), field: pathLabel(String(parameters.rows[index_]?.path)), message };
}
