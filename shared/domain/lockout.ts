/**
 * Password lockout, one rule for a branch laptop's users (electron/host/handlers/identity.ts) and
 * head office's (server/headOfficeUsers.ts): after MAX_FAILED_ATTEMPTS wrong passwords in a row the
 * account is locked for LOCKOUT_MINUTES; the count starts again once a lock has been applied.
 */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;

export interface PasswordThrottle {
  failedAttempts: number;
  /** ISO instant, or null when not locked. */
  lockedUntil: string | null;
}

/** The instant the account is locked until, or null when it may try a password now. */
export function activeLock(throttle: PasswordThrottle, now: Date): string | null {
  return throttle.lockedUntil !== null && throttle.lockedUntil > now.toISOString() ? throttle.lockedUntil : null;
}

export interface WrongPassword {
  /** The throttle to store. */
  next: PasswordThrottle;
  /** This wrong password's number in the current run (1…MAX_FAILED_ATTEMPTS). */
  attempt: number;
  locks: boolean;
  remainingAttempts: number;
}

/** One more wrong password: counts towards the lock, and locks on the last allowed one. */
export function afterWrongPassword(throttle: PasswordThrottle, now: Date): WrongPassword {
  const attempt = (throttle.lockedUntil !== null ? 0 : throttle.failedAttempts) + 1;
  const locks = attempt >= MAX_FAILED_ATTEMPTS;
  const lockedUntil = locks ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
  return { next: { failedAttempts: locks ? 0 : attempt, lockedUntil }, attempt, locks, remainingAttempts: MAX_FAILED_ATTEMPTS - attempt };
}
