/** What every register list shares (enterprises, loans, applications …): the count, export and 清除筛选. */
export const register = {
  register: {
    counting: '正在统计…',
    /** A count the host stopped at a cap: 「1,000+」. */
    atLeast: '{{count}}+',
    countExactly: '精确统计',
    clearFilters: '清除筛选',
    export: '导出',
    views: {
      label: '视图',
      placeholder: '我的视图',
      none: '尚未保存视图',
      save: '保存视图',
      saveTitle: '保存当前筛选为视图',
      saveHint: '保存当前的筛选条件和排序，之后可从「我的视图」中一键打开。视图只保存在本机，仅本人可见。',
      name: '视图名称',
      namePlaceholder: '例如：本月到期的排污权',
      nameRequired: '请填写视图名称',
      saved: '已保存视图「{{name}}」',
      delete: '删除视图「{{name}}」',
    },
  },
};
