import type { ReactNode } from 'react';
import { Button, Result, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { HostError } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';

/** 「返回…」 above a record's page, back to its register. */
export function BackLink({ label, onBack, testId }: { label: string; onBack: () => void; testId: string }) {
  return (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={onBack} style={{ paddingInline: 0 }} data-testid={testId}>
      {label}
    </Button>
  );
}

/**
 * What a record's page shows before it has the record (enterprise file, loan …): the reason it
 * could not be read (a 404 says the record is gone), or a skeleton while it loads; null once it is there.
 */
export function RecordPageFallback({ error, loading, back, notFoundTitle }: { error: HostError | null; loading: boolean; back: ReactNode; notFoundTitle: string }) {
  const { t } = useTranslation();
  if (error !== null) {
    return (
      <Result
        status={error.code === 'NOT_FOUND' ? '404' : 'error'}
        title={error.code === 'NOT_FOUND' ? notFoundTitle : t('errors.title')}
        subTitle={describeError(error)}
        extra={back}
      />
    );
  }
  if (!loading) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {back}
      <Skeleton active paragraph={{ rows: 6 }} />
    </Space>
  );
}
