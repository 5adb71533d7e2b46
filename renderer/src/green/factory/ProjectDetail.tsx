import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Steps, Timeline, Typography } from 'antd';
import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { CreditSummary, GreenFactoryProjectDetail } from '../../../../shared/api/index.ts';
import { shanghaiDate } from '../../../../shared/domain/calendar.ts';
import { canMoveOutcome, matchmakingOutcomes, type MatchmakingOutcome } from '../../../../shared/domain/greenFactory.ts';
import { formatWanYuan } from '../../../../shared/domain/money.ts';
import { can } from '../../../../shared/domain/roles.ts';
import { BackLink, RecordHeader, RecordPageFallback, recordCard, useRecord } from '../../components/RecordPage.tsx';
import { RecordHistory } from '../../components/RecordHistory.tsx';
import { hostErrorOnForm } from '../../forms.ts';
import { useAppStore, useUser } from '../../stores/app.ts';
import { OutcomeTag } from './OutcomeTag.tsx';
import { quarterWords } from './quarter.ts';

const DAY = 'YYYY-MM-DD';
/** The road a project takes when matchmaking succeeds; 未达成 leaves it where it stopped. */
const road: readonly MatchmakingOutcome[] = ['need', 'matching', 'credit_granted', 'disbursed'];
const withApplication: readonly MatchmakingOutcome[] = ['credit_granted', 'disbursed'];

/** 待对接 → 对接中 → 已授信 → 已放款, or the steps reached and then 未达成 in red. */
function OutcomeSteps({ project }: { project: GreenFactoryProjectDetail }) {
  const { t } = useTranslation();
  const title = (outcome: MatchmakingOutcome) => t(`greenFactory.outcomes.${outcome}`);
  if (project.outcome !== 'not_reached') {
    return <Steps size="small" current={road.indexOf(project.outcome)} items={road.map((outcome) => ({ title: title(outcome) }))} data-testid="factory-steps" />;
  }
  const reached = Math.max(0, ...project.history.map((contact) => road.indexOf(contact.outcome)));
  const items = [...road.slice(0, reached + 1).map((outcome) => ({ title: title(outcome) })), { title: title('not_reached'), description: project.outcomeReason ?? undefined }];
  return <Steps size="small" current={items.length - 1} status="error" items={items} data-testid="factory-steps" />;
}

interface ContactValues {
  contactedOn: Dayjs;
  note: string;
  outcome: MatchmakingOutcome;
  reason?: string;
  applicationId?: string;
}

/** 记录对接: a dated contact and the outcome it leaves the project in; only the moves the host accepts are offered. */
function ContactDialog({ project, open, onClose, onDone }: { project: GreenFactoryProjectDetail; open: boolean; onClose: () => void; onDone: (project: GreenFactoryProjectDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<ContactValues>();
  const [applications, setApplications] = useState<CreditSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const outcome = Form.useWatch('outcome', form);
  const label = (key: string) => t(`greenFactory.contact.${key}`);
  const required = (key: string) => ({ required: true, whitespace: true, message: t('greenFactory.contact.required', { field: label(key) }) });
  const choices = matchmakingOutcomes.filter((to) => canMoveOutcome(project.outcome, to));

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ contactedOn: dayjs(shanghaiDate(new Date())), outcome: project.outcome === 'need' ? 'matching' : project.outcome, applicationId: project.applicationId ?? undefined });
    setError(null);
    void call('credit.list', { filter: { enterpriseId: project.enterpriseId }, sort: { field: 'updatedAt', order: 'desc' }, offset: 0, limit: 50 }).then((result) => {
      if (result.ok) setApplications(result.value.rows);
    });
  }, [open, form, call, project]);

  const save = async (values: ContactValues) => {
    setSaving(true);
    const result = await call('greenFactory.recordContact', {
      projectId: project.id,
      version: project.version,
      contact: {
        contactedOn: values.contactedOn.format(DAY),
        note: values.note,
        outcome: values.outcome,
        reason: values.outcome === 'not_reached' ? (values.reason ?? null) : null,
        applicationId: withApplication.includes(values.outcome) ? (values.applicationId ?? null) : null,
      },
    });
    setSaving(false);
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(label('saved'));
    onDone(result.value);
  };

  return (
    <Modal open={open} title={label('title')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={saving} destroyOnHidden width={600} okButtonProps={{ 'data-testid': 'factory-contact-save' } as never}>
      <Form<ContactValues> form={form} layout="vertical" onFinish={(values) => void save(values)} data-testid="factory-contact-form">
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0 12px' }}>
          <Form.Item name="contactedOn" label={label('contactedOn')} rules={[{ required: true, message: t('greenFactory.contact.required', { field: label('contactedOn') }) }]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="factory-contact-date" />
          </Form.Item>
          <Form.Item name="outcome" label={label('outcome')} rules={[{ required: true }]}>
            <Select options={choices.map((value) => ({ value, label: t(`greenFactory.outcomes.${value}`) }))} aria-label={label('outcome')} data-testid="factory-contact-outcome" />
          </Form.Item>
        </div>
        <Form.Item name="note" label={label('note')} rules={[required('note'), { min: 2, message: label('tooShort') }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="factory-contact-note" />
        </Form.Item>
        {outcome === 'not_reached' && (
          <Form.Item name="reason" label={label('reason')} rules={[required('reason'), { min: 2, message: label('tooShort') }]}>
            <Input maxLength={500} data-testid="factory-contact-reason" />
          </Form.Item>
        )}
        {outcome !== undefined && withApplication.includes(outcome) && (
          <Form.Item name="applicationId" label={label('application')} extra={applications.length === 0 ? label('applicationNone') : undefined}>
            <Select
              allowClear
              placeholder={label('applicationPlaceholder')}
              options={applications.map((application) => ({
                value: application.id,
                label: t('greenFactory.contact.applicationOption', { product: t(`credit.products.${application.product}`), wan: formatWanYuan(application.amountFen), status: t(`credit.statuses.${application.status}`) }),
              }))}
              aria-label={label('application')}
              data-testid="factory-contact-application"
            />
          </Form.Item>
        )}
        {error !== null && <Alert type="error" showIcon title={error} data-testid="factory-contact-error" />}
      </Form>
    </Modal>
  );
}

/** A green-factory project's page: what it seeks, how far matchmaking got, and every contact. */
export function ProjectDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useUser();
  const { detail: project, setDetail, error } = useRecord('greenFactory.get', id);
  const [contacting, setContacting] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const canWrite = user !== null && can(user.role, 'green.write');

  const back = <BackLink label={t('greenFactory.detail.back')} onBack={() => void navigate('/green/factory')} testId="factory-back" />;
  if (error !== null || project === null) return <RecordPageFallback error={error} loading={project === null} back={back} notFoundTitle={t('greenFactory.detail.notFound')} />;
  const label = (key: string) => t(`greenFactory.detail.${key}`);
  const ended = project.outcome === 'disbursed';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="factory-detail">
      {back}
      <RecordHeader
        title={
          <>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="factory-detail-name">
              {project.projectName}
            </Typography.Title>
            <OutcomeTag value={project.outcome} />
          </>
        }
        line={
          <>
            <Typography.Link onClick={() => void navigate(`/enterprises/${project.enterpriseId}`)} data-testid="factory-enterprise-link">
              {project.enterpriseName}
            </Typography.Link>
            <Typography.Text type="secondary" className="gl-mono">
              {project.enterpriseUscc}
            </Typography.Text>
            <Typography.Text>{t(`greenFactory.kinds.${project.kind}`)}</Typography.Text>
          </>
        }
        actions={
          <>
            <Button icon={<HistoryOutlined />} onClick={() => setShowHistory(true)} data-testid="factory-changes">
              {label('changes')}
            </Button>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} disabled={ended} title={ended ? t('greenFactory.contact.closed') : undefined} onClick={() => setContacting(true)} data-testid="factory-add-contact">
                {t('greenFactory.contact.add')}
              </Button>
            )}
          </>
        }
        byLine={null}
      />

      <div style={{ ...recordCard, padding: '16px 20px' }}>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }}>
          {label('steps')}
        </Typography.Text>
        <OutcomeSteps project={project} />
      </div>

      <div style={{ ...recordCard, padding: 20 }}>
        <Descriptions column={2} size="small" title={label('facts')} data-testid="factory-facts">
          <Descriptions.Item label={label('amount')}>
            <span data-testid="factory-detail-amount">{t('greenFactory.detail.amountValue', { wan: formatWanYuan(project.amountSought) })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={label('quarter')}>{quarterWords(project.quarter, t)}</Descriptions.Item>
          <Descriptions.Item label={label('contact')}>{[project.contactName, project.contactPhone].filter(Boolean).join(' · ')}</Descriptions.Item>
          <Descriptions.Item label={label('application')}>
            {project.applicationId === null ? (
              <Typography.Text type="secondary">{label('noApplication')}</Typography.Text>
            ) : (
              <Typography.Link onClick={() => void navigate(`/credit/${project.applicationId}`)} data-testid="factory-application-link">
                {label('openApplication')}
              </Typography.Link>
            )}
          </Descriptions.Item>
          {project.outcomeReason !== null && (
            <Descriptions.Item label={label('reason')} span={2}>
              {project.outcomeReason}
            </Descriptions.Item>
          )}
          {project.notes !== null && (
            <Descriptions.Item label={label('notes')} span={2}>
              {project.notes}
            </Descriptions.Item>
          )}
        </Descriptions>
      </div>

      <div style={{ ...recordCard, padding: 20 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {label('history')}
        </Typography.Title>
        {project.history.length === 0 ? (
          <Typography.Text type="secondary">{label('historyEmpty')}</Typography.Text>
        ) : (
          <Timeline
            data-testid="factory-history"
            items={[...project.history].reverse().map((contact) => ({
              key: contact.id,
              content: (
                <div data-testid="factory-history-entry">
                  <Space size={8} wrap>
                    <Typography.Text strong>{t('greenFactory.detail.contactLine', { date: contact.contactedOn, user: contact.createdByName ?? '' })}</Typography.Text>
                    <OutcomeTag value={contact.outcome} />
                  </Space>
                  <div>{contact.note}</div>
                </div>
              ),
            }))}
          />
        )}
      </div>

      <ContactDialog
        project={project}
        open={contacting}
        onClose={() => setContacting(false)}
        onDone={(saved) => {
          setContacting(false);
          setDetail(saved);
        }}
      />
      <RecordHistory recordType="green_factory_projects" recordId={showHistory ? project.id : null} title={project.projectName} onClose={() => setShowHistory(false)} />
    </Space>
  );
}
