import { Alert, Form, Input, Modal, App as AntApp } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { hostErrorOnForm, validateForm } from '../forms.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Own password change; forced (not closable) while the account must change its initial password. */
export function ChangePasswordModal({ open, forced, onClose }: { open: boolean; forced: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const call = useAppStore((s) => s.call);
  const refreshSession = useAppStore((s) => s.refreshSession);

  const submit = async () => {
    const values = form.getFieldsValue();
    if (values.newPassword !== values.confirm) {
      form.setFields([{ name: 'confirm', errors: [t('account.mismatch')] }]);
      return;
    }
    const input = validateForm(form, contract['users.changeOwnPassword'].input, { currentPassword: values.currentPassword ?? '', newPassword: values.newPassword ?? '' });
    if (input === null) return;
    const result = await call('users.changeOwnPassword', input);
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(t('account.passwordChanged'));
    form.resetFields();
    setError(null);
    await refreshSession();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={forced ? t('account.mustChange') : t('account.changePassword')}
      closable={!forced}
      mask={{ closable: !forced }}
      cancelButtonProps={{ style: forced ? { display: 'none' } : {} }}
      onCancel={onClose}
      onOk={() => void submit()}
      data-testid="change-password"
      forceRender
    >
      {error !== null && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="currentPassword" label={t('account.currentPassword')}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('account.newPassword')} extra={t('setup.passwordHelp')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('setup.passwordConfirm')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
