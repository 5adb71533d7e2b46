import { readFileSync } from 'node:fs';
import { adminToken, hubConfig } from './config.ts';
import { createHub } from './hub.ts';
import { openStorage } from './storage.ts';

/**
 * `npm run headoffice`: the head-office hub. Environment: HEADOFFICE_PORT (8787), HEADOFFICE_HOST
 * (127.0.0.1), HEADOFFICE_DATA_DIR (./headoffice-data), DATABASE_URL (else the embedded PostgreSQL
 * under the data dir), HEADOFFICE_TLS_CERT + HEADOFFICE_TLS_KEY (HTTPS), HEADOFFICE_ADMIN_TOKEN
 * (else generated once into the data dir), HEADOFFICE_MIN_SCHEMA_VERSION (1), HEADOFFICE_MAX_IN_FLIGHT (64),
 * HEADOFFICE_DB_POOL_SIZE (10), HEADOFFICE_UNAUTHENTICATED_PER_MINUTE (60), HEADOFFICE_CHANGE_LOG_DAYS (180: the
 * change log's dedupe window) and HEADOFFICE_CHANGE_LOG_EXPIRED (drop | detach, server/changeLog.ts).
 */
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(): Promise<void> {
  const config = hubConfig(process.env);
  const admin = adminToken(config);
  const storage = await openStorage(config, { log, poolSize: config.dbPoolSize });
  const tls = config.tls === undefined ? undefined : { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  const hub = await createHub({
    storage,
    adminToken: admin.token,
    log,
    tls,
    minSchemaVersion: config.minSchemaVersion,
    maxInFlight: config.maxInFlight,
    retention: config.retention,
    attemptLimits: { unauthenticated: { max: config.unauthenticatedPerMinute, windowMs: 60_000 } },
  });
  const url = await hub.listen({ port: config.port, host: config.host });
  log(`[hub] GreenLedger head-office hub listening on ${url} (storage: ${storage.description})`);
  log(`[hub] head-office console (总行控制台): ${url}/console — sign in with the admin token`);
  if (admin.generated) {
    console.log(`\nAdmin token (shown this once; stored with mode 0600 in ${admin.file}):\n  ${admin.token}\n`);
  } else if (admin.file !== undefined) {
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
