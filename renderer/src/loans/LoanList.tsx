import { memo, useState } from 'react';
import { Button, DatePicker, Select } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { LoanListFilter, LoanSort, LoanSummary } from '../../../shared/api/index.ts';
import { guaranteeModes } from '../../../shared/domain/guarantee.ts';
import { loanClassifications, loanStatuses, type LoanClassification } from '../../../shared/domain/loan.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import { ExportButton } from '../register/ExportButton.tsx';
import { ClearFilters, RegisterFilterBar, RegisterSearch, useRegisterFilters } from '../register/RegisterFilters.tsx';
import { useLoanListState } from './listState.ts';
import { LOAN_COLUMNS_MIN_WIDTH, loanColumns } from './columns.tsx';
import { loadLoanPage, countLoans } from './pages.ts';
import { LoanForm } from './LoanForm.tsx';
import { LoanImport } from './LoanImport.tsx';

const DAY = 'YYYY-MM-DD';
/** 不良贷款, one choice in the classification filter. */
const nonPerforming: readonly LoanClassification[] = ['substandard', 'doubtful', 'loss'];
const NON_PERFORMING = 'nonPerforming';

/**
 * The search box and filters of the loan register. Reads and writes the list state itself and takes
 * no props, so the rows' re-renders never re-render these controls.
 */
const LoanFilters = memo(function LoanFilters() {
  const { t } = useTranslation();
  const controls = useRegisterFilters(useLoanListState);
  const { filter, updateFilter } = controls;

  const chosenClasses = filter.classifications ?? [];
  // 不良 shows as one choice while exactly those three classes are chosen.
  const classValue = chosenClasses.length === nonPerforming.length && nonPerforming.every((c) => chosenClasses.includes(c)) ? [NON_PERFORMING] : chosenClasses;
  const setClasses = (values: string[]) => {
    const picked = values.includes(NON_PERFORMING) && !classValue.includes(NON_PERFORMING) ? [...nonPerforming] : (values.filter((v) => v !== NON_PERFORMING) as LoanClassification[]);
    updateFilter({ classifications: picked.length === 0 ? undefined : picked });
  };
  const today = dayjs();
  const presets = [
    { label: t('loans.filters.presets.overdue'), value: [dayjs('1900-01-01'), today.subtract(1, 'day')] as [Dayjs, Dayjs] },
    { label: t('loans.filters.presets.within30'), value: [today, today.add(30, 'day')] as [Dayjs, Dayjs] },
    { label: t('loans.filters.presets.within90'), value: [today, today.add(90, 'day')] as [Dayjs, Dayjs] },
    { label: t('loans.filters.presets.thisYear'), value: [today, today.endOf('year')] as [Dayjs, Dayjs] },
  ];

  return (
    <RegisterFilterBar>
      <RegisterSearch controls={controls} label={t('loans.list.search')} placeholder={t('loans.list.searchPlaceholder')} width={340} testId="loan-search" />
      <Select
        allowClear
        placeholder={t('loans.filters.status')}
        value={filter.status}
        onChange={(status?: LoanListFilter['status']) => updateFilter({ status })}
        options={loanStatuses.map((status) => ({ value: status, label: t(`loans.statuses.${status}`) }))}
        style={{ width: 110 }}
        aria-label={t('loans.filters.status')}
        data-testid="loan-filter-status"
      />
      <Select
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        placeholder={t('loans.filters.classification')}
        value={classValue}
        onChange={setClasses}
        options={[
          { value: NON_PERFORMING, label: t('loans.filters.nonPerforming') },
          ...loanClassifications.map((value) => ({ value, label: t(`loans.classifications.${value}`) })),
        ]}
        style={{ width: 200 }}
        popupMatchSelectWidth={240}
        aria-label={t('loans.filters.classification')}
        data-testid="loan-filter-classification"
      />
      <Select
        allowClear
        placeholder={t('loans.filters.guaranteeMode')}
        value={filter.guaranteeMode}
        onChange={(guaranteeMode?: LoanListFilter['guaranteeMode']) => updateFilter({ guaranteeMode })}
        options={guaranteeModes.map((mode) => ({ value: mode, label: t(`loans.guaranteeModes.${mode}`) }))}
        style={{ width: 130 }}
        popupMatchSelectWidth={180}
        aria-label={t('loans.filters.guaranteeMode')}
        data-testid="loan-filter-guarantee"
      />
      <DatePicker.RangePicker
        allowEmpty={[true, true]}
        placeholder={[t('loans.filters.maturityFrom'), t('loans.filters.maturityTo')]}
        value={[filter.maturesFrom === undefined ? null : dayjs(filter.maturesFrom), filter.maturesTo === undefined ? null : dayjs(filter.maturesTo)]}
        onChange={(range) => updateFilter({ maturesFrom: range?.[0]?.format(DAY), maturesTo: range?.[1]?.format(DAY) })}
        presets={presets}
        format={DAY}
        style={{ width: 250 }}
        aria-label={t('loans.filters.maturity')}
        data-testid="loan-filter-maturity"
      />
      <ClearFilters shown={controls.anyFilter} onClear={controls.clear} />
    </RegisterFilterBar>
  );
});

/**
 * 借据台账: the loans of the branch, filtered and sorted in SQL and virtualised, on the register list
 * piece. The total is counted only so far past the page (loans.list); 「精确统计」 counts all.
 */
export function LoanList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const call = useAppStore((s) => s.call);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const canWrite = user !== null && can(user.role, 'loan.write');

  return (
    <RegisterList<LoanSummary, LoanListFilter, LoanSort>
      name="loan"
      title={t('loans.title')}
      store={useLoanListState}
      load={(request) => loadLoanPage(call, request)}
      countAll={(filter) => countLoans(call, filter)}
      columns={loanColumns}
      minWidth={LOAN_COLUMNS_MIN_WIDTH}
      countText={(total, count) => t('loans.list.count', { count, total })}
      filters={<LoanFilters />}
      onOpen={(row) => void navigate(`/loans/${row.id}`)}
      emptyText={t('loans.list.empty')}
      noMatchText={t('loans.list.noMatch')}
      toolbar={({ filter, sort, total, reload }) => (
        <>
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="loan-import">
              {t('loans.import.button')}
            </Button>
          )}
          <ExportButton run={() => call('loans.export', { filter, sort })} doneText={(count) => t('loans.export.done', { count })} disabled={total?.count === 0} testId="loan-export" />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="loan-create">
              {t('loans.create')}
            </Button>
          )}
          {importing && (
            <LoanImport
              onClose={(changed) => {
                setImporting(false);
                if (changed) reload();
              }}
            />
          )}
        </>
      )}
    >
      <LoanForm
        open={creating}
        loan={null}
        onClose={() => setCreating(false)}
        onSaved={(detail) => {
          setCreating(false);
          void navigate(`/loans/${detail.id}`);
        }}
      />
    </RegisterList>
  );
}
