import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { AuthLayout } from '../auth/AuthLayout.tsx';
import { consoleCall } from './api.ts';
import { describeConsoleError } from './errors.ts';
import { signInRefusal } from './forms.ts';
import { homeOf, useConsole } from './session.ts';

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signedIn = useConsole((s) => s.signedIn);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    const result = await consoleCall('session.signIn', values);
    setBusy(false);
    if (!result.ok) {
      setError(signInRefusal(result.error, t, describeConsoleError));
      return;
    }
    signedIn(result.value.user, result.value.csrfToken);
    void navigate(homeOf(result.value.user), { replace: true });
  };

  return (
    <AuthLayout
      title={
        <span role="heading" aria-level={1}>
          {t('signIn.title')}
        </span>
      }
    >
      {error !== null && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="sign-in-error" />}
      <Typography.Paragraph type="secondary">{t('signIn.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={(values: { username: string; password: string }) => void submit(values)} data-testid="sign-in-form">
        <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, whitespace: true, message: t('signIn.required', { field: t('signIn.username') }) }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" maxLength={64} autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.required', { field: t('signIn.password') }) }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
          {t('signIn.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
