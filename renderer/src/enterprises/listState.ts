import { create } from 'zustand';
import type { EnterpriseListFilter, EnterpriseSort } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';

/**
 * The list's search, filters, sort and scroll position survive a visit to a detail page: an officer
 * who opens one enterprise out of a filtered list comes back to the same place in it.
 */
interface EnterpriseListState {
  /** What is in the search box (the filter gets it 250 ms later). */
  queryText: string;
  filter: EnterpriseListFilter;
  sort: EnterpriseSort;
  scrollOffset: number;
  setQueryText: (queryText: string) => void;
  setFilter: (filter: EnterpriseListFilter) => void;
  setSort: (sort: EnterpriseSort) => void;
  setScrollOffset: (scrollOffset: number) => void;
  reset: () => void;
}

export const defaultSort: EnterpriseSort = { field: 'updatedAt', order: 'desc' };

export const useEnterpriseListState = create<EnterpriseListState>((set) => ({
  queryText: '',
  filter: {},
  sort: defaultSort,
  scrollOffset: 0,
  setQueryText: (queryText) => set({ queryText }),
  setFilter: (filter) => set({ filter, scrollOffset: 0 }),
  setSort: (sort) => set({ sort, scrollOffset: 0 }),
  setScrollOffset: (scrollOffset) => set({ scrollOffset }),
  reset: () => set({ queryText: '', filter: {}, sort: defaultSort, scrollOffset: 0 }),
}));

// Another user signing in on this laptop starts from a clean list, not from the last one's search.
useAppStore.subscribe((state, previous) => {
  if (state.session?.user?.id !== previous.session?.user?.id) useEnterpriseListState.getState().reset();
});
