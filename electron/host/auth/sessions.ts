/**
 * Sessions live in the host process only: the renderer never holds a credential, just the
 * transport's session id (a window in desktop mode, an HttpOnly cookie in browser mode).
 */
export interface Session {
  userId: string;
  lastActivity: number;
  locked: boolean;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  get(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  signIn(sessionId: string, userId: string, now: Date): Session {
    const session = { userId, lastActivity: now.getTime(), locked: false };
    this.sessions.set(sessionId, session);
    return session;
  }

  signOut(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** Ends every session of a user (disabled account, password reset by an administrator). */
  signOutUser(userId: string): void {
    for (const [id, session] of this.sessions) if (session.userId === userId) this.sessions.delete(id);
  }

  /** After a restore every account may differ: everyone signs in again. */
  signOutAll(): void {
    this.sessions.clear();
  }

  /** Locks the session when it has been idle too long; returns whether it is (now) locked. */
  lockIfIdle(session: Session, now: Date, idleMinutes: number): boolean {
    if (!session.locked && now.getTime() - session.lastActivity > idleMinutes * 60_000) session.locked = true;
    return session.locked;
  }

  touch(session: Session, now: Date): void {
    session.lastActivity = now.getTime();
  }
}
