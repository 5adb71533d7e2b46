import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { referenceNameSchema } from '../shared/sync/admin.ts';
import { referenceSetSchemaOf, referenceSetSchemas, shippedReferenceSets } from '../shared/sync/referenceSets.ts';
import { beijing, escape, html, page } from './consolePage.ts';
import { csrfField, pageUser } from './consoleSignIn.ts';
import { text, wanYuanText, yuanText } from './consoleText.ts';
import { appliedReference } from './directory.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, type HeadOfficeSessions, type SignedIn } from './headOfficeSession.ts';
import { bodyLimits, limitedTo, sendXlsx } from './http.ts';
import { publishReference } from './ledger.ts';
import { boundaryOf, parseMultipart, type MultipartForm } from './multipart.ts';
import { moneyFieldOf, referenceSetTitles, shownFieldLabel, shownPathLabel } from './referenceLabels.ts';
import { diffTables, hasChanges, toTables, type Cell, type Row, type TableDiff } from './referenceTables.ts';
import { problemText, readReferenceWorkbook, writeReferenceWorkbook } from './referenceWorkbook.ts';
import type { Storage } from './storage.ts';
import { headOfficeMay } from '../shared/domain/headOfficeRoles.ts';

/**
 * Head office's reference data as console pages (issue 18): each set's version in force (or the
 * default the laptops ship with, shown as version 0), downloaded as .xlsx, edited, uploaded again —
 * checked with the set's schema, its diff against the version in force shown — and published as the
 * next version by a 总行审批人, audited with who and when. Each set's page shows the version every
 * branch's laptops reported holding at their last pull (migration 0008).
 *
 * An upload waits as a draft in the hub's memory until it is published (at most DRAFT_MINUTES):
 * what is published is exactly what was diffed, and a publish whose base is no longer in force (a
 * colleague published meanwhile) is refused instead of silently replacing their version.
 */
export interface ConsoleReferenceOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
  /** Publishes count in the hub's metrics like the admin API's. */
  onReferencePublished: () => void;
}

interface InForce {
  version: number;
  data: unknown;
  publishedAt: string | null;
  publishedBy: string | null;
}

interface Draft {
  userId: string;
  name: string;
  baseVersion: number;
  data: unknown;
  at: number;
}

const DRAFT_MINUTES = 30;
const MAX_DRAFTS = 100;
const FILES = Symbol('files');

type UploadBody = Record<string, string> & { [FILES]?: MultipartForm['files'] };

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value instanceof Date ? value : String(value)).toISOString());

async function inForce(storage: Storage, name: string): Promise<InForce | undefined> {
  const [row] = await storage.query<{ version: number; data: unknown; published_at: unknown; published_by: string }>(
    'SELECT version, data, published_at, published_by FROM reference_sets WHERE name = $1 ORDER BY version DESC LIMIT 1',
    [name],
  );
  if (row !== undefined) return { version: row.version, data: row.data, publishedAt: iso(row.published_at), publishedBy: row.published_by };
  return Object.hasOwn(shippedReferenceSets, name) ? { version: 0, data: shippedReferenceSets[name], publishedAt: null, publishedBy: null } : undefined;
}

async function setList(storage: Storage): Promise<{ name: string; version: number; publishedAt: string | null; publishedBy: string | null }[]> {
  const rows = await storage.query<{ name: string; version: number; published_at: unknown; published_by: string }>(
    'SELECT DISTINCT ON (name) name, version, published_at, published_by FROM reference_sets ORDER BY name, version DESC',
  );
  const published = new Map(rows.map((row) => [row.name, { name: row.name, version: row.version, publishedAt: iso(row.published_at), publishedBy: row.published_by }]));
  const names = [...new Set([...Object.keys(referenceSetSchemas), ...published.keys()])];
  return names.map((name) => published.get(name) ?? { name, version: 0, publishedAt: null, publishedBy: null });
}

async function history(storage: Storage, name: string) {
  return storage.query<{ version: number; published_at: unknown; published_by: string }>(
    'SELECT version, published_at, published_by FROM reference_sets WHERE name = $1 ORDER BY version DESC LIMIT 20',
    [name],
  );
}

const title = (name: string) => referenceSetTitles[name] ?? name;
const versionText = (version: number) => (version === 0 ? text('reference.shipped') : `v${version}`);

const cellText = (cell: Cell | undefined): string => (cell === null || cell === undefined ? '' : Array.isArray(cell) ? cell.join('、') : String(cell));

/** The fewest decimals (at least the console's two) that show an amount in 万元 exactly: no change to the fen hides in rounding. */
const exactWanDecimals = (fen: number): number => [2, 3, 4, 5].find((decimals) => fen % 10 ** (6 - decimals) === 0) ?? 6;

/** A cell as the diff shows it: money stored in 分 in the console's unit (referenceLabels.ts moneyFields), the rest as stored. */
function shownCell(cell: Cell | undefined, field: string): string {
  const money = moneyFieldOf(field);
  if (money === undefined || typeof cell !== 'number' || !Number.isSafeInteger(cell)) return cellText(cell);
  return money.unit === 'yuan' ? yuanText(cell) : wanYuanText(cell, exactWanDecimals(cell));
}

/** One table's diff: added rows green, removed struck through, changed cells old → new, highlighted. */
function diffTable(diff: TableDiff): string {
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) return '';
  const parameters = diff.path === null;
  const columns = parameters ? ['path', 'value'] : diff.columns;
  const head = `<tr><th>${escape(text('reference.change'))}</th>${columns.map((column) => `<th>${escape(shownFieldLabel(column))}</th>`).join('')}</tr>`;
  // A 参数 row's value is the field its path names; a list's cell the field its column names.
  const show = (row: Row, column: string) =>
    parameters && column === 'path' ? `${shownPathLabel(String(row.path))}（${row.path}）` : shownCell(row[column], parameters ? String(row.path) : column);
  const cells = (row: Row, style = '') => columns.map((column) => `<td${style}>${escape(show(row, column))}</td>`).join('');
  const rows = [
    ...diff.changed.map(
      (change) =>
        `<tr data-change="changed"><td>${escape(text('reference.changed'))}</td>${columns
          .map((column) =>
            change.changed.includes(column)
              ? `<td class="changed"><del>${escape(show(change.before, column))}</del> → <ins>${escape(show(change.after, column))}</ins></td>`
              : `<td>${escape(show(change.after, column))}</td>`,
          )
          .join('')}</tr>`,
    ),
    ...diff.added.map((row) => `<tr data-change="added" class="added"><td>${escape(text('reference.added'))}</td>${cells(row)}</tr>`),
    ...diff.removed.map((row) => `<tr data-change="removed" class="removed"><td>${escape(text('reference.removed'))}</td>${cells(row, ' style="text-decoration:line-through"')}</tr>`),
  ].join('');
  const summary = text('reference.tableSummary', { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchanged });
  return `<h3>${escape(parameters ? text('reference.parameters') : shownFieldLabel(diff.path ?? ''))} <span class="muted">${escape(summary)}</span></h3><table class="diff">${head}${rows}</table>`;
}

const DIFF_STYLE = '<style>tr.added td{background:#e8f5e9}tr.removed td{background:#fdecea;color:#8a1c1c}td.changed{background:#fff4c2}del{color:#8a1c1c}ins{color:#1f7a4d;text-decoration:none;font-weight:bold}table.diff{margin-bottom:16px}</style>';

export function registerConsoleReference(console: FastifyInstance, options: ConsoleReferenceOptions): void {
  const { storage, sessions } = options;
  const drafts = new Map<string, Draft>();

  const keepDraft = (draft: Draft): string => {
    const now = Date.now();
    for (const [id, old] of drafts) if (now - old.at > DRAFT_MINUTES * 60_000) drafts.delete(id);
    while (drafts.size >= MAX_DRAFTS) drafts.delete(drafts.keys().next().value as string);
    const id = randomBytes(16).toString('base64url');
    drafts.set(id, draft);
    return id;
  };

  const knownSet = async (rawName: unknown, reply: FastifyReply, signedIn: SignedIn): Promise<{ name: string; current: InForce } | null> => {
    const name = referenceNameSchema.safeParse(rawName);
    const current = name.success ? await inForce(storage, name.data) : undefined;
    if (!name.success || current === undefined) {
      await html(reply, 404, page(text('console.title'), `<p class="warn">${escape(text('reference.unknown'))}</p>`, signedIn.user));
      return null;
    }
    return { name: name.data, current };
  };

  const refusal = (reply: FastifyReply, status: number, signedIn: SignedIn, name: string, message: string) =>
    html(reply, status, page(title(name), `<h2>${escape(title(name))}</h2><p class="warn" role="alert">${escape(message)}</p><p><a href="/console/reference/${encodeURIComponent(name)}">${escape(text('reference.back'))}</a></p>`, signedIn.user));

  console.register(async (forms) => {
    forms.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
      try {
        const form = parseMultipart(body as Buffer, boundaryOf(request.headers['content-type']));
        done(null, Object.assign({ ...form.fields }, { [FILES]: form.files }));
      } catch (error) {
        done(error as Error, undefined);
      }
    });

    forms.get('/console/reference', async (request, reply) => {
      const signedIn = await pageUser(sessions, request, reply, 'registers.read');
      if (signedIn === null) return reply;
      const sets = await setList(storage);
      const rows = sets
        .map(
          (set) =>
            `<tr><td><a href="/console/reference/${encodeURIComponent(set.name)}">${escape(title(set.name))}</a><br><span class="muted">${escape(set.name)}</span></td><td>${escape(versionText(set.version))}</td><td>${escape(set.publishedBy ?? '—')}</td><td>${beijing(set.publishedAt)}</td>` +
            `<td><a href="/console/reference/${encodeURIComponent(set.name)}/download.xlsx">${escape(text('reference.download'))}</a></td></tr>`,
        )
        .join('');
      return html(
        reply,
        200,
        page(
          text('reference.title'),
          `<h2>${escape(text('reference.title'))}</h2><p class="muted">${escape(text('reference.hint'))}</p><table><tr><th>${escape(text('reference.set'))}</th><th>${escape(text('reference.inForce'))}</th><th>${escape(text('reference.publishedBy'))}</th><th>${escape(text('reference.publishedAt'))}</th><th></th></tr>${rows}</table>`,
          signedIn.user,
        ),
      );
    });

    forms.get<{ Params: { name: string }; Querystring: { published?: string } }>('/console/reference/:name', async (request, reply) => {
      const signedIn = await pageUser(sessions, request, reply, 'registers.read');
      if (signedIn === null) return reply;
      const set = await knownSet(request.params.name, reply, signedIn);
      if (set === null) return reply;
      const { name, current } = set;
      const [applied, versions] = await Promise.all([appliedReference(storage, name), history(storage, name)]);
      const published = Number(request.query.published);
      const notice = Number.isInteger(published) && published === current.version ? `<p class="ok" role="status">${escape(text('reference.publishedNotice', { version: published }))}</p>` : '';
      const upload = headOfficeMay(signedIn.user.role, 'reference.publish')
        ? `<form method="post" action="/console/reference/${encodeURIComponent(name)}/upload" enctype="multipart/form-data">${csrfField(signedIn)}
<label>${escape(text('reference.uploadLabel'))} <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label> <button type="submit">${escape(text('reference.upload'))}</button></form>`
        : `<p class="muted">${escape(text('reference.viewOnly'))}</p>`;
      const appliedRows = applied
        .map(
          (row) =>
            `<tr data-branch="${escape(row.branchName)}"><td>${escape(row.branchName)}</td><td>${escape(row.deviceName)}</td><td${row.version < current.version ? ' class="warn"' : ''}>${escape(versionText(row.version))}</td><td>${beijing(row.lastSyncAt)}</td></tr>`,
        )
        .join('');
      const historyRows = versions.map((row) => `<tr><td>v${row.version}</td><td>${escape(row.published_by)}</td><td>${beijing(iso(row.published_at))}</td></tr>`).join('');
      return html(
        reply,
        200,
        page(
          title(name),
          `<h2>${escape(title(name))} <span class="muted">${escape(name)}</span></h2>${notice}
<div class="panel"><p>${escape(text('reference.inForce'))}：<strong data-testid="in-force">${escape(versionText(current.version))}</strong>${current.publishedBy === null ? '' : ` · ${escape(text('reference.publishedByAt', { who: current.publishedBy, at: beijing(current.publishedAt) }))}`}</p>
<p><a href="/console/reference/${encodeURIComponent(name)}/download.xlsx">${escape(text('reference.downloadCurrent'))}</a></p>${upload}</div>
<h3>${escape(text('reference.applied'))}</h3><p class="muted">${escape(text('reference.appliedHint'))}</p>
<table><tr><th>${escape(text('reference.branch'))}</th><th>${escape(text('reference.device'))}</th><th>${escape(text('reference.appliedVersion'))}</th><th>${escape(text('reference.lastSync'))}</th></tr>${appliedRows || `<tr><td colspan="4" class="muted">${escape(text('reference.noDevices'))}</td></tr>`}</table>
<h3>${escape(text('reference.history'))}</h3><table><tr><th>${escape(text('reference.version'))}</th><th>${escape(text('reference.publishedBy'))}</th><th>${escape(text('reference.publishedAt'))}</th></tr>${historyRows || `<tr><td colspan="3" class="muted">${escape(text('reference.neverPublished'))}</td></tr>`}</table>`,
          signedIn.user,
        ),
      );
    });

    forms.get<{ Params: { name: string } }>('/console/reference/:name/download.xlsx', async (request, reply) => {
      const signedIn = await pageUser(sessions, request, reply, 'registers.read');
      if (signedIn === null) return reply;
      const set = await knownSet(request.params.name, reply, signedIn);
      if (set === null) return reply;
      const file = `${set.name}-v${set.current.version}.xlsx`;
      return sendXlsx(reply, file, `${title(set.name)}-v${set.current.version}.xlsx`, await writeReferenceWorkbook(set.name, set.current.version, set.current.data));
    });

    forms.post<{ Params: { name: string } }>('/console/reference/:name/upload', limitedTo(bodyLimits.admin), async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const signedIn = await pageUser(sessions, request, reply, 'reference.publish');
      if (signedIn === null) return reply;
      const set = await knownSet(request.params.name, reply, signedIn);
      if (set === null) return reply;
      const { name, current } = set;
      const file = (request.body as UploadBody | undefined)?.[FILES]?.file;
      if (file === undefined || file.content.length === 0) return refusal(reply, 400, signedIn, name, text('reference.noFile'));
      let read;
      try {
        read = await readReferenceWorkbook(name, file.content, current.data);
      } catch (error) {
        if (error instanceof HubError) return refusal(reply, 400, signedIn, name, text('reference.notXlsx'));
        throw error;
      }
      if (!read.ok) {
        const items = read.problems.slice(0, 50).map((problem) => `<li>${escape(problemText(problem))}</li>`).join('');
        const more = read.problems.length > 50 ? `<li class="muted">${escape(text('reference.moreProblems', { n: read.problems.length - 50 }))}</li>` : '';
        return html(
          reply,
          400,
          page(
            title(name),
            `<h2>${escape(title(name))}</h2><p class="warn" role="alert">${escape(text('reference.problems', { file: file.filename, n: read.problems.length }))}</p><ul data-testid="problems">${items}${more}</ul><p><a href="/console/reference/${encodeURIComponent(name)}">${escape(text('reference.back'))}</a></p>`,
            signedIn.user,
          ),
        );
      }
      const next = current.version + 1;
      // A known set's own version field is the version it is published as, so a laptop's page and
      // the data agree.
      const data = referenceSetSchemaOf(name) !== undefined && typeof read.data === 'object' && read.data !== null && 'version' in read.data ? { ...read.data, version: next } : read.data;
      const diffs = diffTables(toTables(current.data), toTables(data));
      const changed = hasChanges(diffs.map((diff) => (diff.path === null ? { ...diff, changed: diff.changed.filter((change) => change.after.path !== 'version') } : diff)));
      const draft = changed ? keepDraft({ userId: signedIn.user.id, name, baseVersion: current.version, data, at: Date.now() }) : null;
      const publish =
        draft === null
          ? `<p class="muted">${escape(text('reference.noChange'))}</p>`
          : `<form method="post" action="/console/reference/${encodeURIComponent(name)}/publish">${csrfField(signedIn)}<input type="hidden" name="draft" value="${escape(draft)}"><button type="submit">${escape(text('reference.publish', { version: next }))}</button></form>`;
      return html(
        reply,
        200,
        page(
          title(name),
          `${DIFF_STYLE}<h2>${escape(text('reference.diffHeading', { title: title(name), from: versionText(current.version), to: `v${next}` }))}</h2><p class="muted">${escape(text('reference.diffFile', { file: file.filename }))}</p>
<div data-testid="diff">${diffs.map(diffTable).join('')}</div>${publish}<p><a href="/console/reference/${encodeURIComponent(name)}">${escape(text('reference.cancel'))}</a></p>`,
          signedIn.user,
        ),
      );
    });

    forms.post<{ Params: { name: string }; Body: Record<string, string | undefined> }>('/console/reference/:name/publish', limitedTo(bodyLimits.consoleForm), async (request, reply) => {
      const signedIn = await pageUser(sessions, request, reply, 'reference.publish');
      if (signedIn === null) return reply;
      const set = await knownSet(request.params.name, reply, signedIn);
      if (set === null) return reply;
      const { name } = set;
      const id = request.body?.draft ?? '';
      const draft = drafts.get(id);
      if (draft === undefined || draft.userId !== signedIn.user.id || draft.name !== name) return refusal(reply, 409, signedIn, name, text('reference.draftGone'));
      try {
        const published = await publishReference(storage, name, draft.data as never, signedIn.user.displayName, async (tx, done) => {
          if (done.version !== draft.baseVersion + 1) throw new HubError('CONFLICT', 'Another version was published meanwhile', { version: done.version - 1 });
          await appendHeadOfficeAudit(tx, actorOf(signedIn.user), { action: 'reference.publish', recordType: 'reference_set', recordId: `${name}@${done.version}`, before: { version: draft.baseVersion }, after: { version: done.version, via: 'console.xlsx' } });
        });
        drafts.delete(id);
        options.onReferencePublished();
        return reply.redirect(`/console/reference/${encodeURIComponent(name)}?published=${published.version}`, 303);
      } catch (error) {
        if (error instanceof HubError && error.code === 'CONFLICT') {
          drafts.delete(id);
          return refusal(reply, 409, signedIn, name, text('reference.superseded', { version: Number(error.details?.version) }));
        }
        throw error;
      }
    });
  });
}
