import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { cellText } from './table.ts';
import type { XlsxValue } from './xlsx.ts';

/** Test helpers: spreadsheets and GBK text made the way Excel/WPS would write them. */

export async function xlsxBase64(rows: readonly (readonly (string | number | Date | null)[])[], sheetName = 'Sheet1'): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

/**
 * An .xlsx whose shared strings spell a lone UTF-16 surrogate the way OOXML escapes characters
 * (`_xD800_`): every `{lone}` in the given rows becomes one. ExcelJS reads it back as "\ud800".
 */
export async function xlsxWithLoneSurrogates(rows: readonly (readonly (string | number | null)[])[]): Promise<string> {
  const zip = await JSZip.loadAsync(Buffer.from(await xlsxBase64(rows), 'base64'));
  const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
  zip.file('xl/sharedStrings.xml', strings.replaceAll('{lone}', '_xD800_'));
  return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
}

export async function readXlsx(base64: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) cells.push(row.getCell(c).text);
    rows.push(cells);
  });
  return rows;
}

let gbkTable: Map<string, number[]> | undefined;

/** GBK bytes of a text (Node only decodes GBK, so the encoder is the decoder's table reversed). */
export function encodeGbk(text: string): Buffer {
  if (gbkTable === undefined) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(ch);
      if (pair === undefined) throw new Error(`No GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/**
 * The rows ExcelJS's whole-workbook loader gives, as the importer read them before it streamed
 * (table.ts before issue 20's reader): the oracle the streaming reader is compared with.
 */
export async function excelJsRows(bytes: Buffer): Promise<{ sheetName: string; rows: { row: number; cells: string[] }[] } | null> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (sheet === undefined) return null;
  // The shapes both readers give go through the importer's own cellText; what only ExcelJS gives
  // (a shared formula's result, a hyperlink's text) is unwrapped first.
  const text = (value: ExcelJS.CellValue | undefined): string => {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      if ('sharedFormula' in value) return text((value as { result?: ExcelJS.CellValue }).result);
      if ('text' in value && 'hyperlink' in value) return text(value.text as ExcelJS.CellValue);
    }
    return cellText(value as XlsxValue | undefined);
  };
  const rows: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) cells.push(text(row.getCell(c).value).trim());
    rows.push({ row: rowNumber, cells });
  });
  return { sheetName: sheet.name, rows };
}
