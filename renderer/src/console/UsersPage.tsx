import { useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleUser } from '../../../shared/api/console.ts';
import { headOfficeRoles } from '../../../shared/domain/headOfficeRoles.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { formatInstant } from '../format.ts';
import { consoleCall } from './api.ts';
import { describeConsoleError } from './errors.ts';
import { accountInput, accountRefusal, type AccountForm, type Field, type T } from './forms.ts';
import { LoadError } from './LoadError.tsx';
import { useConsoleQuery } from './useConsoleQuery.ts';

const limitText = (user: ConsoleUser, t: T) => (user.approvalLimitFen === null ? '—' : t('users.wan', { amount: formatWanYuan(user.approvalLimitFen) }));

/** 总行用户: head office's people, and a 总行管理员 opening an account (a 总行审批人 with their limit in 万元). */
export function UsersPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<AccountForm>();
  const role = Form.useWatch('role', form);
  const { value, error, loading, reload } = useConsoleQuery('users.list', {});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const users = value?.users ?? [];

  const submit = async (values: AccountForm) => {
    setCreated(null);
    setFormError(null);
    const input = accountInput(values, t);
    if (!input.ok) {
      form.setFields(Object.entries(input.errors).map(([name, message]) => ({ name: name as Field, errors: [message] })));
      return;
    }
    setBusy(true);
    const result = await consoleCall('users.create', input.value);
    setBusy(false);
    if (!result.ok) {
      const { field, message } = accountRefusal(result.error, input.value.username, t, describeConsoleError);
      if (field !== undefined && field in values) form.setFields([{ name: field, errors: [message] }]);
      else setFormError(message);
      return;
    }
    const user = result.value;
    setCreated(t('users.created', { role: t(`roles.${user.role}`), name: user.displayName, username: user.username }));
    form.resetFields();
    reload();
  };

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        {created !== null && (
          <div role="status" data-testid="user-created" style={{ marginBottom: 16 }}>
            <Alert type="success" showIcon message={created} />
          </div>
        )}
        <Card>
          <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
            {t('users.heading', { n: users.length })}
          </Typography.Title>
          {error !== undefined && <LoadError error={error} retry={reload} />}
          <Table<ConsoleUser>
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={users}
            pagination={false}
            data-testid="users"
            columns={[
              { key: 'username', title: t('users.username'), dataIndex: 'username' },
              { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName' },
              { key: 'role', title: t('users.role'), render: (_, user) => t(`roles.${user.role}`) },
              { key: 'limit', title: t('users.limit'), align: 'right', render: (_, user) => limitText(user, t) },
              { key: 'status', title: t('users.status'), render: (_, user) => (user.disabled ? <Tag>{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>) },
              { key: 'createdAt', title: t('users.createdAt'), render: (_, user) => formatInstant(user.createdAt) },
            ]}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card title={<span role="heading" aria-level={3}>{t('users.create')}</span>}>
          {formError !== null && <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} />}
          <Form<AccountForm>
            form={form}
            layout="horizontal"
            labelCol={{ flex: '12em' }}
            labelWrap
            wrapperCol={{ flex: '360px' }}
            initialValues={{ role: 'ho_approver' }}
            onFinish={(values) => void submit(values)}
            onValuesChange={() => setFormError(null)}
            data-testid="user-form"
          >
            <Form.Item name="username" label={t('users.username')}>
              <Input autoComplete="off" maxLength={32} />
            </Form.Item>
            <Form.Item name="displayName" label={t('users.displayName')}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="role" label={t('users.role')}>
              <Select options={headOfficeRoles.map((value) => ({ value, label: t(`roles.${value}`) }))} />
            </Form.Item>
            <Form.Item name="password" label={t('users.password')}>
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
            {role === 'ho_approver' && (
              <Form.Item name="approvalLimitWan" label={t('users.limitWan')} extra={t('users.limitHint')}>
                <Input inputMode="decimal" />
              </Form.Item>
            )}
            <Form.Item label=" " colon={false}>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="user-create">
                {t('users.create')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
