import { memo, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Form, InputNumber, Modal, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { MonitoringScheduleCounts, MonitoringScheduleFilter, MonitoringScheduleRow, MonitoringScheduleSort, Result } from '../../../shared/api/index.ts';
import { monitoringBands, type MonitoringScheduleSettings, type MonitoringStatus } from '../../../shared/domain/monitoringSchedule.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import { compactFilter } from '../register/filters.ts';
import { ALL_STATUSES, CountyFilter, RegisterStatusCounts } from '../register/StatusCounts.tsx';
import { createRegisterListState } from '../register/listState.ts';
import type { RegisterColumn } from '../register/RegisterTable.tsx';
import type { PageAnswer, PageRequest } from '../register/pages.ts';

type Call = ReturnType<typeof useAppStore.getState>['call'];
const STATUS_COLOURS: Record<MonitoringStatus, string> = { overdue: 'red', due: 'orange', scheduled: 'default' };

/** Most overdue first: what an officer has to do comes first. */
export const useScheduleListState = createRegisterListState<MonitoringScheduleFilter, MonitoringScheduleSort>({ field: 'nextDueOn', order: 'asc' });

/** 已逾期 / 即将到期 / 按计划 with the day of the next visit. */
export function MonitoringDueTag({ row }: { row: Pick<MonitoringScheduleRow, 'status' | 'nextDueOn'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[row.status]} data-testid="monitoring-due-status" data-status={row.status}>
      {t(`rectification.schedule.statuses.${row.status}`)}
    </Tag>
  );
}

/** 每 3 个月 · 关注类: the interval and the rule that set it. */
export function frequencyText(t: (key: string, values?: Record<string, unknown>) => string, row: Pick<MonitoringScheduleRow, 'intervalMonths' | 'band'>): string {
  return `${t('rectification.schedule.every', { count: row.intervalMonths })} · ${t(`rectification.schedule.bands.${row.band}`)}`;
}

const columns: readonly RegisterColumn<MonitoringScheduleRow, MonitoringScheduleSort['field']>[] = [
  { key: 'enterprise', title: 'rectification.schedule.columns.enterprise', width: 'minmax(180px, 2fr)', cell: (row) => <span className="gl-main" title={row.enterpriseName}>{row.enterpriseName}</span> },
  { key: 'county', title: 'rectification.schedule.columns.county', width: '90px', cell: (row) => <span className="gl-main gl-mono">{row.divisionCode}</span> },
  { key: 'frequency', title: 'rectification.schedule.columns.frequency', width: '190px', cell: (row, { t }) => <span className="gl-main">{frequencyText(t, row)}</span> },
  { key: 'lastVisit', title: 'rectification.schedule.columns.lastVisit', width: '110px', cell: (row, { t }) => <span className="gl-main">{row.lastVisitedOn ?? t('rectification.schedule.never')}</span> },
  { key: 'nextDue', title: 'rectification.schedule.columns.nextDue', width: '110px', sort: 'nextDueOn', cell: (row) => <span className="gl-main" data-testid="monitoring-next-due">{row.nextDueOn}</span> },
  { key: 'status', title: 'rectification.schedule.columns.status', width: '130px', cell: (row) => <MonitoringDueTag row={row} /> },
];

async function loadPage(call: Call, request: PageRequest<MonitoringScheduleFilter, MonitoringScheduleSort>): Promise<Result<PageAnswer<MonitoringScheduleRow>>> {
  const result = await call('monitoring.schedule', request);
  return result.ok ? { ok: true, value: { rows: result.value.rows, total: result.value.total, totalCapped: result.value.totalCapped } } : result;
}

/** The counts per status for the list's own filter (需走访 = overdue and due), each the choice that filters the list to it. */
function ScheduleCounts() {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const label = (value: string) => t(`rectification.schedule.filters.${value}`);
  return (
    <RegisterStatusCounts<MonitoringScheduleFilter, MonitoringScheduleSort, MonitoringScheduleCounts>
      store={useScheduleListState}
      count={(filter) => call('monitoring.scheduleCounts', { filter })}
      choices={(counts) => [
        { value: 'attention', label: label('attention'), count: counts === null ? undefined : counts.overdue + counts.due },
        { value: 'overdue', label: label('overdue'), count: counts?.overdue },
        { value: 'due', label: label('due'), count: counts?.due },
        { value: 'scheduled', label: label('scheduled'), count: counts?.scheduled },
        { value: ALL_STATUSES, label: label(ALL_STATUSES), count: counts?.total },
      ]}
      testId="schedule-status-counts"
      choiceTestId="schedule-count"
    />
  );
}

const ScheduleFilters = memo(function ScheduleFilters() {
  const { t } = useTranslation();
  const { filter, setFilter } = useScheduleListState();
  const update = (patch: Partial<MonitoringScheduleFilter>) => setFilter(compactFilter({ ...useScheduleListState.getState().filter, ...patch }));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <ScheduleCounts />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        <Select
          allowClear
          placeholder={t('rectification.schedule.filters.band')}
          value={filter.band}
          onChange={(band?: MonitoringScheduleFilter['band']) => update({ band })}
          options={monitoringBands.map((value) => ({ value, label: t(`rectification.schedule.bands.${value}`) }))}
          style={{ width: 170 }}
          aria-label={t('rectification.schedule.filters.band')}
        />
        <CountyFilter code={filter.divisionCode} onChange={(divisionCode) => update({ divisionCode })} label={t('rectification.filters.county')} />
      </div>
    </div>
  );
});

const SETTING_FIELDS = ['normalMonths', 'specialMentionMonths', 'nonPerformingMonths', 'openCaseMonths', 'redRatingMonths', 'dueSoonDays'] as const;

/** 监测频率: the branch's frequencies, changed by a credit manager or the branch head (the host checks and audits). */
function SettingsDialog({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<MonitoringScheduleSettings>();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    setError(null);
    void call('monitoring.settings', {}).then((result) => {
      if (result.ok) form.setFieldsValue(result.value.settings);
    });
  }, [open, call, form]);
  const save = async (settings: MonitoringScheduleSettings) => {
    const result = await call('monitoring.updateSettings', { settings });
    if (!result.ok) return setError(describeError(result.error));
    onSaved();
  };
  return (
    <Modal open={open} title={t('rectification.schedule.settings.title')} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden okButtonProps={{ 'data-testid': 'schedule-settings-save' } as never}>
      <Form<MonitoringScheduleSettings> form={form} layout="horizontal" labelCol={{ span: 14 }} onFinish={(values) => void save(values)} data-testid="schedule-settings-form">
        {SETTING_FIELDS.map((field) => (
          <Form.Item key={field} name={field} label={t(`rectification.schedule.settings.${field}`)} rules={[{ required: true }]}>
            <InputNumber min={field === 'dueSoonDays' ? 0 : 1} max={field === 'dueSoonDays' ? 90 : 24} precision={0} data-testid={`schedule-setting-${field}`} />
          </Form.Item>
        ))}
        <Alert type="info" showIcon title={t('rectification.schedule.settings.note')} />
        {error !== null && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      </Form>
    </Modal>
  );
}

/** 贷后监测计划: the borrowers by their next monitoring visit, 需走访 first, on the shared register list. */
export function MonitoringSchedulePage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [editing, setEditing] = useState(false);
  const canConfigure = user !== null && can(user.role, 'monitoring.configure');
  return (
    <RegisterList<MonitoringScheduleRow, MonitoringScheduleFilter, MonitoringScheduleSort>
      name="schedule"
      title={t('rectification.schedule.title')}
      store={useScheduleListState}
      load={(request) => loadPage(call, request)}
      columns={columns}
      minWidth={900}
      countText={(total) => t('rectification.schedule.count', { total })}
      filters={<ScheduleFilters />}
      toolbar={({ reload }) => (
        <>
          <Button onClick={() => void navigate('/rectification')} data-testid="schedule-to-cases">
            {t('rectification.schedule.toCases')}
          </Button>
          {canConfigure && (
            <Button onClick={() => setEditing(true)} data-testid="schedule-settings">
              {t('rectification.schedule.settings.open')}
            </Button>
          )}
          <SettingsDialog
            open={editing}
            onClose={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              void message.success(t('rectification.schedule.settings.saved'));
              reload();
            }}
          />
        </>
      )}
      onOpen={(row) => void navigate(`/enterprises/${row.enterpriseId}?tab=rectification`)}
      emptyText={t('rectification.schedule.empty')}
      noMatchText={t('rectification.schedule.noMatch')}
    />
  );
}
