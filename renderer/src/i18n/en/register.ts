import type { register as zhCN } from '../zh-CN/register.ts';

export const register: typeof zhCN = {
  register: {
    counting: 'Counting…',
    atLeast: '{{count}}+',
    countExactly: 'Count exactly',
    clearFilters: 'Clear filters',
    export: 'Export',
  },
};
