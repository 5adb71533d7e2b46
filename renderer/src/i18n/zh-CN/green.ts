import { benefitIndicatorWords } from '../../../../shared/domain/environmentalBenefit.ts';
import { greenTagGapWords } from '../../../../shared/domain/greenTag.ts';

const indicatorNames = Object.fromEntries(Object.entries(benefitIndicatorWords).map(([key, words]) => [key, words.zh])) as Record<keyof typeof benefitIndicatorWords, string>;
const indicatorUnits = Object.fromEntries(Object.entries(benefitIndicatorWords).map(([key, words]) => [key, words.unit])) as Record<keyof typeof benefitIndicatorWords, string>;

/** Green-loan tagging (绿色信贷标识): the tag panel, the code picker, the greenwashing list. */
export const green = {
  green: {
    title: '绿色信贷',
    tab: '绿色标识',
    catalogues: { '2021': '2021 年版目录', '2025': '2025 年版目录' },
    standing: { green: '计入绿色贷款', incomplete: '待完善', none: '未标识' },
    // The rule's own words (shared/domain/greenTag.ts).
    gaps: greenTagGapWords,
    statuses: { draft: '待确认', confirmed: '已确认' },
    indicators: indicatorNames,
    units: indicatorUnits,
    panel: {
      intro: '按《绿色金融支持项目目录》标识贷款用途，上传环评批复、节能审查、绿色工厂证书等佐证材料，由录入人以外的信贷经理确认后计入绿色贷款。',
      catalogueVersion: '目录版本',
      code: '目录代码',
      codePlaceholder: '选择目录代码',
      totalInvestment: '项目总投资（元）',
      benefits: '项目年环境效益',
      bankShare: '本行份额（截至 {{date}}，余额 {{balance}} 元）',
      notes: '备注',
      save: '保存标识',
      saved: '绿色标识已保存',
      confirm: '确认为绿色贷款',
      confirmed: '已确认，计入绿色贷款',
      confirmedLine: '{{user}} 于 {{at}} 确认',
      preparedLine: '录入人：{{user}}',
      cannotConfirm: '尚不能确认：{{gaps}}',
      fourEyes: '您是该标识的录入人，须由其他信贷经理确认',
      editWithdraws: '修改已确认的标识会撤销确认，需重新确认',
      evidence: '佐证材料',
      evidenceAfterSave: '保存标识后可上传佐证材料',
      catalogueSources: '目录来源：{{sources}}',
      invalidQuantity: '请输入数字，最多 4 位小数',
      invalidYuan: '请输入金额（元），最多 2 位小数',
    },
    recommendations: {
      button: '导入项目互荐名单',
      title: '导入项目互荐名单',
      fileHint: '工信部门的推荐企业（项目）名单（.xlsx 或 .csv）。按统一社会信用代码匹配企业档案，标记为项目互荐（授信时优先）。',
      usccRequired: '请指定统一社会信用代码所在的列',
      batch: '推荐批次',
      date: '推荐日期',
      fields: { uscc: '统一社会信用代码', enterpriseName: '企业名称', projectName: '推荐项目' },
      unmatchedTitle: '以下企业在本支行没有企业档案，未标记（请先建档后再导入）：',
      row: '第 {{row}} 行',
    },
    washing: {
      title: '洗绿/漂绿核查',
      help: '以下绿色标识缺少目录代码、佐证材料或环境效益数据，或效益与投资额明显不符，或企业环境信用评价为红牌/黑牌、在负面清单中、有未销号的环保整改案件。',
      empty: '没有需要核查的绿色标识',
      record: '记录',
      enterprise: '企业',
      reasons: '原因',
      status: '标识状态',
      loan: '借据',
      application: '授信申请',
      summary: '计入绿色贷款 {{green}} 笔，余额 {{balance}} 元；待完善 {{incomplete}} 笔',
      // The host's zh-CN wording (shared/domain/greenwashing.ts greenwashingMessage), by field.
      reasonSeparator: '；',
      reasonWords: {
        noCode: '缺少目录代码',
        unknownCode: '目录代码 {{code}} 不在所选目录中',
        noEvidence: '缺少佐证材料',
        noBenefits: '缺少环境效益数据',
        implausibleBenefit: '{{indicator}}每万元投资 {{perWanYuan}} {{unit}}，{{side}} {{bound}}',
        above: '高于上限',
        below: '低于下限',
        adverseRating: '企业环境信用评价为{{rating}}',
        negativeList: '企业在负面清单中',
        openEnvironmentalCase: '企业有未销号的环保整改案件 {{cases}}',
        listSeparator: '、',
      },
    },
  },
};
