import { useCallback, useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { Button, Result, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { HostError, MethodInput, MethodName, MethodOutput } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import { useAppStore } from '../stores/app.ts';

/** A record's `*.get` method: one id in, the record's detail out. */
type RecordGetMethod = { [M in MethodName]: M extends `${string}.get` ? M : never }[MethodName];

/**
 * One record read by id for its page (enterprise file, application, loan): the detail, or the
 * error that kept it away, read again on `reload` (an attachment added) and from scratch when the
 * id changes, so the page never shows the last record under the new one's address.
 */
export function useRecord<M extends RecordGetMethod>(method: M, id: string) {
  const call = useAppStore((s) => s.call);
  const [detail, setDetail] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<HostError | null>(null);
  const reload = useCallback(async () => {
    const result = await call(method, { id } as never);
    if (result.ok) {
      setDetail(result.value as MethodOutput<M>);
      setError(null);
    } else setError(result.error);
  }, [call, method, id]);
  useEffect(() => {
    setDetail(null);
    void reload();
  }, [reload]);
  return { detail, setDetail, error, reload };
}

/**
 * A page's one host read (工作台, 经营看板, a drill-down list page): the answer, or the error that kept
 * it away, read again whenever the input changes (compared by value, so an inline object is fine).
 * `null` input reads nothing (the page has no valid address yet). The last answer stays on screen
 * until the next arrives, and an answer that comes after the page left or moved on is dropped.
 * `readAgainOn` reads again when it changes with the input the same (a record's version after a save).
 */
export function useHostValue<M extends MethodName>(method: M, input: MethodInput<M> | null, readAgainOn?: string | number) {
  const call = useAppStore((s) => s.call);
  const [value, setValue] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<HostError | null>(null);
  const key = JSON.stringify(input);
  useEffect(() => {
    const parsed = JSON.parse(key) as MethodInput<M> | null;
    if (parsed === null) return;
    let live = true;
    void call(method, parsed).then((result) => {
      if (!live) return;
      if (result.ok) {
        setValue(result.value);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [call, method, key, readAgainOn]);
  return { value, error };
}

/** The white card a record page is built of (header, tabs, panels). */
export const recordCard: CSSProperties = { background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8 };

/**
 * The head of a record's page: its name with its tags, a line of what identifies it, and on the
 * right the actions with who changed it last. `below` is for what follows the line (flags).
 */
export function RecordHeader({ title, line, actions, byLine, below }: { title: ReactNode; line: ReactNode; actions: ReactNode; byLine: ReactNode; below?: ReactNode }) {
  return (
    <div style={{ ...recordCard, padding: '16px 20px', display: 'flex', justifyContent: 'space-between', gap: 16, alignItems: 'flex-start' }}>
      <div style={{ minWidth: 0 }}>
        <Space size="middle" wrap align="center">
          {title}
        </Space>
        <div style={{ marginTop: 8, display: 'flex', flexWrap: 'wrap', gap: '4px 20px', alignItems: 'baseline' }}>{line}</div>
        {below}
      </div>
      <Space orientation="vertical" align="end" size={4} style={{ flexShrink: 0 }}>
        <Space size="small">{actions}</Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {byLine}
        </Typography.Text>
      </Space>
    </div>
  );
}

/** 「返回…」 above a record's page, back to its register. */
export function BackLink({ label, onBack, testId }: { label: string; onBack: () => void; testId: string }) {
  return (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={onBack} style={{ paddingInline: 0 }} data-testid={testId}>
      {label}
    </Button>
  );
}

/**
 * What a record's page shows before it has the record (enterprise file, loan …): the reason it
 * could not be read (a 404 says the record is gone), or a skeleton while it loads; null once it is there.
 */
export function RecordPageFallback({ error, loading, back, notFoundTitle }: { error: HostError | null; loading: boolean; back: ReactNode; notFoundTitle: string }) {
  const { t } = useTranslation();
  if (error !== null) {
    return (
      <Result
        status={error.code === 'NOT_FOUND' ? '404' : 'error'}
        title={error.code === 'NOT_FOUND' ? notFoundTitle : t('errors.title')}
        subTitle={describeError(error)}
        extra={back}
      />
    );
  }
  if (!loading) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {back}
      <Skeleton active paragraph={{ rows: 6 }} />
    </Space>
  );
}
