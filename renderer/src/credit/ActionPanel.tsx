import { useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Input, List, Modal, Space, Typography, Upload } from 'antd';
import { CheckOutlined, CloseOutlined, PaperClipOutlined, RollbackOutlined, SafetyCertificateOutlined, SendOutlined, UploadOutlined, VerticalAlignTopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AttachmentListItem, CreditDetail, HostError } from '../../../shared/api/index.ts';
import type { CreditAction } from '../../../shared/domain/creditWorkflow.ts';
import { formatYuan } from '../../../shared/domain/money.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError, i18next } from '../i18n/index.ts';
import { useAttachmentUpload } from '../enterprises/AttachmentsTab.tsx';
import { ReasonDialog } from '../components/ReasonDialog.tsx';

const actionOrder: readonly CreditAction[] = ['submit', 'pass', 'approve', 'escalate', 'return', 'reject'];

const actionIcons: Record<CreditAction, ReactNode> = {
  submit: <SendOutlined />,
  pass: <CheckOutlined />,
  approve: <CheckOutlined />,
  escalate: <VerticalAlignTopOutlined />,
  return: <RollbackOutlined />,
  reject: <CloseOutlined />,
};

/** Where an escalation goes, in words: 支行行长, or 上级行 (上报上级行). */
const escalationTarget = (to: string | null | undefined, t: TFunction) => t(`credit.approvalLevels.${to ?? 'head_office'}`);

/**
 * A host refusal in words: the workflow rule it names (details.rule, shared/domain's own) in the UI
 * language; an authority refusal names the limit it met and where to escalate instead.
 */
export function refusalText(error: HostError, t: TFunction): string {
  const limitFen = error.details?.limitFen;
  const rule = error.details?.rule;
  if (rule === 'AUTHORITY_EXCEEDED' && typeof limitFen === 'number') return t('credit.act.authorityExceeded', { limit: formatYuan(limitFen), to: escalationTarget(error.details?.escalateTo as string | undefined, t) });
  if (typeof rule === 'string' && i18next.exists(`credit.rules.${rule}`)) return t(`credit.rules.${rule}`);
  return describeError(error);
}

/** One action with its opinion (and, for the investigation, the report); the host decides. */
function ActDialog({ detail, action, onClose, onDone }: { detail: CreditDetail; action: CreditAction | null; onClose: () => void; onDone: (detail: CreditDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const upload = useAttachmentUpload('credit_applications', detail.id);
  const [opinion, setOpinion] = useState('');
  const [reports, setReports] = useState<AttachmentListItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setOpinion('');
    setReports([]);
    setProblem(null);
  };

  const run = async () => {
    if (action === null) return;
    if (opinion.trim().length < 2) return setProblem(t('credit.validation.opinion'));
    setBusy(true);
    try {
      const result = await call('credit.act', { id: detail.id, version: detail.version, action, opinion: opinion.trim(), attachmentIds: reports.map((report) => report.id) });
      if (!result.ok) return setProblem(refusalText(result.error, t));
      void message.success(t('credit.act.done', { action: t(`credit.done.${action}`) }));
      reset();
      onDone(result.value);
    } finally {
      setBusy(false);
    }
  };

  const title = action === null ? '' : action === 'escalate' ? t('credit.act.escalateTo', { to: escalationTarget(detail.authority?.escalateTo, t) }) : t(`credit.actions.${action}`);
  return (
    <Modal
      open={action !== null}
      title={title}
      okText={t('credit.act.confirm')}
      okButtonProps={{ loading: busy, danger: action === 'reject', disabled: uploading }}
      onOk={() => void run()}
      onCancel={() => {
        reset();
        onClose();
      }}
      destroyOnHidden
      data-testid="credit-act-dialog"
    >
      <Typography.Text>{action === 'reject' || action === 'return' ? t(`credit.act.opinionPlaceholders.${action}`) : t('credit.act.opinion')}</Typography.Text>
      <Input.TextArea
        aria-label={t('credit.act.opinion')}
        value={opinion}
        rows={4}
        maxLength={2000}
        showCount
        placeholder={action === null ? '' : t(`credit.act.opinionPlaceholders.${action}`)}
        status={problem === null ? '' : 'error'}
        onChange={(event) => {
          setOpinion(event.target.value);
          setProblem(null);
        }}
        style={{ marginTop: 4 }}
        data-testid="credit-opinion"
      />
      {action === 'submit' && (
        <div style={{ marginTop: 12 }}>
          <Space size={8} wrap>
            <Typography.Text>{t('credit.act.report')}</Typography.Text>
            <Upload
              accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
              multiple={false}
              showUploadList={false}
              disabled={uploading}
              beforeUpload={(file) => {
                setUploading(true);
                void upload(file, t('credit.act.report'))
                  .then((added) => added !== null && setReports((list) => [...list, added]))
                  .finally(() => setUploading(false));
                return false;
              }}
            >
              <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="credit-report-upload">
                {t('credit.act.reportUpload')}
              </Button>
            </Upload>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('credit.act.reportHelp')}
            </Typography.Text>
          </Space>
          {reports.length > 0 && (
            <List
              size="small"
              dataSource={reports}
              renderItem={(report) => (
                <List.Item data-testid="credit-report">
                  <Space size={6}>
                    <PaperClipOutlined />
                    {report.fileName}
                  </Space>
                </List.Item>
              )}
            />
          )}
        </div>
      )}
      {problem !== null && (
        <Typography.Paragraph type="danger" style={{ marginTop: 8, marginBottom: 0 }} data-testid="credit-act-problem">
          {problem}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}

/** A credit manager lets a needs_override verdict through, with a reason that goes into the audit trail. */
function OverrideDialog({ detail, open, onClose, onDone }: { detail: CreditDetail; open: boolean; onClose: () => void; onDone: (detail: CreditDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  return (
    <ReasonDialog
      open={open}
      title={t('credit.override.title')}
      body={t('credit.override.body')}
      label={t('credit.override.reason')}
      placeholder={t('credit.override.reasonPlaceholder')}
      okText={t('credit.act.confirm')}
      tooShort={t('credit.validation.overrideReason')}
      submit={async (reason) => {
        const result = await call('credit.override', { id: detail.id, version: detail.version, reason });
        if (!result.ok) return refusalText(result.error, t);
        void message.success(t('credit.override.done'));
        onDone(result.value);
        return null;
      }}
      onClose={onClose}
      maxLength={500}
      rows={3}
      showCount
      testId="credit-override-dialog"
      reasonTestId="credit-override-reason"
    />
  );
}

/**
 * 办理: the actions the host says the signed-in user may take now (detail.allowedActions — the
 * host refuses every other anyway), and why nothing else is offered: the four-eyes rule (the
 * investigator neither reviews nor approves; the reviewer does not approve), an amount above the
 * approver's limit (named, with where it goes instead), a gate that needs a credit manager's
 * override first.
 */
export function ActionPanel({ detail, onChange }: { detail: CreditDetail; onChange: (detail: CreditDetail) => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const [acting, setActing] = useState<CreditAction | null>(null);
  const [overriding, setOverriding] = useState(false);
  if (detail.status === 'approved' || detail.status === 'rejected') return null;

  const allowed = new Set(detail.allowedActions);
  const overLimit = detail.authority !== null && !detail.authority.covers;
  // Above the limit, approving is not offered: escalating is (the host refuses an approval anyway).
  const gateBlocks = detail.gate.verdict !== 'allow' && !detail.gatePasses;
  // The host runs the gate again on submitting and approving: until it passes, neither is offered.
  const actions = actionOrder.filter((action) => allowed.has(action) && !(overLimit && action === 'approve') && !(gateBlocks && (action === 'submit' || action === 'approve')));
  const isInvestigator = user?.id === detail.investigator.id;
  const isReviewer = user?.id === detail.reviewer?.id;
  const notes: { key: string; type: 'info' | 'warning' | 'error'; text: string }[] = [];
  if (detail.status === 'escalated') notes.push({ key: 'head-office', type: 'info', text: t('credit.act.headOfficeWaits') });
  else if (detail.status !== 'investigation' && isInvestigator) notes.push({ key: 'four-eyes', type: 'warning', text: t('credit.act.fourEyes') });
  else if (detail.status === 'approval' && isReviewer) notes.push({ key: 'reviewer', type: 'warning', text: t('credit.act.reviewerCannotDecide') });
  if (overLimit) notes.push({ key: 'authority', type: 'warning', text: t('credit.act.authorityExceeded', { limit: formatYuan(detail.authority!.limitFen), to: escalationTarget(detail.authority!.escalateTo, t) }) });
  else if (detail.authority !== null && detail.status === 'approval') notes.push({ key: 'authority', type: 'info', text: t('credit.act.authorityOk', { limit: formatYuan(detail.authority.limitFen) }) });
  if (gateBlocks) notes.push({ key: 'gate', type: detail.gate.verdict === 'deny' ? 'error' : 'warning', text: detail.gate.verdict === 'deny' ? t('credit.act.gateDenies') : allowed.has('override') ? t('credit.act.gateBlocks') : t('credit.override.needsManager') });
  if (actions.length === 0 && !allowed.has('override') && notes.length === 0) notes.push({ key: 'none', type: 'info', text: t('credit.act.noActions') });

  return (
    <div data-testid="credit-actions">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {notes.map((note) => (
          <Alert key={note.key} type={note.type} showIcon title={note.text} data-testid={`credit-note-${note.key}`} />
        ))}
        <Space wrap>
          {allowed.has('override') && gateBlocks && (
            <Button icon={<SafetyCertificateOutlined />} onClick={() => setOverriding(true)} data-testid="credit-action-override">
              {t('credit.actions.override')}
            </Button>
          )}
          {actions.map((action) => (
            <Button
              key={action}
              type={action === 'submit' || action === 'pass' || action === 'approve' ? 'primary' : 'default'}
              danger={action === 'reject'}
              icon={actionIcons[action]}
              onClick={() => setActing(action)}
              data-testid={`credit-action-${action}`}
            >
              {action === 'escalate' ? t('credit.act.escalateTo', { to: escalationTarget(detail.authority?.escalateTo, t) }) : t(`credit.actions.${action}`)}
            </Button>
          ))}
        </Space>
      </Space>
      <ActDialog
        detail={detail}
        action={acting}
        onClose={() => setActing(null)}
        onDone={(next) => {
          setActing(null);
          onChange(next);
        }}
      />
      <OverrideDialog
        detail={detail}
        open={overriding}
        onClose={() => setOverriding(false)}
        onDone={(next) => {
          setOverriding(false);
          onChange(next);
        }}
      />
    </div>
  );
}
