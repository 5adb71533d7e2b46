import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { HostError } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { AuthLayout } from './AuthLayout.tsx';

/** The login error in words a person can act on: attempts left, or until when the account is locked. */
export function loginErrorText(error: HostError, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (error.code === 'INVALID_CREDENTIALS' && typeof error.details?.remainingAttempts === 'number') {
    return `${describeError(error)}${t('login.remaining', { count: error.details.remainingAttempts })}`;
  }
  if (error.code === 'ACCOUNT_LOCKED' && typeof error.details?.lockedUntil === 'string') {
    return t('login.lockedUntil', { time: formatInstant(error.details.lockedUntil) });
  }
  return describeError(error);
}

export function LoginPage() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const call = useAppStore((s) => s.call);
  const setSession = useAppStore((s) => s.setSession);
  const branch = useAppStore((s) => s.session?.branch);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    const result = await call('session.login', values);
    setBusy(false);
    if (result.ok) setSession(result.value);
    else setError(loginErrorText(result.error, t));
  };

  return (
    <AuthLayout title={`${t('login.title')}${branch ? ` · ${branch.name}` : ''}`}>
      {error !== null && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form layout="vertical" onFinish={(v) => void submit(v)} data-testid="login-form">
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('login.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
