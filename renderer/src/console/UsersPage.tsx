import { useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { createConsoleUserSchema, type ConsoleUser, type CreateConsoleUser } from '../../../shared/api/console.ts';
import { headOfficeRoles, type HeadOfficeRole } from '../../../shared/domain/headOfficeRoles.ts';
import { formatWanYuan, yuanToFen } from '../../../shared/domain/money.ts';
import { formatInstant } from '../format.ts';
import { consoleCall, type ConsoleError } from './api.ts';
import { describeConsoleError } from './errors.ts';
import { LoadError } from './LoadError.tsx';
import { useConsoleQuery } from './useConsoleQuery.ts';

interface AccountForm {
  username?: string;
  displayName?: string;
  role?: HeadOfficeRole;
  password?: string;
  approvalLimitWan?: string;
}
type Field = keyof AccountForm;
type FieldErrors = Partial<Record<Field, string>>;
type T = (key: string, options?: Record<string, unknown>) => string;

const FEN_PER_WAN = 1_000_000; // 1 万元 = 10,000 元 = 1,000,000 分

/** The approver's limit typed in 万元 (up to two decimals, as money is typed everywhere) in fen, or why not. */
export function limitFen(typed: string): { ok: true; fen: number } | { ok: false } {
  const parsed = yuanToFen(typed);
  if (!parsed.ok || parsed.fen <= 0) return { ok: false };
  // The typed figure read as 元 is in fen ×100 of 元; as 万元 it is ×10,000 more.
  const fen = parsed.fen * (FEN_PER_WAN / 100);
  return Number.isSafeInteger(fen) ? { ok: true, fen } : { ok: false };
}

/** The form as the contract's account input, or each wrong field's words (the contract's rule, checked before sending). */
export function accountInput(form: AccountForm, t: T): { ok: true; value: CreateConsoleUser } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let approvalLimitFen: number | null = null;
  if (form.role === undefined) errors.role = t('users.error.role');
  if (form.role === 'ho_approver') {
    const typed = (form.approvalLimitWan ?? '').trim();
    const limit = typed === '' ? null : limitFen(typed);
    if (limit === null) errors.approvalLimitWan = t('users.error.limitRequired');
    else if (!limit.ok) errors.approvalLimitWan = t('users.error.limitFormat');
    else approvalLimitFen = limit.fen;
  }
  const parsed = createConsoleUserSchema.safeParse({ username: form.username ?? '', displayName: form.displayName ?? '', role: form.role, password: form.password ?? '', approvalLimitFen });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as Field;
      if (errors[field] !== undefined || field === 'role') continue;
      errors[field] = field === 'displayName' ? t('users.error.displayName') : t(`users.error.${issue.message}`, { defaultValue: t('users.error.USERNAME_FORMAT') });
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** A refusal of the hub in words: a taken username is the username field's, the rest the form's. */
function refusal(error: ConsoleError, username: string, t: T): { field?: Field; message: string } {
  if (error.code === 'CONFLICT') return { field: 'username', message: t('users.error.taken', { username }) };
  const issue = error.code === 'VALIDATION' && 'details' in error ? error.details?.issues?.[0] : undefined;
  if (issue !== undefined) {
    const field = String(issue.path[0]) as Field;
    return { field, message: field === 'displayName' ? t('users.error.displayName') : t(`users.error.${issue.message}`, { defaultValue: describeConsoleError(error) }) };
  }
  return { message: describeConsoleError(error) };
}

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
      const { field, message } = refusal(result.error, input.value.username, t);
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
            labelCol={{ flex: '10em' }}
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
                <Input inputMode="decimal" suffix={t('users.wanUnit')} />
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
