import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { environmentalRatings } from '../shared/domain/environmentalRating.ts';
import { listBranches } from './directory.ts';
import { alertFilterValues, ANY_ALERT, enterprisePage, registerPage, registerSpecOf, type RegisterFilter, type RegisterRowView, type RegisterSpec } from './consoleRegisters.ts';
import { collateralAlertKinds } from '../shared/domain/collateralAlerts.ts';
import { divisionPlace } from '../shared/domain/division.ts';
import { exportWorkbook, type SheetColumn } from '../shared/node/workbook.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, type HeadOfficeSessions } from './headOfficeSession.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import type { HubClock } from './clock.ts';
import { registerConsoleApprovals } from './consoleApprovals.ts';
import { recordHref, registerConsoleRecords } from './consoleRecords.ts';
import { registerConsoleSignIn } from './consoleSignIn.ts';
import { beijing, escape, html, page, pageNav } from './consolePage.ts';
import { sendXlsx } from './http.ts';
import { text } from './consoleText.ts';
import type { Storage } from './storage.ts';

/**
 * The head-office console's pages not yet ported to the console app (consoleApp.ts, renderer/src/console):
 * pages served by the hub itself (no script): the cross-branch registers, a record's page
 * (consoleRecords.ts), the queue of applications escalated to head office (consoleApprovals.ts),
 * and reference data. A head-office person signs in in the app (headOfficeSession.ts, the
 * gl_ho cookie, which these pages share); the admin token opens nothing here. Sign-out from these
 * pages is a POST (Origin checked, consoleSignIn.ts), so no link elsewhere ends it.
 */
const PAGE_SIZE = 100;
/** Rows an export holds at most (a register filtered to more says so in its total; narrow it by branch). */
const EXPORT_LIMIT = 50_000;

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
  /** A county's 区划代码 (the branches' own, branches.division_code) and, on the collateral register, an alert kind. */
  county: z
    .string()
    .regex(/^\d{6}$/)
    .catch(''),
  alert: z
    .string()
    .refine((value) => alertFilterValues.includes(value))
    .catch(''),
});
type RegisterQuery = z.infer<typeof registerQuerySchema>;

/** The filters of a register's query as its links carry them (search and page aside). */
const filterParams = ({ branch, state, county, alert }: Pick<RegisterQuery, 'branch' | 'state' | 'county' | 'alert'>) =>
  Object.entries({ branch, state, county, alert })
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `&${name}=${encodeURIComponent(value)}`)
    .join('');

const option = (value: string, label: string, selected: string) => `<option value="${escape(value)}"${value === selected ? ' selected' : ''}>${escape(label)}</option>`;

/**
 * The branch and county selects of a cross-branch register (a county: the branches' own 区划, as
 * the hub knows them), with the register's state and alert filters where it has them.
 */
function filterSelects(branches: readonly { id: string; name: string; divisionCode: string }[], query: Pick<RegisterQuery, 'branch' | 'state' | 'county' | 'alert'>, spec?: RegisterSpec): string {
  const counties = [...new Set(branches.map((b) => b.divisionCode))].sort();
  const countyLabel = (code: string) => {
    const place = divisionPlace(code);
    return place === undefined ? text('registers.countyUnknown', { code }) : text('registers.county', { name: place, code });
  };
  return (
    `<select name="branch">${option('', text('registers.allBranches'), query.branch)}${branches.map((b) => option(b.id, b.name, query.branch)).join('')}</select>` +
    `<select name="county">${option('', text('registers.allCounties'), query.county)}${counties.map((code) => option(code, countyLabel(code), query.county)).join('')}</select>` +
    (spec?.states === undefined ? '' : `<select name="state">${option('', text('registers.allStates'), query.state)}${spec.states.map((s) => option(s.value, s.label, query.state)).join('')}</select>`) +
    (spec?.alerts !== true
      ? ''
      : `<select name="alert">${option('', text('registers.allAlerts'), query.alert)}${option(ANY_ALERT, text('registers.anyAlert'), query.alert)}${collateralAlertKinds.map((kind) => option(kind, text(`collateral.alertKind.${kind}`), query.alert)).join('')}</select>`)
  );
}

const registerFilter = ({ q, branch, state, county, alert }: RegisterQuery): RegisterFilter => ({ query: q, branchId: branch, state, county, alert });

/** The pager of a register page and its search (consolePage.ts pageNav), keeping the search and filters. */
function registerNav(path: string, q: string, pageNumber: number, total: number, more = ''): string {
  return pageNav((n) => `${path}?q=${encodeURIComponent(q)}${more}&page=${n}`, pageNumber, Math.max(1, Math.ceil(total / PAGE_SIZE)));
}

export interface ConsoleOptions {
  storage: Storage;
  /** Head-office sign-ins, shared with the console's JSON API (headOfficeApp.ts). */
  sessions: HeadOfficeSessions;
  /** Stamps head office's decisions (the hub's clock). */
  clock: HubClock;
  /** Publishes count in the hub's metrics like the admin API's (consoleReference.ts). */
  onReferencePublished: () => void;
  /** Route config limiting sign-in requests per address. */
  unauthenticated: FastifyContextConfig;
}

const holdsNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(holdsNul) : false;

const enterpriseHeadings = ['enterprises.name', 'enterprises.uscc', 'branches.branch', 'enterprises.industry', 'enterprises.division', 'enterprises.rating', 'enterprises.flags', 'enterprises.updated'] as const;

export function registerConsole(app: FastifyInstance, options: ConsoleOptions): void {
  const { storage, sessions } = options;
  app.register(async (console) => {
    console.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // PostgreSQL text cannot hold NUL (U+0000): a query or form value carrying one is refused here, in
    // words, for every console page at once, instead of reaching a query and failing there as a 500.
    console.addHook('preValidation', async (request, reply) => {
      const body = request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? Object.values(request.body) : [];
      if (![...Object.values((request.query ?? {}) as object), ...body].some(holdsNul)) return;
      return html(reply, 400, page(text('input.nul.title'), `<p class="warn" role="alert">${escape(text('input.nul'))}</p>`, false));
    });
    registerConsoleSignIn(console, options);
    registerConsoleApprovals(console, options);
    registerConsoleRecords(console, options);

    /** The signed-in person (every head-office role reads the registers), or null: the page sends them to sign in. */
    const signedIn = async (request: FastifyRequest) => (await sessions.signedIn(request))?.user ?? null;

    // Any synced table's rows across branches: credit applications, loans, and what comes next.
    console.get<{ Params: { table: string }; Querystring: unknown }>('/console/registers/:table', async (request, reply) => {
      const user = await signedIn(request);
      if (user === null) return reply.redirect('/console/login', 303);
      const { table } = request.params;
      if (!isSyncTable(table)) return html(reply, 404, page(text('registers.notFoundTitle'), `<p class="warn">${escape(text('registers.notFound'))}</p>`, user));
      const query = registerQuerySchema.parse(request.query);
      const { q, page: pageNumber } = query;
      const known = registerSpecOf(table, undefined)!;
      const found = await registerPage(storage, table, known, registerFilter(query), PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE);
      const spec = registerSpecOf(table, found.rows[0]?.data)!;
      const head = [text('branches.branch'), ...spec.columns.map((column) => column.label), ''].map((label) => `<th>${escape(label)}</th>`).join('');
      const cell = (column: RegisterSpec['columns'][number], row: RegisterRowView) =>
        column.tags === undefined ? escape(column.text(row, found.today)) : column.tags(row).map((tag) => `<span class="tag" style="background:#c62828">${escape(tag)}</span>`).join('');
      const rows = found.rows
        .map((row) => `<tr><td>${escape(row.branchName)}</td>${spec.columns.map((column) => `<td>${cell(column, row)}</td>`).join('')}<td><a href="${recordHref(table, row.branchId, row.rowId)}">${escape(text('record.open'))}</a></td></tr>`)
        .join('');
      const filters = filterSelects(await listBranches(storage), query, known);
      const nav = registerNav(`/console/registers/${table}`, q, pageNumber, found.total, filterParams(query));
      return html(
        reply,
        200,
        page(
          spec.title,
          `<h2>${escape(text('registers.heading', { title: spec.title, total: found.total }))}</h2>
<form class="search" method="get" action="/console/registers/${table}"><input name="q" value="${escape(q)}" placeholder="${escape(text('registers.searchHint'))}">${filters}<button type="submit">${escape(text('registers.search'))}</button><a href="${escape(`/console/registers/${table}/export.xlsx?q=${encodeURIComponent(q)}${filterParams(query)}`)}">${escape(text(found.total > EXPORT_LIMIT ? 'export.linkCapped' : 'export.link', { limit: EXPORT_LIMIT.toLocaleString('en-US') }))}</a></form>
<table><tr>${head}</tr>${rows || `<tr><td colspan="${spec.columns.length + 2}" class="muted">${escape(text('registers.none'))}</td></tr>`}</table>${nav}`,
          user,
        ),
      );
    });

    // A register's rows as the page filters them, as .xlsx (every match up to EXPORT_LIMIT), audited.
    console.get<{ Params: { table: string }; Querystring: unknown }>('/console/registers/:table/export.xlsx', async (request, reply) => {
      const user = await signedIn(request);
      if (user === null) return reply.redirect('/console/login', 303);
      const { table } = request.params;
      if (!isSyncTable(table)) return html(reply, 404, page(text('registers.notFoundTitle'), `<p class="warn">${escape(text('registers.notFound'))}</p>`, user));
      const query = registerQuerySchema.parse(request.query);
      const { q, branch, state, county, alert } = query;
      const known = registerSpecOf(table, undefined)!;
      const found = await registerPage(storage, table, known, registerFilter(query), EXPORT_LIMIT, 0);
      const spec = registerSpecOf(table, found.rows[0]?.data)!;
      const columns: SheetColumn<RegisterRowView>[] = [
        { header: text('export.branch'), width: 16, value: (row) => row.branchName },
        ...spec.columns.map((column) => ({ header: column.label, width: 18, value: (row: RegisterRowView) => column.text(row, found.today) })),
        { header: text('export.rowId'), width: 38, value: (row) => row.rowId },
      ];
      const file = await exportWorkbook(spec.title.slice(0, 31), columns, found.rows, new Date());
      await storage.transaction((tx) =>
        appendHeadOfficeAudit(tx, actorOf(user), { action: 'register.export', recordType: table, recordId: null, after: { query: q, branch, state, county, alert, rows: file.rows, total: found.total } }),
      );
      return sendXlsx(reply, `${table}.xlsx`, file.fileName, Buffer.from(file.contentBase64, 'base64'));
    });

    console.get<{ Querystring: unknown }>('/console/enterprises', async (request, reply) => {
      const user = await signedIn(request);
      if (user === null) return reply.redirect('/console/login', 303);
      const query = registerQuerySchema.parse(request.query);
      const { q, page: pageNumber } = query;
      const { rows: found, total } = await enterprisePage(storage, { query: q, branchId: query.branch, county: query.county }, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE);
      const rating = (level: unknown) => {
        const info = environmentalRatings.find((r) => r.level === level);
        return info === undefined ? '<span class="muted">—</span>' : `<span class="tag" style="background:${info.colour}">${info.plate} ${info.zh}</span>`;
      };
      const tag = (colour: string, words: string) => `<span class="tag" style="background:${colour}">${escape(words)}</span>`;
      const flags = (d: Record<string, unknown>) =>
        [
          d.outdated_capacity === 1 ? tag('#c62828', text('enterprises.flag.outdated', { deadline: String(d.outdated_capacity_exit_deadline ?? '') })) : '',
          d.negative_list === 1 ? tag('#c62828', text('enterprises.flag.negative')) : '',
          d.green_list === 1 ? tag('#2e7d32', text('enterprises.flag.green')) : '',
          d.miit_recommended === 1 ? tag('#1565c0', text('enterprises.flag.miit')) : '',
          d.green_factory_level === 'national' ? tag('#2e7d32', text('enterprises.flag.nationalFactory')) : d.green_factory_level === 'provincial' ? tag('#558b2f', text('enterprises.flag.provincialFactory')) : '',
        ].join('');
      const rows = found
        .map((r) => `<tr><td><a href="${recordHref('enterprises', r.branchId, r.rowId)}">${escape(r.data.name)}</a></td><td>${escape(r.data.uscc)}</td><td>${escape(r.branchName)}</td><td>${escape(r.data.industry_code)}</td><td>${escape(r.data.division_code)}</td><td>${rating(r.data.environmental_rating)}</td><td>${flags(r.data)}</td><td>${escape(r.updatedByName ?? r.data.updated_by)}<br><span class="muted">${beijing(typeof r.data.updated_at === 'string' ? r.data.updated_at : null)}</span></td></tr>`)
        .join('');
      const filters = filterSelects(await listBranches(storage), { ...query, state: '', alert: '' });
      const nav = registerNav('/console/enterprises', q, pageNumber, total, filterParams({ ...query, state: '', alert: '' }));
      return html(
        reply,
        200,
        page(
          text('nav.enterprises'),
          `<h2>${escape(text('enterprises.heading', { total }))}</h2>
<form class="search" method="get" action="/console/enterprises"><input name="q" value="${escape(q)}" placeholder="${escape(text('registers.searchHint'))}">${filters}<button type="submit">${escape(text('registers.search'))}</button></form>
<table><tr>${enterpriseHeadings.map((key) => `<th>${escape(text(key))}</th>`).join('')}</tr>${rows || `<tr><td colspan="8" class="muted">${escape(text('enterprises.none'))}</td></tr>`}</table>${nav}`,
          user,
        ),
      );
    });
  });
}
