import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { headOfficeRoleLabels, headOfficeRoles, type HeadOfficeRole } from '../shared/domain/headOfficeRoles.ts';
import { yuanToFen } from '../shared/domain/money.ts';
import { beijing, escape, html, page } from './consolePage.ts';
import { text, textOr, wanYuanText, type ConsoleTextKey } from './consoleText.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, sameOrigin, type HeadOfficeSessions, type SignedIn } from './headOfficeSession.ts';
import { createHeadOfficeUser, createHeadOfficeUserSchema, listHeadOfficeUsers, signInHeadOfficeUser, signInSchema, type HeadOfficeUser } from './headOfficeUsers.ts';
import { bodyLimits, limitedTo } from './http.ts';
import type { Storage } from './storage.ts';

/**
 * The console's sign-in and head office's people, as pages: a head-office person signs in with
 * their username and password (never the admin token, which stays automation's), and a 总行管理员
 * opens accounts — a 总行审批人 with their approval limit in 万元. Wrong passwords count towards the
 * account's lockout (headOfficeUsers.ts), and every refusal reads in Chinese.
 */
export interface ConsoleSignInOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
  unauthenticated: FastifyContextConfig;
}

type Form = Record<string, string | undefined>;

/** The hidden field a page's form carries its session's CSRF token in. */
export const csrfField = (signedIn: SignedIn) => `<input type="hidden" name="_csrf" value="${escape(signedIn.session.csrfToken)}">`;

/**
 * The person behind a page: signed in, with the permission and — for a form's POST — the session's
 * CSRF token and the console's Origin; else the page that says why (sign-in, or a refusal in words).
 */
export async function pageUser(
  sessions: HeadOfficeSessions,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Parameters<HeadOfficeSessions['authorize']>[1],
): Promise<SignedIn | null> {
  const csrf = (request.body as Form | undefined)?._csrf;
  try {
    return await sessions.authorize(request, permission, typeof csrf === 'string' ? csrf : undefined);
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    if (error.code === 'UNAUTHENTICATED') {
      await reply.redirect('/console/login', 303);
      return null;
    }
    const signedIn = await sessions.signedIn(request);
    const message = error.details?.reason === 'ROLE' && signedIn !== undefined ? text('console.forbidden', { role: headOfficeRoleLabels[signedIn.user.role].zh }) : text('console.csrf');
    await html(reply, 403, page(text('console.title'), `<p class="warn">${escape(message)}</p>`, signedIn?.user ?? true));
    return null;
  }
}

const signInPage = (error = '', username = '') =>
  page(
    text('signIn.title'),
    `<h2>${escape(text('signIn.heading'))}</h2><div class="panel">${error === '' ? '' : `<p class="warn" role="alert">${escape(error)}</p>`}
<p class="muted">${escape(text('signIn.hint'))}</p>
<form class="stack" method="post" action="/console/login">
<label><span>${escape(text('signIn.username'))}</span><input name="username" autocomplete="username" value="${escape(username)}" autofocus required></label>
<label><span>${escape(text('signIn.password'))}</span><input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">${escape(text('signIn.submit'))}</button></form></div>`,
    false,
  );

/** A sign-in refusal in words: the lockout names when it ends, a wrong password how many tries are left. */
function signInRefusal(error: HubError): string {
  const details = error.details ?? {};
  if (details.reason === 'ACCOUNT_LOCKED' && typeof details.lockedUntil === 'string') return text('signIn.locked', { until: beijing(details.lockedUntil) });
  if (details.reason === 'ACCOUNT_DISABLED') return text('signIn.disabled');
  if (typeof details.remainingAttempts === 'number' && details.remainingAttempts > 0) return text('signIn.wrongRemaining', { n: details.remainingAttempts });
  return text('signIn.wrong');
}

const roleOptions = (selected: string) =>
  headOfficeRoles.map((role) => `<option value="${role}"${role === selected ? ' selected' : ''}>${escape(headOfficeRoleLabels[role].zh)}</option>`).join('');

const limitText = (user: HeadOfficeUser) => (user.approvalLimitFen === null ? '—' : wanYuanText(user.approvalLimitFen));

function usersPage(signedIn: SignedIn, users: HeadOfficeUser[], notice: { ok?: string; error?: string }, form: Form = {}): string {
  const rows = users
    .map(
      (user) =>
        `<tr><td>${escape(user.username)}</td><td>${escape(user.displayName)}</td><td>${escape(headOfficeRoleLabels[user.role].zh)}</td><td>${escape(limitText(user))}</td>` +
        `<td>${escape(text(user.disabled ? 'users.disabled' : 'users.active'))}</td><td>${beijing(user.createdAt)}</td></tr>`,
    )
    .join('');
  const head = (['users.username', 'users.displayName', 'users.role', 'users.limit', 'users.status', 'users.createdAt'] as const).map((key) => `<th>${escape(text(key))}</th>`).join('');
  const field = (name: string, key: ConsoleTextKey, attributes = '') => `<label><span>${escape(text(key))}</span><input name="${name}" value="${escape(form[name] ?? '')}" ${attributes}></label>`;
  return page(
    text('users.title'),
    `${notice.ok === undefined ? '' : `<p class="ok" role="status">${escape(notice.ok)}</p>`}
<h2>${escape(text('users.heading', { n: users.length }))}</h2><table><tr>${head}</tr>${rows}</table>
<h3>${escape(text('users.create'))}</h3><div class="panel">${notice.error === undefined ? '' : `<p class="warn" role="alert">${escape(notice.error)}</p>`}
<form class="stack" method="post" action="/console/users">${csrfField(signedIn)}
${field('username', 'users.username', 'autocomplete="off" required')}
${field('displayName', 'users.displayName', 'required')}
<label><span>${escape(text('users.role'))}</span><select name="role">${roleOptions(form.role ?? 'ho_approver')}</select></label>
<label><span>${escape(text('users.password'))}</span><input type="password" name="password" autocomplete="new-password" required></label>
${field('approvalLimitWan', 'users.limitWan', 'inputmode="decimal"')} <span class="muted">${escape(text('users.limitHint'))}</span>
<p><button type="submit">${escape(text('users.create'))}</button></p></form></div>`,
    signedIn.user,
  );
}

const FEN_PER_YUAN_OF_WAN = 10_000; // 1 万元 = 10,000 元: fen of the typed 万元 figure read as 元, times this

/** The page's fields as the account schema's input; refusals are console text keys. */
function accountInput(form: Form): { ok: true; value: z.infer<typeof createHeadOfficeUserSchema> } | { ok: false; error: string } {
  const role = headOfficeRoles.find((candidate) => candidate === form.role) as HeadOfficeRole | undefined;
  if (role === undefined) return { ok: false, error: text('users.error.role') };
  let approvalLimitFen: number | null = null;
  const typed = (form.approvalLimitWan ?? '').trim();
  if (role === 'ho_approver') {
    if (typed === '') return { ok: false, error: text('users.error.limitRequired') };
    const parsed = yuanToFen(typed);
    if (!parsed.ok || parsed.fen <= 0 || !Number.isSafeInteger(parsed.fen * FEN_PER_YUAN_OF_WAN)) return { ok: false, error: text('users.error.limitFormat') };
    approvalLimitFen = parsed.fen * FEN_PER_YUAN_OF_WAN;
  }
  const parsed = createHeadOfficeUserSchema.safeParse({ username: form.username ?? '', displayName: form.displayName ?? '', role, password: form.password ?? '', approvalLimitFen });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  return { ok: false, error: field === 'displayName' ? text('users.error.displayName') : textOr(`users.error.${issue?.message ?? ''}`, text('users.error.USERNAME_FORMAT')) };
}

export function registerConsoleSignIn(console: FastifyInstance, options: ConsoleSignInOptions): void {
  const { storage, sessions } = options;

  console.get('/console/login', async (_request, reply) => html(reply, 200, signInPage()));
  console.post<{ Body: Form | undefined }>('/console/login', limitedTo(bodyLimits.consoleForm, options.unauthenticated), async (request, reply) => {
    if (!sameOrigin(request, sessions.tls)) return html(reply, 403, signInPage(text('signIn.origin')));
    const input = signInSchema.safeParse({ username: request.body?.username ?? '', password: request.body?.password ?? '' });
    if (!input.success) return html(reply, 400, signInPage(text('signIn.missing'), request.body?.username?.slice(0, 64)));
    try {
      const user = await signInHeadOfficeUser(storage, input.data);
      return reply.header('set-cookie', (await sessions.start(user)).setCookie).redirect(user.role === 'ho_approver' ? '/console/approvals' : '/console', 303);
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      return html(reply, error.code === 'RATE_LIMITED' ? 429 : error.code === 'FORBIDDEN' ? 403 : 401, signInPage(signInRefusal(error), input.data.username));
    }
  });

  console.post('/console/logout', limitedTo(bodyLimits.consoleForm), async (request, reply) => {
    if (!sameOrigin(request, sessions.tls)) return html(reply, 403, page(text('signOut.submit'), `<p class="warn">${escape(text('signOut.origin'))}</p>`));
    const signedIn = await sessions.signedIn(request);
    if (signedIn !== undefined) {
      await sessions.end(signedIn.id);
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(signedIn.user), { action: 'sign_out', recordType: 'head_office_user', recordId: signedIn.user.id }));
    }
    return reply.header('set-cookie', sessions.cookie('', '; Max-Age=0')).redirect('/console/login', 303);
  });

  console.get<{ Querystring: { created?: unknown } }>('/console/users', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'users.manage');
    if (signedIn === null) return reply;
    const users = await listHeadOfficeUsers(storage);
    const created = users.find((user) => user.id === request.query.created);
    const ok = created === undefined ? undefined : text('users.created', { role: headOfficeRoleLabels[created.role].zh, name: created.displayName, username: created.username });
    return html(reply, 200, usersPage(signedIn, users, { ok }));
  });

  console.post<{ Body: Form | undefined }>('/console/users', limitedTo(bodyLimits.consoleForm), async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'users.manage');
    if (signedIn === null) return reply;
    const form = request.body ?? {};
    const input = accountInput(form);
    const refuse = async (status: number, error: string) => html(reply, status, usersPage(signedIn, await listHeadOfficeUsers(storage), { error }, form));
    if (!input.ok) return refuse(400, input.error);
    try {
      const user = await createHeadOfficeUser(storage, actorOf(signedIn.user), input.value);
      return reply.redirect(`/console/users?created=${user.id}`, 303);
    } catch (error) {
      if (error instanceof HubError && error.code === 'CONFLICT') return refuse(409, text('users.error.taken', { username: input.value.username }));
      throw error;
    }
  });
}
