import type { FastifyReply } from 'fastify';
import { HubError } from './errors.ts';

/**
 * Backpressure for the device API: at most `max` device requests are handled at once. One more is
 * refused at once — before its token is looked up, so a saturated hub spends no database time on
 * it — with 429 RATE_LIMITED and Retry-After, which the laptop's sync client waits out with
 * jittered exponential backoff (electron/host/sync/hubClient.ts). A morning burst of 2,000 laptops
 * then queues at the laptops, spread by their jitter, instead of as sockets and pool waiters at the
 * hub that time out after 30 s and come back all together (bench sync.burst).
 */
export class InFlightLimit {
  private current = 0;
  /** Requests refused as busy since start (also counted under RATE_LIMITED in the error metric). */
  refused = 0;
  /** The most requests that were in flight at once. */
  peak = 0;

  constructor(
    readonly max: number,
    /** What Retry-After says: the laptop waits at least this long, plus its jitter. */
    readonly retryAfterSeconds = 1,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new Error('The in-flight limit must be a whole number ≥ 1');
  }

  get inFlight(): number {
    return this.current;
  }

  /**
   * Admits the request or throws the busy refusal. An admitted request is let go when its response
   * is finished or its connection closed, whichever comes first ('close' fires in both cases, once).
   */
  admit(reply: FastifyReply): void {
    if (this.current >= this.max) {
      this.refused += 1;
      reply.header('retry-after', String(this.retryAfterSeconds));
      throw new HubError('RATE_LIMITED', `Head office is busy; try again in ${this.retryAfterSeconds} s`, { retryAfterSeconds: this.retryAfterSeconds, busy: true });
    }
    this.current += 1;
    this.peak = Math.max(this.peak, this.current);
    reply.raw.once('close', () => {
      this.current -= 1;
    });
  }
}
