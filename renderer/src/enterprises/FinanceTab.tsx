import { useState } from 'react';
import { Alert, App as AntApp, Button, Col, Form, Input, InputNumber, Modal, Row, Space, Table, Tooltip, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { contract, type EnterpriseDetail } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { hostErrorOnForm } from '../forms.ts';
import { clearErrorsOnChange, validateEnterpriseForm } from './validation.ts';
import { financialsOf, indicatorsOf, type FinancialRow, type IndicatorRow } from './rows.ts';
import { debtRatio, formatQuantity, quantityInput, wanYuan, yuanInput, yuanText } from './quantities.ts';

type Financial = FinancialRow;
type Indicators = IndicatorRow;

const moneyFields = ['revenue', 'totalAssets', 'liabilities', 'profit'] as const;
type MoneyField = (typeof moneyFields)[number];
const quantityFields = ['energyTce', 'waterM3', 'codT', 'nh3nT', 'so2T', 'noxT', 'co2T'] as const;
type QuantityField = (typeof quantityFields)[number];

const byYearDesc = <T extends { year: number }>(rows: readonly T[]) => [...rows].sort((a, b) => b.year - a.year);
const lastYear = new Date().getFullYear() - 1;

interface Props {
  detail: EnterpriseDetail;
  canWrite: boolean;
  onChange: (detail: EnterpriseDetail) => void;
}

/** An amount in 万元, the exact 元 on hover; a loss in red. */
function Money({ fen }: { fen: number }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('enterprises.finance.exactYuan', { amount: yuanText(fen) })}>
      <Typography.Text type={fen < 0 ? 'danger' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {wanYuan(fen)}
      </Typography.Text>
    </Tooltip>
  );
}

function FinancialsSection({ detail, canWrite, onChange }: Props) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<{ year: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const year = Form.useWatch(['snapshot', 'year'], form) as number | undefined;
  const replacing = editing?.year === null && financialsOf(detail).some((row) => row.year === year);

  const open = (row: Financial | null) => {
    form.resetFields();
    setError(null);
    form.setFieldsValue({
      snapshot: row === null ? { year: lastYear } : { year: row.year, ...Object.fromEntries(moneyFields.map((field) => [field, yuanText(row[field])])) },
    });
    setEditing({ year: row?.year ?? null });
  };

  const save = async () => {
    const values = (form.getFieldsValue(true) as { snapshot?: Record<string, unknown> }).snapshot ?? {};
    const snapshot: Record<string, unknown> = { year: values.year ?? undefined };
    const problems: { name: (string | number)[]; errors: string[] }[] = [];
    for (const field of moneyFields) {
      const parsed = yuanInput(values[field] as string | undefined);
      if (parsed.ok) snapshot[field] = parsed.fen;
      else problems.push({ name: ['snapshot', field], errors: [parsed.reason === 'blank' ? t('validation.required') : t(`enterprises.finance.yuan.${parsed.reason}`)] });
    }
    if (problems.length > 0) return form.setFields(problems);
    const input = validateEnterpriseForm(form, contract['enterprises.saveFinancials'].input, { enterpriseId: detail.id, snapshot }, t);
    if (input === null) return;
    const result = await call('enterprises.saveFinancials', input);
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(t('enterprises.form.saved'));
    setEditing(null);
    onChange(result.value);
  };

  const labels: Record<MoneyField, string> = {
    revenue: t('enterprises.finance.revenue'),
    totalAssets: t('enterprises.finance.totalAssets'),
    liabilities: t('enterprises.finance.liabilities'),
    profit: t('enterprises.finance.profit'),
  };

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('enterprises.finance.financials')}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8, fontSize: 13 }}>
            {t('enterprises.finance.unitWan')}
          </Typography.Text>
        </Typography.Title>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid="financials-add">
            {t('enterprises.finance.addYear')}
          </Button>
        )}
      </div>
      <Table<Financial>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={byYearDesc(financialsOf(detail))}
        locale={{ emptyText: t('enterprises.finance.empty') }}
        data-testid="financials-table"
        columns={[
          { title: t('enterprises.finance.year'), dataIndex: 'year', width: 90 },
          ...moneyFields.map((field) => ({ title: labels[field], dataIndex: field, align: 'right' as const, render: (fen: number) => <Money fen={fen} /> })),
          {
            title: t('enterprises.finance.debtRatio'),
            key: 'debtRatio',
            align: 'right' as const,
            render: (_: unknown, row: Financial) => debtRatio(row.liabilities, row.totalAssets) ?? '—',
          },
          ...(canWrite
            ? [
                {
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, row: Financial) => (
                    <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(row)} aria-label={t('enterprises.edit')} />
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.year == null ? t('enterprises.finance.addYear') : t('enterprises.finance.editYear', { year: editing.year })}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('enterprises.form.save')}
        forceRender
        data-testid="financials-dialog"
      >
        {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {replacing && <Alert type="warning" showIcon title={t('enterprises.finance.replacesYear', { year })} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name="financials" requiredMark={false} onValuesChange={clearErrorsOnChange(form)}>
          <Form.Item name={['snapshot', 'year']} label={t('enterprises.finance.year')}>
            <InputNumber min={1900} max={2100} precision={0} disabled={editing?.year != null} style={{ width: 140 }} />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('enterprises.finance.enterYuan')}
          </Typography.Paragraph>
          <Row gutter={12}>
            {moneyFields.map((field) => (
              <Col span={12} key={field}>
                <Form.Item name={['snapshot', field]} label={labels[field]}>
                  <Input suffix={t('enterprises.finance.yuanUnit')} inputMode="decimal" style={{ textAlign: 'right' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Form>
      </Modal>
    </>
  );
}

function IndicatorsSection({ detail, canWrite, onChange }: Props) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<{ year: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const year = Form.useWatch(['indicators', 'year'], form) as number | undefined;
  const replacing = editing?.year === null && indicatorsOf(detail).some((row) => row.year === year);

  const open = (row: Indicators | null) => {
    form.resetFields();
    setError(null);
    form.setFieldsValue({ indicators: row === null ? { year: lastYear } : { ...row } });
    setEditing({ year: row?.year ?? null });
  };

  const save = async () => {
    const values = (form.getFieldsValue(true) as { indicators?: Record<string, unknown> }).indicators ?? {};
    const indicators = {
      year: values.year ?? undefined,
      ...Object.fromEntries(quantityFields.map((field) => [field, quantityInput(values[field] as string | null | undefined)])),
    };
    const input = validateEnterpriseForm(form, contract['enterprises.saveIndicators'].input, { enterpriseId: detail.id, indicators }, t);
    if (input === null) return;
    const result = await call('enterprises.saveIndicators', input);
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(t('enterprises.form.saved'));
    setEditing(null);
    onChange(result.value);
  };

  const label = (field: QuantityField) => t(`enterprises.indicators.${field}`);
  const unit = (field: QuantityField) => t(`enterprises.indicators.units.${field}`);

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 24 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('enterprises.indicators.title')}
        </Typography.Title>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid="indicators-add">
            {t('enterprises.finance.addYear')}
          </Button>
        )}
      </div>
      <Table<Indicators>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={byYearDesc(indicatorsOf(detail))}
        locale={{ emptyText: t('enterprises.indicators.empty') }}
        scroll={{ x: 'max-content' }}
        data-testid="indicators-table"
        columns={[
          { title: t('enterprises.finance.year'), dataIndex: 'year', width: 80, fixed: 'left' as const },
          ...quantityFields.map((field) => ({
            title: (
              <span style={{ whiteSpace: 'nowrap' }}>
                {label(field)}
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
                  {' '}
                  ({unit(field)})
                </Typography.Text>
              </span>
            ),
            dataIndex: field,
            align: 'right' as const,
            render: (value: string | null) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatQuantity(value)}</span>,
          })),
          ...(canWrite
            ? [
                {
                  key: 'actions',
                  width: 60,
                  render: (_: unknown, row: Indicators) => (
                    <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(row)} aria-label={t('enterprises.edit')} />
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.year == null ? t('enterprises.indicators.add') : t('enterprises.indicators.edit', { year: editing.year })}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('enterprises.form.save')}
        width={620}
        forceRender
        data-testid="indicators-dialog"
      >
        {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {replacing && <Alert type="warning" showIcon title={t('enterprises.finance.replacesYear', { year })} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name="indicators" requiredMark={false} onValuesChange={clearErrorsOnChange(form)}>
          <Form.Item name={['indicators', 'year']} label={t('enterprises.finance.year')}>
            <InputNumber min={1900} max={2100} precision={0} disabled={editing?.year != null} style={{ width: 140 }} />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('enterprises.indicators.help')}
          </Typography.Paragraph>
          <Row gutter={12}>
            {quantityFields.map((field) => (
              <Col span={12} key={field}>
                <Form.Item name={['indicators', field]} label={label(field)}>
                  <Input suffix={unit(field)} inputMode="decimal" style={{ textAlign: 'right' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Form>
      </Modal>
    </>
  );
}

/** 财务与能耗: annual financial snapshots (万元; typed in 元, kept in fen) and resource and emission indicators. */
export function FinanceTab(props: Props) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="enterprise-finance">
      <FinancialsSection {...props} />
      <IndicatorsSection {...props} />
    </Space>
  );
}
