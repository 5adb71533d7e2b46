import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { contract, type User } from '../../../shared/api/index.ts';
import { roles } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { hostErrorOnForm, validateForm } from '../forms.ts';
import { RecordHistory } from '../components/RecordHistory.tsx';

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'reset'; user: User } | null;

export function Users() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const me = useUser();
  const [users, setUsers] = useState<User[]>([]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [history, setHistory] = useState<User | null>(null);
  const [form] = Form.useForm();

  const load = useCallback(async () => {
    const result = await call('users.list', {});
    if (result.ok) setUsers(result.value);
    else void message.error(describeError(result.error));
  }, [call, message]);

  useEffect(() => {
    void load();
  }, [load]);

  const open = (next: Dialog) => {
    form.resetFields();
    if (next?.kind === 'edit') form.setFieldsValue({ displayName: next.user.displayName, role: next.user.role });
    setDialog(next);
  };

  const save = async () => {
    const values = form.getFieldsValue() as Record<string, string>;
    let result;
    if (dialog?.kind === 'create') {
      const input = validateForm(form, contract['users.create'].input, values);
      if (input === null) return;
      result = await call('users.create', input);
    } else if (dialog?.kind === 'edit') {
      const input = validateForm(form, contract['users.update'].input, { id: dialog.user.id, version: dialog.user.version, ...values });
      if (input === null) return;
      result = await call('users.update', input);
    } else if (dialog?.kind === 'reset') {
      const input = validateForm(form, contract['users.resetPassword'].input, { id: dialog.user.id, newPassword: values.newPassword ?? '' });
      if (input === null) return;
      result = await call('users.resetPassword', input);
    } else return;
    if (!result.ok) {
      const text = hostErrorOnForm(form, result.error);
      if (text !== null) void message.error(text);
      return;
    }
    void message.success(dialog.kind === 'create' ? t('users.created') : dialog.kind === 'reset' ? t('users.passwordReset') : t('users.updated'));
    setDialog(null);
    await load();
  };

  const toggle = async (user: User) => {
    const result = await call('users.update', { id: user.id, version: user.version, disabled: !user.disabled });
    if (result.ok) await load();
    else void message.error(describeError(result.error));
  };

  const roleOptions = roles.map((role) => ({ value: role, label: t(`roles.${role}`) }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'create' })}>
          {t('users.create')}
        </Button>
      </Space>
      <Table<User>
        rowKey="id"
        dataSource={users}
        pagination={false}
        data-testid="users-table"
        columns={[
          { title: t('setup.username'), dataIndex: 'username' },
          { title: t('setup.displayName'), dataIndex: 'displayName' },
          { title: t('users.role'), dataIndex: 'role', render: (role: User['role']) => t(`roles.${role}`) },
          {
            title: t('users.status'),
            dataIndex: 'disabled',
            render: (disabled: boolean) => (disabled ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>),
          },
          { title: t('users.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at) },
          {
            key: 'actions',
            render: (_: unknown, user: User) => (
              <Space size="small">
                <Button size="small" onClick={() => open({ kind: 'edit', user })}>
                  {t('users.edit')}
                </Button>
                <Button size="small" onClick={() => open({ kind: 'reset', user })}>
                  {t('users.resetPassword')}
                </Button>
                {user.id !== me?.id && (
                  <Button size="small" danger={!user.disabled} onClick={() => void toggle(user)}>
                    {user.disabled ? t('users.enable') : t('users.disable')}
                  </Button>
                )}
                <Button size="small" type="link" onClick={() => setHistory(user)}>
                  {t('users.history')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={dialog?.kind === 'create' ? t('users.create') : dialog?.kind === 'reset' ? `${t('users.resetPassword')} · ${dialog.user.username}` : dialog?.kind === 'edit' ? `${t('users.edit')} · ${dialog.user.username}` : ''}
        onCancel={() => setDialog(null)}
        onOk={() => void save()}
        forceRender
        data-testid="user-dialog"
      >
        <Form form={form} layout="vertical">
          {dialog?.kind === 'create' && (
            <Form.Item name="username" label={t('setup.username')}>
              <Input autoComplete="off" />
            </Form.Item>
          )}
          {dialog?.kind !== 'reset' && (
            <>
              <Form.Item name="displayName" label={t('setup.displayName')}>
                <Input />
              </Form.Item>
              <Form.Item name="role" label={t('users.role')}>
                <Select options={roleOptions} data-testid="role-select" />
              </Form.Item>
            </>
          )}
          {dialog?.kind === 'create' && (
            <Form.Item name="password" label={t('users.initialPassword')} extra={t('users.initialPasswordHelp')}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          {dialog?.kind === 'reset' && (
            <Form.Item name="newPassword" label={t('account.newPassword')} extra={t('users.initialPasswordHelp')}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <RecordHistory recordType="users" recordId={history?.id ?? null} title={history?.username ?? ''} onClose={() => setHistory(null)} />
    </Space>
  );
}
