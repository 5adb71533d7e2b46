import { HostFailure } from '../context.ts';
import { readFirstSheet, type XlsxSheet, type XlsxValue } from './xlsx.ts';

/**
 * Reading an uploaded list (.xlsx or .csv) into rows of text cells, whatever produced it: Excel,
 * WPS, a department's web export. Everything becomes text here; the field rules (fields.ts) decide
 * what a cell means.
 */

export interface SourceRow {
  /** The row number as the spreadsheet shows it (CSV: the record number, header = 1). */
  row: number;
  cells: string[];
}

export interface SourceTable {
  sheetName: string | null;
  encoding: 'utf-8' | 'gbk' | null;
  rows: SourceRow[];
}

/** One import is at most this many data rows (a county's lists are hundreds to a few thousand). */
export const MAX_IMPORT_ROWS = 50_000;

const refuse = (message: string): never => {
  throw new HostFailure('VALIDATION', message, { issues: [{ path: ['contentBase64'], code: 'IMPORT_FILE', message }] });
};

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * The text of a CSV file: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK
 * (GB18030), which is what Excel and WPS write for 「CSV（逗号分隔）」 on a Chinese Windows.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gbk' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    let text: string;
    try {
      text = new TextDecoder('gbk').decode(bytes);
    } catch {
      return refuse('文件不是 UTF-8 编码，且本机无法识别 GBK 编码；请在 Excel 中另存为「CSV UTF-8」或 .xlsx 后再导入');
    }
    return { text, encoding: 'gbk' };
  }
}

/** The delimiter of the first line: comma unless tabs or semicolons clearly dominate (outside quotes). */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/**
 * RFC 4180 records: fields in double quotes may hold delimiters, line breaks and doubled quotes;
 * CRLF, LF and lone CR end a record; a quote inside an unquoted field is kept as a character (as
 * Excel does). A trailing line break does not make an empty record.
 */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) refuse('CSV 文件的引号没有闭合（某个以 " 开头的单元格没有结束的 "）');
  if (field !== '' || fieldStarted || record.length > 0) endRecord();
  return records;
}

// ---------------------------------------------------------------------------------------------
// xlsx

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a person sees (dates as YYYY-MM-DD, numbers without float noise). */
export function cellText(value: XlsxValue | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) {
    // A date cell is that calendar day at 00:00 UTC (the serial number's day, as ExcelJS gives it).
    const day = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const hasTime = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() > 0;
    return hasTime ? `${day} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}` : day;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value) return cellText(value.result);
  return '';
}

async function readXlsx(bytes: Buffer): Promise<SourceTable> {
  let sheet: XlsxSheet | null;
  try {
    sheet = await readFirstSheet(bytes);
  } catch {
    return refuse('无法读取该 .xlsx 文件（文件损坏或不是 Excel 工作簿）');
  }
  if (sheet === null) return refuse('工作簿中没有数据');
  const rows: SourceRow[] = sheet.rows.map(({ row, values }) => {
    const cells: string[] = new Array(values.length);
    for (let c = 0; c < values.length; c += 1) cells[c] = cellText(values[c]).trim();
    return { row, cells };
  });
  return { sheetName: sheet.name, encoding: null, rows };
}

/** Rows of text from an .xlsx or .csv (by content first, then by name). */
export async function readSourceTable(fileName: string, bytes: Buffer): Promise<SourceTable> {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (zip) return readXlsx(bytes);
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    return refuse('不支持旧版 .xls 文件；请在 Excel 或 WPS 中另存为 .xlsx 后再导入');
  }
  if (!/\.(csv|txt)$/i.test(fileName)) return refuse('只能导入 .xlsx 或 .csv 文件');
  const { text, encoding } = decodeText(bytes);
  const rows = parseCsv(text).map((cells, index) => ({ row: index + 1, cells: cells.map((cell) => cell.trim()) }));
  return { sheetName: null, encoding, rows: rows.filter((r) => r.cells.some((cell) => cell !== '')) };
}
