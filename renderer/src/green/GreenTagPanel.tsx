import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Form, Input, Select, Skeleton, Space, Tag, TreeSelect, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CatalogueView, GreenTagDetail, HostError, MethodInput } from '../../../shared/api/index.ts';
import { catalogueVersions, type CatalogueEntry, type CatalogueVersion } from '../../../shared/codes/greenCatalogues.ts';
import { benefitIndicators, type ProjectBenefits } from '../../../shared/domain/environmentalBenefit.ts';
import { can } from '../../../shared/domain/roles.ts';
import { AttachmentsTab } from '../enterprises/AttachmentsTab.tsx';
import { formatQuantity, quantityInput, yuanInput, yuanText } from '../enterprises/quantities.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant, formatYuan } from '../format.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { useReasonText } from './reasonText.ts';

type OwnerType = MethodInput<'green.tag'>['ownerType'];

interface TagForm {
  catalogueVersion: CatalogueVersion;
  code: string | null;
  totalInvestment: string;
  notes: string;
  benefits: Record<keyof ProjectBenefits, string>;
}

const QUANTITY = /^(?:0|[1-9]\d{0,14})(?:\.\d{1,4})?$/;

interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

/** The catalogue as a tree for the code picker: whatever depth is in force on this laptop. */
function codeTree(entries: readonly CatalogueEntry[]): TreeNode[] {
  const nodes = new Map(entries.map((entry) => [entry.code, { value: entry.code, title: `${entry.code} ${entry.name ?? ''}`.trim(), children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const entry of entries) {
    const node = nodes.get(entry.code)!;
    const parent = entry.parent === null ? undefined : nodes.get(entry.parent);
    (parent === undefined ? roots : parent.children).push(node);
  }
  return roots;
}

/**
 * 绿色标识 of a loan or a credit application: catalogue version and code (picked from the catalogue
 * in force), project investment and annual benefits, evidence files, and the credit manager's
 * confirmation. Says at every moment whether the record counts green, and if not, why.
 */
export function GreenTagPanel({ ownerType, ownerId, defaultVersion, canWrite }: { ownerType: OwnerType; ownerId: string; defaultVersion: CatalogueVersion; canWrite: boolean }) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [form] = Form.useForm<TagForm>();
  const [tag, setTag] = useState<GreenTagDetail | null | undefined>(undefined);
  const [catalogue, setCatalogue] = useState<CatalogueView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const version = Form.useWatch('catalogueVersion', form) ?? tag?.catalogueVersion ?? defaultVersion;

  const load = useCallback(async () => {
    const result = await call('green.tag', { ownerType, ownerId });
    if (result.ok) setTag(result.value);
    else setProblem(describeError(result.error));
  }, [call, ownerType, ownerId]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    let current = true;
    void call('green.catalogue', { version }).then((result) => {
      if (current && result.ok) setCatalogue(result.value);
    });
    return () => {
      current = false;
    };
  }, [call, version]);

  useEffect(() => {
    if (tag === undefined) return;
    form.setFieldsValue({
      catalogueVersion: tag?.catalogueVersion ?? defaultVersion,
      code: tag?.code ?? null,
      totalInvestment: tag?.totalInvestment == null ? '' : yuanText(tag.totalInvestment),
      notes: tag?.notes ?? '',
      benefits: Object.fromEntries(benefitIndicators.map((indicator) => [indicator, tag?.benefits[indicator] ?? ''])) as TagForm['benefits'],
    });
  }, [tag, form, defaultVersion]);

  const tree = useMemo(() => (catalogue === null ? [] : codeTree(catalogue.entries)), [catalogue]);

  const save = async () => {
    const values = form.getFieldsValue();
    const errors: Parameters<typeof form.setFields>[0] = [];
    const investment = yuanInput(values.totalInvestment);
    if (!investment.ok && investment.reason !== 'blank') errors.push({ name: ['totalInvestment'], errors: [t('green.panel.invalidYuan')] });
    const benefits = Object.fromEntries(
      benefitIndicators.map((indicator) => {
        const typed = quantityInput(values.benefits?.[indicator]);
        if (typed !== null && !QUANTITY.test(typed)) errors.push({ name: ['benefits', indicator] as ['benefits', typeof indicator], errors: [t('green.panel.invalidQuantity')] });
        return [indicator, typed];
      }),
    ) as ProjectBenefits;
    if (errors.length > 0) return form.setFields(errors);
    setBusy(true);
    setProblem(null);
    try {
      const result = await call('green.saveTag', {
        ownerType,
        ownerId,
        version: tag?.version ?? null,
        tag: { catalogueVersion: values.catalogueVersion, code: values.code ?? null, totalInvestment: investment.ok ? investment.fen : null, benefits, notes: (values.notes ?? '').trim() === '' ? null : values.notes.trim() },
      });
      if (!result.ok) return setProblem(result.error.code === 'VALIDATION' ? result.error.message : describeError(result.error));
      void message.success(t('green.panel.saved'));
      setTag(result.value);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (tag == null) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await call('green.confirm', { id: tag.id, version: tag.version });
      if (!result.ok) return setProblem(result.error.code === 'VALIDATION' ? result.error.message : describeError(result.error as HostError));
      setTag(result.value);
    } finally {
      setBusy(false);
    }
  };

  if (tag === undefined) return <Skeleton active />;
  const gaps = tag === null ? [] : tag.standing.green ? [] : tag.standing.gaps.filter((gap) => gap !== 'notConfirmed');
  const mayConfirm = user !== null && can(user.role, 'green.confirm') && tag !== null && tag.status === 'draft';
  const ownTag = tag !== null && user?.id === tag.preparedBy;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="green-tag-panel">
      <Typography.Text type="secondary">{t('green.panel.intro')}</Typography.Text>
      <Space wrap data-testid="green-standing">
        {tag === null ? (
          <Tag>{t('green.standing.none')}</Tag>
        ) : tag.standing.green ? (
          <Tag color="green" icon={<CheckCircleOutlined />}>
            {t('green.standing.green')}
          </Tag>
        ) : (
          <>
            <Tag color="orange">{t('green.standing.incomplete')}</Tag>
            <Typography.Text type="warning" data-testid="green-gaps">
              {tag.standing.gaps.map((gap) => t(`green.gaps.${gap}`)).join('、')}
            </Typography.Text>
          </>
        )}
        {tag !== null && <Typography.Text type="secondary">{t('green.panel.preparedLine', { user: tag.preparedByName ?? tag.preparedBy })}</Typography.Text>}
        {tag?.confirmedAt != null && <Typography.Text type="secondary">{t('green.panel.confirmedLine', { user: tag.confirmedByName ?? tag.confirmedBy, at: formatInstant(tag.confirmedAt) })}</Typography.Text>}
      </Space>
      {tag !== null && tag.greenwashing.length > 0 && (
        <Alert type="warning" showIcon title={t('green.washing.title')} description={tag.greenwashing.map(reasonText).join(t('green.washing.reasonSeparator'))} data-testid="green-tag-washing" />
      )}
      {problem !== null && <Alert type="error" showIcon title={problem} data-testid="green-problem" />}

      <Form form={form} layout="vertical" disabled={!canWrite || busy}>
        <Space wrap align="start" size="large">
          <Form.Item name="catalogueVersion" label={t('green.panel.catalogueVersion')} style={{ minWidth: 180 }}>
            <Select options={catalogueVersions.map((value) => ({ value, label: t(`green.catalogues.${value}`) }))} onChange={() => form.setFieldValue('code', null)} data-testid="green-version" />
          </Form.Item>
          <Form.Item name="code" label={t('green.panel.code')} style={{ minWidth: 360 }}>
            <TreeSelect treeData={tree} allowClear showSearch treeNodeFilterProp="title" placeholder={t('green.panel.codePlaceholder')} treeDefaultExpandAll={tree.length < 20} data-testid="green-code" />
          </Form.Item>
          <Form.Item name="totalInvestment" label={t('green.panel.totalInvestment')} style={{ minWidth: 220 }}>
            <Input inputMode="decimal" data-testid="green-total-investment" />
          </Form.Item>
        </Space>
        <Typography.Text strong>{t('green.panel.benefits')}</Typography.Text>
        <Space wrap size="middle" style={{ marginTop: 8 }}>
          {benefitIndicators.map((indicator) => (
            <Form.Item key={indicator} name={['benefits', indicator]} label={`${t(`green.indicators.${indicator}`)}（${t(`green.units.${indicator}`)}）`} style={{ width: 180 }}>
              <Input inputMode="decimal" data-testid={`green-benefit-${indicator}`} />
            </Form.Item>
          ))}
        </Space>
        <Form.Item name="notes" label={t('green.panel.notes')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {canWrite && (
          <Space>
            <Button type="primary" onClick={() => void save()} loading={busy} data-testid="green-save">
              {t('green.panel.save')}
            </Button>
            {tag?.status === 'confirmed' && <Typography.Text type="secondary">{t('green.panel.editWithdraws')}</Typography.Text>}
          </Space>
        )}
      </Form>

      {tag?.bankShare != null && (
        <Descriptions
          size="small"
          bordered
          column={3}
          title={tag.bankShare.ok ? t('green.panel.bankShare', { date: tag.bankShare.asOf, balance: formatYuan(tag.bankShare.balance) }) : undefined}
          data-testid="green-bank-share"
          items={
            tag.bankShare.ok
              ? benefitIndicators
                  .filter((indicator) => tag.bankShare?.ok === true && tag.bankShare.share[indicator] !== null)
                  .map((indicator) => ({ key: indicator, label: t(`green.indicators.${indicator}`), children: `${formatQuantity(tag.bankShare?.ok === true ? tag.bankShare.share[indicator] : null)} ${t(`green.units.${indicator}`)}` }))
              : [{ key: 'refused', label: t('green.panel.benefits'), children: tag.bankShare.message }]
          }
        />
      )}

      <div>
        <Typography.Title level={5}>{t('green.panel.evidence')}</Typography.Title>
        {tag === null ? (
          <Typography.Text type="secondary">{t('green.panel.evidenceAfterSave')}</Typography.Text>
        ) : (
          <AttachmentsTab ownerType="green_tags" ownerId={tag.id} canWrite={canWrite && tag.status === 'draft'} onChanged={() => void load()} nameOf={(id) => (id === user?.id ? user.displayName : id)} />
        )}
      </div>

      {mayConfirm && (
        <Space wrap>
          <Button type="primary" disabled={gaps.length > 0 || ownTag || busy} onClick={() => void confirm()} data-testid="green-confirm">
            {t('green.panel.confirm')}
          </Button>
          {gaps.length > 0 && <Typography.Text type="warning">{t('green.panel.cannotConfirm', { gaps: gaps.map((gap) => t(`green.gaps.${gap}`)).join('、') })}</Typography.Text>}
          {gaps.length === 0 && ownTag && <Typography.Text type="warning">{t('green.panel.fourEyes')}</Typography.Text>}
        </Space>
      )}
      {catalogue !== null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('green.panel.catalogueSources', { sources: catalogue.sources.join('；') })}
        </Typography.Text>
      )}
    </Space>
  );
}
