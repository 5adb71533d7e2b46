import { useState } from 'react';
import { Alert, Button, Divider, Form, Input, Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { hostErrorOnForm, validateForm } from '../forms.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { EnrollmentFields, type EnrollmentValues } from '../sync/EnrollmentFields.tsx';
import { checkDivisionCode, divisionPlace } from '../../../shared/domain/division.ts';

/** Joining a branch that exists adds head office's address and a one-time enrollment code. */
interface SetupValues extends EnrollmentValues {
  branch: { name: string; code: string; divisionCode: string };
  admin: { username: string; displayName: string; password: string; passwordConfirm: string };
}

/** A new branch is registered here; an existing one comes from head office (「加入已有支行」). */
type SetupMode = 'new' | 'join';

export function SetupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SetupValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<SetupMode>('new');
  const call = useAppStore((s) => s.call);
  const setSession = useAppStore((s) => s.setSession);
  // Six digits typed: name the county at once (江西省 景德镇市 浮梁县), or say why it is refused.
  const divisionCode = (Form.useWatch(['branch', 'divisionCode'], form) as string | undefined) ?? '';
  const division = /^\d{6}$/.test(divisionCode) ? checkDivisionCode(divisionCode) : null;

  const submit = async (values: SetupValues) => {
    setError(null);
    if (values.admin.password !== values.admin.passwordConfirm) {
      form.setFields([{ name: ['admin', 'passwordConfirm'], errors: [t('account.mismatch')] }]);
      return;
    }
    const admin = { username: values.admin.username, displayName: values.admin.displayName, password: values.admin.password };
    let result;
    if (mode === 'join') {
      const input = validateForm(form, contract['setup.join'].input, { hubUrl: values.hubUrl, code: values.code, deviceName: values.deviceName, admin });
      if (input === null) return;
      setBusy(true);
      result = await call('setup.join', input);
    } else {
      const input = validateForm(form, contract['setup.initialize'].input, { branch: values.branch, admin });
      if (input === null) return;
      setBusy(true);
      result = await call('setup.initialize', input);
    }
    setBusy(false);
    if (result.ok) setSession(result.value);
    else setError(hostErrorOnForm(form, result.error));
  };

  return (
    <AuthLayout title={t('setup.title')} width={520}>
      <Typography.Paragraph type="secondary">{t(mode === 'join' ? 'setup.introJoin' : 'setup.intro')}</Typography.Paragraph>
      {error !== null && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark data-testid="setup-form">
        <Segmented<SetupMode>
          block
          value={mode}
          onChange={(next) => {
            setMode(next);
            setError(null);
          }}
          options={[
            { value: 'new', label: t('setup.modeNew') },
            { value: 'join', label: t('setup.modeJoin') },
          ]}
          style={{ marginBottom: 8 }}
          data-testid="setup-mode"
        />
        {mode === 'join' ? (
          <>
            <Divider titlePlacement="start">{t('setup.joinTitle')}</Divider>
            <Typography.Paragraph type="secondary">{t('setup.joinIntro')}</Typography.Paragraph>
            <EnrollmentFields />
          </>
        ) : (
          <>
            <Divider titlePlacement="start">{t('setup.branch')}</Divider>
            <Form.Item name={['branch', 'name']} label={t('setup.branchName')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input placeholder="浮梁县支行" />
            </Form.Item>
            <Form.Item name={['branch', 'code']} label={t('setup.branchCode')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input />
            </Form.Item>
            <Form.Item
              name={['branch', 'divisionCode']}
              label={t('setup.divisionCode')}
              extra={division?.ok === true ? divisionPlace(divisionCode) : t('setup.divisionCodeHelp')}
              {...(division !== null && !division.ok && { help: t(`validation.${division.reason}`, division), validateStatus: 'error' as const })}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input maxLength={6} />
            </Form.Item>
          </>
        )}
        <Divider titlePlacement="start">{t('setup.admin')}</Divider>
        <Form.Item name={['admin', 'username']} label={t('setup.username')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name={['admin', 'displayName']} label={t('setup.displayName')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input />
        </Form.Item>
        <Form.Item name={['admin', 'password']} label={t('setup.password')} extra={t('setup.passwordHelp')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name={['admin', 'passwordConfirm']} label={t('setup.passwordConfirm')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t(mode === 'join' ? 'setup.submitJoin' : 'setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
