import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { MonitoringScheduleRow, MonitoringVisit, MonitoringVisitInput } from '../../../shared/api/index.ts';
import { MonitoringDueTag, frequencyText } from './MonitoringSchedule.tsx';
import { caseCategories, type CaseCategory } from '../../../shared/domain/rectification.ts';
import { can } from '../../../shared/domain/roles.ts';
import { describeError } from '../i18n/index.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { CaseForm, type CasePrefill } from './CaseForm.tsx';

const DAY = 'YYYY-MM-DD';
const NOTES = ['production', 'finance', 'energyEnvironment', 'greenInnovation'] as const;

interface Values {
  dueOn: Dayjs;
  visitedOn?: Dayjs | null;
  production?: string;
  finance?: string;
  energyEnvironment?: string;
  greenInnovation?: string;
  findingCategory?: CaseCategory | null;
  finding?: string;
}

const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? null : value.trim());

/**
 * 贷后监测 on the enterprise's 整改 tab: the visits seed 000 (做实风险防控) asks for — production, finances,
 * energy saving and environment, green innovation — and a finding worth a case opens the case form
 * filled from the visit (category, source 银行走访, found day, description), linked back to it.
 */
export function MonitoringPanel({ enterprise }: { enterprise: { id: string; name: string } }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [rows, setRows] = useState<MonitoringVisit[] | null>(null);
  const [schedule, setSchedule] = useState<MonitoringScheduleRow | null>(null);
  const [recording, setRecording] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<CasePrefill | undefined>(undefined);
  const [form] = Form.useForm<Values>();
  const label = (key: string) => t(`rectification.monitoring.${key}`);
  const canWrite = user !== null && can(user.role, 'case.write');

  const load = useCallback(async () => {
    const result = await call('monitoring.list', { enterpriseId: enterprise.id });
    setRows(result.ok ? result.value.rows : []);
    setSchedule(result.ok ? result.value.schedule : null);
  }, [call, enterprise.id]);
  useEffect(() => {
    void load();
  }, [load]);

  const openForm = () => {
    form.resetFields();
    const today = dayjs();
    form.setFieldsValue({ dueOn: today, visitedOn: today, findingCategory: null });
    setError(null);
    setRecording(true);
  };

  const save = async (values: Values) => {
    const visit: MonitoringVisitInput = {
      enterpriseId: enterprise.id,
      dueOn: values.dueOn.format(DAY),
      visitedOn: values.visitedOn?.format(DAY) ?? null,
      production: text(values.production),
      finance: text(values.finance),
      energyEnvironment: text(values.energyEnvironment),
      greenInnovation: text(values.greenInnovation),
      findingCategory: values.findingCategory ?? null,
      finding: text(values.finding),
    };
    if ((visit.findingCategory === null) !== (visit.finding === null)) {
      setError(label('findingNeedsCategory'));
      return;
    }
    if (visit.finding !== null && visit.visitedOn === null) {
      setError(label('findingNeedsVisit'));
      return;
    }
    setSaving(true);
    const result = await call('monitoring.record', { visit });
    setSaving(false);
    if (!result.ok) {
      setError(describeError(result.error));
      return;
    }
    void message.success(label('saved'));
    setRecording(false);
    await load();
  };

  return (
    <Card
      size="small"
      title={label('title')}
      data-testid="monitoring-panel"
      extra={
        canWrite && (
          <Button size="small" onClick={openForm} data-testid="monitoring-record">
            {label('record')}
          </Button>
        )
      }
    >
      {schedule !== null && (
        <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }} data-testid="monitoring-schedule">
          <Typography.Text strong>{t('rectification.schedule.nextVisit', { date: schedule.nextDueOn })}</Typography.Text>
          <MonitoringDueTag row={schedule} />
          <Typography.Text type="secondary">
            {frequencyText(t, schedule)} · {schedule.lastVisitedOn === null ? t('rectification.schedule.neverSince', { date: schedule.firstDisbursedOn }) : t('rectification.schedule.lastVisit', { date: schedule.lastVisitedOn })}
          </Typography.Text>
        </div>
      )}
      <Table<MonitoringVisit>
        size="small"
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: label('empty') }}
        data-testid="monitoring-visits"
        columns={[
          { title: label('dueOn'), dataIndex: 'dueOn', width: 110 },
          {
            title: label('visitedOn'),
            dataIndex: 'visitedOn',
            width: 120,
            render: (value: string | null, row) => value ?? (row.overdue ? <Tag color="red">{label('overdue')}</Tag> : label('notYet')),
          },
          { title: label('officer'), dataIndex: 'officerName', width: 100 },
          {
            title: label('finding'),
            dataIndex: 'finding',
            render: (value: string | null, row) =>
              value === null ? (
                <Typography.Text type="secondary">{label('noFinding')}</Typography.Text>
              ) : (
                <span>
                  {row.findingCategory !== null && <Tag>{t(`rectification.categories.${row.findingCategory}`)}</Tag>}
                  {value}
                </span>
              ),
          },
          {
            title: label('case'),
            width: 190,
            render: (_: unknown, row) => {
              if (row.caseId !== null) {
                return (
                  <Button type="link" size="small" onClick={() => void navigate(`/rectification/${row.caseId}`)} data-testid="monitoring-case-link">
                    {row.caseNumber}
                  </Button>
                );
              }
              if (row.finding === null || row.findingCategory === null || !canWrite) return null;
              return (
                <Button
                  size="small"
                  data-testid="monitoring-open-case"
                  onClick={() => setPrefill({ category: row.findingCategory ?? undefined, source: 'bank_visit', foundOn: row.visitedOn ?? undefined, description: row.finding ?? undefined, monitoringVisitId: row.id })}
                >
                  {label('openCase')}
                </Button>
              );
            },
          },
        ]}
      />
      <Modal
        open={recording}
        title={`${label('record')} · ${enterprise.name}`}
        okText={label('save')}
        cancelText={label('cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setRecording(false)}
        width={720}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'monitoring-save' } as never}
      >
        <Form<Values> form={form} layout="vertical" onFinish={(values) => void save(values)} data-testid="monitoring-form">
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
            <Form.Item name="dueOn" label={label('dueOn')} rules={[{ required: true, message: label('dueOnRequired') }]}>
              <DatePicker format={DAY} style={{ width: '100%' }} data-testid="monitoring-due-on" />
            </Form.Item>
            <Form.Item name="visitedOn" label={label('visitedOn')}>
              <DatePicker format={DAY} style={{ width: '100%' }} data-testid="monitoring-visited-on" />
            </Form.Item>
          </div>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
            {NOTES.map((key) => (
              <Form.Item key={key} name={key} label={label(`notes.${key}`)}>
                <Input.TextArea rows={2} maxLength={2000} data-testid={`monitoring-${key}`} />
              </Form.Item>
            ))}
          </div>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 2fr', gap: '0 16px' }}>
            <Form.Item name="findingCategory" label={label('findingCategory')}>
              <Select
                allowClear
                data-testid="monitoring-finding-category"
                placeholder={label('noFinding')}
                options={caseCategories.map((value) => ({ value, label: t(`rectification.categories.${value}`) }))}
              />
            </Form.Item>
            <Form.Item name="finding" label={label('finding')}>
              <Input.TextArea rows={2} maxLength={2000} data-testid="monitoring-finding" />
            </Form.Item>
          </div>
          {error !== null && (
            <div role="alert" style={{ color: '#cf1322' }} data-testid="monitoring-form-error">
              {error}
            </div>
          )}
        </Form>
      </Modal>
      <CaseForm open={prefill !== undefined} enterprise={enterprise} prefill={prefill} onClose={() => setPrefill(undefined)} onSaved={(detail) => void navigate(`/rectification/${detail.id}`)} />
    </Card>
  );
}
