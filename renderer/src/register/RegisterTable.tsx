import { memo, useEffect, useRef, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { Empty } from 'antd';
import { CaretDownOutlined, CaretUpOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { RegisterPages } from './pages.ts';
import './register.css';

const DEFAULT_ROW_HEIGHT = 52;
/** Rows fetched beyond the visible ones, so the next page is usually there before it is needed. */
const PREFETCH_ROWS = 40;
const FETCH_INTERVAL_MS = 150;
/** Faster than this is a scrollbar drag, not reading. */
const DRAG_ROWS_PER_SECOND = 1500;

export interface RegisterSort<Field extends string = string> {
  field: Field;
  order: 'asc' | 'desc';
}

/** What a cell may need besides its row: the words of the UI language. */
export interface CellContext {
  t: TFunction;
  language: string;
}

/**
 * One column of a register. Columns are module constants (titles are i18n keys, cells pure
 * functions of the row), so a row whose object is unchanged is never rendered again while the list
 * scrolls.
 */
export interface RegisterColumn<Row, SortField extends string = string> {
  key: string;
  /** i18n key of the header. */
  title: string;
  /** Its CSS grid track: '178px', 'minmax(180px, 2.2fr)'. */
  width: string;
  /** The sort field a click on the header sets (the host sorts in SQL); none: not sortable. */
  sort?: SortField;
  /** The order of a first click (default ascending; newest first suits dates). */
  firstOrder?: 'asc' | 'desc';
  /** Amounts and counts line up on the right. */
  align?: 'right';
  cell: (row: Row, context: CellContext) => ReactNode;
}

export interface RegisterTableProps<Row, Sort extends RegisterSort> {
  /** Test ids `${name}-list`, `${name}-list-body`, `${name}-row`: each register keeps its own. */
  name: string;
  columns: readonly RegisterColumn<Row, Sort['field']>[];
  /** Sum of the columns' minimum widths: below it the grid scrolls sideways. */
  minWidth: number;
  // Any refusal type: the table only reads the rows and the total.
  pages: RegisterPages<Row, unknown>;
  sort: Sort;
  onSort: (sort: Sort) => void;
  onOpen: (row: Row) => void;
  /** Shown when the list is empty (RegisterList passes the register's words for no match while a search or filter is set). */
  emptyText: string;
  /** Where the body starts scrolled, and told where it was when the table unmounts. */
  initialScrollOffset?: number;
  onLeave?: (scrollOffset: number) => void;
  /** Keys that, when their identity changes, send the list back to the top (a new search). */
  resetKeys?: readonly unknown[];
  rowHeight?: number;
  style?: CSSProperties;
}

function LoadingRow({ cells }: { cells: number }) {
  return (
    <>
      {Array.from({ length: cells }, (_, i) => (
        <div key={i} role="cell">
          <span className="gl-loading-bar" />
        </div>
      ))}
    </>
  );
}

/** Memoised on the row object: cached rows keep their identity, so scrolling renders only new rows. */
const RowCells = memo(function RowCells<Row>({ row, columns }: { row: Row; columns: readonly RegisterColumn<Row>[] }) {
  const { t, i18n } = useTranslation();
  const context = { t, language: i18n.language };
  return (
    <>
      {columns.map((column) => (
        <div key={column.key} role="cell" className={column.align === 'right' ? 'gl-right' : undefined}>
          {column.cell(row, context)}
        </div>
      ))}
    </>
  );
}) as <Row>(props: { row: Row; columns: readonly RegisterColumn<Row>[] }) => ReactNode;

/** Header cells; a sortable one is a button that toggles the order (first click: the column's own). */
function RegisterHead<Row, Sort extends RegisterSort>({ columns, sort, onSort }: Pick<RegisterTableProps<Row, Sort>, 'columns' | 'sort' | 'onSort'>) {
  const { t } = useTranslation();
  const toggle = (column: RegisterColumn<Row, Sort['field']>) =>
    onSort({ ...sort, field: column.sort!, order: sort.field === column.sort ? (sort.order === 'asc' ? 'desc' : 'asc') : (column.firstOrder ?? 'asc') });
  return (
    <div className="gl-register-head" role="row">
      {columns.map((column) => {
        const active = column.sort !== undefined && sort.field === column.sort;
        return (
          <div
            key={column.key}
            role="columnheader"
            className={column.align === 'right' ? 'gl-right' : undefined}
            aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {column.sort === undefined ? (
              t(column.title)
            ) : (
              <button type="button" className="gl-sort" onClick={() => toggle(column)} data-testid={`sort-${column.sort}`}>
                <span>{t(column.title)}</span>
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
  );
}

/**
 * The virtualised rows: only those in view are in the DOM, and only their pages are fetched. This
 * component alone re-renders as the list scrolls.
 */
function RegisterRows<Row, Sort extends RegisterSort>(props: RegisterTableProps<Row, Sort>) {
  const { name, columns, pages, onOpen, emptyText, initialScrollOffset = 0, onLeave, resetKeys = [], rowHeight = DEFAULT_ROW_HEIGHT } = props;
  const bodyRef = useRef<HTMLDivElement>(null);
  const lastOffset = useRef(initialScrollOffset);
  const virtualizer = useVirtualizer({
    count: pages.total?.count ?? 0,
    getScrollElement: () => bodyRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    initialOffset: initialScrollOffset,
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
  // (Compared on every render: the keys are few, and their number may differ between registers.)
  const shown = useRef(resetKeys);
  useEffect(() => {
    if (shown.current.length === resetKeys.length && shown.current.every((key, i) => key === resetKeys[i])) return;
    shown.current = resetKeys;
    virtualizer.scrollToOffset(0);
  });
  const leave = useRef(onLeave);
  leave.current = onLeave;
  useEffect(() => () => leave.current?.(lastOffset.current), []);

  const onRowKey = (event: KeyboardEvent, row: Row) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(row);
    }
  };

  return (
    <div
      ref={bodyRef}
      className="gl-register-body"
      style={{ flex: 1, minHeight: 0 }}
      onScroll={(event) => {
        lastOffset.current = event.currentTarget.scrollTop;
      }}
      data-testid={`${name}-list-body`}
    >
      {pages.total?.count === 0 && <Empty style={{ marginTop: 64 }} description={emptyText} />}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = pages.row(item.index);
          return row === undefined ? (
            <div key={item.key} role="row" className="gl-register-row" aria-busy="true" style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}>
              <LoadingRow cells={columns.length} />
            </div>
          ) : (
            <div
              key={item.key}
              role="row"
              tabIndex={0}
              aria-rowindex={item.index + 2}
              className="gl-register-row"
              style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}
              onClick={() => onOpen(row)}
              onKeyDown={(event) => onRowKey(event, row)}
              data-testid={`${name}-row`}
            >
              <RowCells row={row} columns={columns as readonly RegisterColumn<Row>[]} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * A register's table: sortable header over virtualised rows fetched page by page. The register
 * brings its columns and its pages (useRegisterPages over its own list method); this piece knows
 * nothing of enterprises or loans, so each register is one column list and one load function.
 */
export function RegisterTable<Row, Sort extends RegisterSort>(props: RegisterTableProps<Row, Sort>) {
  const { name, columns, minWidth, pages, sort, onSort, style } = props;
  const tracks = columns.map((column) => column.width).join(' ');
  return (
    <div
      className="gl-register-grid"
      role="table"
      aria-rowcount={(pages.total?.count ?? 0) + 1}
      style={{ flex: 1, minHeight: 0, ...style, ['--gl-register-columns' as string]: tracks }}
      data-testid={`${name}-list`}
    >
      <div className="gl-register-grid-inner" style={{ minWidth }}>
        <RegisterHead columns={columns} sort={sort} onSort={onSort} />
        <RegisterRows {...props} />
      </div>
    </div>
  );
}
