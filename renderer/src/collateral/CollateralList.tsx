import { collateralListFilterSchema } from '../../../shared/api/collateral.ts';
import { memo, useEffect, useState } from 'react';
import { Button, Checkbox, Select, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CollateralListFilter, CollateralSort, CollateralSummary, CollateralTotals } from '../../../shared/api/index.ts';
import { collateralStatuses, collateralTypes } from '../../../shared/domain/collateral.ts';
import { collateralAlertKinds } from '../../../shared/domain/collateralAlerts.ts';
import { can } from '../../../shared/domain/roles.ts';
import { EnterprisePicker, type EnterpriseChoice } from '../enterprises/EnterprisePicker.tsx';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import { ClearFilters, RegisterFilterBar } from '../register/RegisterFilters.tsx';
import { ExportButton } from '../register/ExportButton.tsx';
import { compactFilter } from '../register/filters.ts';
import type { RegisterListStore } from '../register/listState.ts';
import { useCollateralListState, useCollateralReviewState } from './listState.ts';
import { COLLATERAL_COLUMNS_MIN_WIDTH, collateralColumns } from './columns.tsx';
import { countCollateral, loadCollateralPage } from './pages.ts';
import { CollateralImport } from './CollateralImport.tsx';

/** The expiry horizons offered (the host takes any number of days). */
const horizons = [30, 60, 90, 180] as const;

/**
 * 合计 of the filtered set in 万元, from the host's totals (collateral.totals): appraised, pledged,
 * and pledged of the registered items only, which is what counts toward collateral value.
 */
export function CollateralTotalsLine({ filter, testId, revision = 0 }: { filter: CollateralListFilter; testId: string; revision?: number }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [totals, setTotals] = useState<CollateralTotals | null>(null);
  const key = JSON.stringify(filter);
  useEffect(() => {
    let current = true;
    setTotals(null);
    void call('collateral.totals', { filter: JSON.parse(key) as CollateralListFilter }).then((result) => {
      if (current && result.ok) setTotals(result.value);
    });
    return () => {
      current = false;
    };
  }, [call, key, revision]);
  return (
    <Typography.Text type="secondary" data-testid={testId}>
      {totals === null
        ? t('collateral.totals.loading')
        : t('collateral.totals.line', {
            count: totals.count.toLocaleString(),
            appraised: formatWanYuan(totals.appraisedValue),
            pledged: formatWanYuan(totals.pledgedValue),
            counted: formatWanYuan(totals.countedPledgedValue),
          })}
    </Typography.Text>
  );
}

/** The people who enter collateral, for the officer filter (collateral.officers). */
function useOfficers(): { id: string; name: string }[] {
  const call = useAppStore((s) => s.call);
  const [officers, setOfficers] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    let current = true;
    void call('collateral.officers', {}).then((result) => {
      if (current && result.ok) setOfficers(result.value);
    });
    return () => {
      current = false;
    };
  }, [call]);
  return officers;
}

/**
 * The owner chosen in the filter, with its name: from the picker, or read once when the filter came
 * with an owner already set (a saved view, the list state kept across an item's page).
 */
function usePinnedOwner(enterpriseId: string | undefined): [EnterpriseChoice | null, (choice: EnterpriseChoice | null) => void] {
  const call = useAppStore((s) => s.call);
  const [pinned, setPinned] = useState<EnterpriseChoice | null>(null);
  useEffect(() => {
    if (enterpriseId === undefined || pinned?.id === enterpriseId) return;
    let current = true;
    void call('enterprises.get', { id: enterpriseId }).then((result) => {
      if (current && result.ok) setPinned({ id: result.value.id, name: result.value.file.identity.name, uscc: result.value.file.identity.uscc });
    });
    return () => {
      current = false;
    };
  }, [call, enterpriseId, pinned]);
  return [pinned, setPinned];
}

/** The register's filters; they read and write the list state themselves, so scrolling never re-renders them. */
const CollateralFilters = memo(function CollateralFilters({
  store,
  fixed,
  revision,
}: {
  store: RegisterListStore<CollateralListFilter, CollateralSort>;
  fixed?: CollateralListFilter;
  /** Bumped when the register changed under the same filter (an import), so the totals are read again. */
  revision?: number;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const filter = store((s) => s.filter);
  const setFilter = store((s) => s.setFilter);
  const updateFilter = (patch: Partial<CollateralListFilter>) => setFilter(compactFilter({ ...store.getState().filter, ...patch }));
  const withStatus = fixed?.status === undefined;
  const officers = useOfficers();
  const [owner, setOwner] = usePinnedOwner(filter.enterpriseId);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <RegisterFilterBar>
        <Select
          allowClear
          placeholder={t('collateral.filters.type')}
          value={filter.type}
          onChange={(type?: CollateralListFilter['type']) => updateFilter({ type })}
          options={collateralTypes.map((value) => ({ value, label: t(`collateral.types.${value}`) }))}
          style={{ width: 180 }}
          popupMatchSelectWidth={220}
          aria-label={t('collateral.filters.type')}
          data-testid="collateral-filter-type"
        />
        {withStatus && (
          <Select
            allowClear
            placeholder={t('collateral.filters.status')}
            value={filter.status}
            onChange={(status?: CollateralListFilter['status']) => updateFilter({ status })}
            options={collateralStatuses.map((value) => ({ value, label: t(`collateral.statuses.${value}`) }))}
            style={{ width: 130 }}
            aria-label={t('collateral.filters.status')}
            data-testid="collateral-filter-status"
          />
        )}
        <Select
          allowClear
          placeholder={t('collateral.filters.expiring')}
          value={filter.expiringWithinDays}
          onChange={(expiringWithinDays?: number) => updateFilter({ expiringWithinDays })}
          options={horizons.map((days) => ({ value: days, label: t('collateral.filters.expiringWithin', { days }) }))}
          style={{ width: 140 }}
          aria-label={t('collateral.filters.expiring')}
          data-testid="collateral-filter-expiring"
        />
        <Select
          allowClear
          placeholder={t('collateral.filters.alertKind')}
          value={filter.alertKind}
          onChange={(alertKind?: CollateralListFilter['alertKind']) => updateFilter({ alertKind })}
          options={collateralAlertKinds.map((value) => ({ value, label: t(`collateral.filters.alertKinds.${value}`) }))}
          style={{ width: 160 }}
          popupMatchSelectWidth={220}
          aria-label={t('collateral.filters.alertKind')}
          data-testid="collateral-filter-alert"
        />
        <EnterprisePicker
          allowClear
          width={200}
          value={filter.enterpriseId}
          onChange={(enterpriseId) => updateFilter({ enterpriseId })}
          pinned={owner}
          onPick={setOwner}
          placeholder={t('collateral.filters.enterprise')}
          ariaLabel={t('collateral.filters.enterprise')}
          testId="collateral-filter-enterprise"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('collateral.filters.officer')}
          value={filter.makerId}
          onChange={(makerId?: string) => updateFilter({ makerId })}
          options={officers.map((officer) => ({ value: officer.id, label: officer.name }))}
          style={{ width: 120 }}
          aria-label={t('collateral.filters.officer')}
          data-testid="collateral-filter-officer"
        />
        {user !== null && (
          <Checkbox checked={filter.makerId === user.id} onChange={(event) => updateFilter({ makerId: event.target.checked ? user.id : undefined })} data-testid="collateral-filter-mine">
            {t('collateral.filters.mine')}
          </Checkbox>
        )}
        <ClearFilters shown={Object.keys(filter).length > 0} onClear={() => setFilter({})} />
      </RegisterFilterBar>
      <CollateralTotalsLine filter={{ ...filter, ...fixed }} testId="collateral-totals" revision={revision} />
    </div>
  );
});

/**
 * 抵质押登记簿: every item of the branch on the register list piece, filtered, sorted and counted in
 * SQL (collateral.list counts only so far past the page; 「精确统计」 counts all), with the filtered
 * set's totals. Items are entered from their owner's 抵质押物 tab, or imported here from an existing list.
 */
export function CollateralList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [importing, setImporting] = useState(false);
  const [revision, setRevision] = useState(0);
  const canWrite = user !== null && can(user.role, 'collateral.write');
  return (
    <RegisterList<CollateralSummary, CollateralListFilter, CollateralSort>
      name="collateral"
      title={t('collateral.title')}
      store={useCollateralListState}
      urlFilter={collateralListFilterSchema}
      load={(request) => loadCollateralPage(call, request)}
      countAll={(filter) => countCollateral(call, filter)}
      columns={collateralColumns}
      minWidth={COLLATERAL_COLUMNS_MIN_WIDTH}
      countText={(total) => t('collateral.list.count', { total })}
      filters={<CollateralFilters store={useCollateralListState} revision={revision} />}
      onOpen={(row) => void navigate(`/collateral/${row.id}`)}
      emptyText={t('collateral.list.empty')}
      noMatchText={t('collateral.list.noMatch')}
      toolbar={({ filter, sort, total, reload }) => (
        <>
          <ReviewQueueLink />
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="collateral-import">
              {t('collateral.import.button')}
            </Button>
          )}
          <ExportButton run={() => call('collateral.export', { filter, sort })} doneText={(count) => t('collateral.list.exported', { count })} disabled={total?.count === 0} testId="collateral-export" />
          {importing && (
            <CollateralImport
              onClose={(changed) => {
                setImporting(false);
                if (!changed) return;
                reload();
                setRevision((n) => n + 1);
              }}
            />
          )}
        </>
      )}
    />
  );
}

/** 审批队列 for a credit manager, with how many items wait. */
function ReviewQueueLink() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const call = useAppStore((s) => s.call);
  const [waiting, setWaiting] = useState<number | null>(null);
  const approver = user?.role === 'credit_manager';
  useEffect(() => {
    if (!approver) return;
    void call('collateral.totals', { filter: { status: 'submitted' } }).then((result) => {
      if (result.ok) setWaiting(result.value.count);
    });
  }, [call, approver]);
  if (!approver) return null;
  return (
    <Typography.Link onClick={() => void navigate('/collateral/review')} data-testid="collateral-review-link">
      {t('collateral.list.review')}
      {waiting !== null && ` · ${t('collateral.list.reviewCount', { count: waiting })}`}
    </Typography.Link>
  );
}

/** The review queue is the submitted items whatever else is chosen. */
const submitted: CollateralListFilter = { status: 'submitted' };

/**
 * The credit manager's review queue: the submitted items on the same register list, each opening
 * the item's page where it is approved or returned with a reason (never by its maker: the host
 * refuses, and the page offers no such button).
 */
export function CollateralReviewQueue() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  return (
    <RegisterList<CollateralSummary, CollateralListFilter, CollateralSort>
      name="collateral-review"
      title={t('collateral.reviewTitle')}
      store={useCollateralReviewState}
      load={(request) => loadCollateralPage(call, { ...request, filter: { ...request.filter, ...submitted } })}
      countAll={(filter) => countCollateral(call, { ...filter, ...submitted })}
      columns={collateralColumns}
      minWidth={COLLATERAL_COLUMNS_MIN_WIDTH}
      countText={(total) => t('collateral.list.count', { total })}
      filters={<CollateralFilters store={useCollateralReviewState} fixed={submitted} />}
      onOpen={(row) => void navigate(`/collateral/${row.id}`)}
      emptyText={t('collateral.list.reviewEmpty')}
      noMatchText={t('collateral.list.noMatch')}
      toolbar={() => (
        <Typography.Link onClick={() => void navigate('/collateral')} data-testid="collateral-register-link">
          {t('collateral.title')}
        </Typography.Link>
      )}
    />
  );
}
