import { Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleOutput } from '../../../shared/api/console.ts';
import { formatInstant } from '../format.ts';
import { LoadError } from './LoadError.tsx';
import { useConsoleQuery } from './useConsoleQuery.ts';

type Branch = ConsoleOutput<'branches.list'>['branches'][number];
type Device = Branch['devices'][number];

const instant = (iso: string | null) => (iso === null ? '—' : formatInstant(iso));
const HASH_SHOWN = 12; // enough of a SHA-256 hex to tell two heads apart by eye

/** A laptop: its last sync and version, whether it is revoked, its audit anchor and any rewritten chain. */
function DeviceLine({ device }: { device: Device }) {
  const { t } = useTranslation();
  return (
    <div data-testid="device" data-device={device.id} style={{ marginBottom: 6 }}>
      <Space size={6} wrap>
        <Typography.Text strong>{device.name}</Typography.Text>
        <Typography.Text type="secondary">
          {device.lastSyncAt === null ? t('branches.never') : t('branches.lastSync', { at: formatInstant(device.lastSyncAt), version: device.appVersion ?? '' })}
        </Typography.Text>
        {device.revokedAt !== null && <Tag color="default">{t('branches.revoked')}</Tag>}
      </Space>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {device.auditAnchor === null
            ? t('branches.notAnchored')
            : t('branches.anchored', { seq: device.auditAnchor.seq, at: formatInstant(device.auditAnchor.at), hash: device.auditAnchor.hash.slice(0, HASH_SHOWN) })}
        </Typography.Text>
      </div>
      {device.auditContradictions.map((c) => (
        <div key={`${c.seq}:${c.hash}`}>
          <Typography.Text type="danger" strong data-testid="audit-rewritten">
            {t('branches.rewritten', { seq: c.seq, hash: c.hash.slice(0, HASH_SHOWN), earlier: c.earlierHash.slice(0, HASH_SHOWN), at: formatInstant(c.at) })}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** 支行与设备: the page the console opens on, for every head-office role. */
export function BranchesPage() {
  const { t } = useTranslation();
  const { value, error, loading, reload } = useConsoleQuery('branches.list', {});
  const branches = value?.branches ?? [];

  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('branches.heading', { count: branches.length })}
      </Typography.Title>
      {error !== undefined && <LoadError error={error} retry={reload} />}
      <Table<Branch>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={branches}
        pagination={false}
        locale={{ emptyText: t('branches.none') }}
        onRow={(branch) => ({ 'data-branch': branch.name }) as React.HTMLAttributes<HTMLElement>}
        data-testid="branches"
        columns={[
          {
            key: 'branch',
            title: t('branches.branch'),
            width: 240,
            render: (_, branch) => (
              <>
                <div>{branch.name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {branch.code} · {branch.divisionCode}
                </Typography.Text>
              </>
            ),
          },
          {
            key: 'devices',
            title: t('branches.devices'),
            render: (_, branch) =>
              branch.devices.length === 0 ? <Typography.Text type="secondary">{t('branches.noDevices')}</Typography.Text> : branch.devices.map((device) => <DeviceLine key={device.id} device={device} />),
          },
          { key: 'lastSyncAt', title: t('branches.lastSyncAt'), width: 180, render: (_, branch) => instant(branch.lastSyncAt) },
          {
            key: 'conflicts',
            title: t('branches.conflicts'),
            width: 110,
            align: 'right',
            render: (_, branch) => (branch.pendingConflicts > 0 ? <Typography.Text type="danger" strong>{branch.pendingConflicts}</Typography.Text> : 0),
          },
          { key: 'rows', title: t('branches.rows'), width: 100, align: 'right', dataIndex: 'rows' },
        ]}
      />
    </Card>
  );
}
