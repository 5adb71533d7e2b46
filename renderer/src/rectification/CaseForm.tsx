import { useEffect, useState } from 'react';
import { App as AntApp, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseFacts } from '../../../shared/api/index.ts';
import { caseCategories, caseMeasures, caseSources, type CaseCategory, type CaseMeasure, type CaseSource } from '../../../shared/domain/rectification.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { ExposurePlanFields, planHasTwinDays, planOf, type PlanRow } from './ExposurePlanFields.tsx';

const DAY = 'YYYY-MM-DD';

interface Values {
  category: CaseCategory;
  source: CaseSource;
  sourceReference?: string;
  sourceAuthority?: string;
  sourceDate?: Dayjs | null;
  foundOn: Dayjs;
  description: string;
  requiredActions: string;
  deadline: Dayjs;
  measure: CaseMeasure;
  exposurePlan?: PlanRow[];
}

/** What a case opened from elsewhere (a monitoring visit's finding) starts with. */
export interface CasePrefill {
  category?: CaseCategory;
  source?: CaseSource;
  foundOn?: string;
  description?: string;
  monitoringVisitId?: string;
}

/**
 * Opens a rectification case for an enterprise: category, source (a penalty decision with its number,
 * authority and date), found day, description, required actions, deadline and the bank's measure.
 * The signed-in person is its responsible officer.
 */
export function CaseForm({ open, enterprise, prefill, onClose, onSaved }: { open: boolean; enterprise: { id: string; name: string }; prefill?: CasePrefill; onClose: () => void; onSaved: (detail: CaseDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const source = Form.useWatch('source', form);
  const measure = Form.useWatch('measure', form);
  const label = (key: string) => t(`rectification.form.${key}`);
  const required = (key: string) => ({ required: true, message: t('rectification.form.required', { field: label(key) }) });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      category: prefill?.category ?? 'environmental',
      source: prefill?.source ?? 'penalty_decision',
      foundOn: dayjs(prefill?.foundOn),
      description: prefill?.description,
      measure: 'urge',
    });
    setError(null);
  }, [open, form, prefill]);

  const save = async (values: Values) => {
    if (user === null) return;
    const penalty = values.source === 'penalty_decision';
    const facts: CaseFacts = {
      enterpriseId: enterprise.id,
      category: values.category,
      source: values.source,
      sourceReference: values.sourceReference?.trim() || null,
      sourceAuthority: values.sourceAuthority?.trim() || null,
      sourceDate: values.sourceDate?.format(DAY) ?? null,
      foundOn: values.foundOn.format(DAY),
      description: values.description,
      requiredActions: values.requiredActions,
      deadline: values.deadline.format(DAY),
      measure: values.measure,
      // The plan is 压缩退出's: under another measure whatever was typed into it is not kept.
      exposurePlan: values.measure === 'reduce_exit' ? planOf(values.exposurePlan) : [],
      officerId: user.id,
      monitoringVisitId: prefill?.monitoringVisitId ?? null,
    };
    if (penalty && (facts.sourceReference === null || facts.sourceAuthority === null || facts.sourceDate === null)) {
      setError(label('penaltyDetails'));
      return;
    }
    if (facts.measure === 'reduce_exit' && facts.exposurePlan.length === 0) {
      setError(t('caseExposure.plan.required'));
      return;
    }
    if (planHasTwinDays(facts.exposurePlan)) {
      setError(t('caseExposure.plan.twinDays'));
      return;
    }
    if (facts.deadline < facts.foundOn) {
      setError(label('deadlineBeforeFound'));
      return;
    }
    setSaving(true);
    const result = await call('cases.create', { facts });
    setSaving(false);
    if (!result.ok) {
      setError(describeError(result.error));
      return;
    }
    void message.success(t('rectification.form.saved', { number: result.value.caseNumber }));
    onSaved(result.value);
  };

  return (
    <Modal
      open={open}
      title={`${label('title')} · ${enterprise.name}`}
      okText={label('save')}
      cancelText={label('cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={720}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'case-save' } as never}
    >
      <Form<Values> form={form} layout="vertical" onFinish={(values) => void save(values)} data-testid="case-form">
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="category" label={label('category')} rules={[required('category')]}>
            <Select data-testid="case-category" options={caseCategories.map((value) => ({ value, label: t(`rectification.categories.${value}`) }))} />
          </Form.Item>
          <Form.Item name="source" label={label('source')} rules={[required('source')]}>
            <Select data-testid="case-source" options={caseSources.map((value) => ({ value, label: t(`rectification.sources.${value}`) }))} />
          </Form.Item>
          <Form.Item name="foundOn" label={label('foundOn')} rules={[required('foundOn')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="case-found-on" />
          </Form.Item>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: '1.2fr 1.2fr 1fr', gap: '0 16px' }}>
          <Form.Item name="sourceReference" label={label('sourceReference')} rules={source === 'penalty_decision' ? [required('sourceReference')] : []}>
            <Input placeholder={label('sourceReferencePlaceholder')} maxLength={100} data-testid="case-source-reference" />
          </Form.Item>
          <Form.Item name="sourceAuthority" label={label('sourceAuthority')} rules={source === 'penalty_decision' ? [required('sourceAuthority')] : []}>
            <Input placeholder={label('sourceAuthorityPlaceholder')} maxLength={100} data-testid="case-source-authority" />
          </Form.Item>
          <Form.Item name="sourceDate" label={label('sourceDate')} rules={source === 'penalty_decision' ? [required('sourceDate')] : []}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="case-source-date" />
          </Form.Item>
        </div>
        <Form.Item name="description" label={label('description')} rules={[required('description')]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="case-description" />
        </Form.Item>
        <Form.Item name="requiredActions" label={label('requiredActions')} rules={[required('requiredActions')]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="case-required-actions" />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0 16px' }}>
          <Form.Item name="deadline" label={label('deadline')} rules={[required('deadline')]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="case-deadline" />
          </Form.Item>
          <Form.Item name="measure" label={label('measure')} rules={[required('measure')]}>
            <Select data-testid="case-measure" options={caseMeasures.map((value) => ({ value, label: t(`rectification.measures.${value}`) }))} />
          </Form.Item>
          <Form.Item label={label('officer')}>
            <Input value={user?.displayName ?? ''} disabled />
          </Form.Item>
        </div>
        {measure === 'reduce_exit' && (
          <Form.Item label={t('caseExposure.plan.fieldLabel')} extra={t('caseExposure.plan.help')}>
            <ExposurePlanFields />
          </Form.Item>
        )}
        {error !== null && (
          <div role="alert" style={{ color: '#cf1322' }} data-testid="case-form-error">
            {error}
          </div>
        )}
      </Form>
    </Modal>
  );
}
