import { describe, expect, it } from 'vitest';
import { PageCache } from './pageCache.ts';

const rows = (page: number, size = 10) => Array.from({ length: size }, (_, i) => page * size + i);

describe('PageCache', () => {
  it('asks only for pages neither cached nor in flight', () => {
    const cache = new PageCache<number>(10, 5);
    expect(cache.missing(0, 25)).toEqual([0, 1, 2]);
    cache.begin([0, 1, 2]);
    expect(cache.missing(0, 25)).toEqual([]);
    cache.put(1, rows(1));
    expect(cache.row(13)).toBe(13);
    expect(cache.row(3)).toBeUndefined();
    expect(cache.missing(5, 35)).toEqual([3]);
  });

  it('lets a failed page be asked for again', () => {
    const cache = new PageCache<number>(10, 5);
    cache.begin([4]);
    cache.fail(4);
    expect(cache.missing(40, 49)).toEqual([4]);
  });

  it('drops the least recently seen pages beyond its limit', () => {
    const cache = new PageCache<number>(10, 3);
    for (const page of [0, 1, 2]) cache.put(page, rows(page));
    cache.missing(0, 9); // page 0 seen again: page 1 is now the oldest
    cache.put(3, rows(3));
    expect(cache.cachedPages).toBe(3);
    expect(cache.row(5)).toBe(5);
    expect(cache.row(15)).toBeUndefined();
    expect(cache.missing(10, 19)).toEqual([1]);
  });
});
