import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteStorage, createPostgresStorage, type Storage } from '../../server/storage.ts';
import { headOfficeAdmin } from '../../server/testing/headOffice.ts';

/** A real head-office hub process (npm run headoffice) on a loopback port, for integration tests. */
export interface HubProcess {
  url: string;
  adminToken: string;
  dataDir: string;
  process: ChildProcess;
  stop: () => Promise<void>;
  /** `whileDown` runs after the kill and before the new start (a held client is let go then). */
  restart: (whileDown?: () => void) => Promise<void>;
  /** Stops the hub, runs `work` on its data directory (its database, opened directly), and starts it again. */
  whileStopped: (work: (dataDir: string) => Promise<void>) => Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');
export const ADMIN_TOKEN = 'integration-admin-token-0123456789';

function launch(dataDir: string, port: number, extraEnv: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HEADOFFICE_PORT: String(port), HEADOFFICE_DATA_DIR: dataDir, HEADOFFICE_ADMIN_TOKEN: ADMIN_TOKEN, ...extraEnv };
  // Empty means unset, as in testStorages(): the embedded default. A DATABASE_URL of the caller's (the
  // bench's own PostgreSQL) goes first.
  if (extraEnv.DATABASE_URL !== undefined) env.DATABASE_URL = extraEnv.DATABASE_URL;
  else if (process.env.HUB_TEST_DATABASE_URL !== undefined && process.env.HUB_TEST_DATABASE_URL !== '') env.DATABASE_URL = process.env.HUB_TEST_DATABASE_URL;
  else delete env.DATABASE_URL;
  // HUB_NODE_ARGS: extra node flags for the hub process (e.g. --cpu-prof --cpu-prof-dir=…, which
  // NODE_OPTIONS does not allow), for profiling a bench's hub.
  const nodeArgs = (process.env.HUB_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'server/main.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${output}`));
    });
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** `env`: more HEADOFFICE_* settings (e.g. a tiny HEADOFFICE_MAX_IN_FLIGHT), kept across restarts. */
export async function startHub(options: { env?: Record<string, string> } = {}): Promise<HubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'greenledger-hub-'));
  const env = options.env ?? {};
  let { child, url } = await launch(dataDir, 0, env);
  const port = Number(new URL(url).port);
  const hub: HubProcess = {
    url,
    adminToken: ADMIN_TOKEN,
    dataDir,
    process: child,
    stop: async () => {
      await kill(child, 'SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
    /** Kills the hub without warning and starts it again on the same port and data. */
    restart: async (whileDown) => {
      await kill(child, 'SIGKILL');
      whileDown?.();
      ({ child, url } = await launch(dataDir, port, env));
      hub.process = child;
    },
    whileStopped: async (work) => {
      await kill(child, 'SIGTERM');
      await work(dataDir);
      ({ child, url } = await launch(dataDir, port, env));
      hub.process = child;
    },
  };
  return hub;
}

/** A head-office admin call: returns the parsed value or throws with the hub's error. */
export async function admin<T>(hub: HubProcess, path: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, hub.url), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${hub.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!answer.ok) throw new Error(`${path}: ${JSON.stringify(answer.error)}`);
  return answer.value as T;
}

/**
 * Signs in to the head-office console as a new 总行管理员 (the admin token only makes the account);
 * the cookie its pages are fetched with.
 */
export async function consoleCookie(hub: HubProcess): Promise<string> {
  return (await headOfficeAdmin(hub.url, hub.adminToken)).cookie;
}

/** The hub's Prometheus text (behind the admin token). */
export async function metricsOf(hub: HubProcess): Promise<string> {
  return (await fetch(new URL('/metrics', hub.url), { headers: { authorization: `Bearer ${hub.adminToken}` } })).text();
}

/** A new branch (in 浮梁县 360222 unless another county is given) and an enrollment code for it. */
export async function branchWithCode(hub: HubProcess, name: string, code: string, divisionCode = '360222'): Promise<{ branchId: string; enrollmentCode: string }> {
  const branch = await admin<{ id: string }>(hub, '/admin/branches', { name, code, divisionCode });
  const enrollment = await admin<{ code: string }>(hub, `/admin/branches/${branch.id}/enrollment-codes`, {});
  return { branchId: branch.id, enrollmentCode: enrollment.code };
}

/** The hub's own database, opened by a test while the hub is stopped: the PostgreSQL the hub uses, or its embedded PGlite. */
export async function hubStorageAt(dataDir: string): Promise<Storage> {
  const url = process.env.HUB_TEST_DATABASE_URL;
  return url !== undefined && url !== '' ? createPostgresStorage(url) : createPgliteStorage(join(dataDir, 'pglite'));
}
