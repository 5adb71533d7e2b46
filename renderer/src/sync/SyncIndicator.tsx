import { useEffect } from 'react';
import { Badge, Tag, Tooltip } from 'antd';
import { CloudOutlined, CloudSyncOutlined, DisconnectOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAppStore } from '../stores/app.ts';
import { formatInstant } from '../format.ts';
import { syncHeadline, useSyncStatus } from './syncStatus.ts';

const POLL_MS = 30_000;

/**
 * The header's one-glance sync state: last success, pending changes, conflicts to decide (the badge
 * counts those; the tooltip all open ones); a click opens 同步.
 */
export function SyncIndicator() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const { status, setStatus } = useSyncStatus();

  useEffect(() => {
    const load = () => void call('sync.status', {}).then((result) => result.ok && setStatus(result.value));
    load();
    const timer = window.setInterval(load, POLL_MS);
    return () => window.clearInterval(timer);
  }, [call, setStatus]);

  if (status === null) return null;
  const open = () => void navigate('/sync');
  const headline = syncHeadline(status, formatInstant);
  const text = t(`sync.indicator.${headline.key}`, headline.params);
  if (!status.enrolled) {
    return (
      <Tag icon={<DisconnectOutlined />} style={{ cursor: 'pointer' }} onClick={open} data-testid="sync-indicator">
        {text}
      </Tag>
    );
  }
  const problem = headline.tone === 'warning';
  const summary = t('sync.indicator.summary', {
    last: status.lastSuccessAt === null ? t('sync.never') : formatInstant(status.lastSuccessAt),
    pending: status.pendingChanges,
    conflicts: status.openConflicts,
  });
  return (
    <Tooltip title={summary}>
      <Badge count={status.conflictsToDecide} size="small">
        <Tag
          color={problem ? 'warning' : 'success'}
          icon={problem ? <WarningOutlined /> : status.running || status.firstPull !== null ? <CloudSyncOutlined spin /> : <CloudOutlined />}
          style={{ cursor: 'pointer' }}
          onClick={open}
          data-testid="sync-indicator"
        >
          {text}
        </Tag>
      </Badge>
    </Tooltip>
  );
}
