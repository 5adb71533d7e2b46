import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { APPROVALS_PAGE_SIZE, consoleEndpoints, type EscalatedApplicationDetail, type EscalatedApplicationView } from '../shared/api/console.ts';
import type { HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import type { HubClock } from './clock.ts';
import { registerPage, registerSpecs, type RegisterRowView } from './consoleRegisters.ts';
import { HubError, parseWith } from './errors.ts';
import { amountOf, decideEscalated, escalatedApplication, type EscalatedApplication } from './escalations.ts';
import type { SignedIn } from './headOfficeSession.ts';
import { limitedTo, sendResult } from './http.ts';
import type { Storage } from './storage.ts';

/**
 * The head-office approval queue, as the console API's approvals.* endpoints: the credit
 * applications branches escalated (上报上级行), across branches, as the 授信申请 register narrowed to
 * them (consoleRegisters.ts); an application's page with its terms and its workflow so far; and a
 * 总行审批人's decision. Every role reads the queue; only an approver whose own limit covers the
 * amount decides (escalations.ts, through the hub's apply path, audited) — the role is refused by
 * the session's check before any lookup.
 */
export interface ConsoleApprovalsOptions {
  storage: Storage;
  clock: HubClock;
  /** The console API's check of session, CSRF token and permission (headOfficeApp.ts). */
  authorize: (request: FastifyRequest, permission: HeadOfficePermission | null) => Promise<SignedIn>;
}

const params = z.object({ branchId: z.uuid(), rowId: z.uuid() });
const credit = registerSpecs.credit_applications!;
/** An opinion is up to 2,000 characters, 3 bytes each in UTF-8, and JSON may escape them: room for that, no more. */
const decisionLimit = { wire: 16 * 1024, inflated: 16 * 1024 };

type Data = Record<string, unknown>;
const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const intOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null);

/** An application's terms as the page shows them, from its synced row. */
function applicationView(row: { branchId: string; branchName: string; rowId: string; version: number; data: Data; enterprise: Data | null; names: Record<string, string> }): EscalatedApplicationView {
  const { data, enterprise, names } = row;
  const person = (field: string) => {
    const id = textOrNull(data[field]);
    return id === null ? null : (names[id] ?? id);
  };
  return {
    branchId: row.branchId,
    branchName: row.branchName,
    rowId: row.rowId,
    version: row.version,
    enterpriseName: textOrNull(enterprise?.name),
    uscc: textOrNull(enterprise?.uscc),
    product: textOrNull(data.product),
    amountFen: amountOf(data),
    termMonths: intOrNull(data.term_months),
    rateBp: intOrNull(data.rate_bp),
    guaranteeMode: textOrNull(data.guarantee_mode),
    purpose: textOrNull(data.purpose),
    greenProject: data.green_project === 1 || data.green_project === true,
    priority: enterprise?.miit_recommended === 1 || (enterprise?.green_factory_level ?? null) !== null,
    status: String(data.status ?? ''),
    investigator: person('investigator_id'),
    decider: person('decider_id'),
    stepEnteredAt: textOrNull(data.step_entered_at),
  };
}

function detailOf(application: EscalatedApplication): EscalatedApplicationDetail {
  return {
    application: applicationView(application),
    steps: application.steps.map(({ data, actorName }) => ({
      step: String(data.step ?? ''),
      action: String(data.action ?? ''),
      actor: actorName,
      opinion: String(data.opinion ?? ''),
      actedAt: textOrNull(data.acted_at),
    })),
  };
}

/** The version of a queue row: the register's page reads the rows without it, so the queue reads it by key. */
async function versionsOf(storage: Storage, rows: readonly RegisterRowView[]): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const found = await storage.query<{ branch_id: string; row_id: string; version: number }>(
    `SELECT r.branch_id::text AS branch_id, r.row_id::text AS row_id, r.version FROM unnest($1::uuid[], $2::uuid[]) AS k(branch_id, row_id)
     JOIN sync_rows r ON r.branch_id = k.branch_id AND r.table_name = 'credit_applications' AND r.row_id = k.row_id`,
    [rows.map((row) => row.branchId), rows.map((row) => row.rowId)],
  );
  return new Map(found.map((row) => [`${row.branch_id}/${row.row_id}`, row.version]));
}

const endpoint = consoleEndpoints;

/** The approval queue's endpoints of the console API, registered in its scope (headOfficeApp.ts). */
export function registerConsoleApprovalsApi(api: FastifyInstance, options: ConsoleApprovalsOptions): void {
  const { storage, clock, authorize } = options;

  const find = async (request: FastifyRequest): Promise<EscalatedApplication> => {
    const target = params.safeParse(request.params);
    const application = target.success ? await escalatedApplication(storage, target.data.branchId, target.data.rowId) : undefined;
    if (application === undefined) throw new HubError('NOT_FOUND', 'The branch holds no such credit application');
    return application;
  };

  api.get<{ Querystring: unknown }>(endpoint['approvals.list'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    const { page } = parseWith(endpoint['approvals.list'].input, request.query, 'approval queue page');
    const found = await registerPage(storage, 'credit_applications', credit, { query: '', branchId: '', state: 'escalated' }, APPROVALS_PAGE_SIZE, (page - 1) * APPROVALS_PAGE_SIZE);
    const versions = await versionsOf(storage, found.rows);
    const rows = found.rows.map((row) => applicationView({ ...row, version: versions.get(`${row.branchId}/${row.rowId}`) ?? 0 }));
    return sendResult(reply, { ok: true, value: { rows, total: found.total, page } });
  });

  api.get<{ Params: unknown }>(endpoint['approvals.get'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    return sendResult(reply, { ok: true, value: detailOf(await find(request)) });
  });

  // Refused on the role (总行查看, 总行管理员) and without the CSRF token before anything is looked up.
  api.post<{ Params: unknown }>(endpoint['approvals.decide'].path, limitedTo(decisionLimit), async (request, reply) => {
    const { user } = await authorize(request, 'applications.decide');
    const decision = parseWith(endpoint['approvals.decide'].input, request.body, 'decision');
    const application = await find(request);
    await decideEscalated(storage, clock, user, application, decision);
    return sendResult(reply, { ok: true, value: detailOf((await escalatedApplication(storage, application.branchId, application.rowId)) ?? application) });
  });
}
