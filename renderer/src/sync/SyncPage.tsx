import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Empty, Form, Space, Table, Tag, Typography } from 'antd';
import { CloudSyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { contract, type HostError, type QuarantinedRow, type RejectedChange, type SettledRecord, type SyncConflict, type SyncStatus } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { hostErrorOnForm, validateForm } from '../forms.ts';
import { formatInstant } from '../format.ts';
import { useSyncStatus } from './syncStatus.ts';
import { ConflictCard, SettledCard, type Choice } from './ConflictCard.tsx';
import { RejectedChanges } from './RejectedChanges.tsx';
import { EnrollmentFields, type EnrollmentValues } from './EnrollmentFields.tsx';

const REFRESH_MS = 10_000;

/** A sync problem in words an officer can act on; the technical message stays in the tooltip. */
function syncErrorText(code: string, t: (key: string, options?: Record<string, unknown>) => string, status: SyncStatus): string {
  return t(`sync.errors.${code}`, { defaultValue: t('sync.errors.other'), minutes: Math.round(Math.abs(status.clockSkewMs ?? 0) / 60_000) });
}

/** A refused decision in words: someone decided first, or the record changed since it was shown. */
function resolveErrorText(error: HostError, t: (key: string) => string): string | null {
  const syncCode = error.details?.syncCode;
  if (syncCode === 'CONFLICT_ALREADY_RESOLVED') return t('sync.conflict.alreadyResolved');
  if (syncCode === 'ROW_CHANGED') return t('sync.conflict.rowChanged');
  return null;
}

export function SyncPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  // The header indicator shows the same copy (syncStatus.ts).
  const { status, setStatus } = useSyncStatus();
  const [conflicts, setConflicts] = useState<SyncConflict[]>([]);
  const [busy, setBusy] = useState(false);
  const [enrollForm] = Form.useForm<EnrollmentValues>();
  const [settled, setSettled] = useState<SettledRecord | null>(null);
  const [quarantined, setQuarantined] = useState<QuarantinedRow[]>([]);
  const [rejected, setRejected] = useState<RejectedChange[]>([]);

  const load = useCallback(async () => {
    const [next, open, aside, refused] = await Promise.all([call('sync.status', {}), call('sync.conflicts', {}), call('sync.quarantine', {}), call('sync.rejections', {})]);
    if (next.ok) setStatus(next.value);
    if (open.ok) setConflicts(open.value);
    if (aside.ok) setQuarantined(aside.value);
    if (refused.ok) setRejected(refused.value);
  }, [call, setStatus]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const syncNow = async () => {
    setBusy(true);
    const result = await call('sync.now', {});
    setBusy(false);
    if (result.ok) setStatus(result.value);
    else void message.error(describeError(result.error));
    await load();
  };

  const enroll = async (values: EnrollmentValues) => {
    const input = validateForm(enrollForm, contract['sync.enroll'].input, values);
    if (input === null) return;
    setBusy(true);
    const result = await call('sync.enroll', input);
    setBusy(false);
    if (result.ok) {
      setStatus(result.value);
      void message.success(t('sync.enrolled'));
    } else {
      // A wrong code or address is marked on its field; anything else is said in words, never the hub's English.
      const text = hostErrorOnForm(enrollForm, result.error);
      if (text !== null) void message.error(text);
    }
  };

  const resolve = async (conflict: SyncConflict, choice: Choice) => {
    const result = await call('sync.resolve', { id: conflict.id, choice, expectedVersion: conflict.theirsVersion });
    if (result.ok) {
      setConflicts(result.value.conflicts);
      setSettled(result.value.settled);
      void message.success(t('sync.resolved'));
    } else {
      // Refused because it moved on: the host has pulled since, so the panel shows the new state.
      const moved = resolveErrorText(result.error, t);
      if (moved !== null) void message.warning(moved);
      else void message.error(`${describeError(result.error)} ${result.error.message}`);
    }
    await load();
  };

  if (status === null) return null;
  const canConfigure = user !== null && can(user.role, 'sync.configure');

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('sync.title')}
        </Typography.Title>
        {status.enrolled && !status.revoked && (
          <Button type="primary" icon={<CloudSyncOutlined />} loading={busy || status.running} onClick={() => void syncNow()} data-testid="sync-now">
            {t('sync.now')}
          </Button>
        )}
      </Space>

      {status.revoked && <Alert type="error" showIcon message={t('sync.revoked')} />}
      {status.firstPull !== null && <Alert type="info" showIcon title={t('sync.firstPull', { count: status.firstPull.received })} data-testid="sync-first-pull" />}
      {status.lastError !== null && !status.revoked && (
        <Alert type="warning" showIcon message={syncErrorText(status.lastError.code, t, status)} description={<Typography.Text type="secondary">{status.lastError.message}</Typography.Text>} data-testid="sync-error" />
      )}

      {status.enrolled ? (
        <Card data-testid="sync-status">
          <Descriptions column={2} size="small">
            <Descriptions.Item label={t('sync.hub')}>{status.hubUrl}</Descriptions.Item>
            <Descriptions.Item label={t('sync.branch')}>{status.branchName}</Descriptions.Item>
            <Descriptions.Item label={t('sync.lastSuccess')}>{status.lastSuccessAt === null ? t('sync.never') : formatInstant(status.lastSuccessAt)}</Descriptions.Item>
            <Descriptions.Item label={t('sync.nextAttempt')}>{status.nextAttemptAt === null ? '—' : formatInstant(status.nextAttemptAt)}</Descriptions.Item>
            <Descriptions.Item label={t('sync.pending')}>
              <Tag color={status.pendingChanges > 0 ? 'gold' : 'green'} data-testid="sync-pending">
                {t('sync.pendingCount', { count: status.pendingChanges })}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('sync.conflicts')}>
              <Tag color={status.openConflicts > 0 ? 'red' : 'green'}>{t('sync.conflictCount', { count: status.openConflicts })}</Tag>
            </Descriptions.Item>
            {status.quarantined > 0 && (
              <Descriptions.Item label={t('sync.quarantine.title')}>
                <Tag color="orange" data-testid="sync-quarantined">
                  {t('sync.pendingCount', { count: status.quarantined })}
                </Tag>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      ) : (
        <Card title={t('sync.enrollTitle')}>
          <Typography.Paragraph type="secondary">{t('sync.enrollIntro', { count: status.pendingChanges })}</Typography.Paragraph>
          {canConfigure ? (
            <Form form={enrollForm} layout="vertical" onFinish={(values) => void enroll(values)} style={{ maxWidth: 480 }} data-testid="sync-enroll">
              <EnrollmentFields />
              <Button type="primary" htmlType="submit" loading={busy}>
                {t('sync.enroll')}
              </Button>
            </Form>
          ) : (
            <Typography.Text>{t('sync.askAdmin')}</Typography.Text>
          )}
        </Card>
      )}

      {quarantined.length > 0 && (
        <Card title={t('sync.quarantine.title')} data-testid="sync-quarantine">
          <Alert type="warning" showIcon title={t('sync.quarantine.intro', { count: quarantined.length })} style={{ marginBottom: 12 }} />
          <Table
            size="small"
            pagination={false}
            rowKey={(row) => `${row.table}:${row.rowId}`}
            dataSource={quarantined}
            columns={[
              { title: t('sync.quarantine.table'), dataIndex: 'table', render: (table: string) => t(`sync.quarantine.tables.${table}`, { defaultValue: table }) },
              { title: t('sync.quarantine.record'), dataIndex: 'rowId' },
              { title: t('sync.quarantine.version'), dataIndex: 'version' },
              { title: t('sync.quarantine.reason'), dataIndex: 'reason', render: (reason: string) => <Typography.Text type="secondary">{reason}</Typography.Text> },
              { title: t('sync.quarantine.received'), dataIndex: 'receivedAt', render: (at: string) => formatInstant(at) },
            ]}
          />
        </Card>
      )}

      <RejectedChanges rows={rejected} />

      {status.referenceSets.length > 0 && (
        <Card title={t('sync.referenceTitle')}>
          <Table
            size="small"
            pagination={false}
            rowKey="name"
            dataSource={status.referenceSets}
            columns={[
              { title: t('sync.referenceName'), dataIndex: 'name', render: (name: string) => t(`sync.referenceSets.${name}`, { defaultValue: name }) },
              { title: t('sync.referenceVersion'), dataIndex: 'version' },
              { title: t('sync.referencePublished'), dataIndex: 'publishedAt', render: (at: string) => formatInstant(at) },
            ]}
          />
        </Card>
      )}

      <Card title={t('sync.conflictsTitle')}>
        {settled !== null && (
          <div style={{ marginBottom: 12 }}>
            <SettledCard settled={settled} onClose={() => setSettled(null)} />
          </div>
        )}
        {conflicts.length === 0 ? (
          <Empty description={t('sync.noConflicts')} />
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {conflicts.map((conflict) => (
              <ConflictCard key={conflict.id} conflict={conflict} onResolve={resolve} />
            ))}
          </Space>
        )}
      </Card>
    </Space>
  );
}
