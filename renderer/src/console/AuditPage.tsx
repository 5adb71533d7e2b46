import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AUDIT_EXPORT_PATH, AUDIT_PAGE_SIZE, type ConsoleAuditRow } from '../../../shared/api/console.ts';
import { formatInstant } from '../format.ts';
import { auditDetail, type T } from './forms.ts';
import { LoadError } from './LoadError.tsx';
import { useConsoleQuery } from './useConsoleQuery.ts';

/**
 * 审计日志: head office's hash-chained trail, newest first, with the chain verified on every view
 * (the hub does it with the page) and the .xlsx export, itself audited. Every head-office role reads it.
 * The export is a plain link: a GET the session cookie alone opens, saved by the browser.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const { value, error, loading, reload } = useConsoleQuery('audit.page', { page });
  // Action names hold dots ("sign_in.failed"): read the map whole so i18next does not take them as paths.
  const actions = t('audit.actions', { returnObjects: true }) as Record<string, string>;
  const recordTypes = t('audit.recordTypes', { returnObjects: true }) as Record<string, string>;
  const tables = t('tables', { returnObjects: true }) as Record<string, string>;
  const verification = value?.verification;

  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('audit.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.hint')}</Typography.Paragraph>
      {error !== undefined && <LoadError error={error} retry={reload} />}
      <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
        {verification !== undefined &&
          (verification.ok ? (
            <Alert type="success" showIcon message={<span data-testid="audit-status">{t('audit.ok', { checked: verification.checked, head: verification.headSeq })}</span>} />
          ) : (
            <Alert
              type="error"
              showIcon
              message={<span data-testid="audit-status">{t('audit.broken', { checked: verification.checked, count: verification.problems.length })}</span>}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {verification.problems.map((problem) => (
                    <li key={`${problem.seq}:${problem.kind}`}>{t('audit.problem', { seq: problem.seq, message: problem.message })}</li>
                  ))}
                </ul>
              }
            />
          ))}
        <Space>
          <Button icon={<DownloadOutlined />} href={AUDIT_EXPORT_PATH} data-testid="audit-export">
            {t('audit.export')}
          </Button>
          {value !== undefined && <Typography.Text type="secondary">{t('audit.count', { total: value.total })}</Typography.Text>}
        </Space>
      </Space>
      <Table<ConsoleAuditRow>
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={value?.rows ?? []}
        locale={{ emptyText: t('audit.none') }}
        data-testid="audit"
        pagination={{ current: page, pageSize: AUDIT_PAGE_SIZE, total: value?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          { key: 'seq', title: t('audit.seq'), dataIndex: 'seq', width: 64 },
          { key: 'at', title: t('audit.at'), width: 165, render: (_, row) => formatInstant(row.at) },
          { key: 'who', title: t('audit.who'), width: 140, render: (_, row) => row.user_name ?? t('audit.token') },
          { key: 'action', title: t('audit.action'), width: 170, render: (_, row) => actions[row.action] ?? row.action },
          {
            key: 'record',
            title: t('audit.record'),
            width: 200,
            render: (_, row) => (
              <>
                <div>{recordTypes[row.record_type] ?? tables[row.record_type] ?? row.record_type}</div>
                {row.record_id !== null && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.record_id}
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            key: 'detail',
            title: t('audit.detail'),
            render: (_, row) => (
              <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {auditDetail(row.before, row.after, t as T)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
}
