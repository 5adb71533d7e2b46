import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Plain node:http, so the harness can send what no client would: any path, any header, any bytes. */
export interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Why a call got no answer: `timeout` is a hang, `connection` a dropped socket (crash or kill). */
export type NoAnswer = { failed: 'timeout' | 'connection'; message: string };

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function send(
  base: URL,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs: number; from?: string },
): Promise<Sent | NoAnswer> {
  // Loopback only: the harness talks to the processes it started, nothing else. It may send from
  // another loopback address (127.0.0.0/8), as a second client on the same machine would.
  if (base.hostname !== '127.0.0.1') throw new Error(`refusing to send to ${base.hostname}`);
  if (options.from !== undefined && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(options.from)) throw new Error(`refusing to send from ${options.from}`);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: Sent | NoAnswer) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      }
    };
    const req = request(
      { host: '127.0.0.1', port: base.port, method: options.method ?? 'POST', path: options.path, headers: options.headers, agent, ...(options.from === undefined ? {} : { localAddress: options.from }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let body = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') {
            try {
              body = gunzipSync(body);
            } catch {
              // Left as sent; the caller sees a body that does not parse.
            }
          }
          settle({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', (error) => settle({ failed: 'connection', message: error.message }));
      },
    );
    const timer = setTimeout(() => {
      settle({ failed: 'timeout', message: `no answer in ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error) => settle({ failed: 'connection', message: error.message }));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export const answered = (result: Sent | NoAnswer): result is Sent => !('failed' in result);

/** The `{ok, value | error}` body of an answer, or undefined when it is not one. */
export function resultOf(sent: Sent): { ok: boolean; value?: unknown; error?: { code?: string; message?: string } } | undefined {
  try {
    const parsed = JSON.parse(sent.body.toString('utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && 'ok' in parsed ? (parsed as { ok: boolean }) : undefined;
  } catch {
    return undefined;
  }
}

export function closeIdleSockets(): void {
  agent.destroy();
}
