import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL 15 for a bench scenario, started as CI starts the one the hub tests use
 * (.ci/run → server/testing/pg15.sh: loopback only, trust auth) but durable (PG15_DURABLE=1: fsync,
 * synchronous commit and full-page writes on, as a head office runs it — the tests' fsync off would
 * flatter every write figure), on a free port, and removed afterwards. BENCH_PG_FSYNC=off measures
 * the tests' configuration instead. Needs Debian's postgresql-15 (or PG_BIN).
 */
export interface BenchPostgres {
  url: string;
  stop(): void;
}

const script = join(import.meta.dirname, '..', 'server', 'testing', 'pg15.sh');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export async function startPostgres(): Promise<BenchPostgres> {
  // Under /tmp: as root the cluster belongs to the postgres user, who must reach the directory.
  const dir = mkdtempSync('/tmp/greenledger-bench-pg-');
  const port = await freePort();
  const durable = process.env.BENCH_PG_FSYNC === 'off' ? '0' : '1';
  const started = spawnSync('bash', [script, 'start', dir, String(port)], { encoding: 'utf8', env: { ...process.env, PG15_DURABLE: durable } });
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL 15 did not start: ${started.stderr || started.stdout}`);
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync('bash', [script, 'stop', dir, String(port)]);
    rmSync(dir, { recursive: true, force: true });
  };
  // A bench that dies must not leave a server behind.
  process.once('exit', stop);
  return { url: started.stdout.trim().split('\n').at(-1) as string, stop };
}
