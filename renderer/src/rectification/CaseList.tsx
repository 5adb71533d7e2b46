import { caseListFilterSchema } from '../../../shared/api/rectification.ts';
import { memo } from 'react';
import { Button, Checkbox, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CaseCounts, CaseListFilter, CaseSort, CaseSummary } from '../../../shared/api/index.ts';
import { caseCategories, caseMeasures, caseStatuses } from '../../../shared/domain/rectification.ts';
import { useAppStore } from '../stores/app.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import { compactFilter } from '../register/filters.ts';
import { ALL_STATUSES, CountyFilter, RegisterStatusCounts } from '../register/StatusCounts.tsx';
import { useCaseListState } from './listState.ts';
import { CASE_COLUMNS_MIN_WIDTH, caseColumns } from './columns.tsx';
import { countCaseList, loadCasePage } from './pages.ts';

/** The counts per status over the list, each the choice that filters the list to it. */
function StatusCounts() {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  return (
    <RegisterStatusCounts<CaseListFilter, CaseSort, CaseCounts>
      store={useCaseListState}
      count={(filter) => call('cases.counts', { filter })}
      choices={(counts) => [
        { value: ALL_STATUSES, label: t('rectification.list.all'), count: counts?.total },
        ...caseStatuses.map((status) => ({ value: status, label: t(`rectification.statuses.${status}`), count: counts?.[status] })),
      ]}
      testId="case-status-counts"
      choiceTestId="case-count"
    />
  );
}

/** The filters of the case list; they read and write the list state themselves. */
const CaseFilters = memo(function CaseFilters() {
  const { t } = useTranslation();
  const { filter, setFilter } = useCaseListState();
  const updateFilter = (patch: Partial<CaseListFilter>) => setFilter(compactFilter({ ...useCaseListState.getState().filter, ...patch }));
  const anyFilter = Object.keys(filter).length > 0;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <StatusCounts />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <Select
          allowClear
          placeholder={t('rectification.filters.category')}
          value={filter.category}
          onChange={(category?: CaseListFilter['category']) => updateFilter({ category })}
          options={caseCategories.map((value) => ({ value, label: t(`rectification.categories.${value}`) }))}
          style={{ width: 140 }}
          aria-label={t('rectification.filters.category')}
          data-testid="case-filter-category"
        />
        <Select
          allowClear
          placeholder={t('rectification.filters.measure')}
          value={filter.measure}
          onChange={(measure?: CaseListFilter['measure']) => updateFilter({ measure })}
          options={caseMeasures.map((value) => ({ value, label: t(`rectification.measures.${value}`) }))}
          style={{ width: 140 }}
          aria-label={t('rectification.filters.measure')}
          data-testid="case-filter-measure"
        />
        <CountyFilter code={filter.divisionCode} onChange={(divisionCode) => updateFilter({ divisionCode })} label={t('rectification.filters.county')} testId="case-filter-county" />
        <Checkbox checked={filter.overdue === true} onChange={(event) => updateFilter({ overdue: event.target.checked ? true : undefined })} data-testid="case-filter-overdue">
          {t('rectification.filters.overdue')}
        </Checkbox>
        {anyFilter && (
          <Button
            type="link"
            onClick={() => setFilter({})}
            style={{ paddingInline: 4 }}
          >
            {t('rectification.filters.clear')}
          </Button>
        )}
      </div>
    </div>
  );
});

/** 整改跟踪: the branch's rectification cases on the register list, with counts per status that match it. */
export function CaseList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  return (
    <RegisterList<CaseSummary, CaseListFilter, CaseSort>
      name="case"
      title={t('rectification.title')}
      store={useCaseListState}
      urlFilter={caseListFilterSchema}
      load={(request) => loadCasePage(call, request)}
      countAll={(filter) => countCaseList(call, filter)}
      columns={caseColumns}
      minWidth={CASE_COLUMNS_MIN_WIDTH}
      countText={(total) => t('rectification.list.count', { total })}
      filters={<CaseFilters />}
      toolbar={() => (
        <Button onClick={() => void navigate('/monitoring')} data-testid="case-to-schedule">
          {t('rectification.schedule.title')}
        </Button>
      )}
      onOpen={(row) => void navigate(`/rectification/${row.id}`)}
      emptyText={t('rectification.list.empty')}
      noMatchText={t('rectification.list.noMatch')}
    />
  );
}
