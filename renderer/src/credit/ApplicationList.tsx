import { memo, useEffect, useState } from 'react';
import { Badge, Button, Select, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CreditListFilter, CreditSort, CreditSummary } from '../../../shared/api/index.ts';
import { creditProducts } from '../../../shared/domain/creditApplication.ts';
import { creditStatuses } from '../../../shared/domain/creditWorkflow.ts';
import { formatYuan } from '../../../shared/domain/money.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import type { RegisterColumn } from '../register/RegisterTable.tsx';
import type { LoadPage } from '../register/pages.ts';
import { ClearFilters, RegisterFilterBar, RegisterSearch, useRegisterFilters } from '../register/RegisterFilters.tsx';
import { instantColumn } from '../register/cells.tsx';
import { createRegisterListState } from '../register/listState.ts';
import { ApplicationForm } from './ApplicationForm.tsx';
import { StatusTag } from './StatusTag.tsx';
import { formatWorkingDuration } from './timing.ts';
import './credit.css';

type SortField = CreditSort['field'];

/** The applications list's search, filters, sort and scroll position (kept across a detail visit). */
export const useCreditListState = createRegisterListState<CreditListFilter, CreditSort>({ field: 'updatedAt', order: 'desc' });

/** 企业, 产品, 金额, 状态, 本环节等待, 调查人, 更新时间. */
const columns: readonly RegisterColumn<CreditSummary, SortField>[] = [
  {
    key: 'enterprise',
    title: 'credit.columns.enterprise',
    width: 'minmax(200px, 2.2fr)',
    sort: 'enterpriseName',
    cell: (row, { t }) => (
      <>
        <span className="gl-main gl-name" title={row.enterpriseName}>
          {row.priority && (
            <Tooltip title={t('credit.priorityHelp')}>
              <Tag color="magenta" style={{ marginInlineEnd: 6 }} data-testid="credit-priority">
                {t('credit.priority')}
              </Tag>
            </Tooltip>
          )}
          {row.enterpriseName}
        </span>
        <span className="gl-sub gl-mono">{row.enterpriseUscc}</span>
      </>
    ),
  },
  {
    key: 'product',
    title: 'credit.columns.product',
    width: 'minmax(130px, 1fr)',
    cell: (row, { t }) => (
      <>
        <span className="gl-main">{t(`credit.products.${row.product}`)}</span>
        <span className="gl-sub">
          {t('credit.detail.months', { count: row.termMonths })}
          {row.greenProject && ` · ${t('credit.green')}`}
        </span>
      </>
    ),
  },
  {
    key: 'amount',
    title: 'credit.columns.amount',
    width: '150px',
    sort: 'amountFen',
    firstOrder: 'desc',
    align: 'right',
    cell: (row) => <span className="gl-mono">{formatYuan(row.amountFen)}</span>,
  },
  {
    key: 'status',
    title: 'credit.columns.status',
    width: '150px',
    cell: (row, { t }) => (
      <>
        <span className="gl-main">
          <StatusTag status={row.status} />
        </span>
        {row.status === 'approval' && <span className="gl-sub">{t(`credit.approvalLevels.${row.approvalLevel}`)}</span>}
      </>
    ),
  },
  {
    key: 'waiting',
    title: 'credit.columns.waiting',
    width: 'minmax(150px, 1.2fr)',
    sort: 'stepEnteredAt',
    cell: (row, { t }) =>
      row.waiting === null ? (
        <span className="gl-sub">—</span>
      ) : (
        <>
          <span className="gl-main" style={row.waiting.overdue ? { color: '#cf1322' } : undefined} data-testid="credit-waiting" data-overdue={row.waiting.overdue}>
            {formatWorkingDuration(row.waiting.workingDays, t)}
            {row.waiting.overdue && ` · ${row.priority ? t('credit.timing.overduePriority') : t('credit.timing.overdue')}`}
          </span>
          <span className="gl-sub">{row.priority ? t('credit.timing.targetPriority', { days: row.waiting.targetWorkingDays }) : t('credit.timing.target', { days: row.waiting.targetWorkingDays })}</span>
        </>
      ),
  },
  {
    key: 'investigator',
    title: 'credit.columns.investigator',
    width: '110px',
    cell: (row) => <span className="gl-main">{row.investigator.name ?? '—'}</span>,
  },
  instantColumn('updatedAt', 'credit.columns.updatedAt', 'updatedAt'),
];

type StatusChoice = NonNullable<CreditListFilter['status']>;

/** How many wait for the signed-in user, counted by the host (a one-row page carries the total). */
function useWaitingForMeCount(): number | null {
  const call = useAppStore((s) => s.call);
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    void call('credit.list', { filter: { waitingForMe: true }, sort: { field: 'stepEnteredAt', order: 'asc' }, offset: 0, limit: 1 }).then((result) => result.ok && setCount(result.value.total));
  }, [call]);
  return count;
}

/**
 * The search box and filters; they read and write the list state themselves, so scrolling never
 * re-renders them. 待我处理 is the host's: the applications whose open step the signed-in user may act on.
 */
const CreditFilters = memo(function CreditFilters() {
  const { t } = useTranslation();
  const controls = useRegisterFilters(useCreditListState);
  const { filter, updateFilter } = controls;
  const waitingCount = useWaitingForMeCount();
  const statusChoices: { value: StatusChoice; label: string }[] = [
    { value: 'open', label: t('credit.list.statusOpen') },
    ...creditStatuses.map((status) => ({ value: status, label: t(`credit.statuses.${status}`) })),
    { value: 'decided', label: t('credit.list.statusDecided') },
  ];

  return (
    <RegisterFilterBar>
      <RegisterSearch controls={controls} label={t('credit.list.search')} placeholder={t('credit.list.searchPlaceholder')} width={320} testId="credit-search" />
      <Tag.CheckableTag className="gl-credit-toggle" checked={filter.waitingForMe === true} onChange={(checked) => updateFilter({ waitingForMe: checked ? true : undefined })} data-testid="filter-waiting-for-me">
        <Badge count={waitingCount ?? 0} size="small" offset={[8, -2]} showZero={false} color="#1f7a4d">
          {t('credit.list.waitingForMe')}
        </Badge>
      </Tag.CheckableTag>
      <Tag.CheckableTag className="gl-credit-toggle" checked={filter.priority === true} onChange={(checked) => updateFilter({ priority: checked ? true : undefined })} data-testid="filter-priority">
        {t('credit.list.priorityOnly')}
      </Tag.CheckableTag>
      <Select
        allowClear
        placeholder={t('credit.list.status')}
        value={filter.status}
        onChange={(status?: StatusChoice) => updateFilter({ status })}
        options={statusChoices}
        style={{ width: 150 }}
        popupMatchSelectWidth={180}
        aria-label={t('credit.list.status')}
        data-testid="filter-status"
      />
      <Select
        allowClear
        placeholder={t('credit.list.product')}
        value={filter.product}
        onChange={(product?: CreditListFilter['product']) => updateFilter({ product })}
        options={creditProducts.map((product) => ({ value: product, label: t(`credit.products.${product}`) }))}
        style={{ width: 150 }}
        aria-label={t('credit.list.product')}
      />
      <ClearFilters shown={controls.anyFilter} onClear={controls.clear} />
    </RegisterFilterBar>
  );
});

/**
 * 授信申请: every application of the branch on the shared register list (paged, filtered and sorted
 * in SQL by credit.list), with its workflow status, how long its open step has waited against the
 * target, the 优先 flag, and the 待我处理 filter.
 */
export function ApplicationList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const call = useAppStore((s) => s.call);
  const [creating, setCreating] = useState(false);
  const canWrite = user !== null && can(user.role, 'credit.write');
  const load: LoadPage<CreditSummary, CreditListFilter, CreditSort> = (request) => call('credit.list', request);

  return (
    <RegisterList
      name="credit"
      title={t('credit.title')}
      store={useCreditListState}
      load={load}
      columns={columns}
      minWidth={1002}
      countText={(total, count) => t('credit.list.count', { count, total })}
      filters={<CreditFilters />}
      onOpen={(row) => void navigate(`/credit/${row.id}`)}
      emptyText={t('credit.list.empty')}
      noMatchText={t('credit.list.noMatch')}
      toolbar={() =>
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="credit-create">
            {t('credit.create')}
          </Button>
        )
      }
    >
      <ApplicationForm
        open={creating}
        application={null}
        onClose={() => setCreating(false)}
        onSaved={(detail) => {
          setCreating(false);
          void navigate(`/credit/${detail.id}`);
        }}
      />
    </RegisterList>
  );
}
