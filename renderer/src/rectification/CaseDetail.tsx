import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Form, Input, InputNumber, List, Modal, Select, Space, Typography, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { attachmentMimes, type AttachmentMime, type CaseDetail, type HostError } from '../../../shared/api/index.ts';
import { caseMeasures, type CaseMeasure } from '../../../shared/domain/rectification.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { BackLink, RecordPageFallback, recordCard, useRecord } from '../components/RecordPage.tsx';
import { formatInstant } from '../format.ts';
import { fileToBase64 } from '../uploads.ts';
import { AttachmentsTab } from '../enterprises/AttachmentsTab.tsx';
import { CaseMeasureTag, CaseStatusTag } from './CaseTags.tsx';
import { CaseLetters } from './CaseLetters.tsx';
import { ExposurePanel } from './ExposurePanel.tsx';

const DAY = 'YYYY-MM-DD';
type Action = CaseDetail['allowedActions'][number];

/** A host refusal in words: the case workflow's own rule when it names one. */
function useRefusalText() {
  const { t, i18n } = useTranslation();
  return (error: HostError) => {
    const rule = error.details?.rule;
    return typeof rule === 'string' && i18n.exists(`rectification.rules.${rule}`) ? t(`rectification.rules.${rule}`) : describeError(error);
  };
}

/** A workflow action: a credit manager's opinion with verify, return and escalate; escalation's measure. */
function ActionDialog({ detail, action, onClose, onDone }: { detail: CaseDetail; action: Action | null; onClose: () => void; onDone: (detail: CaseDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const refusalText = useRefusalText();
  const [note, setNote] = useState('');
  const stronger = caseMeasures.slice(caseMeasures.indexOf(detail.measure) + 1);
  const [measure, setMeasure] = useState<CaseMeasure | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setNote('');
    setMeasure(detail.escalationDue ?? stronger[0]);
    setError(null);
  }, [action]);
  if (action === null) return null;
  const withNote = action === 'verify' || action === 'return' || action === 'escalate';
  const run = async () => {
    const result = await call('cases.act', { id: detail.id, version: detail.version, action, ...(withNote && note.trim() !== '' ? { note } : {}), ...(action === 'escalate' ? { measure } : {}) });
    if (result.ok) onDone(result.value);
    else setError(refusalText(result.error));
  };
  return (
    <Modal open title={t(`rectification.actions.${action}`)} okText={t('rectification.actions.confirm')} onOk={() => void run()} onCancel={onClose} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="case-act-dialog">
        {action === 'escalate' && (
          <Select
            value={measure}
            onChange={setMeasure}
            options={stronger.map((value) => ({ value, label: t(`rectification.measures.${value}`) }))}
            style={{ width: 200 }}
            aria-label={t('rectification.actions.escalateTo')}
            data-testid="case-escalate-measure"
          />
        )}
        {withNote && <Input.TextArea rows={3} value={note} onChange={(event) => setNote(event.target.value)} placeholder={t('rectification.actions.notePlaceholder')} aria-label={t('rectification.actions.note')} data-testid="case-act-note" />}
        {error !== null && <Alert type="error" showIcon title={error} data-testid="case-act-error" />}
      </Space>
    </Modal>
  );
}

interface FollowUpValues {
  followedOn: Dayjs;
  kind: 'visit' | 'note';
  note: string;
  progressPercent: number;
  nextFollowUpOn?: Dayjs | null;
}

/** A dated follow-up, with a photo or document kept in the attachment store as evidence. */
function FollowUpDialog({ detail, open, onClose, onDone }: { detail: CaseDetail; open: boolean; onClose: () => void; onDone: (detail: CaseDetail) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const refusalText = useRefusalText();
  const [form] = Form.useForm<FollowUpValues>();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const label = (key: string) => t(`rectification.followUp.${key}`);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ followedOn: dayjs(detail.today), kind: 'visit', progressPercent: 0 });
    setFile(null);
    setError(null);
  }, [open, form, detail.today]);
  const save = async (values: FollowUpValues) => {
    setSaving(true);
    const before = new Set(detail.followUps.map((followUp) => followUp.id));
    const result = await call('cases.addFollowUp', {
      caseId: detail.id,
      followUp: { followedOn: values.followedOn.format(DAY), kind: values.kind, note: values.note, progressPercent: values.progressPercent, nextFollowUpOn: values.nextFollowUpOn?.format(DAY) ?? null },
    });
    if (!result.ok) {
      setSaving(false);
      setError(refusalText(result.error));
      return;
    }
    let saved = result.value;
    const added = saved.followUps.find((followUp) => !before.has(followUp.id));
    if (file !== null && added !== undefined) {
      const mime = (attachmentMimes as readonly string[]).includes(file.type) ? (file.type as AttachmentMime) : 'image/jpeg';
      const attached = await call('attachments.add', { ownerType: 'rectification_follow_ups', ownerId: added.id, fileName: file.name, mime, contentBase64: await fileToBase64(file), note: values.note.slice(0, 200) });
      if (!attached.ok) {
        setSaving(false);
        setError(describeError(attached.error));
        return;
      }
      const reloaded = await call('cases.get', { id: detail.id });
      if (reloaded.ok) saved = reloaded.value;
    }
    setSaving(false);
    onDone(saved);
  };
  return (
    <Modal open={open} title={label('title')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'follow-up-save' } as never}>
      <Form<FollowUpValues> form={form} layout="vertical" onFinish={(values) => void save(values)} data-testid="follow-up-form">
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0 12px' }}>
          <Form.Item name="followedOn" label={label('followedOn')} rules={[{ required: true }]}>
            <DatePicker format={DAY} style={{ width: '100%' }} data-testid="follow-up-date" />
          </Form.Item>
          <Form.Item name="kind" label={label('kind')} rules={[{ required: true }]}>
            <Select options={(['visit', 'note'] as const).map((value) => ({ value, label: t(`rectification.followUp.kinds.${value}`) }))} />
          </Form.Item>
          <Form.Item name="progressPercent" label={label('progress')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} data-testid="follow-up-progress" />
          </Form.Item>
        </div>
        <Form.Item name="note" label={label('note')} rules={[{ required: true, message: t('rectification.form.required', { field: label('note') }) }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="follow-up-note" />
        </Form.Item>
        <Form.Item name="nextFollowUpOn" label={label('nextFollowUpOn')}>
          <DatePicker format={DAY} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={label('photo')}>
          <Upload
            accept=".png,.jpg,.jpeg,.pdf"
            maxCount={1}
            beforeUpload={(picked) => {
              setFile(picked);
              return false;
            }}
            onRemove={() => setFile(null)}
            data-testid="follow-up-photo"
          >
            <Button icon={<UploadOutlined />}>{label('photoButton')}</Button>
          </Upload>
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} data-testid="follow-up-error" />}
      </Form>
    </Modal>
  );
}

/** A rectification case's page: its facts, the workflow's actions for this person, follow-ups and evidence. */
export function CaseDetailPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useUser();
  const { detail, setDetail, error, reload } = useRecord('cases.get', id);
  const [acting, setActing] = useState<Action | null>(null);
  const [following, setFollowing] = useState(false);
  const canWrite = user !== null && can(user.role, 'case.write');

  const back = <BackLink label={t('rectification.detail.back')} onBack={() => void navigate('/rectification')} testId="case-back" />;
  if (error !== null || detail === null) return <RecordPageFallback error={error} loading={detail === null} back={back} notFoundTitle={t('rectification.detail.notFound')} />;
  const label = (key: string) => t(`rectification.detail.${key}`);
  const isOfficer = user?.id === detail.officerId;
  const closable = detail.status === 'submitted';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="case-detail">
      {back}
      <div style={{ ...recordCard, padding: '16px 20px', display: 'flex', justifyContent: 'space-between', gap: 16, alignItems: 'flex-start' }}>
        <div>
          <Space size="middle" wrap align="center">
            <Typography.Title level={3} style={{ margin: 0 }} className="gl-mono" data-testid="case-detail-number">
              {detail.caseNumber}
            </Typography.Title>
            <CaseStatusTag value={detail.status} overdue={detail.overdue} />
            <CaseMeasureTag value={detail.measure} />
          </Space>
          <div style={{ marginTop: 8, display: 'flex', flexWrap: 'wrap', gap: '4px 20px' }}>
            <Typography.Link onClick={() => void navigate(`/enterprises/${detail.enterpriseId}?tab=rectification`)} data-testid="case-enterprise-link">
              {detail.enterpriseName}
            </Typography.Link>
            <Typography.Text>{t(`rectification.categories.${detail.category}`)}</Typography.Text>
            <Typography.Text type="secondary" data-testid="case-evidence-count">
              {label('evidence').replace('{{count}}', String(detail.evidenceCount))}
            </Typography.Text>
          </div>
        </div>
        {canWrite && (
          <Space wrap>
            {detail.allowedActions.map((action) => (
              <Button key={action} type={action === 'verify' ? 'primary' : 'default'} onClick={() => setActing(action)} data-testid={`case-action-${action}`}>
                {t(`rectification.actions.${action}`)}
              </Button>
            ))}
          </Space>
        )}
      </div>
      {closable && isOfficer && <Alert type="info" showIcon title={t('rectification.actions.officerCannotClose')} data-testid="case-officer-cannot-close" />}
      {closable && !isOfficer && detail.evidenceCount === 0 && <Alert type="warning" showIcon title={t('rectification.actions.needsEvidence')} />}
      {detail.escalationDue !== null && <Alert type="warning" showIcon title={label('escalationDue').replace('{{measure}}', t(`rectification.measures.${detail.escalationDue}`))} />}

      <div style={{ ...recordCard, padding: 20 }}>
        <Descriptions column={2} size="small" title={label('facts')} data-testid="case-facts">
          <Descriptions.Item label={label('source')}>
            <span data-testid="case-source-view">
              {[t(`rectification.sources.${detail.source}`), detail.sourceReference, detail.sourceAuthority, detail.sourceDate, detail.monitoringVisitedOn === null ? null : t('rectification.monitoring.fromVisit', { date: detail.monitoringVisitedOn })].filter(Boolean).join(' · ')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={label('foundOn')}>{detail.foundOn}</Descriptions.Item>
          <Descriptions.Item label={label('deadline')}>
            <span data-testid="case-deadline-view">{detail.deadline}</span>
          </Descriptions.Item>
          <Descriptions.Item label={label('officer')}>{detail.officerName ?? ''}</Descriptions.Item>
          <Descriptions.Item label={label('description')} span={2}>
            {detail.description}
          </Descriptions.Item>
          <Descriptions.Item label={label('requiredActions')} span={2}>
            {detail.requiredActions}
          </Descriptions.Item>
          {detail.verifiedAt !== null && (
            <>
              <Descriptions.Item label={label('verifier')}>
                <span data-testid="case-verifier">{detail.verifierName ?? ''}</span>
              </Descriptions.Item>
              <Descriptions.Item label={label('verifiedAt')}>{formatInstant(detail.verifiedAt)}</Descriptions.Item>
              <Descriptions.Item label={label('verificationNote')} span={2}>
                {detail.verificationNote ?? ''}
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
      </div>

      {(detail.measure === 'reduce_exit' || detail.exposurePlan.length > 0) && <ExposurePanel detail={detail} canEdit={canWrite && (isOfficer || user?.role === 'credit_manager')} onSaved={setDetail} />}

      <div style={{ ...recordCard, padding: 20 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 8 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {label('followUps')}
          </Typography.Title>
          {canWrite && detail.status !== 'closed' && (
            <Button icon={<PlusOutlined />} onClick={() => setFollowing(true)} data-testid="case-add-follow-up">
              {t('rectification.followUp.add')}
            </Button>
          )}
        </div>
        <List
          dataSource={detail.followUps}
          locale={{ emptyText: label('noFollowUps') }}
          data-testid="case-follow-ups"
          renderItem={(followUp) => (
            <List.Item data-testid="case-follow-up">
              <List.Item.Meta
                title={`${followUp.followedOn} · ${t(`rectification.followUp.kinds.${followUp.kind}`)} · ${label('progress').replace('{{percent}}', String(followUp.progressPercent))}`}
                description={
                  <>
                    <div>{followUp.note}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[followUp.createdByName, followUp.nextFollowUpOn === null ? null : label('nextFollowUp').replace('{{date}}', followUp.nextFollowUpOn)].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </div>

      <CaseLetters detail={detail} canWrite={canWrite} onRecorded={setDetail} />

      <div style={{ ...recordCard, padding: 20 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {label('attachments')}
        </Typography.Title>
        <AttachmentsTab ownerType="rectification_cases" ownerId={detail.id} canWrite={canWrite && detail.status !== 'closed'} onChanged={() => void reload()} nameOf={(userId) => userId} revision={detail.evidenceCount} />
      </div>

      <ActionDialog
        detail={detail}
        action={acting}
        onClose={() => setActing(null)}
        onDone={(saved) => {
          void message.success(t('rectification.actions.done', { action: t(`rectification.actions.${acting ?? 'start'}`) }));
          setActing(null);
          setDetail(saved);
        }}
      />
      <FollowUpDialog
        detail={detail}
        open={following}
        onClose={() => setFollowing(false)}
        onDone={(saved) => {
          void message.success(t('rectification.followUp.saved'));
          setFollowing(false);
          setDetail(saved);
        }}
      />
    </Space>
  );
}
