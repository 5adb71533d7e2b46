import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LoanClassification, LoanStatus } from '../../../shared/domain/loan.ts';

/** Five-level classes from good to bad, in the colours a credit report uses for them. */
const classificationColors: Record<LoanClassification, string> = {
  normal: 'green',
  special_mention: 'gold',
  substandard: 'orange',
  doubtful: 'volcano',
  loss: 'red',
};

const statusColors: Record<LoanStatus, string> = {
  outstanding: 'blue',
  settled: 'default',
  written_off: 'magenta',
};

export function ClassificationTag({ value }: { value: LoanClassification }) {
  const { t } = useTranslation();
  return (
    <Tag color={classificationColors[value]} data-testid="loan-classification">
      {t(`loans.classifications.${value}`)}
    </Tag>
  );
}

export function StatusTag({ value }: { value: LoanStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[value]} data-testid="loan-status">
      {t(`loans.statuses.${value}`)}
    </Tag>
  );
}
