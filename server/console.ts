import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { environmentalRatings } from '../shared/domain/environmentalRating.ts';
import { listBranches } from './directory.ts';
import { registerPage, registerSpecOf, registerSpecs } from './consoleRegisters.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import { bodyLimits, limitedTo, sameSecret } from './http.ts';
import type { FailureCounter } from './attempts.ts';
import { ConsoleSessions } from './consoleSessions.ts';
import type { Storage } from './storage.ts';

/**
 * The head-office console: read-only pages served by the hub itself (no build step, no script):
 * branches with their devices, last sync and open conflicts, and the cross-branch enterprise
 * register. Signing in takes the admin token once and starts a session (consoleSessions.ts): the
 * cookie holds its random id — HttpOnly, SameSite=Strict, limited to /console, Secure under TLS.
 * Sign-out is a POST from the console's own pages (Origin checked), so no link elsewhere ends it.
 */
const COOKIE = 'gl_console';
const PAGE_SIZE = 100;

/**
 * A register page's query string: the search (trimmed, at most 60 characters) and the page. A
 * repeated parameter (`?q=a&q=b` arrives as an array) or a page that is not a whole number reads as
 * none, never as a server error.
 */
const registerQuerySchema = z.object({
  q: z
    .string()
    .catch('')
    .transform((q) => q.trim().slice(0, 60)),
  page: z.coerce.number().int().min(1).catch(1),
  /** A branch's id (any other value: every branch) and a register's own state filter (consoleRegisters.ts). */
  branch: z.uuid().catch(''),
  state: z.string().max(20).catch(''),
});
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const beijing = (iso: string | null): string =>
  iso === null
    ? '—'
    : new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

/** The registers of registerSpecs whose table syncs (a register appears once its table is registered). */
const registerLinks = () =>
  Object.entries(registerSpecs)
    .filter(([table]) => isSyncTable(table))
    .map(([table, spec]) => `<a href="/console/registers/${table}">${escape(spec.title)}</a>`)
    .join('');

function page(title: string, body: string, signedIn = true): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)} · 总行控制台</title>
<style>
body{margin:0;font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f5f7f6;color:#1f2a24}
header{background:#1f7a4d;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;opacity:.9}header strong{font-size:18px;margin-right:12px}
main{padding:24px}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e5ebe7;padding:8px 10px;text-align:left;font-size:14px;vertical-align:top}
th{background:#eef4f0}.tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;color:#fff;margin-right:4px}
.muted{color:#6b7a71}.warn{color:#c62828;font-weight:bold}form.search{margin-bottom:16px;display:flex;gap:8px}
input,select,button{font:inherit;padding:4px 8px}nav.pages{margin-top:12px;display:flex;gap:12px}
</style></head><body><header><strong>绿色信贷台账 · 总行控制台</strong>${
    signedIn ? `<a href="/console">支行与设备</a><a href="/console/enterprises">企业档案登记簿</a>${registerLinks()}<form method="post" action="/console/logout" style="margin:0"><button type="submit">退出</button></form>` : ''
  }<span class="muted" style="color:#d9efe2">只读</span></header><main>${body}</main></body></html>`;
}

/** 上一页 / 第 n / m 页 / 下一页 for a register page and its search. */
function pageNav(path: string, q: string, pageNumber: number, total: number, more = ''): string {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (n: number, label: string) => `<a href="${path}?q=${encodeURIComponent(q)}${escape(more)}&page=${n}">${label}</a>`;
  return `<nav class="pages">${pageNumber > 1 ? link(pageNumber - 1, '上一页') : ''}<span>第 ${pageNumber} / ${pages} 页</span>${pageNumber < pages ? link(pageNumber + 1, '下一页') : ''}</nav>`;
}

export function readCookie(request: FastifyRequest, cookieName = COOKIE): string | undefined {
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

const html = (reply: FastifyReply, status: number, text: string) =>
  reply.code(status).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(text);

const loginForm = (error = '') =>
  page(
    '登录',
    `<h2>总行控制台登录</h2>${error === '' ? '' : `<p class="warn">${escape(error)}</p>`}
<form method="post" action="/console/login"><p>管理员令牌（启动总行服务时生成，见 admin-token 文件）</p>
<input type="password" name="token" size="60" autofocus> <button type="submit">登录</button></form>`,
    false,
  );

interface RegisterRow {
  branch_name: string;
  row_id: string;
  data: Record<string, unknown>;
  updated_at: unknown;
  total: string | number;
  /** From the branch's people directory (a synced table): who last changed the file. */
  updated_by_name: string | null;
}

export interface ConsoleOptions {
  storage: Storage;
  adminToken: string;
  /** Counts wrong tokens at sign-in with the admin API's (server/attempts.ts). */
  adminFailures: FailureCounter;
  /** Route config limiting sign-in requests per address. */
  unauthenticated: FastifyContextConfig;
  /** Served over HTTPS: the cookie is Secure. */
  tls: boolean;
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

export function registerConsole(app: FastifyInstance, options: ConsoleOptions): void {
  const { storage, adminToken, adminFailures, tls } = options;
  const sessions = new ConsoleSessions();
  const cookie = (value: string, extra = '') => `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}${extra}`;
  app.register(async (console) => {
    console.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    console.get('/console/login', async (_request, reply) => html(reply, 200, loginForm()));
    console.post<{ Body: { token?: string } }>('/console/login', limitedTo(bodyLimits.consoleForm, options.unauthenticated), async (request, reply) => {
      if (!sameOrigin(request, tls)) return html(reply, 403, loginForm('请从控制台页面登录'));
      await adminFailures.refuseIfExhausted(request, reply);
      if (!sameSecret(request.body?.token, adminToken)) {
        await adminFailures.failed(request);
        return html(reply, 401, loginForm('令牌不正确'));
      }
      return reply.header('set-cookie', cookie(sessions.start())).redirect('/console', 303);
    });
    console.post('/console/logout', limitedTo(bodyLimits.consoleForm), async (request, reply) => {
      if (!sameOrigin(request, tls)) return html(reply, 403, page('退出', '<p class="warn">请从控制台页面退出</p>'));
      sessions.end(readCookie(request));
      return reply.header('set-cookie', cookie('', '; Max-Age=0')).redirect('/console/login', 303);
    });

    const signedIn = (request: FastifyRequest) => sessions.touch(readCookie(request));

    console.get('/console', async (request, reply) => {
      if (!signedIn(request)) return reply.redirect('/console/login', 303);
      const branches = await listBranches(storage);
      const rows = branches
        .map((b) => {
          const devices = b.devices
            .map(
              (d) =>
                `${escape(d.name)} <span class="muted">上次同步 ${beijing(d.lastSyncAt)} · ${escape(d.appVersion ?? '')}</span>${d.revokedAt === null ? '' : ' <span class="warn">已停用</span>'}` +
                `<br><span class="muted">${d.auditAnchor === null ? '审计链尚未锚定' : `审计链锚定至第 ${d.auditAnchor.seq} 条（${beijing(d.auditAnchor.at)}，${escape(d.auditAnchor.hash.slice(0, 12))}…）`}</span>` +
                d.auditContradictions
                  .map((c) => ` <span class="warn">审计链被改写：第 ${c.seq} 条的哈希 ${escape(c.hash.slice(0, 12))}… 与此前锚定的 ${escape(c.earlierHash.slice(0, 12))}… 不符（${beijing(c.at)}）</span>`)
                  .join(''),
            )
            .join('<br>');
          return `<tr><td>${escape(b.name)}<br><span class="muted">${escape(b.code)} · ${escape(b.divisionCode)}</span></td><td>${devices || '<span class="muted">尚无设备</span>'}</td>
<td>${beijing(b.lastSyncAt)}</td><td>${b.pendingConflicts > 0 ? `<span class="warn">${b.pendingConflicts}</span>` : '0'}</td><td>${b.rows}</td></tr>`;
        })
        .join('');
      return html(reply, 200, page('支行与设备', `<h2>支行与设备（${branches.length}）</h2><table><tr><th>支行</th><th>设备</th><th>最近同步</th><th>待处理冲突</th><th>记录数</th></tr>${rows}</table>`));
    });

    // Any synced table's rows across branches: credit applications, loans, and what comes next.
    console.get<{ Params: { table: string }; Querystring: unknown }>('/console/registers/:table', async (request, reply) => {
      if (!signedIn(request)) return reply.redirect('/console/login', 303);
      const { table } = request.params;
      if (!isSyncTable(table)) return html(reply, 404, page('未找到', '<p class="warn">没有这个登记簿</p>'));
      const { q, page: pageNumber, branch, state } = registerQuerySchema.parse(request.query);
      const known = registerSpecOf(table, undefined)!;
      const found = await registerPage(storage, table, known, { query: q, branchId: branch, state }, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE);
      const spec = registerSpecOf(table, found.rows[0]?.data)!;
      const head = ['支行', ...spec.columns.map((column) => column.label)].map((label) => `<th>${escape(label)}</th>`).join('');
      const rows = found.rows.map((row) => `<tr><td>${escape(row.branchName)}</td>${spec.columns.map((column) => `<td>${escape(column.text(row, found.today))}</td>`).join('')}</tr>`).join('');
      const option = (value: string, label: string, selected: string) => `<option value="${escape(value)}"${value === selected ? ' selected' : ''}>${escape(label)}</option>`;
      const branches = await listBranches(storage);
      const filters =
        `<select name="branch">${option('', '全部支行', branch)}${branches.map((b) => option(b.id, b.name, branch)).join('')}</select>` +
        (known.states === undefined ? '' : `<select name="state">${option('', '全部', state)}${known.states.map((s) => option(s.value, s.label, state)).join('')}</select>`);
      const nav = pageNav(`/console/registers/${table}`, q, pageNumber, found.total, `${branch === '' ? '' : `&branch=${branch}`}${state === '' ? '' : `&state=${encodeURIComponent(state)}`}`);
      return html(
        reply,
        200,
        page(
          spec.title,
          `<h2>${escape(spec.title)}（各支行，共 ${found.total} 条）</h2>
<form class="search" method="get" action="/console/registers/${table}"><input name="q" value="${escape(q)}" placeholder="企业名称或统一社会信用代码">${filters}<button type="submit">查询</button></form>
<table><tr>${head}</tr>${rows || `<tr><td colspan="${spec.columns.length + 1}" class="muted">没有记录</td></tr>`}</table>${nav}`,
        ),
      );
    });

    console.get<{ Querystring: unknown }>('/console/enterprises', async (request, reply) => {
      if (!signedIn(request)) return reply.redirect('/console/login', 303);
      const { q, page: pageNumber } = registerQuerySchema.parse(request.query);
      const found = await storage.query<RegisterRow>(
        `SELECT b.name AS branch_name, r.row_id::text AS row_id, r.data, r.updated_at, count(*) OVER () AS total,
           (SELECT p.data->>'display_name' FROM sync_rows p
             WHERE p.branch_id = r.branch_id AND p.table_name = 'people' AND p.row_id::text = r.data->>'updated_by') AS updated_by_name
         FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
         WHERE r.table_name = 'enterprises' AND NOT r.deleted
           AND ($1 = '' OR r.data->>'name' ILIKE '%' || $1 || '%' OR r.data->>'uscc' LIKE upper($1) || '%')
         ORDER BY r.updated_at DESC LIMIT $2 OFFSET $3`,
        [q, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE],
      );
      const total = Number(found[0]?.total ?? 0);
      const rating = (level: unknown) => {
        const info = environmentalRatings.find((r) => r.level === level);
        return info === undefined ? '<span class="muted">—</span>' : `<span class="tag" style="background:${info.colour}">${info.plate} ${info.zh}</span>`;
      };
      const flags = (d: Record<string, unknown>) =>
        [
          d.outdated_capacity === 1 ? `<span class="tag" style="background:#c62828">落后产能 ${escape(d.outdated_capacity_exit_deadline)}</span>` : '',
          d.negative_list === 1 ? '<span class="tag" style="background:#c62828">负面清单</span>' : '',
          d.green_list === 1 ? '<span class="tag" style="background:#2e7d32">绿色名单</span>' : '',
          d.miit_recommended === 1 ? '<span class="tag" style="background:#1565c0">工信推荐</span>' : '',
          d.green_factory_level === 'national' ? '<span class="tag" style="background:#2e7d32">国家级绿色工厂</span>' : d.green_factory_level === 'provincial' ? '<span class="tag" style="background:#558b2f">省级绿色工厂</span>' : '',
        ].join('');
      const rows = found
        .map((r) => `<tr><td>${escape(r.data.name)}</td><td>${escape(r.data.uscc)}</td><td>${escape(r.branch_name)}</td><td>${escape(r.data.industry_code)}</td><td>${escape(r.data.division_code)}</td><td>${rating(r.data.environmental_rating)}</td><td>${flags(r.data)}</td><td>${escape(r.updated_by_name ?? r.data.updated_by)}<br><span class="muted">${beijing(typeof r.data.updated_at === 'string' ? r.data.updated_at : null)}</span></td></tr>`)
        .join('');
      const nav = pageNav('/console/enterprises', q, pageNumber, total);
      return html(
        reply,
        200,
        page(
          '企业档案登记簿',
          `<h2>企业档案登记簿（各支行，共 ${total} 家）</h2>
<form class="search" method="get" action="/console/enterprises"><input name="q" value="${escape(q)}" placeholder="企业名称或统一社会信用代码"><button type="submit">查询</button></form>
<table><tr><th>企业名称</th><th>统一社会信用代码</th><th>支行</th><th>行业</th><th>区划</th><th>环境信用</th><th>标识</th><th>最后修改</th></tr>${rows || '<tr><td colspan="8" class="muted">没有符合条件的企业</td></tr>'}</table>${nav}`,
        ),
      );
    });
  });
}
