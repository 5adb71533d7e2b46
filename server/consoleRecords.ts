import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { consoleEndpoints, consoleRecordPath, type ConsoleRecord } from '../shared/api/console.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import { collateralItemAlerts, registerSpecOf, type RegisterRowView } from './consoleRegisters.ts';
import { actorOf, type SignedIn } from './headOfficeSession.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import type { HubClock } from './clock.ts';
import { HubError, parseWith } from './errors.ts';
import { bodyLimits, limitedTo, sendResult } from './http.ts';
import { headOfficeChanges } from './ledger.ts';
import { uuidv7 } from 'uuidv7';
import type { HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import type { Storage } from './storage.ts';
import { shanghaiDate } from '../shared/domain/calendar.ts';
import type { FastifyRequest } from 'fastify';

/**
 * A synced record's page in the console (issue 18), as the console API's records.get: the row as
 * head office holds it (the register's own columns, then every field) and its history across the
 * branch's devices — each change head office received within the dedupe window (sync_changes), with
 * the laptop, the person, the fields and what head office did with it (applied, held as a
 * conflict, rejected and why). An enterprise file's page also carries its rating records, and a
 * 总行审批人 adds one (records.addRating) through head office's apply path, as the admin endpoint does.
 */

export interface ConsoleRecordsOptions {
  storage: Storage;
  clock: HubClock;
  /** The console API's check of session, CSRF token and permission (headOfficeApp.ts). */
  authorize: (request: FastifyRequest, permission: HeadOfficePermission | null) => Promise<SignedIn>;
}

/** The address of a record's page (the contract's; the registers link to it). */
export const recordHref = consoleRecordPath;

const paramsSchema = z.object({ table: z.string().max(60), branchId: z.uuid(), rowId: z.uuid() });
const HISTORY_LIMIT = 500;
/** A change's own stamps, shown as its time and person rather than as fields. */
const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

type Data = Record<string, unknown>;

const noSuchRecord = () => new HubError('NOT_FOUND', 'The branch holds no such record');

/**
 * Display names of people by id: the branch's directory (people), then head office's own people —
 * head office's writes (a rating, a decision) name a head-office person, not one of the branch's.
 */
async function namesOf(storage: Storage, branchId: string, ids: Iterable<string>): Promise<Record<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return {};
  const names: Record<string, string> = Object.fromEntries(
    (
      await storage.query<{ row_id: string; name: string | null }>(
        "SELECT row_id::text AS row_id, data->>'display_name' AS name FROM sync_rows WHERE branch_id = $1 AND table_name = 'people' AND row_id::text = ANY($2::text[])",
        [branchId, wanted],
      )
    ).map((person) => [person.row_id, person.name ?? person.row_id]),
  );
  const unnamed = wanted.filter((id) => !Object.hasOwn(names, id));
  if (unnamed.length > 0) {
    const headOffice = await storage.query<{ user_id: string; display_name: string }>('SELECT user_id::text AS user_id, display_name FROM head_office_users WHERE user_id::text = ANY($1::text[])', [unnamed]);
    for (const person of headOffice) names[person.user_id] = person.display_name;
  }
  return names;
}

/** The file's rating records, newest rating day first. */
async function ratingsOf(storage: Storage, branchId: string, enterpriseId: string): Promise<ConsoleRecord['ratings']> {
  const ratings = await storage.query<{ row_id: string; data: Data }>(
    "SELECT row_id::text AS row_id, data FROM sync_rows WHERE branch_id = $1 AND table_name = 'enterprise_ratings' AND NOT deleted AND lower(data->>'enterprise_id') = lower($2) ORDER BY data->>'rated_on' DESC, data->>'created_at' DESC",
    [branchId, enterpriseId],
  );
  const names = await namesOf(storage, branchId, ratings.map(({ data }) => String(data.created_by ?? '')));
  return ratings.map(({ row_id: id, data }) => ({ id, level: String(data.level ?? ''), bureau: String(data.bureau ?? ''), ratedOn: String(data.rated_on ?? ''), by: names[String(data.created_by)] ?? String(data.created_by ?? '—') }));
}

/** A record's page, or null when the branch holds no such row. */
async function recordOf(storage: Storage, table: string, branchId: string, rowId: string): Promise<ConsoleRecord | null> {
  const [row] = await storage.query<{ branch_name: string; data: Data; deleted: boolean; version: number; updated_at: string | Date; enterprise: Data | null }>(
    `SELECT b.name AS branch_name, r.data, r.deleted, r.version, r.updated_at, e.data AS enterprise
     FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     WHERE r.branch_id = $1 AND r.table_name = $2 AND r.row_id = $3`,
    [branchId, table, rowId],
  );
  if (row === undefined) return null;
  const history = await storage.query<{ received_at: string | Date; at: string | Date; actor: string; device_name: string | null; user_id: string; op: string; fields: Data; status: string; reason: string | null }>(
    `SELECT c.received_at, c.at, c.actor, d.name AS device_name, c.user_id, c.op, c.fields, c.status, c.reason
     FROM sync_changes c LEFT JOIN devices d ON d.device_id = c.device_id
     WHERE c.branch_id = $1 AND c.table_name = $2 AND c.row_id = $3
     ORDER BY c.received_at, c.op_id LIMIT ${HISTORY_LIMIT}`,
    [branchId, table, rowId],
  );
  const people = new Set([...history.map((change) => change.user_id), ...Object.values(row.data).filter((value): value is string => typeof value === 'string')]);
  const names = await namesOf(storage, branchId, people);
  const spec = registerSpecOf(table, row.data)!;
  const today = shanghaiDate(new Date());
  const view: RegisterRowView = { branchName: row.branch_name, branchId, rowId, data: row.data, enterprise: row.enterprise, names, ...(spec.alerts === true ? { alerts: await collateralItemAlerts(storage, branchId, rowId, today) } : {}) };
  const iso = (value: string | Date) => new Date(value).toISOString();
  return {
    table,
    title: spec.title,
    branchId,
    branchName: row.branch_name,
    rowId,
    deleted: row.deleted,
    version: row.version,
    updatedAt: iso(row.updated_at),
    summary: spec.columns.map((column) => ({ label: column.label, value: column.text(view, today) })),
    fields: Object.entries(row.data)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([field, value]) => ({ field, value })),
    history: history.map((change) => ({
      receivedAt: iso(change.received_at),
      at: iso(change.at),
      actor: change.actor,
      deviceName: change.device_name,
      person: names[change.user_id] ?? change.user_id,
      op: change.op,
      fields: Object.entries(change.fields)
        .filter(([field]) => !STAMPS.has(field))
        .map(([field, value]) => ({ field, value })),
      status: change.status,
      reason: change.reason,
    })),
    historyLimit: HISTORY_LIMIT,
    ratings: table === 'enterprises' ? await ratingsOf(storage, branchId, rowId) : null,
  };
}

const endpoint = consoleEndpoints;

/** The record page's endpoints of the console API, registered in its scope (headOfficeApp.ts). */
export function registerConsoleRecordsApi(api: FastifyInstance, options: ConsoleRecordsOptions): void {
  const { storage, clock, authorize } = options;

  api.get<{ Params: unknown }>(endpoint['records.get'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    const params = paramsSchema.safeParse(request.params);
    const found = params.success && isSyncTable(params.data.table) ? await recordOf(storage, params.data.table, params.data.branchId, params.data.rowId) : null;
    if (found === null) throw noSuchRecord();
    return sendResult(reply, { ok: true, value: found });
  });

  // A 总行审批人 records the bureau's rating of a branch's file: an enterprise_ratings row written
  // through head office's apply path (the laptops' row rules), audited in the same transaction.
  api.post<{ Params: unknown }>(endpoint['records.addRating'].path, limitedTo(bodyLimits.consoleForm), async (request, reply) => {
    const { user } = await authorize(request, 'records.edit');
    const params = paramsSchema.omit({ table: true }).safeParse(request.params);
    if (!params.success) throw noSuchRecord();
    const { branchId, rowId } = params.data;
    const input = parseWith(endpoint['records.addRating'].input, request.body, 'rating');
    const [file] = await storage.query<{ name: unknown }>("SELECT data->>'name' AS name FROM sync_rows WHERE branch_id = $1 AND table_name = 'enterprises' AND row_id = $2 AND NOT deleted", [branchId, rowId]);
    if (file === undefined) throw noSuchRecord();
    const ratingId = uuidv7();
    const at = new Date().toISOString();
    const fields = { id: ratingId, created_at: at, created_by: user.id, updated_at: at, updated_by: user.id, deleted_at: null, enterprise_id: rowId, level: input.level, bureau: input.bureau, rated_on: input.ratedOn };
    await headOfficeChanges(storage, clock, { branchId, userId: user.id }, [{ table: 'enterprise_ratings', rowId: ratingId, op: 'insert', fields, baseVersion: 0 }], async (tx, [answer]) => {
      // Refused by the apply path (the row rules): nothing written, and the refusal named.
      if (answer?.status !== 'applied') throw new HubError('CONFLICT', `The rating was refused: ${answer?.reason ?? answer?.status ?? 'refused'}`, { reason: answer?.reason ?? answer?.status ?? 'refused' });
      await appendHeadOfficeAudit(tx, actorOf(user), { action: 'enterprise_rating.record', recordType: 'enterprise_ratings', recordId: ratingId, after: { branchId, enterpriseId: rowId, enterprise: file.name, ...input } });
    });
    return sendResult(reply, { ok: true, value: (await recordOf(storage, 'enterprises', branchId, rowId))! });
  });
}
