import { printFontFamily, withPrintFont } from './printFont.ts';
import { caseCategoryWords, caseMeasureWords, caseSourceWords, type CaseCategory, type CaseMeasure, type CaseSource } from '../../../shared/domain/rectification.ts';

/**
 * The 督促整改函 (a rectification reminder to the enterprise) as a printable A4 HTML page: the case's
 * facts, its deadline and the bank's measure, the branch and the date, in Chinese. It is printed to
 * PDF by Chromium (./pdf.ts), the path the statistics reports will share: the text stays text (the
 * PDF's fonts are embedded subsets, its text extractable) and tables lay out as HTML does.
 */
export interface RectificationLetterFacts {
  enterpriseName: string;
  caseNumber: string;
  /** The letter's own number (the case's number and the letter's sequence on it); the case number when absent. */
  letterNumber?: string;
  category: CaseCategory;
  source: CaseSource;
  sourceReference: string | null;
  sourceAuthority: string | null;
  sourceDate: string | null;
  description: string;
  requiredActions: string;
  deadline: string;
  measure: CaseMeasure;
  branchName: string;
  /** The letter's date (Asia/Shanghai day). */
  issuedOn: string;
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 2026-08-31 → 2026年8月31日, as a Chinese letter writes a date. */
export function chineseDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${year}年${month}月${date}日`;
}

export function rectificationLetterHtml(facts: RectificationLetterFacts): string {
  const source = [caseSourceWords[facts.source], facts.sourceAuthority, facts.sourceReference, facts.sourceDate === null ? null : chineseDate(facts.sourceDate)].filter(Boolean).map((part) => escapeHtml(part!)).join('　');
  return withPrintFont(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>督促整改函 ${escapeHtml(facts.letterNumber ?? facts.caseNumber)}</title>
<style>
  @page { size: A4; margin: 25mm 22mm; }
  body { font-family: '${printFontFamily}', 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'Source Han Serif SC', SimSun, serif; font-size: 12pt; line-height: 1.9; color: #000; }
  h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin: 0 0 6mm; }
  .number { text-align: right; font-size: 10.5pt; margin-bottom: 6mm; }
  p { text-indent: 2em; margin: 0 0 3mm; }
  .to { text-indent: 0; }
  table { border-collapse: collapse; width: 100%; margin: 4mm 0 6mm; font-size: 11pt; }
  th, td { border: 0.5pt solid #000; padding: 2mm 3mm; vertical-align: top; text-align: left; }
  th { width: 28mm; font-weight: normal; background: #f2f2f2; }
  .sign { text-align: right; margin-top: 14mm; text-indent: 0; }
</style></head>
<body>
  <h1>督促整改函</h1>
  <div class="number">编号：${escapeHtml(facts.letterNumber ?? facts.caseNumber)}</div>
  <p class="to">${escapeHtml(facts.enterpriseName)}：</p>
  <p>经核实，贵单位存在${escapeHtml(caseCategoryWords[facts.category])}方面的违规问题。根据国家绿色金融政策和我行信贷管理要求，现将有关事项函告如下，请贵单位高度重视，在规定期限内整改到位，并将整改情况书面报告我行。</p>
  <table>
    <tr><th>整改案件</th><td>${escapeHtml(facts.caseNumber)}</td></tr>
    <tr><th>问题来源</th><td>${source}</td></tr>
    <tr><th>问题描述</th><td>${escapeHtml(facts.description)}</td></tr>
    <tr><th>整改要求</th><td>${escapeHtml(facts.requiredActions)}</td></tr>
    <tr><th>整改期限</th><td>${escapeHtml(chineseDate(facts.deadline))}前</td></tr>
    <tr><th>我行措施</th><td>${escapeHtml(caseMeasureWords[facts.measure])}</td></tr>
  </table>
  <p>逾期未完成整改的，我行将依据相关规定采取压缩授信、退出或清收处置等措施，并严格控制新增授信。</p>
  <p class="sign">${escapeHtml(facts.branchName)}<br>${escapeHtml(chineseDate(facts.issuedOn))}</p>
</body></html>`);
}
