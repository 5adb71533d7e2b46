import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Form, Select, Space, Table, Typography } from 'antd';
import { DownloadOutlined, SafetyOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditFilter, MethodOutput, User } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { ChangeList, actionLabel, actorLabel } from '../components/ChangeList.tsx';
import { saveDownload } from '../download.ts';

const PAGE_SIZE = 50;
const recordTypes = ['branch', 'users', 'session', 'settings'];

interface FilterValues {
  userId?: string;
  recordType?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

function toFilter(values: FilterValues): AuditFilter {
  const [from, to] = values.dates ?? [null, null];
  return {
    ...(values.userId !== undefined && { userId: values.userId }),
    ...(values.recordType !== undefined && { recordType: values.recordType }),
    ...(from != null && { from: from.format('YYYY-MM-DD') }),
    ...(to != null && { to: to.format('YYYY-MM-DD') }),
  };
}

/** The administrator's audit screen: filter by user, record type and date; verify the chain; export. */
export function Audit() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ rows: AuditEntry[]; total: number }>({ rows: [], total: 0 });
  const [users, setUsers] = useState<User[]>([]);
  const [verification, setVerification] = useState<MethodOutput<'audit.verify'> | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    const result = await call('audit.list', { ...filter, page, pageSize: PAGE_SIZE });
    setLoading(false);
    if (result.ok) setData(result.value);
    else void message.error(describeError(result.error));
  }, [call, filter, page, message]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    void call('users.list', {}).then((result) => result.ok && setUsers(result.value));
  }, [call]);

  // Rows up to the anchor head office holds cannot be rewritten unnoticed (db/audit.ts).
  const anchorLine =
    verification === null ? null : verification.anchor === null ? t('audit.notAnchored') : t('audit.anchored', { seq: verification.anchor.seq, at: formatInstant(verification.anchor.at) });
  const verify = async () => {
    const result = await call('audit.verify', {});
    if (result.ok) setVerification(result.value);
    else void message.error(describeError(result.error));
  };

  const exportXlsx = async () => {
    const result = await call('audit.export', filter);
    if (!result.ok) return void message.error(describeError(result.error));
    saveDownload(result.value.fileName, result.value.contentBase64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    void message.success(t('audit.exported', { count: result.value.rows }));
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <Space>
          <Button icon={<SafetyOutlined />} onClick={() => void verify()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} data-testid="audit-export">
            {t('audit.export')}
          </Button>
        </Space>
      </Space>
      {verification !== null &&
        (verification.ok ? (
          <Alert type="success" showIcon message={t('audit.verifyOk', { count: verification.checked })} description={anchorLine} data-testid="audit-verification" />
        ) : (
          <Alert
            type="error"
            showIcon
            message={t('audit.verifyFailed')}
            description={
              <>
                <ul>
                  {verification.problems.map((p) => (
                    <li key={`${p.seq}-${p.kind}`}>{p.kind === 'anchor' ? t('audit.anchorBroken', { seq: p.seq }) : p.message}</li>
                  ))}
                </ul>
                {anchorLine}
              </>
            }
            data-testid="audit-verification"
          />
        ))}
      <Form
        form={form}
        layout="inline"
        onFinish={(values) => {
          setPage(1);
          setFilter(toFilter(values));
        }}
      >
        <Form.Item name="userId" label={t('audit.user')}>
          <Select allowClear style={{ width: 160 }} placeholder={t('audit.all')} options={users.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        </Form.Item>
        <Form.Item name="recordType" label={t('audit.recordType')}>
          <Select allowClear style={{ width: 140 }} placeholder={t('audit.all')} options={recordTypes.map((type) => ({ value: type, label: t(`audit.recordTypes.${type}`) }))} />
        </Form.Item>
        <Form.Item name="dates" label={t('audit.dateRange')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('audit.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setPage(1);
              setFilter({});
            }}
          >
            {t('audit.reset')}
          </Button>
        </Space>
      </Form>
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={data.rows}
        data-testid="audit-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: setPage }}
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          { title: t('audit.time'), dataIndex: 'at', width: 180, render: (at: string) => formatInstant(at) },
          { title: t('audit.user'), dataIndex: 'userName', width: 120, render: (name: string | null) => actorLabel(name, t) },
          { title: t('audit.action'), dataIndex: 'action', width: 130, render: (action: string) => actionLabel(action, t) },
          { title: t('audit.recordType'), dataIndex: 'recordType', width: 100, render: (type: string) => t(`audit.recordTypes.${type}`, { defaultValue: type }) },
          { title: t('audit.changes'), key: 'changes', render: (_: unknown, entry: AuditEntry) => <ChangeList entry={entry} /> },
        ]}
      />
    </Space>
  );
}
