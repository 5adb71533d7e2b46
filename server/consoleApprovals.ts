import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkHeadOfficeAuthority } from '../shared/domain/approvalAuthority.ts';
import { headOfficeMay, headOfficeRoleLabels } from '../shared/domain/headOfficeRoles.ts';
import type { HubClock } from './clock.ts';
import { beijing, escape, html, page } from './consolePage.ts';
import { creditStatusWords, registerPage, registerSpecs } from './consoleRegisters.ts';
import { csrfField, pageUser } from './consoleSignIn.ts';
import { text, textOr, wanYuanText as wan } from './consoleText.ts';
import { HubError } from './errors.ts';
import { amountOf, decideEscalated, decisionSchema, escalatedApplication, type EscalatedApplication } from './escalations.ts';
import type { HeadOfficeSessions, SignedIn } from './headOfficeSession.ts';
import type { Storage } from './storage.ts';

/**
 * The head-office approval queue, as pages: the credit applications branches escalated (上报上级行),
 * across branches, as the 授信申请 register narrowed to them (consoleRegisters.ts); an application's
 * page with its terms, its workflow so far and — for a 总行审批人 — the decision form. Every role
 * reads the queue; only an approver whose own limit covers the amount decides (escalations.ts).
 */
export interface ConsoleApprovalsOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
  clock: HubClock;
}

const QUEUE_PAGE = 100;
const params = z.object({ branchId: z.uuid(), rowId: z.uuid() });
const queueQuery = z.object({ page: z.coerce.number().int().min(1).catch(1) });
const applicationQuery = z.object({ decided: z.literal('1').optional().catch(undefined) });
const credit = registerSpecs.credit_applications!;

function queuePage(signedIn: SignedIn, found: Awaited<ReturnType<typeof registerPage>>): string {
  const head = [text('approvals.branch'), ...credit.columns.map((column) => column.label), text('approvals.escalatedAt'), ''].map((label) => `<th>${escape(label)}</th>`).join('');
  const action = text(headOfficeMay(signedIn.user.role, 'applications.decide') ? 'approvals.open' : 'approvals.view');
  const rows = found.rows
    .map(
      (row) =>
        `<tr data-application="${escape(row.rowId)}"><td>${escape(row.branchName)}</td>${credit.columns.map((column) => `<td>${escape(column.text(row, found.today))}</td>`).join('')}` +
        `<td>${beijing(typeof row.data.step_entered_at === 'string' ? row.data.step_entered_at : null)}</td>` +
        `<td><a href="/console/approvals/${escape(String(row.data.branch_id))}/${escape(row.rowId)}">${escape(action)}</a></td></tr>`,
    )
    .join('');
  return page(
    text('approvals.title'),
    `<h2>${escape(text('approvals.heading', { n: found.total }))}</h2>
<p class="muted">${escape(text('approvals.hint'))}</p>
<table><tr>${head}</tr>${rows || `<tr><td colspan="${credit.columns.length + 3}" class="muted">${escape(text('approvals.none'))}</td></tr>`}</table>`,
    signedIn.user,
  );
}

function decisionForm(signedIn: SignedIn, application: EscalatedApplication, error: string, opinion: string): string {
  const { user } = signedIn;
  if (application.data.status !== 'escalated') return `<p class="muted">${escape(text('approvals.decided', { status: statusWord(application.data.status) }))}</p>`;
  if (!headOfficeMay(user.role, 'applications.decide')) return `<p class="muted">${escape(text('approvals.viewerOnly', { role: headOfficeRoleLabels[user.role].zh }))}</p>`;
  const amount = amountOf(application.data);
  const authority = checkHeadOfficeAuthority(user.approvalLimitFen, amount);
  const limit = user.approvalLimitFen === null ? text('approvals.noLimit') : wan(authority.limitFen);
  return `<div class="panel" data-testid="decision"><p>${escape(text('approvals.limitLine', { limit, amount: wan(amount) }))} · <span class="${authority.ok ? 'ok' : 'warn'}">${escape(text(authority.ok ? 'approvals.covers' : 'approvals.exceeds'))}</span></p>
${error === '' ? '' : `<p class="warn" role="alert">${escape(error)}</p>`}
<form class="stack" method="post" action="/console/approvals/${escape(application.branchId)}/${escape(application.rowId)}">${csrfField(signedIn)}<input type="hidden" name="version" value="${application.version}">
<label><span>${escape(text('approvals.yourOpinion'))}</span><textarea name="opinion" rows="4" cols="60" required>${escape(opinion)}</textarea></label>
<p><button type="submit" name="action" value="approve">${escape(text('approvals.approve'))}</button> <button type="submit" name="action" value="reject">${escape(text('approvals.reject'))}</button></p></form></div>`;
}

const statusWord = (status: unknown) => (typeof status === 'string' && Object.hasOwn(creditStatusWords, status) ? creditStatusWords[status as keyof typeof creditStatusWords] : String(status));

/** The application as a register row, so its page words terms as the register does. */
const asRow = (application: EscalatedApplication) => ({ branchName: application.branchName, branchId: application.branchId, rowId: application.rowId, data: application.data, enterprise: application.enterprise, names: application.names });

function applicationPage(signedIn: SignedIn, application: EscalatedApplication, notice: { error?: string; decided?: boolean } = {}, opinion = ''): string {
  const row = asRow(application);
  const { status } = application.data;
  // After a decision: what was decided, from the row itself (never text from the address).
  const done =
    notice.decided === true && (status === 'approved' || status === 'rejected')
      ? `<p class="ok" role="status">${escape(text('approvals.done', { action: text(status === 'approved' ? 'approvals.approve' : 'approvals.reject'), enterprise: String(application.enterprise?.name ?? '—'), amount: wan(amountOf(application.data)) }))}</p>`
      : '';
  const terms = [
    [text('approvals.branch'), application.branchName],
    [text('approvals.uscc'), String(application.enterprise?.uscc ?? '—')],
    ...credit.columns.map((column) => [column.label, column.text(row, '')]),
    [text('approvals.purpose'), String(application.data.purpose ?? '—')],
    [text('approvals.green'), text(application.data.green_project === 1 || application.data.green_project === true ? 'approvals.yes' : 'approvals.no')],
  ]
    .map(([label, value]) => `<dt>${escape(label)}</dt><dd>${escape(value)}</dd>`)
    .join('');
  const steps = application.steps
    .map(({ data, actorName }) => {
      const who = actorName ?? (data.step === 'escalated' ? text('approvals.headOffice') : String(data.actor_id ?? '—'));
      return `<tr><td>${escape(textOr(`step.${String(data.step)}`, String(data.step)))}</td><td>${escape(textOr(`action.${String(data.action)}`, String(data.action)))}</td><td>${escape(who)}</td><td>${escape(data.opinion)}</td><td>${beijing(typeof data.acted_at === 'string' ? data.acted_at : null)}</td></tr>`;
    })
    .join('');
  const stepHead = (['approvals.step', 'approvals.action', 'approvals.actor', 'approvals.opinion', 'approvals.actedAt'] as const).map((key) => `<th>${escape(text(key))}</th>`).join('');
  return page(
    text('approvals.title'),
    `<p><a href="/console/approvals">← ${escape(text('approvals.title'))}</a></p>${done}<h2>${escape(text('approvals.detail', { enterprise: String(application.enterprise?.name ?? '—') }))}</h2>
<div class="panel"><dl class="terms">${terms}</dl></div>
<h3>${escape(text('approvals.steps'))}</h3><table><tr>${stepHead}</tr>${steps}</table>${decisionForm(signedIn, application, notice.error ?? '', opinion)}`,
    signedIn.user,
  );
}

/** A refused decision in words: the limit named, a stale page, or the hub's reason. */
function refusalText(error: HubError): string {
  const details = error.details ?? {};
  if (details.reason === 'AUTHORITY_EXCEEDED') return text('approvals.error.limit', { amount: wan(Number(details.amountFen)), limit: wan(Number(details.limitFen)) });
  if (details.reason === 'STALE') return text('approvals.error.stale');
  if (details.reason === 'NOT_ESCALATED') return text('approvals.error.stale');
  return text('approvals.error.refused', { reason: String(details.rule ?? details.reason ?? error.code) });
}

export function registerConsoleApprovals(console: FastifyInstance, options: ConsoleApprovalsOptions): void {
  const { storage, sessions, clock } = options;

  console.get<{ Querystring: unknown }>('/console/approvals', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'registers.read');
    if (signedIn === null) return reply;
    const query = queueQuery.parse(request.query);
    const found = await registerPage(storage, 'credit_applications', credit, { query: '', branchId: '', state: 'escalated' }, QUEUE_PAGE, (query.page - 1) * QUEUE_PAGE);
    return html(reply, 200, queuePage(signedIn, found));
  });

  console.get<{ Params: unknown; Querystring: unknown }>('/console/approvals/:branchId/:rowId', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'registers.read');
    if (signedIn === null) return reply;
    const target = params.safeParse(request.params);
    const application = target.success ? await escalatedApplication(storage, target.data.branchId, target.data.rowId) : undefined;
    if (application === undefined) return html(reply, 404, page(text('approvals.title'), `<p class="warn">${escape(text('console.notFound'))}</p>`, signedIn.user));
    return html(reply, 200, applicationPage(signedIn, application, { decided: applicationQuery.parse(request.query).decided === '1' }));
  });

  console.post<{ Params: unknown; Body: Record<string, string | undefined> | undefined }>('/console/approvals/:branchId/:rowId', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'applications.decide');
    if (signedIn === null) return reply;
    const target = params.safeParse(request.params);
    const application = target.success ? await escalatedApplication(storage, target.data.branchId, target.data.rowId) : undefined;
    if (application === undefined) return html(reply, 404, page(text('approvals.title'), `<p class="warn">${escape(text('console.notFound'))}</p>`, signedIn.user));
    const form = request.body ?? {};
    const decision = decisionSchema.safeParse({ action: form.action, opinion: form.opinion ?? '', version: form.version });
    if (!decision.success) return html(reply, 400, applicationPage(signedIn, application, { error: text('approvals.error.opinion') }, form.opinion ?? ''));
    try {
      await decideEscalated(storage, clock, signedIn.user, application, decision.data);
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      const current = (await escalatedApplication(storage, application.branchId, application.rowId)) ?? application;
      return html(reply, error.code === 'FORBIDDEN' ? 403 : 409, applicationPage(signedIn, current, { error: refusalText(error) }, decision.data.opinion));
    }
    return reply.redirect(`/console/approvals/${application.branchId}/${application.rowId}?decided=1`, 303);
  });
}
