import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStorages } from './testing/storages.ts';
import { startHub, stopHub } from './testing/hubProcess.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function httpsJson(url: string, ca: Buffer, options: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: { ok: boolean; value?: unknown } }> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe.each(testStorages())('npm run headoffice on $name', (testStorage) => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-headoffice-'));
  const dataDir = join(dir, 'data');
  let env: Record<string, string>;
  let cleanupStorage: () => Promise<void>;
  let ca: Buffer;

  beforeAll(async () => {
    const storageEnv = await testStorage.processEnv();
    cleanupStorage = storageEnv.cleanup;
    // No skip without openssl: the HTTPS promise is tested everywhere (.ci/run installs openssl).
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate (${made.error?.message ?? `exit ${made.status}`}); install openssl`);
    ca = readFileSync(join(dir, 'cert.pem'));
    env = {
      ...storageEnv.env,
      HEADOFFICE_PORT: '0',
      HEADOFFICE_DATA_DIR: dataDir,
      HEADOFFICE_TLS_CERT: join(dir, 'cert.pem'),
      HEADOFFICE_TLS_KEY: join(dir, 'key.pem'),
      HEADOFFICE_ADMIN_TOKEN: '',
    };
  });
  afterAll(async () => {
    await cleanupStorage?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS, prints the generated admin token once, keeps its data across a restart', async () => {
    const first = await startHub(env);
    let branchId: string;
    try {
      expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(first.output()).toContain(`head-office console (总行控制台): ${first.url}/console`);
      const token = /Admin token[^\n]*\n\s+(\S+)/.exec(first.output())?.[1] as string;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(token);
      expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);

      expect(await httpsJson(`${first.url}/health`, ca)).toMatchObject({ status: 200, body: { ok: true } });
      const created = await httpsJson(`${first.url}/admin/branches`, ca, { method: 'POST', token, body: { name: '城关支行', code: 'CG01', divisionCode: '430582' } });
      expect(created.status).toBe(200);
      branchId = (created.body.value as { id: string }).id;
    } finally {
      expect(await stopHub(first)).toBe(0);
    }

    const second = await startHub(env);
    try {
      expect(second.output()).not.toContain('Admin token (shown this once');
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      const listed = await httpsJson(`${second.url}/admin/branches`, ca, { token });
      expect((listed.body.value as { branches: { id: string }[] }).branches.map((branch) => branch.id)).toEqual([branchId]);
    } finally {
      expect(await stopHub(second)).toBe(0);
    }
  });

  it('refuses to start with half a TLS configuration, saying why', async () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, HEADOFFICE_DATA_DIR: dataDir, HEADOFFICE_TLS_CERT: 'cert.pem', HEADOFFICE_TLS_KEY: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('HEADOFFICE_TLS_CERT and HEADOFFICE_TLS_KEY');
  });
});
