import { randomBytes } from 'node:crypto';

/**
 * Console sign-ins, kept in the hub's memory: the cookie carries a random id (32 bytes), never the
 * admin token, so a leaked cookie expires and dies with a restart or a sign-out. A session ends
 * after IDLE_MS without a page view and at the latest MAX_MS after sign-in.
 */
export const CONSOLE_IDLE_MS = 30 * 60_000;
export const CONSOLE_MAX_MS = 8 * 60 * 60_000;

interface Session<T> {
  startedAt: number;
  lastSeenAt: number;
  /** What the sign-in carries (a head-office user's id and CSRF token; nothing for the token console). */
  data: T;
}

export class ConsoleSessions<T = undefined> {
  private readonly sessions = new Map<string, Session<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  start(data: T = undefined as T): string {
    this.prune();
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    this.sessions.set(id, { startedAt: at, lastSeenAt: at, data });
    return id;
  }

  /** True for a live session (and it counts as activity); unknown or expired ids are refused. */
  touch(id: string | undefined): boolean {
    return this.get(id) !== undefined;
  }

  /** A live session's data (the call counts as activity); undefined for unknown or expired ids. */
  get(id: string | undefined): { data: T } | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = at;
    return { data: session.data };
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  private expired(session: Session<T>, at: number): boolean {
    return at - session.lastSeenAt > CONSOLE_IDLE_MS || at - session.startedAt > CONSOLE_MAX_MS;
  }

  private prune(): void {
    const at = this.now();
    for (const [id, session] of this.sessions) if (this.expired(session, at)) this.sessions.delete(id);
  }
}
