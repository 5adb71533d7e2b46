import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { beijing, escape, html, page, pageNav } from './consolePage.ts';
import { registerSpecs } from './consoleRegisters.ts';
import { pageUser } from './consoleSignIn.ts';
import { text, textOr } from './consoleText.ts';
import { headOfficeAuditPage, verifyHeadOfficeAudit } from './headOfficeAudit.ts';
import type { HeadOfficeSessions } from './headOfficeSession.ts';
import type { Storage } from './storage.ts';

/**
 * The console's 审计日志 page (issue 18): head office's hash-chained trail, newest first, with the
 * chain verified on every view and the .xlsx export (the console API's audit.xlsx, itself audited).
 * Every head-office role holds audit.read.
 */

export interface ConsoleAuditOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
}

const PAGE = 100;
const DETAIL_CHARS = 240;
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

/** An entry's before → after as stored (JSON, secrets already redacted), cut to a line's length. */
function detail(before: string | null, after: string | null): string {
  const shown = [before, after].filter((part): part is string => part !== null).join(' → ');
  return shown.length > DETAIL_CHARS ? `${shown.slice(0, DETAIL_CHARS)}…` : shown;
}

export function registerConsoleAudit(console: FastifyInstance, options: ConsoleAuditOptions): void {
  const { storage, sessions } = options;

  console.get<{ Querystring: unknown }>('/console/audit', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'audit.read');
    if (signedIn === null) return reply;
    const { page: pageNumber } = querySchema.parse(request.query);
    const [found, verification] = await Promise.all([headOfficeAuditPage(storage, PAGE, (pageNumber - 1) * PAGE), verifyHeadOfficeAudit(storage)]);
    const status = verification.ok
      ? `<p class="ok" data-testid="audit-status">${escape(text('audit.ok', { checked: verification.checked, head: verification.headSeq }))}</p>`
      : `<div role="alert"><p class="warn" data-testid="audit-status">${escape(text('audit.broken', { checked: verification.checked, count: verification.problems.length }))}</p><ul>${verification.problems
          .map((problem) => `<li>${escape(text('audit.problem', { seq: problem.seq, message: problem.message }))}</li>`)
          .join('')}</ul></div>`;
    const rows = found.rows
      .map(
        (row) =>
          `<tr><td>${row.seq}</td><td>${escape(beijing(row.at))}</td><td>${escape(row.user_name ?? text('audit.token'))}</td><td>${escape(textOr(`audit.action.${row.action}`, row.action))}</td><td>${escape(
            textOr(`audit.recordType.${row.record_type}`, Object.hasOwn(registerSpecs, row.record_type) ? registerSpecs[row.record_type]!.title : row.record_type),
          )}${row.record_id === null ? '' : `<br><span class="muted">${escape(row.record_id)}</span>`}</td><td class="muted">${escape(detail(row.before, row.after))}</td></tr>`,
      )
      .join('');
    const nav = pageNav((n) => `/console/audit?page=${n}`, pageNumber, Math.max(1, Math.ceil(found.total / PAGE)));
    const body = `<h2>${escape(text('audit.title'))}</h2><p class="muted">${escape(text('audit.hint'))}</p><div class="panel">${status}<a href="/console/api/audit.xlsx">${escape(text('audit.export'))}</a></div>
<p class="muted">${escape(text('audit.count', { total: found.total }))}</p>
<table data-testid="audit"><tr><th>${escape(text('audit.seq'))}</th><th>${escape(text('audit.at'))}</th><th>${escape(text('audit.who'))}</th><th>${escape(text('audit.action'))}</th><th>${escape(text('audit.record'))}</th><th>${escape(text('audit.detail'))}</th></tr>${
      rows || `<tr><td colspan="6" class="muted">${escape(text('audit.none'))}</td></tr>`
    }</table>${nav}`;
    return html(reply, 200, page(text('audit.title'), body, signedIn.user));
  });
}
