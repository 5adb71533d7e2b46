import { useState, type ReactNode } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Result } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import type { z } from 'zod';
import { useFilterFromUrl, type RegisterListStore } from './listState.ts';
import { useRegisterPages, type KnownTotal, type LoadPage } from './pages.ts';
import { RegisterTable, type RegisterColumn, type RegisterSort } from './RegisterTable.tsx';
import { SavedViews } from './SavedViews.tsx';

/** What the toolbar may need: the list's current filter and sort (an export of what is shown). */
export interface RegisterToolbarContext<Filter, Sort> {
  filter: Filter;
  sort: Sort;
  total: KnownTotal | null;
  /** Call after an import changed the register, so the list fetches again. */
  reload: () => void;
}

/**
 * A register's whole list screen: title and count, a toolbar (import, export, create), the filters,
 * and the virtualised table. Why the props are what they are:
 * - `load` is the register's list method, page by page; the filter and sort it is given come from
 *   `store`, the register's own list state, so the search survives a visit to a detail page.
 * - `columns` are module constants, so cached rows are never rendered twice while scrolling.
 * - `countText` words the count for this register (共 3 家, 共 3 笔); it gets "1,100+" when the host
 *   stopped counting past the page (issue 20), and `countAll`, when given, lets the user ask for the exact figure.
 * - `filters` and `toolbar` are the register's own controls; the filters read and write `store`
 *   themselves, so scrolling never re-renders them.
 * - Every register gets 视图 (SavedViews): the person's saved filters and sort, by name.
 * - `name` prefixes the test ids (`${name}-list-page`, -count, -list, -list-body, -row), so every
 *   register's e2e keeps its own words.
 */
export interface RegisterListProps<Row, Filter extends object, Sort extends RegisterSort> {
  name: string;
  title: ReactNode;
  store: RegisterListStore<Filter, Sort>;
  load: LoadPage<Row, Filter, Sort>;
  columns: readonly RegisterColumn<Row, Sort['field']>[];
  minWidth: number;
  countText: (total: string, count: number) => string;
  countAll?: (filter: Filter) => Promise<Result<number>>;
  toolbar?: (context: RegisterToolbarContext<Filter, Sort>) => ReactNode;
  filters?: ReactNode;
  onOpen: (row: Row) => void;
  emptyText: string;
  noMatchText: string;
  /** Below the table (the create form, a dialog). */
  children?: ReactNode;
  /** The register's filter schema: a `?filter=<JSON>` on the address it accepts becomes the list's filter (useFilterFromUrl). */
  urlFilter?: z.ZodType<Filter>;
}

export function RegisterList<Row, Filter extends object, Sort extends RegisterSort>(props: RegisterListProps<Row, Filter, Sort>) {
  const { name, title, store, load, columns, minWidth, countText, countAll, toolbar, filters, onOpen, emptyText, noMatchText, children, urlFilter } = props;
  useFilterFromUrl(store, urlFilter);
  const filter = store((s) => s.filter);
  const sort = store((s) => s.sort);
  const setSort = store((s) => s.setSort);
  const scrollOffset = store((s) => s.scrollOffset);
  const setScrollOffset = store((s) => s.setScrollOffset);
  const searching = store((s) => Object.keys(s.filter).length > 0 || s.queryText !== '');
  const pages = useRegisterPages(load, filter, sort);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12, height: 'calc(100vh - 112px)', minHeight: 420 }} data-testid={`${name}-list-page`}>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, flexWrap: 'wrap' }}>
        <Space align="baseline" size="middle">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <RegisterCount name={name} total={pages.total} countText={countText} countAll={countAll === undefined ? undefined : () => countAll(filter)} onExact={pages.setExactTotal} />
        </Space>
        <Space>
          <SavedViews name={name} store={store} />
          {toolbar?.({ filter, sort, total: pages.total, reload: pages.reload })}
        </Space>
      </div>

      {filters}

      {pages.error !== null && <Alert type="error" showIcon title={describeError(pages.error)} />}

      <RegisterTable
        name={name}
        columns={columns}
        minWidth={minWidth}
        pages={pages}
        sort={sort}
        onSort={setSort}
        onOpen={onOpen}
        emptyText={searching ? noMatchText : emptyText}
        initialScrollOffset={scrollOffset}
        onLeave={setScrollOffset}
        resetKeys={[filter, sort]}
      />
      {children}
    </div>
  );
}

/** A total as the count line shows it: "3,250", or "1,100+" when the host stopped counting. */
export function totalFigure(total: KnownTotal, t: TFunction, language: string): string {
  const figure = total.count.toLocaleString(language);
  return total.capped ? t('register.atLeast', { count: figure }) : figure;
}

/** 「共 N 笔」, or 「共 1,100+ 笔 · 精确统计」 when the host stopped counting at a cap. */
function RegisterCount({
  name,
  total,
  countText,
  countAll,
  onExact,
}: {
  name: string;
  total: KnownTotal | null;
  countText: (total: string, count: number) => string;
  countAll: (() => Promise<Result<number>>) | undefined;
  onExact: (count: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const [counting, setCounting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (total === null) {
    return (
      <Typography.Text type="secondary" data-testid={`${name}-count`}>
        {t('register.counting')}
      </Typography.Text>
    );
  }
  const exact = async () => {
    if (countAll === undefined) return;
    setCounting(true);
    try {
      const result = await countAll();
      if (result.ok) onExact(result.value);
      else setProblem(describeError(result.error));
    } finally {
      setCounting(false);
    }
  };
  return (
    <Space size={4}>
      <Typography.Text type="secondary" data-testid={`${name}-count`}>
        {countText(totalFigure(total, t, i18n.language), total.count)}
      </Typography.Text>
      {total.capped && countAll !== undefined && (
        <Button type="link" size="small" loading={counting} onClick={() => void exact()} data-testid={`${name}-count-exact`}>
          {t('register.countExactly')}
        </Button>
      )}
      {problem !== null && <Typography.Text type="danger">{problem}</Typography.Text>}
    </Space>
  );
}
