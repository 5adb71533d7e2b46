import { describe, expect, it } from 'vitest';
import { activeLock, afterWrongPassword, LOCKOUT_MINUTES, MAX_FAILED_ATTEMPTS, type PasswordThrottle } from './lockout.ts';

describe('password lockout', () => {
  const now = new Date('2026-12-02T08:00:00.000Z');

  it(`locks on the ${MAX_FAILED_ATTEMPTS}th wrong password in a row for ${LOCKOUT_MINUTES} minutes`, () => {
    let throttle: PasswordThrottle = { failedAttempts: 0, lockedUntil: null };
    for (let attempt = 1; attempt < MAX_FAILED_ATTEMPTS; attempt += 1) {
      const wrong = afterWrongPassword(throttle, now);
      expect(wrong).toMatchObject({ attempt, locks: false, remainingAttempts: MAX_FAILED_ATTEMPTS - attempt });
      throttle = wrong.next;
    }
    const last = afterWrongPassword(throttle, now);
    expect(last.locks).toBe(true);
    expect(last.next).toEqual({ failedAttempts: 0, lockedUntil: '2026-12-02T08:15:00.000Z' });
    expect(activeLock(last.next, new Date('2026-12-02T08:14:59.999Z'))).toBe('2026-12-02T08:15:00.000Z');
    expect(activeLock(last.next, new Date('2026-12-02T08:15:00.000Z'))).toBeNull();
  });

  it('starts counting afresh after a lock has been applied', () => {
    const wrong = afterWrongPassword({ failedAttempts: 0, lockedUntil: '2026-12-02T07:00:00.000Z' }, now);
    expect(wrong).toMatchObject({ attempt: 1, locks: false, next: { failedAttempts: 1, lockedUntil: null } });
  });
});
