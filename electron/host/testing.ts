import { request } from 'node:http';
import { tempStoreDir } from '../../db/testing.ts';
import { closeStore, openStore, type Store } from './store.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import type { HostContext } from './context.ts';
import { SessionStore } from './auth/sessions.ts';
import { SyncService } from './sync/service.ts';
import { chromiumPdfRenderer } from './letters/pdf.ts';

/** A real host over a real encrypted database file in a fresh temporary folder. */
export interface TestHost {
  ctx: HostContext;
  dispatch: Dispatch;
  store: Store;
  logs: string[];
  /** Moves the host's clock (lockouts, idle locks) without waiting. */
  advance: (ms: number) => void;
  cleanup: () => void;
}

export function testHost(): TestHost {
  const temp = tempStoreDir();
  const store = openStore(temp.dir, temp.keyHex);
  const logs: string[] = [];
  // Real time plus whatever a test skipped ahead: hubs and laptops must agree on the clock.
  let skipped = 0;
  const clockNow = () => Date.now() + skipped;
  const pdf = chromiumPdfRenderer();
  const ctx: HostContext = {
    store,
    mode: 'browser',
    dataDir: temp.dir,
    appVersion: '0.0.0-test',
    log: (l) => logs.push(l),
    sessions: new SessionStore(),
    now: () => new Date(clockNow()),
    sync: new SyncService({
      db: () => ctx.store.db,
      appVersion: '0.0.0-test',
      now: () => new Date(clockNow()),
      log: (l) => logs.push(l),
      timeoutMs: 2_000,
      blobs: { dataDir: temp.dir, key: store.attachmentKey },
    }),
    attachmentKey: store.attachmentKey,
    // The system's Chromium, started only by a test that prints a letter.
    pdf,
  };
  return {
    ctx,
    advance: (ms) => {
      skipped += ms;
    },
    store,
    logs,
    dispatch: createDispatch(ctx, handlers),
    cleanup: () => {
      void pdf.close();
      closeStore(store);
      temp.cleanup();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Plain node:http so a test can send what a browser never would (foreign Host, no token, junk bodies). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

// Test data shared with the store's own tests (db/ cannot import the host).
export { sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';

/** A host with its first-run setup done and one signed-in user per role, each in its own session. */
export async function hostWithUsers(): Promise<TestHost & { sessions: Record<'admin' | 'officer' | 'manager', { sessionId: string }> }> {
  const host = testHost();
  const sessions = { admin: { sessionId: 'admin' }, officer: { sessionId: 'officer' }, manager: { sessionId: 'manager' } };
  await host.dispatch(
    'setup.initialize',
    { branch: { name: '浮梁县支行', code: '36022201', divisionCode: '360222' }, admin: { username: 'admin', displayName: '管理员', password: 'Admin2026ok' } },
    sessions.admin,
  );
  for (const [username, role, session] of [
    ['officer', 'loan_officer', sessions.officer],
    ['manager', 'credit_manager', sessions.manager],
  ] as const) {
    await host.dispatch('users.create', { username, displayName: username, role, password: 'Password2026' }, sessions.admin);
    await host.dispatch('session.login', { username, password: 'Password2026' }, session);
    // The host lets nothing else through until the initial password is changed.
    await host.dispatch('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2026' }, session);
  }
  return { ...host, sessions };
}
