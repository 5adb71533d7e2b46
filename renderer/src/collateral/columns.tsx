import type { CollateralSort, CollateralSummary } from '../../../shared/api/index.ts';
import type { RegisterColumn } from '../register/RegisterTable.tsx';
import { instantColumn } from '../register/cells.tsx';
import { formatRate, formatYuan } from '../format.ts';
import { CollateralStatusTag } from './CollateralTags.tsx';

/**
 * The register's columns: type and status in words, values in 元 to the 分 (the rate under the pledged
 * value), the registration with its expiry. Ten columns do not fit a 1366 px screen; these eight do.
 */
export const collateralColumns: readonly RegisterColumn<CollateralSummary, CollateralSort['field']>[] = [
  {
    key: 'certificate',
    title: 'collateral.columns.certificate',
    width: 'minmax(176px, 1.4fr)',
    cell: (row, { t }) => (
      <>
        <span className="gl-main gl-code" title={row.certificateNumber} data-testid="collateral-certificate">
          {row.certificateNumber}
        </span>
        <span className="gl-sub">{t(`collateral.types.${row.type}`)}</span>
      </>
    ),
  },
  {
    key: 'enterprise',
    title: 'collateral.columns.enterprise',
    width: 'minmax(140px, 1.4fr)',
    cell: (row) => (
      <span className="gl-main" title={row.enterpriseName}>
        {row.enterpriseName}
      </span>
    ),
  },
  { key: 'validTo', title: 'collateral.columns.validTo', width: '112px', sort: 'validTo', cell: (row) => <span className="gl-main">{row.validTo}</span> },
  {
    key: 'appraised',
    title: 'collateral.columns.appraised',
    width: '132px',
    sort: 'appraisedValue',
    firstOrder: 'desc',
    align: 'right',
    cell: (row) => <span className="gl-main gl-amount">{formatYuan(row.appraisedValue)}</span>,
  },
  {
    key: 'pledged',
    title: 'collateral.columns.pledged',
    width: '132px',
    sort: 'pledgedValue',
    firstOrder: 'desc',
    align: 'right',
    cell: (row, { t }) => (
      <>
        <span className="gl-main gl-amount" data-testid="collateral-pledged">
          {formatYuan(row.pledgedValue)}
        </span>
        <span className="gl-sub">{t('collateral.list.rate', { rate: formatRate(row.pledgeRateBp) })}</span>
      </>
    ),
  },
  {
    key: 'registration',
    title: 'collateral.columns.registration',
    width: '150px',
    sort: 'registrationExpiresOn',
    cell: (row) => (
      <>
        <span className="gl-main gl-mono gl-code" title={row.registrationNumber ?? ''} data-testid="collateral-registration">
          {row.registrationNumber ?? '—'}
        </span>
        {row.registrationExpiresOn !== null && <span className="gl-sub">{row.registrationExpiresOn}</span>}
      </>
    ),
  },
  { key: 'status', title: 'collateral.columns.status', width: '96px', cell: (row) => <CollateralStatusTag value={row.status} /> },
  instantColumn<CollateralSummary, 'updatedAt', CollateralSort['field']>('updatedAt', 'collateral.columns.updatedAt', 'updatedAt'),
];

/** Sum of the columns' minimum widths plus their padding: below it the grid scrolls sideways. */
export const COLLATERAL_COLUMNS_MIN_WIDTH = 1050;

/** On an enterprise's page every item is that enterprise's: its column would only repeat the name. */
export const enterpriseCollateralColumns = collateralColumns.filter((column) => column.key !== 'enterprise');
export const ENTERPRISE_COLLATERAL_COLUMNS_MIN_WIDTH = 910;
