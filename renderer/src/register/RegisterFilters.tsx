import type { ReactNode } from 'react';
import { Button, Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { compactFilter, useDebouncedApply } from './filters.ts';
import type { RegisterListStore } from './listState.ts';

/** What a register's filter controls work with: the typed search, the filter, and how to change them. */
export interface RegisterFilterControls<Filter> {
  queryText: string;
  filter: Filter;
  setQueryText: (queryText: string) => void;
  /** Merges into the newest filter (not the one of this render) and drops what was unset. */
  updateFilter: (patch: Partial<Filter>) => void;
  /** A search or any filter is set: the 清除筛选 link shows. */
  anyFilter: boolean;
  clear: () => void;
}

/**
 * A register's filter state from its list store, with the search box applied to `filter.query`
 * 250 ms after the last keystroke. Every register's filters start here, so the search, the merge of
 * a filter change and 清除筛选 behave the same on every list.
 */
export function useRegisterFilters<Filter extends { query?: string }, Sort>(store: RegisterListStore<Filter, Sort>): RegisterFilterControls<Filter> {
  const { queryText, filter, setQueryText, setFilter } = store();
  const updateFilter = (patch: Partial<Filter>) => setFilter(compactFilter({ ...store.getState().filter, ...patch }));
  useDebouncedApply(queryText, (text) => {
    const query = text.trim();
    if ((filter.query ?? '') !== query) updateFilter({ query: query === '' ? undefined : query } as Partial<Filter>);
  });
  return {
    queryText,
    filter,
    setQueryText,
    updateFilter,
    anyFilter: Object.keys(filter).length > 0 || queryText !== '',
    clear: () => {
      setQueryText('');
      setFilter({} as Filter);
    },
  };
}

/** The row of a register's filter controls, wrapping on a narrow window. */
export function RegisterFilterBar({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>{children}</div>;
}

/** The search box that leads a register's filters; `label` and `placeholder` say what it searches. */
export function RegisterSearch({ controls, label, placeholder, width, testId }: { controls: Pick<RegisterFilterControls<unknown>, 'queryText' | 'setQueryText'>; label: string; placeholder: string; width: number; testId: string }) {
  return (
    <Input
      allowClear
      prefix={<SearchOutlined />}
      placeholder={placeholder}
      value={controls.queryText}
      onChange={(event) => controls.setQueryText(event.target.value)}
      style={{ width }}
      aria-label={label}
      data-testid={testId}
    />
  );
}

/** 清除筛选: shown only while something is set. */
export function ClearFilters({ shown, onClear }: { shown: boolean; onClear: () => void }) {
  const { t } = useTranslation();
  if (!shown) return null;
  return (
    <Button type="link" onClick={onClear} style={{ paddingInline: 4 }}>
      {t('register.clearFilters')}
    </Button>
  );
}
