import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { headOfficeMay, type HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import { ConsoleSessions } from './consoleSessions.ts';
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
 */
export const HEAD_OFFICE_COOKIE = 'gl_ho';

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
  private readonly sessions = new ConsoleSessions<HeadOfficeSession>();

  constructor(
    private readonly storage: Storage,
    readonly tls: boolean,
  ) {}

  cookie(value: string, extra = ''): string {
    return `${HEAD_OFFICE_COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict${this.tls ? '; Secure' : ''}${extra}`;
  }

  /** A new session for a user whose password was just checked: its Set-Cookie and CSRF token. */
  start(user: HeadOfficeUser): { setCookie: string; csrfToken: string } {
    const csrfToken = randomBytes(32).toString('base64url');
    return { setCookie: this.cookie(this.sessions.start({ userId: user.id, csrfToken })), csrfToken };
  }

  end(id: string): void {
    this.sessions.end(id);
  }

  async signedIn(request: FastifyRequest): Promise<SignedIn | undefined> {
    const id = readCookie(request, HEAD_OFFICE_COOKIE);
    const session = this.sessions.get(id)?.data;
    if (id === undefined || session === undefined) return undefined;
    const user = await getHeadOfficeUser(this.storage, session.userId);
    if (user === undefined || user.disabled) {
      this.sessions.end(id);
      return undefined;
    }
    return { user, session, id };
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
