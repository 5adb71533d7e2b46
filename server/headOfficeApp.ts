import { randomBytes } from 'node:crypto';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { headOfficeMay, type HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import { readCookie, sameOrigin } from './console.ts';
import { ConsoleSessions } from './consoleSessions.ts';
import { HubError, parseWith } from './errors.ts';
import { appendHeadOfficeAudit, headOfficeAuditPage, headOfficeAuditWorkbook, verifyHeadOfficeAudit, type HeadOfficeActor } from './headOfficeAudit.ts';
import { createHeadOfficeUser, createHeadOfficeUserSchema, getHeadOfficeUser, listHeadOfficeUsers, signInHeadOfficeUser, signInSchema, type HeadOfficeUser } from './headOfficeUsers.ts';
import { bodyLimits, limitedTo, sameSecret, sendResult } from './http.ts';
import { publishReference } from './ledger.ts';
import { parseReferencePublication } from './referencePublication.ts';
import type { Storage } from './storage.ts';

/**
 * Head office as named people (issue 18): sign-in with a username and password, the session's id in
 * an HttpOnly, SameSite=Strict cookie (Secure under TLS) limited to /console, and a synchronizer
 * CSRF token — every state change needs the session, the token in `x-csrf-token` and the console's
 * own Origin. Sessions live in the hub's memory (consoleSessions.ts): one hub process serves head
 * office, a restart signing everyone out is the safe side, and no session secret sits in the
 * database for a backup to carry. Each request reloads the user, so a disabled account or a changed
 * role takes effect at once. Every action is audited (headOfficeAudit.ts).
 */
const COOKIE = 'gl_ho';
const API = '/console/api';

interface HeadOfficeSession {
  userId: string;
  csrfToken: string;
}

export interface HeadOfficeOptions {
  storage: Storage;
  tls: boolean;
  /** Route config limiting sign-in requests per address (server/attempts.ts). */
  unauthenticated: FastifyContextConfig;
  /** Publishes count in the hub's metrics like the admin API's. */
  onReferencePublished: () => void;
}

const auditQuerySchema = z.object({ page: z.coerce.number().int().min(1).catch(1) });
const AUDIT_PAGE = 100;

const actorOf = (user: HeadOfficeUser): HeadOfficeActor => ({ userId: user.id, userName: user.displayName });

export function registerHeadOffice(app: FastifyInstance, options: HeadOfficeOptions): void {
  const { storage, tls } = options;
  const sessions = new ConsoleSessions<HeadOfficeSession>();
  const cookie = (value: string, extra = '') => `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}${extra}`;

  app.register(async (api) => {
    const signedIn = async (request: FastifyRequest): Promise<{ user: HeadOfficeUser; session: HeadOfficeSession; id: string } | undefined> => {
      const id = readCookie(request, COOKIE);
      const session = sessions.get(id)?.data;
      if (id === undefined || session === undefined) return undefined;
      const user = await getHeadOfficeUser(storage, session.userId);
      if (user === undefined || user.disabled) {
        sessions.end(id);
        return undefined;
      }
      return { user, session, id };
    };

    /** The signed-in user with the permission; a state change also needs the CSRF token and Origin. */
    const authorize = async (request: FastifyRequest, permission: HeadOfficePermission | null) => {
      const found = await signedIn(request);
      if (found === undefined) throw new HubError('UNAUTHENTICATED', 'Not signed in to the head-office console');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const token = request.headers['x-csrf-token'];
        if (!sameOrigin(request, tls) || !sameSecret(typeof token === 'string' ? token : undefined, found.session.csrfToken)) {
          throw new HubError('FORBIDDEN', 'Missing or wrong CSRF token', { reason: 'CSRF' });
        }
      }
      if (permission !== null && !headOfficeMay(found.user.role, permission)) {
        await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'refused', recordType: 'permission', recordId: permission, after: { method: request.method, path: request.url.slice(0, 200) } }));
        throw new HubError('FORBIDDEN', `The role ${found.user.role} may not ${permission}`, { reason: 'ROLE', permission });
      }
      return found;
    };

    api.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    api.post(`${API}/session`, limitedTo(bodyLimits.consoleForm, options.unauthenticated), async (request, reply) => {
      // Sign-in has no session yet: the Origin check (and SameSite) keep another site's form out.
      if (!sameOrigin(request, tls)) throw new HubError('FORBIDDEN', 'Sign in from the console itself', { reason: 'ORIGIN' });
      const input = parseWith(signInSchema, request.body, 'sign-in');
      const user = await signInHeadOfficeUser(storage, input);
      const csrfToken = randomBytes(32).toString('base64url');
      reply.header('set-cookie', cookie(sessions.start({ userId: user.id, csrfToken })));
      return sendResult(reply, { ok: true, value: { user, csrfToken } });
    });

    api.get(`${API}/session`, async (request, reply) => {
      const found = await signedIn(request);
      if (found === undefined) throw new HubError('UNAUTHENTICATED', 'Not signed in to the head-office console');
      return sendResult(reply, { ok: true, value: { user: found.user, csrfToken: found.session.csrfToken } });
    });

    api.post(`${API}/session/logout`, limitedTo(bodyLimits.consoleForm), async (request, reply) => {
      const found = await authorize(request, null);
      sessions.end(found.id);
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'sign_out', recordType: 'head_office_user', recordId: found.user.id }));
      reply.header('set-cookie', cookie('', '; Max-Age=0'));
      return sendResult(reply, { ok: true, value: { signedOut: true } });
    });

    api.get(`${API}/users`, async (request, reply) => {
      await authorize(request, 'users.manage');
      return sendResult(reply, { ok: true, value: { users: await listHeadOfficeUsers(storage) } });
    });

    api.post(`${API}/users`, limitedTo(bodyLimits.admin), async (request, reply) => {
      const found = await authorize(request, 'users.manage');
      const input = parseWith(createHeadOfficeUserSchema, request.body, 'head-office user');
      return sendResult(reply, { ok: true, value: await createHeadOfficeUser(storage, actorOf(found.user), input) });
    });

    api.post<{ Params: { name: string } }>(`${API}/reference/:name`, limitedTo(bodyLimits.admin), async (request, reply) => {
      const found = await authorize(request, 'reference.publish');
      const { name, data } = parseReferencePublication(request.params.name, request.body);
      const published = await publishReference(storage, name, data, found.user.displayName, (tx, set) =>
        appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'reference.publish', recordType: 'reference_set', recordId: `${set.name}@${set.version}` }),
      );
      options.onReferencePublished();
      return sendResult(reply, { ok: true, value: published });
    });

    api.get<{ Querystring: unknown }>(`${API}/audit`, async (request, reply) => {
      await authorize(request, 'audit.read');
      const { page } = auditQuerySchema.parse(request.query);
      const [found, verification] = await Promise.all([headOfficeAuditPage(storage, AUDIT_PAGE, (page - 1) * AUDIT_PAGE), verifyHeadOfficeAudit(storage)]);
      return sendResult(reply, { ok: true, value: { ...found, page, verification } });
    });

    api.get(`${API}/audit.xlsx`, async (request, reply: FastifyReply) => {
      const found = await authorize(request, 'audit.read');
      const workbook = await headOfficeAuditWorkbook(storage);
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'audit.export', recordType: 'head_office_audit', recordId: null }));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="head-office-audit.xlsx"; filename*=UTF-8''${encodeURIComponent('总行审计日志.xlsx')}`)
        .send(workbook);
    });
  });
}

/**
 * Automation's way in (the admin token, checked by the admin scope): creating 总行管理员 accounts —
 * the first one at setup, another when every administrator is locked out or gone. Other roles are
 * created by a 总行管理员, signed in, so the trail names a person.
 */
export function registerHeadOfficeAdmin(admin: FastifyInstance, storage: Storage): void {
  const schema = createHeadOfficeUserSchema.extend({ role: z.literal('ho_admin') });
  admin.post('/admin/head-office/users', limitedTo(bodyLimits.admin), async (request, reply) => {
    const input = parseWith(schema, request.body, 'head-office administrator');
    return sendResult(reply, { ok: true, value: await createHeadOfficeUser(storage, { userId: null, userName: '管理员令牌' }, input) });
  });
}
