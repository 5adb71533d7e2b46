import { useEffect, useState } from 'react';
import { Empty, Spin, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { actionLabel, actorLabel } from '../components/ChangeList.tsx';
import { historyValue, isEmptyValue, shownFields } from './historyValues.ts';

export interface EnterpriseHistory {
  /** Newest first; null while loading. */
  entries: AuditEntry[] | null;
  error: string | null;
}

/**
 * The enterprise's audit trail, fetched again whenever the file's version changes (a save on this
 * page shows up at once). The page also uses it to name who filed and last changed the file.
 */
export function useEnterpriseHistory(recordId: string, revision: number | undefined): EnterpriseHistory {
  const call = useAppStore((s) => s.call);
  const [history, setHistory] = useState<EnterpriseHistory>({ entries: null, error: null });
  useEffect(() => {
    if (revision === undefined) return;
    let current = true;
    void call('records.history', { recordType: 'enterprises', recordId }).then((result) => {
      if (!current) return;
      setHistory(result.ok ? { entries: [...result.value].sort((a, b) => b.seq - a.seq), error: null } : { entries: [], error: describeError(result.error) });
    });
    return () => {
      current = false;
    };
  }, [call, recordId, revision]);
  return history;
}

function EnterpriseChangeList({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const { t, i18n } = useTranslation();
  // A new file lists what it was created with; empty fields would only be noise.
  const fields = shownFields(before, after).filter((field) => before !== null || !isEmptyValue(after?.[field]));
  if (fields.length === 0) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {fields.map((field) => (
        <li key={field}>
          <Typography.Text type="secondary">{t(`fields.${field}`, { defaultValue: field })}：</Typography.Text>
          {before !== null && field in before && (
            <>
              <Typography.Text delete type="secondary">
                {historyValue(field, before[field], t, i18n.language)}
              </Typography.Text>{' '}
              →{' '}
            </>
          )}
          <Typography.Text>{historyValue(field, after?.[field], t, i18n.language)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

/** 变更记录: the trail inline (RecordHistory shows the same in a drawer). */
export function HistoryTab({ history }: { history: EnterpriseHistory }) {
  const { t } = useTranslation();
  if (history.error !== null) return <Typography.Text type="danger">{history.error}</Typography.Text>;
  if (history.entries === null) return <Spin />;
  if (history.entries.length === 0) return <Empty description={t('history.empty')} />;
  return (
    <Timeline
      data-testid="enterprise-history"
      items={history.entries.map((entry) => ({
        key: entry.seq,
        content: (
          <>
            <Typography.Text strong>{actionLabel(entry.action, t)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {actorLabel(entry.userName, t)} · {formatInstant(entry.at)}
            </Typography.Text>
            <EnterpriseChangeList before={entry.before} after={entry.after} />
          </>
        ),
      }))}
    />
  );
}
