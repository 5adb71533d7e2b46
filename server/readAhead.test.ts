import { describe, expect, it } from 'vitest';
import { pullKey, ReadAhead } from './readAhead.ts';

describe('ReadAhead', () => {
  const window = { since: 100, limit: 2500, referenceVersions: { b: 2, a: 1 } };

  it('hands a prepared page to the device it was prepared for, for the same request, once', async () => {
    const ahead = new ReadAhead<string>();
    ahead.offer('device-1', pullKey('branch', window), async () => 'page 2');
    expect(ahead.take('device-2', pullKey('branch', window))).toBeUndefined();
    expect(await ahead.take('device-1', pullKey('branch', { ...window, referenceVersions: { a: 1, b: 2 } }))).toBe('page 2');
    expect(ahead.take('device-1', pullKey('branch', window))).toBeUndefined();
  });

  it('drops a page asked for with another window, or too late', () => {
    let now = 0;
    const ahead = new ReadAhead<string>(1_000, 10, () => now);
    ahead.offer('device-1', pullKey('branch', window), async () => 'page 2');
    expect(ahead.take('device-1', pullKey('branch', { ...window, since: 99 }))).toBeUndefined();
    expect(ahead.take('device-1', pullKey('branch', window))).toBeUndefined();
    ahead.offer('device-1', pullKey('branch', window), async () => 'page 2');
    now = 1_000;
    expect(ahead.take('device-1', pullKey('branch', window))).toBeUndefined();
  });

  it('prepares for at most maxDevices devices at once, and forgets expired pages', () => {
    let now = 0;
    const ahead = new ReadAhead<string>(1_000, 2, () => now);
    for (const device of ['a', 'b', 'c']) ahead.offer(device, 'k', async () => device);
    expect(ahead.size).toBe(2);
    now = 2_000;
    ahead.offer('c', 'k', async () => 'c');
    expect(ahead.size).toBe(1);
  });

  it('leaves no unhandled rejection when preparing fails', async () => {
    const ahead = new ReadAhead<string>();
    ahead.offer('device-1', 'k', async () => {
      throw new Error('database gone');
    });
    await expect(ahead.take('device-1', 'k')).rejects.toThrow('database gone');
  });

  it("forgets a device's prepared page when the device changes something", () => {
    const ahead = new ReadAhead<string>();
    ahead.offer('device-1', 'k', async () => 'page 2');
    ahead.forget('device-1');
    expect(ahead.take('device-1', 'k')).toBeUndefined();
  });
});
