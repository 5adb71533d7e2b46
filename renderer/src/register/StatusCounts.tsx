import { useEffect, useRef, useState } from 'react';
import { Input, Segmented } from 'antd';
import type { Result } from '../../../shared/api/index.ts';
import { compactFilter } from './filters.ts';
import type { RegisterListStore } from './listState.ts';

/** The choice that clears the status: the whole list for the other filters. */
export const ALL_STATUSES = 'all';

/** One choice of a status row: its value (a status or ALL_STATUSES), its words and its count (undefined while counting). */
export interface StatusChoice {
  value: string;
  label: string;
  count: number | undefined;
}

/**
 * The counts per status over a register list, for the list's own filter with its status aside: each
 * count is also the choice that filters the list to it, so a count and the list it opens always
 * agree. `count` is the host's counts call; `choices` turns its answer (null while it runs) into the row.
 */
export function RegisterStatusCounts<Filter extends { status?: string }, Sort, Counts>({
  store,
  count,
  choices,
  testId,
  choiceTestId,
}: {
  store: RegisterListStore<Filter, Sort>;
  count: (filter: Filter) => Promise<Result<Counts>>;
  choices: (counts: Counts | null) => StatusChoice[];
  testId: string;
  /** Each choice's test id is `${choiceTestId}-${value}`. */
  choiceTestId: string;
}) {
  const { filter, setFilter } = store();
  const [counts, setCounts] = useState<Counts | null>(null);
  // The newest call, read when the filter changes, so a new closure each render does not recount.
  const counter = useRef(count);
  counter.current = count;
  const { status: _status, ...others } = filter;
  const key = JSON.stringify(others);
  useEffect(() => {
    let current = true;
    void counter.current(JSON.parse(key) as Filter).then((result) => {
      if (current && result.ok) setCounts(result.value);
    });
    return () => {
      current = false;
    };
  }, [key]);
  const figure = (n: number | undefined) => (n === undefined ? '…' : n.toLocaleString());
  return (
    <Segmented<string>
      value={filter.status ?? ALL_STATUSES}
      onChange={(value) => setFilter(compactFilter({ ...filter, status: value === ALL_STATUSES ? undefined : value } as Filter))}
      options={choices(counts).map(({ value, label, count: n }) => ({ value, label: <span data-testid={`${choiceTestId}-${value}`}>{`${label} ${figure(n)}`}</span> }))}
      data-testid={testId}
    />
  );
}

/**
 * The county box of a register's filters: the six-digit 行政区划代码 reaches the filter once it is
 * whole (or cleared), so half a code never filters the list to nothing. The box follows the filter
 * when it is cleared elsewhere (清除筛选).
 */
export function CountyFilter({ code, onChange, label, testId }: { code: string | undefined; onChange: (code: string | undefined) => void; label: string; testId?: string }) {
  const [text, setText] = useState(code ?? '');
  useEffect(() => {
    if (code === undefined) setText((typed) => (/^\d{6}$/.test(typed) ? '' : typed));
    else setText(code);
  }, [code]);
  return (
    <Input
      allowClear
      placeholder={label}
      value={text}
      maxLength={6}
      onChange={(event) => {
        const typed = event.target.value.trim();
        setText(typed);
        if (typed === '' || /^\d{6}$/.test(typed)) onChange(typed === '' ? undefined : typed);
      }}
      style={{ width: 150 }}
      aria-label={label}
      data-testid={testId}
    />
  );
}
