/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): wall-clock milliseconds
 * plus a counter, so that every change a laptop or the hub stamps is ordered after everything that
 * node has seen, even when wall clocks disagree a little. The encoded form sorts lexicographically
 * in causal order, which is what the hub's per-field last-writer-wins merge and the audit trail
 * compare. Pure functions: the caller owns the state and the clock reading.
 */

export interface Hlc {
  /** Physical component, Unix milliseconds. */
  ms: number;
  /** Logical counter within one millisecond. */
  counter: number;
  /** Tie-breaker: the client id of the laptop, or 'hub'. */
  node: string;
}

export interface ClockDriftError {
  error: 'CLOCK_DRIFT';
  /** How far the remote clock is ahead of ours, in ms. */
  driftMs: number;
}

/** A remote clock further ahead than this is refused rather than dragging everyone's clock forward. */
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;

const MS_WIDTH = 15;
const COUNTER_WIDTH = 5;
const MAX_COUNTER = 10 ** COUNTER_WIDTH - 1;
const NODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ENCODED_PATTERN = /^(\d{15}):(\d{5}):([A-Za-z0-9_-]{1,64})$/;

/** Zero-padded `ms:counter:node`, e.g. `001767225600000:00003:hub`: string order is clock order. */
export function encodeHlc(clock: Hlc): string {
  return `${String(clock.ms).padStart(MS_WIDTH, '0')}:${String(clock.counter).padStart(COUNTER_WIDTH, '0')}:${clock.node}`;
}

export function parseHlc(text: string): Hlc | null {
  const match = ENCODED_PATTERN.exec(text);
  if (match === null) return null;
  return { ms: Number(match[1]), counter: Number(match[2]), node: match[3] as string };
}

export const isHlc = (text: string): boolean => ENCODED_PATTERN.test(text);

/** Negative, zero or positive like Array.prototype.sort expects; equal to comparing the encodings. */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

export function zeroHlc(node: string): Hlc {
  if (!NODE_PATTERN.test(node)) throw new Error(`HLC node id must match ${NODE_PATTERN}: ${JSON.stringify(node)}`);
  return { ms: 0, counter: 0, node };
}

/**
 * A counter overflow (100 000 events inside one millisecond) moves the physical part on by one
 * millisecond instead of failing: order is kept and the lead over the wall clock stays tiny.
 */
function normalise(ms: number, counter: number, node: string): Hlc {
  return counter > MAX_COUNTER ? { ms: ms + 1, counter: 0, node } : { ms, counter, node };
}

/** A local event (a write to stamp): the next clock value after `local` at wall time `now`. */
export function tick(local: Hlc, now: number): Hlc {
  if (now > local.ms) return { ms: now, counter: 0, node: local.node };
  return normalise(local.ms, local.counter + 1, local.node);
}

/**
 * Merges a remote clock value into ours (on receiving a change). The result is after both `local`
 * and `remote`. A remote clock more than `maxDriftMs` ahead of our wall clock is reported as an
 * error value and leaves our clock untouched, so one laptop with a wrong date cannot push every
 * later edit's timestamp into the future.
 */
export function receive(local: Hlc, remote: Hlc, now: number, maxDriftMs = DEFAULT_MAX_DRIFT_MS): Hlc | ClockDriftError {
  const driftMs = remote.ms - now;
  if (driftMs > maxDriftMs) return { error: 'CLOCK_DRIFT', driftMs };
  const ms = Math.max(local.ms, remote.ms, now);
  let counter: number;
  if (ms === local.ms && ms === remote.ms) counter = Math.max(local.counter, remote.counter) + 1;
  else if (ms === local.ms) counter = local.counter + 1;
  else if (ms === remote.ms) counter = remote.counter + 1;
  else counter = 0;
  return normalise(ms, counter, local.node);
}

export const isClockDrift = (value: Hlc | ClockDriftError): value is ClockDriftError => 'error' in value;
