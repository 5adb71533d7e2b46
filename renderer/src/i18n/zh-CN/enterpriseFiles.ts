import { importFieldLabels } from '../../../../shared/api/enterprises.ts';

/** Importing and exporting enterprise lists. */
export const enterpriseFiles = {
  enterpriseFiles: {
    export: {
      done: '已导出 {{count}} 家企业',
    },
    import: {
      button: '导入',
      title: '导入企业名单',
      chooseFileHint: '例如工信部门的推荐企业名单、绿色工厂名单；按统一社会信用代码匹配，已有的企业会更新而不会重复建档。',
      usccRequired: '请指定统一社会信用代码所在的列',
      defaultsTitle: '默认值',
      defaultsHint: '文件中没有或留空的必填项用默认值补上；已有档案中已填写的内容不会被默认值覆盖。',
    },
    // The import/export file format's own column headers (one definition, shared/api/enterprises.ts).
    fields: importFieldLabels,
    attachments: {
      upload: '上传附件',
      uploadHint: 'PDF、PNG 或 JPEG，单个不超过 {{size}}',
      notePlaceholder: '说明（可选），如：营业执照',
      tooBig: '文件超过 {{size}}',
      wrongType: '只能上传 PDF、PNG 或 JPEG 文件',
      contentMismatch: '「{{name}}」的内容不是 {{kind}} 文件，与文件名不符，未上传（例如改了扩展名的程序文件）',
      uploaded: '已上传「{{name}}」',
      preview: '预览',
      download: '下载',
      remove: '移除',
      removeTitle: '移除附件「{{name}}」？',
      removeBody: '附件将从该企业档案中移除，并在同步后从其他笔记本上移除。变更记录会保留这次操作。',
      removed: '已移除「{{name}}」',
      actions: '操作',
      noPdfViewer: '此窗口无法直接显示 PDF，请下载后查看。',
      corrupt: '附件文件已损坏或与记录不符，无法打开。',
      missing: '本机还没有这份附件文件：它会在同步时从总行下载到本机。若同步后仍无法打开，请联系管理员检查数据目录。',
    },
  },
};
