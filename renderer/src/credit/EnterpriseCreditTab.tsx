import { useEffect, useState } from 'react';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CreditSummary, EnterpriseDetail, HostError } from '../../../shared/api/index.ts';
import { formatYuan } from '../../../shared/domain/money.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { ApplicationForm } from './ApplicationForm.tsx';
import { StatusTag } from './StatusTag.tsx';
import { formatWorkingDuration } from './timing.ts';

/** An enterprise holds a handful of applications, not thousands: one page of the list is all of them. */
const TAB_LIMIT = 500;

/** 授信 on the enterprise page: its applications (credit.list filtered by enterprise, in SQL), and a new one for it. */
export function EnterpriseCreditTab({ enterprise }: { enterprise: EnterpriseDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [rows, setRows] = useState<CreditSummary[] | null>(null);
  const [error, setError] = useState<HostError | null>(null);
  const [creating, setCreating] = useState(false);
  const canWrite = user !== null && can(user.role, 'credit.write');

  useEffect(() => {
    void call('credit.list', { filter: { enterpriseId: enterprise.id }, sort: { field: 'createdAt', order: 'desc' }, offset: 0, limit: TAB_LIMIT }).then((result) => {
      if (result.ok) setRows(result.value.rows);
      else setError(result.error);
    });
  }, [call, enterprise.id]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="enterprise-credit">
      {canWrite && (
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-credit-create">
          {t('credit.tab.create')}
        </Button>
      )}
      {error !== null && <Typography.Text type="danger">{describeError(error)}</Typography.Text>}
      <Table<CreditSummary>
        size="small"
        rowKey="id"
        pagination={false}
        loading={rows === null && error === null}
        dataSource={rows ?? []}
        locale={{ emptyText: t('credit.tab.empty') }}
        onRow={(row) => ({ onClick: () => void navigate(`/credit/${row.id}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('credit.columns.product'),
            key: 'product',
            render: (_value, row) => (
              <Space size={6}>
                {row.priority && <Tag color="magenta">{t('credit.priority')}</Tag>}
                {t(`credit.products.${row.product}`)}
              </Space>
            ),
          },
          { title: t('credit.columns.amount'), dataIndex: 'amountFen', align: 'right', render: (fen: number) => <span className="gl-mono">{formatYuan(fen)}</span> },
          { title: t('credit.columns.status'), dataIndex: 'status', render: (status: CreditSummary['status']) => <StatusTag status={status} /> },
          {
            title: t('credit.columns.waiting'),
            key: 'waiting',
            render: (_value, row) =>
              row.waiting === null ? '—' : <Typography.Text type={row.waiting.overdue ? 'danger' : undefined}>{formatWorkingDuration(row.waiting.workingDays, t)}</Typography.Text>,
          },
          { title: t('credit.columns.investigator'), key: 'investigator', render: (_value, row) => row.investigator.name ?? '—' },
          { title: t('credit.columns.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at) },
        ]}
      />
      <ApplicationForm
        open={creating}
        application={null}
        enterprise={{ id: enterprise.id, name: enterprise.file.identity.name, uscc: enterprise.file.identity.uscc }}
        onClose={() => setCreating(false)}
        onSaved={(detail) => {
          setCreating(false);
          void navigate(`/credit/${detail.id}`);
        }}
      />
    </Space>
  );
}
