import type { ReactNode } from 'react';
import { Checkbox, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseListFilter } from '../../../shared/api/index.ts';
import { caseCategories, caseMeasures } from '../../../shared/domain/rectification.ts';
import { compactFilter } from '../register/filters.ts';
import { ClearFilters, RegisterFilterBar } from '../register/RegisterFilters.tsx';
import { CountyFilter } from '../register/StatusCounts.tsx';

/**
 * The case filters (类别, 措施, 区县, 只看逾期, 清除) over a case filter, shared by the case list and the
 * 整改日历 so both filter alike; `children` are a page's own further filters, placed after 措施.
 */
export function CaseFilterFields({ filter, onChange, children }: { filter: CaseListFilter; onChange: (filter: CaseListFilter) => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const update = (patch: Partial<CaseListFilter>) => onChange(compactFilter({ ...filter, ...patch }));
  return (
    <RegisterFilterBar>
      <Select
        allowClear
        placeholder={t('rectification.filters.category')}
        value={filter.category}
        onChange={(category?: CaseListFilter['category']) => update({ category })}
        options={caseCategories.map((value) => ({ value, label: t(`rectification.categories.${value}`) }))}
        style={{ width: 140 }}
        aria-label={t('rectification.filters.category')}
        data-testid="case-filter-category"
      />
      <Select
        allowClear
        placeholder={t('rectification.filters.measure')}
        value={filter.measure}
        onChange={(measure?: CaseListFilter['measure']) => update({ measure })}
        options={caseMeasures.map((value) => ({ value, label: t(`rectification.measures.${value}`) }))}
        style={{ width: 140 }}
        aria-label={t('rectification.filters.measure')}
        data-testid="case-filter-measure"
      />
      {children}
      <CountyFilter code={filter.divisionCode} onChange={(divisionCode) => update({ divisionCode })} label={t('rectification.filters.county')} testId="case-filter-county" />
      <Checkbox checked={filter.overdue === true} onChange={(event) => update({ overdue: event.target.checked ? true : undefined })} data-testid="case-filter-overdue">
        {t('rectification.filters.overdue')}
      </Checkbox>
      <ClearFilters shown={Object.keys(filter).length > 0} onClear={() => onChange({})} />
    </RegisterFilterBar>
  );
}
