import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { sumCounters, type MetricCounters } from './metrics.ts';

/**
 * Several hub processes on one PostgreSQL (HEADOFFICE_WORKERS, issue 19): the primary only forks
 * and watches the workers; each worker is a whole hub (server/hub.ts) listening on the shared port,
 * and node:cluster hands each new connection to the next worker. A laptop keeps its connection
 * open, so its requests mostly stay on one worker — but nothing relies on that. What a hub keeps
 * outside the database is safe across workers:
 * - console sessions live in the database (server/headOfficeSession.ts);
 * - a pull page read ahead is used only if the device has not pushed since (server/hub.ts);
 * - migrations and the change log's maintenance take advisory locks (server/migrate.ts, changeLog.ts);
 * - the branch lock and the hub's sequence are PostgreSQL's, and a head-office edit's HLC is stamped
 *   after the row's own under that lock, so two workers never stamp one row alike;
 * - the per-address attempt limits and the in-flight limit are each worker's own (main.ts divides
 *   the attempt limits among the workers; HEADOFFICE_MAX_IN_FLIGHT and the pool are per worker);
 * - /metrics sums the counters of every worker (below), whichever worker answers the scrape.
 */

type ClusterMessage =
  | { gl: 'collect'; id: string }
  | { gl: 'report'; id: string }
  | { gl: 'counters'; id: string; counters: MetricCounters | null }
  | { gl: 'sum'; id: string; counters: MetricCounters };

const isClusterMessage = (message: unknown): message is ClusterMessage => typeof message === 'object' && message !== null && 'gl' in message && 'id' in message;

/** A worker waits this long for the others' counters; a worker that does not answer is left out (processes says so). */
const COLLECT_TIMEOUT_MS = 2_000;

export interface PrimaryOptions {
  workers: number;
  log: (line: string) => void;
  /** More unexpected exits than this within restartWindowMs: the hub stops rather than crash-looping. */
  maxRestarts?: number;
  restartWindowMs?: number;
}

/** The primary: forks the workers, replaces one that dies, sums counters for /metrics, stops all on SIGINT/SIGTERM. */
export function runPrimary(options: PrimaryOptions): void {
  const { log } = options;
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.restartWindowMs ?? 60_000;
  const exits: number[] = [];
  const indexOf = new Map<Worker, number>();
  let stopping = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ HEADOFFICE_WORKER: String(index) });
    indexOf.set(worker, index);
    worker.on('message', (message: unknown) => {
      if (isClusterMessage(message) && message.gl === 'collect') void collect(worker, message.id);
    });
  };

  const collect = async (asker: Worker, id: string) => {
    const live = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && worker.isConnected());
    const answers = await Promise.all(
      live.map(
        (worker) =>
          new Promise<MetricCounters | null | undefined>((resolve) => {
            const timer = setTimeout(() => finish(undefined), COLLECT_TIMEOUT_MS);
            const onMessage = (message: unknown) => {
              if (isClusterMessage(message) && message.gl === 'counters' && message.id === id) finish(message.counters);
            };
            const finish = (counters: MetricCounters | null | undefined) => {
              clearTimeout(timer);
              worker.off('message', onMessage);
              resolve(counters);
            };
            worker.on('message', onMessage);
            worker.send({ gl: 'report', id } satisfies ClusterMessage, (error) => {
              if (error !== null) finish(undefined);
            });
          }),
      ),
    );
    const counters = answers.filter((answer): answer is MetricCounters => answer !== undefined && answer !== null);
    if (counters.length > 0 && asker.isConnected()) asker.send({ gl: 'sum', id, counters: sumCounters(counters) } satisfies ClusterMessage);
  };

  cluster.on('exit', (worker, code, signal) => {
    const index = indexOf.get(worker) ?? 0;
    indexOf.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    exits.push(now);
    while (exits.length > 0 && (exits[0] as number) < now - windowMs) exits.shift();
    if (exits.length > maxRestarts) {
      log(`[hub] worker ${index} exited (${signal ?? code}); ${exits.length} exits within ${windowMs / 1000} s — stopping the hub instead of restarting it again`);
      stop(1);
      return;
    }
    log(`[hub] worker ${index} exited (${signal ?? code}); starting it again`);
    setTimeout(() => {
      if (!stopping) fork(index);
    }, 1_000);
  });

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker.process.kill('SIGTERM');
    // A worker that does not finish its requests in time is ended.
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(code);
    }, 15_000).unref();
    if (code !== 0) process.exitCode = code;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`[hub] ${signal}: stopping ${options.workers} workers`);
      stop(0);
    });
  }

  log(`[hub] starting ${options.workers} hub processes on one database (HEADOFFICE_WORKERS)`);
  for (let index = 1; index <= options.workers; index += 1) fork(index);
}

/**
 * In a worker: answers the primary's requests for this worker's counters (null while it is still
 * starting: it has served nothing), and returns what /metrics calls for the counters of every
 * worker (createHub's allProcessCounters).
 */
export function workerCounters(own: () => MetricCounters | null): (mine: MetricCounters) => Promise<MetricCounters> {
  const waiting = new Map<string, (counters: MetricCounters) => void>();
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.gl === 'report') process.send?.({ gl: 'counters', id: message.id, counters: own() } satisfies ClusterMessage);
    if (message.gl === 'sum') waiting.get(message.id)?.(message.counters);
  });
  return (mine) =>
    new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`The other hub processes did not report their counters within ${COLLECT_TIMEOUT_MS * 2} ms`));
      }, COLLECT_TIMEOUT_MS * 2);
      waiting.set(id, (counters) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(counters);
      });
      if (process.send === undefined) resolve(mine);
      else process.send({ gl: 'collect', id } satisfies ClusterMessage);
    });
}

/** A per-address limit shared out among the workers, so the hub as a whole allows about what was configured. */
export const perWorker = (max: number, workers: number): number => Math.max(1, Math.ceil(max / workers));
