import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Alert, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import {
  alertFilterValues,
  REGISTER_EXPORT_LIMIT,
  REGISTER_PAGE_SIZE,
  registerExportPath,
  type ConsoleEnterpriseRow,
  type ConsoleOutput,
  type ConsoleRegisterPage,
  type ConsoleRegisterRow,
} from '../../../shared/api/console.ts';
import { environmentalRatingInfo, environmentalRatingLevels, type EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { ExportButton } from '../register/ExportButton.tsx';
import { ClearFilters, RegisterFilterBar, RegisterSearch } from '../register/RegisterFilters.tsx';
import { totalFigure } from '../register/RegisterList.tsx';
import { RegisterTable, type RegisterColumn } from '../register/RegisterTable.tsx';
import { formatInstant } from '../format.ts';
import { useDebouncedApply } from '../register/filters.ts';
import { useRegisterPages, type KnownTotal, type LoadPage } from '../register/pages.ts';
import { consoleCall, type ConsoleError } from './api.ts';
import { describeConsoleError } from './errors.ts';
import { useConsoleQuery } from './useConsoleQuery.ts';

/**
 * 各支行登记簿 in the console app: one page for every cross-branch register (`/registers/:table`,
 * the hub's registers.page) and one for the enterprise files (`/enterprises`), both on the laptop's
 * register pieces (renderer/src/register: the virtualised table fetching pages of 100 as it
 * scrolls, the search box, 清除筛选, the export button, the 「1,000+」 count). The register's spec
 * comes with its pages from the hub: its columns, its own state filter, and on collateral the alert
 * filter. The filters live in the address (`?q=&branch=&county=&state=&alert=`, the old HTML pages'
 * query string), so a filtered register can be linked to and reloaded; a row opens its record's
 * page (/console/records/…), a page of its own outside the app's router.
 */
interface Filter {
  q: string;
  branch: string;
  county: string;
  state: string;
  alert: string;
}
const FILTER_KEYS = ['q', 'branch', 'county', 'state', 'alert'] as const;
/** The hub orders every register by its newest change; there is no other order to choose. */
const SORT = { field: 'updated', order: 'desc' } as const;
type Sort = typeof SORT;

/** The filter in the address, and how to change it (an empty value drops its parameter). */
function useAddressFilter(): { filter: Filter; update: (patch: Partial<Filter>) => void; clear: () => void } {
  const [params, setParams] = useSearchParams();
  const key = FILTER_KEYS.map((name) => params.get(name) ?? '').join('\u0001');
  // Keyed on the values, so the pages hook starts a new list only when a filter really changed.
  const filter = useMemo(() => Object.fromEntries(FILTER_KEYS.map((name, i) => [name, key.split('\u0001')[i] ?? ''])) as unknown as Filter, [key]);
  const update = useCallback(
    (patch: Partial<Filter>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(patch)) {
            if (value === undefined || value === '') next.delete(name);
            else next.set(name, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);
  return { filter, update, clear };
}

const query = (filter: Filter) => new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== '')).toString();

/** The search box, branch and county selects every register has; `more` are the register's own. */
function Filters({ filter, update, clear, more, testId }: { filter: Filter; update: (patch: Partial<Filter>) => void; clear: () => void; more?: ReactNode; testId: string }) {
  const { t } = useTranslation();
  const [queryText, setQueryText] = useState(filter.q);
  useDebouncedApply(queryText, (text) => {
    if (text.trim() !== filter.q) update({ q: text.trim() });
  });
  const options = useConsoleQuery('registers.filters', {});
  const countyLabel = (county: { code: string; place: string | null }) => (county.place === null ? t('registers.countyUnknown', { code: county.code }) : t('registers.county', { name: county.place, code: county.code }));
  return (
    <RegisterFilterBar>
      <RegisterSearch controls={{ queryText, setQueryText }} label={t('registers.search')} placeholder={t('registers.searchHint')} width={260} testId={`${testId}-search`} />
      <Select
        showSearch
        optionFilterProp="label"
        style={{ width: 180 }}
        popupMatchSelectWidth={false}
        value={filter.branch}
        onChange={(branch) => update({ branch })}
        options={[{ value: '', label: t('registers.allBranches') }, ...(options.value?.branches ?? []).map((branch) => ({ value: branch.id, label: branch.name }))]}
        aria-label={t('registers.allBranches')}
        data-testid={`${testId}-branch`}
      />
      <Select
        showSearch
        optionFilterProp="label"
        style={{ width: 260 }}
        // The place names are long (省 市 县): the list may be wider than the box.
        popupMatchSelectWidth={false}
        value={filter.county}
        onChange={(county) => update({ county })}
        options={[{ value: '', label: t('registers.allCounties') }, ...(options.value?.counties ?? []).map((county) => ({ value: county.code, label: countyLabel(county) }))]}
        aria-label={t('registers.allCounties')}
        data-testid={`${testId}-county`}
      />
      {more}
      <ClearFilters
        shown={query(filter) !== '' || queryText !== ''}
        onClear={() => {
          setQueryText('');
          clear();
        }}
      />
    </RegisterFilterBar>
  );
}

/** The count line: 「各支行共 3,250 条」, or 「1,000+」 where the hub stopped counting. */
function Count({ total, text, testId }: { total: KnownTotal | null; text: (figure: string) => string; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Typography.Text type="secondary" data-testid={testId}>
      {total === null ? t('register.counting') : text(totalFigure(total, t, i18n.language))}
    </Typography.Text>
  );
}

const consoleLoad = <Row, Value extends { rows: Row[]; total: number; totalCapped?: boolean }>(call: (page: number) => Promise<{ ok: true; value: Value } | { ok: false; error: ConsoleError }>, seen?: (value: Value) => void): LoadPage<Row, Filter, Sort, ConsoleError> => {
  return async ({ offset }) => {
    const result = await call(Math.floor(offset / REGISTER_PAGE_SIZE) + 1);
    if (!result.ok) return result;
    seen?.(result.value);
    return { ok: true, value: { rows: result.value.rows, total: result.value.total, totalCapped: result.value.totalCapped } };
  };
};

const open = (row: { href: string }) => window.location.assign(row.href);
const openLink = (row: { href: string }, t: TFunction) => (
  <a href={row.href} onClick={(event) => event.stopPropagation()}>
    {t('registers.open')}
  </a>
);

/** The page's frame: title and count over the filters and the table, filling the window like the laptop's lists. */
function Frame({ title, count, toolbar, filters, error, children, testId }: { title: ReactNode; count: ReactNode; toolbar?: ReactNode; filters: ReactNode; error: ConsoleError | null; children: ReactNode; testId: string }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12, height: 'calc(100vh - 112px)', minHeight: 420 }} data-testid={testId}>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, flexWrap: 'wrap' }}>
        <Space align="baseline" size="middle">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {count}
        </Space>
        {toolbar}
      </div>
      {filters}
      {error !== null && <Alert type="error" showIcon message={describeConsoleError(error)} />}
      {children}
    </div>
  );
}

export function RegisterPage() {
  const { table = '' } = useParams();
  // A new register is a new list (its columns, its filters' meaning), not the old one refiltered.
  return <Register key={table} table={table} />;
}

type Spec = Omit<ConsoleRegisterPage, 'rows' | 'total' | 'totalCapped'>;

/** A column's least width in px: names and numbers that must show whole get more; the grid scrolls sideways past the window. */
const wide: Record<string, number> = { enterprise: 170, projectName: 170, certificate: 160, registration: 160, loanNumber: 150, caseNumber: 150 };
const leastWidth = (column: { key: string; tags: boolean }) => (column.tags ? 220 : (wide[column.key] ?? 116));

function Register({ table }: { table: string }) {
  const { t, i18n } = useTranslation();
  const { filter, update, clear } = useAddressFilter();
  const [spec, setSpec] = useState<Spec | null>(null);
  const load = useMemo(
    () =>
      consoleLoad<ConsoleRegisterRow, ConsoleOutput<'registers.page'>>(
        (page) => consoleCall('registers.page', { ...filter, page }, { table }),
        ({ rows: _rows, total: _total, totalCapped: _capped, ...found }) => setSpec((previous) => (previous !== null && JSON.stringify(previous) === JSON.stringify(found) ? previous : found)),
      ),
    [filter, table],
  );
  const pages = useRegisterPages(load, filter, SORT);

  const columns = useMemo((): RegisterColumn<ConsoleRegisterRow, Sort['field']>[] => {
    if (spec === null) return [];
    const title = (key: string, label: string) => (i18n.exists(`registers.col.${key}`) ? `registers.col.${key}` : label);
    return [
      { key: '__branch', title: 'registers.col.branch', width: 'minmax(130px, 1fr)', cell: (row) => row.branchName },
      ...spec.columns.map(
        (column, i): RegisterColumn<ConsoleRegisterRow, Sort['field']> => ({
          key: `${i}:${column.key}`,
          title: title(column.key, column.label),
          width: `minmax(${leastWidth(column)}px, ${column.tags ? 2 : leastWidth(column) > 116 ? 1.5 : 1}fr)`,
          cell: column.tags
            ? (row, { t: words }) => (
                <span style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
                  {row.alerts.map((alert, n) => (
                    <Tooltip key={`${alert.kind}:${n}`} title={alert.text}>
                      <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="register-alert">
                        {words(`registers.alertKind.${alert.kind}`)}
                      </Tag>
                    </Tooltip>
                  ))}
                </span>
              )
            : (row) => row.cells[i],
        }),
      ),
      { key: '__open', title: 'registers.col.open', width: '64px', cell: (row, { t: words }) => openLink(row, words) },
    ];
  }, [spec, i18n]);
  const minWidth = 130 + (spec?.columns ?? []).reduce((sum, column) => sum + leastWidth(column), 0) + 64;
  const stateLabel = (value: string, label: string) => t(`registers.state.${table}.${value}`, { defaultValue: label });
  const title = spec === null ? (i18n.exists(`registers.title.${table}`) ? t(`registers.title.${table}`) : table) : t(`registers.title.${table}`, { defaultValue: spec.title });
  const exportHref = `${registerExportPath(table)}${query(filter) === '' ? '' : `?${query(filter)}`}`;
  const tooMany = (pages.total?.count ?? 0) > REGISTER_EXPORT_LIMIT;

  const more = (
    <>
      {spec !== null && spec.states.length > 0 && (
        <Select
          style={{ width: 160 }}
          value={filter.state}
          onChange={(state) => update({ state })}
          options={[{ value: '', label: t('registers.allStates') }, ...spec.states.map((state) => ({ value: state.value, label: stateLabel(state.value, state.label) }))]}
          aria-label={t('registers.allStates')}
          data-testid="register-state"
        />
      )}
      {spec?.alerts === true && (
        <Select
          style={{ width: 200 }}
          value={filter.alert}
          onChange={(alert) => update({ alert })}
          options={[
            { value: '', label: t('registers.allAlerts') },
            ...alertFilterValues.map((value) => ({ value, label: value === 'any' ? t('registers.anyAlert') : t(`registers.alertKind.${value}`) })),
          ]}
          aria-label={t('registers.allAlerts')}
          data-testid="register-alert-filter"
        />
      )}
    </>
  );

  return (
    <Frame
      testId="register-page"
      title={title}
      count={<Count total={pages.total} text={(total) => t('registers.count', { total })} testId="register-count" />}
      toolbar={<ExportButton href={exportHref} disabled={pages.total === null || pages.total.count === 0} label={tooMany ? t('registers.exportCapped', { limit: REGISTER_EXPORT_LIMIT.toLocaleString(i18n.language) }) : undefined} testId="register-export" />}
      filters={
        <>
          <Filters filter={filter} update={update} clear={clear} more={more} testId="register" />
          {pages.total?.capped === true && <Alert type="info" showIcon message={t('registers.cappedHint', { cap: pages.total.count.toLocaleString(i18n.language) })} data-testid="register-capped" />}
        </>
      }
      error={pages.error}
    >
      {spec !== null || pages.total !== null ? (
        <RegisterTable<ConsoleRegisterRow, Sort>
          name="register"
          columns={columns}
          minWidth={minWidth}
          pages={pages}
          sort={SORT}
          onSort={() => {}}
          onOpen={open}
          emptyText={query(filter) === '' ? t('registers.none') : t('registers.noMatch')}
          resetKeys={[filter]}
        />
      ) : null}
    </Frame>
  );
}

const ratingLevel = (level: string | null): level is EnvironmentalRatingLevel => level !== null && (environmentalRatingLevels as readonly string[]).includes(level);

/** 企业档案 columns: module constants, so cached rows are not rendered again while scrolling. */
const enterpriseColumns: RegisterColumn<ConsoleEnterpriseRow, Sort['field']>[] = [
  {
    key: 'name',
    title: 'enterprises.col.name',
    width: 'minmax(180px, 2fr)',
    cell: (row) => (
      <a href={row.href} onClick={(event) => event.stopPropagation()} className="gl-main">
        {row.name ?? '—'}
      </a>
    ),
  },
  { key: 'uscc', title: 'enterprises.col.uscc', width: '180px', cell: (row) => row.uscc ?? '—' },
  { key: 'branch', title: 'enterprises.col.branch', width: 'minmax(110px, 1fr)', cell: (row) => row.branchName },
  { key: 'industry', title: 'enterprises.col.industry', width: '80px', cell: (row) => row.industryCode ?? '—' },
  { key: 'division', title: 'enterprises.col.division', width: '80px', cell: (row) => row.divisionCode ?? '—' },
  {
    key: 'rating',
    title: 'enterprises.col.rating',
    width: '120px',
    cell: (row, { language }) => {
      if (!ratingLevel(row.environmentalRating)) return <Typography.Text type="secondary">—</Typography.Text>;
      const info = environmentalRatingInfo(row.environmentalRating);
      return <Tag color={info.colour}>{language === 'en' ? info.plate : `${info.plate} ${info.zh}`}</Tag>;
    },
  },
  {
    key: 'flags',
    title: 'enterprises.col.flags',
    width: 'minmax(180px, 2fr)',
    cell: (row, { t }) => (
      <span style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {row.outdatedCapacity && <Tag color="red">{t('enterprises.flag.outdated', { deadline: row.outdatedCapacityDeadline ?? '' })}</Tag>}
        {row.negativeList && <Tag color="red">{t('enterprises.flag.negative')}</Tag>}
        {row.greenList && <Tag color="green">{t('enterprises.flag.green')}</Tag>}
        {row.miitRecommended && <Tag color="blue">{t('enterprises.flag.miit')}</Tag>}
        {row.greenFactoryLevel !== null && <Tag color="green">{t(row.greenFactoryLevel === 'national' ? 'enterprises.flag.nationalFactory' : 'enterprises.flag.provincialFactory')}</Tag>}
      </span>
    ),
  },
  {
    key: 'updated',
    title: 'enterprises.col.updated',
    width: '150px',
    // Who, over when (Beijing time), as the HTML page showed it.
    cell: (row) => (
      <>
        <span className="gl-main">{row.updatedBy ?? '—'}</span>
        <span className="gl-sub">{row.updatedAt === null ? '' : formatInstant(row.updatedAt)}</span>
      </>
    ),
  },
];

export function EnterprisesPage() {
  const { t } = useTranslation();
  const { filter, update, clear } = useAddressFilter();
  const load = useMemo(() => consoleLoad<ConsoleEnterpriseRow, ConsoleOutput<'enterprises.page'>>((page) => consoleCall('enterprises.page', { q: filter.q, branch: filter.branch, county: filter.county, page })), [filter]);
  const pages = useRegisterPages(load, filter, SORT);
  return (
    <Frame
      testId="enterprises-page"
      title={t('enterprises.title')}
      count={<Count total={pages.total} text={(total) => t('enterprises.count', { total })} testId="enterprises-count" />}
      filters={<Filters filter={filter} update={update} clear={clear} testId="enterprises" />}
      error={pages.error}
    >
      <RegisterTable<ConsoleEnterpriseRow, Sort>
        name="enterprises"
        columns={enterpriseColumns}
        minWidth={1130}
        pages={pages}
        sort={SORT}
        onSort={() => {}}
        onOpen={open}
        emptyText={query(filter) === '' ? t('enterprises.none') : t('enterprises.noMatch')}
        resetKeys={[filter]}
      />
    </Frame>
  );
}
