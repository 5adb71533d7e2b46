import { useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Typography, Upload } from 'antd';
import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { attachmentMimes, type AttachmentMime, type CollateralDetail, type CollateralItemInput, type HostError, type ValuationInput } from '../../../shared/api/index.ts';
import { collateralTypeInfo, collateralTypes, pollutants, type CollateralDetails, type CollateralType, type Pollutant, type PriceBasis } from '../../../shared/domain/collateral.ts';
import { pledgeRateCap, referencePrice, type CollateralTerms } from '../../../shared/domain/collateralTerms.ts';
import { formatYuan, yuanToFen } from '../../../shared/domain/money.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatRate } from '../format.ts';
import { fileToBase64 } from '../uploads.ts';

const DAY = 'YYYY-MM-DD';

interface Values {
  type: CollateralType;
  pollutant?: Pollutant;
  quantity?: string;
  unit?: string;
  carbonKind?: 'cea' | 'ccer';
  complianceYear?: number;
  contract?: string;
  counterparty?: string;
  project?: string;
  grantor?: string;
  patents?: { number: string; title: string }[];
  certificateNumber: string;
  certificateIssuer: string;
  validFrom: Dayjs;
  validTo: Dayjs;
  basis?: PriceBasis;
  unitPrice?: string;
  flows?: { on: Dayjs; amount: string }[];
  discountRatePercent?: number;
  reportValue?: string;
  reportNumber?: string;
  appraisedOn: Dayjs;
  appraiser: string;
  pledgeRatePercent: number;
  notes?: string;
}

function detailsOf(values: Values): CollateralDetails {
  const quantity = (values.quantity ?? '').trim();
  switch (values.type) {
    case 'emission_right':
      return { type: 'emission_right', pollutant: values.pollutant!, quantity, unit: values.unit === 'kg/yr' ? 'kg/yr' : 't/yr' };
    case 'carbon_allowance':
      return { type: 'carbon_allowance', kind: values.carbonKind ?? 'cea', complianceYear: values.complianceYear!, quantity, unit: 'tCO2e' };
    case 'water_right':
      return { type: 'water_right', quantity, unit: 'm3/yr' };
    case 'energy_use_right':
      return { type: 'energy_use_right', quantity, unit: 'tce/yr' };
    case 'energy_saving_income':
    case 'emc_income':
      return { type: values.type, contract: values.contract ?? '', counterparty: values.counterparty ?? '' };
    case 'green_ip':
      return { type: 'green_ip', patents: (values.patents ?? []).map((patent) => ({ number: patent.number.trim(), title: patent.title })) };
    case 'franchise':
      return { type: 'franchise', project: values.project ?? '', grantor: values.grantor ?? '' };
  }
}

/** 元 typed as text, in 分; the form's rule has already refused what does not parse. */
const fen = (text: string | undefined) => {
  const parsed = yuanToFen(text ?? '');
  return parsed.ok ? parsed.fen : 0;
};

function valuationOf(values: Values): ValuationInput {
  const common = { appraisedOn: values.appraisedOn.format(DAY), appraiser: values.appraiser };
  switch (collateralTypeInfo[values.type].method) {
    case 'quantity_price':
      return { method: 'quantity_price', unitPriceFen: fen(values.unitPrice), basis: values.basis ?? collateralTypeInfo[values.type].priceBases[0]!, ...common };
    case 'discounted_cash_flow':
      return {
        method: 'discounted_cash_flow',
        flows: (values.flows ?? []).map((flow) => ({ on: flow.on.format(DAY), amountFen: fen(flow.amount) })),
        discountRateBp: Math.round((values.discountRatePercent ?? 0) * 100),
        ...common,
      };
    case 'appraisal_report':
      return { method: 'appraisal_report', valueFen: fen(values.reportValue), reportNumber: values.reportNumber ?? '', ...common };
  }
}

/** The form's values for an item being edited (a draft, or one returned to its maker). */
function valuesOf(item: CollateralDetail): Partial<Values> {
  const d = item.details;
  const latest = item.appraisals[0];
  const inputs = (latest?.inputs ?? {}) as Record<string, unknown>;
  const yuan = (value: unknown) => (typeof value === 'number' ? formatYuan(value).replaceAll(',', '') : undefined);
  return {
    type: d.type,
    ...('quantity' in d ? { quantity: d.quantity, unit: d.unit } : {}),
    ...(d.type === 'emission_right' ? { pollutant: d.pollutant } : {}),
    ...(d.type === 'carbon_allowance' ? { carbonKind: d.kind, complianceYear: d.complianceYear } : {}),
    ...('contract' in d ? { contract: d.contract, counterparty: d.counterparty } : {}),
    ...(d.type === 'franchise' ? { project: d.project, grantor: d.grantor } : {}),
    ...(d.type === 'green_ip' ? { patents: d.patents } : {}),
    certificateNumber: item.certificateNumber,
    certificateIssuer: item.certificateIssuer,
    validFrom: dayjs(item.validFrom),
    validTo: dayjs(item.validTo),
    basis: inputs.basis as PriceBasis | undefined,
    unitPrice: yuan(inputs.unitPriceFen),
    flows: Array.isArray(inputs.flows) ? (inputs.flows as { on: string; amountFen: number }[]).map((flow) => ({ on: dayjs(flow.on), amount: yuan(flow.amountFen)! })) : undefined,
    discountRatePercent: typeof inputs.discountRateBp === 'number' ? inputs.discountRateBp / 100 : undefined,
    reportValue: latest?.method === 'appraisal_report' ? yuan(latest.value) : undefined,
    reportNumber: typeof inputs.reportNumber === 'string' ? inputs.reportNumber : undefined,
    appraisedOn: dayjs(item.appraisedOn),
    appraiser: latest?.appraiser ?? '',
    pledgeRatePercent: item.pledgeRateBp / 100,
    notes: item.notes ?? undefined,
  };
}

/**
 * A host refusal in the register's words: the pledge-rate cap with its figure and document, a
 * locked value, a four-eyes breach; otherwise the shared description of the error.
 */
export function collateralRefusal(error: HostError, t: TFunction, i18n: { exists: (key: string) => boolean }, rateBp?: number): string {
  const issue = error.details?.issues?.[0] as { code?: string; params?: Record<string, unknown> } | undefined;
  const rule = issue?.code ?? (typeof error.details?.rule === 'string' ? error.details.rule : undefined);
  if (rule === 'PLEDGE_RATE_OVER_CAP') {
    return t('collateral.errors.PLEDGE_RATE_OVER_CAP', { rate: rateBp === undefined ? '' : formatRate(rateBp), cap: formatRate(Number(issue?.params?.capBp)), source: String(issue?.params?.source ?? '') });
  }
  if (rule !== undefined && i18n.exists(`collateral.errors.${rule}`)) return t(`collateral.errors.${rule}`, issue?.params ?? {});
  return describeError(error);
}

/** The collateral terms in force (caps, reference prices), as the host has them. */
export function useCollateralTerms(): CollateralTerms | null {
  const call = useAppStore((s) => s.call);
  const [terms, setTerms] = useState<CollateralTerms | null>(null);
  useEffect(() => {
    void call('collateral.terms', {}).then((result) => {
      if (result.ok) setTerms(result.value as unknown as CollateralTerms);
    });
  }, [call]);
  return terms;
}

/** The valuation fields of a method (also the revaluation dialog's). */
export function ValuationFields({ type, terms }: { type: CollateralType; terms: CollateralTerms | null }) {
  const { t } = useTranslation();
  const label = (key: string) => t(`collateral.form.${key}`);
  const required = (key: string) => ({ required: true, message: t('collateral.form.required', { field: label(key) }) });
  const amount = { validator: (_: unknown, value: string | undefined) => (value === undefined || value === '' || yuanToFen(value).ok ? Promise.resolve() : Promise.reject(new Error(label('amountFormat')))) };
  const info = collateralTypeInfo[type];
  const reference = terms === null ? null : referencePrice(terms, type);
  return (
    <>
      {info.method === 'quantity_price' && (
        <div style={{ display: 'grid', gridTemplateColumns: '1.4fr 1fr', gap: '0 16px' }}>
          <Form.Item name="basis" label={label('basis')} rules={[required('basis')]}>
            <Select options={info.priceBases.map((value) => ({ value, label: t(`collateral.bases.${value}`) }))} data-testid="collateral-basis" />
          </Form.Item>
          <Form.Item
            name="unitPrice"
            label={label('unitPrice')}
            rules={[required('unitPrice'), amount]}
            extra={reference === null ? undefined : t('collateral.form.referencePrice', { price: formatYuan(reference.priceFen), unit: reference.unit, asOf: reference.asOf, source: reference.source })}
          >
            <Input inputMode="decimal" data-testid="collateral-unit-price" />
          </Form.Item>
        </div>
      )}
      {info.method === 'discounted_cash_flow' && (
        <>
          <Form.Item label={label('flows')} required>
            <Form.List name="flows" rules={[{ validator: (_, flows?: unknown[]) => ((flows?.length ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('collateral.form.required', { field: label('flows') })))) }]}>
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline">
                      <Form.Item name={[field.name, 'on']} rules={[required('flowOn')]}>
                        <DatePicker format={DAY} placeholder={label('flowOn')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'amount']} rules={[required('flowAmount'), amount]}>
                        <Input inputMode="decimal" placeholder={label('flowAmount')} style={{ width: 180 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                    {label('addFlow')}
                  </Button>
                  <Form.ErrorList errors={errors} />
                </>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="discountRatePercent" label={label('discountRate')} rules={[required('discountRate')]}>
            <InputNumber min={0} max={50} precision={2} style={{ width: 160 }} />
          </Form.Item>
        </>
      )}
      {info.method === 'appraisal_report' && (
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="reportValue" label={label('reportValue')} rules={[required('reportValue'), amount]}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="reportNumber" label={label('reportNumber')} rules={[required('reportNumber')]}>
            <Input maxLength={200} />
          </Form.Item>
        </div>
      )}
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1.4fr', gap: '0 16px' }}>
        <Form.Item name="appraisedOn" label={label('appraisedOn')} rules={[required('appraisedOn')]}>
          <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-appraised-on" />
        </Form.Item>
        <Form.Item name="appraiser" label={label('appraiser')} rules={[required('appraiser')]}>
          <Input maxLength={200} data-testid="collateral-appraiser" />
        </Form.Item>
      </div>
    </>
  );
}

/** The valuation as the host takes it, from the fields ValuationFields drew. */
export function valuationFromFields(type: CollateralType, values: Pick<Values, 'basis' | 'unitPrice' | 'flows' | 'discountRatePercent' | 'reportValue' | 'reportNumber' | 'appraisedOn' | 'appraiser'>): ValuationInput {
  return valuationOf({ ...values, type } as Values);
}

/** What is pledged, in the type's own fields and units (DOMAIN §2). */
function DetailsFields({ type }: { type: CollateralType }) {
  const { t } = useTranslation();
  const label = (key: string) => t(`collateral.form.${key}`);
  const required = (key: string) => ({ required: true, message: t('collateral.form.required', { field: label(key) }) });
  const quantity = (
    <Form.Item name="quantity" label={label('quantity')} rules={[required('quantity'), { pattern: /^(?:0|[1-9]\d{0,14})(?:\.\d{1,4})?$/, message: label('quantity') }]}>
      <Input inputMode="decimal" data-testid="collateral-quantity" />
    </Form.Item>
  );
  const unit = (units: readonly string[]) => (
    <Form.Item name="unit" label={label('unit')} rules={[required('unit')]}>
      <Select options={units.map((value) => ({ value, label: t(`collateral.units.${value}`) }))} disabled={units.length === 1} data-testid="collateral-unit" />
    </Form.Item>
  );
  const grid = { display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0 16px' } as const;
  switch (type) {
    case 'emission_right':
      return (
        <div style={grid}>
          <Form.Item name="pollutant" label={label('pollutant')} rules={[required('pollutant')]}>
            <Select options={pollutants.map((value) => ({ value, label: t(`collateral.pollutants.${value}`) }))} data-testid="collateral-pollutant" />
          </Form.Item>
          {quantity}
          {unit(collateralTypeInfo.emission_right.units)}
        </div>
      );
    case 'carbon_allowance':
      return (
        <div style={{ ...grid, gridTemplateColumns: '1.2fr 0.8fr 1fr 1fr' }}>
          <Form.Item name="carbonKind" label={label('carbonKind')} rules={[required('carbonKind')]}>
            <Select options={(['cea', 'ccer'] as const).map((value) => ({ value, label: t(`collateral.carbonKinds.${value}`) }))} />
          </Form.Item>
          <Form.Item name="complianceYear" label={label('complianceYear')} rules={[required('complianceYear')]}>
            <InputNumber min={2019} max={2100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          {quantity}
          {unit(collateralTypeInfo.carbon_allowance.units)}
        </div>
      );
    case 'water_right':
    case 'energy_use_right':
      return (
        <div style={grid}>
          {quantity}
          {unit(collateralTypeInfo[type].units)}
        </div>
      );
    case 'energy_saving_income':
    case 'emc_income':
      return (
        <div style={{ ...grid, gridTemplateColumns: '1fr 1fr' }}>
          <Form.Item name="contract" label={label('contract')} rules={[required('contract')]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="counterparty" label={label('counterparty')} rules={[required('counterparty')]}>
            <Input maxLength={200} />
          </Form.Item>
        </div>
      );
    case 'franchise':
      return (
        <div style={{ ...grid, gridTemplateColumns: '1fr 1fr' }}>
          <Form.Item name="project" label={label('project')} rules={[required('project')]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="grantor" label={label('grantor')} rules={[required('grantor')]}>
            <Input maxLength={200} />
          </Form.Item>
        </div>
      );
    case 'green_ip':
      return (
        <Form.Item label={label('patents')} required>
          <Form.List name="patents">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'number']} rules={[required('patentNumber'), { pattern: /^ZL\d{8,12}\.[\dX]$/, message: t('collateral.errors.PATENT_NUMBER') }]}>
                      <Input placeholder={label('patentNumberPlaceholder')} style={{ width: 200 }} className="gl-mono" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'title']} rules={[required('patentTitle')]}>
                      <Input placeholder={label('patentTitle')} style={{ width: 280 }} maxLength={200} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                  {label('addPatent')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      );
  }
}

/** What a type's fields start with when it is chosen. */
function typeDefaults(type: CollateralType): Partial<Values> {
  const info = collateralTypeInfo[type];
  return {
    unit: info.units[0],
    basis: info.priceBases[0],
    ...(type === 'carbon_allowance' ? { carbonKind: 'cea' as const } : {}),
    ...(type === 'green_ip' ? { patents: [{ number: '', title: '' }] } : {}),
    ...(info.method === 'discounted_cash_flow' ? { flows: [{ on: dayjs().add(1, 'year'), amount: '' }] } : {}),
  };
}

/**
 * 登记抵质押物 / 修改: an item of any type with its own fields and units, the certificate, the
 * validity, a valuation the host computes from its inputs, the pledge rate (its cap in force shown
 * beside it; the host refuses a rate above it, naming it) and the certificate scan. Saved as a draft
 * or submitted for a credit manager's approval at once.
 */
export function CollateralForm({
  open,
  enterprise,
  item,
  onClose,
  onSaved,
}: {
  open: boolean;
  enterprise: { id: string; name: string };
  /** A draft or returned item to edit; null: a new one. */
  item: CollateralDetail | null;
  onClose: () => void;
  onSaved: (detail: CollateralDetail) => void;
}) {
  const { t, i18n } = useTranslation();
  const call = useAppStore((s) => s.call);
  const terms = useCollateralTerms();
  const [form] = Form.useForm<Values>();
  const [scan, setScan] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const type = Form.useWatch('type', form) ?? item?.details.type ?? 'emission_right';
  const label = (key: string) => t(`collateral.form.${key}`);
  const required = (key: string) => ({ required: true, message: t('collateral.form.required', { field: label(key) }) });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(item === null ? { type: 'emission_right', ...typeDefaults('emission_right'), appraisedOn: dayjs() } : valuesOf(item));
    setScan(null);
    setError(null);
  }, [open, form, item]);

  const cap = terms === null ? null : pledgeRateCap(terms, type);

  const save = async (submit: boolean) => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const input: CollateralItemInput = {
      enterpriseId: enterprise.id,
      details: detailsOf(values),
      certificateNumber: values.certificateNumber,
      certificateIssuer: values.certificateIssuer,
      validity: { from: values.validFrom.format(DAY), to: values.validTo.format(DAY) },
      valuation: valuationOf(values),
      pledgeRateBp: Math.round(values.pledgeRatePercent * 100),
      notes: values.notes?.trim() || null,
    };
    setSaving(true);
    setError(null);
    try {
      const result = item === null ? await call('collateral.create', { item: input, submit }) : await call('collateral.update', { id: item.id, version: item.version, item: input });
      if (!result.ok) {
        const text = collateralRefusal(result.error, t, i18n, input.pledgeRateBp);
        const issue = result.error.details?.issues?.[0];
        if (issue?.path.join('.') === 'item.pledgeRateBp') form.setFields([{ name: 'pledgeRatePercent', errors: [text] }]);
        setError(text);
        return;
      }
      let saved = result.value;
      if (scan !== null) {
        const mime = (attachmentMimes as readonly string[]).includes(scan.type) ? (scan.type as AttachmentMime) : 'application/pdf';
        const attached = await call('attachments.add', { ownerType: 'collateral_items', ownerId: saved.id, fileName: scan.name, mime, contentBase64: await fileToBase64(scan), note: label('scan') });
        if (!attached.ok) {
          setError(describeError(attached.error));
          return;
        }
      }
      if (item !== null && submit) {
        const submitted = await call('collateral.act', { id: saved.id, version: saved.version, action: 'submit' });
        if (submitted.ok) saved = submitted.value;
      }
      onSaved(saved);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`${item === null ? label('title') : label('editTitle')} · ${enterprise.name}`}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('collateral.actions.cancel')}</Button>
          <Button loading={saving} onClick={() => void save(false)} data-testid="collateral-save-draft">
            {item === null ? label('saveDraft') : label('save')}
          </Button>
          <Button type="primary" loading={saving} onClick={() => void save(true)} data-testid="collateral-submit">
            {label('submit')}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.type !== undefined) form.setFieldsValue(typeDefaults(changed.type));
        }}
        data-testid="collateral-form"
      >
        <Form.Item name="type" label={label('type')} rules={[required('type')]}>
          <Select options={collateralTypes.map((value) => ({ value, label: t(`collateral.types.${value}`) }))} data-testid="collateral-type" />
        </Form.Item>
        <DetailsFields type={type} />
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="certificateNumber" label={label('certificateNumber')} rules={[required('certificateNumber')]}>
            <Input maxLength={60} data-testid="collateral-certificate-number" />
          </Form.Item>
          <Form.Item name="certificateIssuer" label={label('certificateIssuer')} rules={[required('certificateIssuer')]}>
            <Input maxLength={200} data-testid="collateral-certificate-issuer" />
          </Form.Item>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="validFrom" label={`${label('validity')} · ${label('validFrom')}`} rules={[required('validFrom')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-valid-from" />
          </Form.Item>
          <Form.Item
            name="validTo"
            label={`${label('validity')} · ${label('validTo')}`}
            dependencies={['validFrom']}
            rules={[
              required('validTo'),
              ({ getFieldValue }) => ({
                validator: (_, value?: Dayjs) => {
                  const from = getFieldValue('validFrom') as Dayjs | undefined;
                  return value === undefined || from === undefined || !value.isBefore(from, 'day') ? Promise.resolve() : Promise.reject(new Error(label('validTo')));
                },
              }),
            ]}
          >
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="collateral-valid-to" />
          </Form.Item>
        </div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {label('valuation')} · {t(`collateral.methods.${collateralTypeInfo[type].method}`)}
        </Typography.Title>
        <ValuationFields type={type} terms={terms} />
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1.4fr', gap: '0 16px' }}>
          <Form.Item
            name="pledgeRatePercent"
            label={label('pledgeRate')}
            rules={[required('pledgeRate')]}
            extra={cap === null ? undefined : cap.capBp === null ? t('collateral.form.noCap', { source: cap.source }) : t('collateral.form.capHint', { cap: formatRate(cap.capBp), source: cap.source })}
          >
            <InputNumber min={0.01} max={100} precision={2} style={{ width: '100%' }} data-testid="collateral-pledge-rate" />
          </Form.Item>
          <Form.Item label={label('scan')}>
            <Upload
              accept=".pdf,.png,.jpg,.jpeg"
              maxCount={1}
              beforeUpload={(picked) => {
                setScan(picked);
                return false;
              }}
              onRemove={() => setScan(null)}
              data-testid="collateral-scan"
            >
              <Button icon={<UploadOutlined />}>{label('scanButton')}</Button>
            </Upload>
          </Form.Item>
        </div>
        <Form.Item name="notes" label={label('notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} data-testid="collateral-form-error" />}
      </Form>
    </Modal>
  );
}
