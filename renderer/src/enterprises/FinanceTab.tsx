import { Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { contract, type EnterpriseDetail } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { validateEnterpriseForm } from './validation.ts';
import { financialsOf, indicatorsOf, type FinancialRow, type IndicatorRow } from './rows.ts';
import { debtRatio, formatQuantity, quantityInput, wanYuan, yuanInput, yuanText } from './quantities.ts';
import { YearRecordSection } from './YearRecordSection.tsx';

const moneyFields = ['revenue', 'totalAssets', 'liabilities', 'profit'] as const;
type MoneyField = (typeof moneyFields)[number];
const quantityFields = ['energyTce', 'waterM3', 'codT', 'nh3nT', 'so2T', 'noxT', 'co2T'] as const;
type QuantityField = (typeof quantityFields)[number];

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

function FinancialsSection(props: Props) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);

  const labels: Record<MoneyField, string> = {
    revenue: t('enterprises.finance.revenue'),
    totalAssets: t('enterprises.finance.totalAssets'),
    liabilities: t('enterprises.finance.liabilities'),
    profit: t('enterprises.finance.profit'),
  };

  return (
    <YearRecordSection<FinancialRow>
      name="financials"
      group="snapshot"
      {...props}
      rowsOf={financialsOf}
      heading={
        <>
          {t('enterprises.finance.financials')}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8, fontSize: 13 }}>
            {t('enterprises.finance.unitWan')}
          </Typography.Text>
        </>
      }
      emptyText={t('enterprises.finance.empty')}
      columns={[
        { title: t('enterprises.finance.year'), dataIndex: 'year', width: 90 },
        ...moneyFields.map((field) => ({ title: labels[field], dataIndex: field, align: 'right' as const, render: (fen: number) => <Money fen={fen} /> })),
        {
          title: t('enterprises.finance.debtRatio'),
          key: 'debtRatio',
          align: 'right' as const,
          render: (_: unknown, row: FinancialRow) => debtRatio(row.liabilities, row.totalAssets) ?? '—',
        },
      ]}
      actionsWidth={80}
      dialogTitle={(year) => (year === null ? t('enterprises.finance.addYear') : t('enterprises.finance.editYear', { year }))}
      help={t('enterprises.finance.enterYuan')}
      fields={moneyFields.map((field) => ({ name: field, label: labels[field], suffix: t('enterprises.finance.yuanUnit') }))}
      // Amounts are kept in fen and typed in 元.
      toValues={(row) => ({ year: row.year, ...Object.fromEntries(moneyFields.map((field) => [field, yuanText(row[field])])) })}
      submit={async (values, form) => {
        const snapshot: Record<string, unknown> = { year: values.year ?? undefined };
        // The schema sees fen; a 元 amount it cannot read is explained here, in terms of 元.
        const problems: { name: (string | number)[]; errors: string[] }[] = [];
        for (const field of moneyFields) {
          const parsed = yuanInput(values[field] as string | undefined);
          if (parsed.ok) snapshot[field] = parsed.fen;
          else problems.push({ name: ['snapshot', field], errors: [parsed.reason === 'blank' ? t('validation.required') : t(`enterprises.finance.yuan.${parsed.reason}`)] });
        }
        if (problems.length > 0) {
          form.setFields(problems);
          return null;
        }
        const input = validateEnterpriseForm(form, contract['enterprises.saveFinancials'].input, { enterpriseId: props.detail.id, snapshot }, t);
        return input === null ? null : call('enterprises.saveFinancials', input);
      }}
    />
  );
}

function IndicatorsSection(props: Props) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);

  const label = (field: QuantityField) => t(`enterprises.indicators.${field}`);
  const unit = (field: QuantityField) => t(`enterprises.indicators.units.${field}`);

  return (
    <YearRecordSection<IndicatorRow>
      name="indicators"
      group="indicators"
      {...props}
      rowsOf={indicatorsOf}
      heading={t('enterprises.indicators.title')}
      marginTop={24}
      emptyText={t('enterprises.indicators.empty')}
      // Seven quantities do not fit the tab: the table scrolls sideways, the year stays in view.
      scroll={{ x: 'max-content' }}
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
      ]}
      actionsWidth={60}
      dialogTitle={(year) => (year === null ? t('enterprises.indicators.add') : t('enterprises.indicators.edit', { year }))}
      dialogWidth={620}
      help={t('enterprises.indicators.help')}
      fields={quantityFields.map((field) => ({ name: field, label: label(field), suffix: unit(field) }))}
      toValues={(row) => ({ ...row })}
      submit={async (values, form) => {
        const indicators = {
          year: values.year ?? undefined,
          ...Object.fromEntries(quantityFields.map((field) => [field, quantityInput(values[field] as string | null | undefined)])),
        };
        const input = validateEnterpriseForm(form, contract['enterprises.saveIndicators'].input, { enterpriseId: props.detail.id, indicators }, t);
        return input === null ? null : call('enterprises.saveIndicators', input);
      }}
    />
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
