/** What every register list shares (enterprises, loans, applications …): the count and export. */
export const register = {
  register: {
    counting: '正在统计…',
    /** A count the host stopped at a cap: 「1,000+」. */
    atLeast: '{{count}}+',
    countExactly: '精确统计',
    export: '导出',
  },
};
