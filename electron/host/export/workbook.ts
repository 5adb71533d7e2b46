import ExcelJS from 'exceljs';

/**
 * A register's list as the .xlsx a branch sends on, for every register's export: one sheet, bold
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
