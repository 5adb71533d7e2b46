import { gzipSync } from 'node:zlib';
import type { z } from 'zod';
import { syncResultSchema, type SyncError } from '../../../shared/sync/protocol.ts';

/** What the desktop reports when the hub cannot be talked to at all (never sent by the hub). */
export type ClientErrorCode = 'HUB_UNREACHABLE' | 'HUB_BAD_ANSWER' | 'NOT_ENROLLED';
export type HubError = Omit<SyncError, 'code'> & { code: SyncError['code'] | ClientErrorCode };
export type HubResult<T> = { ok: true; value: T } | { ok: false; error: HubError };

export interface HubClientOptions {
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * One request to the hub: gzip body, bounded time, and an answer parsed with the protocol schema —
 * a hub that is down, slow or answering garbage becomes an error value, never an exception and
 * never data that reaches the store.
 */
export async function hubRequest<S extends z.ZodType>(options: HubClientOptions, path: string, body: unknown, valueSchema: S): Promise<HubResult<z.output<S>>> {
  const url = new URL(path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'accept-encoding': 'gzip',
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      },
      body: gzipSync(Buffer.from(JSON.stringify(body))),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : (error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { ok: false, error: { code: 'HUB_UNREACHABLE', message: `Cannot reach ${url.origin}: ${reason}` } };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { ok: false, error: { code: 'HUB_BAD_ANSWER', message: `The hub answered HTTP ${response.status} with something that is not JSON` } };
  }
  const parsed = syncResultSchema(valueSchema).safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: { code: 'HUB_BAD_ANSWER', message: `The hub's answer to ${path} does not match the protocol (HTTP ${response.status})` } };
  }
  return parsed.data as HubResult<z.output<S>>;
}
