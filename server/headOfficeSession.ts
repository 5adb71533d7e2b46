import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { headOfficeMay, type HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import { sha256 } from './directory.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit, type HeadOfficeActor } from './headOfficeAudit.ts';
import { getHeadOfficeUser, type HeadOfficeUser } from './headOfficeUsers.ts';
import { sameSecret } from './http.ts';
import type { Storage } from './storage.ts';

/**
 * A head-office person's sign-in, one for the console's pages and its JSON API (/console/api): the
 * session's random id in the gl_ho cookie — HttpOnly, SameSite=Strict, limited to /console, Secure
 * under TLS — and a synchronizer CSRF token every state change must carry (the API in
 * `x-csrf-token`, a page's form in a hidden `_csrf` field) from the console's own Origin. The admin
 * token never signs anyone in here: it is automation's, for /admin and /metrics only. Each request
 * reloads the user, so a disabled account or a changed role takes effect at once.
 *
 * Sessions live in the hub's database (head_office_sessions, migration 0011), the cookie's id only
 * as its SHA-256, so every hub process on one database (HEADOFFICE_WORKERS) serves the same
 * sign-ins, and a sign-out or an expiry on one holds on all. A session ends after CONSOLE_IDLE_MS
 * without a request and at the latest CONSOLE_MAX_MS after sign-in.
 */
export const HEAD_OFFICE_COOKIE = 'gl_ho';
export const CONSOLE_IDLE_MS = 30 * 60_000;
export const CONSOLE_MAX_MS = 8 * 60 * 60_000;
/** How stale a session's recorded last activity may get before a request writes it again. */
export const CONSOLE_TOUCH_MS = 60_000;

export interface HeadOfficeSession {
  userId: string;
  csrfToken: string;
}

export interface SignedIn {
  user: HeadOfficeUser;
  session: HeadOfficeSession;
  id: string;
}

export const actorOf = (user: HeadOfficeUser): HeadOfficeActor => ({ userId: user.id, userName: user.displayName });

export function readCookie(request: FastifyRequest, cookieName: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== cookieName) continue;
    // A cookie the hub never set (a broken %-escape) is no session, not a 500.
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Same origin: the browser's Origin (or, without it, Sec-Fetch-Site) names this console. A form on
 * another site cannot sign a head-office person out, or in.
 */
export function sameOrigin(request: FastifyRequest, tls: boolean): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string') return origin === `${tls ? 'https' : 'http'}://${request.headers.host ?? ''}`;
  return request.headers['sec-fetch-site'] === 'same-origin';
}

export class HeadOfficeSessions {
  constructor(
    private readonly storage: Storage,
    readonly tls: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  cookie(value: string, extra = ''): string {
    return `${HEAD_OFFICE_COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict${this.tls ? '; Secure' : ''}${extra}`;
  }

  /** A new session for a user whose password was just checked: its Set-Cookie and CSRF token. */
  async start(user: HeadOfficeUser): Promise<{ setCookie: string; csrfToken: string }> {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const at = this.now();
    // Sign-ins are rare: each clears the sessions that have expired meanwhile, in the same round trip.
    await this.storage.query(
      `WITH pruned AS (DELETE FROM head_office_sessions WHERE last_seen_at < $5 OR started_at < $6)
       INSERT INTO head_office_sessions (id_hash, user_id, csrf_token, started_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
      [sha256(id), user.id, csrfToken, new Date(at), new Date(at - CONSOLE_IDLE_MS), new Date(at - CONSOLE_MAX_MS)],
    );
    return { setCookie: this.cookie(id), csrfToken };
  }

  async end(id: string): Promise<void> {
    await this.storage.query('DELETE FROM head_office_sessions WHERE id_hash = $1', [sha256(id)]);
  }

  /** The live session's user (the request counts as activity); undefined for an unknown, expired or disabled one. */
  async signedIn(request: FastifyRequest): Promise<SignedIn | undefined> {
    const id = readCookie(request, HEAD_OFFICE_COOKIE);
    if (id === undefined || id === '') return undefined;
    const at = this.now();
    // One statement: a live session is found and, when its last activity was written more than
    // CONSOLE_TOUCH_MS ago, takes this request as its last activity — a page view is a read, not a
    // write, for all but one request a minute (idle sign-out comes up to that much early).
    const [live] = await this.storage.query<{ user_id: string; csrf_token: string }>(
      `WITH live AS (
         SELECT id_hash, user_id, csrf_token, last_seen_at FROM head_office_sessions
         WHERE id_hash = $1 AND last_seen_at >= $3 AND started_at >= $4
       ), touched AS (
         UPDATE head_office_sessions s SET last_seen_at = $2 FROM live
         WHERE s.id_hash = live.id_hash AND live.last_seen_at < $5
       )
       SELECT user_id::text AS user_id, csrf_token FROM live`,
      [sha256(id), new Date(at), new Date(at - CONSOLE_IDLE_MS), new Date(at - CONSOLE_MAX_MS), new Date(at - CONSOLE_TOUCH_MS)],
    );
    if (live === undefined) return undefined;
    const user = await getHeadOfficeUser(this.storage, live.user_id);
    if (user === undefined || user.disabled) {
      await this.end(id);
      return undefined;
    }
    return { user, session: { userId: live.user_id, csrfToken: live.csrf_token }, id };
  }

  /**
   * The signed-in user with the permission (null: any signed-in user); a state change also needs
   * the console's Origin and the session's CSRF token, `csrf` as the request carried it. A role
   * that lacks the permission is refused and the refusal audited.
   */
  async authorize(request: FastifyRequest, permission: HeadOfficePermission | null, csrf: string | undefined): Promise<SignedIn> {
    const found = await this.signedIn(request);
    if (found === undefined) throw new HubError('UNAUTHENTICATED', 'Not signed in to the head-office console');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      if (!sameOrigin(request, this.tls) || !sameSecret(csrf, found.session.csrfToken)) throw new HubError('FORBIDDEN', 'Missing or wrong CSRF token', { reason: 'CSRF' });
    }
    if (permission !== null && !headOfficeMay(found.user.role, permission)) {
      await this.storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'refused', recordType: 'permission', recordId: permission, after: { method: request.method, path: request.url.slice(0, 200) } }));
      throw new HubError('FORBIDDEN', `The role ${found.user.role} may not ${permission}`, { reason: 'ROLE', permission });
    }
    return found;
  }
}
