import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AuditEntry } from '../../../shared/api/index.ts';
import { SYNC_ACTOR_NAME } from '../../../shared/sync/protocol.ts';

export function actionLabel(action: string, t: TFunction): string {
  return t(`audit.actions.${action}`, { defaultValue: action });
}

/** Who made a change: a person's name as recorded, the sync and the system in the UI language. */
export function actorLabel(userName: string | null, t: TFunction): string {
  if (userName === null) return t('audit.system');
  return userName === SYNC_ACTOR_NAME ? t('audit.syncActor') : userName;
}

const show = (value: unknown): string => (value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * An audited value in a register's words (分 as 元, a code as its label); undefined: shown as
 * recorded. A field it answers null for is left out (a derived column, a link to the record itself).
 */
export type HistoryValueFormat = (field: string, value: unknown) => string | null | undefined;

/** before → after per changed field, as recorded in the audit trail. */
/** A field's name in a register's own words where the shared `fields` names differ by record (amount_fen). */
export type HistoryFieldLabel = (field: string) => string | undefined;

export function ChangeList({ entry, format, label }: { entry: AuditEntry; format?: HistoryValueFormat; label?: HistoryFieldLabel }) {
  const { t } = useTranslation();
  const fields = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])].filter(
    (field) => format === undefined || format(field, entry.after?.[field] ?? entry.before?.[field]) !== null,
  );
  const text = (field: string, value: unknown) => format?.(field, value) ?? show(value);
  if (fields.length === 0) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {fields.map((field) => (
        <li key={field}>
          <Typography.Text type="secondary">{label?.(field) ?? t(`fields.${field}`, { defaultValue: field })}：</Typography.Text>
          {entry.before !== null && (
            <>
              <Typography.Text delete type="secondary">{text(field, entry.before[field])}</Typography.Text> →{' '}
            </>
          )}
          <Typography.Text>{text(field, entry.after?.[field])}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
