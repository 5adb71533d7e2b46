import type { FastifyInstance, FastifyRequest } from 'fastify';
import { consoleEndpoints, REFERENCE_UPLOAD_BYTES, referenceParamsSchema, REFERENCE_WORKBOOK_PATH, type ReferencePreview, type ReferenceProblem, type ReferenceSetSummary } from '../shared/api/console.ts';
import type { HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import { referenceSetSchemaOf, referenceSetSchemas, shippedReferenceSets } from '../shared/sync/referenceSets.ts';
import { appliedReference } from './directory.ts';
import { HubError, parseWith } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, type SignedIn } from './headOfficeSession.ts';
import { bodyLimits, limitedTo, sendResult, sendXlsx } from './http.ts';
import { publishReference } from './ledger.ts';
import { readCatalogueWorkbook } from './catalogueWorkbook.ts';
import { fieldLabel, sheetLabel, referenceSetTitles } from './referenceLabels.ts';
import { parseReferencePublication } from './referencePublication.ts';
import { diffTables, hasChanges, PARAMETER_COLUMNS, toTables } from './referenceTables.ts';
import { readReferenceWorkbook, referenceFromSheets, writeReferenceWorkbook, type ReferenceUpload, type SheetRead } from './referenceWorkbook.ts';
import type { Storage } from './storage.ts';

/**
 * Head office's reference data, the console's JSON API behind its 参考数据 page
 * (renderer/src/console/ReferencePage.tsx, issue 18): each set's version in force (or the default the
 * laptops ship with, version 0) with who published it when and the source it names; its .xlsx;
 * a preview of an uploaded workbook or of tables edited on the page — checked with the set's schema,
 * each problem named by sheet, row and column, and diffed against the version in force — that
 * publishes nothing; and the version every branch's laptops reported holding at their last pull.
 *
 * A preview keeps no state on the hub (any hub process on the database answers the publish): the
 * page sends the previewed data back with the version it was diffed against, and a publish whose
 * base is no longer in force (a colleague published meanwhile) is refused instead of silently
 * replacing their version. The publish itself is the contract's 'reference.publish'.
 */
export interface ConsoleReferenceOptions {
  storage: Storage;
  /** The console API's check of session, CSRF token and role (headOfficeApp.ts). */
  authorize: (request: FastifyRequest, permission: HeadOfficePermission | null) => Promise<SignedIn>;
  /** Publishes count in the hub's metrics like the admin API's. */
  onReferencePublished: () => void;
}

interface InForce {
  version: number;
  data: unknown;
  publishedAt: string | null;
  publishedBy: string | null;
}

const endpoint = consoleEndpoints;

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value instanceof Date ? value : String(value)).toISOString());

/** The document a set names as its source, if it has one (every shipped set says where its figures come from). */
const sourceOf = (data: unknown): string | null =>
  typeof data === 'object' && data !== null && 'source' in data && typeof data.source === 'string' && data.source.trim() !== '' ? data.source : null;

/** Whether a top-level list's entries name their own sources (a benefit factor's, a reference price's). */
const entrySourcesOf = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && Object.values(data).some((value) => Array.isArray(value) && value.some((entry) => typeof entry === 'object' && entry !== null && typeof (entry as { source?: unknown }).source === 'string'));

const summaryOf = (name: string, current: InForce): ReferenceSetSummary => ({
  name,
  version: current.version,
  publishedAt: current.publishedAt,
  publishedBy: current.publishedBy,
  source: sourceOf(current.data),
  entrySources: entrySourcesOf(current.data),
});

async function inForce(storage: Storage, name: string): Promise<InForce | undefined> {
  const [row] = await storage.query<{ version: number; data: unknown; published_at: unknown; published_by: string }>(
    'SELECT version, data, published_at, published_by FROM reference_sets WHERE name = $1 ORDER BY version DESC LIMIT 1',
    [name],
  );
  if (row !== undefined) return { version: row.version, data: row.data, publishedAt: iso(row.published_at), publishedBy: row.published_by };
  return Object.hasOwn(shippedReferenceSets, name) ? { version: 0, data: shippedReferenceSets[name], publishedAt: null, publishedBy: null } : undefined;
}

async function setList(storage: Storage): Promise<ReferenceSetSummary[]> {
  const rows = await storage.query<{ name: string; version: number; data: unknown; published_at: unknown; published_by: string }>(
    'SELECT DISTINCT ON (name) name, version, data, published_at, published_by FROM reference_sets ORDER BY name, version DESC',
  );
  const published = new Map(rows.map((row) => [row.name, summaryOf(row.name, { version: row.version, data: row.data, publishedAt: iso(row.published_at), publishedBy: row.published_by })]));
  const names = [...new Set([...Object.keys(referenceSetSchemas), ...published.keys()])];
  // Known sets first in the order the console names them, then what head office published besides.
  const order = Object.keys(referenceSetTitles);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return names
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => published.get(name) ?? summaryOf(name, { version: 0, data: shippedReferenceSets[name], publishedAt: null, publishedBy: null }));
}

/** The problems of an upload as the page lists them; the message says how many, in Chinese first. */
function refuse(problems: readonly ReferenceProblem[], file: string | null): never {
  throw new HubError('VALIDATION', `${file === null ? '修改后的内容' : `「${file}」`}有 ${problems.length} 处问题，未发布（${problems.length} problem(s), nothing published）`, {
    problems: problems.slice(0, 200),
    total: problems.length,
  });
}

/**
 * The tables edited on the page as sheets are read: each known by its path (a path the set does not
 * have is a problem, as an unknown sheet is), each row numbered as the page numbers it (from 1).
 */
function editedSheets(tables: readonly { path: string | null; rows: Record<string, string | number | boolean | null>[] }[], template: unknown): { sheets: SheetRead[]; problems: ReferenceProblem[] } {
  const known = new Map(toTables(template).map((table) => [table.path, table]));
  const sheets: SheetRead[] = [];
  const problems: ReferenceProblem[] = [];
  for (const table of tables) {
    const shape = known.get(table.path);
    if (shape === undefined) {
      problems.push({ sheet: table.path ?? '', row: null, column: null, field: null, message: '这项参考数据没有这个表' });
      continue;
    }
    const keys = table.path === null ? PARAMETER_COLUMNS : shape.columns;
    const rows = table.rows.map((row) => Object.fromEntries(keys.map((key) => [key, typeof row[key] === 'string' && row[key].trim() === '' ? null : (row[key] ?? null)])));
    // As in a sheet, a row left empty is no row.
    const kept = rows.map((row, index) => ({ row, number: index + 1 })).filter(({ row }) => Object.values(row).some((value) => value !== null));
    sheets.push({ sheet: sheetLabel(table.path), path: table.path, keys, rows: kept.map(({ row }) => row), rowNumbers: kept.map(({ number }) => number) });
  }
  return { sheets, problems };
}

export function registerConsoleReference(api: FastifyInstance, options: ConsoleReferenceOptions): void {
  const { storage, authorize } = options;

  const knownSet = async (params: unknown): Promise<{ name: string; current: InForce }> => {
    const { name } = parseWith(referenceParamsSchema, params, 'reference set');
    const current = await inForce(storage, name);
    if (current === undefined) throw new HubError('NOT_FOUND', `No reference set ${name}`);
    return { name, current };
  };

  api.get(endpoint['reference.list'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    return sendResult(reply, { ok: true, value: { sets: await setList(storage) } });
  });

  api.get<{ Params: unknown }>(endpoint['reference.get'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    const { name, current } = await knownSet(request.params);
    const [applied, history] = await Promise.all([
      appliedReference(storage, name),
      storage.query<{ version: number; published_at: unknown; published_by: string }>('SELECT version, published_at, published_by FROM reference_sets WHERE name = $1 ORDER BY version DESC LIMIT 20', [name]),
    ]);
    return sendResult(reply, {
      ok: true,
      value: {
        set: summaryOf(name, current),
        tables: toTables(current.data),
        history: history.map((row) => ({ version: row.version, publishedAt: iso(row.published_at), publishedBy: row.published_by })),
        applied,
      },
    });
  });

  api.get<{ Params: unknown }>(REFERENCE_WORKBOOK_PATH, async (request, reply) => {
    await authorize(request, 'registers.read');
    const { name, current } = await knownSet(request.params);
    const title = referenceSetTitles[name] ?? name;
    return sendXlsx(reply, `${name}-v${current.version}.xlsx`, `${title}-v${current.version}.xlsx`, await writeReferenceWorkbook(name, current.version, current.data));
  });

  api.post<{ Params: unknown }>(endpoint['reference.preview'].path, limitedTo(bodyLimits.admin), async (request, reply) => {
    await authorize(request, 'reference.publish');
    const { name, current } = await knownSet(request.params);
    const input = parseWith(endpoint['reference.preview'].input, request.body, 'reference preview');
    let read;
    if (input.kind === 'xlsx') {
      const content = Buffer.from(input.contentBase64, 'base64');
      if (content.length > REFERENCE_UPLOAD_BYTES) throw new HubError('PAYLOAD_TOO_LARGE', `上传的文件超过 ${REFERENCE_UPLOAD_BYTES / 1024 / 1024} MB`);
      try {
        read = await readReferenceWorkbook(name, content, current.data);
      } catch (error) {
        if (error instanceof HubError) throw new HubError('VALIDATION', '上传的文件不是 .xlsx 工作簿，请上传从此处下载并修改后的文件（not an .xlsx workbook）', { reason: 'NOT_XLSX' });
        throw error;
      }
      // A green catalogue may also come as the catalogue's own sheet (代码, 名称, 层级, 上级代码: catalogueWorkbook.ts),
      // as typed from the official document, instead of the workbook downloaded here.
      if (!read.ok && name.startsWith('green-catalogue-') && read.problems.every((problem) => problem.row === null)) read = (await catalogueSheet(content, sourceOf(current.data) ?? name)) ?? read;
    } else {
      const edited = editedSheets(input.tables, current.data);
      if (edited.problems.length > 0) refuse(edited.problems, null);
      read = referenceFromSheets(name, edited.sheets, current.data);
      // On the page a problem is the row of its table; the sheet's column letters do not apply.
      if (!read.ok) read = { ok: false as const, problems: read.problems.map((problem) => ({ ...problem, column: null })) };
    }
    if (!read.ok) refuse(read.problems, input.kind === 'xlsx' ? input.fileName : null);
    const preview = previewOf(name, current, read.data);
    return sendResult(reply, { ok: true, value: preview });
  });

  api.post<{ Params: unknown }>(endpoint['reference.publish'].path, limitedTo(bodyLimits.admin), async (request, reply) => {
    const found = await authorize(request, 'reference.publish');
    const { name, data } = parseReferencePublication((request.params as { name?: unknown }).name, request.body);
    const { baseVersion, via } = parseWith(endpoint['reference.publish'].input, request.body, 'reference set');
    // From a preview: the set's own version field is the version it is published as, so a laptop's page and the data agree.
    const next = baseVersion === undefined ? undefined : baseVersion + 1;
    const stamped = next !== undefined && referenceSetSchemaOf(name) !== undefined && typeof data === 'object' && data !== null && !Array.isArray(data) && 'version' in data ? { ...data, version: next } : data;
    const published = await publishReference(storage, name, stamped, found.user.displayName, async (tx, set) => {
      if (next !== undefined && set.version !== next) throw new HubError('CONFLICT', `v${set.version - 1} was published meanwhile; this was checked against v${baseVersion}`, { version: set.version - 1, baseVersion });
      await appendHeadOfficeAudit(tx, actorOf(found.user), {
        action: 'reference.publish',
        recordType: 'reference_set',
        recordId: `${set.name}@${set.version}`,
        ...(baseVersion === undefined ? {} : { before: { version: baseVersion }, after: { version: set.version, via: `console.${via ?? 'json'}` } }),
      });
    });
    options.onReferencePublished();
    return sendResult(reply, { ok: true, value: published });
  });
}

/** A catalogue's own sheet read, or its problems by row; undefined when it is not one either (it lacks the columns). */
async function catalogueSheet(content: Buffer, source: string): Promise<ReferenceUpload | undefined> {
  try {
    return { ok: true, data: await readCatalogueWorkbook(content, source, { zh: true }) };
  } catch (error) {
    const details = error instanceof HubError ? (error.details as { rows?: { row: number | null; field: string; message: string }[]; sheet?: string; columns?: Record<string, number> } | undefined) : undefined;
    if (details?.rows === undefined) return undefined;
    const letter = (field: string) => (details.columns?.[field] === undefined || details.columns[field] < 1 ? null : String.fromCharCode(64 + details.columns[field]));
    return { ok: false, problems: details.rows.map((row) => ({ sheet: details.sheet ?? '', row: row.row, column: letter(row.field), field: row.field === '' ? null : fieldLabel(row.field), message: row.message })) };
  }
}

/** The data as it would be published and its diff against the version in force (its own version field aside). */
function previewOf(name: string, current: InForce, read: unknown): ReferencePreview {
  const nextVersion = current.version + 1;
  const data = referenceSetSchemaOf(name) !== undefined && typeof read === 'object' && read !== null && !Array.isArray(read) && 'version' in read ? { ...read, version: nextVersion } : read;
  const diff = diffTables(toTables(current.data), toTables(data));
  const changed = hasChanges(diff.map((table) => (table.path === null ? { ...table, changed: table.changed.filter((change) => change.after.path !== 'version') } : table)));
  return { baseVersion: current.version, nextVersion, changed, diff, data: data as ReferencePreview['data'] };
}
