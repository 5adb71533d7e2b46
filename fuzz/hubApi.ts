import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { z } from 'zod';
import {
  blobsMissingRequestSchema,
  enrollRequestSchema,
  helloRequestSchema,
  PROTOCOL_VERSION,
  pullRequestSchema,
  pushRequestSchema,
  resolveRequestSchema,
  SYNC_PATH,
  BLOBS_PATH,
} from '../shared/sync/protocol.ts';
import { adminRowEditRequestSchema, createBranchRequestSchema, publishReferenceRequestSchema } from '../shared/sync/admin.ts';
import { addRatingRequestSchema, alertFilterValues, CONSOLE_API, consoleEndpoints, createConsoleUserSchema as createHeadOfficeUserSchema, decideApplicationRequestSchema, REFERENCE_WORKBOOK_PATH, signInRequestSchema as signInSchema } from '../shared/api/console.ts';
import { syncTableNames } from '../shared/sync/tables.ts';
import { encodeHlc } from '../shared/sync/hlc.ts';
import { loadMigrations } from '../db/migrate.ts';
import { admin, branchWithCode, startHub } from '../tests/sync/hub.ts';
import { domainExamples, hostileStrings, wireBodies, type WireBody } from './arbitraries.ts';
import { answered, send, type NoAnswer, type Sent } from './http.ts';
import { laptopData } from './laptopData.ts';
import type { RunOptions } from './hostApi.ts';
import { bump, failure, newReport, type BoundaryReport } from './report.ts';

/**
 * Boundary 2: every hub endpoint — enrolment, hello, push, pull, resolve, attachment files, the
 * admin API, the console, health and metrics — over real HTTP to a real hub process (npm run
 * headoffice, embedded PGlite). Bodies come from the shared/sync schemas the hub parses with, plain
 * or gzip (also lying about it, and a gzip bomb), with the right credentials, none, or the wrong kind.
 */

/** `headOffice`: a named head-office user's session cookie and, on a state change, its CSRF token. */
type Auth = 'device' | 'admin' | 'headOffice' | 'none';

interface Endpoint {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  /** The path, with its parameters filled (valid-shaped or hostile). */
  path: fc.Arbitrary<string>;
  auth: Auth;
  body?: z.ZodType;
  /** A head-office endpoint whose role check only an approver passes (参考数据's preview and publish): sent with the fuzz 总行审批人's session. */
  as?: 'approver';
  /** A raw body instead of JSON. */
  raw?: 'octets';
}

/** encodeURIComponent, except that a lone surrogate becomes the (invalid UTF-8) bytes a careless encoder writes. */
const pathSegment = (text: string): string =>
  text.replace(/[\s\S]/gu, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) return `%${(0xe0 | (unit >> 12)).toString(16)}%${(0x80 | ((unit >> 6) & 0x3f)).toString(16)}%${(0x80 | (unit & 0x3f)).toString(16)}`.toUpperCase();
    return encodeURIComponent(ch);
  });

const uuidOrJunk = (known: () => string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.uuid({ version: 7 }) }, { weight: 2, arbitrary: fc.constant(null).map(() => fc.sample(fc.constantFrom(...known()), 1)[0]!) }, { weight: 1, arbitrary: fc.constantFrom(...hostileStrings).map(pathSegment) });

interface Credentials {
  deviceToken: string;
  clientId: string;
  adminToken: string;
  consoleCookie: string | undefined;
  /** A signed-in 总行管理员's session (`gl_ho`) and its CSRF token. */
  headOffice: { cookie: string; csrf: string } | undefined;
  /** A 总行审批人's, opened by that 总行管理员. */
  approver: { cookie: string; csrf: string } | undefined;
  branchId: string;
  /** The hub's own origin: console forms post same-origin. */
  origin: string;
}

function endpoints(ids: () => string[]): Endpoint[] {
  const sha = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom(createHash('sha256').update('x').digest('hex'), 'A'.repeat(64), '..%2f..%2fetc', '0'));
  const referenceName = fc.oneof(fc.constantFrom('focus-industries', 'divisions'), fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,63}$/), fc.constantFrom(...hostileStrings).map(pathSegment));
  const query = fc.tuple(fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 20 })), fc.oneof(fc.constantFrom('1', '0', '-1', '99999999999', 'NaN', '1e9'), fc.string({ maxLength: 5 })));
  const statisticsQuery = fc
    .tuple(
      fc.oneof(fc.constantFrom('month', 'quarter', 'year'), fc.constantFrom(...hostileStrings)),
      fc.oneof(fc.constantFrom('2026-06', '2026Q2', '2025', '2099', '2026Q5', '2026-13', '0000', '2026Q3', '2026-7'), fc.stringMatching(/^\d{4}(Q\d|-\d{2})?$/), fc.constantFrom(...hostileStrings)),
      fc.array(uuidOrJunk(ids), { maxLength: 3 }),
    )
    .map(([kind, key, branches]) => [`kind=${pathSegment(kind)}`, `key=${pathSegment(key)}`, ...branches.map((branch) => `branch=${branch}`)].join('&'));
  return [
    { name: 'health', method: 'GET', path: fc.constant('/health'), auth: 'none' },
    { name: 'metrics', method: 'GET', path: fc.constant('/metrics'), auth: 'admin' },
    { name: 'enroll', method: 'POST', path: fc.constant(`${SYNC_PATH}/enroll`), auth: 'none', body: enrollRequestSchema },
    { name: 'hello', method: 'POST', path: fc.constant(`${SYNC_PATH}/hello`), auth: 'device', body: helloRequestSchema },
    { name: 'push', method: 'POST', path: fc.constant(`${SYNC_PATH}/push`), auth: 'device', body: pushRequestSchema },
    { name: 'pull', method: 'POST', path: fc.constant(`${SYNC_PATH}/pull`), auth: 'device', body: pullRequestSchema },
    { name: 'resolve', method: 'POST', path: uuidOrJunk(ids).map((id) => `${SYNC_PATH}/conflicts/${id}/resolve`), auth: 'device', body: resolveRequestSchema },
    { name: 'blobs.missing', method: 'POST', path: fc.constant(`${BLOBS_PATH}/missing`), auth: 'device', body: blobsMissingRequestSchema },
    { name: 'blobs.put', method: 'PUT', path: sha.map((s) => `${BLOBS_PATH}/${s}`), auth: 'device', raw: 'octets' },
    { name: 'blobs.get', method: 'GET', path: sha.map((s) => `${BLOBS_PATH}/${s}`), auth: 'device' },
    { name: 'admin.branches.create', method: 'POST', path: fc.constant('/admin/branches'), auth: 'admin', body: createBranchRequestSchema },
    { name: 'admin.branches.list', method: 'GET', path: fc.constant('/admin/branches'), auth: 'admin' },
    { name: 'admin.enrollment-codes', method: 'POST', path: uuidOrJunk(ids).map((id) => `/admin/branches/${id}/enrollment-codes`), auth: 'admin' },
    // Random device ids only: revoking the harness's own device would end the device half of the run.
    { name: 'admin.revoke', method: 'POST', path: fc.oneof(fc.uuid({ version: 7 }), fc.constantFrom(...hostileStrings).map(pathSegment)).map((id) => `/admin/devices/${id}/revoke`), auth: 'admin' },
    { name: 'admin.reference', method: 'POST', path: referenceName.map((n) => `/admin/reference/${n}`), auth: 'admin', body: publishReferenceRequestSchema },
    {
      name: 'admin.rows',
      method: 'POST',
      path: fc.tuple(uuidOrJunk(ids), fc.oneof(fc.constantFrom(...syncTableNames), fc.constantFrom(...hostileStrings).map(pathSegment)), uuidOrJunk(ids)).map(([b, t, r]) => `/admin/rows/${b}/${t}/${r}`),
      auth: 'admin',
      body: adminRowEditRequestSchema,
    },
    // The console app's pages (its build's index.html for any route of it) and files.
    { name: 'console.app', method: 'GET', path: fc.oneof(fc.constantFrom('/console', '/console/login', '/console/users', '/console/audit', '/console/statistics', '/console/reference', '/console/reference/approval-authority'), fc.string({ maxLength: 20 }).map((s) => `/console/${pathSegment(s)}`)), auth: 'none' },
    { name: 'console.app.assets', method: 'GET', path: fc.string({ maxLength: 30 }).map((s) => `/console/assets/${pathSegment(s)}`), auth: 'none' },
    { name: 'admin.head-office.users', method: 'POST', path: fc.constant('/admin/head-office/users'), auth: 'admin', body: createHeadOfficeUserSchema },
    { name: 'console.api.session', method: 'POST', path: fc.constant('/console/api/session'), auth: 'none', body: signInSchema },
    { name: 'console.api.session.get', method: 'GET', path: fc.constant('/console/api/session'), auth: 'headOffice' },
    { name: 'console.api.session.logout', method: 'POST', path: fc.constant(consoleEndpoints['session.signOut'].path), auth: 'headOffice', body: consoleEndpoints['session.signOut'].input },
    { name: 'console.api.users', method: 'POST', path: fc.constant('/console/api/users'), auth: 'headOffice', body: createHeadOfficeUserSchema },
    { name: 'console.api.users.list', method: 'GET', path: fc.constant('/console/api/users'), auth: 'headOffice' },
    { name: 'console.api.branches', method: 'GET', path: fc.constant('/console/api/branches'), auth: 'headOffice' },
    { name: 'console.api.registers', method: 'GET', path: fc.constant('/console/api/registers'), auth: 'headOffice' },
    // 参考数据 (server/consoleReference.ts): the sets, one set, its workbook, a preview of an upload or of edited tables, a publish.
    { name: 'console.api.reference.list', method: 'GET', path: fc.constant(consoleEndpoints['reference.list'].path), auth: 'headOffice' },
    { name: 'console.api.reference.get', method: 'GET', path: referenceName.map((n) => `${CONSOLE_API}/reference/${n}`), auth: 'headOffice' },
    { name: 'console.api.reference.workbook', method: 'GET', path: referenceName.map((n) => REFERENCE_WORKBOOK_PATH.replace(':name', n)), auth: 'headOffice' },
    { name: 'console.api.reference.preview', method: 'POST', path: referenceName.map((n) => `${CONSOLE_API}/reference/${n}/preview`), auth: 'headOffice', as: 'approver', body: consoleEndpoints['reference.preview'].input },
    { name: 'console.api.reference', method: 'POST', path: referenceName.map((n) => `${CONSOLE_API}/reference/${n}`), auth: 'headOffice', as: 'approver', body: consoleEndpoints['reference.publish'].input },
    // The cross-branch registers (registers.page, enterprises.page, their filters and export), every query parameter odd or not.
    { name: 'console.api.register-filters', method: 'GET', path: fc.constant('/console/api/register-filters'), auth: 'headOffice' },
    {
      name: 'console.registers',
      method: 'GET',
      path: fc
        .tuple(
          fc.oneof(fc.constantFrom('rectification_cases', 'collateral_items', ...syncTableNames), fc.constantFrom(...hostileStrings).map(pathSegment)),
          fc.oneof(fc.constantFrom('open', 'overdue', 'escalated', ''), fc.string({ maxLength: 10 })),
          uuidOrJunk(ids),
          fc.oneof(fc.constantFrom('360222', '360281', '', '36022', '3602220'), fc.constantFrom(...hostileStrings), fc.string({ maxLength: 8 })),
          fc.oneof(fc.constantFrom(...alertFilterValues, ''), fc.constantFrom(...hostileStrings), fc.string({ maxLength: 12 })),
          query,
          fc.boolean(),
        )
        .map(
          ([table, state, branch, county, alert, [q, page], exported]) =>
            `/console/api/registers/${table}${exported ? '/export.xlsx' : ''}?state=${pathSegment(state)}&branch=${branch}&county=${pathSegment(county)}&alert=${pathSegment(alert)}&q=${pathSegment(q)}&page=${pathSegment(page)}`,
        ),
      auth: 'headOffice',
    },
    {
      name: 'console.enterprises',
      method: 'GET',
      path: fc
        .tuple(uuidOrJunk(ids), fc.oneof(fc.constantFrom('360222', ''), fc.constantFrom(...hostileStrings), fc.string({ maxLength: 8 })), query)
        .map(([branch, county, [q, page]]) => `/console/api/enterprises?branch=${branch}&county=${pathSegment(county)}&q=${pathSegment(q)}&page=${pathSegment(page)}`),
      auth: 'headOffice',
    },
    // 记录与历史 and 审批队列 (server/consoleRecords.ts, server/consoleApprovals.ts).
    {
      name: 'console.api.records',
      method: 'GET',
      path: fc.tuple(fc.oneof(fc.constantFrom(...syncTableNames), fc.constantFrom(...hostileStrings).map(pathSegment)), uuidOrJunk(ids), uuidOrJunk(ids)).map(([t, b, r]) => `/console/api/records/${t}/${b}/${r}`),
      auth: 'headOffice',
    },
    { name: 'console.api.records.rating', method: 'POST', path: fc.tuple(uuidOrJunk(ids), uuidOrJunk(ids)).map(([b, r]) => `/console/api/records/enterprises/${b}/${r}/ratings`), auth: 'headOffice', body: addRatingRequestSchema },
    { name: 'console.api.approvals', method: 'GET', path: query.map(([, page]) => `/console/api/approvals?page=${pathSegment(page)}`), auth: 'headOffice' },
    { name: 'console.api.approvals.get', method: 'GET', path: fc.tuple(uuidOrJunk(ids), uuidOrJunk(ids)).map(([b, r]) => `/console/api/approvals/${b}/${r}`), auth: 'headOffice' },
    { name: 'console.api.approvals.decide', method: 'POST', path: fc.tuple(uuidOrJunk(ids), uuidOrJunk(ids)).map(([b, r]) => `/console/api/approvals/${b}/${r}`), auth: 'headOffice', body: decideApplicationRequestSchema },
    { name: 'console.api.audit', method: 'GET', path: query.map(([, page]) => `/console/api/audit?before=${pathSegment(page)}`), auth: 'headOffice' },
    { name: 'console.api.audit.xlsx', method: 'GET', path: fc.constant('/console/api/audit.xlsx'), auth: 'headOffice' },
    // 统计: a period (kind + key, valid, running, mismatched or junk) and none, one or several branches (repeated `branch`).
    { name: 'console.api.statistics', method: 'GET', path: statisticsQuery.map((q) => `/console/api/statistics?${q}`), auth: 'headOffice' },
    { name: 'console.api.statistics.xlsx', method: 'GET', path: statisticsQuery.map((q) => `/console/api/statistics.xlsx?${q}`), auth: 'headOffice' },
    { name: 'unknown path', method: 'POST', path: fc.oneof(fc.constantFrom('/%2e%2e/admin/branches', '/sync/v1/../admin/branches', '/sync/v1/%00', '/admin/%61dmin', '//admin/branches'), fc.string({ maxLength: 30 }).map((s) => `/sync/v1/${pathSegment(s)}`)), auth: 'device' },
  ];
}

type Encoding = 'plain' | 'gzip' | 'gzip-lie' | 'gzip-bomb' | 'deflate' | 'text/plain';
type Credential = 'right' | 'none' | 'wrong' | 'other-kind' | 'malformed';

interface HubInput {
  endpoint: Endpoint;
  path: string;
  credential: Credential;
  encoding: Encoding;
  body: WireBody | undefined;
  octets: Uint8Array | undefined;
}

/** 16 MB of `[` in 16 KB of gzip: what M2 sent to the enrolment endpoint. */
const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, '['), { level: 9 });

function wire(input: HubInput, credentials: Credentials): { headers: Record<string, string>; body: Buffer | undefined } {
  const headers: Record<string, string> = {};
  const { auth } = input.endpoint;
  const token = { device: credentials.deviceToken, admin: credentials.adminToken, console: '', headOffice: '', none: '' }[auth];
  const other = auth === 'admin' ? credentials.deviceToken : credentials.adminToken;
  if (auth === 'headOffice') {
    const session = input.endpoint.as === 'approver' ? credentials.approver : credentials.headOffice;
    if (input.credential === 'right' && session !== undefined) {
      headers.cookie = session.cookie;
      headers['x-csrf-token'] = session.csrf;
    }
    if (input.credential === 'wrong' && session !== undefined) {
      headers.cookie = session.cookie;
      headers['x-csrf-token'] = `${session.csrf.slice(0, -2)}xx`;
    }
    if (input.credential === 'other-kind') headers.cookie = credentials.consoleCookie ?? '';
    if (input.credential === 'malformed') headers.cookie = 'gl_ho=%E0%A4%A';
  } else if (auth !== 'none' || input.credential === 'other-kind') {
    if (input.credential === 'right') headers.authorization = `Bearer ${token}`;
    if (input.credential === 'wrong') headers.authorization = `Bearer ${token.slice(0, -2)}xx`;
    if (input.credential === 'other-kind') headers.authorization = `Bearer ${other}`;
    if (input.credential === 'malformed') headers.authorization = 'Bearer';
  }
  let body: Buffer | undefined;
  if (input.endpoint.raw === 'octets') {
    body = Buffer.from(input.octets ?? []);
    headers['content-type'] = 'application/octet-stream';
  } else if (input.body !== undefined && input.endpoint.method !== 'GET') {
    body = Buffer.from(input.body.text, 'utf8');
    headers['content-type'] = input.encoding === 'text/plain' ? 'text/plain' : 'application/json';
  }
  if (body !== undefined) {
    if (input.encoding === 'gzip') body = gzipSync(body);
    if (input.encoding === 'gzip' || input.encoding === 'gzip-lie') headers['content-encoding'] = 'gzip';
    if (input.encoding === 'gzip-bomb') {
      body = bomb;
      headers['content-encoding'] = 'gzip';
    }
    if (input.encoding === 'deflate') headers['content-encoding'] = 'deflate';
  }
  if (input.endpoint.name.startsWith('console') && input.endpoint.method === 'POST' && input.credential !== 'other-kind') headers.origin = credentials.origin;
  headers['accept-encoding'] = 'gzip';
  return { headers, body };
}

/**
 * The hub limits failed secrets and secret-less requests per address (server/attempts.ts), which
 * would soon answer every fuzz input 429 without reaching the code behind. The right credentials come
 * from 127.0.0.1; the rest mostly from other loopback addresses in turn (as many clients would), and
 * one in ten from a single address that the limiter then does stop.
 */
function sourceAddress(input: HubInput, n: number): string {
  const secretLess = input.endpoint.auth === 'none' || input.credential !== 'right';
  if (!secretLess) return '127.0.0.1';
  return n % 10 === 0 ? '127.0.0.2' : `127.0.1.${1 + (n % 250)}`;
}

/**
 * A suffix for this run's branch code and head-office username: in CI the hub suites share one
 * PostgreSQL, and a fixed code or username taken by an earlier run would refuse the set-up (409).
 */
const RUN = randomUUID().slice(0, 8);

/**
 * A 总行管理员 created with the admin token (the bootstrap) and signed in. Its username is one the
 * sign-in endpoint's random bodies do not produce, so their wrong passwords never lock it.
 */
const FUZZ_HO_ADMIN = { username: `fuzzhoadmin-${RUN}`, password: 'Fuzz-Passw0rd-ho' };

async function headOfficeSession(base: URL, adminToken: string): Promise<{ cookie: string; csrf: string }> {
  const user = { ...FUZZ_HO_ADMIN, displayName: '模糊测试管理员', role: 'ho_admin' };
  const created = await send(base, { path: '/admin/head-office/users', headers: { 'content-type': 'application/json', origin: base.origin, authorization: `Bearer ${adminToken}` }, body: JSON.stringify(user), timeoutMs: 30_000 });
  if (!answered(created) || created.status !== 200) throw new Error(`head-office user: ${answered(created) ? created.body.toString() : created.message}`);
  return signIn(base);
}

/** A 总行审批人 the fuzz 总行管理员 opens, so 参考数据's preview and publish get past the role check to their parsing. */
const FUZZ_HO_APPROVER = { username: `fuzzhoapprover-${RUN}`, password: 'Fuzz-Passw0rd-ho' };

async function approverSession(base: URL, admin: { cookie: string; csrf: string }): Promise<{ cookie: string; csrf: string }> {
  const user = { ...FUZZ_HO_APPROVER, displayName: '模糊测试审批人', role: 'ho_approver', approvalLimitFen: null };
  const created = await send(base, { path: '/console/api/users', headers: { 'content-type': 'application/json', origin: base.origin, cookie: admin.cookie, 'x-csrf-token': admin.csrf }, body: JSON.stringify(user), timeoutMs: 30_000 });
  if (!answered(created) || created.status !== 200) throw new Error(`head-office approver: ${answered(created) ? created.body.toString() : created.message}`);
  return signIn(base, FUZZ_HO_APPROVER);
}

async function signIn(base: URL, who: { username: string; password: string } = FUZZ_HO_ADMIN): Promise<{ cookie: string; csrf: string }> {
  const json = { 'content-type': 'application/json', origin: base.origin };
  const signedIn = await send(base, { path: '/console/api/session', headers: json, body: JSON.stringify({ username: who.username, password: who.password }), timeoutMs: 30_000 });
  if (!answered(signedIn) || signedIn.status !== 200) throw new Error(`head-office sign-in: ${answered(signedIn) ? signedIn.body.toString() : signedIn.message}`);
  const setCookie = signedIn.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
  const { csrfToken } = (JSON.parse(signedIn.body.toString('utf8')) as { value: { csrfToken: string } }).value;
  return { cookie, csrf: csrfToken };
}

export async function fuzzHubApi(options: RunOptions): Promise<BoundaryReport> {
  const report = newReport('hub-api', options.seed);
  const started = performance.now();
  // The hub process starts (PGlite, seconds) while the laptop data is made in this one.
  const [made, hubStarted] = await Promise.allSettled([laptopData(), startHub()]);
  if (made.status === 'rejected' || hubStarted.status === 'rejected') {
    if (hubStarted.status === 'fulfilled') await hubStarted.value.stop();
    throw made.status === 'rejected' ? made.reason : (hubStarted as PromiseRejectedResult).reason;
  }
  const laptop = made.value;
  const hub = hubStarted.value;
  // The hub's log, for the report: what it said about each internal error.
  const hubLog: string[] = [];
  const listen = (child: typeof hub.process) => {
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => hubLog.length < 500 && hubLog.push(...chunk.toString().split('\n').filter((line) => /error|fail/i.test(line))));
  };
  listen(hub.process);
  try {
    const { branchId, enrollmentCode } = await branchWithCode(hub, '浮梁县支行', `FL-FUZZ-${RUN}`);
    const spareCodes: string[] = [];
    for (let i = 0; i < 5; i += 1) spareCodes.push((await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {})).code);
    const clientId = randomUUID();
    const base = new URL(hub.url);
    const enrolled = await send(base, { path: `${SYNC_PATH}/enroll`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: enrollmentCode, deviceName: 'fuzz', clientId }), timeoutMs: 30_000 });
    if (!answered(enrolled)) throw new Error(`enrolment: ${enrolled.message}`);
    const { deviceToken } = (JSON.parse(enrolled.body.toString('utf8')) as { value: { deviceToken: string } }).value;
    const schemaVersion = loadMigrations().length;
    const hello = { protocol: PROTOCOL_VERSION, appVersion: '0.1.0', schemaVersion, clientId, clientTime: new Date().toISOString() };
    const helloAnswer = await send(base, { path: `${SYNC_PATH}/hello`, headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` }, body: JSON.stringify(hello), timeoutMs: 30_000 });
    if (!answered(helloAnswer) || helloAnswer.status !== 200) throw new Error(`hello: ${answered(helloAnswer) ? helloAnswer.body.toString() : helloAnswer.message}`);
    // The console's pages and its API share one named sign-in (the admin token opens neither).
    const headOffice = await headOfficeSession(base, hub.adminToken);
    const approver = await approverSession(base, headOffice);
    const credentials: Credentials = { deviceToken, clientId, adminToken: hub.adminToken, consoleCookie: headOffice.cookie, headOffice, approver, branchId, origin: base.origin };

    // Real changes from a real laptop, re-homed to the hub's branch, are the valid-shaped pushes.
    const rehome = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll(laptop.snapshots[0]!.data.branch_id as string, branchId)) as T;
    let opId = 1;
    const changes = rehome(laptop.changes);
    const examples = domainExamples();
    const hlcNow = () => encodeHlc({ ms: Date.now(), counter: 0, node: 'fuzz' });
    examples.set('changes', [changes, changes.slice(0, 1), changes.slice(-2)]);
    examples.set('fields', changes.map((change) => change.fields));
    examples.set('table', [...syncTableNames]);
    examples.set('rowId', changes.map((change) => change.rowId));
    examples.set('clientId', [clientId]);
    examples.set('code', [...spareCodes, enrollmentCode]);
    examples.set('schemaVersion', [schemaVersion]);
    examples.set('protocol', [PROTOCOL_VERSION]);
    examples.set('since', [0, 1, 5]);
    for (const [column, values] of laptop.columns) if (!examples.has(column)) examples.set(column, values);
    const conflictIds: string[] = [branchId];
    const all = endpoints(() => conflictIds);

    const input = fc.record({
      endpoint: fc.constantFrom(...all),
      credential: fc.oneof({ weight: 8, arbitrary: fc.constant<Credential>('right') }, { weight: 1, arbitrary: fc.constantFrom<Credential>('none', 'wrong', 'other-kind', 'malformed') }),
      encoding: fc.oneof({ weight: 6, arbitrary: fc.constant<Encoding>('plain') }, { weight: 3, arbitrary: fc.constant<Encoding>('gzip') }, { weight: 1, arbitrary: fc.constantFrom<Encoding>('gzip-lie', 'gzip-bomb', 'deflate', 'text/plain') }),
    }).chain((picked) =>
      fc.record({
        endpoint: fc.constant(picked.endpoint),
        credential: fc.constant(picked.credential),
        encoding: fc.constant(picked.encoding),
        path: picked.endpoint.path,
        body: picked.endpoint.body === undefined ? fc.constant(undefined) : wireBodies(picked.endpoint.body, examples),
        octets: picked.endpoint.raw === 'octets' ? fc.uint8Array({ maxLength: 2048 }) : fc.constant(undefined),
      }),
    );

    let restarting: Promise<void> | undefined;
    let sent = 0;
    const one = async (planned: HubInput) => {
      await restarting;
      // Fresh op ids and clocks for valid-shaped pushes, so they are applied rather than deduplicated.
      if (planned.endpoint.name === 'push' && planned.body?.kind === 'valid') {
        planned.body = { ...planned.body, text: planned.body.text.replace(/"opId":\d+/g, () => `"opId":${(opId += 1)}`).replace(/"hlc":"[^"]*"/g, () => `"hlc":"${hlcNow()}"`) };
      }
      // A signed-in sign-out ends its own, fresh session: ending the run's one would turn every later
      // console input into a redirect to the sign-in page, never reaching the pages behind it.
      const { headers, body } = wire(planned, planned.endpoint.name === 'console.api.session.logout' && planned.credential === 'right' ? { ...credentials, headOffice: await signIn(base) } : credentials);
      const what = `${planned.endpoint.method} ${planned.path} ${planned.credential} ${planned.encoding} ${planned.body?.text ?? ''}`;
      const t0 = performance.now();
      const answer: Sent | NoAnswer = await send(new URL(hub.url), { method: planned.endpoint.method, path: planned.path, headers, body, timeoutMs: options.timeoutMs, from: sourceAddress(planned, (sent += 1)) });
      report.inputs += 1;
      bump(report.kinds, `${planned.endpoint.name}`);
      bump(report.msBy, planned.endpoint.name, Math.round(performance.now() - t0));
      if (!answered(answer)) {
        if (answer.failed === 'timeout') failure(report, 'hang', what, answer.message);
        else if (hub.process.exitCode !== null || hub.process.signalCode !== null) {
          failure(report, 'crash', what, `hub died (${hub.process.exitCode ?? hub.process.signalCode})`);
          restarting ??= hub.restart().finally(() => {
            restarting = undefined;
          });
          await restarting;
          listen(hub.process);
        } else bump(report.answers, `connection: ${answer.message}`);
        return;
      }
      bump(report.answers, String(answer.status));
      if (answer.status >= 500) failure(report, 'internal', what, `${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
      if (planned.endpoint.name === 'pull' && answer.status === 200) {
        for (const match of answer.body.toString('utf8').matchAll(/"id":"([0-9a-f-]{36})","seq"/g)) if (conflictIds.length < 50) conflictIds.push(match[1]!);
      }
    };

    const batchSize = 200;
    for (let batch = 0; report.inputs < options.inputs; batch += 1) {
      const queue = fc.sample(input, { seed: options.seed + batch, numRuns: Math.min(batchSize, options.inputs - report.inputs) }) as HubInput[];
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          for (let next = queue.shift(); next !== undefined; next = queue.shift()) await one(next);
        }),
      );
      if (batch % 10 === 9) options.log(`[fuzz hub-api] ${report.inputs} inputs, ${report.internal} 5xx, ${report.crashes} crashes, ${report.hangs} hangs`);
    }
    const health = await send(new URL(hub.url), { method: 'GET', path: '/health', timeoutMs: options.timeoutMs });
    if (!answered(health) || health.status !== 200) failure(report, 'internal', 'GET /health after the run', answered(health) ? String(health.status) : health.message);
    if (report.internal > 0) report.examples.push({ what: 'hub log', input: '', answer: hubLog.slice(0, 12).join(' | ').slice(0, 3000) });
  } finally {
    await hub.stop();
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
