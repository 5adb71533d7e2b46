import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { defaultAttemptLimits, type AttemptLimits } from './attempts.ts';
import { perWorker, runPrimary, workerCounters } from './cluster.ts';
import { adminToken, hubConfig, type HubConfig } from './config.ts';
import { createHub, type Hub } from './hub.ts';
import { openStorage } from './storage.ts';

/**
 * `npm run headoffice`: the head-office hub. Environment: HEADOFFICE_PORT (8787), HEADOFFICE_HOST
 * (127.0.0.1), HEADOFFICE_DATA_DIR (./headoffice-data), DATABASE_URL (else the embedded PostgreSQL
 * under the data dir), HEADOFFICE_TLS_CERT + HEADOFFICE_TLS_KEY (HTTPS), HEADOFFICE_ADMIN_TOKEN
 * (else generated once into the data dir), HEADOFFICE_MIN_SCHEMA_VERSION (1), HEADOFFICE_MAX_IN_FLIGHT (64),
 * HEADOFFICE_DB_POOL_SIZE (10), HEADOFFICE_UNAUTHENTICATED_PER_MINUTE (60), HEADOFFICE_CHANGE_LOG_DAYS (180: the
 * change log's dedupe window), HEADOFFICE_CHANGE_LOG_EXPIRED (drop | detach, server/changeLog.ts) and
 * HEADOFFICE_WORKERS (1: hub processes on the port, all on DATABASE_URL's server, server/cluster.ts).
 */
const worker = cluster.isWorker ? (process.env.HEADOFFICE_WORKER ?? '?') : undefined;
const log = (line: string) => console.log(`${new Date().toISOString()} ${worker === undefined ? line : line.replace(/^\[hub\]/, `[hub ${worker}]`)}`);

/** The per-address limits, shared out among the workers (each counts the addresses it serves). */
function attemptLimits(config: HubConfig): AttemptLimits {
  const limits: AttemptLimits = { ...defaultAttemptLimits, unauthenticated: { ...defaultAttemptLimits.unauthenticated, max: config.unauthenticatedPerMinute } };
  return Object.fromEntries(Object.entries(limits).map(([kind, limit]) => [kind, { ...limit, max: perWorker(limit.max, config.workers) }])) as unknown as AttemptLimits;
}

async function main(): Promise<void> {
  const config = hubConfig(process.env);
  // Before any worker starts: a token generated once, by one process, into the data dir.
  const admin = adminToken(config);
  if (config.workers > 1 && cluster.isPrimary) {
    if (admin.generated) console.log(`\nAdmin token (shown this once; stored with mode 0600 in ${admin.file}):\n  ${admin.token}\n`);
    runPrimary({ workers: config.workers, log });
    return;
  }
  // Set once the hub is made; before that this worker has no counters to report.
  const started: { hub?: Hub } = {};
  const allProcessCounters = worker === undefined ? undefined : workerCounters(() => started.hub?.metrics.counters() ?? null);
  const storage = await openStorage(config, { log, poolSize: config.dbPoolSize });
  const tls = config.tls === undefined ? undefined : { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  const hub = await createHub({
    storage,
    adminToken: admin.token,
    log,
    tls,
    minSchemaVersion: config.minSchemaVersion,
    maxInFlight: config.maxInFlight,
    admissionQueue: config.admissionQueue,
    admissionWaitMs: config.admissionWaitMs,
    retention: config.retention,
    attemptLimits: attemptLimits(config),
    ...(allProcessCounters === undefined ? {} : { allProcessCounters }),
  });
  started.hub = hub;
  const url = await hub.listen({ port: config.port, host: config.host });
  log(`[hub] GreenLedger head-office hub listening on ${url} (storage: ${storage.description})`);
  log(`[hub] head-office console (总行控制台): ${url}/console — sign in with a head-office account (the first 总行管理员 is made with the admin token, server/README.md)`);
  if (admin.generated && worker === undefined) {
    console.log(`\nAdmin token (shown this once; stored with mode 0600 in ${admin.file}):\n  ${admin.token}\n`);
  } else if (admin.file !== undefined && worker === undefined) {
    log(`[hub] admin token: see ${admin.file}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[hub] ${signal}: stopping`);
    await hub.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[hub] cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
