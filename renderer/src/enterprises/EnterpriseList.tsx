import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Empty, Input, Select, Space, Tag, Typography } from 'antd';
import { CaretDownOutlined, CaretUpOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { EnterpriseListFilter, EnterpriseSort, EnterpriseSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { enterpriseScales } from '../../../shared/domain/enterprise.ts';
import { useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { useEnterpriseListState } from './listState.ts';
import { useEnterprisePages, type EnterprisePages } from './useEnterprisePages.ts';
import { FlagTags, RatingPlate, flagNames } from './EnterpriseTags.tsx';
import { EnterpriseToolbarExtras } from './ToolbarExtras.tsx';
import { EnterpriseForm } from './EnterpriseForm.tsx';
import { divisionLabel, divisionNames, focusGroupLabel, focusGroupOptions, industryLabel, industryOptions, ratingLabel, ratingLevels } from './labels.ts';
import './enterprises.css';

const ROW_HEIGHT = 52;
const DEBOUNCE_MS = 250;
/** Rows fetched beyond the visible ones, so the next page is usually there before it is needed. */
const PREFETCH_ROWS = 40;
const FETCH_INTERVAL_MS = 150;
/** Faster than this is a scrollbar drag, not reading. */
const DRAG_ROWS_PER_SECOND = 1500;

type SortField = EnterpriseSort['field'];
type FlagKey = 'outdatedCapacity' | 'negativeList' | 'greenList' | 'miitRecommended';
const flagKeys: readonly FlagKey[] = ['outdatedCapacity', 'negativeList', 'greenList', 'miitRecommended'];

/** Drops unset keys: the filter schema is strict, and an unset filter is no filter. */
function compact(filter: EnterpriseListFilter): EnterpriseListFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== '')) as EnterpriseListFilter;
}

/** Text typed into a box reaches the filter 250 ms after the last keystroke. */
function useDebouncedApply(text: string, apply: (text: string) => void) {
  const latest = useRef(apply);
  latest.current = apply;
  useEffect(() => {
    const timer = setTimeout(() => latest.current(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
}

function LoadingRow() {
  return (
    <>
      {Array.from({ length: 7 }, (_, i) => (
        <div key={i} role="cell">
          <span className="gl-loading-bar" />
        </div>
      ))}
    </>
  );
}

/** Memoised on the row object: cached rows keep their identity, so scrolling renders only new rows. */
const SummaryCells = memo(function SummaryCells({ row }: { row: EnterpriseSummary }) {
  const { t, i18n } = useTranslation();
  const focus = focusGroupLabel(row.focusGroup, i18n.language);
  const industry = industryLabel(row.industryCode);
  const division = divisionNames(row.divisionCode);
  const [updatedDate, updatedTime] = formatInstant(row.updatedAt).split(/,?\s+/);
  return (
    <>
      <div role="cell">
        <span className="gl-main gl-name" title={row.name}>
          {row.name}
        </span>
        <span className="gl-sub">{t(`enterprises.scales.${row.scale}`)}</span>
      </div>
      <div role="cell" className="gl-mono gl-uscc" title={row.uscc}>
        {row.uscc}
      </div>
      <div role="cell">
        <span className="gl-main" title={industry}>
          {industry}
        </span>
        {focus !== null && <span className="gl-sub">{t('enterprises.list.focusGroup', { group: focus })}</span>}
      </div>
      <div role="cell" title={divisionLabel(row.divisionCode)}>
        <span className="gl-main">
          <span className="gl-mono">{row.divisionCode}</span> {division.county}
        </span>
        <span className="gl-sub">{division.region}</span>
      </div>
      <div role="cell">
        <RatingPlate level={row.environmentalRating} />
      </div>
      <div role="cell" title={flagNames(row, t)}>
        <FlagTags flags={row} />
      </div>
      <div role="cell">
        <span className="gl-main">{updatedDate}</span>
        <span className="gl-sub">{updatedTime}</span>
      </div>
    </>
  );
});

type FlagFilter = Partial<Record<FlagKey, true>>;

/**
 * The search box and filters. Reads and writes the list state itself and takes no props, so the
 * rows' re-renders (every scroll frame, every page that arrives) never re-render these controls.
 */
const EnterpriseFilters = memo(function EnterpriseFilters() {
  const { t, i18n } = useTranslation();
  const { queryText, filter, setQueryText, setFilter } = useEnterpriseListState();
  const [divisionText, setDivisionText] = useState(filter.divisionCode ?? '');
  const [industrySearch, setIndustrySearch] = useState('');

  const updateFilter = (patch: Partial<EnterpriseListFilter>) => setFilter(compact({ ...useEnterpriseListState.getState().filter, ...patch }));

  useDebouncedApply(queryText, (text) => {
    const query = text.trim();
    if ((filter.query ?? '') !== query) updateFilter({ query: query === '' ? undefined : query });
  });
  const divisionValid = divisionText === '' || /^\d{2,6}$/.test(divisionText);
  useDebouncedApply(divisionText, (text) => {
    if ((text === '' || /^\d{2,6}$/.test(text)) && (filter.divisionCode ?? '') !== text) updateFilter({ divisionCode: text === '' ? undefined : text });
  });

  const activeFlags = flagKeys.filter((key) => filter[key] === true);
  const anyFilter = Object.keys(filter).length > 0 || queryText !== '' || divisionText !== '';
  const clearAll = () => {
    setQueryText('');
    setDivisionText('');
    setFilter({});
  };
  const industryChoices = useMemo(() => industryOptions(industrySearch, true), [industrySearch]);

  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('enterprises.list.searchPlaceholder')}
        value={queryText}
        onChange={(event) => setQueryText(event.target.value)}
        style={{ width: 380 }}
        aria-label={t('enterprises.list.search')}
        data-testid="enterprise-search"
      />
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
      {anyFilter && (
        <Button type="link" onClick={clearAll} style={{ paddingInline: 4 }}>
          {t('enterprises.filters.clear')}
        </Button>
      )}
    </div>
  );
});

/**
 * The virtualised rows: only those in view are in the DOM, and only their pages are fetched. This
 * component alone re-renders as the list scrolls.
 */
function EnterpriseRows({ pages, filter, sort }: { pages: EnterprisePages; filter: EnterpriseListFilter; sort: EnterpriseSort }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const scrollOffset = useEnterpriseListState((s) => s.scrollOffset);
  const setScrollOffset = useEnterpriseListState((s) => s.setScrollOffset);
  const searching = useEnterpriseListState((s) => Object.keys(s.filter).length > 0 || s.queryText !== '');
  const bodyRef = useRef<HTMLDivElement>(null);
  const lastOffset = useRef(scrollOffset);
  const virtualizer = useVirtualizer({
    count: pages.total ?? 0,
    getScrollElement: () => bodyRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: scrollOffset,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  const { ensure } = pages;
  const motion = useRef({ at: 0, first: 0, fetchedAt: 0 });
  useEffect(() => {
    if (last < 0) return;
    const now = performance.now();
    const previous = motion.current;
    const rowsPerSecond = (Math.abs(first - previous.first) / Math.max(1, now - previous.at)) * 1000;
    motion.current = { ...previous, at: now, first };
    const fetch = () => {
      motion.current.fetchedAt = performance.now();
      ensure(Math.max(0, first - PREFETCH_ROWS), last + PREFETCH_ROWS);
    };
    // At reading speed the rows ahead are fetched as they come near (at most every 150 ms); a
    // scrollbar dragged across thousands of rows fetches only where it comes to rest.
    const reading = rowsPerSecond < DRAG_ROWS_PER_SECOND;
    if (reading && now - previous.fetchedAt >= FETCH_INTERVAL_MS) return fetch();
    const timer = setTimeout(fetch, reading ? FETCH_INTERVAL_MS - (now - previous.fetchedAt) : 80);
    return () => clearTimeout(timer);
  }, [first, last, ensure]);

  // A new search or sort starts at the top; coming back from a detail page restores the position.
  const shown = useRef({ filter, sort });
  useEffect(() => {
    if (shown.current.filter === filter && shown.current.sort === sort) return;
    shown.current = { filter, sort };
    virtualizer.scrollToOffset(0);
  }, [filter, sort, virtualizer]);
  useEffect(() => () => setScrollOffset(lastOffset.current), [setScrollOffset]);

  const open = (row: EnterpriseSummary) => void navigate(`/enterprises/${row.id}`);
  const onRowKey = (event: KeyboardEvent, row: EnterpriseSummary) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(row);
    }
  };

  return (
    <div
      ref={bodyRef}
      className="gl-enterprise-body"
      style={{ flex: 1, minHeight: 0 }}
      onScroll={(event) => {
        lastOffset.current = event.currentTarget.scrollTop;
      }}
      data-testid="enterprise-list-body"
    >
      {pages.total === 0 && <Empty style={{ marginTop: 64 }} description={searching ? t('enterprises.list.noMatch') : t('enterprises.list.empty')} />}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = pages.row(item.index);
          return row === undefined ? (
            <div key={item.key} role="row" className="gl-enterprise-row" aria-busy="true" style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
              <LoadingRow />
            </div>
          ) : (
            <div
              key={item.key}
              role="row"
              tabIndex={0}
              aria-rowindex={item.index + 2}
              className="gl-enterprise-row"
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              onClick={() => open(row)}
              onKeyDown={(event) => onRowKey(event, row)}
              data-testid="enterprise-row"
            >
              <SummaryCells row={row} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

const columns: { key: string; sort?: SortField }[] = [
  { key: 'name', sort: 'name' },
  { key: 'uscc', sort: 'uscc' },
  { key: 'industry', sort: 'industryCode' },
  { key: 'division', sort: 'divisionCode' },
  { key: 'rating' },
  { key: 'flags' },
  { key: 'updatedAt', sort: 'updatedAt' },
];

/**
 * 企业档案: one search box, filters and sortable columns over the whole register, virtualised:
 * only the rows in view are in the DOM and only their pages are fetched, so 100k enterprises
 * scroll like 100.
 */
export function EnterpriseList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const filter = useEnterpriseListState((s) => s.filter);
  const sort = useEnterpriseListState((s) => s.sort);
  const setSort = useEnterpriseListState((s) => s.setSort);
  const [creating, setCreating] = useState(false);
  const pages = useEnterprisePages(filter, sort);
  const canWrite = user !== null && can(user.role, 'enterprise.write');

  const toggleSort = (field: SortField) =>
    setSort(sort.field === field ? { field, order: sort.order === 'asc' ? 'desc' : 'asc' } : { field, order: field === 'updatedAt' ? 'desc' : 'asc' });

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12, height: 'calc(100vh - 112px)', minHeight: 420 }} data-testid="enterprise-list-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, flexWrap: 'wrap' }}>
        <Space align="baseline" size="middle">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('enterprises.title')}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="enterprise-count">
            {pages.total === null ? t('enterprises.list.counting') : t('enterprises.list.count', { count: pages.total, total: pages.total.toLocaleString(i18n.language) })}
          </Typography.Text>
        </Space>
        <Space>
          <EnterpriseToolbarExtras filter={filter} sort={sort} total={pages.total} onChanged={pages.reload} />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-create">
              {t('enterprises.create')}
            </Button>
          )}
        </Space>
      </div>

      <EnterpriseFilters />

      {pages.error !== null && <Alert type="error" showIcon title={describeError(pages.error)} />}

      <div className="gl-enterprise-grid" role="table" aria-rowcount={(pages.total ?? 0) + 1} style={{ flex: 1, minHeight: 0 }} data-testid="enterprise-list">
        <div className="gl-enterprise-grid-inner">
          <div className="gl-enterprise-head" role="row">
            {columns.map((column) => {
              const active = column.sort !== undefined && sort.field === column.sort;
              return (
                <div key={column.key} role="columnheader" aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {column.sort === undefined ? (
                    t(`enterprises.columns.${column.key}`)
                  ) : (
                    <button type="button" className="gl-sort" onClick={() => toggleSort(column.sort!)} data-testid={`sort-${column.sort}`}>
                      <span>{t(`enterprises.columns.${column.key}`)}</span>
                      <span style={{ display: 'inline-flex', flexDirection: 'column', lineHeight: 0.7 }}>
                        <CaretUpOutlined className={`gl-sort-icon${active && sort.order === 'asc' ? ' active' : ''}`} />
                        <CaretDownOutlined className={`gl-sort-icon${active && sort.order === 'desc' ? ' active' : ''}`} />
                      </span>
                    </button>
                  )}
                </div>
              );
            })}
          </div>
          <EnterpriseRows pages={pages} filter={filter} sort={sort} />
        </div>
      </div>

      <EnterpriseForm
        open={creating}
        enterprise={null}
        onClose={() => setCreating(false)}
        onSaved={(detail) => {
          setCreating(false);
          void navigate(`/enterprises/${detail.id}`);
        }}
      />
    </div>
  );
}
