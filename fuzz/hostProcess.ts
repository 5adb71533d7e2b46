import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/open.ts';
import { verifyAuditChain } from '../db/audit.ts';
import { KEY_FILE } from '../electron/host/keyfile.ts';
import { DATABASE_FILE } from '../electron/host/dataDir.ts';
import { TOKEN_HEADER } from '../electron/host/web/server.ts';
import { bundleWithMigrations } from '../tests/bundle.ts';
import { answered, resultOf, send, type NoAnswer, type Sent } from './http.ts';

export const projectRoot = join(import.meta.dirname, '..');

/** A scratch folder inside the project (.tmp/ is ignored), so bundles find node_modules by walking up. */
export function scratchDir(prefix: string): string {
  mkdirSync(join(projectRoot, '.tmp'), { recursive: true });
  return mkdtempSync(join(projectRoot, '.tmp', prefix));
}

/** The browser-mode host (electron/host/web/main.ts, what `npm start` runs without Electron), bundled once: the kill harness starts it hundreds of times. */
export function bundleHost(dir: string): Promise<string> {
  return bundleWithMigrations('electron/host/web/main.ts', dir, 'web-host');
}

export interface HostProcess {
  url: URL;
  token: string;
  child: ChildProcess;
  /** What the host wrote to stderr (its log), for the report. */
  log: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startHostProcess(bundle: string, dataDir: string): Promise<HostProcess> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const child = spawn(process.execPath, [bundle], {
    cwd: dataDir,
    env: { ...process.env, GREENLEDGER_DATA_DIR: dataDir, GREENLEDGER_PORT: '0', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 30 s:\n${output}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (log.length < 2000) log.push(...chunk.toString().split('\n').filter((line) => line !== ''));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(output);
      if (match?.[1] !== undefined && match[2] !== undefined) {
        clearTimeout(timer);
        resolve({ url: new URL(match[1]), token: match[2], child, log, exited });
      }
    });
    child.once('error', (error) => reject(error));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`host exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });
}

/** A host on a scratch data folder, as both harnesses drive it (fuzz/hostApi.ts, fuzz/kill.ts). */
export interface ScratchHost {
  dataDir: string;
  /** The host now running: a restart replaces it, so sessions ask for it on every call. */
  current: () => HostProcess;
  /** Starts the host again on the same data folder (after it died or was killed). */
  restart: () => Promise<HostProcess>;
}

/**
 * Bundles the host into a scratch folder, starts it on a fresh data folder there, runs `use`, and
 * removes the folder whatever happened (stopping the host is `use`'s: it checks the files after).
 */
export async function withScratchHost<T>(prefix: string, use: (host: ScratchHost) => Promise<T>): Promise<T> {
  const dir = scratchDir(prefix);
  const dataDir = join(dir, 'data');
  try {
    const bundle = await bundleHost(dir);
    let host = await startHostProcess(bundle, dataDir);
    return await use({
      dataDir,
      current: () => host,
      restart: async () => (host = await startHostProcess(bundle, dataDir)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function stopHostProcess(host: HostProcess): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const force = setTimeout(() => host.child.kill('SIGKILL'), 5_000);
  host.child.kill('SIGTERM');
  await host.exited;
  clearTimeout(force);
}

export async function killHostProcess(host: HostProcess): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  host.child.kill('SIGKILL');
  await host.exited;
}

export const alive = (host: HostProcess) => host.child.exitCode === null && host.child.signalCode === null;

/** A browser's session: the cookie the host last set, replaced whenever it sets a new one. */
export class Session {
  cookie: string | undefined;

  constructor(readonly host: () => HostProcess) {}

  async call(method: string, body: string, timeoutMs: number): Promise<Sent | NoAnswer> {
    const host = this.host();
    const headers: Record<string, string> = { 'content-type': 'application/json', host: host.url.host, [TOKEN_HEADER]: host.token };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    const result = await send(host.url, { path: `/api/${method}`, headers, body, timeoutMs });
    if (answered(result)) {
      const setCookie = result.headers['set-cookie'];
      const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
      const pair = first?.split(';')[0];
      if (pair !== undefined) this.cookie = /=$/.test(pair) ? undefined : pair;
    }
    return result;
  }

  /** A call whose answer must be ok; returns its value. */
  async must<T>(method: string, input: unknown, timeoutMs = 30_000): Promise<T> {
    const result = await this.call(method, JSON.stringify(input), timeoutMs);
    const parsed = answered(result) ? resultOf(result) : undefined;
    if (parsed?.ok !== true) throw new Error(`${method} failed: ${answered(result) ? result.body.toString('utf8').slice(0, 500) : result.message}`);
    return parsed.value as T;
  }
}

export const roleUsers = {
  admin: { username: 'admin', role: 'admin' },
  officer: { username: 'officer', role: 'loan_officer' },
  manager: { username: 'manager', role: 'credit_manager' },
  head: { username: 'head', role: 'branch_head' },
} as const;
export type RoleName = keyof typeof roleUsers;
export const FUZZ_PASSWORD = 'Fuzz2026pass';
const INITIAL_PASSWORD = 'Initial2026pw';

/** First-run setup over HTTP and one account per role (each past its forced password change). */
export async function setUpBranch(host: () => HostProcess, roles: readonly Exclude<RoleName, 'admin'>[] = ['officer', 'manager', 'head']): Promise<Record<RoleName, Session>> {
  const admin = new Session(host);
  await admin.must('setup.initialize', {
    branch: { name: '浮梁县支行', code: '36022201', divisionCode: '360222' },
    admin: { username: 'admin', displayName: '管理员', password: FUZZ_PASSWORD },
  });
  const sessions = { admin } as Record<RoleName, Session>;
  // Each account costs three password hashings (create, sign-in, change): only the ones asked for.
  for (const name of roles) {
    const { username, role } = roleUsers[name];
    await admin.must('users.create', { username, displayName: username, role, password: INITIAL_PASSWORD });
    const session = new Session(host);
    await session.must('session.login', { username, password: INITIAL_PASSWORD });
    await session.must('users.changeOwnPassword', { currentPassword: INITIAL_PASSWORD, newPassword: FUZZ_PASSWORD });
    sessions[name] = session;
  }
  return sessions;
}

/** Signs a session in again (after the fuzz logged it out, or the host restarted). */
export async function signIn(session: Session, role: RoleName): Promise<void> {
  session.cookie = undefined;
  await session.must('session.login', { username: roleUsers[role].username, password: FUZZ_PASSWORD });
}

export const keyOf = (dataDir: string): string => readFileSync(join(dataDir, KEY_FILE), 'utf8').trim();

/** PRAGMA integrity_check and the audit chain of a laptop database, read directly from its file. */
export function checkDatabase(db: Db): { integrityOk: boolean; integrity: string; auditOk: boolean; auditChecked: number; auditProblems: string[] } {
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
  const audit = verifyAuditChain(db);
  return { integrityOk: integrity === 'ok', integrity, auditOk: audit.ok, auditChecked: audit.checked, auditProblems: audit.problems.map((p) => `${p.seq} ${p.kind}: ${p.message}`) };
}

export function openDataDir(dataDir: string): Db {
  return openDatabase(join(dataDir, DATABASE_FILE), { keyHex: keyOf(dataDir) });
}
