import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostError } from '../../../shared/api/index.ts';
import { PageCache } from './pageCache.ts';

export const PAGE_SIZE = 100;
/** About 6,000 rows kept; the rest are fetched again if scrolled back to. */
const MAX_PAGES = 60;

/** What a register's list method answers for one page, whatever the register. */
export interface PageAnswer<Row> {
  rows: Row[];
  /** Rows matching the filter; with `totalCapped`, only a lower bound (the host stopped counting). */
  total: number;
  /**
   * The host counted up to a cap and stopped (issue 20: a page costs what it shows, not what the
   * register holds). The list then shows "1,000+" and grows as the user scrolls past the bound.
   */
  totalCapped?: boolean;
}

/** One page request: the register's own filter and sort, and where the page starts. */
export interface PageRequest<Filter, Sort> {
  filter: Filter;
  sort: Sort;
  offset: number;
  limit: number;
}

/**
 * A register's list method for one page. `E` is how its refusals come: the laptop's host errors by
 * default; the head-office console's own (renderer/src/console/api.ts) when its registers use these pieces.
 */
export type LoadPage<Row, Filter, Sort, E = HostError> = (request: PageRequest<Filter, Sort>) => Promise<{ ok: true; value: PageAnswer<Row> } | { ok: false; error: E }>;

/** How many rows the list knows of: exactly, or at least that many. */
export interface KnownTotal {
  count: number;
  capped: boolean;
}

/**
 * Folds one page's answer into what is known of the total. An exact total is taken as it is. A
 * capped one only ever raises the bound — by its own figure or by the rows this page proves exist —
 * and a short page (fewer rows than asked) marks where the list really ends.
 */
export function foldTotal(known: KnownTotal | null, answer: PageAnswer<unknown>, offset: number, limit: number): KnownTotal {
  if (answer.totalCapped !== true) return { count: answer.total, capped: false };
  if (answer.rows.length < limit) return { count: offset + answer.rows.length, capped: false };
  if (known !== null && !known.capped) return known;
  return { count: Math.max(known?.count ?? 0, answer.total, offset + answer.rows.length), capped: true };
}

export interface RegisterPages<Row, E = HostError> {
  /** null until the first page answers. */
  total: KnownTotal | null;
  row: (index: number) => Row | undefined;
  /** Asks for the rows first..last (inclusive) if they are not cached or on their way. */
  ensure: (first: number, last: number) => void;
  error: E | null;
  /** Changes whenever rows arrive, so a memoised view knows to re-render. */
  revision: number;
  /** Drops the cache and fetches again (after an import changed the register). */
  reload: () => void;
  /** Replaces a capped total with the exact one the user asked for. */
  setExactTotal: (count: number) => void;
}

/**
 * A register's rows, fetched in pages of 100 as they come into view. A new filter or sort starts a
 * new cache and a new generation; answers for an older generation are dropped, so a slow page of
 * the previous search never lands in the new one. `load` may change identity freely: only the
 * filter and sort (by identity, as the list state store hands them out) start a new list.
 */
export function useRegisterPages<Row, Filter, Sort, E = HostError>(load: LoadPage<Row, Filter, Sort, E>, filter: Filter, sort: Sort): RegisterPages<Row, E> {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [state, setState] = useState<{ cache: PageCache<Row>; total: KnownTotal | null; error: E | null; revision: number }>(() => ({
    cache: new PageCache(PAGE_SIZE, MAX_PAGES),
    total: null,
    error: null,
    revision: 0,
  }));
  const [reloads, setReloads] = useState(0);
  const generation = useRef(0);
  const cacheRef = useRef(state.cache);
  const totalRef = useRef<KnownTotal | null>(null);

  const fetchPages = useCallback(
    (cache: PageCache<Row>, pages: number[]) => {
      if (pages.length === 0) return;
      cache.begin(pages);
      const mine = generation.current;
      for (const page of pages) {
        const offset = page * PAGE_SIZE;
        void loadRef.current({ filter, sort, offset, limit: PAGE_SIZE }).then((result) => {
          if (mine !== generation.current) return;
          if (result.ok) {
            cache.put(page, result.value.rows);
            const total = foldTotal(totalRef.current, result.value, offset, PAGE_SIZE);
            totalRef.current = total;
            setState((s) => ({ ...s, total, error: null, revision: s.revision + 1 }));
          } else {
            cache.fail(page);
            totalRef.current ??= { count: 0, capped: false };
            setState((s) => ({ ...s, error: result.error, total: s.total ?? { count: 0, capped: false }, revision: s.revision + 1 }));
          }
        });
      }
    },
    [filter, sort],
  );

  useEffect(() => {
    generation.current += 1;
    const cache = new PageCache<Row>(PAGE_SIZE, MAX_PAGES);
    cacheRef.current = cache;
    totalRef.current = null;
    setState({ cache, total: null, error: null, revision: 0 });
    // The first page tells how many rows there are; the view asks for the rest as it scrolls.
    fetchPages(cache, cache.missing(0, 0));
  }, [fetchPages, reloads]);

  const ensure = useCallback(
    (first: number, last: number) => {
      const cache = cacheRef.current;
      const known = totalRef.current;
      // Past an exact end there is nothing to fetch; past a capped bound is how the list grows.
      const end = known === null || known.capped ? last : Math.min(last, known.count - 1);
      if (end < first) return;
      fetchPages(cache, cache.missing(first, end));
    },
    [fetchPages],
  );

  const row = useCallback((index: number) => state.cache.row(index), [state.cache]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const setExactTotal = useCallback((count: number) => {
    totalRef.current = { count, capped: false };
    setState((s) => ({ ...s, total: { count, capped: false }, revision: s.revision + 1 }));
  }, []);

  return { total: state.total, row, ensure, error: state.error, revision: state.revision, reload, setExactTotal };
}
