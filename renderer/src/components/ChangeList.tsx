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

/** before → after per changed field, as recorded in the audit trail. */
export function ChangeList({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const fields = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  if (fields.length === 0) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {fields.map((field) => (
        <li key={field}>
          <Typography.Text type="secondary">{t(`fields.${field}`, { defaultValue: field })}：</Typography.Text>
          {entry.before !== null && (
            <>
              <Typography.Text delete type="secondary">{show(entry.before[field])}</Typography.Text> →{' '}
            </>
          )}
          <Typography.Text>{show(entry.after?.[field])}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
