import { Alert, Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RejectedChange } from '../../../shared/api/index.ts';
import { formatInstant } from '../format.ts';

/**
 * Changes of this laptop head office refused, each with head office's reason in words: a workflow
 * step skipped, a self-approval (the lifecycle rule, named), a row no laptop could have written.
 * Head office's version of the record stands and came back with the last pull.
 */
export function RejectedChanges({ rows }: { rows: RejectedChange[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  const reasonText = (row: RejectedChange) => {
    const rules = row.issues.map((issue) => (issue.rule === undefined ? issue.message : t(`sync.rejections.rules.${issue.rule}`, { defaultValue: issue.message })));
    const reason = t(`sync.rejections.reasons.${row.reason}`, { defaultValue: row.reason });
    return rules.length === 0 ? reason : `${reason}：${rules.join('；')}`;
  };
  return (
    <Card title={t('sync.rejections.title')} data-testid="sync-rejections">
      <Alert type="error" showIcon title={t('sync.rejections.intro', { count: rows.length })} style={{ marginBottom: 12 }} />
      <Table
        size="small"
        pagination={false}
        rowKey="opId"
        dataSource={rows}
        columns={[
          { title: t('sync.quarantine.table'), dataIndex: 'table', render: (table: string) => t(`sync.quarantine.tables.${table}`, { defaultValue: table }) },
          { title: t('sync.quarantine.record'), dataIndex: 'rowId' },
          { title: t('sync.quarantine.reason'), key: 'reason', render: (_: unknown, row: RejectedChange) => <Typography.Text type="danger" data-testid="sync-rejection-reason">{reasonText(row)}</Typography.Text> },
          { title: t('sync.rejections.when'), dataIndex: 'rejectedAt', render: (at: string) => formatInstant(at) },
        ]}
      />
    </Card>
  );
}
