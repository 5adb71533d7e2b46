import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultAttemptLimits } from './attempts.ts';
import { DEFAULT_ADMISSION_QUEUE, DEFAULT_ADMISSION_WAIT_MS } from './backpressure.ts';
import { DEFAULT_DEDUPE_WINDOW_DAYS, type RetentionOptions } from './changeLog.ts';

export interface HubConfig {
  port: number;
  host: string;
  dataDir: string;
  /** A real PostgreSQL server; absent: the embedded default under dataDir. */
  databaseUrl: string | undefined;
  tls: { certFile: string; keyFile: string } | undefined;
  /** From HEADOFFICE_ADMIN_TOKEN; absent: read or generated in the data dir (adminToken()). */
  adminToken: string | undefined;
  /** Desktop schemas below this are told to update. */
  minSchemaVersion: number;
  /** Device requests handled at once; more wait their turn or are answered 429 with Retry-After (server/backpressure.ts). */
  maxInFlight: number;
  /** Device requests that may wait for a slot (0: refused at once) and the longest wait in ms. */
  admissionQueue: number;
  admissionWaitMs: number;
  /** Connections to a PostgreSQL server (DATABASE_URL) per hub process; the embedded default has one. */
  dbPoolSize: number;
  /** Hub processes serving the port, all on one PostgreSQL (server/cluster.ts); 1 without DATABASE_URL. */
  workers: number;
  /** Requests per minute and address to the endpoints that need no secret (enrollment, console login). */
  unauthenticatedPerMinute: number;
  /** The change log's dedupe window in days and what becomes of an expired month (server/changeLog.ts). */
  retention: RetentionOptions;
}

/** Shorter than this, a laptop's answers would be compacted while it is merely on holiday. */
export const MIN_DEDUPE_WINDOW_DAYS = 30;

/** A whole number ≥ `min` from the environment, or the default; anything else is an error naming the variable. */
function integerFrom(env: Record<string, string | undefined>, name: string, fallback: number, min: 0 | 1 = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

export const DEFAULT_MAX_IN_FLIGHT = 64;
export const DEFAULT_DB_POOL_SIZE = 10;

/** Reads the HEADOFFICE_* environment; a bad value is an error naming the variable. */
export function hubConfig(env: Record<string, string | undefined>, cwd = process.cwd()): HubConfig {
  const port = Number(env.HEADOFFICE_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`HEADOFFICE_PORT must be a port number, got ${JSON.stringify(env.HEADOFFICE_PORT)}`);
  const cert = env.HEADOFFICE_TLS_CERT || undefined;
  const key = env.HEADOFFICE_TLS_KEY || undefined;
  if ((cert === undefined) !== (key === undefined)) throw new Error('Give both HEADOFFICE_TLS_CERT and HEADOFFICE_TLS_KEY for HTTPS, or neither');
  const adminToken = env.HEADOFFICE_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) throw new Error('HEADOFFICE_ADMIN_TOKEN must be at least 16 characters');
  const minSchemaVersion = Number(env.HEADOFFICE_MIN_SCHEMA_VERSION ?? 1);
  if (!Number.isInteger(minSchemaVersion) || minSchemaVersion < 0) throw new Error('HEADOFFICE_MIN_SCHEMA_VERSION must be a whole number');
  const windowDays = Number(env.HEADOFFICE_CHANGE_LOG_DAYS ?? DEFAULT_DEDUPE_WINDOW_DAYS);
  if (!Number.isInteger(windowDays) || windowDays < MIN_DEDUPE_WINDOW_DAYS) {
    throw new Error(`HEADOFFICE_CHANGE_LOG_DAYS must be a whole number of days, at least ${MIN_DEDUPE_WINDOW_DAYS}; got ${JSON.stringify(env.HEADOFFICE_CHANGE_LOG_DAYS)}`);
  }
  const expired = env.HEADOFFICE_CHANGE_LOG_EXPIRED || 'drop';
  const workers = integerFrom(env, 'HEADOFFICE_WORKERS', 1);
  // PGlite is a database inside one process: a second process cannot open its files.
  if (workers > 1 && !env.DATABASE_URL) throw new Error('HEADOFFICE_WORKERS above 1 needs DATABASE_URL (a PostgreSQL server): the embedded database belongs to one process');
  if (expired !== 'drop' && expired !== 'detach') throw new Error(`HEADOFFICE_CHANGE_LOG_EXPIRED must be drop or detach, got ${JSON.stringify(expired)}`);
  return {
    port,
    host: env.HEADOFFICE_HOST || '127.0.0.1',
    dataDir: resolve(cwd, env.HEADOFFICE_DATA_DIR || './headoffice-data'),
    databaseUrl: env.DATABASE_URL || undefined,
    tls: cert === undefined || key === undefined ? undefined : { certFile: resolve(cwd, cert), keyFile: resolve(cwd, key) },
    adminToken,
    minSchemaVersion,
    maxInFlight: integerFrom(env, 'HEADOFFICE_MAX_IN_FLIGHT', DEFAULT_MAX_IN_FLIGHT),
    admissionQueue: integerFrom(env, 'HEADOFFICE_ADMISSION_QUEUE', DEFAULT_ADMISSION_QUEUE, 0),
    admissionWaitMs: integerFrom(env, 'HEADOFFICE_ADMISSION_WAIT_MS', DEFAULT_ADMISSION_WAIT_MS),
    dbPoolSize: integerFrom(env, 'HEADOFFICE_DB_POOL_SIZE', DEFAULT_DB_POOL_SIZE),
    workers,
    unauthenticatedPerMinute: integerFrom(env, 'HEADOFFICE_UNAUTHENTICATED_PER_MINUTE', defaultAttemptLimits.unauthenticated.max),
    retention: { windowDays, expired },
  };
}

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The admin token: the configured one, else the one stored in the data dir, else a new one written
 * there with mode 0600. `generated` tells the caller to show it (once: later starts only name the file).
 */
export function adminToken(config: HubConfig): { token: string; file: string | undefined; generated: boolean } {
  if (config.adminToken !== undefined) return { token: config.adminToken, file: undefined, generated: false };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = join(config.dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, generated: false };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
  return { token, file, generated: true };
}
