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
  /** Waiting out a busy hub (429/503 with Retry-After); without it the refusal is the answer. */
  retry?: RetryPolicy;
}

/**
 * How a sync call waits out a hub that answers 429 or 503 with Retry-After: it waits what the hub
 * asks plus a random share of an exponential step (full jitter, capped), so a morning burst of
 * laptops refused together does not come back together. A wait longer than `maxWaitMs` (a locked-out
 * address, minutes) is not sat out here: the refusal goes to the caller and the service's schedule.
 *
 * It gives up on time, not on a count: a busy hub that asks for 1 s eight times has been busy for
 * ~15 s, which a morning burst it can drain lasts longer than (bench sync.burst: one laptop in 2,000
 * gave up after its eighth refusal). `giveUpAfterMs` bounds the whole wait; `maxRetries` stays as a
 * backstop against a hub answering busy without end.
 */
export interface RetryPolicy {
  maxRetries: number;
  /** No retry whose wait would end later than this after the first attempt. */
  giveUpAfterMs: number;
  baseMs: number;
  capMs: number;
  maxWaitMs: number;
  /** Called before each wait (the sync report counts them). */
  onRetry?: (retry: { path: string; status: number; waitMs: number; attempt: number }) => void;
  random?: () => number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 40, giveUpAfterMs: 300_000, baseMs: 500, capMs: 8_000, maxWaitMs: 30_000 };

/** Retry-After in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before retry number `attempt` (0-based): the hub's Retry-After plus full jitter of a capped exponential step. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter: number): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return retryAfter + Math.floor((policy.random ?? Math.random)() * step);
}

/** The wait for a busy refusal worth retrying, or null when the answer stands. */
function busyWait(policy: RetryPolicy | undefined, response: Response, attempt: number, waitedMs: number): number | null {
  if (policy === undefined || attempt >= policy.maxRetries) return null;
  if (response.status !== 429 && response.status !== 503) return null;
  const asked = retryAfterMs(response.headers.get('retry-after'));
  if (asked === null || asked > policy.maxWaitMs) return null;
  const wait = backoffMs(policy, attempt, asked);
  return waitedMs + wait > policy.giveUpAfterMs ? null : wait;
}

function unreachableReason(error: unknown): string {
  return error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : ((error.cause as Error | undefined)?.message ?? error.message)) : String(error);
}

/** Request bodies from this size on are sent gzip (the hub compresses its answers from the same size). */
const COMPRESS_FROM_BYTES = 1024;

/** A request body encoded ahead of its request (JSON, gzip from 1 KB): the engine prepares the next push page while the hub applies one. */
export class PreparedBody {
  constructor(
    readonly payload: Buffer<ArrayBuffer>,
    readonly compressed: boolean,
  ) {}
}

export function prepareBody(body: unknown): PreparedBody {
  const json = Buffer.from(JSON.stringify(body));
  // A hello or a pull request is a few hundred bytes: gzip would save a few dozen and cost a
  // compressor at each end (the hub inflates on its thread pool). The hub takes either.
  const compressed = json.length >= COMPRESS_FROM_BYTES;
  return new PreparedBody(compressed ? gzipSync(json) : json, compressed);
}

/**
 * The result schema of each answer schema, made once: zod compiles an object schema's checks on its
 * first parse, and a new result schema per request compiled them on every request (bench sync.noop).
 */
const resultSchemas = new WeakMap<z.ZodType, unknown>();
function resultSchemaOf<T extends z.ZodType>(valueSchema: T): ReturnType<typeof syncResultSchema<T>> {
  let schema = resultSchemas.get(valueSchema) as ReturnType<typeof syncResultSchema<T>> | undefined;
  if (schema === undefined) {
    schema = syncResultSchema(valueSchema);
    resultSchemas.set(valueSchema, schema);
  }
  return schema;
}

/**
 * One request to the hub: JSON body, gzip from 1 KB (or one prepared before, `prepareBody`), bounded time, and an answer parsed with the protocol schema —
 * a hub that is down, slow or answering garbage becomes an error value, never an exception and
 * never data that reaches the store.
 */
export async function hubRequest<S extends z.ZodType>(options: HubClientOptions, path: string, body: unknown, valueSchema: S): Promise<HubResult<z.output<S>>> {
  const url = new URL(path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const { payload, compressed: compress } = body instanceof PreparedBody ? body : prepareBody(body);
  let response: Response;
  const first = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      response = await (options.fetchImpl ?? fetch)(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(compress ? { 'content-encoding': 'gzip' } : {}),
          'accept-encoding': 'gzip',
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      return { ok: false, error: { code: 'HUB_UNREACHABLE', message: `Cannot reach ${url.origin}: ${unreachableReason(error)}` } };
    }
    const wait = busyWait(options.retry, response, attempt, Date.now() - first);
    if (wait === null) break;
    // A busy refusal comes before the hub handles anything, so the same request is sent again as is.
    await response.body?.cancel();
    options.retry?.onRetry?.({ path, status: response.status, waitMs: wait, attempt });
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    return { ok: false, error: { code: 'HUB_BAD_ANSWER', message: `The hub answered HTTP ${response.status} with something that is not JSON` } };
  }
  const parsed = resultSchemaOf(valueSchema).safeParse(answer);
  if (!parsed.success) {
    return { ok: false, error: { code: 'HUB_BAD_ANSWER', message: `The hub's answer to ${path} does not match the protocol (HTTP ${response.status})` } };
  }
  return parsed.data as HubResult<z.output<S>>;
}

/** Sends one attachment file (the plaintext bytes; the hub checks them against the hash). */
export async function hubPutBlob(options: HubClientOptions, sha256: string, bytes: Uint8Array): Promise<HubResult<z.output<typeof blobStoredResponseSchema>>> {
  return hubExchange(options, `${BLOBS_PATH}/${sha256}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes }, async (response) => {
    const parsed = resultSchemaOf(blobStoredResponseSchema).safeParse(await response.json());
    return parsed.success ? (parsed.data as HubResult<z.output<typeof blobStoredResponseSchema>>) : badAnswer(`The hub's answer to a file upload does not match the protocol (HTTP ${response.status})`);
  });
}

/** Fetches one attachment file; the bytes are the hub's word only once they hash to `sha256` (checked by the caller). */
export async function hubGetBlob(options: HubClientOptions, sha256: string): Promise<HubResult<Buffer>> {
  return hubExchange(options, `${BLOBS_PATH}/${sha256}`, { method: 'GET' }, async (response) => {
    if (response.ok && response.headers.get('content-type') === 'application/octet-stream') return { ok: true, value: Buffer.from(await response.arrayBuffer()) };
    const parsed = resultSchemaOf(blobStoredResponseSchema).safeParse(await response.json());
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
