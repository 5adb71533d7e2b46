import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, LinkOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { AuditEntry, CollateralDetail, LoanSummary } from '../../../shared/api/index.ts';
import { countsTowardValue, type CollateralAction, type CollateralDetails } from '../../../shared/domain/collateral.ts';
import { yuanToFen } from '../../../shared/domain/money.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { BackLink, RecordHeader, RecordPageFallback, recordCard, useRecord } from '../components/RecordPage.tsx';
import { RecordTimeline } from '../components/RecordHistory.tsx';
import { ReasonDialog } from '../components/ReasonDialog.tsx';
import { AttachmentsTab } from '../enterprises/AttachmentsTab.tsx';
import { formatInstant, formatRate, formatYuan } from '../format.ts';
import { CollateralAlertTags, CollateralStatusTag } from './CollateralTags.tsx';
import { collateralHistoryLabel, collateralHistoryValue } from './historyValues.ts';
import { CollateralForm, ValuationFields, collateralRefusal, useCollateralTerms, valuationFromFields } from './CollateralForm.tsx';

const DAY = 'YYYY-MM-DD';
type Refusal = (error: Parameters<typeof collateralRefusal>[0]) => string;

function useRefusal(): Refusal {
  const { t, i18n } = useTranslation();
  return (error) => collateralRefusal(error, t, i18n);
}

/** What is pledged, in the type's own words and units. */
function DetailsText({ details }: { details: CollateralDetails }) {
  const { t } = useTranslation();
  const quantity = (value: string, unit: string) => t('collateral.detail.quantity', { quantity: value, unit: t(`collateral.units.${unit}`) });
  switch (details.type) {
    case 'emission_right':
      return <span data-testid="collateral-details">{`${t(`collateral.pollutants.${details.pollutant}`)} · ${quantity(details.quantity, details.unit)}`}</span>;
    case 'carbon_allowance':
      return <span data-testid="collateral-details">{`${t(`collateral.carbonKinds.${details.kind}`)} · ${t('collateral.form.complianceYear')} ${details.complianceYear} · ${quantity(details.quantity, details.unit)}`}</span>;
    case 'water_right':
    case 'energy_use_right':
      return <span data-testid="collateral-details">{quantity(details.quantity, details.unit)}</span>;
    case 'energy_saving_income':
    case 'emc_income':
      return <span data-testid="collateral-details">{`${details.contract} · ${details.counterparty}`}</span>;
    case 'franchise':
      return <span data-testid="collateral-details">{`${details.project} · ${details.grantor}`}</span>;
    case 'green_ip':
      return (
        <span data-testid="collateral-details">
          {details.patents.map((patent) => (
            <div key={patent.number}>
              <span className="gl-mono">{patent.number}</span> {patent.title}
            </div>
          ))}
        </span>
      );
  }
}

/** 登记: the registry, 登记证明编号 and its dates, entered once the item is approved. */
function RegisterDialog({ detail, open, onClose, onDone }: { detail: CollateralDetail; open: boolean; onClose: () => void; onDone: (detail: CollateralDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const refusal = useRefusal();
  const [form] = Form.useForm<{ registry: string; registrationNumber: string; registeredOn: Dayjs; expiresOn: Dayjs }>();
  const [error, setError] = useState<string | null>(null);
  const label = (key: string) => t(`collateral.detail.${key}`);
  const required = (key: string) => ({ required: true, message: t('collateral.form.required', { field: label(key) }) });
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ registry: detail.type === 'emission_right' ? '' : '动产融资统一登记公示系统', registeredOn: dayjs() });
    setError(null);
  }, [open, form, detail.type]);
  const run = async () => {
    const values = await form.validateFields();
    const result = await call('collateral.act', {
      id: detail.id,
      version: detail.version,
      action: 'register',
      registration: { registry: values.registry, registrationNumber: values.registrationNumber, registeredOn: values.registeredOn.format(DAY), expiresOn: values.expiresOn.format(DAY) },
    });
    if (result.ok) onDone(result.value);
    else setError(refusal(result.error));
  };
  return (
    <Modal open={open} title={t('collateral.actions.registerTitle')} onOk={() => void run()} onCancel={onClose} destroyOnHidden okButtonProps={{ 'data-testid': 'collateral-register-save' } as never}>
      <Form form={form} layout="vertical" data-testid="collateral-register-form">
        <Form.Item name="registry" label={label('registry')} rules={[required('registry')]}>
          <Input maxLength={200} data-testid="collateral-registry" />
        </Form.Item>
        <Form.Item name="registrationNumber" label={label('registrationNumber')} rules={[required('registrationNumber')]}>
          <Input maxLength={60} className="gl-mono" data-testid="collateral-registration-number" />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="registeredOn" label={label('registeredOn')} rules={[required('registeredOn')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-registered-on" />
          </Form.Item>
          <Form.Item name="expiresOn" label={label('registrationExpiresOn')} rules={[required('registrationExpiresOn')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-registration-expires" />
          </Form.Item>
        </div>
        {error !== null && <Alert type="error" showIcon title={error} data-testid="collateral-register-error" />}
      </Form>
    </Modal>
  );
}

/**
 * 展期: a renewal of the registration as the registry recorded it — its day, the new last day (later
 * than the current one), the number it was given (the current one offered) and, if it moved, the registry.
 */
function RenewDialog({ detail, open, onClose, onDone }: { detail: CollateralDetail; open: boolean; onClose: () => void; onDone: (detail: CollateralDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const refusal = useRefusal();
  const [form] = Form.useForm<{ renewedOn: Dayjs; expiresOn: Dayjs; registrationNumber: string; registry?: string; notes?: string }>();
  const [error, setError] = useState<string | null>(null);
  const label = (key: string) => t(`collateral.renewals.${key}`);
  const required = (key: string) => ({ required: true, message: t('collateral.form.required', { field: label(key) }) });
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ renewedOn: dayjs(), registrationNumber: detail.registrationNumber ?? '' });
    setError(null);
  }, [open, form, detail.registrationNumber]);
  const run = async () => {
    const values = await form.validateFields();
    const registry = values.registry?.trim() ?? '';
    const notes = values.notes?.trim() ?? '';
    const result = await call('collateral.renew', {
      id: detail.id,
      version: detail.version,
      renewal: {
        renewedOn: values.renewedOn.format(DAY),
        expiresOn: values.expiresOn.format(DAY),
        registrationNumber: values.registrationNumber,
        ...(registry === '' ? {} : { registry }),
        notes: notes === '' ? null : notes,
      },
    });
    if (result.ok) onDone(result.value);
    else setError(refusal(result.error));
  };
  return (
    <Modal open={open} title={t('collateral.actions.renewTitle')} onOk={() => void run()} onCancel={onClose} destroyOnHidden okButtonProps={{ 'data-testid': 'collateral-renew-save' } as never}>
      <Form form={form} layout="vertical" data-testid="collateral-renew-form">
        <Typography.Paragraph type="secondary">{`${t('collateral.detail.registrationExpiresOn')} ${detail.registrationExpiresOn ?? ''}`}</Typography.Paragraph>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="renewedOn" label={label('renewedOn')} rules={[required('renewedOn')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-renewed-on" />
          </Form.Item>
          <Form.Item name="expiresOn" label={label('expiresOn')} rules={[required('expiresOn')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-renewal-expires" />
          </Form.Item>
        </div>
        <Form.Item name="registrationNumber" label={label('registrationNumber')} rules={[required('registrationNumber')]}>
          <Input maxLength={60} className="gl-mono" data-testid="collateral-renewal-number" />
        </Form.Item>
        <Form.Item name="registry" label={label('registry')} extra={label('registryHint')}>
          <Input maxLength={200} placeholder={detail.registry ?? ''} data-testid="collateral-renewal-registry" />
        </Form.Item>
        <Form.Item name="notes" label={label('notes')}>
          <Input maxLength={500} data-testid="collateral-renewal-notes" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} data-testid="collateral-renew-error" />}
      </Form>
    </Modal>
  );
}

/** 重估: a new appraisal by a credit manager; the value and pledged value follow it, the old one stays in the history. */
function RevalueDialog({ detail, open, onClose, onDone }: { detail: CollateralDetail; open: boolean; onClose: () => void; onDone: (detail: CollateralDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const refusal = useRefusal();
  const terms = useCollateralTerms();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ appraisedOn: dayjs(), basis: (detail.appraisals[0]?.inputs as { basis?: string } | undefined)?.basis });
    setError(null);
  }, [open, form, detail.appraisals]);
  const run = async () => {
    const values = (await form.validateFields()) as Parameters<typeof valuationFromFields>[1];
    const result = await call('collateral.revalue', { id: detail.id, version: detail.version, valuation: valuationFromFields(detail.type, values) });
    if (result.ok) onDone(result.value);
    else setError(refusal(result.error));
  };
  return (
    <Modal open={open} title={t('collateral.actions.revalueTitle')} onOk={() => void run()} onCancel={onClose} width={640} destroyOnHidden okButtonProps={{ 'data-testid': 'collateral-revalue-save' } as never}>
      <Form form={form} layout="vertical" data-testid="collateral-revalue-form">
        <ValuationFields type={detail.type} terms={terms} />
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

/** 关联借据: one of the pledgor's loans, and the amount this item secures of it (empty: the whole loan). */
function LinkLoanDialog({ detail, open, onClose, onDone }: { detail: CollateralDetail; open: boolean; onClose: () => void; onDone: (detail: CollateralDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const refusal = useRefusal();
  const [loans, setLoans] = useState<LoanSummary[]>([]);
  const [form] = Form.useForm<{ loanId: string; secured?: string }>();
  const [error, setError] = useState<string | null>(null);
  const label = (key: string) => t(`collateral.loans.${key}`);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setError(null);
    void call('loans.list', { filter: { enterpriseId: detail.enterpriseId, status: 'outstanding' }, limit: 100 }).then((result) => {
      if (result.ok) setLoans(result.value.rows.filter((loan) => !detail.loans.some((link) => link.loanId === loan.id)));
    });
  }, [open, form, call, detail.enterpriseId, detail.loans]);
  const run = async () => {
    const values = await form.validateFields();
    const secured = values.secured?.trim() ?? '';
    const parsed = secured === '' ? null : yuanToFen(secured);
    if (parsed !== null && !parsed.ok) return setError(t('collateral.form.amountFormat'));
    const result = await call('collateral.linkLoan', { itemId: detail.id, loanId: values.loanId, securedAmountFen: parsed === null ? null : parsed.fen });
    if (result.ok) onDone(result.value);
    else setError(refusal(result.error));
  };
  return (
    <Modal open={open} title={label('linkTitle')} onOk={() => void run()} onCancel={onClose} destroyOnHidden okButtonProps={{ 'data-testid': 'collateral-link-save' } as never}>
      <Form form={form} layout="vertical" data-testid="collateral-link-form">
        <Form.Item name="loanId" label={label('loan')} rules={[{ required: true, message: label('loanPlaceholder') }]}>
          <Select
            placeholder={label('loanPlaceholder')}
            options={loans.map((loan) => ({ value: loan.id, label: `${loan.loanNumber} · ${formatYuan(loan.balance)} · ${loan.maturesOn}` }))}
            data-testid="collateral-link-loan"
          />
        </Form.Item>
        <Form.Item name="secured" label={label('securedAmount')}>
          <Input inputMode="decimal" data-testid="collateral-link-secured" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

/** An appraisal's inputs in words: price × quantity × term, the cash flows, the report. */
function appraisalBasis(appraisal: CollateralDetail['appraisals'][number], t: ReturnType<typeof useTranslation>['t']): string {
  const inputs = appraisal.inputs as { unitPriceFen?: number; quantity?: string; term?: unknown; flows?: unknown[]; discountRateBp?: number; reportNumber?: string; listedMethod?: string };
  if (appraisal.method === 'quantity_price') {
    const span = (inputs.term ?? {}) as { years?: number; days?: number; yearDays?: number };
    const term = span.days === undefined || span.days === 0 ? t('collateral.appraisals.term', { years: span.years ?? 0 }) : t('collateral.appraisals.termDays', span);
    return t('collateral.appraisals.quantityPrice', { price: formatYuan(inputs.unitPriceFen ?? 0), quantity: inputs.quantity ?? '', term });
  }
  if (appraisal.method === 'discounted_cash_flow') return t('collateral.appraisals.dcf', { count: inputs.flows?.length ?? 0, rate: formatRate(inputs.discountRateBp ?? 0) });
  // An imported list's value keeps the list's own words for how it was appraised (市场法 …).
  if (inputs.listedMethod !== undefined) return t('collateral.appraisals.listedReport', { number: inputs.reportNumber ?? '', method: inputs.listedMethod });
  return t('collateral.appraisals.report', { number: inputs.reportNumber ?? '' });
}

/** Steps that need nothing but a confirmation. */
const plainActions: readonly CollateralAction[] = ['submit', 'revise', 'activate', 'release', 'start_disposal', 'complete_disposal'];

/**
 * A collateral item's page: what is pledged in its type's fields and units, value and pledge, the
 * registration, its alerts, the lifecycle steps this person may take (the host's allowedActions:
 * a maker is never offered approval), the appraisal history, the loans it secures with the amount
 * of each, the certificate scans and the 变更记录.
 */
export function CollateralDetailPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const refusal = useRefusal();
  const { detail, setDetail, error, reload } = useRecord('collateral.get', id);
  const [history, setHistory] = useState<AuditEntry[] | null>(null);
  const [dialog, setDialog] = useState<'approve' | 'reject' | 'register' | 'revalue' | 'renew' | 'link' | 'edit' | CollateralAction | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (detail === null) return;
    let current = true;
    void call('records.history', { recordType: 'collateral_items', recordId: id }).then((result) => {
      if (current) setHistory(result.ok ? [...result.value].sort((a, b) => b.seq - a.seq) : []);
    });
    return () => {
      current = false;
    };
  }, [call, id, detail?.version, detail?.appraisals.length, detail?.loans.length, detail?.renewals.length]);

  const back = <BackLink label={t('collateral.detail.back')} onBack={() => void navigate('/collateral')} testId="collateral-back" />;
  if (error !== null || detail === null) return <RecordPageFallback error={error} loading={detail === null} back={back} notFoundTitle={t('collateral.detail.notFound')} />;
  const label = (key: string) => t(`collateral.detail.${key}`);
  const canWrite = user !== null && can(user.role, 'collateral.write');
  const canApprove = user !== null && can(user.role, 'collateral.approve');
  const isMaker = user?.id === detail.makerId;
  const editable = isMaker && (detail.status === 'draft' || detail.status === 'rejected');
  const revaluable = canApprove && !editable && detail.status !== 'draft' && detail.status !== 'rejected' && detail.status !== 'released' && detail.status !== 'disposed';
  const linkable = canWrite && detail.status !== 'released' && detail.status !== 'disposed';
  const done = (saved: CollateralDetail, action: string) => {
    setDialog(null);
    setProblem(null);
    setDetail(saved);
    void message.success(t('collateral.actions.done', { action: t(`collateral.actions.${action}`) }));
  };
  const act = async (action: CollateralAction, extra: { reason?: string } = {}): Promise<string | null> => {
    const result = await call('collateral.act', { id: detail.id, version: detail.version, action, ...extra });
    if (!result.ok) return refusal(result.error);
    done(result.value, action);
    return null;
  };
  const yuan = (fen: number) => t('collateral.detail.yuan', { amount: formatYuan(fen) });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="collateral-detail">
      {back}
      <RecordHeader
        title={
          <>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="collateral-detail-certificate">
              {detail.certificateNumber}
            </Typography.Title>
            <CollateralStatusTag value={detail.status} />
            <Tag>{t(`collateral.types.${detail.type}`)}</Tag>
          </>
        }
        line={
          <>
            <Typography.Link onClick={() => void navigate(`/enterprises/${detail.enterpriseId}?tab=collateral`)} data-testid="collateral-enterprise-link">
              {detail.enterpriseName}
            </Typography.Link>
            <Typography.Text>
              {label('pledged')} <span className="gl-amount" data-testid="collateral-detail-pledged">{yuan(detail.pledgedValue)}</span>
            </Typography.Text>
            <Typography.Text type="secondary">{countsTowardValue(detail.status) ? label('counted') : label('notCounted')}</Typography.Text>
          </>
        }
        actions={
          <>
            {editable && (
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="collateral-edit">
                {t('collateral.actions.edit')}
              </Button>
            )}
            {revaluable && (
              <Button onClick={() => setDialog('revalue')} data-testid="collateral-revalue">
                {t('collateral.actions.revalue')}
              </Button>
            )}
            {detail.mayRenew && (
              <Button onClick={() => setDialog('renew')} data-testid="collateral-renew">
                {t('collateral.actions.renew')}
              </Button>
            )}
            {detail.allowedActions.map((action) => (
              <Button
                key={action}
                type={action === 'approve' || action === 'register' || action === 'activate' ? 'primary' : 'default'}
                danger={action === 'reject' || action === 'start_disposal'}
                onClick={() => setDialog(action)}
                data-testid={`collateral-action-${action}`}
              >
                {t(`collateral.actions.${action}`)}
              </Button>
            ))}
          </>
        }
        byLine={`${label('maker')} ${detail.makerName ?? ''} · ${formatInstant(detail.updatedAt)}`}
      />
      {detail.status === 'submitted' && isMaker && canApprove && <Alert type="info" showIcon title={label('makerCannotApprove')} data-testid="collateral-maker-cannot-approve" />}
      {detail.alerts.length > 0 && (
        <div style={{ ...recordCard, padding: '12px 20px' }} data-testid="collateral-alerts">
          <Typography.Text strong style={{ marginInlineEnd: 12 }}>
            {label('alerts')}
          </Typography.Text>
          <CollateralAlertTags alerts={detail.alerts} />
        </div>
      )}

      <div style={{ ...recordCard, padding: 20 }}>
        <Descriptions column={2} size="small" title={label('facts')} data-testid="collateral-facts">
          <Descriptions.Item label={label('details')} span={2}>
            <DetailsText details={detail.details} />
          </Descriptions.Item>
          <Descriptions.Item label={label('certificate')}>{`${detail.certificateNumber} · ${detail.certificateIssuer}`}</Descriptions.Item>
          <Descriptions.Item label={label('validity')}>{`${detail.validFrom} — ${detail.validTo}`}</Descriptions.Item>
          <Descriptions.Item label={label('appraised')}>
            <span data-testid="collateral-detail-appraised">{yuan(detail.appraisedValue)}</span>
            <Typography.Text type="secondary">{` · ${detail.appraisedOn}`}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={label('pledgeRate')}>
            <span data-testid="collateral-detail-rate">{formatRate(detail.pledgeRateBp)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={label('revaluationDue')}>{detail.revaluationDueOn}</Descriptions.Item>
          <Descriptions.Item label={label('terms')}>{detail.termsVersion}</Descriptions.Item>
          <Descriptions.Item label={label('checker')}>
            <span data-testid="collateral-checker">{detail.checkerName ?? '—'}</span>
            {detail.decidedAt !== null && <Typography.Text type="secondary">{` · ${formatInstant(detail.decidedAt)}`}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={label('decisionReason')}>{detail.decisionReason ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={label('registration')} span={2}>
            {detail.registrationNumber === null ? (
              <Typography.Text type="secondary">{label('notRegistered')}</Typography.Text>
            ) : (
              <span data-testid="collateral-detail-registration">
                {`${detail.registry ?? ''} · `}
                <span className="gl-mono">{detail.registrationNumber}</span>
                {` · ${detail.registeredOn ?? ''} — ${detail.registrationExpiresOn ?? ''}`}
              </span>
            )}
          </Descriptions.Item>
          {detail.notes !== null && (
            <Descriptions.Item label={t('collateral.form.notes')} span={2}>
              {detail.notes}
            </Descriptions.Item>
          )}
        </Descriptions>
      </div>

      <div style={{ ...recordCard, padding: 20 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {label('appraisals')}
        </Typography.Title>
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={detail.appraisals}
          data-testid="collateral-appraisals"
          columns={[
            { title: t('collateral.appraisals.appraisedOn'), dataIndex: 'appraisedOn', width: 150, render: (value: string, _row, index) => (index === 0 ? <Space size={4}>{value}<Tag color="green">{t('collateral.appraisals.current')}</Tag></Space> : value) },
            { title: t('collateral.appraisals.method'), dataIndex: 'method', width: 110, render: (value: string) => t(`collateral.methods.${value}`) },
            { title: t('collateral.appraisals.inputs'), key: 'inputs', render: (_, row) => appraisalBasis(row, t) },
            { title: t('collateral.appraisals.value'), dataIndex: 'value', align: 'right', width: 140, render: (value: number) => <span className="gl-amount">{formatYuan(value)}</span> },
            { title: t('collateral.appraisals.appraiser'), dataIndex: 'appraiser', width: 160 },
            { title: t('collateral.appraisals.nextDueOn'), dataIndex: 'nextDueOn', width: 110 },
            { title: t('collateral.appraisals.recordedBy'), key: 'by', width: 150, render: (_, row) => `${row.createdByName ?? ''} · ${formatInstant(row.createdAt).slice(0, 10)}` },
          ]}
        />
      </div>

      {detail.registrationNumber !== null && (
        <div style={{ ...recordCard, padding: 20 }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {label('renewals')}
          </Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={detail.renewals}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={label('noRenewals')} /> }}
            data-testid="collateral-renewals"
            columns={[
              { title: t('collateral.renewals.renewedOn'), dataIndex: 'renewedOn', width: 110 },
              { title: t('collateral.renewals.previousExpiresOn'), dataIndex: 'previousExpiresOn', width: 110 },
              {
                title: t('collateral.renewals.expiresOn'),
                dataIndex: 'expiresOn',
                width: 150,
                render: (value: string, _row, index) => (index === 0 ? <Space size={4}>{value}<Tag color="green">{t('collateral.renewals.latest')}</Tag></Space> : value),
              },
              { title: t('collateral.renewals.registrationNumber'), dataIndex: 'registrationNumber', render: (value: string) => <span className="gl-mono">{value}</span> },
              { title: t('collateral.renewals.registry'), dataIndex: 'registry' },
              { title: t('collateral.renewals.notes'), dataIndex: 'notes', render: (value: string | null) => value ?? '' },
              { title: t('collateral.renewals.recordedBy'), key: 'by', width: 150, render: (_, row) => `${row.createdByName ?? ''} · ${formatInstant(row.createdAt).slice(0, 10)}` },
            ]}
          />
        </div>
      )}

      <div style={{ ...recordCard, padding: 20 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 8 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {label('loans')}
          </Typography.Title>
          {linkable && (
            <Button icon={<LinkOutlined />} onClick={() => setDialog('link')} data-testid="collateral-link-loan-button">
              {t('collateral.loans.link')}
            </Button>
          )}
        </div>
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={detail.loans}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={label('noLoans')} /> }}
          data-testid="collateral-loans"
          onRow={(row) => ({ onClick: () => void navigate(`/loans/${row.loanId}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('collateral.loans.loanNumber'), dataIndex: 'loanNumber', render: (value: string) => <span className="gl-mono">{value}</span> },
            { title: t('collateral.loans.maturesOn'), dataIndex: 'maturesOn', width: 120 },
            { title: t('collateral.loans.balance'), dataIndex: 'balance', align: 'right', width: 160, render: (value: number) => <span className="gl-amount">{formatYuan(value)}</span> },
            {
              title: t('collateral.loans.secured'),
              dataIndex: 'securedAmount',
              align: 'right',
              width: 160,
              render: (value: number | null) => <span className="gl-amount" data-testid="collateral-loan-secured">{value === null ? t('collateral.loans.whole') : formatYuan(value)}</span>,
            },
          ]}
        />
      </div>

      <div style={{ ...recordCard, padding: 20 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {label('scans')}
        </Typography.Title>
        <AttachmentsTab ownerType="collateral_items" ownerId={detail.id} canWrite={canWrite} onChanged={() => void reload()} nameOf={(userId) => (userId === user?.id ? user.displayName : userId)} />
      </div>

      <div style={{ ...recordCard, padding: 20 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {label('history')}
        </Typography.Title>
        {history !== null && <RecordTimeline entries={history} format={(field, value) => collateralHistoryValue(field, value, t)} label={(field) => collateralHistoryLabel(field, t)} />}
      </div>

      {problem !== null && <Alert type="error" showIcon title={problem} closable onClose={() => setProblem(null)} data-testid="collateral-action-error" />}

      <CollateralForm
        open={dialog === 'edit'}
        enterprise={{ id: detail.enterpriseId, name: detail.enterpriseName }}
        item={detail}
        onClose={() => setDialog(null)}
        onSaved={(saved) => done(saved, 'edit')}
      />
      <RegisterDialog detail={detail} open={dialog === 'register'} onClose={() => setDialog(null)} onDone={(saved) => done(saved, 'register')} />
      <RenewDialog detail={detail} open={dialog === 'renew'} onClose={() => setDialog(null)} onDone={(saved) => done(saved, 'renew')} />
      <RevalueDialog detail={detail} open={dialog === 'revalue'} onClose={() => setDialog(null)} onDone={(saved) => done(saved, 'revalue')} />
      <LinkLoanDialog detail={detail} open={dialog === 'link'} onClose={() => setDialog(null)} onDone={(saved) => done(saved, 'link')} />
      <ReasonDialog
        open={dialog === 'reject'}
        title={t('collateral.actions.reject')}
        body={t('collateral.actions.rejectPlaceholder')}
        label={t('collateral.actions.rejectReason')}
        placeholder={t('collateral.actions.rejectPlaceholder')}
        okText={t('collateral.actions.reject')}
        tooShort={t('collateral.actions.reasonTooShort')}
        submit={(reason) => act('reject', { reason })}
        onClose={() => setDialog(null)}
        danger
        maxLength={500}
        rows={3}
        testId="collateral-reject-dialog"
        reasonTestId="collateral-reject-reason"
      />
      <ApproveDialog open={dialog === 'approve'} onClose={() => setDialog(null)} submit={(reason) => act('approve', reason === '' ? {} : { reason })} />
      <Modal
        open={dialog !== null && plainActions.includes(dialog as CollateralAction)}
        title={dialog === null ? '' : t(`collateral.actions.${dialog}`)}
        okText={t('collateral.actions.confirm')}
        onOk={() =>
          void act(dialog as CollateralAction).then((refused) => {
            if (refused !== null) {
              setDialog(null);
              setProblem(refused);
            }
          })
        }
        onCancel={() => setDialog(null)}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'collateral-confirm' } as never}
      >
        {`${detail.certificateNumber} · ${t(`collateral.types.${detail.type}`)}`}
      </Modal>
    </Space>
  );
}

/** 审批通过, with an optional note the audit trail keeps; pressed once while the host decides (a second press would be refused). */
function ApproveDialog({ open, onClose, submit }: { open: boolean; onClose: () => void; submit: (reason: string) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setNote('');
    setError(null);
  }, [open]);
  const approve = async () => {
    setBusy(true);
    try {
      setError(await submit(note.trim()));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('collateral.actions.approveTitle')}
      okText={t('collateral.actions.approve')}
      onOk={() => void approve()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'collateral-approve-confirm' } as never}
    >
      <Input.TextArea rows={3} maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} placeholder={t('collateral.actions.approveNote')} aria-label={t('collateral.actions.approveNote')} />
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
