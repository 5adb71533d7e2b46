/**
 * Raw SQLite on this machine, the yardstick every product scenario is compared to.
 *
 * "plain" = openDatabase(file) without a key: unencrypted SQLite with the product's pragmas (WAL,
 * synchronous=FULL, foreign_keys, temp_store=MEMORY), so plain vs encrypted isolates the cost of the cipher.
 * "encrypted" = openDatabase(file, {keyHex}) with a random key: the store exactly as the product opens it.
 */
import { statSync } from 'node:fs';
import { openDatabase, type Db } from '../../db/open.ts';
import { benchRows, type BenchRow } from '../data.ts';
import { measureEach, nowMs, warmUp, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

export const TABLE_ROWS = 200_000;
export const BATCH_ROWS = 1_000;
export const LOOKUPS = 100_000;
const WARMUP_FILE_BATCHES = 5;
const WARMUP_LOOKUPS = 5_000;

const CREATE_TABLE = 'CREATE TABLE t (id TEXT PRIMARY KEY, branch_id TEXT, name TEXT, n INTEGER)';
const INSERT = 'INSERT INTO t (id, branch_id, name, n) VALUES (?, ?, ?, ?)';

function open(ctx: BenchContext, file: string, keyHex: string | undefined): Db {
  return openDatabase(ctx.tempFile(file), keyHex === undefined ? {} : { keyHex });
}

/** Prepared once, reused; one transaction per call. */
function batchInserter(db: Db, rows: readonly BenchRow[]): (start: number, count: number) => void {
  const stmt = db.prepare(INSERT);
  return db.transaction((start: number, count: number) => {
    for (let i = start; i < start + count; i++) {
      const r = rows[i]!;
      stmt.run(r.id, r.branchId, r.name, r.n);
    }
  });
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

function storeFacts(db: Db, encrypted: boolean): Record<string, string | number> {
  return {
    cipher: encrypted ? String(db.pragma('cipher', { simple: true })) : 'none',
    journal_mode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: SYNCHRONOUS[Number(db.pragma('synchronous', { simple: true }))] ?? 'unknown',
    page_size: Number(db.pragma('page_size', { simple: true })),
    cache_size: Number(db.pragma('cache_size', { simple: true })),
  };
}

function fileMiB(path: string): number {
  return Math.round((statSync(path).size / 2 ** 20) * 10) / 10;
}

function insertScenario(ctx: BenchContext, encrypted: boolean): Measurement {
  const rows = benchRows(TABLE_ROWS);
  const keyHex = encrypted ? ctx.newKeyHex() : undefined;

  // Warm-up, untimed, away from the measured table. First the whole data set into :memory:: measured on
  // this machine, whichever insert scenario ran first in a process had a ~25% higher p50 until the
  // warm-up reached ~200k rows (5k rows were not enough). Then a few batches into a file with the same
  // key, so the cipher, WAL and fsync paths are warm too.
  const memory = openDatabase(':memory:');
  memory.exec(CREATE_TABLE);
  const memoryInsert = batchInserter(memory, rows);
  warmUp(TABLE_ROWS / BATCH_ROWS, (b) => memoryInsert(b * BATCH_ROWS, BATCH_ROWS));
  memory.close();
  const warmFile = open(ctx, 'warmup.db', keyHex);
  warmFile.exec(CREATE_TABLE);
  const fileInsert = batchInserter(warmFile, rows);
  warmUp(WARMUP_FILE_BATCHES, (b) => fileInsert(b * BATCH_ROWS, BATCH_ROWS));
  warmFile.close();

  const db = open(ctx, 'insert.db', keyHex);
  db.exec(CREATE_TABLE);
  const insertBatch = batchInserter(db, rows);
  const batches = TABLE_ROWS / BATCH_ROWS;
  const started = nowMs();
  const samples = measureEach(batches, (b) => insertBatch(b * BATCH_ROWS, BATCH_ROWS));
  const seconds = (nowMs() - started) / 1000;
  const facts = storeFacts(db, encrypted);
  db.close();

  return {
    samples,
    perSecond: TABLE_ROWS / seconds,
    notes: `sample = 1 txn of ${BATCH_ROWS.toLocaleString('en')} rows; ${batches} txns; ${facts.journal_mode}, sync=${facts.synchronous}, ${ctx.tempFs}`,
    extra: {
      unit: 'batch',
      rows: TABLE_ROWS,
      batch_rows: BATCH_ROWS,
      ...facts,
      file_mib: fileMiB(ctx.tempFile('insert.db')),
      temp_fs: ctx.tempFs,
    },
  };
}

function lookupScenario(ctx: BenchContext, encrypted: boolean): Measurement {
  const rows = benchRows(TABLE_ROWS);
  const keyHex = encrypted ? ctx.newKeyHex() : undefined;

  // Untimed set-up: the same 200k-row table, written in big transactions, then a fresh connection so
  // SQLite's page cache starts cold like a newly opened app.
  const build = open(ctx, 'lookup.db', keyHex);
  build.exec(CREATE_TABLE);
  const insert = batchInserter(build, rows);
  for (let start = 0; start < TABLE_ROWS; start += 20_000) insert(start, Math.min(20_000, TABLE_ROWS - start));
  build.close();

  const db = open(ctx, 'lookup.db', keyHex);
  const get = db.prepare('SELECT id, branch_id, name, n FROM t WHERE id = ?');
  // Same seed in every scenario: plain and encrypted look up the same ids in the same order.
  const pickId = (): string => rows[Math.floor(ctx.random() * rows.length)]!.id;
  const warmIds = Array.from({ length: WARMUP_LOOKUPS }, pickId);
  const ids = Array.from({ length: LOOKUPS }, pickId);
  const lookup = (id: string): void => {
    if (get.get(id) === undefined) throw new Error(`lookup missed ${id}`);
  };
  warmUp(WARMUP_LOOKUPS, (i) => lookup(warmIds[i]!));
  const started = nowMs();
  const samples = measureEach(LOOKUPS, (i) => lookup(ids[i]!));
  const seconds = (nowMs() - started) / 1000;
  const facts = storeFacts(db, encrypted);
  db.close();

  return {
    samples,
    perSecond: LOOKUPS / seconds,
    notes: `sample = 1 PK lookup; ${LOOKUPS.toLocaleString('en')} random ids in ${TABLE_ROWS.toLocaleString('en')} rows; cache_size=${facts.cache_size}`,
    extra: {
      unit: 'lookup',
      rows: TABLE_ROWS,
      lookups: LOOKUPS,
      ...facts,
      file_mib: fileMiB(ctx.tempFile('lookup.db')),
      temp_fs: ctx.tempFs,
    },
  };
}

export const scenarios: Scenario[] = [
  { name: 'baseline.insert', run: (ctx) => insertScenario(ctx, false) },
  { name: 'baseline.insert.encrypted', baseline: 'baseline.insert', run: (ctx) => insertScenario(ctx, true) },
  { name: 'baseline.lookup', run: (ctx) => lookupScenario(ctx, false) },
  { name: 'baseline.lookup.encrypted', baseline: 'baseline.lookup', run: (ctx) => lookupScenario(ctx, true) },
];
