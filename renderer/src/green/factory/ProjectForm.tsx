import { useEffect, useState } from 'react';
import { Alert, App as AntApp, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { GreenFactoryProjectDetail } from '../../../../shared/api/index.ts';
import { greenFactoryProjectKinds, type GreenFactoryProjectKind } from '../../../../shared/domain/greenFactory.ts';
import { formatWanYuan, yuanToFen } from '../../../../shared/domain/money.ts';
import { hostErrorOnForm } from '../../forms.ts';
import { EnterprisePicker, type EnterpriseChoice } from '../../enterprises/EnterprisePicker.tsx';
import { useAppStore } from '../../stores/app.ts';
import { firstDayOf, quarterOfDay } from './quarter.ts';

interface ProjectValues {
  enterpriseId: string;
  projectName: string;
  kind: GreenFactoryProjectKind;
  amountText: string;
  quarter: Dayjs;
  contactName?: string;
  contactPhone?: string;
  notes?: string;
}

const PHONE = /^[0-9+\-() ]{5,30}$/;
const blankToNull = (text: string | undefined) => (text === undefined || text.trim() === '' ? null : text.trim());

/** 登记融资需求: a green factory's project, the money it seeks (typed in 元, shown in 万元) and the quarter it was collected in. */
export function ProjectForm({ open, quarter, onClose, onSaved }: { open: boolean; quarter: string; onClose: () => void; onSaved: (project: GreenFactoryProjectDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<ProjectValues>();
  const [pinned, setPinned] = useState<EnterpriseChoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const amountText = Form.useWatch('amountText', form);
  const label = (key: string) => t(`greenFactory.form.${key}`);
  const required = (key: string) => ({ required: true, message: t('greenFactory.form.required', { field: label(key) }) });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ quarter: dayjs(firstDayOf(quarter)), kind: 'technical_upgrade' });
    setPinned(null);
    setError(null);
  }, [open, quarter, form]);

  const parsed = typeof amountText === 'string' ? yuanToFen(amountText) : null;
  const save = async (values: ProjectValues) => {
    const amount = yuanToFen(values.amountText);
    if (!amount.ok || amount.fen <= 0) return;
    setSaving(true);
    const result = await call('greenFactory.create', {
      project: {
        enterpriseId: values.enterpriseId,
        projectName: values.projectName,
        kind: values.kind,
        amountSought: amount.fen,
        quarter: quarterOfDay(values.quarter),
        contactName: blankToNull(values.contactName),
        contactPhone: blankToNull(values.contactPhone),
        notes: blankToNull(values.notes),
      },
    });
    setSaving(false);
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(label('saved'));
    onSaved(result.value);
  };

  return (
    <Modal
      open={open}
      title={label('title')}
      okText={label('save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      width={640}
      okButtonProps={{ 'data-testid': 'factory-form-save' } as never}
    >
      <Form<ProjectValues> form={form} layout="vertical" onFinish={(values) => void save(values)} data-testid="factory-form">
        <Form.Item name="enterpriseId" label={label('enterprise')} rules={[required('enterprise')]}>
          <EnterprisePicker pinned={pinned} onPick={setPinned} placeholder={label('enterprisePlaceholder')} ariaLabel={label('enterprise')} testId="factory-form-enterprise" />
        </Form.Item>
        <Form.Item name="projectName" label={label('projectName')} rules={[required('projectName'), { min: 2, max: 200, message: t('greenFactory.contact.tooShort') }]}>
          <Input maxLength={200} data-testid="factory-form-project-name" />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0 12px' }}>
          <Form.Item name="kind" label={label('kind')} rules={[required('kind')]}>
            <Select options={greenFactoryProjectKinds.map((value) => ({ value, label: t(`greenFactory.kinds.${value}`) }))} aria-label={label('kind')} data-testid="factory-form-kind" />
          </Form.Item>
          <Form.Item
            name="amountText"
            label={label('amount')}
            extra={parsed?.ok === true && parsed.fen > 0 ? t('greenFactory.form.amountHint', { wan: formatWanYuan(parsed.fen) }) : undefined}
            rules={[
              required('amount'),
              {
                validator: async (_, text: string | undefined) => {
                  if (text === undefined || text.trim() === '') return;
                  const fen = yuanToFen(text);
                  if (!fen.ok || fen.fen <= 0) throw new Error(label('invalidYuan'));
                },
              },
            ]}
          >
            <Input inputMode="decimal" data-testid="factory-form-amount" />
          </Form.Item>
          <Form.Item name="quarter" label={label('quarter')} rules={[required('quarter')]}>
            <DatePicker picker="quarter" allowClear={false} style={{ width: '100%' }} data-testid="factory-form-quarter" />
          </Form.Item>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 12px' }}>
          <Form.Item name="contactName" label={label('contactName')}>
            <Input maxLength={50} data-testid="factory-form-contact-name" />
          </Form.Item>
          <Form.Item name="contactPhone" label={label('contactPhone')} rules={[{ pattern: PHONE, message: label('invalidPhone') }]}>
            <Input maxLength={30} data-testid="factory-form-contact-phone" />
          </Form.Item>
        </div>
        <Form.Item name="notes" label={label('notes')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} data-testid="factory-form-error" />}
      </Form>
    </Modal>
  );
}
