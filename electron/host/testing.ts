import { request } from 'node:http';
import { tempStoreDir } from '../../db/testing.ts';
import { openStore, type Store } from './store.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import type { HostContext } from './context.ts';
import { SessionStore } from './auth/sessions.ts';

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

export function testHost(start = new Date('2026-11-22T02:00:00Z')): TestHost {
  const temp = tempStoreDir();
  const store = openStore(temp.dir, temp.keyHex);
  const logs: string[] = [];
  let clock = start.getTime();
  const ctx: HostContext = {
    store,
    mode: 'browser',
    dataDir: temp.dir,
    appVersion: '0.0.0-test',
    log: (l) => logs.push(l),
    sessions: new SessionStore(),
    now: () => new Date(clock),
  };
  return {
    ctx,
    advance: (ms) => {
      clock += ms;
    },
    store,
    logs,
    dispatch: createDispatch(ctx, handlers),
    cleanup: () => {
      store.db.close();
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
