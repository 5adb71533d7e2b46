import { loanClassificationWords } from '../../../../shared/domain/loan.ts';

/**
 * 统计报表 (issue 17): 三个不低于, the green-credit statistics and the summaries. The report's tables
 * (stats/GreenReportParts.tsx) also show on the head-office console's 统计 page, which takes this
 * section whole; its amounts are in the page's unit (`units`: the laptop's 万元, the console's 元).
 */
export const reports = {
  reports: {
    title: '统计报表',
    asOf: '统计时点 {{day}}',
    kind: { month: '月度', quarter: '季度', year: '年度' },
    verdict: { met: '达标', notMet: '未达标', notComputable: '无法计算' },
    export: { xlsx: '导出 Excel', pdf: '导出 PDF' },
    group: '分组',
    unclassified: '（未归类）',
    loans: '笔数',
    customers: '户数',
    balanceIn: '余额（{{unit}}）',
    units: { wan: '万元', yuan: '元' },
    classifications: loanClassificationWords,
    total: '合计',
    tests: {
      title: '三个不低于：{{period}} 与上年同期 {{last}}',
      rule: '指标',
      numbers: '计算依据',
      verdict: '结论',
      rules: { growth: '绿色信贷增速不低于各项贷款增速', increment: '绿色信贷增量不低于上年同期', customers: '绿色信贷客户数不低于上年同期', share: '绿色贷款占比提高不低于 0.5 个百分点' },
      growth: '绿色贷款增速 {{green}}，各项贷款增速 {{all}}',
      increment: '本期增量 {{current}} {{unit}}，上年同期 {{last}} {{unit}}',
      customers: '期末客户 {{current}} 户，上年同期 {{last}} 户',
      share: '占比由 {{base}} 变为 {{end}}，变动 {{change}} 个百分点（要求 ≥ {{required}}）',
    },
    green: {
      title: '绿色信贷统计',
      book: '各项贷款余额 {{total}} {{unit}}，绿色贷款占比 {{share}}',
      byCategory: '按绿色金融支持项目目录分类',
      byFocusGroup: '按重点行业',
      byCounty: '按区县',
      byClassification: '按五级分类',
      benefits: '环境效益（本行份额，年）',
      indicator: '指标',
      share: '本行份额',
      notComputed: '{{count}} 笔绿色贷款缺少项目总投资或余额大于总投资，未计入环境效益',
    },
    indicators: { coalSavedTce: '节约标准煤（吨标准煤）', co2ReducedT: '减排二氧化碳当量（吨）', codReducedT: '减排化学需氧量（吨）', nh3nReducedT: '减排氨氮（吨）', so2ReducedT: '减排二氧化硫（吨）', noxReducedT: '减排氮氧化物（吨）', waterSavedT: '节约水（吨）' },
    collateral: { title: '抵质押登记簿汇总（截至 {{day}}）', type: '类型', count: '件数', appraised: '评估价值（万元）', pledged: '质押价值（万元）' },
    cases: { title: '整改跟踪汇总（截至 {{day}}）', measure: '我行措施', overdue: '其中逾期' },
  },
};
