import { benefitIndicatorWords } from '../shared/domain/environmentalBenefit.ts';
import { SHARE_RISE_REQUIRED_PP } from '../shared/domain/greenStatistics.ts';
import { wanYuan, type ReportDocument, type ReportTable } from '../shared/node/workbook.ts';
import { text, type ConsoleTextKey } from './consoleText.ts';
import type { GreenGroupLine, HeadOfficeStatistics, ThreeNotLowerLine } from './statistics.ts';

/**
 * The console's 统计 page as the workbook head office files or forwards (issue 18): the same tables
 * the page shows, from the same HeadOfficeStatistics, with units in the headers and numbers as
 * numbers (万元 exact to the fen, percentages as figures) so the sheet can be summed and charted.
 * A figure that cannot be computed (a share of an empty book) is an empty cell, not a 0.
 */

const percentCell = (value: string | null): number | string => (value === null ? '' : Number(value));
const metCount = (line: ThreeNotLowerLine) => [line.growth, line.increment, line.customers].filter((test) => test.verdict === 'met').length;
const header = (key: ConsoleTextKey, unit: 'wan' | 'percent' | 'pp' | 'loans' | 'customers' | null = null) =>
  unit === null ? text(key) : text(unit === 'pp' ? 'statsExport.unit.pp.label' : `statsExport.unit.${unit}`, { label: text(key) });

function testsTable(line: ThreeNotLowerLine): ReportTable {
  const { growth, increment, customers, share } = line;
  const verdict = (value: string) => text(`stats.verdict.${value}` as ConsoleTextKey);
  return {
    title: text('statsExport.sheet.tests'),
    columns: [
      { header: text('stats.test'), width: 34 },
      { header: text('statsExport.unit'), width: 10 },
      { header: text('statsExport.current'), width: 18 },
      { header: text('statsExport.compare'), width: 22 },
      { header: text('stats.verdict'), width: 12 },
    ],
    rows: [
      [text('statsExport.test.growth'), '%', percentCell(growth.green.ratePercent), percentCell(growth.all.ratePercent), verdict(growth.verdict)],
      [text('statsExport.test.increment'), text('statsExport.unit.wanYuan'), wanYuan(increment.current), wanYuan(increment.lastYear), verdict(increment.verdict)],
      [text('statsExport.test.customers'), text('statsExport.unit.household'), customers.current, customers.lastYear, verdict(customers.verdict)],
      [text('statsExport.test.share'), '%', percentCell(share.endPercent), percentCell(share.basePercent), ''],
      [text('statsExport.test.shareChange', { required: SHARE_RISE_REQUIRED_PP }), text('statsExport.unit.pp'), percentCell(share.changePp), Number(share.requiredPp), verdict(share.verdict)],
    ],
  };
}

function branchesTable(stats: HeadOfficeStatistics): ReportTable {
  const bank = stats.bank.threeNotLower;
  return {
    title: text('statsExport.sheet.branches'),
    columns: [
      { header: text('stats.rank'), width: 8 },
      { header: text('stats.branch'), width: 24 },
      { header: header('stats.greenBalance', 'wan'), width: 20, wanYuan: true },
      { header: header('stats.totalBalance', 'wan'), width: 20, wanYuan: true },
      { header: header('stats.share', 'percent'), width: 14 },
      { header: header('stats.shareChange', 'pp'), width: 16 },
      { header: header('stats.greenGrowth', 'percent'), width: 16 },
      { header: header('stats.allGrowth', 'percent'), width: 16 },
      { header: header('stats.customers', 'customers'), width: 16 },
      { header: text('statsExport.testsMet'), width: 16 },
    ],
    rows: stats.branches.map((branch, i) => {
      const { figures, growth, share } = branch.threeNotLower;
      return [i + 1, branch.name, wanYuan(figures.end.greenBalance), wanYuan(figures.end.totalBalance), percentCell(share.endPercent), percentCell(share.changePp), percentCell(growth.green.ratePercent), percentCell(growth.all.ratePercent), figures.end.greenCustomers, metCount(branch.threeNotLower)];
    }),
    // The bank's line is its own figures (the branches' sums), its share and growth computed on them.
    totals: [
      text('statsExport.bank'),
      '',
      wanYuan(bank.figures.end.greenBalance),
      wanYuan(bank.figures.end.totalBalance),
      percentCell(bank.share.endPercent),
      percentCell(bank.share.changePp),
      percentCell(bank.growth.green.ratePercent),
      percentCell(bank.growth.all.ratePercent),
      bank.figures.end.greenCustomers,
      metCount(bank),
    ],
  };
}

function countiesTable(stats: HeadOfficeStatistics): ReportTable {
  return {
    title: text('statsExport.sheet.counties'),
    columns: [
      { header: text('statsExport.divisionCode'), width: 14 },
      { header: text('stats.place'), width: 30 },
      { header: header('stats.greenBalance', 'wan'), width: 20, wanYuan: true },
      { header: header('stats.totalBalance', 'wan'), width: 20, wanYuan: true },
      { header: header('stats.share', 'percent'), width: 14 },
      { header: header('stats.shareChange', 'pp'), width: 16 },
      { header: text('statsExport.testsMet'), width: 16 },
    ],
    rows: stats.counties.map(({ divisionCode, name, threeNotLower: line }) => [
      divisionCode,
      divisionCode === '' ? text('stats.countyUnknown') : name,
      wanYuan(line.figures.end.greenBalance),
      wanYuan(line.figures.end.totalBalance),
      percentCell(line.share.endPercent),
      percentCell(line.share.changePp),
      metCount(line),
    ]),
  };
}

function groupsTable(titleKey: ConsoleTextKey, groups: readonly GreenGroupLine[], totals: { loans: number; customers: number; balance: number }): ReportTable {
  return {
    title: text(titleKey),
    columns: [
      { header: text('stats.group'), width: 40 },
      { header: header('stats.loans', 'loans'), width: 14 },
      { header: header('stats.customers', 'customers'), width: 16 },
      { header: header('stats.greenBalance', 'wan'), width: 20, wanYuan: true },
    ],
    rows: groups.map((group) => [group.name === '' ? (group.key === '' ? text('stats.groupNone') : group.key) : group.name, group.loans, group.customers, wanYuan(group.balance)]),
    // A borrower with loans in two groups counts in each: the 合计 counts borrowers once.
    totals: [text('stats.total'), totals.loans, totals.customers, wanYuan(totals.balance)],
  };
}

export function statisticsDocument(stats: HeadOfficeStatistics, periodLabel: string, exported: { by: string; at: string }): ReportDocument {
  const { report } = stats.bank;
  return {
    title: text('statsExport.title'),
    notes: [
      text('statsExport.note.period', { period: periodLabel, start: stats.period.start, end: stats.period.end }),
      text('statsExport.note.scope', { branches: stats.branches.length }),
      text('statsExport.note.units'),
      text('stats.hint'),
      text('statsExport.note.exported', exported),
      ...(report.benefits.notComputed === 0 ? [] : [text('statsExport.note.notComputed', { count: report.benefits.notComputed })]),
    ],
    tables: [
      testsTable(stats.bank.threeNotLower),
      branchesTable(stats),
      countiesTable(stats),
      groupsTable('stats.byCategory', report.byCategory, report.totals),
      groupsTable('stats.byClassification', report.byClassification, report.totals),
      groupsTable('stats.byFocusGroup', report.byFocusGroup, report.totals),
      {
        title: text('statsExport.sheet.benefits'),
        columns: [
          { header: text('stats.indicator'), width: 24 },
          { header: text('stats.unit'), width: 14 },
          { header: text('stats.bankShare'), width: 18 },
          { header: text('stats.benefitLoans'), width: 16 },
        ],
        // Shares are exact decimals (4 places): a number in the cell, as the laptop's report writes them.
        rows: report.benefits.totals.map((line) => [benefitIndicatorWords[line.indicator].zh, benefitIndicatorWords[line.indicator].unit, Number(line.total), line.loans]),
      },
    ],
  };
}
