import { useState, type ReactNode } from 'react';
import { Space } from 'antd';
import { useRegisterPages, type KnownTotal, type LoadPage } from './pages.ts';
import { RegisterTable, type RegisterColumn, type RegisterSort } from './RegisterTable.tsx';

/**
 * A register's rows for one record on that record's page (an enterprise's loans, cases, collateral):
 * the same table as the register, filtered in SQL by the record, with its own sort, growing with
 * its rows up to a screenful (a few per enterprise as a rule). `head` words the count, `action` is
 * the create button; the rows' test ids are `${name}-row` like the register's.
 */
export function RegisterTab<Row, Filter, Sort extends RegisterSort>({
  name,
  testId,
  filter,
  load,
  defaultSort,
  columns,
  minWidth,
  onOpen,
  emptyText,
  head,
  action,
  children,
}: {
  name: string;
  /** The tab's own test id (enterprise-loans). */
  testId: string;
  /** Stable identity (useMemo): a new object starts a new list. */
  filter: Filter;
  load: LoadPage<Row, Filter, Sort>;
  defaultSort: Sort;
  columns: readonly RegisterColumn<Row, Sort['field']>[];
  minWidth: number;
  onOpen: (row: Row) => void;
  emptyText: string;
  head: (total: KnownTotal | null) => ReactNode;
  action?: ReactNode;
  /** Below the table (the create form). */
  children?: ReactNode;
}) {
  const [sort, setSort] = useState<Sort>(defaultSort);
  const pages = useRegisterPages<Row, Filter, Sort>(load, filter, sort);
  const count = pages.total?.count;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid={testId}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        {head(pages.total)}
        {action}
      </div>
      <RegisterTable<Row, Sort>
        name={name}
        columns={columns}
        minWidth={minWidth}
        pages={pages}
        sort={sort}
        onSort={setSort}
        onOpen={onOpen}
        emptyText={emptyText}
        resetKeys={[sort]}
        style={{ height: Math.min(480, 46 + Math.max(1, count ?? 1) * 52 + (count === 0 ? 160 : 0)), flex: 'none' }}
      />
      {children}
    </Space>
  );
}
