import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseMeasure, CaseStatus } from '../../../shared/domain/rectification.ts';

const statusColors: Record<CaseStatus, string> = { open: 'orange', in_progress: 'blue', submitted: 'purple', closed: 'green', escalated: 'red' };
const measureColors: Record<CaseMeasure, string> = { urge: 'gold', reduce_exit: 'volcano', collect_dispose: 'red' };

export function CaseStatusTag({ value, overdue }: { value: CaseStatus; overdue: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={statusColors[value]} data-testid="case-status">
        {t(`rectification.statuses.${value}`)}
      </Tag>
      {overdue && (
        <Tag color="red" data-testid="case-overdue">
          {t('rectification.overdue')}
        </Tag>
      )}
    </>
  );
}

export function CaseMeasureTag({ value }: { value: CaseMeasure }) {
  const { t } = useTranslation();
  return <Tag color={measureColors[value]}>{t(`rectification.measures.${value}`)}</Tag>;
}
