import { useState } from 'react';
import { Alert, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { statLoanFilterSchema, type StatLoanFilter } from '../../../shared/api/index.ts';
import { formatWanYuan, formatYuan } from '../../../shared/domain/money.ts';
import { describeError } from '../i18n/index.ts';
import { useHostValue } from '../components/RecordPage.tsx';

const PAGE = 50;

/** The filter of the address (a dashboard figure's), checked with the contract's schema; null when it is not one. */
function filterOf(raw: string | null): StatLoanFilter | null {
  if (raw === null) return null;
  try {
    const checked = statLoanFilterSchema.safeParse(JSON.parse(raw));
    return checked.success ? checked.data : null;
  } catch {
    return null;
  }
}

/**
 * The green loans behind a dashboard figure (stats.loans with the figure's filter): each loan with
 * its balance as of the figure's day, and the count, customers and balance of all of them — the
 * figure itself. A loan opens its page.
 */
export function GreenLoanList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const filter = filterOf(params.get('filter'));
  const [page, setPage] = useState(1);
  const { value: answer, error } = useHostValue('stats.loans', filter === null ? null : { filter, offset: (page - 1) * PAGE, limit: PAGE });

  if (filter === null) return <Alert type="warning" showIcon title={t('dashboard.loans.noFilter')} />;
  if (error !== null) return <Alert type="error" showIcon title={describeError(error)} />;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="green-loans-page">
      <Space align="baseline" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('dashboard.loans.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('dashboard.asOf', { day: filter.asOf })}</Typography.Text>
        {answer !== null && (
          <Typography.Text data-testid="green-loans-count">
            {t('dashboard.loans.count', { total: answer.total, customers: answer.customers, balance: formatWanYuan(answer.balance) })}
          </Typography.Text>
        )}
      </Space>
      <Table
        size="small"
        rowKey="loanId"
        loading={answer === null}
        dataSource={answer?.rows ?? []}
        onRow={(row) => ({ onClick: () => void navigate(`/loans/${row.loanId}`), style: { cursor: 'pointer' }, 'data-testid': 'green-loans-row' }) as never}
        pagination={{ current: page, pageSize: PAGE, total: answer?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          { title: t('dashboard.loans.loanNumber'), dataIndex: 'loanNumber' },
          { title: t('dashboard.loans.borrower'), dataIndex: 'enterpriseName' },
          { title: t('dashboard.loans.category'), dataIndex: 'category' },
          { title: t('dashboard.loans.classification'), dataIndex: 'classification', render: (value: string) => t(`loans.classifications.${value}`) },
          { title: t('dashboard.loans.balance'), dataIndex: 'balance', align: 'right', render: (fen: number) => formatYuan(fen) },
        ]}
      />
    </div>
  );
}
