import type { CollateralReport, GreenGroupView, GreenReport, RectificationReport, ReportKind } from '../../../shared/api/stats.ts';
import { collateralStatusWords, collateralTypeWords, type CollateralStatus, type CollateralType } from '../../../shared/domain/collateral.ts';
import { benefitIndicatorWords } from '../../../shared/domain/environmentalBenefit.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { caseMeasureWords, caseStatuses, caseStatusWords } from '../../../shared/domain/rectification.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import type { HostContext } from '../context.ts';
import { reportWorkbook, wanYuan, type ReportDocument, type ReportTable } from '../../../shared/node/workbook.ts';
import { reportHtml } from '../letters/reportHtml.ts';
import { chineseDate } from '../letters/rectificationLetter.ts';
import { collateralReport, rectificationReport } from './summaries.ts';
import { greenReportAt } from './greenBook.ts';

/**
 * The reports as the documents a branch sends up, from the same host calls the screen shows
 * (stats.greenReport, stats.collateralSummary, stats.rectificationSummary): one ReportDocument each,
 * written to .xlsx or printed to PDF, so both say the screen's figures.
 */

const UNITS = '金额单位：万元';

/** A group's key in the first column: 「2025版 1」 for a category (the two catalogues share numbers), the name where the key is only a key. */
function keyText(group: GreenGroupView, withName: boolean): string {
  if (group.key === '') return '（未归类）';
  if (!withName) return group.name || group.key;
  const category = /^(\d{4}):(.+)$/.exec(group.key);
  return category === null ? group.key : `${category[1]}版 ${category[2]}`;
}

const greenTable = (title: string, keyHeader: string, nameHeader: string | null, groups: readonly GreenGroupView[], totals: GreenReport['totals']): ReportTable => ({
  title,
  columns: [
    { header: keyHeader, width: 16 },
    ...(nameHeader === null ? [] : [{ header: nameHeader, width: 34 }]),
    { header: '贷款笔数（笔）', width: 14 },
    { header: '客户数（户）', width: 14 },
    { header: '贷款余额（万元）', width: 18, wanYuan: true as const },
  ],
  rows: groups.map((group) => [keyText(group, nameHeader !== null), ...(nameHeader === null ? [] : [group.name]), group.loans, group.customers, wanYuan(group.balance)]),
  // A borrower with loans in two groups counts in each: the 合计 counts borrowers once.
  totals: ['合计', ...(nameHeader === null ? [] : ['']), totals.loans, totals.customers, wanYuan(totals.balance)],
});

export function greenDocument(report: GreenReport): ReportDocument {
  const { totals } = report;
  return {
    title: '绿色信贷统计表',
    notes: [`统计时点：${chineseDate(report.asOf)}`, UNITS, `各项贷款余额 ${formatWanYuan(report.book.totalBalance)} 万元`, `绿色贷款占比 ${report.book.sharePercent ?? '—'}%`],
    tables: [
      greenTable('按绿色金融支持项目目录分类', '目录分类代码', '分类名称', report.byCategory, totals),
      greenTable('按重点行业', '重点行业', null, report.byFocusGroup, totals),
      greenTable('按区县', '行政区划代码', '区县', report.byCounty, totals),
      greenTable('按五级分类', '五级分类', null, report.byClassification, totals),
      {
        title: '环境效益（本行份额）',
        columns: [
          { header: '指标', width: 24 },
          { header: '单位', width: 14 },
          { header: '本行份额（年）', width: 18 },
          { header: '涉及贷款笔数（笔）', width: 18 },
        ],
        rows: report.benefits.totals.map((line) => [benefitIndicatorWords[line.indicator].zh, benefitIndicatorWords[line.indicator].unit, line.total, line.loans]),
      },
    ],
  };
}

const collateralColumns = (keyHeader: string) => [
  { header: keyHeader, width: 22 },
  { header: '件数（件）', width: 12 },
  { header: '评估价值（万元）', width: 18, wanYuan: true as const },
  { header: '质押价值（万元）', width: 18, wanYuan: true as const },
  { header: '已登记计入价值（万元）', width: 22, wanYuan: true as const },
];

type CollateralLine = CollateralReport['total'];
const collateralCells = (key: string, line: CollateralLine) => [key, line.count, wanYuan(line.appraisedValue), wanYuan(line.pledgedValue), wanYuan(line.countedPledgedValue)];

export function collateralDocument(report: CollateralReport): ReportDocument {
  const totals = collateralCells('合计', report.total);
  return {
    title: '环境权益抵质押登记簿汇总表',
    notes: [`统计时点：${chineseDate(report.asOf)}`, UNITS],
    tables: [
      { title: '按类型', columns: collateralColumns('类型'), rows: report.byType.map((line) => collateralCells(collateralTypeWords[line.key as CollateralType], line)), totals },
      { title: '按状态', columns: collateralColumns('状态'), rows: report.byStatus.map((line) => collateralCells(collateralStatusWords[line.key as CollateralStatus], line)), totals },
      // Cumulative horizons overlap, so the register's total closes the table instead of a sum.
      { title: '按到期期限（含已到期）', columns: collateralColumns('到期期限'), rows: report.byHorizon.map((line) => collateralCells(line.key === '0' ? '已到期' : `${line.key} 天内到期`, line)), totals: collateralCells('登记簿合计', report.total) },
    ],
  };
}

export function rectificationDocument(report: RectificationReport): ReportDocument {
  const cells = (key: string, counts: RectificationReport['total']) => [key, ...caseStatuses.map((status) => counts[status]), counts.overdue, counts.total];
  return {
    title: '整改跟踪汇总表',
    notes: [`统计时点：${chineseDate(report.asOf)}`, '单位：件'],
    tables: [
      {
        title: '按措施和状态',
        columns: [{ header: '我行措施', width: 16 }, ...caseStatuses.map((status) => ({ header: `${caseStatusWords[status]}（件）`, width: 14 })), { header: '其中逾期（件）', width: 14 }, { header: '合计（件）', width: 12 }],
        rows: report.byMeasure.map((line) => cells(caseMeasureWords[line.measure], line.counts)),
        totals: cells('合计', report.total),
      },
    ],
  };
}

const cellText = (value: string | number, isWanYuan: boolean) => (typeof value === 'number' ? (isWanYuan ? formatWanYuan(Math.round(value * 1_000_000)) : value.toLocaleString('en-US')) : value);

export async function exportReport(
  ctx: HostContext,
  kind: ReportKind,
  format: 'xlsx' | 'pdf',
  day: string,
  report: (stage: string, done: number, total: number) => void,
): Promise<{ fileName: string; contentBase64: string }> {
  const { db } = ctx.store;
  const today = shanghaiDate(ctx.now());
  let document: ReportDocument;
  if (kind === 'green') {
    document = greenDocument(await greenReportAt(db, day, (done, total) => report('greenLoans', done, total)));
  } else if (kind === 'collateral') document = collateralDocument(collateralReport(db, today));
  else document = rectificationDocument(rectificationReport(db, today));
  const fileBase = `${document.title}-${kind === 'green' ? day : today}`;
  if (format === 'xlsx') return reportWorkbook(document, fileBase);
  report('pdf', 0, 1);
  const pdf = await ctx.pdf(reportHtml(document, cellText));
  return { fileName: `${fileBase}.pdf`, contentBase64: pdf.toString('base64') };
}
