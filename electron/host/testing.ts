import { request } from 'node:http';
import { tempStoreDir } from '../../db/testing.ts';
import { openStore, type Store } from './store.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import type { HostContext } from './context.ts';

/** A real host over a real encrypted database file in a fresh temporary folder. */
export function testHost(): { ctx: HostContext; dispatch: Dispatch; store: Store; logs: string[]; cleanup: () => void } {
  const temp = tempStoreDir();
  const store = openStore(temp.dir, temp.keyHex);
  const logs: string[] = [];
  const ctx: HostContext = { store, mode: 'browser', dataDir: temp.dir, appVersion: '0.0.0-test', log: (l) => logs.push(l) };
  return {
    ctx,
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
