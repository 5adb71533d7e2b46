import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AUDIT_EXPORT_PATH, AUDIT_PAGE_SIZE, consoleEndpoints, CSRF_HEADER } from '../shared/api/console.ts';
import type { HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import { registerSpecs } from './consoleRegisters.ts';
import { registerConsoleStatistics } from './consoleStatistics.ts';
import { registerConsoleReference } from './consoleReference.ts';
import { registerConsoleRegisterApi } from './consoleRegisterApi.ts';
import { listBranches } from './directory.ts';
import { HubError, parseWith } from './errors.ts';
import { appendHeadOfficeAudit, headOfficeAuditPage, headOfficeAuditWorkbook, verifyHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, sameOrigin, type HeadOfficeSessions } from './headOfficeSession.ts';
import { createHeadOfficeUser, createHeadOfficeUserSchema, listHeadOfficeUsers, signInHeadOfficeUser } from './headOfficeUsers.ts';
import { bodyLimits, limitedTo, sendResult, sendXlsx } from './http.ts';
import type { Storage } from './storage.ts';
import type { HubClock } from './clock.ts';
import { registerConsoleApprovalsApi } from './consoleApprovals.ts';
import { registerConsoleRecordsApi } from './consoleRecords.ts';

/**
 * Head office as named people (issue 18), the console's JSON API: sign-in with a username and
 * password into the session the console's pages share (headOfficeSession.ts) — every state change
 * needs the session, the CSRF token in `x-csrf-token` and the console's own Origin. Sessions live in
 * the hub's database with only a hash of the cookie's id (headOfficeSession.ts), so every hub process
 * on the database serves them. Every action is audited (headOfficeAudit.ts).
 */

export interface HeadOfficeOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
  /** Route config limiting sign-in requests per address (server/attempts.ts). */
  unauthenticated: FastifyContextConfig;
  /** Publishes count in the hub's metrics like the admin API's. */
  onReferencePublished: () => void;
  /** Stamps head office's writes (the hub's clock): decisions, ratings. */
  clock: HubClock;
}

const endpoint = consoleEndpoints;

export function registerHeadOffice(app: FastifyInstance, options: HeadOfficeOptions): void {
  const { storage, sessions } = options;

  app.register(async (api) => {
    const authorize = (request: FastifyRequest, permission: HeadOfficePermission | null) => {
      const token = request.headers[CSRF_HEADER];
      return sessions.authorize(request, permission, typeof token === 'string' ? token : undefined);
    };

    api.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    api.post(endpoint['session.signIn'].path, limitedTo(bodyLimits.consoleForm, options.unauthenticated), async (request, reply) => {
      // Sign-in has no session yet: the Origin check (and SameSite) keep another site's form out.
      if (!sameOrigin(request, sessions.tls)) throw new HubError('FORBIDDEN', 'Sign in from the console itself', { reason: 'ORIGIN' });
      const input = parseWith(endpoint['session.signIn'].input, request.body, 'sign-in');
      const user = await signInHeadOfficeUser(storage, input);
      const { setCookie, csrfToken } = await sessions.start(user);
      reply.header('set-cookie', setCookie);
      return sendResult(reply, { ok: true, value: { user, csrfToken } });
    });

    api.get(endpoint['session.get'].path, async (request, reply) => {
      const found = await sessions.signedIn(request);
      if (found === undefined) throw new HubError('UNAUTHENTICATED', 'Not signed in to the head-office console');
      return sendResult(reply, { ok: true, value: { user: found.user, csrfToken: found.session.csrfToken } });
    });

    api.post(endpoint['session.signOut'].path, limitedTo(bodyLimits.consoleForm), async (request, reply) => {
      const found = await authorize(request, null);
      parseWith(endpoint['session.signOut'].input, request.body ?? {}, 'sign-out');
      await sessions.end(found.id);
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'sign_out', recordType: 'head_office_user', recordId: found.user.id }));
      reply.header('set-cookie', sessions.cookie('', '; Max-Age=0'));
      return sendResult(reply, { ok: true, value: { signedOut: true } });
    });

    // 支行与设备: every head-office role reads it (the page the console opens on).
    api.get(endpoint['branches.list'].path, async (request, reply) => {
      await authorize(request, null);
      return sendResult(reply, { ok: true, value: { branches: await listBranches(storage) } });
    });

    // The registers whose table syncs (a register appears once its table is registered), for the app's navigation.
    api.get(endpoint['registers.list'].path, async (request, reply) => {
      await authorize(request, 'registers.read');
      const registers = Object.entries(registerSpecs)
        .filter(([table]) => isSyncTable(table))
        .map(([table, spec]) => ({ table, title: spec.title }));
      return sendResult(reply, { ok: true, value: { registers } });
    });

    registerConsoleRegisterApi(api, { storage, authorize });

    api.get(endpoint['users.list'].path, async (request, reply) => {
      await authorize(request, 'users.manage');
      return sendResult(reply, { ok: true, value: { users: await listHeadOfficeUsers(storage) } });
    });

    api.post(endpoint['users.create'].path, limitedTo(bodyLimits.admin), async (request, reply) => {
      const found = await authorize(request, 'users.manage');
      const input = parseWith(endpoint['users.create'].input, request.body, 'head-office user');
      return sendResult(reply, { ok: true, value: await createHeadOfficeUser(storage, actorOf(found.user), input) });
    });

    // 参考数据: the sets, their previews and publishing (consoleReference.ts).
    registerConsoleReference(api, { storage, authorize, onReferencePublished: options.onReferencePublished });

    // 统计: the cross-branch statistics and their export (consoleStatistics.ts).
    registerConsoleStatistics(api, { storage, sessions });

    // 记录与历史 and 审批队列: their endpoints live with their pages' server modules.
    registerConsoleRecordsApi(api, { storage, clock: options.clock, authorize });
    registerConsoleApprovalsApi(api, { storage, clock: options.clock, authorize });

    api.get<{ Querystring: unknown }>(endpoint['audit.page'].path, async (request, reply) => {
      await authorize(request, 'audit.read');
      const { page } = parseWith(endpoint['audit.page'].input, request.query, 'audit page');
      const [found, verification] = await Promise.all([headOfficeAuditPage(storage, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE), verifyHeadOfficeAudit(storage)]);
      return sendResult(reply, { ok: true, value: { ...found, page, verification } });
    });

    api.get(AUDIT_EXPORT_PATH, async (request, reply: FastifyReply) => {
      const found = await authorize(request, 'audit.read');
      const workbook = await headOfficeAuditWorkbook(storage);
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(found.user), { action: 'audit.export', recordType: 'head_office_audit', recordId: null }));
      return sendXlsx(reply, 'head-office-audit.xlsx', '总行审计日志.xlsx', workbook);
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
