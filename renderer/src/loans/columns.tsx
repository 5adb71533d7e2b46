import type { LoanSort, LoanSummary } from '../../../shared/api/index.ts';
import type { RegisterColumn } from '../register/RegisterTable.tsx';
import { formatRate, formatYuan } from '../format.ts';
import { ClassificationTag, StatusTag } from './LoanTags.tsx';

/** The loan register's columns: codes shown as their words (五级分类, 状态, 担保方式), money in 元 to the 分. */
export const loanColumns: readonly RegisterColumn<LoanSummary, LoanSort['field']>[] = [
  {
    key: 'loanNumber',
    title: 'loans.columns.loanNumber',
    // 18–20 characters of a core-system number in full: a cut-off 借据号 cannot be read back.
    width: '176px',
    sort: 'loanNumber',
    cell: (row) => (
      <span className="gl-main gl-mono gl-code" title={row.loanNumber}>
        {row.loanNumber}
      </span>
    ),
  },
  {
    key: 'enterprise',
    title: 'loans.columns.enterprise',
    width: 'minmax(160px, 2fr)',
    cell: (row) => (
      <>
        <span className="gl-main" title={row.enterpriseName}>
          {row.enterpriseName}
        </span>
        <span className="gl-sub gl-mono">{row.enterpriseUscc}</span>
      </>
    ),
  },
  {
    key: 'amount',
    title: 'loans.columns.amount',
    width: '124px',
    sort: 'amount',
    firstOrder: 'desc',
    align: 'right',
    cell: (row) => <span className="gl-main gl-amount">{formatYuan(row.amount)}</span>,
  },
  {
    key: 'balance',
    title: 'loans.columns.balance',
    width: '136px',
    sort: 'balance',
    firstOrder: 'desc',
    align: 'right',
    cell: (row, { t }) => (
      <>
        <span className="gl-main gl-amount" data-testid="loan-balance">
          {formatYuan(row.balance)}
        </span>
        <span className="gl-sub">{t('loans.list.balanceAsOf', { date: row.balanceAsOf })}</span>
      </>
    ),
  },
  {
    key: 'maturesOn',
    title: 'loans.columns.maturesOn',
    width: '116px',
    sort: 'maturesOn',
    cell: (row, { t }) => (
      <>
        <span className="gl-main">{row.maturesOn}</span>
        <span className="gl-sub">{t('loans.list.disbursedOn', { date: row.disbursedOn })}</span>
      </>
    ),
  },
  { key: 'rate', title: 'loans.columns.rate', width: '72px', align: 'right', cell: (row) => <span className="gl-amount">{formatRate(row.rateBp)}</span> },
  { key: 'classification', title: 'loans.columns.classification', width: '84px', cell: (row) => <ClassificationTag value={row.classification} /> },
  {
    key: 'guaranteeMode',
    title: 'loans.columns.guaranteeMode',
    width: '124px',
    cell: (row, { t }) => <span title={t(`loans.guaranteeModes.${row.guaranteeMode}`)}>{t(`loans.guaranteeModes.${row.guaranteeMode}`)}</span>,
  },
  { key: 'status', title: 'loans.columns.status', width: '84px', cell: (row) => <StatusTag value={row.status} /> },
];

/** Sum of the columns' minimum widths plus their padding: below it the grid scrolls sideways. */
export const LOAN_COLUMNS_MIN_WIDTH = 1076;

/** On an enterprise's page every loan is that enterprise's: its column would only repeat the name. */
export const enterpriseLoanColumns = loanColumns.filter((column) => column.key !== 'enterprise');
export const ENTERPRISE_LOAN_COLUMNS_MIN_WIDTH = 916;
