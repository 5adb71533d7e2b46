/**
 * The desktop sync client as a process of its own, for the fault-injection test (faults.test.ts),
 * which bundles this file once with esbuild and runs it with plain `node` per trial.
 *
 * Environment: FAULT_DATA_DIR, FAULT_KEY_HEX (the laptop's store), FAULT_KILL_STEP (optional: a
 * syncOnce step name; the process SIGKILLs itself the FAULT_KILL_OCCURRENCE-th time it gets there),
 * FAULT_PULL_LIMIT (optional: rows per pull page), FAULT_HOLD_STEP (optional: at this step the process
 * stops until the test writes a line to its stdin — the test kills the hub meanwhile), FAULT_RESOLVE
 * (optional: `<conflict id> <mine|theirs> <expected version>` — instead of a sync, decide that conflict
 * as the 同步 page does, on the version it shows; its steps are resolve:send and resolve:answered, the
 * hub's answer in hand and not yet stored).
 *
 * Protocol on stdout, one line each, written synchronously so a line is out before any kill:
 *   ready · step <name> · pull-page <rows> · done <SyncReport JSON> · failed <code> <message>
 */
import { readSync, writeSync } from 'node:fs';
import { openStore } from '../../electron/host/store.ts';
import { resolveConflict, syncOnce, SyncFailure, type SyncDeps } from '../../electron/host/sync/engine.ts';

const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

async function main(): Promise<number> {
  const dataDir = process.env.FAULT_DATA_DIR;
  const keyHex = process.env.FAULT_KEY_HEX;
  if (dataDir === undefined || keyHex === undefined) throw new Error('FAULT_DATA_DIR and FAULT_KEY_HEX are required');
  const killStep = process.env.FAULT_KILL_STEP;
  const killOccurrence = Number(process.env.FAULT_KILL_OCCURRENCE ?? '1');
  const holdStep = process.env.FAULT_HOLD_STEP;
  const store = openStore(dataDir, keyHex);
  let seen = 0;
  const step = (name: string) => {
    say(`step ${name}`);
    if (name === killStep && ++seen === killOccurrence) process.kill(process.pid, 'SIGKILL');
    if (name === holdStep) readSync(0, Buffer.alloc(1));
  };
  say('ready');
  try {
    const deps: SyncDeps = {
      db: store.db,
      appVersion: '0.0.0-faults',
      now: () => new Date(),
      log: () => {},
      timeoutMs: 10_000,
      ...(process.env.FAULT_PULL_LIMIT === undefined ? {} : { pullLimit: Number(process.env.FAULT_PULL_LIMIT) }),
      // Reports how many rows each pull page carries, so the test knows its pull kills hit real data.
      fetchImpl: async (input, init) => {
        const response = await fetch(input, init);
        if (String(input).endsWith('/pull')) {
          const answer = (await response.clone().json()) as { value?: { rows?: unknown[] } };
          say(`pull-page ${answer.value?.rows?.length ?? 0}`);
        }
        if (String(input).endsWith('/resolve')) {
          await response.clone().arrayBuffer();
          step('resolve:answered');
        }
        return response;
      },
      onStep: step,
    };
    const resolving = process.env.FAULT_RESOLVE;
    if (resolving !== undefined) {
      const [conflictId, choice, expectedVersion] = resolving.split(' ') as [string, 'mine' | 'theirs', string];
      step('resolve:send');
      await resolveConflict(deps, { conflictId, choice, expectedVersion: Number(expectedVersion), userId: 'fault-resolver', userName: '故障注入' });
      say(`done ${JSON.stringify({ pushed: 0, pulled: 0, conflicts: 0, deferred: false })}`);
      return 0;
    }
    const report = await syncOnce(deps);
    say(`done ${JSON.stringify(report)}`);
    return 0;
  } catch (error) {
    const code = error instanceof SyncFailure ? error.error.code : 'EXCEPTION';
    say(`failed ${code} ${error instanceof Error ? error.message : String(error)}`);
    return 3;
  } finally {
    store.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`failed EXCEPTION ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(4);
  },
);
