import { type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { WorkbenchItem, WorkbenchItemKind, ChecklistStep } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import { useUser } from '../stores/app.ts';
import { recordCard, useHostValue } from '../components/RecordPage.tsx';

/** The home screen's groups, each a card of the kinds it holds (shared/api/workbench.ts). */
const groups: { key: 'decisions' | 'due' | 'alerts' | 'conflicts'; kinds: WorkbenchItemKind[] }[] = [
  { key: 'decisions', kinds: ['credit_decision', 'collateral_approval', 'green_confirmation', 'case_verification'] },
  { key: 'due', kinds: ['case_follow_up', 'monitoring_visit'] },
  { key: 'alerts', kinds: ['collateral_alert', 'case_overdue'] },
  { key: 'conflicts', kinds: ['sync_conflict'] },
];

/** Where an item opens: the record's own page (and tab). */
export function itemPath(item: Pick<WorkbenchItem, 'opens'>): string {
  const { target, id, tab } = item.opens;
  const query = tab === null ? '' : `?tab=${tab}`;
  if (target === 'sync') return '/sync';
  const section = { credit: 'credit', collateral: 'collateral', loan: 'loans', case: 'rectification', enterprise: 'enterprises' }[target];
  return `/${section}/${id ?? ''}${query}`;
}

/** The pages a first-run step is done on. */
const stepPaths: Record<ChecklistStep, string> = { reference_data: '/sync', users: '/users', first_sync: '/sync', enterprises: '/enterprises', loans: '/loans' };

export function Workbench() {
  const { t } = useTranslation();
  const user = useUser();
  const navigate = useNavigate();
  const { value: data, error } = useHostValue('workbench.today', {});

  if (error !== null) return <Alert type="error" showIcon title={describeError(error)} />;
  if (data === null || user === null) return <Skeleton active />;
  const shownGroups = groups.filter((group) => group.kinds.some((kind) => data.counts[kind] > 0));

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 1100 }} data-testid="workbench-page">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('workbench.title')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('workbench.greeting', { name: user.displayName, today: data.today })} · {t('workbench.horizon', { days: data.horizonDays })}
        </Typography.Text>
      </div>

      {data.checklist !== null && (
        <Card size="small" title={t('workbench.checklist.title')} extra={<Typography.Text type="secondary">{t('workbench.checklist.help')}</Typography.Text>} data-testid="workbench-checklist">
          <List
            size="small"
            dataSource={data.checklist}
            renderItem={(step) => (
              <List.Item
                data-testid={`checklist-${step.step}`}
                data-done={step.done}
                actions={step.done ? [] : [<Button key="go" size="small" type="link" onClick={() => void navigate(stepPaths[step.step])}>{t('workbench.open')}</Button>]}
              >
                <Space>
                  {step.done ? <CheckCircleFilled style={{ color: '#1f7a4d' }} /> : <ClockCircleOutlined style={{ color: '#faad14' }} />}
                  <Typography.Text delete={step.done} type={step.done ? 'secondary' : undefined}>
                    {t(`workbench.checklist.steps.${step.step}`)}
                  </Typography.Text>
                  <Tag color={step.done ? 'green' : 'gold'}>{step.done ? t('workbench.checklist.done') : t('workbench.checklist.todo')}</Tag>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}

      {shownGroups.length === 0 && (
        <div style={{ ...recordCard, padding: 32 }}>
          <Empty description={t('workbench.nothing')} data-testid="workbench-empty" />
        </div>
      )}

      {shownGroups.map((group) => (
        <Card
          key={group.key}
          size="small"
          data-testid={`workbench-group-${group.key}`}
          title={
            <Space>
              {t(`workbench.groups.${group.key}`)}
              <Badge count={group.kinds.reduce((sum, kind) => sum + data.counts[kind], 0)} overflowCount={999} style={{ background: group.key === 'alerts' ? '#cf1322' : '#1f7a4d' }} />
            </Space>
          }
        >
          {group.kinds
            .filter((kind) => data.counts[kind] > 0)
            .map((kind) => (
              <KindList key={kind} kind={kind} items={data.items.filter((item) => item.kind === kind)} total={data.counts[kind]} today={data.today} onOpen={(item) => void navigate(itemPath(item))} />
            ))}
        </Card>
      ))}
    </div>
  );
}

function KindList({ kind, items, total, today, onOpen }: { kind: WorkbenchItemKind; items: WorkbenchItem[]; total: number; today: string; onOpen: (item: WorkbenchItem) => void }) {
  const { t } = useTranslation();
  return (
    <div style={{ marginBottom: 8 }} data-testid={`workbench-kind-${kind}`}>
      <Space style={{ margin: '4px 0' }}>
        <Typography.Text strong>{t(`workbench.kinds.${kind}`)}</Typography.Text>
        <Typography.Text type="secondary" data-testid={`workbench-count-${kind}`}>
          {total}
        </Typography.Text>
        {total > items.length && <Typography.Text type="secondary">{t('workbench.more', { total, shown: items.length })}</Typography.Text>}
      </Space>
      <List
        size="small"
        bordered
        dataSource={items}
        renderItem={(item) => (
          <List.Item
            style={{ cursor: 'pointer' }}
            onClick={() => onOpen(item)}
            data-testid={`workbench-item-${kind}`}
            data-record-id={item.recordId}
            actions={[<DueText key="due" item={item} today={today} />]}
          >
            <Space size="middle" wrap>
              <Typography.Link>{item.enterpriseName ?? t(`sync.quarantine.tables.${item.label}`, { defaultValue: item.label })}</Typography.Link>
              <ItemWords item={item} />
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}

/** What the item is, in words: the record's name and what it waits on. */
function ItemWords({ item }: { item: WorkbenchItem }): ReactNode {
  const { t } = useTranslation();
  const detail = item.detail;
  switch (item.kind) {
    case 'credit_decision':
      return (
        <Space size={6}>
          <span>{t(`credit.products.${item.label}`)}</span>
          {detail !== null && <Tag color="blue">{t(`credit.statuses.${detail}`)}</Tag>}
        </Space>
      );
    case 'collateral_approval':
      return (
        <Space size={6}>
          <span>{item.label}</span>
          {detail !== null && <Tag>{t(`collateral.types.${detail}`)}</Tag>}
        </Space>
      );
    case 'green_confirmation':
      return (
        <Space size={6}>
          {detail !== null && <Tag color="green">{t(`workbench.tagOwners.${detail}`)}</Tag>}
          <span>{item.label}</span>
        </Space>
      );
    case 'collateral_alert':
      return (
        <Space size={6}>
          <span>{item.label}</span>
          {detail !== null && <Tag color="red">{t(`workbench.alerts.${detail}`)}</Tag>}
        </Space>
      );
    case 'monitoring_visit':
      return <Typography.Text type="secondary">{t('workbench.monitoringDue')}</Typography.Text>;
    case 'sync_conflict':
      return null;
    default:
      return (
        <Space size={6}>
          <span>{item.label}</span>
          {detail !== null && <Tag>{t(`rectification.categories.${detail}`)}</Tag>}
        </Space>
      );
  }
}

function DueText({ item, today }: { item: WorkbenchItem; today: string }) {
  const { t } = useTranslation();
  if (item.kind === 'case_follow_up' && item.dueOn === null) return <Typography.Text type="warning">{t('workbench.neverFollowedUp')}</Typography.Text>;
  if (item.dueOn === null) return null;
  if (item.kind === 'credit_decision') return <Typography.Text type="secondary">{t('workbench.enteredOn', { day: item.dueOn })}</Typography.Text>;
  const overdue = item.overdue || item.dueOn < today;
  return (
    <Space size={4}>
      <Typography.Text type={overdue ? 'danger' : 'secondary'}>{t('workbench.dueOn', { day: item.dueOn })}</Typography.Text>
      {overdue && <Tag color="red">{t('workbench.overdue')}</Tag>}
    </Space>
  );
}
