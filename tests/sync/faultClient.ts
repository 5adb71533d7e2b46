/**
 * The desktop sync client as a process of its own, for the fault-injection test (faults.test.ts),
 * which bundles this file once with esbuild and runs it with plain `node` per trial.
 *
 * Environment: FAULT_DATA_DIR, FAULT_KEY_HEX (the laptop's store), FAULT_KILL_STEP (optional: a
 * syncOnce step name; the process SIGKILLs itself the FAULT_KILL_OCCURRENCE-th time it gets there),
 * FAULT_PULL_LIMIT (optional: rows per pull page).
 *
 * Protocol on stdout, one line each, written synchronously so a line is out before any kill:
 *   ready · step <name> · pull-page <rows> · done <SyncReport JSON> · failed <code> <message>
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../electron/host/store.ts';
import { syncOnce, SyncFailure } from '../../electron/host/sync/engine.ts';

const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

async function main(): Promise<number> {
  const dataDir = process.env.FAULT_DATA_DIR;
  const keyHex = process.env.FAULT_KEY_HEX;
  if (dataDir === undefined || keyHex === undefined) throw new Error('FAULT_DATA_DIR and FAULT_KEY_HEX are required');
  const killStep = process.env.FAULT_KILL_STEP;
  const killOccurrence = Number(process.env.FAULT_KILL_OCCURRENCE ?? '1');
  const store = openStore(dataDir, keyHex);
  let seen = 0;
  say('ready');
  try {
    const report = await syncOnce({
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
        return response;
      },
      onStep: (step) => {
        say(`step ${step}`);
        if (step === killStep && ++seen === killOccurrence) process.kill(process.pid, 'SIGKILL');
      },
    });
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
