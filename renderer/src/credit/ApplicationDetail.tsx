import { useState, type ReactNode } from 'react';
import { Button, Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { CreditDetail } from '../../../shared/api/index.ts';
import { formatYuan } from '../../../shared/domain/money.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useUser } from '../stores/app.ts';
import { BackLink, RecordHeader, RecordPageFallback, recordCard, useRecord } from '../components/RecordPage.tsx';
import { formatInstant } from '../format.ts';
import { RecordHistory } from '../components/RecordHistory.tsx';
import { AttachmentsTab, useAttachmentViewer } from '../enterprises/AttachmentsTab.tsx';
import { GateVerdict } from './GateVerdict.tsx';
import { WorkflowTimeline } from './WorkflowTimeline.tsx';
import { ActionPanel } from './ActionPanel.tsx';
import { ApplicationForm } from './ApplicationForm.tsx';
import { StatusTag } from './StatusTag.tsx';
import { basisPointsToPercent } from './rate.ts';
import { GreenTagPanel } from '../green/GreenTagPanel.tsx';
import { catalogueInForce } from '../../../shared/codes/greenCatalogues.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';

function Panel({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div style={{ ...recordCard, padding: '14px 20px 18px' }} data-testid={testId}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {children}
    </div>
  );
}

/** 授信要素: what is asked for, in 元 and %, with the project of a project loan. */
function TermsPanel({ detail }: { detail: CreditDetail }) {
  const { t } = useTranslation();
  const { terms } = detail;
  const yesNo = (value: boolean) => (value ? t('credit.detail.yes') : t('credit.detail.no'));
  return (
    <Descriptions
      bordered
      size="small"
      column={2}
      styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
      data-testid="credit-terms-view"
      items={[
        { key: 'product', label: t('credit.detail.product'), children: t(`credit.products.${terms.product}`) },
        { key: 'amount', label: t('credit.detail.amount'), children: <span className="gl-mono">{formatYuan(terms.amountFen)} {t('credit.form.amountUnit')}</span> },
        { key: 'term', label: t('credit.detail.termMonths'), children: t('credit.detail.months', { count: terms.termMonths }) },
        { key: 'rate', label: t('credit.detail.rate'), children: `${basisPointsToPercent(terms.rateBp)}%` },
        { key: 'purposeKind', label: t('credit.detail.purposeKind'), children: t(`credit.purposeKinds.${terms.purposeKind}`) },
        { key: 'guarantee', label: t('credit.detail.guaranteeMode'), children: t(`credit.guaranteeModes.${terms.guaranteeMode}`) },
        { key: 'purpose', label: t('credit.detail.purpose'), span: 2, children: terms.purpose },
        { key: 'green', label: t('credit.detail.greenProject'), children: yesNo(terms.greenProject) },
        {
          key: 'project',
          label: t('credit.detail.project'),
          children:
            terms.project === null ? '—' : t('credit.detail.projectLine', { name: terms.project.name, investment: formatYuan(terms.project.totalInvestmentFen), start: terms.project.expectedStart }),
        },
        ...(detail.notes === null ? [] : [{ key: 'notes', label: t('credit.detail.notes'), span: 2, children: detail.notes }]),
      ]}
    />
  );
}

/**
 * One credit application: who asks for what, the gate's verdict as it stands today (and the
 * override that lets it through), what the signed-in user may do now, the three steps with their
 * opinions and timings, the terms, the attachments, and the 变更记录.
 */
export function ApplicationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useUser();
  const { detail, setDetail, error, reload: load } = useRecord('credit.get', id);
  const [editing, setEditing] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const { open: openAttachment, viewer } = useAttachmentViewer();

  const back = <BackLink label={t('credit.detail.back')} onBack={() => void navigate('/credit')} testId="credit-back" />;
  if (error !== null || detail === null) return <RecordPageFallback error={error} loading={detail === null} back={back} notFoundTitle={t('credit.detail.notFound')} />;

  const decided = detail.status === 'approved' || detail.status === 'rejected';
  const canAttach = user !== null && can(user.role, 'credit.write') && !decided;
  const staleOverride = detail.override !== null && detail.gate.verdict === 'needs_override' && !detail.gatePasses;
  const showGate = detail.gate.verdict !== 'allow' || detail.gate.warnings.length > 0 || detail.override !== null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="credit-detail">
      {back}
      <RecordHeader
        title={
          <>
            <Typography.Title level={3} style={{ margin: 0 }}>
              <Typography.Link onClick={() => void navigate(`/enterprises/${detail.enterpriseId}`)} data-testid="credit-enterprise-name">
                {detail.enterpriseName}
              </Typography.Link>
            </Typography.Title>
            <StatusTag status={detail.status} />
            {detail.priority && (
              <Tooltip title={t('credit.priorityHelp')}>
                <Tag color="magenta" variant="solid" data-testid="credit-priority">
                  {t('credit.priority')}
                </Tag>
              </Tooltip>
            )}
            {detail.terms.greenProject && <Tag color="green">{t('credit.green')}</Tag>}
          </>
        }
        line={
          <>
            <Typography.Text strong style={{ fontSize: 18 }} className="gl-mono" data-testid="credit-amount-view">
              {formatYuan(detail.amountFen)} {t('credit.form.amountUnit')}
            </Typography.Text>
            <Typography.Text>{t(`credit.products.${detail.product}`)}</Typography.Text>
            <Typography.Text type="secondary">{t('credit.detail.months', { count: detail.termMonths })}</Typography.Text>
            <Typography.Text type="secondary" className="gl-mono">
              {detail.enterpriseUscc}
            </Typography.Text>
          </>
        }
        actions={
          <>
            {detail.allowedActions.includes('edit') && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="credit-edit">
                {t('credit.actions.edit')}
              </Button>
            )}
            <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)} data-testid="credit-history">
              {t('credit.detail.history')}
            </Button>
          </>
        }
        byLine={t('credit.detail.createdLine', { name: detail.createdBy.name ?? '—', at: formatInstant(detail.createdAt) })}
      />

      {showGate && <GateVerdict gate={detail.gate} override={detail.override === null ? null : { name: detail.override.by.name, reason: detail.override.reason, at: detail.override.at }} stale={staleOverride} />}

      {!decided && (
        <Panel title={t('credit.act.title')}>
          <ActionPanel detail={detail} onChange={setDetail} />
        </Panel>
      )}

      <Panel title={t('credit.detail.workflow')}>
        <WorkflowTimeline detail={detail} onOpenAttachment={openAttachment} />
      </Panel>

      <Panel title={t('credit.detail.terms')}>
        <TermsPanel detail={detail} />
      </Panel>

      {detail.terms.greenProject && (
        <Panel title={t('green.tab')} testId="credit-green-tag">
          <GreenTagPanel
            ownerType="credit_application"
            ownerId={detail.id}
            defaultVersion={catalogueInForce(shanghaiDate(detail.decidedAt === null ? new Date() : new Date(detail.decidedAt))) ?? '2025'}
            canWrite={user !== null && can(user.role, 'green.write')}
          />
        </Panel>
      )}

      <Panel title={`${t('credit.detail.attachments')}${detail.attachments.length > 0 ? ` (${detail.attachments.length})` : ''}`}>
        <AttachmentsTab
          ownerType="credit_applications"
          ownerId={detail.id}
          canWrite={canAttach}
          onChanged={() => void load()}
          nameOf={(userId) => (userId === user?.id ? user.displayName : userId)}
          revision={detail.version}
        />
      </Panel>

      {viewer}
      <RecordHistory recordType="credit_applications" recordId={historyOpen ? detail.id : null} title={detail.enterpriseName} onClose={() => setHistoryOpen(false)} />
      <ApplicationForm
        open={editing}
        application={detail}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          setDetail(saved);
        }}
      />
    </Space>
  );
}
