import { useEffect, useRef } from 'react';

const DEBOUNCE_MS = 250;

/** Drops unset keys: the filter schemas are strict, and an unset filter is no filter. */
export function compactFilter<Filter extends object>(filter: Filter): Filter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== '')) as Filter;
}

/** Text typed into a box reaches the filter 250 ms after the last keystroke, not on every key. */
export function useDebouncedApply(text: string, apply: (text: string) => void): void {
  const latest = useRef(apply);
  latest.current = apply;
  useEffect(() => {
    const timer = setTimeout(() => latest.current(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
}
