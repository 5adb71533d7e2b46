import type { GreenFactoryProjectRow } from '../../../../shared/api/index.ts';
import { formatWanYuan } from '../../../../shared/domain/money.ts';
import type { RegisterColumn } from '../../register/RegisterTable.tsx';
import { OutcomeTag } from './OutcomeTag.tsx';

/** The quarter's list: the export's columns that fit a 1366 px screen (USCC, contact and count of contacts are on the project's page and in the .xlsx). */
export const factoryColumns: readonly RegisterColumn<GreenFactoryProjectRow, 'enterprise'>[] = [
  {
    key: 'enterprise',
    title: 'greenFactory.columns.enterprise',
    width: 'minmax(190px, 1fr)',
    cell: (row) => (
      <span className="gl-main" title={row.enterpriseName} data-testid="factory-enterprise">
        {row.enterpriseName}
      </span>
    ),
  },
  {
    key: 'projectName',
    title: 'greenFactory.columns.projectName',
    width: 'minmax(190px, 1.2fr)',
    cell: (row) => (
      <span className="gl-main" title={row.projectName} data-testid="factory-project-name">
        {row.projectName}
      </span>
    ),
  },
  { key: 'kind', title: 'greenFactory.columns.kind', width: '170px', cell: (row, { t }) => <span className="gl-main">{t(`greenFactory.kinds.${row.kind}`)}</span> },
  {
    key: 'amount',
    title: 'greenFactory.columns.amount',
    width: '175px',
    align: 'right',
    cell: (row) => (
      <span className="gl-main" data-testid="factory-amount">
        {formatWanYuan(row.amountSought)}
      </span>
    ),
  },
  { key: 'outcome', title: 'greenFactory.columns.outcome', width: '140px', cell: (row) => <OutcomeTag value={row.outcome} /> },
  { key: 'lastContactOn', title: 'greenFactory.columns.lastContactOn', width: '130px', cell: (row) => <span className="gl-main">{row.lastContactOn ?? ''}</span> },
];

export const FACTORY_COLUMNS_MIN_WIDTH = 995;
