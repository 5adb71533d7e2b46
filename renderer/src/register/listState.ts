import { useLayoutEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { useAppStore } from '../stores/app.ts';

/**
 * A register list's search, filters, sort and scroll position, kept outside the screen so they
 * survive a visit to a detail page: an officer who opens one loan out of a filtered list comes back
 * to the same place in it.
 */
export interface RegisterListState<Filter, Sort> {
  /** What is in the search box (the filter gets it 250 ms later). */
  queryText: string;
  filter: Filter;
  sort: Sort;
  scrollOffset: number;
  setQueryText: (queryText: string) => void;
  setFilter: (filter: Filter) => void;
  setSort: (sort: Sort) => void;
  setScrollOffset: (scrollOffset: number) => void;
  reset: () => void;
}

export type RegisterListStore<Filter, Sort> = UseBoundStore<StoreApi<RegisterListState<Filter, Sort>>>;

/** One store per register (module level), starting from no filter and the register's default sort. */
export function createRegisterListState<Filter extends object, Sort>(defaultSort: Sort): RegisterListStore<Filter, Sort> {
  const empty = () => ({}) as Filter;
  const store = create<RegisterListState<Filter, Sort>>((set) => ({
    queryText: '',
    filter: empty(),
    sort: defaultSort,
    scrollOffset: 0,
    setQueryText: (queryText) => set({ queryText }),
    setFilter: (filter) => set({ filter, scrollOffset: 0 }),
    setSort: (sort) => set({ sort, scrollOffset: 0 }),
    setScrollOffset: (scrollOffset) => set({ scrollOffset }),
    reset: () => set({ queryText: '', filter: empty(), sort: defaultSort, scrollOffset: 0 }),
  }));
  // Another user signing in on this laptop starts from a clean list, not from the last one's search.
  useAppStore.subscribe((state, previous) => {
    if (state.session?.user?.id !== previous.session?.user?.id) store.getState().reset();
  });
  return store;
}


/**
 * A register list opened with `?filter=<JSON>` (a dashboard figure's drill-down, registerLink) shows
 * that filter: the JSON is checked with the register's own filter schema (the contract's), set as the
 * list's filter, and taken off the address so that going back to the list later starts from the
 * user's own search. A filter the schema refuses is ignored.
 */
export function useFilterFromUrl<Filter extends object, Sort>(store: RegisterListStore<Filter, Sort>, schema: z.ZodType<Filter> | undefined): void {
  const [params, setParams] = useSearchParams();
  const raw = params.get('filter');
  useLayoutEffect(() => {
    if (schema === undefined || raw === null) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const checked = schema.safeParse(parsed);
    if (checked.success) {
      store.getState().setQueryText('');
      store.getState().setFilter(checked.data);
    }
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('filter');
        return next;
      },
      { replace: true },
    );
  }, [raw, schema, store, setParams]);
}

/** The address of a register list showing exactly `filter` (read by useFilterFromUrl). */
export function registerLink(path: string, filter: object): string {
  return `${path}?filter=${encodeURIComponent(JSON.stringify(filter))}`;
}
