import { sync } from '../../zh-CN/sync.ts';

/** The console's frame: its name, navigation, roles, the language switch and errors in words. */
export const shell = {
  app: {
    title: '绿色信贷台账',
    subtitle: '总行控制台',
    loading: '正在加载…',
  },
  nav: {
    branches: '支行与设备',
    enterprises: '企业档案登记簿',
    registers: '登记簿',
    statistics: '统计',
    approvals: '审批队列',
    reference: '参考数据',
    audit: '审计日志',
    users: '总行用户',
  },
  shell: {
    signOut: '退出',
    language: '语言',
    notFound: '没有这个页面',
    home: '返回支行与设备',
  },
  roles: {
    ho_admin: '总行管理员',
    ho_approver: '总行审批人',
    ho_viewer: '总行查看',
  },
  /** The synced tables by name: the laptop's words for them, one list for both apps. */
  tables: sync.sync.quarantine.tables,
  errors: {
    forbidden: '您的角色（{{role}}）不能进行此操作',
    csrf: '页面已过期或不是从控制台提交的，请刷新后重试',
    signedOut: '登录已失效，请重新登录',
    nul: '输入中含有空字符（U+0000），总行无法保存。请删去后重试。',
    network: '无法连接总行服务，请检查网络后重试',
    unexpected: '总行服务的回答无法识别（{{code}}）',
    retry: '重试',
  },
};
