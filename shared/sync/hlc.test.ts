import { describe, expect, it } from 'vitest';
import { compareHlc, encodeHlc, isClockDrift, parseHlc, receive, tick, zeroHlc, type Hlc } from './hlc.ts';

const at = (ms: number, counter: number, node = 'a'): Hlc => ({ ms, counter, node });
const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z

describe('tick (a local write)', () => {
  it.each([
    ['wall clock moved on: counter resets', at(T, 5), T + 10, at(T + 10, 0)],
    ['same millisecond: counter counts', at(T, 5), T, at(T, 6)],
    ['wall clock went backwards (NTP step): stays ahead, counter counts', at(T, 5), T - 3_000, at(T, 6)],
    ['counter full: moves on a millisecond instead of overflowing', at(T, 99_999), T, at(T + 1, 0)],
    ['from zero', zeroHlc('a'), T, at(T, 0)],
  ])('%s', (_case, local, now, expected) => {
    expect(tick(local, now)).toEqual(expected);
  });

  it('is strictly increasing whatever the wall clock does', () => {
    let clock = zeroHlc('n1');
    const walls = [T, T, T + 1, T - 500, T - 500, T + 2, T + 2, T + 1_000, T];
    const stamps = walls.map((now) => (clock = tick(clock, now)));
    for (let i = 1; i < stamps.length; i += 1) expect(compareHlc(stamps[i - 1] as Hlc, stamps[i] as Hlc)).toBeLessThan(0);
  });
});

describe('receive (a remote change)', () => {
  it.each([
    ['remote ahead of both: takes remote, counter + 1', at(T, 1), at(T + 50, 7, 'b'), T + 10, at(T + 50, 8)],
    ['local ahead of both: keeps local, counter + 1', at(T + 50, 3), at(T, 9, 'b'), T + 10, at(T + 50, 4)],
    ['all equal: max counter + 1', at(T, 3), at(T, 9, 'b'), T, at(T, 10)],
    ['wall clock ahead of both: counter resets', at(T, 3), at(T + 1, 9, 'b'), T + 100, at(T + 100, 0)],
    ['remote ahead but within the allowed drift', at(T, 0), at(T + 4 * 60_000, 2, 'b'), T, at(T + 4 * 60_000, 3)],
  ])('%s', (_case, local, remote, now, expected) => {
    expect(receive(local, remote, now)).toEqual(expected);
  });

  it.each([
    ['10 minutes ahead with the default 5 min allowance', T + 10 * 60_000, undefined, 10 * 60_000],
    ['2 s ahead with a 1 s allowance', T + 2_000, 1_000, 2_000],
  ])('reports a remote clock too far ahead as CLOCK_DRIFT: %s', (_case, remoteMs, maxDriftMs, driftMs) => {
    const result = receive(at(T, 0), at(remoteMs, 0, 'b'), T, maxDriftMs);
    expect(isClockDrift(result)).toBe(true);
    expect(result).toEqual({ error: 'CLOCK_DRIFT', driftMs });
  });

  it('orders a reply after the message it answers (happened-before)', () => {
    const sent = tick(zeroHlc('laptop'), T + 60_000); // the laptop's clock is a minute fast
    const hub = receive(zeroHlc('hub'), sent, T) as Hlc;
    const reply = tick(hub, T + 1);
    expect(compareHlc(sent, reply)).toBeLessThan(0);
  });
});

describe('encoding', () => {
  it('round-trips and is fixed-width up to the node id', () => {
    const clock = at(T, 42, '0190b5a0-0000-7000-8000-000000000001');
    const text = encodeHlc(clock);
    expect(text).toBe('001767225600000:00042:0190b5a0-0000-7000-8000-000000000001');
    expect(parseHlc(text)).toEqual(clock);
  });

  it('sorts as strings exactly as the clocks compare', () => {
    const clocks = [at(T, 0, 'b'), at(T + 1, 0, 'a'), at(T, 1, 'a'), at(T, 0, 'a'), at(9, 0, 'z'), at(T * 10, 0, 'a'), at(T, 10, 'a'), at(T, 2, 'a')];
    const byString = [...clocks].map(encodeHlc).sort();
    const byClock = [...clocks].sort(compareHlc).map(encodeHlc);
    expect(byString).toEqual(byClock);
  });

  it.each([['yesterday'], ['1767225600000:00001:a'], ['001767225600000:1:a'], ['001767225600000:00001:'], ['001767225600000:00001:a:b'], ['001767225600000:00001:a b']])(
    'refuses %s',
    (text) => {
      expect(parseHlc(text)).toBeNull();
    },
  );

  it('refuses a node id that would break the encoding', () => {
    expect(() => zeroHlc('a:b')).toThrow();
    expect(() => zeroHlc('')).toThrow();
  });
});
