import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';

/**
 * Drawn over the app rather than instead of it: the screens underneath stay mounted, so a form the
 * officer was filling in keeps its contents through the lock.
 */
export function LockOverlay() {
  const { t } = useTranslation();
  const session = useAppStore((s) => s.session);
  const call = useAppStore((s) => s.call);
  const setSession = useAppStore((s) => s.setSession);
  const refreshSession = useAppStore((s) => s.refreshSession);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ password: string }>();

  if (session?.user == null || !session.locked) return null;

  const unlock = async ({ password }: { password: string }) => {
    const result = await call('session.unlock', { password });
    form.resetFields();
    if (result.ok) {
      setError(null);
      setSession(result.value);
    } else if (result.error.code === 'ACCOUNT_LOCKED') {
      // Too many wrong passwords: the host has signed this session out; back to the sign-in page.
      await refreshSession();
    } else setError(describeError(result.error));
  };

  const logout = async () => {
    const result = await call('session.logout', {});
    if (result.ok) setSession(result.value);
  };

  return (
    <Modal open closable={false} mask={{ closable: false }} keyboard={false} footer={null} title={<Space><LockOutlined />{t('lock.title')}</Space>} styles={{ mask: { backdropFilter: 'blur(6px)', background: 'rgba(20,40,30,0.55)' } }} data-testid="lock-overlay">
      <Typography.Paragraph>{t('lock.body', { name: session.user.displayName, minutes: session.idleLockMinutes })}</Typography.Paragraph>
      {error !== null && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void unlock(v)}>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('lock.unlock')}
          </Button>
          <Button onClick={() => void logout()}>{t('lock.switchUser')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
