import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies a database's WAL into the database file on a thread of its own with its own connection
 * (issue 20). After a bulk import the WAL holds every page the import wrote; the copy reads each
 * page's last frame and writes it to the database, and with encryption (the cipher is a VFS: every
 * read decrypts, every write encrypts) that cost the host's thread ~0.7 s after the bench's 50,000
 * files — 14 µs a row, the whole of it spent after the last row was safe in the WAL.
 *
 * PASSIVE only: it copies without the write lock, so the host keeps reading and writing meanwhile.
 * A TRUNCATE here would take the write lock, and a host transaction that read before writing (a
 * deferred BEGIN) would then fail at once with "database is locked" instead of waiting; so the host
 * shortens the file itself once the copy has ended, which then finds nothing left to copy. A cut at
 * any point leaves a valid WAL that the next open recovers; nothing the host committed depends on
 * the copy.
 *
 * The worker is plain JavaScript evaluated from this string (no bundle of its own): it needs only
 * the SQLite binding, which it requires by the path this module resolves.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const done = new Int32Array(workerData.done);
try {
  const Database = require(workerData.sqlite);
  const db = new Database(workerData.file, { fileMustExist: true });
  try {
    if (workerData.keyHex !== null) db.pragma("hexkey='" + workerData.keyHex + "'");
    parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
  } finally {
    db.close();
  }
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
`;

/**
 * The copies running, by database file, each as the flag its thread raises once its connection is
 * closed. Closing the host's store waits on it (walCopyEndedSync): a restore that moves the file
 * away, or a test that removes its folder, must not do it under the copy's connection.
 */
const running = new Map<string, Int32Array>();

/**
 * Blocks this thread until the copy of `file`'s WAL (if one runs) has closed its connection, at
 * most `timeoutMs` (a PASSIVE copy never waits for a lock): true when none runs any more. Synchronous on
 * purpose, so every place that closes the store (sync today) can call it; the copy runs on its own
 * thread, so waiting here cannot hold it up.
 */
export function walCopyEndedSync(file: string, timeoutMs = 15_000): boolean {
  const done = running.get(file);
  if (done === undefined) return true;
  return Atomics.wait(done, 0, 0, timeoutMs) !== 'timed-out';
}

export interface WalCopied {
  /** SQLite's answer to the checkpoint: busy = 1 when another checkpoint was running. */
  busy: number;
  /** Frames in the WAL, and those of them now in the database (fewer when a reader holds older pages). */
  frames: number;
  copied: number;
}

export function copyWalInBackground(file: string, keyHex: string | null): Promise<WalCopied> {
  if (keyHex !== null && !/^[0-9a-f]{64}$/i.test(keyHex)) return Promise.reject(new Error('copyWalInBackground: the key must be 64 hex characters'));
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  const done = new Int32Array(new SharedArrayBuffer(4));
  running.set(file, done);
  const ended = () => {
    if (running.get(file) === done) running.delete(file);
  };
  return new Promise<WalCopied>((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { sqlite, file, keyHex, done: done.buffer } });
    // Not unref'd: a process that ends right after an import (a CLI, a test run) waits the second
    // the copy takes rather than leave it for the next open; a cut copy would be harmless anyway.
    let answer: WalCopied | undefined;
    worker.once('message', (message: { busy: number; log: number; checkpointed: number }) => {
      answer = { busy: message.busy, frames: message.log, copied: message.checkpointed };
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (answer === undefined ? reject(new Error(`WAL copy thread stopped (exit code ${code})`)) : resolve(answer)));
  }).finally(ended);
}
