import { Descriptions, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnterpriseDetail } from '../../../shared/api/index.ts';
import { formatInstant } from '../format.ts';
import { divisionLabel, focusGroupLabel, industryLabel } from './labels.ts';
import { isExitOverdue } from './calendar.ts';

const dash = '—';

/** 基本信息: identity, contacts, policy flags, and who filed and last changed the file. */
export function BasicInfoTab({ detail, nameOf }: { detail: EnterpriseDetail; nameOf: (userId: string) => string }) {
  const { t, i18n } = useTranslation();
  const { identity, flags } = detail.file;
  const outdated = flags.outdatedCapacity;
  const yesNo = (value: boolean) => (value ? t('enterprises.form.yes') : t('enterprises.form.no'));
  return (
    <Descriptions
      bordered
      size="small"
      column={2}
      styles={{ label: { width: 150, whiteSpace: 'nowrap' } }}
      data-testid="enterprise-basic"
      items={[
        { key: 'uscc', label: t('enterprises.fields.uscc'), children: <Typography.Text className="gl-mono" copyable>{identity.uscc}</Typography.Text> },
        { key: 'name', label: t('enterprises.fields.name'), children: identity.name },
        ...(identity.usccCheckOverride === null
          ? []
          : [{ key: 'override', label: t('enterprises.detail.usccOverride'), span: 2, children: <Typography.Text type="warning">{identity.usccCheckOverride.reason}</Typography.Text> }]),
        { key: 'legal', label: t('enterprises.fields.legalRepresentative'), children: identity.legalRepresentative },
        { key: 'division', label: t('enterprises.fields.divisionCode'), children: divisionLabel(identity.divisionCode) },
        { key: 'address', label: t('enterprises.fields.address'), span: 2, children: identity.address },
        { key: 'industry', label: t('enterprises.fields.industryCode'), children: industryLabel(identity.industryCode) },
        { key: 'focus', label: t('enterprises.detail.focusGroup'), children: focusGroupLabel(detail.focusGroup, i18n.language) ?? t('enterprises.detail.notFocus') },
        { key: 'scale', label: t('enterprises.fields.scale'), children: t(`enterprises.scales.${identity.scale}`) },
        { key: 'ownership', label: t('enterprises.fields.ownership'), children: t(`enterprises.ownership.${identity.ownership}`) },
        { key: 'employees', label: t('enterprises.fields.employees'), children: identity.employees ?? dash },
        {
          key: 'contacts',
          label: t('enterprises.fields.contacts'),
          children:
            identity.contacts.length === 0
              ? dash
              : identity.contacts.map((contact) => (
                  <div key={`${contact.name}-${contact.phone}`}>
                    {contact.name} <Typography.Text className="gl-mono">{contact.phone}</Typography.Text>
                  </div>
                )),
        },
        {
          key: 'outdated',
          label: t('enterprises.flags.outdatedCapacity'),
          span: 2,
          children: outdated.flagged ? (
            <>
              {t('enterprises.detail.exitDeadline', { date: outdated.exitDeadline })}
              {outdated.exitedOn === null ? (
                isExitOverdue(outdated) && (
                  <Tag color="red" style={{ marginInlineStart: 8 }}>
                    {t('enterprises.flags.overdue')}
                  </Tag>
                )
              ) : (
                <Tag color="green" style={{ marginInlineStart: 8 }}>
                  {t('enterprises.detail.exitedOn', { date: outdated.exitedOn })}
                </Tag>
              )}
            </>
          ) : (
            t('enterprises.form.no')
          ),
        },
        { key: 'greenList', label: t('enterprises.flags.greenList'), children: yesNo(flags.greenList) },
        { key: 'negativeList', label: t('enterprises.flags.negativeList'), children: yesNo(flags.negativeList) },
        { key: 'created', label: t('enterprises.detail.created'), children: `${nameOf(detail.createdBy)} · ${formatInstant(detail.createdAt)}` },
        { key: 'updated', label: t('enterprises.detail.updated'), children: `${nameOf(detail.updatedBy)} · ${formatInstant(detail.updatedAt)}` },
      ]}
    />
  );
}

/** 绿色资质: green factory, park, supply chain, water benchmark, MIIT recommendation, products. */
export function GreenCredentialsTab({ detail }: { detail: EnterpriseDetail }) {
  const { t } = useTranslation();
  const green = detail.file.greenCredentials;
  const recognition = (value: { level: 'national' | 'provincial'; year: number } | null) =>
    value === null ? <Typography.Text type="secondary">{t('enterprises.levels.none')}</Typography.Text> : t('enterprises.detail.recognition', { level: t(`enterprises.levels.${value.level}`), year: value.year });
  const miit = green.miitRecommendation;
  return (
    <>
      <Descriptions
        bordered
        size="small"
        column={2}
        styles={{ label: { width: 150, whiteSpace: 'nowrap' } }}
        data-testid="enterprise-green"
        items={[
          { key: 'factory', label: t('enterprises.fields.greenFactory'), children: recognition(green.greenFactory) },
          { key: 'supplyChain', label: t('enterprises.fields.greenSupplyChain'), children: recognition(green.greenSupplyChain) },
          {
            key: 'park',
            label: t('enterprises.fields.greenPark'),
            children:
              green.greenPark === null
                ? recognition(null)
                : t('enterprises.detail.park', { name: green.greenPark.name, level: t(`enterprises.levels.${green.greenPark.level}`), year: green.greenPark.year }),
          },
          { key: 'water', label: t('enterprises.fields.waterEfficiencyBenchmark'), children: recognition(green.waterEfficiencyBenchmark) },
          {
            key: 'miit',
            label: t('enterprises.fields.miitRecommendation'),
            span: 2,
            children: miit.recommended ? t('enterprises.detail.miit', { date: miit.date, batch: miit.batch }) : <Typography.Text type="secondary">{t('enterprises.form.no')}</Typography.Text>,
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('enterprises.fields.greenProducts')}
      </Typography.Title>
      {green.greenProducts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.detail.noProducts')} />
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey={(product) => `${product.name}-${product.year}`}
          dataSource={green.greenProducts}
          columns={[
            { title: t('enterprises.form.productName'), dataIndex: 'name' },
            { title: t('enterprises.form.listYear'), dataIndex: 'year', width: 120 },
          ]}
        />
      )}
    </>
  );
}
