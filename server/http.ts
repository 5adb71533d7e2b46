import { timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { syncLimits, type SyncError, type SyncResult } from '../shared/sync/protocol.ts';
import { malformedTextPath } from '../shared/api/text.ts';
import { HubError, httpStatus } from './errors.ts';
import { stringifyWithRaw } from './rawJson.ts';

/**
 * The hub's wire format: JSON bodies, plain or gzip, with limits per endpoint (`bodyLimits`) — so
 * many bytes on the wire, refused from Content-Length before a byte is read, and so many once
 * inflated (gzip stops at the limit instead of filling memory) — and at most MAX_JSON_DEPTH levels
 * of nesting, checked before JSON.parse. Answers are gzip-compressed when the client accepts it.
 * Every refusal is the `{ok:false,error:{code,message,details}}` result.
 */

const gunzip = promisify(gunzipCallback) as (buffer: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;
const gzip = promisify(gzipCallback) as (buffer: Buffer | string, options: { level: number }) => Promise<Buffer>;

/** Below this an answer is sent as is: gzip would cost more than it saves. */
const COMPRESS_FROM_BYTES = 1024;

export function sendResult(reply: FastifyReply, result: SyncResult<unknown>): FastifyReply {
  return reply
    .code(result.ok ? 200 : httpStatus(result.error.code))
    .type('application/json; charset=utf-8')
    .send(stringifyWithRaw(result));
}

export const sendError = (reply: FastifyReply, error: SyncError): FastifyReply => sendResult(reply, { ok: false, error });

/**
 * Deeper than any request the hub takes (a change's field value is a JSON column value; reference
 * sets are a few levels). V8's JSON.parse of 16 MB of '[' allocates ~800 MB and holds the event
 * loop for seconds, so depth is counted on the bytes first.
 */
export const MAX_JSON_DEPTH = 64;

/** What one endpoint accepts: bytes on the wire, and bytes once a gzip body is inflated. */
export interface BodyLimit {
  wire: number;
  inflated: number;
}

const KB = 1024;
/**
 * Per endpoint, about ten times what a real request needs. An enrollment is a few hundred bytes;
 * a pull request names its checkpoint and reference versions; hello a few hundred bytes, and may
 * carry a pull request (its first page comes with the answer); blobs/missing at most 500 hashes (34 KB); a resolution one row's fields; a push page aims at 1 MB gzip
 * (syncLimits.targetPageBytes). Admin calls keep the general limits (a reference set can be large).
 */
export const bodyLimits = {
  enroll: { wire: 4 * KB, inflated: 4 * KB },
  pull: { wire: 64 * KB, inflated: 64 * KB },
  hello: { wire: 68 * KB, inflated: 68 * KB },
  blobsMissing: { wire: 64 * KB, inflated: 128 * KB },
  resolve: { wire: 512 * KB, inflated: 2 * KB * KB },
  push: { wire: syncLimits.maxBodyBytes, inflated: syncLimits.maxDecodedBytes },
  admin: { wire: syncLimits.maxBodyBytes, inflated: syncLimits.maxDecodedBytes },
  consoleForm: { wire: 4 * KB, inflated: 4 * KB },
} as const satisfies Record<string, BodyLimit>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Bytes a gzip body of this route may inflate to (`limitedTo`). */
    inflatedLimit?: number;
  }
}

/** Route options for an endpoint's limits: fastify refuses a larger Content-Length unread. */
export const limitedTo = (limit: BodyLimit, config: FastifyContextConfig = {}) => ({ bodyLimit: limit.wire, config: { ...config, inflatedLimit: limit.inflated } });

const inflatedLimitOf = (request: FastifyRequest): number => request.routeOptions.config.inflatedLimit ?? syncLimits.maxDecodedBytes;

/** True when brackets nest deeper than `max` (outside strings), scanning bytes without parsing. */
export function nestsDeeperThan(json: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const byte = json[index];
    if (inString) {
      if (byte === 0x5c) index += 1; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}

const NUL_ESCAPE = Buffer.from('\\u0000', 'latin1');

/**
 * Whether JSON.parse of these bytes can give a lone surrogate. Only an escape can (\ud800, or
 * upper case \uD800): raw surrogate bytes are not UTF-8, and Buffer#toString('utf8') turns them
 * into U+FFFD. Without a `\ud`/`\uD` anywhere (JSON.stringify writes none for well-formed text)
 * the walk over every string of the parsed value is skipped; with one it runs as before.
 */
export function mayHoldLoneSurrogate(json: Buffer): boolean {
  return json.indexOf('\\ud', 0, 'latin1') !== -1 || json.indexOf('\\uD', 0, 'latin1') !== -1;
}

/**
 * True when a JSON string holds an escaped NUL (`\u0000`; a raw one is not JSON). PostgreSQL's
 * jsonb and text cannot store U+0000, so such a body failed deep in a query (a 500); it is refused
 * at the door instead, like any other text the hub cannot keep as sent.
 */
export function holdsNul(json: Buffer): boolean {
  // Almost every body has no such six bytes at all: a native search, then the scan only when they
  // are there (a push page is ~1 MB; bench sync.hub_ingest).
  if (json.indexOf(NUL_ESCAPE) === -1) return false;
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const byte = json[index];
    if (!inString) inString = byte === 0x22;
    else if (byte === 0x22) inString = false;
    else if (byte === 0x5c) {
      if (json[index + 1] === 0x75 && json.toString('latin1', index + 2, index + 6) === '0000') return true;
      index += 1; // skip the escaped byte, so \\u0000 (a backslash, then text) is not a NUL
    }
  }
  return false;
}

async function decodeBody(request: FastifyRequest, body: Buffer): Promise<unknown> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const inflatedLimit = inflatedLimitOf(request);
  let text: Buffer;
  if (encoding === 'gzip') {
    try {
      text = await gunzip(body, { maxOutputLength: inflatedLimit });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new HubError('PAYLOAD_TOO_LARGE', `Request body inflates beyond ${inflatedLimit} bytes`, { limit: inflatedLimit });
      }
      throw new HubError('VALIDATION', 'Request body is not valid gzip');
    }
  } else if (encoding === 'identity' || encoding === '') {
    text = body;
  } else {
    throw new HubError('UNSUPPORTED_ENCODING', `Content-Encoding ${encoding.slice(0, 40)} is not supported; send gzip or plain JSON`);
  }
  if (text.length === 0) return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HubError('PAYLOAD_TOO_LARGE', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH });
  }
  if (holdsNul(text)) throw new HubError('VALIDATION', 'Text must not contain NUL (U+0000): head office cannot store it');
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new HubError('VALIDATION', `Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  // Nor can it store a lone surrogate (\ud800): every endpoint, not only the ones whose schema says so.
  const malformed = mayHoldLoneSurrogate(text) ? malformedTextPath(value) : null;
  if (malformed !== null) throw new HubError('VALIDATION', 'Text must be well-formed Unicode (a lone surrogate was sent)', { path: malformed });
  return value;
}

function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function installWireFormat(app: FastifyInstance, log: (line: string) => void, onError: (code: string) => void): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: syncLimits.maxBodyBytes }, async (request: FastifyRequest, body: Buffer) =>
    decodeBody(request, body),
  );
  // Attachment files (PUT /sync/v1/blobs/:sha256): the bytes as they are, up to the attachment limit.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: syncLimits.maxBlobBytes }, async (_request: FastifyRequest, body: Buffer) => body);

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (payload.length < COMPRESS_FROM_BYTES || !acceptsGzip(request) || reply.hasHeader('content-encoding')) return payload;
    // Attachment files are PDFs and images, compressed already.
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/octet-stream')) return payload;
    reply.header('Content-Encoding', 'gzip');
    reply.header('Vary', 'Accept-Encoding');
    reply.removeHeader('content-length');
    // Level 3: a 5,000-row pull page (5.2 MB of JSON) takes 10 ms instead of level 5's 18 ms, for
    // 15% more bytes (470 KB against 409 KB). Gzip was a third of the hub's time per pull page.
    return gzip(payload, { level: 3 });
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    let refusal: SyncError;
    if (error instanceof HubError) refusal = error.toJSON();
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? syncLimits.maxBodyBytes;
      refusal = { code: 'PAYLOAD_TOO_LARGE', message: `Request body over ${limit} bytes on the wire`, details: { limit } };
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      refusal = { code: 'VALIDATION', message: 'Content-Type must be application/json' };
    } else if (error.statusCode !== undefined && error.statusCode < 500) {
      refusal = { code: 'VALIDATION', message: `Malformed request: ${error.message.slice(0, 200)}` };
    } else {
      log(`[hub] ${request.method} ${request.url.slice(0, 100)} failed: ${error.stack ?? error.message}`);
      refusal = { code: 'INTERNAL', message: 'Internal error; the hub logged it' };
    }
    onError(refusal.code);
    return sendError(reply, refusal);
  });

  app.setNotFoundHandler((request, reply) => {
    onError('NOT_FOUND');
    return sendError(reply, { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.slice(0, 100)}` });
  });
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** Constant-time comparison of two secrets of any length (compares their digests). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook as a download: `asciiName` for old clients, `fileName` (Chinese) as RFC 5987 says; never cached. */
export const sendXlsx = (reply: FastifyReply, asciiName: string, fileName: string, body: Buffer) =>
  reply
    .type(XLSX_TYPE)
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(body);
