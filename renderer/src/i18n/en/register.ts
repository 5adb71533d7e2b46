import type { register as zhCN } from '../zh-CN/register.ts';

export const register: typeof zhCN = {
  register: {
    counting: 'Counting…',
    atLeast: '{{count}}+',
    countExactly: 'Count exactly',
    clearFilters: 'Clear filters',
    export: 'Export',
    views: {
      label: 'Views',
      placeholder: 'My views',
      none: 'No saved view yet',
      save: 'Save view',
      saveTitle: 'Save the filters as a view',
      saveHint: 'Saves the filters and sort in force, to reopen them from “My views”. Views stay on this laptop and are yours only.',
      name: 'View name',
      namePlaceholder: 'e.g. discharge rights due this month',
      nameRequired: 'Name the view',
      saved: 'View “{{name}}” saved',
      delete: 'Delete view “{{name}}”',
    },
  },
};
