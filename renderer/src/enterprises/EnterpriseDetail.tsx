import { useState } from 'react';
import { Alert, App as AntApp, Button, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { EnterpriseDetail } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { BackLink, RecordHeader, RecordPageFallback, recordCard, useRecord } from '../components/RecordPage.tsx';
import { ReasonDialog } from '../components/ReasonDialog.tsx';
import { formatInstant } from '../format.ts';
import { FlagTags, RatingPlate } from './EnterpriseTags.tsx';
import { EnterpriseForm } from './EnterpriseForm.tsx';
import { BasicInfoTab, GreenCredentialsTab } from './InfoTabs.tsx';
import { EnterpriseCasesTab } from '../rectification/EnterpriseCasesTab.tsx';
import { RatingsTab } from './RatingsTab.tsx';
import { FinanceTab } from './FinanceTab.tsx';
import { AttachmentsTab } from './AttachmentsTab.tsx';
import { HistoryTab, useEnterpriseHistory } from './HistoryTab.tsx';
import { EnterpriseCreditTab } from '../credit/EnterpriseCreditTab.tsx';
import { divisionLabel, focusGroupLabel, industryLabel } from './labels.ts';
import { isExitOverdue } from './calendar.ts';
import { EnterpriseLoansTab } from '../loans/EnterpriseLoansTab.tsx';
import { EnterpriseCollateralTab } from '../collateral/EnterpriseCollateralTab.tsx';
import './enterprises.css';

const tabKeys = ['basic', 'green', 'rating', 'finance', 'credit', 'loans', 'collateral', 'rectification', 'attachments', 'history'] as const;

/** 企业档案 detail: header with identity, plate and flags; tabs for each part of the file. */
export function EnterpriseDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const user = useUser();
  const { detail, setDetail, error, reload: load } = useRecord('enterprises.get', id);
  const [editing, setEditing] = useState(false);
  const canWrite = user !== null && can(user.role, 'enterprise.write');
  const canDelete = user !== null && can(user.role, 'enterprise.delete');
  const [removing, setRemoving] = useState(false);
  const history = useEnterpriseHistory(id, detail?.version);
  const requested = searchParams.get('tab');
  const tab = tabKeys.find((key) => key === requested) ?? 'basic';

  const back = <BackLink label={t('enterprises.detail.back')} onBack={() => void navigate('/enterprises')} testId="enterprise-back" />;
  if (error !== null || detail === null) return <RecordPageFallback error={error} loading={detail === null} back={back} notFoundTitle={t('enterprises.detail.notFound')} />;

  // Names come from the branch's people directory (the host resolves the file's own two); the audit
  // trail names anyone the directory does not know yet.
  const names = new Map((history.entries ?? []).filter((e) => e.userId !== null && e.userName !== null).map((e) => [e.userId!, e.userName!]));
  if (detail.createdByName !== null) names.set(detail.createdBy, detail.createdByName);
  if (detail.updatedByName !== null) names.set(detail.updatedBy, detail.updatedByName);
  const nameOf = (userId: string) => names.get(userId) ?? (userId === user?.id ? user.displayName : userId);
  const { identity, flags, greenCredentials } = detail.file;
  const focus = focusGroupLabel(detail.focusGroup, i18n.language);
  const miit = greenCredentials.miitRecommendation.recommended;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="enterprise-detail">
      {back}
      <RecordHeader
        title={
          <>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="enterprise-name">
              {identity.name}
            </Typography.Title>
            <RatingPlate level={detail.environmentalRating} />
          </>
        }
        line={
          <>
            <Typography.Text copyable={{ text: identity.uscc }} className="gl-mono" data-testid="enterprise-uscc">
              {identity.uscc}
            </Typography.Text>
            {identity.usccCheckOverride !== null && (
              <Tooltip title={identity.usccCheckOverride.reason}>
                <Tag color="orange">{t('enterprises.detail.usccOverride')}</Tag>
              </Tooltip>
            )}
            <Typography.Text type="secondary">{industryLabel(identity.industryCode)}</Typography.Text>
            {focus !== null && <Tag>{t('enterprises.list.focusGroup', { group: focus })}</Tag>}
            <Typography.Text type="secondary">{divisionLabel(identity.divisionCode)}</Typography.Text>
            <Typography.Text type="secondary">{t(`enterprises.scales.${identity.scale}`)}</Typography.Text>
          </>
        }
        below={
          <div style={{ marginTop: 8 }}>
            <FlagTags
              flags={{
                outdatedCapacity: flags.outdatedCapacity.flagged,
                negativeList: flags.negativeList,
                greenList: flags.greenList,
                miitRecommended: miit,
                greenFactoryLevel: greenCredentials.greenFactory?.level ?? null,
                overdue: isExitOverdue(flags.outdatedCapacity),
              }}
            />
          </div>
        }
        actions={
          <>
            {canWrite && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="enterprise-edit">
                {t('enterprises.edit')}
              </Button>
            )}
            {canDelete && (
              <Button danger icon={<DeleteOutlined />} onClick={() => setRemoving(true)} data-testid="enterprise-remove">
                {t('enterprises.detail.remove')}
              </Button>
            )}
          </>
        }
        byLine={t('enterprises.detail.updatedLine', { user: nameOf(detail.updatedBy), at: formatInstant(detail.updatedAt) })}
      />

      {detail.sameUscc.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="enterprise-same-uscc"
          title={
            <Space size={4} wrap>
              {t('enterprises.detail.sameUscc', { count: detail.sameUscc.length })}
              {detail.sameUscc.map((other) => (
                <Typography.Link key={other.id} onClick={() => void navigate(`/enterprises/${other.id}`)}>
                  {other.name}
                </Typography.Link>
              ))}
            </Space>
          }
          description={t('enterprises.detail.sameUsccHelp')}
        />
      )}
      <RemoveEnterpriseDialog open={removing} detail={detail} onClose={() => setRemoving(false)} onRemoved={() => void navigate('/enterprises')} />

      <div style={{ ...recordCard, padding: '4px 20px 20px' }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearchParams(key === 'basic' ? {} : { tab: key }, { replace: true })}
          data-testid="enterprise-tabs"
          // Ten tabs: a narrower gap keeps every English label on the bar at 1366 px, none behind the overflow menu.
          tabBarGutter={20}
          items={[
            { key: 'basic', label: t('enterprises.tabs.basic'), children: <BasicInfoTab detail={detail} nameOf={nameOf} /> },
            { key: 'green', label: t('enterprises.tabs.green'), children: <GreenCredentialsTab detail={detail} /> },
            { key: 'rating', label: t('enterprises.tabs.rating'), children: <RatingsTab detail={detail} canWrite={canWrite} onChange={setDetail} /> },
            { key: 'finance', label: t('enterprises.tabs.finance'), children: <FinanceTab detail={detail} canWrite={canWrite} onChange={setDetail} /> },
            { key: 'credit', label: t('credit.tab.title'), children: <EnterpriseCreditTab enterprise={detail} /> },
            { key: 'loans', label: t('enterprises.tabs.loans'), children: <EnterpriseLoansTab enterprise={{ id: detail.id, name: identity.name }} /> },
            { key: 'collateral', label: t('enterprises.tabs.collateral'), children: <EnterpriseCollateralTab enterprise={{ id: detail.id, name: identity.name }} /> },
            { key: 'rectification', label: t('enterprises.tabs.rectification'), children: <EnterpriseCasesTab enterprise={{ id: detail.id, name: identity.name }} /> },
            {
              key: 'attachments',
              label: `${t('enterprises.tabs.attachments')}${detail.attachments.length > 0 ? ` (${detail.attachments.length})` : ''}`,
              children: <AttachmentsTab ownerType="enterprises" ownerId={detail.id} canWrite={canWrite} onChanged={() => void load()} nameOf={nameOf} revision={detail.attachments.length} />,
            },
            { key: 'history', label: t('enterprises.tabs.history'), children: <HistoryTab history={history} /> },
          ]}
        />
      </div>

      <EnterpriseForm
        open={editing}
        enterprise={detail}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          setDetail(saved);
        }}
        onReloaded={setDetail}
      />
    </Space>
  );
}

/** A credit manager deletes a file (one of two entered for one enterprise), giving a reason. */
function RemoveEnterpriseDialog({ open, detail, onClose, onRemoved }: { open: boolean; detail: EnterpriseDetail; onClose: () => void; onRemoved: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const name = detail.file.identity.name;
  return (
    <ReasonDialog
      open={open}
      title={t('enterprises.detail.removeTitle', { name })}
      body={t('enterprises.detail.removeBody')}
      label={t('enterprises.detail.removeReason')}
      placeholder={t('enterprises.detail.removeReasonPlaceholder')}
      okText={t('enterprises.detail.remove')}
      tooShort={t('enterprises.detail.removeReasonShort')}
      submit={async (reason) => {
        const result = await call('enterprises.remove', { id: detail.id, version: detail.version, reason });
        if (!result.ok) return describeError(result.error);
        void message.success(t('enterprises.detail.removed', { name }));
        onRemoved();
        return null;
      }}
      onClose={onClose}
      danger
      maxLength={200}
      rows={2}
      testId="enterprise-remove-dialog"
    />
  );
}
