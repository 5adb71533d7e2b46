import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Skeleton, Space, Table, Tabs, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { AuditEntry, LoanDetail, LoanSnapshotRow } from '../../../shared/api/index.ts';
import { loanClassifications, type LoanClassification } from '../../../shared/domain/loan.ts';
import { yuanToFen } from '../../../shared/domain/money.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { BackLink, RecordHeader, RecordPageFallback, recordCard, useRecord } from '../components/RecordPage.tsx';
import { formatInstant, formatRate, formatYuan } from '../format.ts';
import { RecordTimeline } from '../components/RecordHistory.tsx';
import { ClassificationTag, StatusTag } from './LoanTags.tsx';
import { LoanForm } from './LoanForm.tsx';
import { GreenTagPanel } from '../green/GreenTagPanel.tsx';
import { catalogueInForce } from '../../../shared/codes/greenCatalogues.ts';
import { loanHistoryLabel, loanHistoryValue } from './historyValues.ts';

const tabKeys = ['summary', 'snapshots', 'green', 'history'] as const;

/** 借据 detail: the loan, its balance snapshots (every one kept) and its 变更记录. */
export function LoanDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const { detail, setDetail, error } = useRecord('loans.get', id);
  const [history, setHistory] = useState<AuditEntry[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [recording, setRecording] = useState(false);
  const canWrite = user !== null && can(user.role, 'loan.write');
  const requested = searchParams.get('tab');
  const tab = tabKeys.find((key) => key === requested) ?? 'summary';

  // The trail is fetched again whenever the loan's version changes (a save here shows at once).
  useEffect(() => {
    if (detail === null) return;
    let current = true;
    // records.history of a loan holds its own changes and its snapshots', newest shown first.
    void call('records.history', { recordType: 'loans', recordId: id }).then((result) => {
      if (current) setHistory(result.ok ? [...result.value].sort((a, b) => b.seq - a.seq) : []);
    });
    return () => {
      current = false;
    };
  }, [call, id, detail?.version, detail?.snapshots.length]);

  const back = <BackLink label={t('loans.detail.back')} onBack={() => void navigate('/loans')} testId="loan-back" />;
  if (error !== null || detail === null) return <RecordPageFallback error={error} loading={detail === null} back={back} notFoundTitle={t('loans.detail.notFound')} />;
  const nameOf = (userId: string, name: string | null) => name ?? (userId === user?.id ? user.displayName : userId);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="loan-detail">
      {back}
      <RecordHeader
        title={
          <>
            <Typography.Title level={3} style={{ margin: 0 }} className="gl-mono" data-testid="loan-number">
              {detail.loanNumber}
            </Typography.Title>
            <StatusTag value={detail.status} />
            <ClassificationTag value={detail.classification} />
          </>
        }
        line={
          <>
            <Typography.Link onClick={() => void navigate(`/enterprises/${detail.enterpriseId}?tab=loans`)} data-testid="loan-enterprise-link">
              {detail.enterpriseName}
            </Typography.Link>
            <Typography.Text type="secondary" className="gl-mono">
              {detail.enterpriseUscc}
            </Typography.Text>
            <Typography.Text>
              {t('loans.fields.balance')} <Typography.Text strong data-testid="loan-detail-balance">{formatYuan(detail.balance)}</Typography.Text> {t('loans.form.yuanUnit')}
              <Typography.Text type="secondary"> （{t('loans.list.balanceAsOf', { date: detail.balanceAsOf })}）</Typography.Text>
            </Typography.Text>
          </>
        }
        actions={
          canWrite && (
            <>
              <Button icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="loan-add-snapshot">
                {t('loans.detail.addSnapshot')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="loan-edit">
                {t('loans.edit')}
              </Button>
            </>
          )
        }
        byLine={t('loans.detail.updatedLine', { user: nameOf(detail.updatedBy, detail.updatedByName), at: formatInstant(detail.updatedAt) })}
      />

      <div style={{ ...recordCard, padding: '4px 20px 20px' }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearchParams(key === 'summary' ? {} : { tab: key }, { replace: true })}
          data-testid="loan-tabs"
          items={[
            { key: 'summary', label: t('loans.detail.summary'), children: <LoanSummaryTab detail={detail} nameOf={nameOf} /> },
            { key: 'snapshots', label: `${t('loans.detail.snapshots')} (${detail.snapshots.length})`, children: <SnapshotsTab snapshots={detail.snapshots} /> },
            {
              key: 'green',
              label: t('green.tab'),
              children: <GreenTagPanel ownerType="loan" ownerId={detail.id} defaultVersion={catalogueInForce(detail.disbursedOn) ?? '2021'} canWrite={user !== null && can(user.role, 'green.write')} />,
            },
            {
              key: 'history',
              label: t('loans.detail.history'),
              children: (
                <div data-testid="loan-history">{history === null ? <Skeleton active /> : <RecordTimeline entries={history} format={(field, value) => loanHistoryValue(field, value, t)} label={(field) => loanHistoryLabel(field, t)} />}</div>
              ),
            },
          ]}
        />
      </div>

      <LoanForm
        open={editing}
        loan={detail}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          setDetail(saved);
        }}
      />
      <SnapshotDialog
        open={recording}
        detail={detail}
        onClose={() => setRecording(false)}
        onSaved={(saved) => {
          setRecording(false);
          setDetail(saved);
        }}
      />
    </Space>
  );
}

function LoanSummaryTab({ detail, nameOf }: { detail: LoanDetail; nameOf: (userId: string, name: string | null) => string }) {
  const { t } = useTranslation();
  const yuan = (fen: number) => `${formatYuan(fen)} ${t('loans.form.yuanUnit')}`;
  return (
    <Descriptions
      bordered
      size="small"
      column={2}
      styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
      data-testid="loan-summary"
      items={[
        { key: 'number', label: t('loans.fields.loanNumber'), children: <Typography.Text className="gl-mono" copyable>{detail.loanNumber}</Typography.Text> },
        { key: 'enterprise', label: t('loans.fields.enterprise'), children: `${detail.enterpriseName}（${detail.enterpriseUscc}）` },
        { key: 'amount', label: t('loans.fields.amount'), children: yuan(detail.amount) },
        { key: 'balance', label: t('loans.fields.balance'), children: `${yuan(detail.balance)}（${t('loans.list.balanceAsOf', { date: detail.balanceAsOf })}）` },
        { key: 'disbursed', label: t('loans.fields.disbursedOn'), children: detail.disbursedOn },
        { key: 'matures', label: t('loans.fields.maturesOn'), children: detail.maturesOn },
        { key: 'rate', label: t('loans.fields.rateBp'), children: formatRate(detail.rateBp) },
        { key: 'guarantee', label: t('loans.fields.guaranteeMode'), children: t(`loans.guaranteeModes.${detail.guaranteeMode}`) },
        { key: 'classification', label: t('loans.fields.classification'), children: <ClassificationTag value={detail.classification} /> },
        { key: 'status', label: t('loans.fields.status'), children: <StatusTag value={detail.status} /> },
        { key: 'purpose', label: t('loans.fields.purpose'), span: 2, children: detail.purpose ?? t('loans.detail.noPurpose') },
        { key: 'application', label: t('loans.detail.application'), span: 2, children: detail.applicationId ?? t('loans.detail.noApplication') },
        { key: 'created', label: t('loans.detail.created'), children: `${nameOf(detail.createdBy, detail.createdByName)} · ${formatInstant(detail.createdAt)}` },
        { key: 'updated', label: t('loans.detail.updated'), children: `${nameOf(detail.updatedBy, detail.updatedByName)} · ${formatInstant(detail.updatedAt)}` },
      ]}
    />
  );
}

/** Every balance snapshot, newest first: what growth and same-period comparisons are computed from. */
function SnapshotsTab({ snapshots }: { snapshots: LoanSnapshotRow[] }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('loans.detail.snapshotsHelp')}</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={snapshots}
        locale={{ emptyText: t('loans.detail.noSnapshots') }}
        data-testid="loan-snapshots"
        columns={[
          { title: t('loans.detail.asOf'), dataIndex: 'asOf', width: 130 },
          { title: t('loans.columns.balance'), dataIndex: 'balance', align: 'right' as const, render: (fen: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(fen)}</span> },
          { title: t('loans.columns.classification'), dataIndex: 'classification', width: 120, render: (value: LoanClassification) => <ClassificationTag value={value} /> },
          { title: t('loans.detail.recordedBy'), dataIndex: 'createdByName', width: 140, render: (name: string | null) => name ?? '—' },
          { title: t('loans.detail.recordedAt'), dataIndex: 'createdAt', width: 180, render: (at: string) => formatInstant(at) },
        ]}
      />
    </Space>
  );
}

/** 录入月末余额: the balance and classification as of a day (the same day again replaces it). */
function SnapshotDialog({ open, detail, onClose, onSaved }: { open: boolean; detail: LoanDetail; onClose: () => void; onSaved: (detail: LoanDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<{ asOf: Dayjs | null; balance: string; classification: LoanClassification }>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const asOf = Form.useWatch('asOf', form);
  const replaces = asOf != null && detail.snapshots.some((s) => s.asOf === asOf.format('YYYY-MM-DD'));

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({ asOf: dayjs().startOf('month').subtract(1, 'day'), balance: formatYuan(detail.balance), classification: detail.classification });
    setProblem(null);
  }, [open, detail, form]);

  const save = async () => {
    const values = form.getFieldsValue();
    const fen = yuanToFen(values.balance ?? '');
    const errors: { name: 'asOf' | 'balance'; errors: string[] }[] = [];
    if (values.asOf == null) errors.push({ name: 'asOf', errors: [t('loans.validation.date')] });
    if ((values.balance ?? '').trim() === '') errors.push({ name: 'balance', errors: [t('validation.required')] });
    else if (!fen.ok) errors.push({ name: 'balance', errors: [t(`loans.validation.yuan.${fen.reason}`)] });
    else if (fen.fen > detail.amount) errors.push({ name: 'balance', errors: [t('loans.validation.balanceOverAmount')] });
    if (errors.length > 0 || !fen.ok || values.asOf == null) return form.setFields(errors);
    setBusy(true);
    try {
      const day = values.asOf.format('YYYY-MM-DD');
      const result = await call('loans.recordSnapshot', { loanId: detail.id, snapshot: { asOf: day, balance: fen.fen, classification: values.classification } });
      if (!result.ok) return setProblem(describeError(result.error));
      void message.success(t('loans.detail.snapshotSaved', { date: day }));
      onSaved(result.value);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('loans.detail.snapshotTitle', { number: detail.loanNumber })}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'snapshot-save' } as Record<string, string>) }}
      destroyOnHidden
      data-testid="snapshot-dialog"
    >
      <Form form={form} layout="vertical">
        {problem !== null && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        <Form.Item name="asOf" label={t('loans.detail.asOf')} required extra={replaces ? t('loans.detail.snapshotReplaces') : undefined}>
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="balance" label={t('loans.fields.balance')} required>
          <Input inputMode="decimal" suffix={t('loans.form.yuanUnit')} style={{ textAlign: 'right' }} />
        </Form.Item>
        <Form.Item name="classification" label={t('loans.fields.classification')} required>
          <Select options={loanClassifications.map((value) => ({ value, label: t(`loans.classifications.${value}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
