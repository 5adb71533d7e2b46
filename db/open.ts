import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { totalmem } from 'node:os';
import Database from 'better-sqlite3-multiple-ciphers';
import { StoreError } from './errors.ts';

export type Db = Database.Database;

/** 32 random bytes, hex encoded: the database key (wrapped by the OS keystore or a 0600 file). */
export const KEY_HEX_LENGTH = 64;

export interface OpenOptions {
  /** Hex key; omit only for benchmarks of plain SQLite. */
  keyHex?: string;
  readonly?: boolean;
}

/**
 * Opens (or creates) a database file encrypted with SQLite3MultipleCiphers' default cipher
 * (ChaCha20-Poly1305), applies the pragmas every connection needs, and proves the key is right
 * before returning: a wrong or missing key must fail here with a clear error, not later mid-query.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const { keyHex } = options;
  if (keyHex !== undefined && !/^[0-9a-f]{64}$/i.test(keyHex)) {
    throw new StoreError('DB_KEY_INVALID', `Database key must be ${KEY_HEX_LENGTH} hex characters`);
  }
  if (options.readonly !== true) ownerOnly(file);
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    if (keyHex !== undefined) db.pragma(`hexkey='${keyHex}'`);
    // First real read: fails with SQLITE_NOTADB when the key is wrong, missing or the file is not ours.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if (isNotADatabase(error)) {
      throw new StoreError(
        'DB_KEY_INVALID',
        keyHex === undefined
          ? `Cannot read ${file}: it is encrypted and no key was given, or it is not a GreenLedger database`
          : `Cannot decrypt ${file}: the key is wrong or the file is not a GreenLedger database`,
      );
    }
    throw error;
  }
  applyPragmas(db);
  registerFunctions(db);
  return db;
}

/**
 * Creates the database file readable by its owner only (like the key file), and narrows an existing
 * one: SQLite creates -wal and -shm with the database file's mode, so they follow. Encrypted or not,
 * nobody else on the computer needs to read it.
 */
function ownerOnly(file: string): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return;
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
}

/** Character bigrams, space separated (华盛建材 → "华盛 盛建 建材"); null below two characters. */
export function bigrams(text: string | null): string | null {
  if (text === null) return null;
  const chars = [...text];
  if (chars.length < 2) return null;
  return chars
    .slice(0, -1)
    .map((char, i) => char + chars[i + 1])
    .join(' ');
}

/**
 * SQL functions the schema's triggers call (migration 0008): every connection registers them, so a
 * trigger never meets a connection without them. In JavaScript, bigrams cost ~2 µs a row where the
 * pure-SQL json_each version of 0006 cost ~36 µs — the bulk of writing a pulled enterprise.
 */
function registerFunctions(db: Db): void {
  db.function('gl_bigrams', { deterministic: true }, (text: unknown) => bigrams(typeof text === 'string' ? text : null));
}

/**
 * The page cache's bound, in KiB: a sixteenth of the machine's memory, between 64 and 512 MiB (512
 * on an 8 GB laptop). With encryption every miss is a read and a decrypt (bench/: encrypted point
 * lookups ~2x plain with the 16 MiB default). SQLite fills the cache only as pages are read, so a
 * county branch's file of a few MiB uses a few MiB; the bound is for a prefecture's or head office's
 * register. Issue 20: a register list reads a handful of wide indexes (the enterprise list ~600 bytes
 * per file: ~180 MiB at 300,000 files). While they fit the cache a page's cost stays flat as the
 * register grows; once they do not, every page pays misses — the 64 MiB cache used before held most
 * of them at 100k files and not at 300k, which, not the plans, made list_page p95 grow 1.9x. The
 * bench's 1,000 list requests replayed on one register grew p95 1.33x from 100k to 300k at 64 MiB
 * (tail 150 ms), 1.24x at 256 MiB, 1.29x at 1 GiB; loans.list_page grew 2.13x from 150k to 500k loans
 * (a 206 and a 685 MiB file) at 256 MiB, 1.37x at 512 MiB.
 */
export function pageCacheKiB(memoryBytes = totalmem()): number {
  return Math.round(Math.min(512 * 1024, Math.max(64 * 1024, memoryBytes / 16 / 1024)));
}

function applyPragmas(db: Db): void {
  if (!db.readonly) db.pragma('journal_mode = WAL');
  // FULL: money and audit rows must survive a power cut on a laptop, the cost is measured in bench/.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${pageCacheKiB()}`);
}

function isNotADatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_NOTADB';
}

/** The first 16 bytes of a plain SQLite file; an encrypted file must never start with them. */
export const PLAIN_SQLITE_HEADER = 'SQLite format 3\u0000';

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement reused per connection (ARCHITECTURE: "prepared statements reused"): the hot
 * write path prepares the same few SQL texts on every change, and compiling them each time costs
 * more than running them.
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let statements = statementCache.get(db);
  if (statements === undefined) statementCache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (statement === undefined) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
