import type { FastifyInstance, FastifyRequest } from 'fastify';
import { consoleEndpoints, REGISTER_EXPORT_LIMIT, REGISTER_EXPORT_PATH, REGISTER_PAGE_SIZE, type ConsoleEnterpriseRow, type ConsoleRegisterRow, type RegisterQuery } from '../shared/api/console.ts';
import type { HeadOfficePermission } from '../shared/domain/headOfficeRoles.ts';
import { divisionPlace } from '../shared/domain/division.ts';
import { exportWorkbook, type SheetColumn } from '../shared/node/workbook.ts';
import { isSyncTable } from '../shared/sync/tables.ts';
import { alertText, enterprisePage, registerPage, registerSpecOf, type RegisterFilter, type RegisterRowView } from './consoleRegisters.ts';
import { recordHref } from './consoleRecords.ts';
import { text } from './consoleText.ts';
import { HubError, parseWith } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, type SignedIn } from './headOfficeSession.ts';
import { sendResult, sendXlsx } from './http.ts';
import type { Storage } from './storage.ts';

/**
 * The cross-branch registers' JSON API (issue 18, the console app's register pages): a page of any
 * synced table's register with its columns, state and alert filters; the enterprise files; the
 * branches and counties the filters offer; and the .xlsx export of a register's matches (a GET the
 * session cookie opens, audited). Every head-office role may read them ('registers.read').
 */
export interface ConsoleRegisterApiOptions {
  storage: Storage;
  authorize: (request: FastifyRequest, permission: HeadOfficePermission | null) => Promise<SignedIn>;
}

const endpoint = consoleEndpoints;

const holdsNul = (value: unknown): boolean => (typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(holdsNul) : false);

/**
 * The register query of a request. PostgreSQL text cannot hold NUL (U+0000): a search carrying one
 * is refused in words here instead of failing in a query as a 500 (as the HTML pages did).
 */
function registerQuery(request: FastifyRequest): RegisterQuery {
  if (Object.values((request.query ?? {}) as object).some(holdsNul)) throw new HubError('VALIDATION', 'A register query cannot hold a NUL character');
  return parseWith(endpoint['registers.page'].input, request.query ?? {}, 'register query');
}

const registerFilter = ({ q, branch, state, county, alert }: RegisterQuery): RegisterFilter => ({ query: q, branchId: branch, state, county, alert });

function registerTable(table: string): string {
  if (!isSyncTable(table)) throw new HubError('NOT_FOUND', 'No such register');
  return table;
}

export function registerConsoleRegisterApi(api: FastifyInstance, options: ConsoleRegisterApiOptions): void {
  const { storage, authorize } = options;

  // The branch and county selects: the branches alone (no per-branch counts, which listBranches adds).
  api.get(endpoint['registers.filters'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    const branches = await storage.query<{ id: string; name: string; division_code: string }>(`SELECT branch_id::text AS id, name, division_code FROM branches ORDER BY code`);
    const counties = [...new Set(branches.map((branch) => branch.division_code))].sort().map((code) => ({ code, place: divisionPlace(code) ?? null }));
    return sendResult(reply, { ok: true, value: { branches: branches.map((branch) => ({ id: branch.id, name: branch.name, divisionCode: branch.division_code })), counties } });
  });

  api.get<{ Params: { table: string }; Querystring: unknown }>(endpoint['registers.page'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    const table = registerTable(request.params.table);
    const query = registerQuery(request);
    const known = registerSpecOf(table, undefined)!;
    const found = await registerPage(storage, table, known, registerFilter(query), REGISTER_PAGE_SIZE, (query.page - 1) * REGISTER_PAGE_SIZE);
    // A table without its own spec shows the fields of its first row.
    const spec = registerSpecOf(table, found.rows[0]?.data)!;
    const rows: ConsoleRegisterRow[] = found.rows.map((row) => ({
      branchId: row.branchId,
      branchName: row.branchName,
      rowId: row.rowId,
      href: recordHref(table, row.branchId, row.rowId),
      cells: spec.columns.map((column) => column.text(row, found.today)),
      alerts: (row.alerts ?? []).map((alert) => ({ kind: alert.kind, text: alertText(alert) })),
    }));
    return sendResult(reply, {
      ok: true,
      value: {
        table,
        title: spec.title,
        columns: spec.columns.map((column) => ({ key: column.key, label: column.label, tags: column.tags !== undefined })),
        states: (known.states ?? []).map(({ value, label }) => ({ value, label })),
        alerts: known.alerts === true,
        rows,
        total: found.total,
        totalCapped: found.totalCapped === true,
        today: found.today,
      },
    });
  });

  // A register's rows as the page filters them, as .xlsx (every match up to REGISTER_EXPORT_LIMIT), audited.
  api.get<{ Params: { table: string }; Querystring: unknown }>(REGISTER_EXPORT_PATH, async (request, reply) => {
    const signedIn = await authorize(request, 'registers.read');
    const table = registerTable(request.params.table);
    const query = registerQuery(request);
    const { q, branch, state, county, alert } = query;
    const known = registerSpecOf(table, undefined)!;
    const found = await registerPage(storage, table, known, registerFilter(query), REGISTER_EXPORT_LIMIT, 0);
    const spec = registerSpecOf(table, found.rows[0]?.data)!;
    const columns: SheetColumn<RegisterRowView>[] = [
      { header: text('export.branch'), width: 16, value: (row) => row.branchName },
      ...spec.columns.map((column) => ({ header: column.label, width: 18, value: (row: RegisterRowView) => column.text(row, found.today) })),
      { header: text('export.rowId'), width: 38, value: (row) => row.rowId },
    ];
    const file = await exportWorkbook(spec.title.slice(0, 31), columns, found.rows, new Date());
    await storage.transaction((tx) =>
      appendHeadOfficeAudit(tx, actorOf(signedIn.user), { action: 'register.export', recordType: table, recordId: null, after: { query: q, branch, state, county, alert, rows: file.rows, total: found.total } }),
    );
    return sendXlsx(reply, `${table}.xlsx`, file.fileName, Buffer.from(file.contentBase64, 'base64'));
  });

  api.get<{ Querystring: unknown }>(endpoint['enterprises.page'].path, async (request, reply) => {
    await authorize(request, 'registers.read');
    const query = registerQuery(request);
    const found = await enterprisePage(storage, { query: query.q, branchId: query.branch, county: query.county }, REGISTER_PAGE_SIZE, (query.page - 1) * REGISTER_PAGE_SIZE);
    const textOf = (value: unknown) => (typeof value === 'string' ? value : null);
    const rows: ConsoleEnterpriseRow[] = found.rows.map(({ branchId, branchName, rowId, data, updatedByName }) => ({
      branchId,
      branchName,
      rowId,
      href: recordHref('enterprises', branchId, rowId),
      name: textOf(data.name),
      uscc: textOf(data.uscc),
      industryCode: textOf(data.industry_code),
      divisionCode: textOf(data.division_code),
      environmentalRating: textOf(data.environmental_rating),
      outdatedCapacity: data.outdated_capacity === 1,
      outdatedCapacityDeadline: textOf(data.outdated_capacity_exit_deadline),
      negativeList: data.negative_list === 1,
      greenList: data.green_list === 1,
      miitRecommended: data.miit_recommended === 1,
      greenFactoryLevel: data.green_factory_level === 'national' || data.green_factory_level === 'provincial' ? data.green_factory_level : null,
      updatedBy: updatedByName ?? textOf(data.updated_by),
      updatedAt: textOf(data.updated_at),
    }));
    return sendResult(reply, { ok: true, value: { rows, total: found.total } });
  });
}
