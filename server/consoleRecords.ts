import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isSyncTable } from '../shared/sync/tables.ts';
import { beijing, escape, html, page } from './consolePage.ts';
import { registerSpecOf, type RegisterRowView } from './consoleRegisters.ts';
import { pageUser } from './consoleSignIn.ts';
import { text, textOr } from './consoleText.ts';
import type { HeadOfficeSessions } from './headOfficeSession.ts';
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

export function registerConsoleRecords(console: FastifyInstance, options: ConsoleRecordsOptions): void {
  const { storage, sessions } = options;

  console.get<{ Params: unknown }>('/console/records/:table/:branchId/:rowId', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'registers.read');
    if (signedIn === null) return reply;
    const params = paramsSchema.safeParse(request.params);
    const notFound = () => html(reply, 404, page(text('record.title'), `<p class="warn">${escape(text('record.notFound'))}</p>`, signedIn.user));
    if (!params.success || !isSyncTable(params.data.table)) return notFound();
    const { table, branchId, rowId } = params.data;
    const [row] = await storage.query<{ branch_name: string; data: Data; deleted: boolean; version: number; updated_at: string; enterprise: Data | null }>(
      `SELECT b.name AS branch_name, r.data, r.deleted, r.version, r.updated_at, e.data AS enterprise
       FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
       LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
       WHERE r.branch_id = $1 AND r.table_name = $2 AND r.row_id = $3`,
      [branchId, table, rowId],
    );
    if (row === undefined) return notFound();
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
    const view: RegisterRowView = { branchName: row.branch_name, branchId, rowId, data: row.data, enterprise: row.enterprise, names };
    const today = shanghaiDate(new Date());
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
    const body = `<h2>${escape(text('record.heading', { title: spec.title, branch: row.branch_name }))}${row.deleted ? ` <span class="warn">${escape(text('record.deleted'))}</span>` : ''}</h2>
<p class="muted">${escape(text('record.version', { version: row.version, at: beijing(row.updated_at) }))}</p>
<div class="panel"><h3>${escape(text('record.fields'))}</h3><dl class="terms">${own}</dl>
<details><summary>${escape(text('record.allFields'))}</summary><table><tr><th>${escape(text('record.field'))}</th><th>${escape(text('record.value'))}</th></tr>${every}</table></details></div>
<div class="panel"><h3>${escape(text('record.history'))}</h3><p class="muted">${escape(text('record.historyHint'))}</p>
<table data-testid="history"><tr>${(['record.received', 'record.madeAt', 'record.device', 'record.person', 'record.op', 'record.changed', 'record.outcome'] as const).map((key) => `<th>${escape(text(key))}</th>`).join('')}</tr>${
      changes || `<tr><td colspan="7" class="muted">${escape(text('record.noHistory'))}</td></tr>`
    }</table></div>`;
    return html(reply, 200, page(text('record.title'), body, signedIn.user));
  });
}
