import type { FastifyReply } from 'fastify';
import { headOfficeMay, headOfficeRoleLabels } from '../shared/domain/headOfficeRoles.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import { registerSpecs } from './consoleRegisters.ts';
import { text } from './consoleText.ts';
import type { HeadOfficeUser } from './headOfficeUsers.ts';

/**
 * The console's page frame, shared by its pages (console.ts, consoleSignIn.ts, consoleApprovals.ts):
 * server-rendered HTML under a strict CSP (no script at all), every value escaped.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export const beijing = (iso: string | null): string =>
  iso === null
    ? '—'
    : new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

/** The registers of registerSpecs whose table syncs (a register appears once its table is registered). */
const registerLinks = () =>
  Object.entries(registerSpecs)
    .filter(([table]) => isSyncTable(table))
    .map(([table, spec]) => `<a href="/console/registers/${table}">${escape(spec.title)}</a>`)
    .join('');

/** A console page; signed in, its header links the console's pages and names the person (`true`: someone unnamed). */
export function page(title: string, body: string, signedIn: boolean | HeadOfficeUser = true): string {
  const user = typeof signedIn === 'object' ? signedIn : null;
  const links = [
    `<a href="/console/statistics">${escape(text('nav.statistics'))}</a>`,
    `<a href="/console/approvals">${escape(text('nav.approvals'))}</a>`,
    `<a href="/console/reference">${escape(text('nav.reference'))}</a>`,
    `<a href="/console/audit">${escape(text('nav.audit'))}</a>`,
    user === null || headOfficeMay(user.role, 'users.manage') ? `<a href="/console/users">${escape(text('nav.users'))}</a>` : '',
  ].join('');
  const who = user === null ? '' : `<span class="muted" style="color:#d9efe2">${escape(text('console.signedInAs', { name: user.displayName, role: headOfficeRoleLabels[user.role].zh }))}</span>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)} · ${escape(text('console.title'))}</title>
<style>
body{margin:0;font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f5f7f6;color:#1f2a24}
header{background:#1f7a4d;color:#fff;padding:12px 24px;display:flex;flex-wrap:wrap;gap:8px 20px;align-items:center}
header a,header strong,header span{white-space:nowrap}header a{color:#fff;text-decoration:none;opacity:.9}header strong{font-size:18px;margin-right:12px}
main{padding:24px}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e5ebe7;padding:8px 10px;text-align:left;font-size:14px;vertical-align:top}
th{background:#eef4f0}.tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;color:#fff;margin-right:4px}
.muted{color:#6b7a71}.warn{color:#c62828;font-weight:bold}form.search{margin-bottom:16px;display:flex;gap:8px;align-items:center}
input,select,button,textarea{font:inherit;padding:4px 8px}nav.pages{margin-top:12px;display:flex;gap:12px}
.panel{background:#fff;padding:16px 20px;margin-bottom:16px;border:1px solid #e5ebe7}.ok{color:#1f7a4d;font-weight:bold}
form.stack label{display:block;margin:10px 0}form.stack label span{display:inline-block;min-width:9em}dl.terms{display:grid;grid-template-columns:10em 1fr;gap:6px 12px}dl.terms dt{color:#6b7a71}dl.terms dd{margin:0}
</style></head><body><header><strong>${escape(text('console.brand'))}</strong>${
    signedIn === false ? '' : `<a href="/console">${escape(text('nav.branches'))}</a><a href="/console/enterprises">${escape(text('nav.enterprises'))}</a>${registerLinks()}${links}${who}<form method="post" action="/console/logout" style="margin:0"><button type="submit">${escape(text('signOut.submit'))}</button></form>`
  }</header><main>${body}</main></body></html>`;
}

/** 上一页 / 第 n / m 页 / 下一页 under a paged table; `href` makes the address of page n. */
export function pageNav(href: (n: number) => string, pageNumber: number, pages: number): string {
  const link = (n: number, key: 'pages.previous' | 'pages.next') => `<a href="${escape(href(n))}">${escape(text(key))}</a>`;
  return `<nav class="pages">${pageNumber > 1 ? link(pageNumber - 1, 'pages.previous') : ''}<span>${escape(text('pages.of', { page: pageNumber, pages }))}</span>${pageNumber < pages ? link(pageNumber + 1, 'pages.next') : ''}</nav>`;
}

export const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
