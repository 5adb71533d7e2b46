import type { CaseSort, CaseSummary } from '../../../shared/api/index.ts';
import type { RegisterColumn } from '../register/RegisterTable.tsx';
import { CaseMeasureTag, CaseStatusTag } from './CaseTags.tsx';

/** The case list's columns: codes as their words (类别, 措施, 状态), the deadline with 已逾期. */
export const caseColumns: readonly RegisterColumn<CaseSummary, CaseSort['field']>[] = [
  {
    key: 'caseNumber',
    title: 'rectification.columns.caseNumber',
    width: '170px',
    cell: (row) => (
      <span className="gl-main gl-mono gl-code" title={row.caseNumber} data-testid="case-number">
        {row.caseNumber}
      </span>
    ),
  },
  {
    key: 'enterprise',
    title: 'rectification.columns.enterprise',
    width: 'minmax(160px, 2fr)',
    cell: (row) => (
      <span className="gl-main" title={row.enterpriseName}>
        {row.enterpriseName}
      </span>
    ),
  },
  { key: 'category', title: 'rectification.columns.category', width: '110px', cell: (row, { t }) => <span className="gl-main">{t(`rectification.categories.${row.category}`)}</span> },
  { key: 'measure', title: 'rectification.columns.measure', width: '110px', cell: (row) => <CaseMeasureTag value={row.measure} /> },
  { key: 'deadline', title: 'rectification.columns.deadline', width: '110px', sort: 'deadline', cell: (row) => <span className="gl-main">{row.deadline}</span> },
  { key: 'status', title: 'rectification.columns.status', width: '170px', cell: (row) => <CaseStatusTag value={row.status} overdue={row.overdue} /> },
  { key: 'officer', title: 'rectification.columns.officer', width: '120px', cell: (row) => <span className="gl-main">{row.officerName ?? ''}</span> },
];

export const CASE_COLUMNS_MIN_WIDTH = 980;
