import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isSyncTable } from '../shared/sync/tables.ts';
import { beijing, escape, html, page } from './consolePage.ts';
import { collateralItemAlerts, registerSpecOf, type RegisterRowView } from './consoleRegisters.ts';
import { csrfField, pageUser } from './consoleSignIn.ts';
import { text, textOr } from './consoleText.ts';
import { actorOf, type HeadOfficeSessions, type SignedIn } from './headOfficeSession.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import type { HubClock } from './clock.ts';
import { HubError } from './errors.ts';
import { bodyLimits, limitedTo } from './http.ts';
import { headOfficeChanges } from './ledger.ts';
import { uuidv7 } from 'uuidv7';
import { environmentalRatingEntrySchema } from '../shared/domain/enterprise.ts';
import { environmentalRatings } from '../shared/domain/environmentalRating.ts';
import { headOfficeMay } from '../shared/domain/headOfficeRoles.ts';
import type { Storage } from './storage.ts';
import { shanghaiDate } from '../shared/domain/calendar.ts';

/**
 * A synced record's page in the console (issue 18): the row as head office holds it (the register's
 * own columns, then every field) and its history across the branch's devices — each change head
 * office received within the dedupe window (sync_changes), with the laptop, the person, the fields
 * and what head office did with it (applied, held as a conflict, rejected and why).
 */

export interface ConsoleRecordsOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
  /** Stamps head office's writes (the hub's clock). */
  clock: HubClock;
}

const ratingFormSchema = z.object({
  level: environmentalRatingEntrySchema.shape.level,
  bureau: environmentalRatingEntrySchema.shape.bureau,
  ratedOn: environmentalRatingEntrySchema.shape.ratedOn,
});

type Notice = { saved?: string; error?: string };

/** The file's rating records, newest rating day first, and — for a 总行审批人 — the form that adds one. */
async function ratingsPanel(storage: Storage, branchId: string, enterpriseId: string, names: Record<string, string>, signedIn: SignedIn, notice: Notice): Promise<string> {
  const ratings = await storage.query<{ data: Data }>(
    "SELECT data FROM sync_rows WHERE branch_id = $1 AND table_name = 'enterprise_ratings' AND NOT deleted AND lower(data->>'enterprise_id') = lower($2) ORDER BY data->>'rated_on' DESC, data->>'created_at' DESC",
    [branchId, enterpriseId],
  );
  const plate = (level: unknown) => {
    const info = environmentalRatings.find((rating) => rating.level === level);
    return info === undefined ? escape(level) : `<span class="tag" style="background:${info.colour}">${escape(info.plate)} ${escape(info.zh)}</span>`;
  };
  const rows = ratings
    .map(({ data }) => `<tr><td>${plate(data.level)}</td><td>${escape(data.bureau)}</td><td>${escape(data.rated_on)}</td><td>${escape(names[String(data.created_by)] ?? data.created_by)}</td></tr>`)
    .join('');
  const form = !headOfficeMay(signedIn.user.role, 'records.edit')
    ? ''
    : `<h4>${escape(text('rating.add'))}</h4><p class="muted">${escape(text('rating.addHint'))}</p>
<form class="stack" method="post" action="${recordHref('enterprises', branchId, enterpriseId)}/ratings">${csrfField(signedIn)}
<label><span>${escape(text('rating.level'))}</span><select name="level">${environmentalRatings.map((rating) => `<option value="${rating.level}">${escape(rating.plate)} ${escape(rating.zh)}</option>`).join('')}</select></label>
<label><span>${escape(text('rating.bureau'))}</span><input name="bureau" required minlength="2" maxlength="100"></label>
<label><span>${escape(text('rating.ratedOn'))}</span><input name="ratedOn" type="date" required></label>
<button type="submit">${escape(text('rating.submit'))}</button></form>`;
  const shown = notice.saved !== undefined ? `<p class="ok" role="status">${escape(notice.saved)}</p>` : notice.error !== undefined ? `<p class="warn" role="alert">${escape(notice.error)}</p>` : '';
  return `<div class="panel"><h3>${escape(text('rating.title'))}</h3>${shown}<table data-testid="ratings"><tr><th>${escape(text('rating.level'))}</th><th>${escape(text('rating.bureau'))}</th><th>${escape(text('rating.ratedOn'))}</th><th>${escape(text('rating.by'))}</th></tr>${
    rows || `<tr><td colspan="4" class="muted">${escape(text('rating.none'))}</td></tr>`
  }</table>${form}</div>`;
}

/** The address of a record's page. */
export const recordHref = (table: string, branchId: string, rowId: string) => `/console/records/${encodeURIComponent(table)}/${branchId}/${rowId}`;

const paramsSchema = z.object({ table: z.string().max(60), branchId: z.uuid(), rowId: z.uuid() });
const HISTORY_LIMIT = 500;
const VALUE_CHARS = 120;
/** A change's own stamps, shown as its time and person rather than as fields. */
const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

type Data = Record<string, unknown>;

const shown = (value: unknown): string => {
  const textOf = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return textOf.length > VALUE_CHARS ? `${textOf.slice(0, VALUE_CHARS)}…` : textOf;
};

/** A record's page, or null when the branch holds no such row. */
async function recordPage(storage: Storage, signedIn: SignedIn, table: string, branchId: string, rowId: string, notice: Notice = {}): Promise<string | null> {
    const [row] = await storage.query<{ branch_name: string; data: Data; deleted: boolean; version: number; updated_at: string; enterprise: Data | null }>(
      `SELECT b.name AS branch_name, r.data, r.deleted, r.version, r.updated_at, e.data AS enterprise
       FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
       LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
       WHERE r.branch_id = $1 AND r.table_name = $2 AND r.row_id = $3`,
      [branchId, table, rowId],
    );
    if (row === undefined) return null;
    const history = await storage.query<{ received_at: string; at: string; actor: string; device_name: string | null; user_id: string; op: string; fields: Data; status: string; reason: string | null }>(
      `SELECT c.received_at, c.at, c.actor, d.name AS device_name, c.user_id, c.op, c.fields, c.status, c.reason
       FROM sync_changes c LEFT JOIN devices d ON d.device_id = c.device_id
       WHERE c.branch_id = $1 AND c.table_name = $2 AND c.row_id = $3
       ORDER BY c.received_at, c.op_id LIMIT ${HISTORY_LIMIT}`,
      [branchId, table, rowId],
    );
    const people = new Set([...history.map((change) => change.user_id), ...Object.values(row.data).filter((value): value is string => typeof value === 'string')]);
    const names = Object.fromEntries(
      (
        await storage.query<{ row_id: string; name: string | null }>(
          "SELECT row_id::text AS row_id, data->>'display_name' AS name FROM sync_rows WHERE branch_id = $1 AND table_name = 'people' AND row_id::text = ANY($2::text[])",
          [branchId, [...people]],
        )
      ).map((person) => [person.row_id, person.name ?? person.row_id]),
    );
    const spec = registerSpecOf(table, row.data)!;
    const today = shanghaiDate(new Date());
    const view: RegisterRowView = { branchName: row.branch_name, branchId, rowId, data: row.data, enterprise: row.enterprise, names, ...(spec.alerts === true ? { alerts: await collateralItemAlerts(storage, branchId, rowId, today) } : {}) };
    const own = spec.columns.map((column) => `<dt>${escape(column.label)}</dt><dd>${escape(column.text(view, today))}</dd>`).join('');
    const every = Object.entries(row.data)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([field, value]) => `<tr><td>${escape(field)}</td><td>${escape(shown(value))}</td></tr>`)
      .join('');
    const changes = history
      .map((change) => {
        const device = change.actor === 'device' ? (change.device_name ?? '—') : textOr(`record.actor.${change.actor}`, change.actor);
        const fields = Object.entries(change.fields)
          .filter(([field]) => !STAMPS.has(field))
          .map(([field, value]) => `${escape(field)} = ${escape(shown(value))}`)
          .join('<br>');
        const outcome = `${escape(textOr(`record.status.${change.status}`, change.status))}${change.reason === null ? '' : `<br><span class="muted">${escape(change.reason)}</span>`}`;
        return `<tr><td>${escape(beijing(change.received_at))}</td><td>${escape(beijing(change.at))}</td><td>${escape(device)}</td><td>${escape(names[change.user_id] ?? change.user_id)}</td><td>${escape(
          textOr(`record.op.${change.op}`, change.op),
        )}</td><td>${fields}</td><td>${outcome}</td></tr>`;
      })
      .join('');
    const ratings = table === 'enterprises' ? await ratingsPanel(storage, branchId, rowId, names, signedIn, notice) : '';
    const body = `<h2>${escape(text('record.heading', { title: spec.title, branch: row.branch_name }))}${row.deleted ? ` <span class="warn">${escape(text('record.deleted'))}</span>` : ''}</h2>
<p class="muted">${escape(text('record.version', { version: row.version, at: beijing(row.updated_at) }))}</p>
<div class="panel"><h3>${escape(text('record.fields'))}</h3><dl class="terms">${own}</dl>
<details><summary>${escape(text('record.allFields'))}</summary><table><tr><th>${escape(text('record.field'))}</th><th>${escape(text('record.value'))}</th></tr>${every}</table></details></div>
${ratings}<div class="panel"><h3>${escape(text('record.history'))}</h3><p class="muted">${escape(text('record.historyHint'))}</p>
<table data-testid="history"><tr>${(['record.received', 'record.madeAt', 'record.device', 'record.person', 'record.op', 'record.changed', 'record.outcome'] as const).map((key) => `<th>${escape(text(key))}</th>`).join('')}</tr>${
      changes || `<tr><td colspan="7" class="muted">${escape(text('record.noHistory'))}</td></tr>`
    }</table></div>`;
    return page(text('record.title'), body, signedIn.user);
}

export function registerConsoleRecords(console: FastifyInstance, options: ConsoleRecordsOptions): void {
  const { storage, sessions, clock } = options;

  console.get<{ Params: unknown }>('/console/records/:table/:branchId/:rowId', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'registers.read');
    if (signedIn === null) return reply;
    const params = paramsSchema.safeParse(request.params);
    const shown = params.success && isSyncTable(params.data.table) ? await recordPage(storage, signedIn, params.data.table, params.data.branchId, params.data.rowId) : null;
    return shown === null ? html(reply, 404, page(text('record.title'), `<p class="warn">${escape(text('record.notFound'))}</p>`, signedIn.user)) : html(reply, 200, shown);
  });

  // A 总行审批人 records the bureau's rating of a branch's file: an enterprise_ratings row written
  // through head office's apply path (the laptops' row rules), audited in the same transaction.
  console.post<{ Params: unknown; Body: Record<string, string | undefined> | undefined }>('/console/records/enterprises/:branchId/:rowId/ratings', limitedTo(bodyLimits.consoleForm), async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'records.edit');
    if (signedIn === null) return reply;
    const params = paramsSchema.omit({ table: true }).safeParse(request.params);
    const notFound = () => html(reply, 404, page(text('record.title'), `<p class="warn">${escape(text('record.notFound'))}</p>`, signedIn.user));
    if (!params.success) return notFound();
    const { branchId, rowId } = params.data;
    const [file] = await storage.query<{ name: unknown }>("SELECT data->>'name' AS name FROM sync_rows WHERE branch_id = $1 AND table_name = 'enterprises' AND row_id = $2 AND NOT deleted", [branchId, rowId]);
    if (file === undefined) return notFound();
    const again = async (status: number, notice: Notice) => html(reply, status, (await recordPage(storage, signedIn, 'enterprises', branchId, rowId, notice))!);
    const form = ratingFormSchema.safeParse(request.body ?? {});
    if (!form.success) return again(400, { error: text('rating.invalid') });
    const { user } = signedIn;
    const ratingId = uuidv7();
    const at = new Date().toISOString();
    const fields = { id: ratingId, created_at: at, created_by: user.id, updated_at: at, updated_by: user.id, deleted_at: null, enterprise_id: rowId, level: form.data.level, bureau: form.data.bureau, rated_on: form.data.ratedOn };
    try {
      await headOfficeChanges(storage, clock, { branchId, userId: user.id }, [{ table: 'enterprise_ratings', rowId: ratingId, op: 'insert', fields, baseVersion: 0 }], async (tx, [answer]) => {
        if (answer?.status !== 'applied') throw new HubError('VALIDATION', answer?.reason ?? answer?.status ?? 'refused', { result: answer });
        await appendHeadOfficeAudit(tx, actorOf(user), { action: 'enterprise_rating.record', recordType: 'enterprise_ratings', recordId: ratingId, after: { branchId, enterpriseId: rowId, enterprise: file.name, ...form.data } });
      });
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      return again(409, { error: text('rating.refused', { reason: error.message }) });
    }
    const level = environmentalRatings.find((rating) => rating.level === form.data.level)!;
    return again(200, { saved: text('rating.saved', { level: `${level.plate} ${level.zh}`, bureau: form.data.bureau, ratedOn: form.data.ratedOn }) });
  });
}
