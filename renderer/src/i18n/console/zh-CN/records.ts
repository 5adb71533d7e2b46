import { common } from '../../zh-CN/common.ts';
import { environmentalRatings } from '../../../../../shared/domain/environmentalRating.ts';

/** 记录与历史: a synced record's page — its fields, its history across devices, an enterprise file's ratings. */
export const records = {
  records: {
    // A field's name as the laptop's history and conflict cards word it; a field without one shows its key.
    fieldNames: common.fields as Record<string, string>,
    title: '记录与历史',
    heading: '{{title}} · {{branch}}',
    notFound: '该支行没有这条记录',
    deleted: '已删除',
    version: '版本 {{version}}，最后同步至总行 {{at}}',
    fields: '当前内容',
    allFields: '全部字段（同步值）',
    field: '字段',
    value: '值',
    yuan: '{{amount}} 元',
    history: '各设备的修改历史',
    historyHint:
      '按总行收到的顺序：哪台笔记本、谁、何时修改了哪些字段，总行如何处理。总行只保留去重窗口（默认 180 天）内的逐条历史；更早的修改已压缩，各笔记本的审计日志仍完整保留。',
    historyCapped: '只列出最早的 {{n}} 条修改',
    received: '总行收到',
    madeAt: '修改时间',
    device: '设备',
    person: '修改人',
    op: '操作',
    changed: '修改的字段',
    outcome: '处理结果',
    noHistory: '去重窗口内没有这条记录的修改',
    actors: { 'head-office': '总行', resolution: '冲突处理' },
    ops: { insert: '新增', update: '修改', delete: '删除' },
    statuses: { applied: '已应用', conflict: '冲突（待处理）', rejected: '已拒绝' },
    rating: {
      title: '环境信用评价记录',
      none: '尚无评价记录',
      level: '评价等级',
      bureau: '评价机关',
      ratedOn: '评价日期',
      by: '录入人',
      add: '录入生态环境部门的评价（总行）',
      addHint:
        '按生态环境部门公布的企业环境信用评价名单录入：写入该支行的评价记录，经总行的同步处理（与笔记本同样的校验），各笔记本下次同步时显示，企业的当前评价取最新评价日期的记录。',
      submit: '录入评价',
      saved: '已录入：{{level}}（{{bureau}}，{{ratedOn}}），各笔记本将在下次同步时显示。',
      invalidBureau: '评价机关至少 2 个字（至多 100 字）',
      invalidRatedOn: '请选择评价日期',
      refused: '总行未能录入该评价：{{reason}}',
      levels: Object.fromEntries(environmentalRatings.map((rating) => [rating.level, `${rating.plate} ${rating.zh}`])) as Record<(typeof environmentalRatings)[number]['level'], string>,
    },
  },
};
