import { useEffect, useState } from 'react';
import { Drawer, Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { ChangeList, actionLabel, actorLabel, type HistoryFieldLabel, type HistoryValueFormat } from './ChangeList.tsx';

/** Audit entries as a timeline: who changed what, when, before → after (values through `format`). */
export function RecordTimeline({ entries, format, label }: { entries: AuditEntry[]; format?: HistoryValueFormat; label?: HistoryFieldLabel }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Empty description={t('history.empty')} />;
  return (
    <Timeline
      items={entries.map((entry) => ({
        key: entry.seq,
        content: (
          <>
            <Typography.Text strong>{actionLabel(entry.action, t)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {actorLabel(entry.userName, t)} · {formatInstant(entry.at)}
            </Typography.Text>
            <ChangeList entry={entry} format={format} label={label} />
          </>
        ),
      }))}
    />
  );
}

/** A record's history from the audit trail: who changed what, when, before → after. */
export function RecordHistory({ recordType, recordId, title, onClose }: { recordType: string; recordId: string | null; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (recordId === null) return;
    setEntries(null);
    void call('records.history', { recordType, recordId }).then((result) => {
      if (result.ok) setEntries(result.value);
      else setError(describeError(result.error));
    });
  }, [call, recordType, recordId]);

  return (
    <Drawer open={recordId !== null} onClose={onClose} title={`${t('history.title')} · ${title}`} size={560} data-testid="record-history">
      {error !== null && <Typography.Text type="danger">{error}</Typography.Text>}
      {entries !== null && <RecordTimeline entries={entries} />}
    </Drawer>
  );
}
