import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Popconfirm, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BackupEntry } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';

/** Administrators: the daily backups, a manual one, and restore (verified by the host first). */
export function BackupCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const keep = useAppStore((s) => s.settings?.backupKeep ?? 7);
  const refreshSession = useAppStore((s) => s.refreshSession);
  const [backups, setBackups] = useState<BackupEntry[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await call('backup.list', {});
    if (result.ok) setBackups(result.value);
  }, [call]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    setBusy(true);
    const result = await call('backup.create', {});
    setBusy(false);
    if (result.ok) void message.success(t('backup.created'));
    else void message.error(describeError(result.error));
    await load();
  };

  const restore = async (fileName: string) => {
    setBusy(true);
    const result = await call('backup.restore', { fileName });
    setBusy(false);
    if (!result.ok) return void message.error(`${describeError(result.error)} ${result.error.message}`);
    void message.success(t('backup.restored'));
    await refreshSession();
  };

  return (
    <Card title={t('backup.title')} extra={<Button onClick={() => void create()} loading={busy} data-testid="backup-create">{t('backup.create')}</Button>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('backup.intro', { keep })}</Typography.Text>
        <Table<BackupEntry>
          size="small"
          rowKey="fileName"
          dataSource={backups}
          pagination={false}
          locale={{ emptyText: t('backup.none') }}
          data-testid="backup-table"
          columns={[
            { title: t('backup.time'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at) },
            { title: t('backup.file'), dataIndex: 'fileName' },
            { title: t('backup.size'), dataIndex: 'bytes', render: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB` },
            {
              key: 'restore',
              render: (_: unknown, entry: BackupEntry) => (
                <Popconfirm title={t('backup.restoreConfirm')} onConfirm={() => void restore(entry.fileName)}>
                  <Button size="small" danger>
                    {t('backup.restore')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
        <Typography.Text type="secondary">{t('backup.keyNote')}</Typography.Text>
      </Space>
    </Card>
  );
}
