import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreditStatus } from '../../../shared/domain/creditWorkflow.ts';

const colours: Record<CreditStatus, string> = {
  investigation: 'blue',
  review: 'geekblue',
  approval: 'purple',
  escalated: 'orange',
  approved: 'green',
  rejected: 'red',
};

/** An application's workflow status as a coloured tag (调查中, 审查中 … 已批准, 已否决). */
export function StatusTag({ status }: { status: CreditStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={colours[status]} style={{ marginInlineEnd: 0 }} data-testid="credit-status" data-status={status}>
      {t(`credit.statuses.${status}`)}
    </Tag>
  );
}
