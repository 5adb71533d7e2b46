/**
 * Sync with the head-office hub (issue 5, acceptance 5): a real hub process on loopback with its
 * embedded storage (PGlite, as `npm run headoffice` starts it without DATABASE_URL; tests/sync/hub.ts
 * launches it) and real desktop stores (encrypted SQLite through openStore) driven by the desktop
 * sync engine (syncOnce, gzip bodies, protocol-checked answers). Starting the hub, enrolling,
 * queueing changes and seeding the hub are never timed. Each scenario has a hub of its own.
 *
 * | name                    | what                                                                        | target    |
 * |-------------------------|-----------------------------------------------------------------------------|-----------|
 * | `sync.initial_pull`     | a freshly enrolled laptop pulls the 50k enterprise files its branch holds   | ≤ 3 s     |
 *   (its first pull: pages staged, then placed in one step, db/bulkPull.ts; the deferred WAL
 *   checkpoint is measured after, as `checkpoint_after_s`)
 * | `sync.upload`           | 10k new files queued offline pushed until the outbox is empty               | ≤ 3 s     |
 * | `sync.noop`             | a whole cycle with nothing to do (a hello bringing the empty pull page), p95 | ≤ 7 ms    |
 * | `sync.bytes_per_change` | gzip request bytes on the wire per change (`bytes`: new files; edits, mix)  | ≤ 120 B   |
 * | `sync.hub_ingest`       | 50 laptops in 50 branches push 1,000 changes each at once: changes/s at hub | —         |
 * | `sync.hub_ingest.postgres` | the same on a PostgreSQL 15 the bench starts, with the raw INSERT rate   | ≥ 15,000/s |
 *
 * Each reports `total_s` / `bytes` / `changes_per_s` and `meets_target` in latest.json. With
 * HUB_TEST_DATABASE_URL set (as for the hub tests) the hubs use that PostgreSQL instead, for
 * comparison (`hub_storage` says which).
 */
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { DEFAULT_DB_POOL_SIZE } from '../../server/config.ts';
import { startPostgres } from '../postgres.ts';
import { enterpriseColumns } from '../../db/enterprises.ts';
import { loadMigrations } from '../../db/migrate.ts';
import type { Db } from '../../db/open.ts';
import { outboxCount } from '../../db/outbox.ts';
import { insertRecord, updateRecord, type Actor, type Row } from '../../db/records.ts';
import { openStore, type Store } from '../../electron/host/store.ts';
import { enroll, syncOnce, type SyncDeps, type SyncReport } from '../../electron/host/sync/engine.ts';
import { hubRequest } from '../../electron/host/sync/hubClient.ts';
import { defaultFocusIndustryGroupings } from '../../shared/codes/focusIndustries.ts';
import { encodeHlc, tick, zeroHlc } from '../../shared/sync/hlc.ts';
import { enrollResponseSchema, helloResponseSchema, pushResponseSchema, PROTOCOL_VERSION, SYNC_PATH, syncLimits, type Change } from '../../shared/sync/protocol.ts';
import { admin, branchWithCode, startHub, type HubProcess } from '../../tests/sync/hub.ts';
import { benchEnterprise } from '../data/enterprises.ts';
import { collectGarbage, nowMs, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

const INITIAL_PULL_ROWS = 50_000;
const UPLOAD_CHANGES = 10_000;
const NOOP_ROUNDS = 200;
const NOOP_WARMUP = 20;
const BYTES_CHANGES = 5_000;
const INGEST_BRANCHES = 50;
const INGEST_CHANGES_PER_BRANCH = 1_000;
// noopP95Ms: issue 19 — ahead of a PouchDB no-change round trip on this machine (p95 8.6–9.2 ms).
const TARGETS = { initialPullS: 3, uploadS: 3, noopP95Ms: 7, bytesPerChange: 120 };

// ——— hub and devices ———————————————————————————————————————————————————————————————

/**
 * The hub's storage: the embedded default, unless HUB_TEST_DATABASE_URL names a PostgreSQL (the same
 * switch as the hub tests, tests/sync/hub.ts) — for comparing the two, not for the recorded numbers.
 */
const hubStorage = (): string => (process.env.HUB_TEST_DATABASE_URL === undefined ? 'pglite' : 'postgres');

const RUN = Date.now().toString(36);
/** Branch codes are unique per run: a PostgreSQL given by HUB_TEST_DATABASE_URL outlives the hubs. */
const branchCode = (name: string): string => `B${RUN}-${name}`;

/** `databaseUrl`: a PostgreSQL of the scenario's own (bench/postgres.ts), whatever HUB_TEST_DATABASE_URL says. */
async function withHub<T>(ctx: BenchContext, work: (hub: HubProcess) => Promise<T>, databaseUrl?: string, env: Record<string, string> = {}): Promise<T> {
  const started = nowMs();
  const hub = await startHub({ env: { ...env, ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) } });
  const where = databaseUrl !== undefined ? 'PostgreSQL 15 started by the bench' : hubStorage() === 'pglite' ? 'embedded PGlite' : 'PostgreSQL from HUB_TEST_DATABASE_URL';
  ctx.log(`hub up in ${((nowMs() - started) / 1000).toFixed(1)} s (real process, ${where}) at ${hub.url}`);
  // A bench that dies must not leave a hub behind.
  const killHub = () => hub.process.kill('SIGKILL');
  process.once('exit', killHub);
  try {
    return await work(hub);
  } finally {
    process.removeListener('exit', killHub);
    await hub.stop();
  }
}

/** What the engine's onStep and fetch hooks saw: step times and request bodies on the wire. */
interface Probe {
  steps: { step: string; at: number }[];
  requests: { path: string; bytes: number }[];
  responses: { path: string; bytes: number }[];
}

const newProbe = (): Probe => ({ steps: [], requests: [], responses: [] });

/** Thrown from onStep at 'pull:send' when only the push half of a cycle is wanted. */
class StopBeforePull extends Error {}

interface Device {
  store: Store;
  db: Db;
  actor: Actor;
  branchId: string;
  /** One sync cycle, recorded in `probe`; `pushOnly` stops it when the push half is done. */
  sync(probe?: Probe, options?: { pushOnly?: boolean }): Promise<SyncReport | null>;
}

async function enrolledDevice(ctx: BenchContext, hub: HubProcess, name: string, branch: { branchId: string; enrollmentCode: string }): Promise<Device> {
  const store = openStore(ctx.tempFile(name), ctx.newKeyHex());
  const base: SyncDeps = { db: store.db, appVersion: '0.0.0-bench', now: () => new Date(), log: () => {}, timeoutMs: 120_000 };
  await enroll(base, { hubUrl: hub.url, code: branch.enrollmentCode, deviceName: name });
  const device: Device = {
    store,
    db: store.db,
    branchId: branch.branchId,
    actor: { userId: `officer-${name}`, userName: '客户经理', branchId: branch.branchId },
    async sync(probe, options = {}) {
      const deps: SyncDeps = {
        ...base,
        onStep: (step) => {
          probe?.steps.push({ step, at: nowMs() });
          if (options.pushOnly === true && step === 'pull:send') throw new StopBeforePull();
        },
        fetchImpl: async (input, init) => {
          const path = new URL(String(input)).pathname;
          const body = init?.body;
          if (probe !== undefined && body instanceof Uint8Array) probe.requests.push({ path, bytes: body.byteLength });
          const response = await fetch(input, init);
          if (probe !== undefined) probe.responses.push({ path, bytes: Number(response.headers.get('content-length') ?? 0) });
          return response;
        },
      };
      try {
        return await syncOnce(deps);
      } catch (error) {
        if (error instanceof StopBeforePull) return null;
        throw error;
      }
    },
  };
  return device;
}

let serial = 0;

/**
 * Queues `count` new enterprise files, varied like a county register (bench/data/enterprises.ts), in
 * the device's outbox through the product's write path (insertRecord: row, audit entry and outbox
 * change in one transaction), in big transactions.
 */
function queueInserts(ctx: BenchContext, device: Device, count: number): string[] {
  const ids: string[] = [];
  const now = new Date();
  const batch = device.db.transaction((n: number) => {
    for (let i = 0; i < n; i += 1) {
      serial += 1;
      const { file } = benchEnterprise(serial, ctx.random);
      ids.push(insertRecord(device.db, 'enterprises', enterpriseColumns(file, defaultFocusIndustryGroupings), device.actor, now).id as string);
    }
  });
  for (let done = 0; done < count; done += 5_000) batch(Math.min(5_000, count - done));
  return ids;
}

/** Queues `count` everyday edits of existing files: an address, a head count, a contact phone. */
function queueEdits(ctx: BenchContext, device: Device, ids: readonly string[], count: number): void {
  const now = new Date();
  const get = device.db.prepare('SELECT address, employees, contacts FROM enterprises WHERE id = ?');
  device.db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const id = ids[Math.floor(ctx.random() * ids.length)] as string;
      const row = get.get(id) as { address: string; employees: number; contacts: string };
      const kind = i % 3;
      const patch: Row =
        kind === 0
          ? { address: `${row.address.replace(/\d+号$/, '')}${1 + Math.floor(ctx.random() * 300)}号` }
          : kind === 1
            ? { employees: row.employees + 1 + Math.floor(ctx.random() * 20) }
            : { contacts: JSON.stringify([{ name: '李会计', phone: `139${String(Math.floor(ctx.random() * 1e8)).padStart(8, '0')}` }]) };
      updateRecord(device.db, 'enterprises', id, patch, device.actor, now);
    }
  })();
}

/**
 * Seeds a branch at the hub with `count` new enterprise files as a device would upload them (the
 * same fields insertRecord captures), but built in memory and pushed in full pages straight over the
 * protocol: the hub does all its usual work, and the untimed set-up skips 50k local writes.
 */
async function seedBranch(ctx: BenchContext, hub: HubProcess, enrollmentCode: string, count: number): Promise<void> {
  const clientId = uuidv7();
  const enrolled = await hubRequest({ baseUrl: hub.url }, `${SYNC_PATH}/enroll`, { code: enrollmentCode, deviceName: 'seeder', clientId }, enrollResponseSchema);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const client = { baseUrl: hub.url, token: enrolled.value.deviceToken, timeoutMs: 120_000 };
  // A desktop database is at the version of its last migration.
  const hello = await hubRequest(client, `${SYNC_PATH}/hello`, { protocol: PROTOCOL_VERSION, appVersion: '0.0.0-bench', schemaVersion: loadMigrations().length, clientId, clientTime: new Date().toISOString() }, helloResponseSchema);
  if (!hello.ok) throw new Error(hello.error.message);
  const changes = newEnterpriseChanges(ctx, clientId, count);
  for (let from = 0; from < changes.length; from += syncLimits.maxChangesPerPage) {
    const answer = await hubRequest(client, `${SYNC_PATH}/push`, { clientId, changes: changes.slice(from, from + syncLimits.maxChangesPerPage) }, pushResponseSchema);
    if (!answer.ok || answer.value.results.some((r) => r.status !== 'applied')) throw new Error(`seeding push failed: ${JSON.stringify(answer).slice(0, 300)}`);
  }
}

/**
 * `count` new enterprise files as changes of one device (op ids 1…count), with the fields the
 * desktop's insertRecord captures, built in memory (bench/data/enterprises.ts varies them).
 */
export function newEnterpriseChanges(ctx: BenchContext, clientId: string, count: number, userId = 'seed-officer'): Change[] {
  let clock = zeroHlc(clientId);
  const changes: Change[] = [];
  for (let opId = 1; opId <= count; opId += 1) {
    serial += 1;
    const at = new Date();
    clock = tick(clock, at.getTime());
    const columns = enterpriseColumns(benchEnterprise(serial, ctx.random).file, defaultFocusIndustryGroupings);
    const iso = at.toISOString();
    const fields = { ...columns, created_at: iso, created_by: userId, updated_at: iso, updated_by: userId } as Change['fields'];
    changes.push({ opId, table: 'enterprises', rowId: uuidv7(), op: 'insert', fields, prev: {}, baseVersion: 0, hlc: encodeHlc(clock), userId, at: iso });
  }
  return changes;
}

/** Durations between each `from` step and the next `to` step. */
function spans(probe: Probe, from: string, to: string): number[] {
  const out: number[] = [];
  let start: number | null = null;
  for (const { step, at } of probe.steps) {
    if (step === from) start = at;
    else if (step === to && start !== null) {
      out.push(at - start);
      start = null;
    }
  }
  return out;
}

/**
 * Durations from the k-th `from` step to the k-th `to` step: push pages overlap (the next page is sent
 * before this one's answers are committed, electron/host/sync/engine.ts), so a page's span is not
 * from one step to the next.
 */
function pageSpans(probe: Probe, from: string, to: string): number[] {
  const starts = probe.steps.filter(({ step }) => step === from).map(({ at }) => at);
  return probe.steps.filter(({ step }) => step === to).map(({ at }, k) => at - (starts[k] as number));
}

const firstStep = (probe: Probe, step: string): number => probe.steps.find((s) => s.step === step)?.at ?? Number.NaN;
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

// ——— scenarios ———————————————————————————————————————————————————————————————————————

/** A fresh laptop joins a branch whose hub holds 50k enterprise files and pulls them all. */
async function initialPull(ctx: BenchContext): Promise<Measurement> {
  return withHub(ctx, async (hub) => {
    const branch = await branchWithCode(hub, '浮梁县支行', branchCode('PULL'));
    let started = nowMs();
    await seedBranch(ctx, hub, branch.enrollmentCode, INITIAL_PULL_ROWS);
    const seedS = (nowMs() - started) / 1000;
    ctx.log(`hub seeded with ${INITIAL_PULL_ROWS.toLocaleString('en')} enterprise files in ${seedS.toFixed(1)} s (untimed)`);

    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branch.branchId}/enrollment-codes`, {});
    const laptop = await enrolledDevice(ctx, hub, 'fresh-laptop', { branchId: branch.branchId, enrollmentCode: code });
    const probe = newProbe();
    collectGarbage();
    started = nowMs();
    const report = await laptop.sync(probe);
    const seconds = (nowMs() - started) / 1000;
    const rows = laptop.db.prepare('SELECT count(*) FROM enterprises').pluck().get() as number;
    if (rows !== INITIAL_PULL_ROWS || report?.pulled !== INITIAL_PULL_ROWS) throw new Error(`pulled ${report?.pulled} rows, store holds ${rows}`);
    const pages = spans(probe, 'pull:send', 'pull:committed');
    const waits = spans(probe, 'pull:send', 'pull:answered');
    const applies = spans(probe, 'pull:answered', 'pull:committed');
    const placingS = sum(spans(probe, 'pull:placing', 'pull:placed')) / 1000;
    const audit = laptop.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sync_insert'").pluck().get() as number;
    // A first pull leaves copying the WAL into the database file to the next commit (db/bulkPull.ts):
    // measured here on its own, so the deferred cost is on record too.
    started = nowMs();
    laptop.db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointS = (nowMs() - started) / 1000;
    laptop.store.db.close();
    return {
      samples: pages,
      perSecond: INITIAL_PULL_ROWS / seconds,
      notes: `sample = 1 pull page of ${syncLimits.defaultPullLimit} rows (request + staging with checkpoint); total ${seconds.toFixed(2)} s for ${INITIAL_PULL_ROWS.toLocaleString('en')} rows incl. placing them (${placingS.toFixed(2)} s), target ≤ ${TARGETS.initialPullS} s; WAL checkpoint after: ${checkpointS.toFixed(2)} s`,
      extra: {
        hub_storage: hubStorage(),
        unit: 'pull page',
        rows: INITIAL_PULL_ROWS,
        pages: pages.length,
        total_s: round(seconds),
        target_s: TARGETS.initialPullS,
        meets_target: seconds <= TARGETS.initialPullS,
        request_and_wait_s: round(sum(waits) / 1000),
        apply_s: round(sum(applies) / 1000),
        placing_s: round(placingS),
        hub_response_bytes_gzip: sum(probe.responses.filter((r) => r.path.endsWith('/pull')).map((r) => r.bytes)),
        audit_rows_written: audit,
        checkpoint_after_s: round(checkpointS),
        seed_push_s: round(seedS),
      },
    };
  });
}

/** 10k changes queued offline (new enterprise files) pushed in pages; then the cycle's pull. */
async function upload(ctx: BenchContext): Promise<Measurement> {
  return withHub(ctx, async (hub) => {
    const laptop = await enrolledDevice(ctx, hub, 'laptop', await branchWithCode(hub, '乐平市支行', branchCode('UP')));
    queueInserts(ctx, laptop, UPLOAD_CHANGES);
    const probe = newProbe();
    collectGarbage();
    const started = nowMs();
    const report = await laptop.sync(probe);
    const totalS = (nowMs() - started) / 1000;
    const pushS = (firstStep(probe, 'pull:send') - started) / 1000;
    if (report?.pushed !== UPLOAD_CHANGES || outboxCount(laptop.db) !== 0) throw new Error(`pushed ${report?.pushed}, ${outboxCount(laptop.db)} left`);
    const pushes = probe.requests.filter((r) => r.path.endsWith('/push'));
    const pages = pageSpans(probe, 'push:send', 'push:committed');
    // Pages close at 2,000 changes or ~1 MB of JSON, whichever comes first (~1 KB per new file).
    const pageSize = UPLOAD_CHANGES / pages.length;
    const waits = spans(probe, 'push:send', 'push:answered');
    laptop.store.db.close();
    return {
      // Scaled to 1,000 changes so the ratio compares with a 1,000-row insert transaction.
      samples: pages.map((ms) => (ms * 1000) / pageSize),
      perSecond: UPLOAD_CHANGES / pushS,
      notes: `sample = 1 push page (~${Math.round(pageSize)} changes), scaled to 1,000; outbox empty after ${pushS.toFixed(2)} s (target ≤ ${TARGETS.uploadS} s), whole cycle incl. pulling the rows back ${totalS.toFixed(2)} s`,
      extra: {
        hub_storage: hubStorage(),
        unit: 'push page per 1,000 changes',
        changes: UPLOAD_CHANGES,
        pages: pushes.length,
        total_s: round(pushS),
        target_s: TARGETS.uploadS,
        meets_target: pushS <= TARGETS.uploadS,
        request_and_wait_s: round(sum(waits) / 1000),
        cycle_with_pull_s: round(totalS),
        request_bytes_gzip: sum(pushes.map((r) => r.bytes)),
      },
    };
  });
}

/** A sync cycle with nothing to push or pull: a hello that brings the empty pull page (one request). */
async function noop(ctx: BenchContext): Promise<Measurement> {
  return withHub(ctx, async (hub) => {
    const laptop = await enrolledDevice(ctx, hub, 'laptop', await branchWithCode(hub, '浮梁县支行', branchCode('NOOP')));
    queueInserts(ctx, laptop, 100);
    await laptop.sync();
    for (let i = 0; i < NOOP_WARMUP; i += 1) await laptop.sync();
    collectGarbage();
    const samples: number[] = [];
    const started = nowMs();
    for (let i = 0; i < NOOP_ROUNDS; i += 1) {
      const t0 = nowMs();
      const report = await laptop.sync();
      samples.push(nowMs() - t0);
      if (report === null || report.pushed + report.pulled !== 0) throw new Error('the no-op cycle did work');
    }
    const seconds = (nowMs() - started) / 1000;
    // What one such cycle sends, seen on the wire after the timed ones (the probe is untimed).
    const probe = newProbe();
    await laptop.sync(probe);
    laptop.store.db.close();
    const paths = probe.responses.map((r) => r.path.replace(`${SYNC_PATH}/`, ''));
    const p95 = [...samples].sort((a, b) => a - b)[Math.ceil(0.95 * samples.length) - 1] as number;
    return {
      samples,
      perSecond: NOOP_ROUNDS / seconds,
      notes: `sample = 1 whole cycle with nothing to do (${paths.join(' + ')}: ${paths.length} HTTP request${paths.length === 1 ? '' : 's'}, ${sum(probe.requests.map((r) => r.bytes))} B sent); target p95 ≤ ${TARGETS.noopP95Ms} ms`,
      extra: { hub_storage: hubStorage(), unit: 'sync cycle', rounds: NOOP_ROUNDS, requests_per_cycle: paths.length, target_p95_ms: TARGETS.noopP95Ms, meets_target: p95 <= TARGETS.noopP95Ms },
    };
  });
}

/**
 * Request bytes on the wire per change: the gzip bodies of the push pages exactly as sent, over the
 * number of changes. `bytes` is the heaviest kind, new enterprise files (every field of the file);
 * everyday edits (an address, a head count, a phone number) and a 1 : 3 mix are reported beside it.
 */
async function bytesPerChange(ctx: BenchContext): Promise<Measurement> {
  return withHub(ctx, async (hub) => {
    const laptop = await enrolledDevice(ctx, hub, 'laptop', await branchWithCode(hub, '浮梁县支行', branchCode('BYTES')));
    const pages: number[] = [];
    const push = async (): Promise<number> => {
      const changes = outboxCount(laptop.db);
      const probe = newProbe();
      await laptop.sync(probe);
      pages.push(...pageSpans(probe, 'push:send', 'push:committed'));
      return sum(probe.requests.filter((r) => r.path.endsWith('/push')).map((r) => r.bytes)) / changes;
    };
    const ids = queueInserts(ctx, laptop, BYTES_CHANGES);
    const newFiles = await push();
    queueEdits(ctx, laptop, ids, BYTES_CHANGES);
    const edits = await push();
    const more = queueInserts(ctx, laptop, BYTES_CHANGES / 4);
    queueEdits(ctx, laptop, [...ids, ...more], (BYTES_CHANGES * 3) / 4);
    const mixed = await push();
    laptop.store.db.close();
    const bytes = Math.round(newFiles);
    return {
      samples: pages,
      perSecond: (BYTES_CHANGES * 3) / (sum(pages) / 1000),
      notes: `bytes = gzip push bodies / changes: new files ${bytes} B, edits ${Math.round(edits)} B, 1:3 mix ${Math.round(mixed)} B (target ≤ ${TARGETS.bytesPerChange} B); sample = 1 push page`,
      extra: {
        hub_storage: hubStorage(),
        unit: 'push page',
        bytes,
        bytes_edit: Math.round(edits),
        bytes_mixed: Math.round(mixed),
        changes: BYTES_CHANGES * 3,
        target_bytes: TARGETS.bytesPerChange,
        meets_target: bytes <= TARGETS.bytesPerChange,
      },
    };
  });
}

/** 50 branches, one laptop each, pushing their queued changes at the same time. */
async function hubIngest(ctx: BenchContext, databaseUrl?: string, env: Record<string, string> = {}, devicePrefix = 'branch'): Promise<Measurement> {
  return withHub(ctx, async (hub) => {
    const devices: Device[] = [];
    for (let i = 0; i < INGEST_BRANCHES; i += 1) {
      const device = await enrolledDevice(ctx, hub, `${devicePrefix}-${i}`, await branchWithCode(hub, `第${i + 1}支行`, branchCode(`IN${i}`)));
      queueInserts(ctx, device, INGEST_CHANGES_PER_BRANCH);
      devices.push(device);
    }
    const total = INGEST_BRANCHES * INGEST_CHANGES_PER_BRANCH;
    ctx.log(`${INGEST_BRANCHES} branches enrolled, ${total.toLocaleString('en')} changes queued (untimed)`);
    const probes = devices.map(() => newProbe());
    collectGarbage();
    const started = nowMs();
    // Push halves only: the hub ingests, nobody pulls meanwhile.
    await Promise.all(devices.map((device, i) => device.sync(probes[i], { pushOnly: true })));
    const seconds = (nowMs() - started) / 1000;
    const left = sum(devices.map((device) => outboxCount(device.db)));
    if (left !== 0) throw new Error(`${left} changes were not pushed`);
    for (const device of devices) device.store.db.close();
    const latencies = probes.flatMap((probe) => spans(probe, 'push:send', 'push:answered'));
    return {
      samples: latencies,
      perSecond: total / seconds,
      notes: `${INGEST_BRANCHES} devices in ${INGEST_BRANCHES} branches push ${INGEST_CHANGES_PER_BRANCH.toLocaleString('en')} changes each at once; ${Math.round(total / seconds).toLocaleString('en')} changes/s at the hub; sample = 1 push page's round trip`,
      extra: { hub_storage: databaseUrl === undefined ? hubStorage() : 'postgres', unit: 'push round trip', branches: INGEST_BRANCHES, changes: total, total_s: round(seconds), changes_per_s: Math.round(total / seconds) },
    };
  }, databaseUrl, env);
}

/**
 * The same ingest on a PostgreSQL 15 the bench starts (as .ci/run does), and beside it in the same
 * run what that server takes without the hub: the same 50 × 1,000 new files as plain rows (the
 * columns of sync_rows, the file as jsonb) in multi-VALUES INSERTs of 500 rows, from as many
 * connections as the hub's pool, one branch at a time each. `ratio_to_raw` = hub rate / raw rate.
 * Then the same ingest again on a second fresh server by a hub that keeps no read models
 * (HUB_BENCH_WITHOUT_READ_MODELS, readModels.ts): `read_models_ratio` = the rate with them / the
 * rate without them (issue 18 acceptance 5: the projections' cost on the ingest).
 */
async function hubIngestPostgres(ctx: BenchContext): Promise<Measurement> {
  let measured: Measurement;
  let raw: Awaited<ReturnType<typeof rawInsertRate>>;
  const postgres = await startPostgres();
  try {
    measured = await hubIngest(ctx, postgres.url);
    raw = await rawInsertRate(ctx, postgres.url);
  } finally {
    postgres.stop();
  }
  const bare = await startPostgres();
  let without: Measurement;
  try {
    without = await hubIngest(ctx, bare.url, { HUB_BENCH_WITHOUT_READ_MODELS: '1' }, 'bare');
  } finally {
    bare.stop();
  }
  const hubRate = measured.perSecond;
  ctx.log(`raw multi-VALUES insert: ${Math.round(raw.perSecond).toLocaleString('en')} rows/s over ${raw.connections} connections; without read models ${Math.round(without.perSecond).toLocaleString('en')} changes/s`);
  return {
    ...measured,
    notes: `${measured.notes}; raw multi-VALUES INSERT on the same server ${Math.round(raw.perSecond).toLocaleString('en')} rows/s (${raw.connections} connections): hub at ${(hubRate / raw.perSecond).toFixed(2)} of raw; a hub without read models on a fresh server ${Math.round(without.perSecond).toLocaleString('en')} changes/s: with them at ${(hubRate / without.perSecond).toFixed(2)} of that; target ≥ ${INGEST_TARGET_PG.toLocaleString('en')} changes/s`,
    extra: {
      ...measured.extra,
      raw_insert_rows_per_s: Math.round(raw.perSecond),
      raw_connections: raw.connections,
      ratio_to_raw: round(hubRate / raw.perSecond),
      changes_per_s_without_read_models: Math.round(without.perSecond),
      read_models_ratio: round(hubRate / without.perSecond),
      target_changes_per_s: INGEST_TARGET_PG,
      meets_target: hubRate >= INGEST_TARGET_PG,
    },
  };
}

const INGEST_TARGET_PG = 15_000;

async function rawInsertRate(ctx: BenchContext, databaseUrl: string): Promise<{ perSecond: number; connections: number }> {
  const connections = DEFAULT_DB_POOL_SIZE;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  try {
    await pool.query(`CREATE TABLE bench_raw_rows (branch_id uuid NOT NULL, table_name text NOT NULL, row_id uuid NOT NULL, version integer NOT NULL,
                        deleted boolean NOT NULL, data jsonb NOT NULL, seq bigint NOT NULL, PRIMARY KEY (branch_id, table_name, row_id))`);
    const branches = Array.from({ length: INGEST_BRANCHES }, () => ({ branchId: uuidv7(), changes: newEnterpriseChanges(ctx, uuidv7(), INGEST_CHANGES_PER_BRANCH) }));
    const perStatement = 500;
    let seq = 0;
    let next = 0;
    collectGarbage();
    const started = nowMs();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < branches.length) {
          const branch = branches[next++] as (typeof branches)[number];
          for (let from = 0; from < branch.changes.length; from += perStatement) {
            const chunk = branch.changes.slice(from, from + perStatement);
            const params: unknown[] = [];
            const values = chunk.map((change) => {
              params.push(branch.branchId, change.table, change.rowId, JSON.stringify(change.fields), (seq += 1));
              const n = params.length;
              return `($${n - 4}, $${n - 3}, $${n - 2}, 1, false, $${n - 1}::jsonb, $${n})`;
            });
            await pool.query(`INSERT INTO bench_raw_rows (branch_id, table_name, row_id, version, deleted, data, seq) VALUES ${values.join(', ')}`, params);
          }
        }
      }),
    );
    const seconds = (nowMs() - started) / 1000;
    return { perSecond: (INGEST_BRANCHES * INGEST_CHANGES_PER_BRANCH) / seconds, connections };
  } finally {
    await pool.end();
  }
}

export const scenarios: Scenario[] = [
  { name: 'sync.initial_pull', baseline: 'baseline.insert.encrypted', run: initialPull },
  { name: 'sync.upload', baseline: 'baseline.insert.encrypted', run: upload },
  { name: 'sync.noop', baseline: 'baseline.lookup.encrypted', run: noop },
  { name: 'sync.bytes_per_change', baseline: 'baseline.insert.encrypted', run: bytesPerChange },
  { name: 'sync.hub_ingest', baseline: 'baseline.insert.encrypted', run: (ctx) => hubIngest(ctx) },
  { name: 'sync.hub_ingest.postgres', baseline: 'baseline.insert.encrypted', run: hubIngestPostgres },
];
