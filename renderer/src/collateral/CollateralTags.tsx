import { Space, Tag } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CollateralDetail } from '../../../shared/api/index.ts';
import type { CollateralStatus } from '../../../shared/domain/collateral.ts';
import type { CollateralAlert } from '../../../shared/domain/collateralAlerts.ts';
import { formatRate, formatYuan } from '../format.ts';

/** Work still to do in blue and purple, counted value in green, the end of the road in grey or red. */
const statusColors: Record<CollateralStatus, string> = {
  draft: 'default',
  submitted: 'purple',
  approved: 'blue',
  rejected: 'orange',
  registered: 'cyan',
  active: 'green',
  released: 'default',
  in_disposal: 'red',
  disposed: 'default',
};

export function CollateralStatusTag({ value }: { value: CollateralStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[value]} data-testid="collateral-status">
      {t(`collateral.statuses.${value}`)}
    </Tag>
  );
}

/** One alert in words; the host sends its kind and the figures it was raised on (collateralAlerts.ts). */
export function alertText(alert: CollateralDetail['alerts'][number], t: TFunction): string {
  const a = alert as CollateralAlert;
  switch (a.kind) {
    case 'expires_before_maturity':
      return t('collateral.alerts.expires_before_maturity', { what: t(a.what === 'right' ? 'collateral.alerts.right' : 'collateral.alerts.registrationWhat'), expiresOn: a.expiresOn, maturesOn: a.maturesOn });
    case 'registration_expiring':
      return a.daysLeft < 0 ? t('collateral.alerts.registration_lapsed', { expiresOn: a.expiresOn }) : t('collateral.alerts.registration_expiring', { expiresOn: a.expiresOn, daysLeft: a.daysLeft });
    case 'revaluation_overdue':
      return t('collateral.alerts.revaluation_overdue', { dueOn: a.dueOn, daysOverdue: a.daysOverdue });
    case 'coverage_over_limit':
      return t('collateral.alerts.coverage_over_limit', { balance: formatYuan(a.securedBalanceFen), pledged: formatYuan(a.pledgedFen), limit: formatRate(a.limitBp) });
    case 'surrender_deadline_in_term':
      return t('collateral.alerts.surrender_deadline_in_term', { deadline: a.deadline, maturesOn: a.maturesOn });
    case 'eligibility_lost':
      return t('collateral.alerts.eligibility_lost', { rating: t(`enterprises.plates.${a.rating}`) });
    case 'open_environmental_case':
      return t('collateral.alerts.open_environmental_case', { cases: a.caseNumbers.join('、') });
  }
}

/** The item's alerts as tags, in words with their figures. */
export function CollateralAlertTags({ alerts }: { alerts: CollateralDetail['alerts'] }) {
  const { t } = useTranslation();
  if (alerts.length === 0) return null;
  return (
    <Space size={4} wrap>
      {alerts.map((alert, i) => (
        <Tag key={`${alert.kind}-${i}`} color="red" icon={<WarningOutlined />} style={{ whiteSpace: 'normal' }} data-testid={`collateral-alert-${alert.kind}`}>
          {alertText(alert, t)}
        </Tag>
      ))}
    </Space>
  );
}
