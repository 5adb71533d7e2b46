import { timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { syncLimits, type SyncError, type SyncResult } from '../shared/sync/protocol.ts';
import { HubError, httpStatus } from './errors.ts';
import { stringifyWithRaw } from './rawJson.ts';

/**
 * The hub's wire format: JSON bodies, plain or gzip, with two limits — at most
 * syncLimits.maxBodyBytes on the wire and syncLimits.maxDecodedBytes once inflated (a gzip bomb
 * stops at the limit instead of filling memory) — and answers gzip-compressed when the client
 * accepts it. Every refusal is the `{ok:false,error:{code,message,details}}` result.
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

async function decodeBody(request: FastifyRequest, body: Buffer): Promise<unknown> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let text: Buffer;
  if (encoding === 'gzip') {
    try {
      text = await gunzip(body, { maxOutputLength: syncLimits.maxDecodedBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new HubError('PAYLOAD_TOO_LARGE', `Request body inflates beyond ${syncLimits.maxDecodedBytes} bytes`, { limit: syncLimits.maxDecodedBytes });
      }
      throw new HubError('VALIDATION', 'Request body is not valid gzip');
    }
  } else if (encoding === 'identity' || encoding === '') {
    text = body;
  } else {
    throw new HubError('UNSUPPORTED_ENCODING', `Content-Encoding ${encoding.slice(0, 40)} is not supported; send gzip or plain JSON`);
  }
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new HubError('VALIDATION', `Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
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
      const limit = String(request.headers['content-type'] ?? '').startsWith('application/octet-stream') ? syncLimits.maxBlobBytes : syncLimits.maxBodyBytes;
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
