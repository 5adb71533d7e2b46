import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bundleWithMigrations } from '../bundle.ts';

const root = join(import.meta.dirname, '..', '..');

/** tests/sync/faultClient.ts bundled once: a trial then costs one plain `node` start. */
export function bundleFaultClient(dir: string): Promise<string> {
  return bundleWithMigrations('tests/sync/faultClient.ts', dir, 'fault-client');
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
