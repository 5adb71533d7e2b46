import { DEFAULT_MAX_DRIFT_MS, encodeHlc, isClockDrift, parseHlc, receive, tick, zeroHlc, type Hlc } from '../shared/sync/hlc.ts';
import { HubError } from './errors.ts';

/**
 * The hub's hybrid logical clock (node 'hub'). It observes every HLC a device sends, refusing one
 * stamped too far ahead, and stamps head-office edits and conflict resolutions after every HLC of
 * the row they touch — so those win a low-risk merge against anything already seen, even right
 * after a restart when this in-memory clock starts from zero.
 */
export class HubClock {
  private current: Hlc = zeroHlc('hub');

  constructor(
    readonly maxDriftMs = DEFAULT_MAX_DRIFT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a device's HLC into account, or throws CLOCK_DRIFT naming the change. */
  observe(hlc: string, opId: number): void {
    const remote = parseHlc(hlc);
    if (remote === null) throw new HubError('VALIDATION', `Change ${opId} carries a malformed HLC`);
    const merged = receive(this.current, remote, this.now(), this.maxDriftMs);
    if (isClockDrift(merged)) {
      const minutes = Math.round(merged.driftMs / 60_000);
      throw new HubError(
        'CLOCK_DRIFT',
        `Change ${opId} is stamped ${minutes} min ahead of the hub's clock (at most ${Math.round(this.maxDriftMs / 60_000)} min allowed). Correct the computer's date and time; nothing was lost and the upload resumes once the clocks agree.`,
        { opId, driftMs: merged.driftMs, maxDriftMs: this.maxDriftMs },
      );
    }
    this.current = merged;
  }

  /** A fresh HLC for a change the hub makes, after `seen` (the row's field HLCs). */
  stampAfter(seen: Iterable<string>): string {
    const now = this.now();
    for (const text of seen) {
      const remote = parseHlc(text);
      // Stored HLCs passed the drift check when they arrived; never refuse them here.
      if (remote !== null) this.current = receive(this.current, remote, now, Number.POSITIVE_INFINITY) as Hlc;
    }
    this.current = tick(this.current, now);
    return encodeHlc(this.current);
  }
}
