import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Modal, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseExposure } from '../../../shared/api/index.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import type { PlanStepStanding } from '../../../shared/domain/exposure.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { recordCard, useHostValue } from '../components/RecordPage.tsx';
import { EChart, type ChartOption } from '../components/EChart.tsx';
import { ExposurePlanFields, planHasTwinDays, planOf, planRowsOf, type PlanRow } from './ExposurePlanFields.tsx';

const wan = (fen: number) => Number(formatWanYuan(fen).replace(/,/g, ''));
const standingColour: Record<PlanStepStanding, string> = { ahead: 'green', on_target: 'green', behind: 'red', not_due: 'default', no_data: 'default' };

/** The chart's two lines: the plan's targets by day, and the actual balance as steps carried to today. */
function chartOption(exposure: CaseExposure, words: { planned: string; actual: string; unit: string }): ChartOption {
  const actual = exposure.actual.map((point) => [point.date, wan(point.balanceFen)] as [string, number]);
  const last = exposure.actual.at(-1);
  // The balance holds until the next snapshot: drawn on to today so the line does not stop short.
  if (last !== undefined && last.date < exposure.today) actual.push([exposure.today, wan(last.balanceFen)]);
  return {
    grid: { left: 64, right: 24, top: 36, bottom: 32 },
    legend: { data: [words.planned, words.actual], top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => `${String(value)} ${words.unit}` },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: words.unit, min: 0 },
    series: [
      { name: words.planned, type: 'line', data: exposure.plan.map((step) => [step.date, wan(step.targetFen)]), lineStyle: { type: 'dashed' }, symbolSize: 8, color: '#d46b08' },
      { name: words.actual, type: 'line', step: 'end', data: actual, symbolSize: 6, color: '#1f7a4d' },
    ],
  };
}

/** Corrects the plan through cases.update (the case's other facts as they are). */
function PlanDialog({ detail, open, onClose, onSaved }: { detail: CaseDetail; open: boolean; onClose: () => void; onSaved: (detail: CaseDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<{ exposurePlan: PlanRow[] }>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({ exposurePlan: planRowsOf(detail.exposurePlan) });
    setError(null);
  }, [open, form, detail.exposurePlan]);
  const save = async (values: { exposurePlan: PlanRow[] }) => {
    const plan = planOf(values.exposurePlan);
    if (planHasTwinDays(plan)) return setError(t('caseExposure.plan.twinDays'));
    setSaving(true);
    const facts = {
      enterpriseId: detail.enterpriseId,
      category: detail.category,
      source: detail.source,
      sourceReference: detail.sourceReference,
      sourceAuthority: detail.sourceAuthority,
      sourceDate: detail.sourceDate,
      foundOn: detail.foundOn,
      description: detail.description,
      requiredActions: detail.requiredActions,
      deadline: detail.deadline,
      measure: detail.measure,
      exposurePlan: plan,
      officerId: detail.officerId,
      monitoringVisitId: detail.monitoringVisitId,
    };
    const result = await call('cases.update', { id: detail.id, version: detail.version, facts });
    setSaving(false);
    if (result.ok) onSaved(result.value);
    else setError(describeError(result.error));
  };
  return (
    <Modal open={open} title={t('caseExposure.plan.title')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'exposure-plan-save' } as never}>
      <Form form={form} onFinish={(values) => void save(values)} data-testid="exposure-plan-form">
        <Typography.Paragraph type="secondary">{t('caseExposure.plan.help')}</Typography.Paragraph>
        <ExposurePlanFields />
        {error !== null && <Alert type="error" showIcon title={error} data-testid="exposure-plan-error" />}
      </Form>
    </Modal>
  );
}

/**
 * 压缩退出 on the case page: the enterprise's balance over time (from its loans' snapshots) against the
 * plan, as a chart, and each plan day's figures beside it — target, actual, the gap, ahead or behind.
 */
export function ExposurePanel({ detail, canEdit, onSaved }: { detail: CaseDetail; canEdit: boolean; onSaved: (detail: CaseDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { value: exposure, error: readError } = useHostValue('cases.exposure', { id: detail.id }, detail.version);
  const error = readError === null ? null : describeError(readError);
  const [editing, setEditing] = useState(false);
  const label = (key: string, params?: Record<string, unknown>) => t(`caseExposure.${key}`, params);
  const words = { planned: label('planned'), actual: label('actual'), unit: label('unit') };
  const option = useMemo(() => (exposure === null ? null : chartOption(exposure, words)), [exposure, words.planned, words.actual, words.unit]);
  const editable = canEdit && detail.status !== 'submitted' && detail.status !== 'closed';

  return (
    <div style={{ ...recordCard, padding: 20 }} data-testid="case-exposure">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {label('title')}
        </Typography.Title>
        {editable && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="exposure-plan-edit">
            {label('plan.edit')}
          </Button>
        )}
      </div>
      {error !== null && <Alert type="error" showIcon title={error} />}
      {exposure !== null && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="exposure-basis">
            {exposure.loans === 0 ? label('noLoans') : label('basis', { loans: exposure.loans })}
          </Typography.Paragraph>
          {exposure.plan.length === 0 && <Alert type="info" showIcon title={label('noPlan')} style={{ marginBottom: 12 }} data-testid="exposure-no-plan" />}
          <div style={{ display: 'grid', gridTemplateColumns: 'minmax(320px, 1.2fr) minmax(360px, 1fr)', gap: 16, alignItems: 'start' }}>
            {option !== null && <EChart option={option} label={label('chartLabel')} testId="exposure-chart" />}
            <div>
            <Table
              size="small"
              pagination={false}
              rowKey="date"
              dataSource={exposure.comparison}
              locale={{ emptyText: label('noPlan') }}
              data-testid="exposure-figures"
              onRow={(row) => ({ 'data-testid': `exposure-step-${row.date}` }) as never}
              columns={[
                { title: label('columns.date'), dataIndex: 'date', render: (date: string) => <span style={{ whiteSpace: 'nowrap' }}>{date}</span> },
                { title: label('columns.target'), dataIndex: 'targetFen', align: 'right', render: (fen: number) => formatWanYuan(fen) },
                {
                  title: label('columns.actual'),
                  key: 'actual',
                  align: 'right',
                  render: (_, row) =>
                    row.actualFen === null ? (
                      '—'
                    ) : (
                      <span title={label('asOf', { date: row.actualAsOf })}>
                        {formatWanYuan(row.actualFen)}
                        {row.actualAsOf !== row.date && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{` (${label('asOf', { date: row.actualAsOf })})`}</Typography.Text>}
                      </span>
                    ),
                },
                { title: label('columns.gap'), dataIndex: 'gapFen', align: 'right', render: (fen: number | null) => (fen === null ? '—' : `${fen > 0 ? '+' : ''}${formatWanYuan(fen)}`) },
                { title: label('columns.standing'), dataIndex: 'standing', render: (standing: PlanStepStanding) => <Tag color={standingColour[standing]}>{label(`standings.${standing}`)}</Tag> },
              ]}
            />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {label('figuresUnit')}
              </Typography.Text>
            </div>
          </div>
        </>
      )}
      <PlanDialog
        detail={detail}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          void message.success(label('plan.saved'));
          setEditing(false);
          onSaved(saved);
        }}
      />
    </div>
  );
}
