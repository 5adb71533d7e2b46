import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Form, InputNumber, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { hostErrorOnForm, validateForm } from '../forms.ts';

const securitySchema = contract['settings.updateSecurity'].input;
const { minValue: MIN_MINUTES, maxValue: MAX_MINUTES } = securitySchema.shape.idleLockMinutes.unwrap();

/**
 * Administrators: minutes without activity before the screen locks. Validated by the contract's
 * schema here and by the host, audited there (the CLI's `settings set` takes the same path).
 */
export function AutoLockCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const minutes = useAppStore((s) => s.settings?.idleLockMinutes ?? 15);
  const refreshSession = useAppStore((s) => s.refreshSession);
  const [form] = Form.useForm<{ idleLockMinutes: number | null }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => form.setFieldsValue({ idleLockMinutes: minutes }), [form, minutes]);

  const save = async (values: { idleLockMinutes: number | null }) => {
    const input = validateForm(form, securitySchema, { idleLockMinutes: values.idleLockMinutes ?? undefined });
    if (input === null) return;
    setBusy(true);
    const result = await call('settings.updateSecurity', input);
    setBusy(false);
    if (!result.ok) {
      const text = hostErrorOnForm(form, result.error);
      if (text !== null) void message.error(text);
      return;
    }
    useAppStore.setState({ settings: result.value });
    // The idle timer reads the minutes from the session.
    await refreshSession();
    void message.success(t('settings.saved'));
  };

  return (
    <Card title={t('settings.autoLock')} data-testid="auto-lock-card">
      <Form form={form} layout="inline" onFinish={(values) => void save(values)}>
        <Form.Item
          name="idleLockMinutes"
          label={t('settings.autoLockMinutes')}
          rules={[{ required: true, message: t('validation.required') }]}
          extra={t('settings.autoLockHelp', { min: MIN_MINUTES, max: MAX_MINUTES })}
        >
          <InputNumber precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="auto-lock-save">
              {t('settings.save')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('settings.autoLockAudit')}
      </Typography.Paragraph>
    </Card>
  );
}
