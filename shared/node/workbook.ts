import ExcelJS from 'exceljs';
import { formatWanYuan } from '../domain/money.ts';

/**
 * A register's list as the .xlsx a branch or head office sends on, for every register's export (the laptop's and the head-office console's): one sheet, bold
 * frozen Chinese headers, one row per record. The register decides the columns and their values
 * (codes as text, coded values in words, amounts as numbers).
 */

export interface SheetColumn<R> {
  header: string;
  width: number;
  value: (row: R) => string | number | null;
}

/** An instant as Beijing wall-clock time (UTC+8, no daylight saving). */
export function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function exportWorkbook<R>(
  sheetName: string,
  columns: readonly SheetColumn<R>[],
  rows: Iterable<R>,
  now: Date,
  /** A bold last row (合计) for the layouts sent up with totals; not counted among the rows. */
  totals?: readonly (string | number | null)[],
): Promise<{ fileName: string; contentBase64: string; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GreenLedger';
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  let count = 0;
  for (const row of rows) {
    sheet.addRow(columns.map((c) => c.value(row)));
    count += 1;
  }
  if (totals !== undefined) sheet.addRow([...totals]).font = { bold: true };
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  const day = beijingTime(now.toISOString()).slice(0, 10);
  return { fileName: `${sheetName}-${day}.xlsx`, contentBase64: buffer.toString('base64'), rows: count };
}

/** Fen as a number of 万元, exact to the fen (six decimals): what a report's money cells hold. */
export const wanYuan = (fen: number): number => Number(formatWanYuan(fen, 6).replaceAll(',', ''));

/**
 * A report as a branch sends it up: titled tables with units in the headers and a bold 合计 row,
 * the same tables the PDF prints (letters/reportHtml.ts). Numbers stay numbers (万元 to the fen:
 * six decimals), shown with two.
 */
export interface ReportTable {
  /** The sheet's name and the table's heading (at most 31 characters: Excel's sheet-name limit). */
  title: string;
  columns: readonly { header: string; width: number; /** 万元 to two decimals on screen, exact in the cell. */ wanYuan?: true }[];
  rows: readonly (readonly (string | number)[])[];
  totals?: readonly (string | number)[];
}

export interface ReportDocument {
  /** 绿色信贷统计表 */
  title: string;
  /** Lines under the title: 统计时点, 单位, the book's totals. */
  notes: readonly string[];
  tables: readonly ReportTable[];
}

export async function reportWorkbook(report: ReportDocument, fileBase: string): Promise<{ fileName: string; contentBase64: string }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GreenLedger';
  workbook.title = report.title;
  const about = workbook.addWorksheet('说明');
  about.columns = [{ header: report.title, width: 80 }];
  about.getRow(1).font = { bold: true, size: 14 };
  for (const note of report.notes) about.addRow([note]);
  for (const table of report.tables) {
    const sheet = workbook.addWorksheet(table.title.slice(0, 31));
    sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width, ...(c.wanYuan === true && { style: { numFmt: '#,##0.00' } }) }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of table.rows) sheet.addRow([...row]);
    if (table.totals !== undefined) sheet.addRow([...table.totals]).font = { bold: true };
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return { fileName: `${fileBase}.xlsx`, contentBase64: buffer.toString('base64') };
}
