import type { ReportDocument } from '../../../shared/node/workbook.ts';
import { printFontFamily, withPrintFont } from './printFont.ts';
import { escapeHtml } from './rectificationLetter.ts';

/**
 * A statistics report as a printable A4 landscape HTML page (printed by ./pdf.ts): the title, the
 * notes (统计时点, 单位), then each table with its headers and a bold 合计 row, amounts right-aligned.
 * The same ReportDocument the .xlsx is written from, so the PDF and the workbook say the same figures.
 */
export function reportHtml(report: ReportDocument, formatCell: (value: string | number, wanYuan: boolean) => string): string {
  const tables = report.tables
    .map((table) => {
      const head = table.columns.map((column) => `<th>${escapeHtml(column.header)}</th>`).join('');
      const line = (cells: readonly (string | number)[], tag: 'td' | 'th') =>
        cells.map((cell, i) => `<${tag} class="${typeof cell === 'number' ? 'num' : ''}">${escapeHtml(formatCell(cell, table.columns[i]?.wanYuan === true))}</${tag}>`).join('');
      const body = table.rows.map((row) => `<tr>${line(row, 'td')}</tr>`).join('\n');
      const totals = table.totals === undefined ? '' : `<tr class="totals">${line(table.totals, 'th')}</tr>`;
      return `<section><h2>${escapeHtml(table.title)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n${totals}</tbody></table></section>`;
    })
    .join('\n');
  return withPrintFont(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>
  @page { size: A4 landscape; margin: 14mm 14mm; }
  body { font-family: '${printFontFamily}', 'Noto Sans CJK SC', 'Noto Serif CJK SC', 'Source Han Sans SC', SimSun, sans-serif; font-size: 10pt; color: #000; }
  h1 { text-align: center; font-size: 16pt; margin: 0 0 3mm; }
  .notes { text-align: center; font-size: 9.5pt; margin-bottom: 5mm; }
  h2 { font-size: 11.5pt; margin: 5mm 0 2mm; }
  section { break-inside: avoid; }
  table { border-collapse: collapse; width: 100%; }
  thead { display: table-header-group; }
  th, td { border: 0.5pt solid #000; padding: 1.2mm 2mm; text-align: left; }
  thead th { background: #eef3ee; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.totals th { font-weight: bold; background: #f4f4f4; }
</style></head>
<body>
  <h1>${escapeHtml(report.title)}</h1>
  <div class="notes">${report.notes.map(escapeHtml).join('　')}</div>
${tables}
</body></html>`);
}
