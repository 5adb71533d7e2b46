/**
 * Read-ahead of pull pages. A device pulling a long backlog (a laptop's first pull: 50k rows in 20
 * pages) asks for the next page once it has the current one, then spends ~50 ms writing it while
 * the hub sits idle; only then did the hub start the ~40 ms of preparing the next. So after
 * answering a page with more to come, the hub prepares the one the device will ask for next and
 * keeps it briefly for that device alone (bench sync.initial_pull).
 *
 * A page prepared early is still a correct answer when it is asked for: the pull is ordered by the
 * seq of each row's latest change, and a change made meanwhile moves its row to a higher seq, so
 * the row comes again, newer, in a later page.
 */
export interface PullWindow {
  since: number;
  limit: number;
  referenceVersions: Record<string, number>;
}

/** What identifies a pull request: the branch, the window and the reference versions held. */
export function pullKey(branchId: string, window: PullWindow): string {
  return JSON.stringify([branchId, window.since, window.limit, Object.entries(window.referenceVersions).sort(([a], [b]) => a.localeCompare(b))]);
}

export class ReadAhead<P> {
  private readonly ready = new Map<string, { key: string; page: Promise<P>; expires: number }>();

  constructor(
    private readonly ttlMs = 30_000,
    /** A hub with this many devices reading ahead at once prepares no more (memory stays bounded). */
    private readonly maxDevices = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** The page prepared for this device and request, if any (taken: a second ask prepares anew). */
  take(deviceId: string, key: string): Promise<P> | undefined {
    const entry = this.ready.get(deviceId);
    if (entry === undefined) return undefined;
    this.ready.delete(deviceId);
    return entry.key === key && entry.expires > this.now() ? entry.page : undefined;
  }

  /** Starts preparing the page this device will most likely ask for next. */
  offer(deviceId: string, key: string, prepare: () => Promise<P>): void {
    const now = this.now();
    for (const [id, entry] of this.ready) if (entry.expires <= now) this.ready.delete(id);
    if (this.ready.size >= this.maxDevices && !this.ready.has(deviceId)) return;
    const page = prepare();
    // Never an unhandled rejection: whoever takes it falls back to preparing the page itself.
    page.catch(() => {});
    this.ready.set(deviceId, { key, page, expires: now + this.ttlMs });
  }

  /** The device changed something (a push, a resolution): a page prepared before may hold its old rows. */
  forget(deviceId: string): void {
    this.ready.delete(deviceId);
  }

  get size(): number {
    return this.ready.size;
  }
}
