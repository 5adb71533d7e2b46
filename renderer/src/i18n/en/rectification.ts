import type { rectification as zhCN } from '../zh-CN/rectification.ts';

export const rectification: typeof zhCN = {
  rectification: {
    categories: { environmental: 'Environmental protection', work_safety: 'Work safety', occupational_health: 'Occupational health' },
    measures: { urge: 'Urge rectification', reduce_exit: 'Reduce and exit', collect_dispose: 'Collect and dispose' },
    sources: { penalty_decision: 'Administrative penalty decision', inspection: 'Inspection', media_report: 'Media report', bank_visit: 'Bank visit' },
    statuses: { open: 'Open', in_progress: 'In progress', submitted: 'Awaiting verification', closed: 'Verified and closed', escalated: 'Escalated' },
  },
};
