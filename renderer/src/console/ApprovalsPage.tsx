import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { APPROVALS_PAGE_SIZE, consoleRecordPath, decideApplicationRequestSchema, type DecideApplication, type EscalatedApplicationDetail, type EscalatedApplicationView } from '../../../shared/api/console.ts';
import { checkHeadOfficeAuthority } from '../../../shared/domain/approvalAuthority.ts';
import { headOfficeMay } from '../../../shared/domain/headOfficeRoles.ts';
import { formatInstant, formatRate, formatYuan } from '../format.ts';
import { consoleCall, type ConsoleError } from './api.ts';
import { describeConsoleError } from './errors.ts';
import type { T } from './forms.ts';
import { LoadError } from './LoadError.tsx';
import { useConsole } from './session.ts';
import { useConsoleQuery } from './useConsoleQuery.ts';

/**
 * 审批队列: the credit applications branches escalated to head office (上报上级行), every branch, and
 * an application's page where a 总行审批人 whose limit covers the amount approves or rejects it with
 * an opinion. The hub decides who may (the role, the limit, the version read); the page says it
 * beforehand with the same shared functions and offers no buttons to whom the hub would refuse.
 */

/** A word of the laptop's for a value, or the value itself when the laptop has none for it (a newer laptop's). */
const wordOf = (words: Record<string, string>, value: string | null) => (value === null ? '—' : (words[value] ?? value));
const words = (t: T, key: string) => t(key, { returnObjects: true }) as unknown as Record<string, string>;
const yuan = (t: T, fen: number) => t('approvals.yuan', { amount: formatYuan(fen) });
const applicationPath = (application: Pick<EscalatedApplicationView, 'branchId' | 'rowId'>) => `/approvals/${application.branchId}/${application.rowId}`;

export function ApprovalsQueuePage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const role = useConsole((s) => s.user?.role);
  const mayDecide = role !== undefined && headOfficeMay(role, 'applications.decide');
  const { value, error, loading, reload } = useConsoleQuery('approvals.list', { page });
  const statuses = words(t, 'approvals.statuses');
  const products = words(t, 'approvals.products');
  const guarantees = words(t, 'approvals.guaranteeModes');

  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('approvals.heading', { n: value?.total ?? 0 })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('approvals.hint')}</Typography.Paragraph>
      {error !== undefined && <LoadError error={error} retry={reload} />}
      <Table<EscalatedApplicationView>
        rowKey={(row) => `${row.branchId}/${row.rowId}`}
        size="middle"
        loading={loading}
        dataSource={value?.rows ?? []}
        locale={{ emptyText: t('approvals.none') }}
        onRow={(row) => ({ 'data-application': row.rowId }) as HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: APPROVALS_PAGE_SIZE, total: value?.total ?? 0, showSizeChanger: false, hideOnSinglePage: true, onChange: setPage }}
        scroll={{ x: 'max-content' }}
        data-testid="approvals"
        columns={[
          { key: 'branch', title: t('approvals.branch'), dataIndex: 'branchName' },
          {
            key: 'enterprise',
            title: t('approvals.enterprise'),
            render: (_, row) => (
              <Space size={4}>
                <span>{row.enterpriseName ?? '—'}</span>
                {row.priority && <Tag color="green">{t('approvals.priority')}</Tag>}
              </Space>
            ),
          },
          { key: 'product', title: t('approvals.product'), render: (_, row) => wordOf(products, row.product) },
          { key: 'amount', title: t('approvals.amount'), align: 'right', render: (_, row) => formatYuan(row.amountFen) },
          { key: 'term', title: t('approvals.term'), render: (_, row) => (row.termMonths === null ? '—' : t('approvals.termMonths', { months: row.termMonths })) },
          { key: 'rate', title: t('approvals.rate'), align: 'right', render: (_, row) => (row.rateBp === null ? '—' : formatRate(row.rateBp)) },
          { key: 'guarantee', title: t('approvals.guarantee'), render: (_, row) => wordOf(guarantees, row.guaranteeMode) },
          { key: 'status', title: t('approvals.status'), render: (_, row) => <Tag color="orange">{wordOf(statuses, row.status)}</Tag> },
          { key: 'investigator', title: t('approvals.investigator'), render: (_, row) => row.investigator ?? '—' },
          { key: 'escalatedAt', title: t('approvals.escalatedAt'), render: (_, row) => (row.stepEnteredAt === null ? '—' : formatInstant(row.stepEnteredAt)) },
          { key: 'open', title: '', render: (_, row) => <Link to={applicationPath(row)}>{t(mayDecide ? 'approvals.open' : 'approvals.view')}</Link> },
        ]}
      />
    </Card>
  );
}

/** A refused decision in words: the limit named, a stale page, a bad opinion, or the hub's reason. */
function refusalText(error: ConsoleError, t: T): string {
  const details = 'details' in error ? (error.details ?? {}) : {};
  if (details.reason === 'AUTHORITY_EXCEEDED') return t('approvals.error.limit', { amount: yuan(t, Number(details.amountFen)), limit: yuan(t, Number(details.limitFen)) });
  if (details.reason === 'STALE' || details.reason === 'NOT_ESCALATED') return t('approvals.error.stale');
  if (error.code === 'VALIDATION') return t('approvals.error.opinion');
  if (error.code === 'CONFLICT') return t('approvals.error.refused', { reason: String(details.reason ?? error.code) });
  return describeConsoleError(error);
}

function DecisionPanel({ detail, onDecided }: { detail: EscalatedApplicationDetail; onDecided: (next: EscalatedApplicationDetail) => void }) {
  const { t } = useTranslation();
  const user = useConsole((s) => s.user);
  const [form] = Form.useForm<{ opinion: string }>();
  const [busy, setBusy] = useState<DecideApplication['action'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { application } = detail;
  if (user === null || user === undefined) return null;
  if (application.status !== 'escalated') return <Typography.Paragraph type="secondary">{t('approvals.decided', { status: wordOf(words(t, 'approvals.statuses'), application.status) })}</Typography.Paragraph>;
  // 总行查看 and 总行管理员: no form at all (the hub refuses them on the role whatever is posted).
  if (!headOfficeMay(user.role, 'applications.decide')) return <Alert type="info" showIcon message={t('approvals.viewerOnly', { role: t(`roles.${user.role}`) })} data-testid="viewer-only" />;
  const authority = checkHeadOfficeAuthority(user.approvalLimitFen, application.amountFen);

  const decide = async (action: DecideApplication['action']) => {
    setError(null);
    const input = decideApplicationRequestSchema.safeParse({ action, opinion: form.getFieldValue('opinion') ?? '', version: application.version });
    if (!input.success) {
      form.setFields([{ name: 'opinion', errors: [t('approvals.error.opinion')] }]);
      return;
    }
    setBusy(action);
    const result = await consoleCall('approvals.decide', input.data, { branchId: application.branchId, rowId: application.rowId });
    setBusy(null);
    if (!result.ok) {
      setError(refusalText(result.error, t));
      return;
    }
    onDecided(result.value);
  };

  return (
    <Card data-testid="decision" title={<span role="heading" aria-level={3}>{t('approvals.yourOpinion')}</span>}>
      <Typography.Paragraph>
        {t('approvals.limitLine', { limit: user.approvalLimitFen === null ? t('approvals.noLimit') : yuan(t, authority.limitFen), amount: yuan(t, application.amountFen) })}
        {' · '}
        <Typography.Text type={authority.ok ? 'success' : 'danger'} strong>
          {t(authority.ok ? 'approvals.covers' : 'approvals.exceeds')}
        </Typography.Text>
      </Typography.Paragraph>
      {error !== null && (
        <div role="alert" style={{ marginBottom: 16 }}>
          <Alert type="error" showIcon message={error} />
        </div>
      )}
      <Form form={form} layout="vertical" onValuesChange={() => setError(null)}>
        <Form.Item name="opinion" label={t('approvals.yourOpinion')}>
          <Input.TextArea rows={4} maxLength={2000} showCount disabled={!authority.ok} />
        </Form.Item>
        <Space>
          <Button type="primary" autoInsertSpace={false} loading={busy === 'approve'} disabled={!authority.ok || busy !== null} onClick={() => void decide('approve')}>
            {t('approvals.approve')}
          </Button>
          <Button danger autoInsertSpace={false} loading={busy === 'reject'} disabled={!authority.ok || busy !== null} onClick={() => void decide('reject')}>
            {t('approvals.reject')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

export function ApprovalPage() {
  const { t } = useTranslation();
  const { branchId = '', rowId = '' } = useParams();
  const { value, error, loading, reload } = useConsoleQuery('approvals.get', {}, { branchId, rowId });
  // The decision's answer is the application as the hub wrote it: shown as it is, no reload.
  const [decided, setDecided] = useState<{ key: string; detail: EscalatedApplicationDetail } | null>(null);
  const detail = decided?.key === `${branchId}/${rowId}` ? decided.detail : value;
  const statuses = words(t, 'approvals.statuses');
  const products = words(t, 'approvals.products');
  const guarantees = words(t, 'approvals.guaranteeModes');
  const stepNames = words(t, 'approvals.stepNames');
  const actions = words(t, 'approvals.actions');

  const back = <Link to="/approvals">← {t('approvals.back')}</Link>;
  if (error?.code === 'NOT_FOUND') return <Result status="404" title={t('records.notFound')} extra={back} />;
  if (detail === undefined) return <Card loading={loading}>{error !== undefined && <LoadError error={error} retry={reload} />}</Card>;
  const { application, steps } = detail;
  const status = application.status;
  const done = decided !== null && (status === 'approved' || status === 'rejected');

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {back}
      {done && (
        <div role="status">
          <Alert
            type="success"
            showIcon
            message={t('approvals.done', { action: t(status === 'approved' ? 'approvals.approve' : 'approvals.reject'), enterprise: application.enterpriseName ?? '—', amount: yuan(t, application.amountFen) })}
          />
        </div>
      )}
      <Card>
        <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
          {t('approvals.detail', { enterprise: application.enterpriseName ?? '—' })}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered data-testid="application-terms">
          <Descriptions.Item label={t('approvals.branch')}>{application.branchName}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.uscc')}>{application.uscc ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.status')}>{wordOf(statuses, status)}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.product')}>{wordOf(products, application.product)}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.amount')}>{formatYuan(application.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.term')}>{application.termMonths === null ? '—' : t('approvals.termMonths', { months: application.termMonths })}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.rate')}>{application.rateBp === null ? '—' : formatRate(application.rateBp)}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.guarantee')}>{wordOf(guarantees, application.guaranteeMode)}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.green')}>{t(application.greenProject ? 'approvals.yes' : 'approvals.no')}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.investigator')}>{application.investigator ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.decider')}>{application.decider ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.priority')}>{t(application.priority ? 'approvals.yes' : 'approvals.no')}</Descriptions.Item>
          <Descriptions.Item label={t('approvals.purpose')} span={3}>
            {application.purpose ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={<span role="heading" aria-level={3}>{t('approvals.steps')}</span>}
        extra={<Link to={consoleRecordPath('credit_applications', application.branchId, application.rowId).replace(/^\/console/, '')}>{t('approvals.recordLink')}</Link>}
      >
        <Table
          rowKey={(step) => `${step.step}/${step.actedAt ?? ''}/${step.action}`}
          size="small"
          pagination={false}
          dataSource={steps}
          data-testid="application-steps"
          columns={[
            { key: 'step', title: t('approvals.step'), render: (_, step) => wordOf(stepNames, step.step) },
            { key: 'action', title: t('approvals.action'), render: (_, step) => wordOf(actions, step.action) },
            // Head office's own step names no one of the branch's directory: it says head office.
            { key: 'actor', title: t('approvals.actor'), render: (_, step) => step.actor ?? (step.step === 'escalated' ? t('approvals.headOffice') : '—') },
            { key: 'opinion', title: t('approvals.opinion'), dataIndex: 'opinion' },
            { key: 'actedAt', title: t('approvals.actedAt'), render: (_, step) => (step.actedAt === null ? '—' : formatInstant(step.actedAt)) },
          ]}
        />
      </Card>
      <DecisionPanel detail={detail} onDecided={(next) => setDecided({ key: `${branchId}/${rowId}`, detail: next })} />
    </Space>
  );
}
