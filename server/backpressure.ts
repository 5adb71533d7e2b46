import type { FastifyReply } from 'fastify';
import { HubError } from './errors.ts';

export interface AdmissionOptions {
  /** Device requests handled at once. */
  max: number;
  /** Requests that may wait for a slot, first come first served; 0: one over `max` is refused at once. */
  queueLength?: number;
  /** The longest a request waits for a slot; one whose expected wait is longer is refused at once. */
  maxWaitMs?: number;
  /** The Retry-After of a refusal when the drain rate is not known yet (seconds). */
  retryAfterSeconds?: number;
  now?: () => number;
}

/** Below the laptop's own request time-out (30 s) with room for the handling after the wait. */
export const DEFAULT_ADMISSION_WAIT_MS = 10_000;
export const DEFAULT_ADMISSION_QUEUE = 512;
/** The laptop sits out a Retry-After up to 30 s (electron/host/sync/hubClient.ts); the hub never asks for more than this. */
const MAX_RETRY_AFTER_S = 20;
/** Completions remembered for the drain rate: enough to smooth one slow push among quick hellos. */
const RATE_WINDOW = 64;
/** A drain rate older than this says nothing about now (the hub was idle). */
const RATE_STALE_MS = 5_000;

interface Waiter {
  reply: FastifyReply;
  lane: Waiter[];
  since: number;
  admit: () => void;
  refuse: (error: HubError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Admission for the device API: at most `max` device requests are handled at once; the next ones
 * wait in a bounded queue, first come first served within each lane (requests of a sync under way
 * before new hellos, `admit`), before their token is looked up (a waiting request
 * costs the hub a socket, no database time), and take a slot as one comes free. A request is refused
 * with 429 RATE_LIMITED and Retry-After only when the queue is full or its expected wait (the requests
 * ahead of it over the rate the hub has been finishing them) is longer than `maxWaitMs`, or when it
 * has waited that long after all.
 *
 * Why a queue rather than refusing at once (bench sync.burst): a laptop refused waits Retry-After plus
 * a growing jitter, and meanwhile laptops arriving later take the slots it would have had — the hub's
 * work is done in no fair order, and a refused laptop falls further behind with every refusal, which
 * made the burst's p99 four times its median. Waiting in order, the hub works through the burst as it
 * arrives and each laptop's latency is the backlog ahead of it. The Retry-After of a refusal is when
 * the queue is expected to have drained to half its bound again, and successive refusals are told
 * times one drain interval apart, so refused laptops come back spread at the rate the hub can take
 * them rather than together a second later; the laptop adds its jitter (hubClient.ts) on top.
 */
export class InFlightLimit {
  readonly max: number;
  readonly queueLength: number;
  readonly maxWaitMs: number;
  private readonly fallbackRetryAfterS: number;
  private readonly now: () => number;
  private current = 0;
  /** Requests of a sync already under way (push, pull after a hello): served before `opening`. */
  private readonly continuing: Waiter[] = [];
  /** Requests that open a sync (hello). */
  private readonly opening: Waiter[] = [];
  /** Times of the last RATE_WINDOW completions (ring). */
  private readonly done: number[] = [];
  private doneAt = 0;
  /** The time up to which refused requests have been told to come back. */
  private promisedUntil = 0;
  /** Requests refused as busy since start (also counted under RATE_LIMITED in the error metric). */
  refused = 0;
  /** The most requests that were in flight at once. */
  peak = 0;
  /** Requests that waited in the queue, the most that waited at once, and their waits' sum and maximum. */
  queued = 0;
  queuePeak = 0;
  waitedMsTotal = 0;
  waitedMsMax = 0;

  constructor(options: AdmissionOptions | number) {
    const { max, queueLength = 0, maxWaitMs = DEFAULT_ADMISSION_WAIT_MS, retryAfterSeconds = 1, now = () => performance.now() } = typeof options === 'number' ? { max: options } : options;
    if (!Number.isInteger(max) || max < 1) throw new Error('The in-flight limit must be a whole number ≥ 1');
    if (!Number.isInteger(queueLength) || queueLength < 0) throw new Error('The admission queue length must be a whole number ≥ 0');
    if (!(maxWaitMs > 0)) throw new Error('The admission wait must be positive');
    this.max = max;
    this.queueLength = queueLength;
    this.maxWaitMs = maxWaitMs;
    this.fallbackRetryAfterS = retryAfterSeconds;
    this.now = now;
  }

  get inFlight(): number {
    return this.current;
  }

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.continuing.length + this.opening.length;
  }

  /** Requests finished per ms lately, or null when too few finished lately to say. */
  drainRate(): number | null {
    const n = this.done.length;
    if (n < 8) return null;
    const newest = this.done[(this.doneAt - 1 + n) % n] as number;
    const oldest = n < RATE_WINDOW ? (this.done[0] as number) : (this.done[this.doneAt] as number);
    const now = this.now();
    if (now - newest > RATE_STALE_MS) return null;
    // Up to now, not to the newest completion: a hub that has stopped finishing is draining slowly.
    const span = Math.max(now, newest) - oldest;
    return span > 0 ? (n - 1) / span : null;
  }

  /**
   * Admits the request (at once, or after its turn in the queue) or refuses it as busy. An admitted
   * request holds its slot until its response is finished or its connection closed, whichever comes
   * first ('close' fires in both cases, once); a waiting request whose connection closes leaves the queue.
   *
   * `continuing`: the request belongs to a sync the hub has already let start (a push or pull after
   * its hello). Those go ahead of new hellos: a laptop's morning is three requests, and taking each in
   * plain arrival order would make every laptop under way queue again behind every laptop that
   * arrived since, so all of them finish late; finishing what was started first makes the burst's
   * latency that of the laptops ahead of it, not of those behind. Hellos cannot be starved for long:
   * each started sync has only a few requests left.
   */
  admit(reply: FastifyReply, continuing = false): void | Promise<void> {
    const lane = continuing ? this.continuing : this.opening;
    const ahead = continuing ? this.continuing.length : this.waiting;
    if (this.current < this.max && ahead === 0) {
      this.take(reply);
      return;
    }
    if (this.waiting >= this.queueLength) throw this.refusal(reply);
    const rate = this.drainRate();
    if (rate !== null && (ahead + 1) / rate > this.maxWaitMs) throw this.refusal(reply);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        reply,
        lane,
        since: this.now(),
        admit: resolve,
        refuse: reject,
        // Waited the whole bound after all (the estimate was wrong): refused with the answer of now.
        timer: setTimeout(() => {
          if (this.leave(waiter)) waiter.refuse(this.refusal(reply));
        }, this.maxWaitMs),
      };
      lane.push(waiter);
      this.queued += 1;
      this.queuePeak = Math.max(this.queuePeak, this.waiting);
      reply.raw.once('close', () => {
        if (this.leave(waiter)) waiter.refuse(new HubError('RATE_LIMITED', 'The request went away while it waited', { busy: true }));
      });
    });
  }

  /** Takes a waiter out of the queue; false when it is no longer there (admitted, refused or gone). */
  private leave(waiter: Waiter): boolean {
    const at = waiter.lane.indexOf(waiter);
    if (at < 0) return false;
    waiter.lane.splice(at, 1);
    clearTimeout(waiter.timer);
    return true;
  }

  private take(reply: FastifyReply): void {
    this.current += 1;
    this.peak = Math.max(this.peak, this.current);
    reply.raw.once('close', () => this.release());
  }

  private release(): void {
    this.current -= 1;
    const now = this.now();
    if (this.done.length < RATE_WINDOW) this.done.push(now);
    else this.done[this.doneAt] = now;
    this.doneAt = (this.doneAt + 1) % RATE_WINDOW;
    const next = this.continuing.shift() ?? this.opening.shift();
    if (next === undefined) return;
    clearTimeout(next.timer);
    const waited = now - next.since;
    this.waitedMsTotal += waited;
    this.waitedMsMax = Math.max(this.waitedMsMax, waited);
    this.take(next.reply);
    next.admit();
  }

  /** The busy answer, with a Retry-After of when this request is expected to find room. */
  private refusal(reply: FastifyReply): HubError {
    this.refused += 1;
    const seconds = this.retryAfterSeconds();
    reply.header('retry-after', String(seconds));
    return new HubError('RATE_LIMITED', `Head office is busy; try again in ${seconds} s`, { retryAfterSeconds: seconds, busy: true });
  }

  private retryAfterSeconds(): number {
    const rate = this.drainRate();
    if (rate === null) return this.fallbackRetryAfterS;
    const now = this.now();
    const interval = 1 / rate;
    // Its turn if it had waited: after the queue ahead and after those refused before it were told to come.
    const turn = Math.max(now + this.waiting * interval, this.promisedUntil);
    this.promisedUntil = turn + interval;
    // Back while the queue still holds half a bound of work, so the hub does not run dry waiting for it
    // (without a queue: at its turn).
    const headroom = this.queueLength === 0 ? 0 : this.maxWaitMs / 2;
    const seconds = Math.ceil((turn - now - headroom) / 1000);
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, seconds));
  }
}
