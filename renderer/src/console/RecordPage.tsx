import { useState } from 'react';
import { Alert, Button, Card, Collapse, Descriptions, Form, Input, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { addRatingRequestSchema, type ConsoleRecord, type ConsoleRecordChange, type ConsoleRecordRating } from '../../../shared/api/console.ts';
import { environmentalRatings } from '../../../shared/domain/environmentalRating.ts';
import { headOfficeMay } from '../../../shared/domain/headOfficeRoles.ts';
import { formatInstant, formatYuan } from '../format.ts';
import { consoleCall } from './api.ts';
import { describeConsoleError } from './errors.ts';
import type { T } from './forms.ts';
import { LoadError } from './LoadError.tsx';
import { useConsole } from './session.ts';
import { useConsoleQuery } from './useConsoleQuery.ts';

/**
 * 记录与历史: a synced record as head office holds it — the register's own columns, every field —
 * and its history across the branch's devices. An enterprise file's page lists its rating records,
 * and a 总行审批人 records the bureau's rating there (written through the hub's apply path).
 * Reached from the registers at consoleRecordPath (shared/api/console.ts).
 */

/** Characters of a field's value shown in a cell; the whole value is in its tooltip. */
const VALUE_CHARS = 160;

/** A synced value in words: amounts (`…_fen`, integer 分) in 元 as the laptop writes them, the rest as stored. */
function valueText(field: string, value: unknown, t: T): string {
  if (value === null || value === undefined) return '—';
  if (field.endsWith('_fen') && typeof value === 'number' && Number.isSafeInteger(value)) return t('records.yuan', { amount: formatYuan(value) });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Value({ field, value }: { field: string; value: unknown }) {
  const { t } = useTranslation();
  const text = valueText(field, value, t);
  return text.length > VALUE_CHARS ? <span title={text}>{`${text.slice(0, VALUE_CHARS)}…`}</span> : <>{text}</>;
}

/** A field by its name, the stored key beside it where they differ (what a sync log or an export names it). */
function FieldName({ field }: { field: string }) {
  const { t } = useTranslation();
  const named = t(`records.fieldNames.${field}`, { defaultValue: field });
  // An amount is shown in 元 (valueText), so its name drops the laptop's unit of storage.
  const name = field.endsWith('_fen') ? named.replace(/\s*(（分）|\(fen\))$/u, '') : named;
  return name === field ? <>{field}</> : <span title={field}>{name}</span>;
}

const ratingColour = (level: string) => environmentalRatings.find((rating) => rating.level === level)?.colour;

function RatingsPanel({ record, onSaved }: { record: ConsoleRecord; onSaved: (next: ConsoleRecord, saved: string) => void }) {
  const { t } = useTranslation();
  const role = useConsole((s) => s.user?.role);
  const [form] = Form.useForm<{ level: string; bureau: string; ratedOn: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const levels = t('records.rating.levels', { returnObjects: true }) as unknown as Record<string, string>;
  const levelText = (level: string) => levels[level] ?? level;

  const submit = async (values: { level: string; bureau: string; ratedOn: string }) => {
    setError(null);
    const input = addRatingRequestSchema.safeParse({ level: values.level, bureau: values.bureau ?? '', ratedOn: values.ratedOn ?? '' });
    if (!input.success) {
      const wrong = new Set(input.error.issues.map((issue) => String(issue.path[0])));
      form.setFields([
        { name: 'bureau', errors: wrong.has('bureau') ? [t('records.rating.invalidBureau')] : [] },
        { name: 'ratedOn', errors: wrong.has('ratedOn') ? [t('records.rating.invalidRatedOn')] : [] },
      ]);
      return;
    }
    setBusy(true);
    const result = await consoleCall('records.addRating', input.data, { branchId: record.branchId, rowId: record.rowId });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.code === 'CONFLICT' ? t('records.rating.refused', { reason: result.error.message }) : describeConsoleError(result.error));
      return;
    }
    form.resetFields();
    onSaved(result.value, t('records.rating.saved', { level: levelText(input.data.level), bureau: input.data.bureau, ratedOn: input.data.ratedOn }));
  };

  return (
    <Card title={<span role="heading" aria-level={3}>{t('records.rating.title')}</span>}>
      <Table<ConsoleRecordRating>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={record.ratings ?? []}
        locale={{ emptyText: t('records.rating.none') }}
        data-testid="ratings"
        columns={[
          { key: 'level', title: t('records.rating.level'), render: (_, rating) => <Tag color={ratingColour(rating.level)}>{levelText(rating.level)}</Tag> },
          { key: 'bureau', title: t('records.rating.bureau'), dataIndex: 'bureau' },
          { key: 'ratedOn', title: t('records.rating.ratedOn'), dataIndex: 'ratedOn' },
          { key: 'by', title: t('records.rating.by'), dataIndex: 'by' },
        ]}
      />
      {role !== undefined && headOfficeMay(role, 'records.edit') && !record.deleted && (
        <div style={{ marginTop: 24 }} data-testid="rating-form">
          <Typography.Title level={4} style={{ fontSize: 16 }}>
            {t('records.rating.add')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('records.rating.addHint')}</Typography.Paragraph>
          {error !== null && (
            <div role="alert" style={{ marginBottom: 16 }}>
              <Alert type="error" showIcon message={error} />
            </div>
          )}
          <Form form={form} layout="horizontal" labelCol={{ flex: '8em' }} wrapperCol={{ flex: '320px' }} initialValues={{ level: environmentalRatings[0]!.level }} onFinish={(values) => void submit(values)}>
            <Form.Item name="level" label={t('records.rating.level')}>
              <Select options={environmentalRatings.map((rating) => ({ value: rating.level, label: levelText(rating.level) }))} />
            </Form.Item>
            <Form.Item name="bureau" label={t('records.rating.bureau')}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="ratedOn" label={t('records.rating.ratedOn')}>
              <Input type="date" />
            </Form.Item>
            <Form.Item label=" " colon={false}>
              <Button type="primary" htmlType="submit" loading={busy}>
                {t('records.rating.submit')}
              </Button>
            </Form.Item>
          </Form>
        </div>
      )}
    </Card>
  );
}

export function RecordPage() {
  const { t } = useTranslation();
  const { table = '', branchId = '', rowId = '' } = useParams();
  const key = `${table}/${branchId}/${rowId}`;
  const { value, error, loading, reload } = useConsoleQuery('records.get', {}, { table, branchId, rowId });
  const [saved, setSaved] = useState<{ key: string; record: ConsoleRecord; message: string } | null>(null);
  const record = saved?.key === key ? saved.record : value;

  if (error?.code === 'NOT_FOUND') return <Result status="404" title={t('records.notFound')} />;
  if (record === undefined) return <Card loading={loading}>{error !== undefined && <LoadError error={error} retry={reload} />}</Card>;

  const outcome = (change: ConsoleRecordChange) => (
    <>
      <div>{t(`records.statuses.${change.status}`, { defaultValue: change.status })}</div>
      {change.reason !== null && <Typography.Text type="secondary">{change.reason}</Typography.Text>}
    </>
  );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {saved?.key === key && (
        <div role="status">
          <Alert type="success" showIcon message={saved.message} />
        </div>
      )}
      <Card>
        <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
          {t('records.heading', { title: record.title, branch: record.branchName })} {record.deleted && <Tag color="red">{t('records.deleted')}</Tag>}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('records.version', { version: record.version, at: formatInstant(record.updatedAt) })}</Typography.Paragraph>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} title={t('records.fields')} data-testid="record-summary">
          {record.summary.map((item, index) => (
            <Descriptions.Item key={`${index}:${item.label}`} label={item.label}>
              {item.value}
            </Descriptions.Item>
          ))}
        </Descriptions>
        <Collapse
          style={{ marginTop: 16 }}
          items={[
            {
              key: 'fields',
              label: t('records.allFields'),
              children: (
                <Table
                  rowKey="field"
                  size="small"
                  pagination={false}
                  dataSource={record.fields}
                  data-testid="record-fields"
                  columns={[
                    { key: 'field', title: t('records.field'), width: 240, render: (_, item) => <FieldName field={item.field} /> },
                    { key: 'value', title: t('records.value'), render: (_, item) => <Value field={item.field} value={item.value} /> },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
      {record.ratings !== null && <RatingsPanel record={record} onSaved={(next, message) => setSaved({ key, record: next, message })} />}
      <Card title={<span role="heading" aria-level={3}>{t('records.history')}</span>}>
        <Typography.Paragraph type="secondary">{t('records.historyHint')}</Typography.Paragraph>
        {record.history.length >= record.historyLimit && <Alert type="info" showIcon message={t('records.historyCapped', { n: record.historyLimit })} style={{ marginBottom: 12 }} />}
        <Table<ConsoleRecordChange>
          rowKey={(change, index) => `${change.receivedAt}/${index ?? 0}`}
          size="small"
          pagination={false}
          dataSource={record.history}
          locale={{ emptyText: t('records.noHistory') }}
          scroll={{ x: 'max-content' }}
          data-testid="history"
          columns={[
            { key: 'received', title: t('records.received'), render: (_, change) => formatInstant(change.receivedAt) },
            { key: 'madeAt', title: t('records.madeAt'), render: (_, change) => formatInstant(change.at) },
            { key: 'device', title: t('records.device'), render: (_, change) => (change.actor === 'device' ? (change.deviceName ?? '—') : t(`records.actors.${change.actor}`, { defaultValue: change.actor })) },
            { key: 'person', title: t('records.person'), dataIndex: 'person' },
            { key: 'op', title: t('records.op'), render: (_, change) => t(`records.ops.${change.op}`, { defaultValue: change.op }) },
            {
              key: 'changed',
              title: t('records.changed'),
              render: (_, change) => (
                <div style={{ maxWidth: 520, wordBreak: 'break-all' }}>
                  {change.fields.map((item) => (
                    <div key={item.field}>
                      <Typography.Text type="secondary">
                        <FieldName field={item.field} />
                      </Typography.Text>
                      ：<Value field={item.field} value={item.value} />
                    </div>
                  ))}
                </div>
              ),
            },
            { key: 'outcome', title: t('records.outcome'), render: (_, change) => outcome(change) },
          ]}
        />
      </Card>
    </Space>
  );
}
