import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  adminRowEditRequestSchema,
  catalogueWorkbookRequestSchema,
  createBranchRequestSchema,
} from '../shared/sync/admin.ts';
import {
  BLOBS_PATH,
  blobsMissingRequestSchema,
  enrollRequestSchema,
  helloRequestSchema,
  PROTOCOL_VERSION,
  pullRequestSchema,
  pushRequestSchema,
  resolveRequestSchema,
  sha256Schema,
  SYNC_PATH,
  syncLimits,
  type AuditAnchor,
  type HelloResponse,
  type SyncResult,
} from '../shared/sync/protocol.ts';
import { DEFAULT_MAX_DRIFT_MS } from '../shared/sync/hlc.ts';
import { HubClock } from './clock.ts';
import {
  authenticateDevice,
  createBranch,
  createEnrollmentCode,
  enroll,
  listBranches,
  recordHello,
  recordPull,
  revokeDevice,
  type Device,
} from './directory.ts';
import { HubError, parseWith } from './errors.ts';
import { parseReferencePublication } from './referencePublication.ts';
import { catalogueReferenceSetName, catalogueVersionSchema } from '../shared/codes/greenCatalogues.ts';
import { readCatalogueWorkbook } from './catalogueWorkbook.ts';
import { bearerToken, bodyLimits, installWireFormat, limitedTo, sameSecret, sendResult } from './http.ts';
import { defaultAttemptLimits, installAttemptLimits, type AttemptLimits } from './attempts.ts';
import { headOfficeEdit, publishReference, pullPage, pushPage, resolveConflict, type HubPullPage } from './ledger.ts';
import { pullKey, ReadAhead, type PullWindow } from './readAhead.ts';
import { quietHello, quietPull } from './quietPull.ts';
import { missingBlobs, readBlob, storeBlob } from './blobs.ts';
import { HubMetrics, type MetricCounters } from './metrics.ts';
import { migrateHub } from './migrate.ts';
import { registerConsoleApp } from './consoleApp.ts';
import { registerHeadOffice, registerHeadOfficeAdmin } from './headOfficeApp.ts';
import { HeadOfficeSessions } from './headOfficeSession.ts';
import { recordAnchor, singleHead } from './anchors.ts';
import { defaultRetention, maintainChangeLog, scheduleChangeLogMaintenance, type RetentionOptions } from './changeLog.ts';
import type { Storage } from './storage.ts';
import { DEFAULT_ADMISSION_QUEUE, DEFAULT_ADMISSION_WAIT_MS, InFlightLimit } from './backpressure.ts';
import { DEFAULT_MAX_IN_FLIGHT } from './config.ts';

export interface HubOptions {
  storage: Storage;
  /** Guards /admin/*; compared in constant time. */
  adminToken: string;
  log?: (line: string) => void;
  /** Desktop databases below this migration version must update before syncing (HTTP 426). */
  minSchemaVersion?: number;
  maxDriftMs?: number;
  /** The console app's build (default dist/console, server/consoleApp.ts); tests point it elsewhere. */
  consoleDir?: string;
  /** HTTPS when given. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Per-address limits on unauthenticated requests and failed secrets (server/attempts.ts). */
  attemptLimits?: Partial<AttemptLimits>;
  /** Device requests handled at once; more wait in a bounded queue or are answered 429 busy (server/backpressure.ts). */
  maxInFlight?: number;
  /** Requests that may wait for a slot (default DEFAULT_ADMISSION_QUEUE; 0: refused at once) and the longest wait. */
  admissionQueue?: number;
  admissionWaitMs?: number;
  /** The change log's dedupe window and what becomes of an expired month (server/changeLog.ts). */
  retention?: RetentionOptions;
  /** One of several hub processes on the database: /metrics shows the counters of all (server/cluster.ts). */
  allProcessCounters?: (own: MetricCounters) => Promise<MetricCounters>;
}

export interface Hub {
  app: FastifyInstance;
  metrics: HubMetrics;
  inFlight: InFlightLimit;
  clock: HubClock;
  /** Starts listening; resolves to the base URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops serving (the caller owns and closes the storage). */
  close(): Promise<void>;
}

const uuidParam = z.uuid();

/**
 * The head-office hub: device enrollment and the sync API (/sync/v1), the admin API (/admin), health
 * and metrics. Migrates the storage before it serves. branch_id always comes from the device's
 * token, never from a request body.
 */
export async function createHub(options: HubOptions): Promise<Hub> {
  const { storage, adminToken } = options;
  if (adminToken.length < 16) throw new Error('The admin token must be at least 16 characters');
  const log = options.log ?? (() => {});
  const minSchemaVersion = options.minSchemaVersion ?? 1;
  const clock = new HubClock(options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS);
  const metrics = new HubMetrics();
  const inFlight = new InFlightLimit({
    max: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    queueLength: options.admissionQueue ?? DEFAULT_ADMISSION_QUEUE,
    maxWaitMs: options.admissionWaitMs ?? DEFAULT_ADMISSION_WAIT_MS,
  });
  metrics.inFlight = inFlight;
  await migrateHub(storage);
  // Before serving: a hub restarted after months needs this month's partition of the change log.
  const retention = options.retention ?? defaultRetention;
  await maintainChangeLog(storage, retention);
  const maintenance = scheduleChangeLogMaintenance(storage, retention, log);

  const app = Fastify({
    logger: false,
    trustProxy: false,
    forceCloseConnections: true,
    bodyLimit: syncLimits.maxBodyBytes,
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } }),
  }) as unknown as FastifyInstance;
  installWireFormat(app, log, (code) => metrics.countError(code));
  const attempts = await installAttemptLimits(app, { ...defaultAttemptLimits, ...options.attemptLimits });
  const adminFailures = attempts.counter('admin');
  const enrollmentFailures = attempts.counter('enrollment');
  const deviceFailures = attempts.counter('device');

  const ok = <T>(value: T): SyncResult<T> => ({ ok: true, value });

  // ——— health and metrics ———————————————————————————————————————————————————————————

  app.get('/health', async (_request, reply) => {
    try {
      await storage.query('SELECT 1');
      return sendResult(reply, ok({ status: 'ok', storage: storage.kind, protocol: PROTOCOL_VERSION }));
    } catch (error) {
      log(`[hub] health check: database unreachable: ${(error as Error).message}`);
      return sendResult(reply, { ok: false, error: { code: 'HOST_UNAVAILABLE', message: 'Database unreachable' } });
    }
  });

  // Head office's people sign in to the console app (its API's session); the admin token opens it
  // not — it is automation's, for /admin and /metrics below.
  const sessions = new HeadOfficeSessions(storage, options.tls !== undefined);
  registerHeadOffice(app, { storage, sessions, clock, unauthenticated: attempts.unauthenticated, onReferencePublished: () => (metrics.referencePublished += 1) });
  registerConsoleApp(app, options.consoleDir);

  // ——— admin API ———————————————————————————————————————————————————————————————————

  app.register(async (admin) => {
    admin.addHook('onRequest', async (request, reply) => {
      await adminFailures.refuseIfExhausted(request, reply);
      if (!sameSecret(bearerToken(request), adminToken)) {
        await adminFailures.failed(request);
        throw new HubError('UNAUTHENTICATED', 'Missing or wrong admin token');
      }
    });

    // Behind the admin token: it names every branch with its sync times and open conflicts.
    // Prometheus sends it with `authorization: {credentials: <admin token>}` (server/README.md).
    admin.get('/metrics', async (_request, reply) => {
      const counters = (await options.allProcessCounters?.(metrics.counters())) ?? metrics.counters();
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render(storage, counters));
    });

    admin.post('/admin/branches', limitedTo(bodyLimits.admin), async (request, reply) => {
      const body = parseWith(createBranchRequestSchema, request.body, 'branch');
      return sendResult(reply, ok(await createBranch(storage, body)));
    });

    registerHeadOfficeAdmin(admin, storage);

    admin.get('/admin/branches', async (_request, reply) => sendResult(reply, ok({ branches: await listBranches(storage) })));

    admin.post<{ Params: { id: string } }>('/admin/branches/:id/enrollment-codes', async (request, reply) => {
      const branchId = parseWith(uuidParam, request.params.id, 'branch id');
      return sendResult(reply, ok(await createEnrollmentCode(storage, branchId)));
    });

    admin.post<{ Params: { id: string } }>('/admin/devices/:id/revoke', async (request, reply) => {
      const deviceId = parseWith(uuidParam, request.params.id, 'device id');
      return sendResult(reply, ok(await revokeDevice(storage, deviceId)));
    });

    admin.post<{ Params: { name: string } }>('/admin/reference/:name', limitedTo(bodyLimits.admin), async (request, reply) => {
      const { name, data } = parseReferencePublication(request.params.name, request.body);
      const published = await publishReference(storage, name, data, 'head-office');
      metrics.referencePublished += 1;
      return sendResult(reply, ok(published));
    });

    // A green catalogue's deeper levels as head office keeps them: an .xlsx (代码, 名称, 层级, 上级代码),
    // read and checked here, then published like any reference set.
    admin.post<{ Params: { version: string } }>('/admin/catalogues/:version/workbook', limitedTo(bodyLimits.admin), async (request, reply) => {
      const version = parseWith(catalogueVersionSchema, request.params.version, 'catalogue version');
      const body = parseWith(catalogueWorkbookRequestSchema, request.body, 'catalogue workbook');
      const catalogue = await readCatalogueWorkbook(Buffer.from(body.contentBase64, 'base64'), body.source);
      const published = await publishReference(storage, catalogueReferenceSetName(version), catalogue, 'head-office');
      metrics.referencePublished += 1;
      return sendResult(reply, ok({ ...published, entries: catalogue.entries.length }));
    });

    admin.post<{ Params: { branchId: string; table: string; rowId: string } }>('/admin/rows/:branchId/:table/:rowId', limitedTo(bodyLimits.admin), async (request, reply) => {
      const branchId = parseWith(uuidParam, request.params.branchId, 'branch id');
      const rowId = parseWith(uuidParam, request.params.rowId, 'row id');
      const body = parseWith(adminRowEditRequestSchema, request.body, 'row edit');
      const edited = await headOfficeEdit(storage, clock, { branchId, table: request.params.table, rowId }, body);
      if (edited.result.status === 'rejected') {
        const invalid = edited.result.reason === 'INVALID_ROW' || edited.result.reason === 'LIFECYCLE';
        throw new HubError(invalid ? 'VALIDATION' : 'CONFLICT', `The edit was refused: ${edited.result.reason ?? 'rejected'}`, { result: edited.result });
      }
      return sendResult(reply, ok(edited));
    });
  });

  // ——— device API ——————————————————————————————————————————————————————————————————

  // Refused before the body is read when the address has used up its guesses: the onRequest hook.
  app.post(`${SYNC_PATH}/enroll`, { ...limitedTo(bodyLimits.enroll, attempts.unauthenticated), onRequest: (request, reply) => enrollmentFailures.refuseIfExhausted(request, reply) }, async (request, reply) => {
    const body = parseWith(enrollRequestSchema, request.body, 'enrollment');
    const enrolled = await enroll(storage, body).catch(async (error: unknown) => {
      if (error instanceof HubError && error.code === 'ENROLLMENT_INVALID') await enrollmentFailures.failed(request);
      throw error;
    });
    metrics.enrollments += 1;
    log(`[hub] device ${enrolled.deviceId} "${body.deviceName}" enrolled in branch ${enrolled.branch.code}`);
    return sendResult(reply, ok(enrolled));
  });

  app.register(async (device) => {
    /** A page read ahead, with the device's push count when it was offered (takeReadAhead). */
    const readAhead = new ReadAhead<{ page: HubPullPage; pushes: number }>();
    device.decorateRequest('device', null);
    device.addHook('onRequest', async (request, reply) => {
      // First: a busy hub queues or refuses before it spends a database round trip on the token.
      // A hello opens a sync; the rest continue one and go ahead of new hellos (server/backpressure.ts).
      await inFlight.admit(reply, request.url !== `${SYNC_PATH}/hello`);
      await deviceFailures.refuseIfExhausted(request, reply);
      (request as DeviceRequest).device = await authenticateDevice(storage, bearerToken(request)).catch(async (error: unknown) => {
        if (error instanceof HubError && error.code === 'UNAUTHENTICATED') await deviceFailures.failed(request);
        throw error;
      });
    });
    const current = (request: FastifyRequest): Device => (request as DeviceRequest).device as Device;

    /** Push, pull and resolve need a hello on a schema the hub still accepts. */
    const requireCurrentSchema = (request: FastifyRequest): Device => {
      const caller = current(request);
      if (caller.schemaVersion === null) throw new HubError('VALIDATION', `Send ${SYNC_PATH}/hello before syncing`);
      if (caller.schemaVersion < minSchemaVersion) throw upgradeRequired(caller.schemaVersion);
      return caller;
    };
    const upgradeRequired = (schemaVersion: number) =>
      new HubError('UPGRADE_REQUIRED', `This GreenLedger is too old to sync (database schema ${schemaVersion}, head office needs ${minSchemaVersion}). Please update the app.`, {
        schemaVersion,
        minSchemaVersion,
      });

    /**
     * A pull page for this device, asked for on its own (/pull) or with the hello (a laptop with
     * nothing to push asks for its first page there and saves a round trip; shared/sync/protocol.ts).
     * A page read ahead is taken if it is the one asked for; else a pull with nothing beyond the
     * checkpoint is answered and recorded in one statement (server/quietPull.ts); else the page is
     * prepared and the pull recorded as always.
     */
    const takeReadAhead = async (caller: Device, body: PullWindow): Promise<HubPullPage | undefined> => {
      const prepared = await readAhead.take(caller.deviceId, pullKey(caller.branch.id, body))?.catch(() => undefined);
      // The device's push forgets its page on this process, but with several hub processes on one
      // database (server/cluster.ts) the push may have gone to another: the count its token check
      // read tells. A page prepared after the count was read holds every push the count includes.
      return prepared !== undefined && prepared.pushes === caller.pushes ? prepared.page : undefined;
    };
    /** `known`: what the hello's statement found already (server/quietPull.ts quietHello) — the page read ahead, if any, and the quiet answer. */
    const servePull = async (caller: Device, body: PullWindow, reply: FastifyReply, known?: { prepared: HubPullPage | undefined; quiet: HubPullPage | null }): Promise<HubPullPage> => {
      const prepared = known === undefined ? await takeReadAhead(caller, body) : known.prepared;
      const quiet = known !== undefined ? known.quiet : prepared === undefined ? await quietPull(storage, caller.branch.id, caller.deviceId, body) : null;
      const page = prepared ?? quiet ?? (await pullPage(storage, caller.branch.id, body));
      if (quiet === null) await recordPull(storage, caller.deviceId, body.referenceVersions);
      metrics.pulls += 1;
      if (prepared !== undefined) metrics.pullsReadAhead += 1;
      if (page.hasMore) {
        // What the device asks for next (electron/host/sync/engine.ts): from this page's end, holding
        // the reference sets this page brought.
        const next = { ...body, since: page.next, referenceVersions: { ...body.referenceVersions, ...Object.fromEntries(page.reference.map((set) => [set.name, set.version])) } };
        // Once this answer is on its way: PGlite runs a query on this thread, and preparing the next
        // page before that would hold this one back.
        reply.raw.once('finish', () => readAhead.offer(caller.deviceId, pullKey(caller.branch.id, next), async () => ({ page: await pullPage(storage, caller.branch.id, next), pushes: caller.pushes })));
      }
      return page;
    };

    device.post(`${SYNC_PATH}/hello`, limitedTo(bodyLimits.hello), async (request, reply) => {
      const caller = current(request);
      const hello = parseWith(helloRequestSchema, request.body, 'hello');
      if (hello.clientId !== caller.clientId) throw clientMismatch();
      const at = { branchId: caller.branch.id, deviceId: caller.deviceId };
      const head = singleHead({ head: hello.auditHead, atAnchor: hello.auditAtAnchor });
      let auditAnchor: AuditAnchor | null;
      let known: Parameters<typeof servePull>[3];
      if (hello.schemaVersion >= minSchemaVersion && head !== null) {
        // The usual hello: one statement records it, its head and — nothing read ahead — a quiet pull.
        const prepared = hello.pull === undefined ? undefined : await takeReadAhead(caller, hello.pull);
        const seen = await quietHello(storage, at, hello, head, hello.pull !== undefined && prepared === undefined ? hello.pull : null, log);
        auditAnchor = seen.auditAnchor;
        known = { prepared, quiet: seen.quiet };
      } else {
        await recordHello(storage, caller.deviceId, hello);
        if (hello.schemaVersion < minSchemaVersion) throw upgradeRequired(hello.schemaVersion);
        auditAnchor = await recordAnchor(storage, at, { head: hello.auditHead, atAnchor: hello.auditAtAnchor }, log);
      }
      const serverTime = Date.now();
      const response: HelloResponse = {
        serverTime: new Date(serverTime).toISOString(),
        minSchemaVersion,
        branch: caller.branch,
        clockSkewMs: Date.parse(hello.clientTime) - serverTime,
        maxDriftMs: clock.maxDriftMs,
        auditAnchor,
      };
      // The schema was checked just above, as requireCurrentSchema checks it for /pull.
      if (hello.pull === undefined) return sendResult(reply, ok(response));
      return sendResult(reply, ok({ ...response, pull: await servePull(caller, hello.pull, reply, known) }));
    });

    device.post(`${SYNC_PATH}/push`, limitedTo(bodyLimits.push), async (request, reply) => {
      const caller = requireCurrentSchema(request);
      const body = parseWith(pushRequestSchema, request.body, 'push page');
      if (body.clientId !== caller.clientId) throw clientMismatch();
      readAhead.forget(caller.deviceId);
      const results = await pushPage(storage, { branchId: caller.branch.id, clientId: caller.clientId, actor: 'device', deviceId: caller.deviceId }, body.changes, clock);
      metrics.pushes += 1;
      for (const result of results) metrics.changes[result.status] += 1;
      return sendResult(reply, ok({ results }));
    });

    device.post(`${SYNC_PATH}/pull`, limitedTo(bodyLimits.pull), async (request, reply) => {
      const caller = requireCurrentSchema(request);
      const body = parseWith(pullRequestSchema, request.body ?? {}, 'pull request');
      return sendResult(reply, ok(await servePull(caller, body, reply)));
    });

    // ——— attachment files ———
    device.post(`${BLOBS_PATH}/missing`, limitedTo(bodyLimits.blobsMissing), async (request, reply) => {
      const caller = requireCurrentSchema(request);
      const body = parseWith(blobsMissingRequestSchema, request.body, 'blob query');
      return sendResult(reply, ok({ missing: await missingBlobs(storage, caller.branch.id, body.sha256) }));
    });

    device.put<{ Params: { sha256: string } }>(`${BLOBS_PATH}/:sha256`, { bodyLimit: syncLimits.maxBlobBytes }, async (request, reply) => {
      const caller = requireCurrentSchema(request);
      const sha256 = parseWith(sha256Schema, request.params.sha256, 'file hash');
      if (!Buffer.isBuffer(request.body)) throw new HubError('VALIDATION', 'Send the file as application/octet-stream');
      const stored = await storeBlob(storage, caller.branch.id, caller.deviceId, sha256, request.body);
      metrics.blobsStored += stored ? 1 : 0;
      return sendResult(reply, ok({ sha256, stored }));
    });

    device.get<{ Params: { sha256: string } }>(`${BLOBS_PATH}/:sha256`, async (request, reply) => {
      const caller = requireCurrentSchema(request);
      const sha256 = parseWith(sha256Schema, request.params.sha256, 'file hash');
      const content = await readBlob(storage, caller.branch.id, sha256);
      metrics.blobsServed += 1;
      return reply.type('application/octet-stream').send(content);
    });

    device.post<{ Params: { id: string } }>(`${SYNC_PATH}/conflicts/:id/resolve`, limitedTo(bodyLimits.resolve), async (request, reply) => {
      const caller = requireCurrentSchema(request);
      const conflictId = parseWith(uuidParam, request.params.id, 'conflict id');
      const body = parseWith(resolveRequestSchema, request.body, 'resolution');
      readAhead.forget(caller.deviceId);
      const resolved = await resolveConflict(storage, clock, { branchId: caller.branch.id, deviceId: caller.deviceId, deviceName: caller.name }, conflictId, body);
      metrics.conflictsResolved += 1;
      return sendResult(reply, ok(resolved));
    });
  });

  const clientMismatch = () => new HubError('CLIENT_MISMATCH', 'clientId is not the one this device enrolled with; enroll this installation again');

  return {
    app,
    metrics,
    inFlight,
    clock,
    async listen(listenOptions = {}) {
      await app.listen({ port: listenOptions.port ?? 0, host: listenOptions.host ?? '127.0.0.1' });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const host = listenOptions.host ?? '127.0.0.1';
      return `${options.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    async close() {
      await maintenance.stop();
      await app.close();
    },
  };
}

type DeviceRequest = FastifyRequest & { device: Device | null };
