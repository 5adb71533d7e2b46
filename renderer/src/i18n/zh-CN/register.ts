/** What every register list shares (enterprises, loans, applications …): the count, export and 清除筛选. */
export const register = {
  register: {
    counting: '正在统计…',
    /** A count the host stopped at a cap: 「1,000+」. */
    atLeast: '{{count}}+',
    countExactly: '精确统计',
    clearFilters: '清除筛选',
    export: '导出',
  },
};
