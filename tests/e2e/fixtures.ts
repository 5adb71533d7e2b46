import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

export interface RunningHost {
  /** The launch URL with its token, exactly as a user copies it from the terminal. */
  launchUrl: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
}

const root = join(import.meta.dirname, '..', '..');

/** Starts the real browser-mode host (the built bundle `npm start` runs) on a fresh data folder. */
export async function startHost(dataDir = mkdtempSync(join(tmpdir(), 'greenledger-e2e-'))): Promise<RunningHost> {
  const child = spawn(process.execPath, [join(root, 'dist/host/web.cjs')], {
    cwd: root,
    env: { ...process.env, GREENLEDGER_DATA_DIR: dataDir, GREENLEDGER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
  });
  return { launchUrl, origin: new URL(launchUrl).origin, dataDir, process: child };
}

export async function stopHost(host: RunningHost): Promise<void> {
  if (host.process.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => host.process.kill('SIGKILL'), 5_000);
    host.process.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    host.process.kill('SIGTERM');
  });
}

/** Each test gets its own data folder and a fresh host (after Actual's e2e fixtures). */
export const test = base.extend<{ host: RunningHost }>({
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await stopHost(host);
    rmSync(host.dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
