import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BulkAhead, BulkChecked } from '../import/importer.ts';
import type { SourceRow } from '../import/table.ts';
import type { CheckedRow, CheckInit, CheckReply } from './checkWorker.ts';

/**
 * The host's side of the enterprise import's check thread (checkWorker.ts, issue 20). On two cores
 * the checks of the chunks ahead run while this thread writes: the thread gets every chunk at once
 * and answers them in order; each answer is finished here when its chunk is written.
 */

/** A list this long or shorter is one or two chunks: checked on the host's thread, as a thread takes ~1 s to load. */
export const CHECK_THREAD_MIN_ROWS = 1_500;

/** The thread is started before the file is read (it loads meanwhile) when the file could hold that many rows. */
export const CHECK_THREAD_MIN_BYTES = 128 * 1024;

/**
 * Whether a core is free for the thread. The thread takes ~30 µs a row (a quarter of its CPU) off
 * the host's thread but adds 8–15% to the import's total CPU bundled (the rows cross twice; 25% from
 * source, where it also compiles its modules). Measured on 2 cores at a load average of 4–12, the
 * host's thread then waited longer for a core (7.1–12.5 s per 50,000 rows in the run queue instead
 * of 5.8–9.4) and the import was no faster. Windows reports no load average (zeros): a free core
 * is assumed there.
 */
export function coreToSpare(cores = availableParallelism(), load = loadavg()[0]!): boolean {
  return cores >= 2 && load <= cores - 1;
}

/**
 * The worker's entry: the bundle's own file next to the host's bundle (scripts/build.mjs), or the
 * TypeScript source run through tsx (development, tests, the bench), whose loader a worker does not
 * inherit from `node --import tsx`.
 */
function spawn(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.cjs')) return new Worker(new URL('./import-check-worker.cjs', here));
  // tsx's ESM API by its package's own exports map (its CommonJS build registers a wrong path).
  const manifest = createRequire(here).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(join(dirname(manifest), exported)).href;
  const entry = new URL('./checkWorker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

export interface CheckThread {
  /**
   * Sends the run's settings and every chunk; `finish` completes a row's check on this thread. A
   * chunk whose answer the thread could not give (it failed to load or stopped) resolves to
   * undefined: its rows are checked on this thread as without one, so a broken thread costs time,
   * never a row.
   */
  start: <T>(init: CheckInit, chunks: readonly (readonly SourceRow[])[], finish: (row: CheckedRow, source: SourceRow) => BulkChecked<T>) => BulkAhead<T>;
  close: () => void;
}

/** `log` hears why a thread could not be used (its answers then come from this thread); `spawnWorker` starts it. */
export function startCheckThread(log: (line: string) => void, spawnWorker: () => Worker = spawn): CheckThread {
  let failed: string | undefined;
  const waiting = new Map<number, (rows: CheckedRow[] | undefined) => void>();
  const fail = (why: string) => {
    if (failed !== undefined) return;
    failed = why;
    log(`[import] check thread unavailable, rows checked on the host's thread: ${why}`);
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
  };
  let worker: Worker | undefined;
  try {
    worker = spawnWorker();
  } catch (error) {
    fail(String(error));
  }
  let closed = false;
  worker?.on('message', (reply: CheckReply) => {
    const resolve = waiting.get(reply.chunk);
    if (resolve === undefined) return;
    waiting.delete(reply.chunk);
    if ('rows' in reply) resolve(reply.rows);
    else fail(`${reply.error.name}: ${reply.error.message}`);
  });
  worker?.on('error', (error) => fail(String(error)));
  worker?.on('exit', (code) => {
    if (!closed) fail(`it stopped (exit code ${code})`);
  });
  const close = () => {
    if (closed) return;
    closed = true;
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
    void worker?.terminate();
  };
  return {
    start: (init, chunks, finish) => {
      if (failed === undefined) worker!.postMessage({ init });
      const checked = chunks.map((rows, chunk) => {
        if (failed !== undefined || closed) return Promise.resolve(undefined);
        const answer = new Promise<CheckedRow[] | undefined>((resolve) => waiting.set(chunk, resolve));
        worker!.postMessage({ chunk, rows });
        return answer.then((checkedRows) => (checkedRows === undefined ? undefined : (index: number) => finish(checkedRows[index]!, rows[index]!)));
      });
      return { checked, close };
    },
    close,
  };
}
