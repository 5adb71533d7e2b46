/**
 * The bank's Chinese words for reference sets and their fields, in one place: the head-office
 * workbook's sheets and first rows (server/referenceLabels.ts, which adds the unit of amounts kept in
 * 分) and the console's 参考数据 page (renderer/src/i18n/console/zh-CN/reference.ts) both read them.
 * A set or field without a word shows its key, so a new set is editable before anyone names it.
 */
export const referenceSetTitleWords: Readonly<Record<string, string>> = {
  'focus-industries': '重点行业分组',
  'approval-authority': '审批权限（动态授权）',
  'credit-step-targets': '信贷流程各环节目标时长',
  'collateral-terms': '押品参数（质押率上限、参考价格、重估周期）',
  'green-catalogue-2021': '绿色产业指导目录（2021 年版）',
  'green-catalogue-2025': '绿色产业指导目录（2025 年版）',
  'benefit-factors': '环境效益折算系数',
  'greenwashing-bounds': '洗绿核查阈值',
  'negative-list': '负面清单',
  'green-list': '绿色名单',
  'recommended-enterprises': '工信部门推荐企业名单',
  'green-factories': '绿色工厂名单',
};

export const referenceFieldWords: Readonly<Record<string, string>> = {
  path: '字段',
  value: '值',
  version: '版本',
  source: '依据 / 来源',
  key: '键',
  zh: '中文名称',
  en: '英文名称',
  codes: '行业代码',
  groups: '行业分组',
  type: '押品类型',
  priceFen: '参考价格',
  unit: '单位',
  asOf: '价格日期',
  capBp: '质押率上限（基点）',
  caps: '质押率上限',
  referencePrices: '参考价格',
  revaluationMonths: '重估周期（月）',
  coverageLimitBp: '覆盖率上限（基点）',
  registrationWarningDays: '登记到期预警天数',
  code: '代码',
  name: '名称',
  level: '层级',
  parent: '上级代码',
  entries: '目录条目',
  factors: '折算系数',
  certainty: '确定性',
  indicator: '指标',
  min: '下限',
  max: '上限',
  bounds: '阈值',
  limits: '审批限额',
  credit_manager: '客户经理',
  branch_head: '支行行长',
  county: '县支行',
  prefecture: '二级分行',
  province: '一级分行',
  branchLevelByCode: '支行层级（按机构代码）',
  defaultBranchLevel: '默认支行层级',
  greenUpliftBp: '绿色项目上浮（基点）',
  targets: '目标时长（工作日）',
  standard: '普通',
  priority: '优先',
  investigation: '调查',
  review: '审查',
  approval: '审批',
  escalated: '上报上级行',
  holidays: '法定节假日',
  workedWeekendDays: '调休上班日',
};

/** Fields whose values are kept in 分: the workbook names the unit, the page shows 万元 / 元 instead. */
export const referenceFenFields: ReadonlySet<string> = new Set(['priceFen', 'limits']);
