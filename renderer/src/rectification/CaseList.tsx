import { caseListFilterSchema } from '../../../shared/api/rectification.ts';
import { memo } from 'react';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CaseCounts, CaseListFilter, CaseSort, CaseSummary } from '../../../shared/api/index.ts';
import { caseStatuses } from '../../../shared/domain/rectification.ts';
import { useAppStore } from '../stores/app.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import { ALL_STATUSES, RegisterStatusCounts } from '../register/StatusCounts.tsx';
import { CaseFilterFields } from './CaseFilterFields.tsx';
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
  const { filter, setFilter } = useCaseListState();
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <StatusCounts />
      <CaseFilterFields filter={filter} onChange={setFilter} />
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
        <>
          <Button onClick={() => void navigate('/rectification/calendar')} data-testid="case-to-calendar">
            {t('rectification.calendar.title')}
          </Button>
          <Button onClick={() => void navigate('/monitoring')} data-testid="case-to-schedule">
            {t('rectification.schedule.title')}
          </Button>
        </>
      )}
      onOpen={(row) => void navigate(`/rectification/${row.id}`)}
      emptyText={t('rectification.list.empty')}
      noMatchText={t('rectification.list.noMatch')}
    />
  );
}
