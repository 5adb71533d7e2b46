/**
 * Rows of a long list fetched in fixed pages as they scroll into view. A page is fetched once
 * (cached or in flight), and the least recently seen pages are dropped beyond a limit, so scrolling
 * through 100k rows of a register holds a few thousand, not all of them. A new filter or sort needs a
 * new cache: offsets of the old one mean nothing under the new order.
 */
export class PageCache<Row> {
  /** Insertion order is recency: a page seen again is moved to the end. */
  private readonly pages = new Map<number, Row[]>();
  private readonly inFlight = new Set<number>();

  constructor(
    readonly pageSize: number,
    private readonly maxPages: number,
  ) {}

  row(index: number): Row | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /**
   * The pages covering rows first..last (inclusive) that are neither cached nor being fetched;
   * marks the cached ones as recently seen.
   */
  missing(first: number, last: number): number[] {
    const wanted: number[] = [];
    for (let page = Math.floor(first / this.pageSize); page <= Math.floor(last / this.pageSize); page += 1) {
      const rows = this.pages.get(page);
      if (rows !== undefined) {
        this.pages.delete(page);
        this.pages.set(page, rows);
      } else if (!this.inFlight.has(page)) wanted.push(page);
    }
    return wanted;
  }

  /** The caller is fetching these pages; missing() will not offer them again until they settle. */
  begin(pages: number[]): void {
    for (const page of pages) this.inFlight.add(page);
  }

  put(page: number, rows: Row[]): void {
    this.inFlight.delete(page);
    this.pages.delete(page);
    this.pages.set(page, rows);
    for (const oldest of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      this.pages.delete(oldest);
    }
  }

  /** A failed fetch: the page may be asked for again. */
  fail(page: number): void {
    this.inFlight.delete(page);
  }

  get cachedPages(): number {
    return this.pages.size;
  }
}
