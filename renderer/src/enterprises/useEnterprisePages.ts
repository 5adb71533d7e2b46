import { useCallback, useEffect, useRef, useState } from 'react';
import type { EnterpriseListFilter, EnterpriseSort, EnterpriseSummary, HostError } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { PageCache } from './pageCache.ts';

export const PAGE_SIZE = 100;
/** About 6,000 rows kept; the rest are fetched again if scrolled back to. */
const MAX_PAGES = 60;

export interface EnterprisePages {
  /** null until the first page answers. */
  total: number | null;
  row: (index: number) => EnterpriseSummary | undefined;
  /** Asks for the rows first..last (inclusive) if they are not cached or on their way. */
  ensure: (first: number, last: number) => void;
  error: HostError | null;
  /** Changes whenever rows arrive, so a memoised view knows to re-render. */
  revision: number;
  /** Drops the cache and fetches again (after an import changed the register). */
  reload: () => void;
}

/**
 * The enterprise list, fetched in pages of 100 through enterprises.list as rows come into view.
 * A new filter or sort starts a new cache and a new generation; answers for an older generation
 * are dropped, so a slow page of the previous search never lands in the new one.
 */
export function useEnterprisePages(filter: EnterpriseListFilter, sort: EnterpriseSort): EnterprisePages {
  const call = useAppStore((s) => s.call);
  const [state, setState] = useState<{ cache: PageCache<EnterpriseSummary>; total: number | null; error: HostError | null; revision: number }>(() => ({
    cache: new PageCache(PAGE_SIZE, MAX_PAGES),
    total: null,
    error: null,
    revision: 0,
  }));
  const [reloads, setReloads] = useState(0);
  const generation = useRef(0);
  const cacheRef = useRef(state.cache);

  const fetchPages = useCallback(
    (cache: PageCache<EnterpriseSummary>, pages: number[]) => {
      if (pages.length === 0) return;
      cache.begin(pages);
      const mine = generation.current;
      for (const page of pages) {
        void call('enterprises.list', { filter, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then((result) => {
          if (mine !== generation.current) return;
          if (result.ok) {
            cache.put(page, result.value.rows);
            setState((s) => ({ ...s, total: result.value.total, error: null, revision: s.revision + 1 }));
          } else {
            cache.fail(page);
            setState((s) => ({ ...s, error: result.error, total: s.total ?? 0, revision: s.revision + 1 }));
          }
        });
      }
    },
    [call, filter, sort],
  );

  useEffect(() => {
    generation.current += 1;
    const cache = new PageCache<EnterpriseSummary>(PAGE_SIZE, MAX_PAGES);
    cacheRef.current = cache;
    setState({ cache, total: null, error: null, revision: 0 });
    // The first page tells how many rows there are; the view asks for the rest as it scrolls.
    fetchPages(cache, cache.missing(0, 0));
  }, [fetchPages, reloads]);

  const ensure = useCallback(
    (first: number, last: number) => {
      const cache = cacheRef.current;
      fetchPages(cache, cache.missing(first, last));
    },
    [fetchPages],
  );

  const row = useCallback((index: number) => state.cache.row(index), [state.cache]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  return { total: state.total, row, ensure, error: state.error, revision: state.revision, reload };
}
