import { randomBytes } from 'node:crypto';

/**
 * Sessions live in the host process only: the renderer never holds a credential, just the
 * transport's session id (a window in desktop mode, an HttpOnly cookie in browser mode).
 */
export interface Session {
  userId: string;
  lastActivity: number;
  locked: boolean;
}

/**
 * How a call names its session. A transport whose id a client could choose or learn before sign-in
 * (the browser cookie) also gives `renewSessionId`, which issues a fresh id to that client: login
 * and unlock move the session to it, so an id planted or seen beforehand is worthless afterwards
 * (session fixation). The desktop window id is assigned by the main process and has none.
 */
export interface SessionHandle {
  sessionId: string;
  renewSessionId?: () => string;
}

/** How long a named attachment URL (attachments.link) opens its file: the viewer loads it at once. */
export const ATTACHMENT_LINK_MS = 10 * 60_000;

/** What a named attachment URL stands for: one attachment, for one signed-in session, for a while. */
export interface AttachmentLink {
  attachmentId: string;
  sessionId: string;
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly links = new Map<string, AttachmentLink>();

  get(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  /** Signs the user in under a fresh id where the transport can issue one; returns the id in use. */
  signIn(call: SessionHandle, userId: string, now: Date): string {
    this.sessions.delete(call.sessionId);
    const sessionId = call.renewSessionId?.() ?? call.sessionId;
    this.sessions.set(sessionId, { userId, lastActivity: now.getTime(), locked: false });
    return sessionId;
  }

  /** Moves a session to a fresh id where the transport can issue one (unlock); returns the id in use. */
  renew(call: SessionHandle): string {
    const session = this.sessions.get(call.sessionId);
    if (session === undefined || call.renewSessionId === undefined) return call.sessionId;
    this.sessions.delete(call.sessionId);
    const sessionId = call.renewSessionId();
    this.sessions.set(sessionId, session);
    return sessionId;
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

  /**
   * A ticket for a URL that names the file (/files/<ticket>/<name>): a viewer's GET carries no
   * launch token or window id, so the unguessable ticket stands for the session that asked for it.
   */
  issueLink(sessionId: string, attachmentId: string, now: Date): string {
    for (const [ticket, link] of this.links) if (link.expiresAt <= now.getTime()) this.links.delete(ticket);
    const ticket = randomBytes(24).toString('base64url');
    this.links.set(ticket, { attachmentId, sessionId, expiresAt: now.getTime() + ATTACHMENT_LINK_MS });
    return ticket;
  }

  /** The link of a ticket while it is valid and its session still signed in; undefined otherwise. */
  resolveLink(ticket: string, now: Date): AttachmentLink | undefined {
    const link = this.links.get(ticket);
    if (link === undefined) return undefined;
    if (link.expiresAt <= now.getTime() || !this.sessions.has(link.sessionId)) {
      this.links.delete(ticket);
      return undefined;
    }
    return link;
  }
}
