import type { caseTracking as zhCN } from '../zh-CN/caseTracking.ts';

export const caseTracking: typeof zhCN = {
  caseExposure: {
    title: 'Exposure reduction: plan and actual balance',
    planned: 'Planned balance',
    actual: 'Actual balance',
    unit: '10k yuan',
    chartLabel: 'Enterprise loan balance: planned against actual',
    basis: "Actual balance: the sum of this enterprise's {{loans}} loans by their balance snapshots (a loan with no snapshot on a day counts its latest balance; settled or written-off loans count 0)",
    noLoans: 'The enterprise has no loans: the actual balance is 0',
    noPlan: 'No reduction plan yet',
    asOf: 'as of {{date}}',
    columns: { date: 'Plan date', target: 'Target', actual: 'Actual', gap: 'Gap', standing: 'Progress' },
    figuresUnit: 'Amounts in 10k yuan',
    standings: { ahead: 'Ahead of plan', on_target: 'On target', behind: 'Behind plan', not_due: 'Not yet due', no_data: 'No balance data' },
    plan: {
      title: 'Reduction plan',
      fieldLabel: 'Reduction plan (target balances)',
      help: "The balance the enterprise's loans should be reduced to by each date (10k yuan), earliest first.",
      edit: 'Edit the plan',
      add: 'Add a plan step',
      remove: 'Remove this step',
      date: 'Date',
      target: 'Target balance',
      unit: '10k yuan',
      dateRequired: 'Enter the date',
      targetRequired: 'Enter the target balance',
      twinDays: 'One target balance per date',
      saved: 'Reduction plan saved',
      required: 'A 压缩退出 (reduce and exit) case needs a reduction plan',
    },
  },
};
