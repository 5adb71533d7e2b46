import { memo, useMemo, useState } from 'react';
import { Button, Input, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { EnterpriseListFilter, EnterpriseSort, EnterpriseSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { enterpriseScales } from '../../../shared/domain/enterprise.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterList } from '../register/RegisterList.tsx';
import type { RegisterColumn } from '../register/RegisterTable.tsx';
import type { LoadPage } from '../register/pages.ts';
import { useDebouncedApply } from '../register/filters.ts';
import { ClearFilters, RegisterFilterBar, RegisterSearch, useRegisterFilters } from '../register/RegisterFilters.tsx';
import { instantColumn } from '../register/cells.tsx';
import { useEnterpriseListState } from './listState.ts';
import { FlagTags, RatingPlate, flagNames } from './EnterpriseTags.tsx';
import { EnterpriseToolbarExtras } from './ToolbarExtras.tsx';
import { EnterpriseForm } from './EnterpriseForm.tsx';
import { divisionLabel, divisionNames, focusGroupLabel, focusGroupOptions, industryLabel, industryOptions, ratingLabel, ratingLevels } from './labels.ts';
import './enterprises.css';

type SortField = EnterpriseSort['field'];
type FlagKey = 'outdatedCapacity' | 'negativeList' | 'greenList' | 'miitRecommended';
const flagKeys: readonly FlagKey[] = ['outdatedCapacity', 'negativeList', 'greenList', 'miitRecommended'];

/** The register's columns: 企业名称, 信用代码, 行业, 行政区划, 环境信用, 标记, 更新时间. */
const columns: readonly RegisterColumn<EnterpriseSummary, SortField>[] = [
  {
    key: 'name',
    title: 'enterprises.columns.name',
    width: 'minmax(180px, 2.2fr)',
    sort: 'name',
    cell: (row, { t }) => (
      <>
        <span className="gl-main gl-name" title={row.name}>
          {row.name}
        </span>
        <span className="gl-sub">{t(`enterprises.scales.${row.scale}`)}</span>
      </>
    ),
  },
  {
    key: 'uscc',
    title: 'enterprises.columns.uscc',
    width: '178px',
    sort: 'uscc',
    cell: (row) => (
      <span className="gl-mono gl-uscc" title={row.uscc}>
        {row.uscc}
      </span>
    ),
  },
  {
    key: 'industry',
    title: 'enterprises.columns.industry',
    width: 'minmax(150px, 1.6fr)',
    sort: 'industryCode',
    cell: (row, { t, language }) => {
      const focus = focusGroupLabel(row.focusGroup, language);
      const industry = industryLabel(row.industryCode);
      return (
        <>
          <span className="gl-main" title={industry}>
            {industry}
          </span>
          {focus !== null && <span className="gl-sub">{t('enterprises.list.focusGroup', { group: focus })}</span>}
        </>
      );
    },
  },
  {
    key: 'division',
    title: 'enterprises.columns.division',
    width: '96px',
    sort: 'divisionCode',
    cell: (row) => {
      const division = divisionNames(row.divisionCode);
      return (
        <span title={divisionLabel(row.divisionCode)}>
          <span className="gl-main">
            <span className="gl-mono">{row.divisionCode}</span> {division.county}
          </span>
          <span className="gl-sub">{division.region}</span>
        </span>
      );
    },
  },
  { key: 'rating', title: 'enterprises.columns.rating', width: '150px', cell: (row) => <RatingPlate level={row.environmentalRating} /> },
  {
    key: 'flags',
    title: 'enterprises.columns.flags',
    width: 'minmax(150px, 1.6fr)',
    cell: (row, { t }) => (
      <span title={flagNames(row, t)}>
        <FlagTags flags={row} />
      </span>
    ),
  },
  instantColumn('updatedAt', 'enterprises.columns.updatedAt', 'updatedAt'),
];

type FlagFilter = Partial<Record<FlagKey, true>>;

/**
 * The search box and filters. Reads and writes the list state itself and takes no props, so the
 * rows' re-renders (every scroll frame, every page that arrives) never re-render these controls.
 */
const EnterpriseFilters = memo(function EnterpriseFilters() {
  const { t, i18n } = useTranslation();
  const controls = useRegisterFilters(useEnterpriseListState);
  const { filter, updateFilter } = controls;
  const [divisionText, setDivisionText] = useState(filter.divisionCode ?? '');
  const [industrySearch, setIndustrySearch] = useState('');

  const divisionValid = divisionText === '' || /^\d{2,6}$/.test(divisionText);
  useDebouncedApply(divisionText, (text) => {
    if ((text === '' || /^\d{2,6}$/.test(text)) && (filter.divisionCode ?? '') !== text) updateFilter({ divisionCode: text === '' ? undefined : text });
  });

  const activeFlags = flagKeys.filter((key) => filter[key] === true);
  const clearAll = () => {
    setDivisionText('');
    controls.clear();
  };
  const industryChoices = useMemo(() => industryOptions(industrySearch, true), [industrySearch]);

  return (
    <RegisterFilterBar>
      <RegisterSearch controls={controls} label={t('enterprises.list.search')} placeholder={t('enterprises.list.searchPlaceholder')} width={380} testId="enterprise-search" />
      <Select
        allowClear
        placeholder={t('enterprises.filters.focusGroup')}
        value={filter.focusGroup}
        onChange={(focusGroup?: string) => updateFilter({ focusGroup })}
        options={focusGroupOptions(i18n.language)}
        style={{ width: 120 }}
        aria-label={t('enterprises.filters.focusGroup')}
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'search', onSearch: setIndustrySearch, filterOption: true }}
        placeholder={t('enterprises.filters.industry')}
        value={filter.industryCode}
        onChange={(industryCode?: string) => updateFilter({ industryCode })}
        options={industryChoices}
        popupMatchSelectWidth={360}
        style={{ width: 190 }}
        aria-label={t('enterprises.filters.industry')}
        data-testid="filter-industry"
      />
      <Input
        allowClear
        placeholder={t('enterprises.filters.divisionPlaceholder')}
        value={divisionText}
        status={divisionValid ? undefined : 'error'}
        onChange={(event) => setDivisionText(event.target.value.replace(/\s+/g, ''))}
        style={{ width: 170 }}
        maxLength={6}
        aria-label={t('enterprises.filters.division')}
        title={t('enterprises.filters.divisionHelp')}
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.rating')}
        value={filter.rating}
        onChange={(rating?: EnterpriseListFilter['rating']) => updateFilter({ rating })}
        options={[
          ...ratingLevels.map((level) => ({ value: level, label: <RatingPlate level={level} />, title: ratingLabel(level, t, i18n.language) })),
          { value: 'none' as const, label: t('enterprises.rating.none') },
        ]}
        style={{ width: 150 }}
        popupMatchSelectWidth={220}
        aria-label={t('enterprises.filters.rating')}
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.greenFactory')}
        value={filter.greenFactory}
        onChange={(greenFactory?: EnterpriseListFilter['greenFactory']) => updateFilter({ greenFactory })}
        options={[
          { value: 'national' as const, label: t('enterprises.flags.greenFactory.national') },
          { value: 'provincial' as const, label: t('enterprises.flags.greenFactory.provincial') },
          { value: 'any' as const, label: t('enterprises.filters.greenFactoryAny') },
        ]}
        style={{ width: 140 }}
        popupMatchSelectWidth={200}
        aria-label={t('enterprises.filters.greenFactory')}
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.scale')}
        value={filter.scale}
        onChange={(scale?: EnterpriseListFilter['scale']) => updateFilter({ scale })}
        options={enterpriseScales.map((scale) => ({ value: scale, label: t(`enterprises.scales.${scale}`) }))}
        style={{ width: 100 }}
        aria-label={t('enterprises.filters.scale')}
      />
      <Typography.Text type="secondary" style={{ marginInlineStart: 4 }}>
        {t('enterprises.filters.flagsLabel')}
      </Typography.Text>
      <Tag.CheckableTagGroup<FlagKey>
        multiple
        value={activeFlags}
        onChange={(values) => updateFilter(Object.fromEntries(flagKeys.map((key) => [key, values.includes(key) ? true : undefined])) as FlagFilter)}
        options={flagKeys.map((key) => ({ value: key, label: t(`enterprises.flags.${key}`) }))}
        aria-label={t('enterprises.filters.flags')}
        data-testid="filter-flags"
      />
      <ClearFilters shown={controls.anyFilter || divisionText !== ''} onClear={clearAll} />
    </RegisterFilterBar>
  );
});

/**
 * 企业档案: one search box, filters and sortable columns over the whole register, virtualised:
 * only the rows in view are in the DOM and only their pages are fetched, so 100k enterprises
 * scroll like 100.
 */
export function EnterpriseList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const call = useAppStore((s) => s.call);
  const [creating, setCreating] = useState(false);
  const canWrite = user !== null && can(user.role, 'enterprise.write');
  const load: LoadPage<EnterpriseSummary, EnterpriseListFilter, EnterpriseSort> = (request) => call('enterprises.list', request);

  return (
    <RegisterList
      name="enterprise"
      title={t('enterprises.title')}
      store={useEnterpriseListState}
      load={load}
      columns={columns}
      minWidth={1016}
      countText={(total, count) => t('enterprises.list.count', { count, total })}
      countAll={async (filter) => {
        // 「精确统计」: the host stops counting past the page (issue 20); every match counted, for one row.
        const result = await call('enterprises.list', { filter, offset: 0, limit: 1, exactTotal: true });
        return result.ok ? { ok: true, value: result.value.total } : result;
      }}
      filters={<EnterpriseFilters />}
      onOpen={(row) => void navigate(`/enterprises/${row.id}`)}
      emptyText={t('enterprises.list.empty')}
      noMatchText={t('enterprises.list.noMatch')}
      toolbar={({ filter, sort, total, reload }) => (
        <>
          <EnterpriseToolbarExtras filter={filter} sort={sort} total={total?.count ?? null} onChanged={reload} />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-create">
              {t('enterprises.create')}
            </Button>
          )}
        </>
      )}
    >
      <EnterpriseForm
        open={creating}
        enterprise={null}
        onClose={() => setCreating(false)}
        onSaved={(detail) => {
          setCreating(false);
          void navigate(`/enterprises/${detail.id}`);
        }}
      />
    </RegisterList>
  );
}
