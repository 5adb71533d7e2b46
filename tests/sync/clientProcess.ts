import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

/**
 * Bundles tests/sync/faultClient.ts once into `<dir>/fault-client.cjs` (packages stay external and are
 * found through NODE_PATH; import.meta.url is defined from __filename like scripts/build.mjs does, so
 * db/migrate.ts finds the migrations copied beside the bundle). A trial then costs one plain `node`
 * start (~0.2 s here) instead of a tsx one.
 */
export async function bundleFaultClient(dir: string): Promise<string> {
  const outfile = join(dir, 'fault-client.cjs');
  await build({
    entryPoints: [join(root, 'tests/sync/faultClient.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    absWorkingDir: root,
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  for (const file of readdirSync(join(root, 'db/migrations')).filter((f) => f.endsWith('.sql'))) cpSync(join(root, 'db/migrations', file), join(dir, 'migrations', file));
  return outfile;
}

export interface ClientRun {
  /** Every stdout line, in order. */
  lines: string[];
  /** The last `step` the client reported ('ready' before hello answered). */
  lastStep: string;
  /** Rows of each pull page the client received. */
  pullPages: number[];
  outcome: 'done' | 'failed' | 'killed';
  report?: { pushed: number; pulled: number; conflicts: number; deferred: boolean };
  failure?: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From 'ready' to exit, ms. */
  ms: number;
}

export interface ClientPlan {
  dataDir: string;
  keyHex: string;
  /** The client SIGKILLs itself at this step (the `occurrence`-th time). */
  killStep?: string;
  occurrence?: number;
  /** Rows per pull page (SyncDeps.pullLimit). */
  pullLimit?: number;
  /** The client stops at this step until `release` is called (see faultClient.ts). */
  holdStep?: string;
  /** Decide this conflict instead of syncing: `<conflict id> <mine|theirs> <expected version>`. */
  resolve?: string;
  /** Called for every line as it arrives; `kill` SIGKILLs the client from outside, `release` lets a held client go on. */
  onLine?: (line: string, kill: () => void, release: () => void) => void;
}

/** Runs one sync in a client process and reports how it ended. */
export function runClient(bundle: string, plan: ClientPlan): Promise<ClientRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_PATH: join(root, 'node_modules'),
    FAULT_DATA_DIR: plan.dataDir,
    FAULT_KEY_HEX: plan.keyHex,
  };
  delete env.FAULT_KILL_STEP;
  delete env.FAULT_PULL_LIMIT;
  delete env.FAULT_HOLD_STEP;
  delete env.FAULT_RESOLVE;
  if (plan.holdStep !== undefined) env.FAULT_HOLD_STEP = plan.holdStep;
  if (plan.resolve !== undefined) env.FAULT_RESOLVE = plan.resolve;
  if (plan.pullLimit !== undefined) env.FAULT_PULL_LIMIT = String(plan.pullLimit);
  if (plan.killStep !== undefined) {
    env.FAULT_KILL_STEP = plan.killStep;
    env.FAULT_KILL_OCCURRENCE = String(plan.occurrence ?? 1);
  }
  const child = spawn(process.execPath, [bundle], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => {}); // a release after the client died
  const release = () => {
    if (child.exitCode === null && child.signalCode === null) child.stdin.write('\n');
  };
  const run: ClientRun = { lines: [], lastStep: 'started', pullPages: [], outcome: 'killed', exitCode: null, signal: null, stderr: '', ms: 0 };
  let readyAt = 0;
  let buffered = '';
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      run.lines.push(line);
      if (line === 'ready') {
        readyAt = performance.now();
        run.lastStep = 'ready';
      } else if (line.startsWith('step ')) run.lastStep = line.slice(5);
      else if (line.startsWith('pull-page ')) run.pullPages.push(Number(line.slice(10)));
      else if (line.startsWith('done ')) {
        run.outcome = 'done';
        run.report = JSON.parse(line.slice(5)) as ClientRun['report'];
      } else if (line.startsWith('failed ')) {
        run.outcome = 'failed';
        run.failure = line.slice(7);
      }
      plan.onLine?.(line, kill, release);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    run.stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.exitCode = code;
      run.signal = signal;
      run.ms = readyAt === 0 ? 0 : performance.now() - readyAt;
      // A kill that came after the last line leaves 'done'/'failed' as they were; an exit without
      // either line and without a signal is a crash of the client itself.
      if (signal === null && run.outcome === 'killed') {
        run.outcome = 'failed';
        run.failure = `CRASH exit ${code}: ${run.stderr.slice(0, 2000)}`;
      }
      resolve(run);
    });
  });
}
