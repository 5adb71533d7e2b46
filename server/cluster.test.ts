import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { headOfficeAdmin } from './testing/headOffice.ts';
import { startHub, stopHub, type Running } from './testing/hubProcess.ts';
import { TestDevice, valueOf, call } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ADMIN = 'cluster-admin-token-0123456789';

/** One request on a connection of its own (no keep-alive): node:cluster hands each new connection to the next worker. */
function fresh(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const workerPids = (hub: Running): number[] =>
  execFileSync('pgrep', ['-P', String(hub.child.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('HEADOFFICE_WORKERS', () => {
  it('refuses several processes on the embedded database, which belongs to one process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-cluster-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: '', HEADOFFICE_WORKERS: '2', HEADOFFICE_PORT: '0', HEADOFFICE_DATA_DIR: dir, HEADOFFICE_ADMIN_TOKEN: ADMIN },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain('HEADOFFICE_WORKERS above 1 needs DATABASE_URL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testStorages().filter((storage) => storage.name === 'PostgreSQL'))('two hub processes on one $name', (testStorage) => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-cluster-'));
  let hub: Running | undefined;
  let cleanupStorage: (() => Promise<void>) | undefined;
  afterAll(async () => {
    if (hub !== undefined) await stopHub(hub);
    await cleanupStorage?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve one port: counters summed over both, a console session on either, a killed worker replaced, a clean stop', async () => {
    const storageEnv = await testStorage.processEnv();
    cleanupStorage = storageEnv.cleanup;
    hub = await startHub({ ...storageEnv.env, HEADOFFICE_WORKERS: '2', HEADOFFICE_PORT: '0', HEADOFFICE_DATA_DIR: dir, HEADOFFICE_ADMIN_TOKEN: ADMIN });
    const running = hub;
    const url = running.url;
    await until('both workers listening', () => (running.output().match(/\[hub [12]\] GreenLedger head-office hub listening on/g) ?? []).length === 2);
    expect(running.output()).toContain('starting 2 hub processes on one database');
    expect(workerPids(running)).toHaveLength(2);

    // Pushes through a laptop's kept connection; every scrape, on connections of its own (so both
    // workers answer some), reports both processes and all the pushes, whichever worker took them.
    const branch = valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: '多进程支行', code: `MP${Date.now() % 100000}`, divisionCode: '430582' } }));
    const device = await TestDevice.enroll(url, ADMIN, branch.id);
    valueOf(await device.hello());
    for (let page = 0; page < 3; page += 1) await device.pushOk([device.write('enterprises', crypto.randomUUID(), 'insert', { name: `多进程企业${page}` })]);
    for (let scrape = 0; scrape < 4; scrape += 1) {
      const metrics = await fresh(url, '/metrics', { authorization: `Bearer ${ADMIN}` });
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^greenledger_hub_processes 2$/m);
      expect(metrics.text).toMatch(/^greenledger_hub_pushes_total 3$/m);
      expect(metrics.text).toMatch(/^greenledger_hub_changes_total\{status="applied"\} 3$/m);
    }

    // A head-office sign-in on one worker is a session on both.
    const admin = await headOfficeAdmin(url, ADMIN);
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await fresh(url, '/console/api/session', { cookie: admin.cookie })).status).toBe(200);

    // A worker that dies is replaced; the other serves meanwhile.
    const [victim] = workerPids(running);
    process.kill(victim as number, 'SIGKILL');
    // (A connection handed to the worker in the instant it died is lost with it, as with any
    // process behind a balancer: the laptop's request times out and is retried.)
    await until('the exit noticed', () => /worker \d exited \(SIGKILL\); starting it again/.test(running.output()));
    expect((await fresh(url, '/health')).status).toBe(200);
    await until('the worker replaced', () => (running.output().match(/GreenLedger head-office hub listening on/g) ?? []).length === 3);
    expect(workerPids(running)).toHaveLength(2);
    expect(workerPids(running)).not.toContain(victim);
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await fresh(url, '/console/api/session', { cookie: admin.cookie })).status).toBe(200);

    expect(await stopHub(running)).toBe(0);
    hub = undefined;
  }, 120_000);
});
