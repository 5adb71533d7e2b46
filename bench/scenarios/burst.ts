/**
 * The morning burst (issue 19 acceptance 1): N laptops that each say hello, push ~50 changes and pull,
 * all starting within the first minute of the working day, against a real hub process on loopback.
 *
 * | name                | what                                                                   | target              |
 * |---------------------|------------------------------------------------------------------------|---------------------|
 * | `sync.burst`        | 2,000 devices (500 branches × 4) on a PostgreSQL 15 the bench starts   | ≤ 60 s, p99 ≤ 5 s   |
 * | `sync.burst.pglite` | 200 devices on the embedded default (a small head office)              | —                   |
 *
 * A device is the laptop's sync client without its SQLite store: hubRequest (gzip bodies, answers
 * checked against the protocol's zod schemas, the busy-hub backoff with its retry count) speaking
 * hello → push → pull as syncOnce does (electron/host/sync/engine.ts), with changes shaped like
 * insertRecord's. Two thousand encrypted stores would measure this machine's two cores writing
 * SQLite, not the hub. Devices are enrolled through the hub's enrollment endpoint before the clock
 * starts; start times are spread at random over BURST_SPREAD_S; at most BURST_CONCURRENCY devices run
 * at once in this one process (a device waiting for a slot is late, and its latency says so).
 *
 * Afterwards the hub's database is read back: every change sent must be a row of its device's branch
 * with the fields sent (`lost` counts those missing or different), and nothing else may be there
 * (`duplicated`: extra rows, or more logged changes than were sent). Each device must also have
 * pulled its own rows back. Sampled during the run: hub RSS, database connections, os.loadavg().
 *
 * Environment: BURST_DEVICES (2000), BURST_PER_BRANCH (4), BURST_CHANGES (50), BURST_SPREAD_S (40),
 * BURST_CONCURRENCY (200), BURST_PGLITE_DEVICES (200), BURST_HUB_MAX_IN_FLIGHT and
 * BURST_HUB_DB_POOL_SIZE, BURST_HUB_ADMISSION_QUEUE and BURST_HUB_ADMISSION_WAIT_MS (the hub's HEADOFFICE_MAX_IN_FLIGHT,
 * HEADOFFICE_DB_POOL_SIZE, HEADOFFICE_ADMISSION_QUEUE, HEADOFFICE_ADMISSION_WAIT_MS; unset: its defaults),
 * BURST_HUB_NODE_OPTIONS (the hub process's NODE_OPTIONS, e.g. --require of a profiler).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import pg from 'pg';
import { loadMigrations } from '../../db/migrate.ts';
import { defaultRetryPolicy, hubRequest, type HubClientOptions } from '../../electron/host/sync/hubClient.ts';
import { createPgliteStorage, createPostgresStorage, type Storage } from '../../server/storage.ts';
import { enrollResponseSchema, helloResponseSchema, pullResponseSchema, pushResponseSchema, PROTOCOL_VERSION, SYNC_PATH, syncLimits, type Change } from '../../shared/sync/protocol.ts';
import { admin, startHub, type HubProcess } from '../../tests/sync/hub.ts';
import { nowMs, percentile, type BenchContext, type Measurement, type Scenario } from '../harness.ts';
import { startPostgres } from '../postgres.ts';
import { newEnterpriseChanges } from './sync.ts';

const setting = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
};

const TARGETS = { totalS: 60, p99Ms: 5_000 };
const RUN = Date.now().toString(36);

interface SimDevice {
  index: number;
  branchCode: string;
  clientId: string;
  client: HubClientOptions;
  changes: Change[];
}

interface Outcome {
  ms: number;
  retries: number;
  error?: string;
  /** The hub answered for every change of the device: from then on a missing change is lost. */
  acknowledged: boolean;
  pulledOwn: boolean;
  replayed: number;
}

/** Runs `work` over `items` with at most `limit` at once (set-up: branches, codes, enrollments). */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

/** A counting semaphore: the bound on devices running at once in this process. */
function slots(limit: number): { acquire(): Promise<void>; release(): void } {
  let free = limit;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => {
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release: () => {
      const wake = waiting.shift();
      if (wake !== undefined) wake();
      else free += 1;
    },
  };
}

async function enrollDevices(ctx: BenchContext, hub: HubProcess, devices: number, perBranch: number, changesPerDevice: number): Promise<SimDevice[]> {
  const branchCount = Math.ceil(devices / perBranch);
  const branches: { id: string; code: string }[] = [];
  await eachLimited(Array.from({ length: branchCount }, (_, i) => i), 8, async (i) => {
    const code = `BU${RUN}-${i}`;
    const branch = await admin<{ id: string }>(hub, '/admin/branches', { name: `第${i + 1}县支行`, code, divisionCode: i % 2 === 0 ? '360222' : '430582' });
    branches[i] = { id: branch.id, code };
  });
  const sim: SimDevice[] = [];
  await eachLimited(Array.from({ length: devices }, (_, i) => i), 8, async (i) => {
    const branch = branches[Math.floor(i / perBranch)] as { id: string; code: string };
    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branch.id}/enrollment-codes`, {});
    const clientId = uuidv7();
    const enrolled = await hubRequest({ baseUrl: hub.url }, `${SYNC_PATH}/enroll`, { code, deviceName: `笔记本 ${i}`, clientId }, enrollResponseSchema);
    if (!enrolled.ok) throw new Error(`enrollment ${i}: ${enrolled.error.code} ${enrolled.error.message}`);
    sim[i] = { index: i, branchCode: branch.code, clientId, client: { baseUrl: hub.url, token: enrolled.value.deviceToken, timeoutMs: 60_000 }, changes: [] };
  });
  // Built after enrolling, in device order: the same seeded data whatever order enrollments finished in.
  for (const device of sim) device.changes = newEnterpriseChanges(ctx, device.clientId, changesPerDevice, `officer-${device.index}`);
  return sim;
}

/** One device's morning: hello, push its page(s), pull from checkpoint 0 until the hub has no more. */
async function morning(device: SimDevice, schemaVersion: number): Promise<Omit<Outcome, 'ms'>> {
  let retries = 0;
  const client: HubClientOptions = { ...device.client, retry: { ...defaultRetryPolicy, onRetry: () => (retries += 1) } };
  let acknowledged = false;
  const failed = (code: string) => ({ retries, error: code, acknowledged, pulledOwn: false, replayed: 0 });
  const hello = await hubRequest(client, `${SYNC_PATH}/hello`, { protocol: PROTOCOL_VERSION, appVersion: '0.0.0-burst', schemaVersion, clientId: device.clientId, clientTime: new Date().toISOString() }, helloResponseSchema);
  if (!hello.ok) return failed(hello.error.code);
  let replayed = 0;
  for (let from = 0; from < device.changes.length; from += syncLimits.maxChangesPerPage) {
    const page = device.changes.slice(from, from + syncLimits.maxChangesPerPage);
    const pushed = await hubRequest(client, `${SYNC_PATH}/push`, { clientId: device.clientId, changes: page }, pushResponseSchema);
    if (!pushed.ok) return failed(pushed.error.code);
    if (pushed.value.results.length !== page.length) return failed('HUB_BAD_ANSWER');
    const unexpected = pushed.value.results.find((result) => result.status !== 'applied' && result.status !== 'duplicate');
    if (unexpected !== undefined) return failed(`PUSH_${unexpected.status.toUpperCase()}_${unexpected.reason ?? ''}`);
    replayed += pushed.value.results.filter((result) => result.status === 'duplicate').length;
  }
  acknowledged = true;
  const own = new Set(device.changes.map((change) => change.rowId));
  let since = 0;
  let referenceVersions: Record<string, number> = {};
  for (;;) {
    const pulled = await hubRequest(client, `${SYNC_PATH}/pull`, { since, limit: syncLimits.defaultPullLimit, referenceVersions }, pullResponseSchema);
    if (!pulled.ok) return failed(pulled.error.code);
    for (const row of pulled.value.rows) own.delete(row.rowId);
    referenceVersions = { ...referenceVersions, ...Object.fromEntries(pulled.value.reference.map((set) => [set.name, set.version])) };
    since = pulled.value.next;
    if (!pulled.value.hasMore) break;
  }
  return { retries, acknowledged, pulledOwn: own.size === 0, replayed };
}

/** Peaks of what the machine and the hub use while the burst runs, every 250 ms. */
function sampler(hub: HubProcess, connections: (() => Promise<number>) | undefined) {
  const peak = { rssMiB: 0, connections: 0, load1: 0 };
  let busy = false;
  const rssMiB = (): number => {
    const status = readFileSync(`/proc/${hub.process.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    peak.load1 = Math.max(peak.load1, loadavg()[0] as number);
    try {
      peak.rssMiB = Math.max(peak.rssMiB, rssMiB());
    } catch {
      // the hub exited: its absence shows in the errors
    }
    void (connections?.() ?? Promise.resolve(0))
      .then((count) => (peak.connections = Math.max(peak.connections, count)))
      .catch(() => {})
      .finally(() => (busy = false));
  }, 250);
  return { peak, stop: () => clearInterval(timer) };
}

interface Verified {
  /** Changes the hub acknowledged that it does not hold as sent. */
  lost: number;
  /** Changes of devices that gave up before the hub answered their push: still in their outbox. */
  undelivered: number;
  mismatched: number;
  duplicated: number;
  rows: number;
}

/** The hub's content against what the devices sent. */
async function verify(storage: Storage, devices: readonly SimDevice[], outcomes: readonly Outcome[]): Promise<Verified> {
  const rows = await storage.query<{ code: string; row_id: string; data: Record<string, unknown> }>(
    `SELECT b.code, r.row_id::text AS row_id, r.data FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id WHERE b.code LIKE $1 AND r.table_name = 'enterprises'`,
    [`BU${RUN}-%`],
  );
  const held = new Map(rows.map((row) => [row.row_id, row]));
  let lost = 0;
  let undelivered = 0;
  let mismatched = 0;
  const sent = new Set<string>();
  for (const device of devices) {
    const acknowledged = outcomes[device.index]?.acknowledged === true;
    for (const change of device.changes) {
      sent.add(change.rowId);
      const row = held.get(change.rowId);
      if (row === undefined || row.code !== device.branchCode) {
        if (acknowledged) lost += 1;
        else if (row === undefined) undelivered += 1;
        else lost += 1;
        continue;
      }
      if (Object.entries(change.fields).some(([field, value]) => JSON.stringify(row.data[field] ?? null) !== JSON.stringify(value ?? null))) mismatched += 1;
    }
  }
  const [logged] = await storage.query<{ n: number | string }>('SELECT count(*) AS n FROM sync_changes WHERE client_id = ANY($1::text[])', [devices.map((device) => device.clientId)]);
  const extraRows = rows.filter((row) => !sent.has(row.row_id)).length;
  const extraLogged = Math.max(0, Number(logged?.n ?? 0) - sent.size);
  return { lost: lost + mismatched, undelivered, mismatched, duplicated: extraRows + extraLogged, rows: rows.length };
}

async function burst(ctx: BenchContext, storageKind: 'postgres' | 'pglite'): Promise<Measurement> {
  const devices = setting(storageKind === 'postgres' ? 'BURST_DEVICES' : 'BURST_PGLITE_DEVICES', storageKind === 'postgres' ? 2000 : 200);
  const perBranch = setting('BURST_PER_BRANCH', 4);
  const changesPerDevice = setting('BURST_CHANGES', 50);
  const spreadS = setting('BURST_SPREAD_S', 40);
  const concurrency = setting('BURST_CONCURRENCY', 200);
  const postgres = storageKind === 'postgres' ? await startPostgres() : undefined;
  const env: Record<string, string> = { HEADOFFICE_UNAUTHENTICATED_PER_MINUTE: String(devices * 10) };
  if (postgres !== undefined) env.DATABASE_URL = postgres.url;
  if (process.env.BURST_HUB_MAX_IN_FLIGHT) env.HEADOFFICE_MAX_IN_FLIGHT = process.env.BURST_HUB_MAX_IN_FLIGHT;
  if (process.env.BURST_HUB_DB_POOL_SIZE) env.HEADOFFICE_DB_POOL_SIZE = process.env.BURST_HUB_DB_POOL_SIZE;
  if (process.env.BURST_HUB_ADMISSION_QUEUE) env.HEADOFFICE_ADMISSION_QUEUE = process.env.BURST_HUB_ADMISSION_QUEUE;
  if (process.env.BURST_HUB_ADMISSION_WAIT_MS) env.HEADOFFICE_ADMISSION_WAIT_MS = process.env.BURST_HUB_ADMISSION_WAIT_MS;
  // e.g. `--require <a script starting node:inspector's profiler>` to see where the hub's time goes under the burst.
  if (process.env.BURST_HUB_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BURST_HUB_NODE_OPTIONS;
  let hub: HubProcess | undefined;
  let probe: pg.Client | undefined;
  try {
    hub = await startHub({ env });
    ctx.log(`hub up at ${hub.url} on ${postgres === undefined ? 'embedded PGlite' : `PostgreSQL 15 (${postgres.url})`}`);
    let started = nowMs();
    const sim = await enrollDevices(ctx, hub, devices, perBranch, changesPerDevice);
    ctx.log(`${devices} devices enrolled in ${Math.ceil(devices / perBranch)} branches in ${((nowMs() - started) / 1000).toFixed(1)} s (untimed)`);
    if (postgres !== undefined) {
      probe = new pg.Client({ connectionString: postgres.url });
      await probe.connect();
    }
    const client = probe;
    const connections =
      client === undefined ? undefined : async () => Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")).rows[0]?.n ?? 0);
    const watch = sampler(hub, connections);
    const loadBefore = loadavg();
    const schemaVersion = loadMigrations().length;
    const limit = slots(concurrency);
    const outcomes: Outcome[] = [];
    started = nowMs();
    await Promise.all(
      sim.map(async (device) => {
        const offset = ctx.random() * spreadS * 1000;
        await new Promise((resolve) => setTimeout(resolve, offset));
        const scheduled = nowMs();
        await limit.acquire();
        try {
          const outcome = await morning(device, schemaVersion);
          outcomes[device.index] = { ...outcome, ms: nowMs() - scheduled };
        } catch (error) {
          outcomes[device.index] = { ms: nowMs() - scheduled, retries: 0, error: error instanceof Error ? error.name : 'THROWN', acknowledged: false, pulledOwn: false, replayed: 0 };
        } finally {
          limit.release();
        }
      }),
    );
    const totalS = (nowMs() - started) / 1000;
    watch.stop();
    const loadAfter = loadavg();
    const hubMetrics = await (await fetch(new URL('/metrics', hub.url), { headers: { authorization: `Bearer ${hub.adminToken}` } })).text();
    const hubPeak = Number(/^greenledger_hub_in_flight_peak (\d+)$/m.exec(hubMetrics)?.[1] ?? 0);
    const hubMetric = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(hubMetrics)?.[1] ?? 0);
    const refused = hubMetric('greenledger_hub_busy_refusals_total');
    const queued = hubMetric('greenledger_hub_admission_queued_total');
    const queuePeak = hubMetric('greenledger_hub_admission_waiting_peak');
    const queueWaitMax = hubMetric('greenledger_hub_admission_wait_ms_max');
    const queueWaitMean = queued === 0 ? 0 : Math.round(hubMetric('greenledger_hub_admission_wait_ms_total') / queued);
    const inFlightLimit = hubMetric('greenledger_hub_in_flight_limit');

    // The hub's content, read from its database: a PostgreSQL over the wire; PGlite once the hub let go of it.
    let verified: Verified;
    if (postgres !== undefined) {
      const storage = createPostgresStorage(postgres.url);
      verified = await verify(storage, sim, outcomes).finally(() => storage.close());
    } else {
      const running = hub;
      await new Promise<void>((resolve) => {
        running.process.once('exit', () => resolve());
        running.process.kill('SIGTERM');
      });
      const storage = await createPgliteStorage(join(running.dataDir, 'pglite'));
      verified = await verify(storage, sim, outcomes).finally(() => storage.close());
    }

    const errors = new Map<string, number>();
    for (const outcome of outcomes) if (outcome.error !== undefined) errors.set(outcome.error, (errors.get(outcome.error) ?? 0) + 1);
    const completed = outcomes.filter((outcome) => outcome.error === undefined).length;
    const notPulled = outcomes.filter((outcome) => outcome.error === undefined && !outcome.pulledOwn).length;
    const retries = outcomes.reduce((sum, outcome) => sum + outcome.retries, 0);
    const samples = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
    const p = (q: number) => Math.round(percentile(samples, q));
    const errorsByCode = [...errors].map(([code, count]) => `${code}:${count}`).join(',') || 'none';
    const meets = completed === devices && verified.lost === 0 && verified.duplicated === 0 && notPulled === 0 && totalS <= TARGETS.totalS && p(99) <= TARGETS.p99Ms;
    const load = (values: number[]) => values.map((value) => value.toFixed(1)).join('/');
    return {
      samples,
      perSecond: (completed * changesPerDevice) / totalS,
      notes: `${devices} devices (${perBranch}/branch) × ${changesPerDevice} changes, starts over ${spreadS} s, ≤ ${concurrency} at once; total ${totalS.toFixed(1)} s, p99 ${p(99)} ms (targets ≤ ${TARGETS.totalS} s, ≤ ${TARGETS.p99Ms} ms); lost ${verified.lost}, duplicated ${verified.duplicated}, undelivered ${verified.undelivered}, retries ${retries} (hub refused ${refused}; ${queued} requests waited for one of ${inFlightLimit} slots, mean ${queueWaitMean} ms, max ${queueWaitMax} ms, ≤ ${queuePeak} at once), errors ${errorsByCode}; p50/p95 ${p(50)}/${p(95)} ms; hub RSS ≤ ${Math.round(watch.peak.rssMiB)} MiB, ${watch.peak.connections} DB connections; load ${load(loadBefore)} → ${load(loadAfter)} on ${cpus().length} CPUs; sample = 1 device, scheduled start to pulled`,
      extra: {
        hub_storage: storageKind,
        unit: 'device morning (hello, push, pull)',
        devices,
        devices_per_branch: perBranch,
        changes_per_device: changesPerDevice,
        spread_s: spreadS,
        concurrency,
        completed,
        total_s: Number(totalS.toFixed(2)),
        p99_ms: p(99),
        max_ms: Math.round(samples.at(-1) ?? 0),
        lost: verified.lost,
        mismatched: verified.mismatched,
        undelivered: verified.undelivered,
        duplicated: verified.duplicated,
        not_pulled_back: notPulled,
        replayed_answers: outcomes.reduce((sum, outcome) => sum + outcome.replayed, 0),
        hub_rows: verified.rows,
        retries,
        hub_busy_refusals: refused,
        hub_in_flight_peak: hubPeak,
        hub_in_flight_limit: inFlightLimit,
        hub_admission_queued: queued,
        hub_admission_waiting_peak: queuePeak,
        hub_admission_wait_mean_ms: queueWaitMean,
        hub_admission_wait_max_ms: queueWaitMax,
        errors: errorsByCode,
        hub_rss_peak_mib: Math.round(watch.peak.rssMiB),
        db_connections_peak: watch.peak.connections,
        load_before: load(loadBefore),
        load_after: load(loadAfter),
        load1_peak: Number(watch.peak.load1.toFixed(2)),
        cpus: cpus().length,
        target_total_s: TARGETS.totalS,
        target_p99_ms: TARGETS.p99Ms,
        meets_target: meets,
      },
    };
  } finally {
    await probe?.end().catch(() => {});
    await hub?.stop();
    postgres?.stop();
  }
}

export const scenarios: Scenario[] = [
  { name: 'sync.burst', run: (ctx) => burst(ctx, 'postgres') },
  { name: 'sync.burst.pglite', run: (ctx) => burst(ctx, 'pglite') },
];
