import { gzipSync } from 'node:zlib';
import type { z } from 'zod';
import { BLOBS_PATH, blobStoredResponseSchema, syncResultSchema, type SyncError } from '../../../shared/sync/protocol.ts';

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

function unreachableReason(error: unknown): string {
  return error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : ((error.cause as Error | undefined)?.message ?? error.message)) : String(error);
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
    return { ok: false, error: { code: 'HUB_UNREACHABLE', message: `Cannot reach ${url.origin}: ${unreachableReason(error)}` } };
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

/** Sends one attachment file (the plaintext bytes; the hub checks them against the hash). */
export async function hubPutBlob(options: HubClientOptions, sha256: string, bytes: Uint8Array): Promise<HubResult<z.output<typeof blobStoredResponseSchema>>> {
  return hubExchange(options, `${BLOBS_PATH}/${sha256}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes }, async (response) => {
    const parsed = syncResultSchema(blobStoredResponseSchema).safeParse(await response.json());
    return parsed.success ? (parsed.data as HubResult<z.output<typeof blobStoredResponseSchema>>) : badAnswer(`The hub's answer to a file upload does not match the protocol (HTTP ${response.status})`);
  });
}

/** Fetches one attachment file; the bytes are the hub's word only once they hash to `sha256` (checked by the caller). */
export async function hubGetBlob(options: HubClientOptions, sha256: string): Promise<HubResult<Buffer>> {
  return hubExchange(options, `${BLOBS_PATH}/${sha256}`, { method: 'GET' }, async (response) => {
    if (response.ok && response.headers.get('content-type') === 'application/octet-stream') return { ok: true, value: Buffer.from(await response.arrayBuffer()) };
    const parsed = syncResultSchema(blobStoredResponseSchema).safeParse(await response.json());
    return parsed.success && !parsed.data.ok ? parsed.data : badAnswer(`The hub answered a file download with HTTP ${response.status} and no file`);
  });
}

const badAnswer = (message: string): HubResult<never> => ({ ok: false, error: { code: 'HUB_BAD_ANSWER', message } });

/** One non-JSON-body request with the same bounded time and error values as hubRequest. */
async function hubExchange<T>(options: HubClientOptions, path: string, init: { method: string; headers?: Record<string, string>; body?: Uint8Array }, read: (response: Response) => Promise<HubResult<T>>): Promise<HubResult<T>> {
  const url = new URL(path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(url, {
      method: init.method,
      headers: { ...init.headers, ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }) },
      ...(init.body === undefined ? {} : { body: new Uint8Array(init.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    return { ok: false, error: { code: 'HUB_UNREACHABLE', message: `Cannot reach ${url.origin}: ${unreachableReason(error)}` } };
  }
  try {
    return await read(response);
  } catch {
    return badAnswer(`The hub answered HTTP ${response.status} with something unreadable`);
  }
}
