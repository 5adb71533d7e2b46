import { existsSync } from 'node:fs';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { fail, MAX_INPUT_BYTES, maxInputBytes, methodNames, parseAttachmentPath, type ErrorCode, type MethodOutput, type Result } from '../../../shared/api/index.ts';
import type { Dispatch } from '../dispatch.ts';
import { uuidv7 } from 'uuidv7';

export interface WebHostOptions {
  dispatch: Dispatch;
  /** Built renderer (dist/renderer); when absent only the API is served. */
  rendererDir?: string;
  port?: number;
  /** Per-launch secret; generated when not given. */
  token?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  app: FastifyInstance;
  url: string;
  /** The URL to open, token included (the renderer moves it out of the address bar at once). */
  launchUrl: string;
  token: string;
  port: number;
  close: () => Promise<void>;
}

export const TOKEN_HEADER = 'x-greenledger-token';
const SESSION_COOKIE = 'gl_session';

const httpStatus: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNKNOWN_METHOD: 404,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_DISABLED: 403,
  SESSION_LOCKED: 423,
  SETUP_REQUIRED: 409,
  ALREADY_INITIALIZED: 409,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DB_KEY_INVALID: 500,
  DB_FROM_FUTURE: 500,
  HOST_UNAVAILABLE: 503,
  HUB_ERROR: 502,
  INTERNAL: 500,
};

// antd injects its CSS-in-JS as <style> elements, hence 'unsafe-inline' for styles only; scripts stay 'self'.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
// An attachment is shown in the app's own frame (and may be opened in a tab): it runs nothing.
const ATTACHMENT_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

function send(reply: FastifyReply, result: Result<unknown>): FastifyReply {
  return reply.code(result.ok ? 200 : httpStatus[result.error.code]).type('application/json').send(result);
}

type AttachmentContent = MethodOutput<'attachments.open'>;

/** The file inline, under the name its path gives (a path naming another file is not this one). */
function sendAttachment(reply: FastifyReply, content: AttachmentContent, fileName: string): FastifyReply {
  if (content.fileName !== fileName) return send(reply, fail('NOT_FOUND', 'No attachment of that name behind this link'));
  return reply
    .code(200)
    .header('Content-Security-Policy', ATTACHMENT_POLICY)
    .header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .type(content.mime)
    .send(Buffer.from(content.contentBase64, 'base64'));
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readSessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * True when the path (before any query) decodes to itself and has no empty or dot segment: no
 * percent-encoding, no `//`, no `/./` or `/../`, nothing a router could read differently.
 */
export function isCanonicalPath(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  // An attachment's path ends in its file name, percent-encoded (华盛排污许可证.pdf): the one
  // place a '%' is allowed, in a route that needs no launch token.
  if (parseAttachmentPath(path) !== null) return true;
  if (!path.startsWith('/') || path.includes('%') || path.includes('\\')) return false;
  return !path
    .slice(1)
    .split('/')
    .some((segment, i, all) => segment === '.' || segment === '..' || (segment === '' && i < all.length - 1));
}

/**
 * Browser mode: the same handlers as the desktop IPC, served over HTTP on loopback only. Three locks
 * keep other local processes and web pages out: the Host header must name loopback (DNS rebinding),
 * a foreign Origin is refused (cross-site requests), and every API call needs the per-launch token.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? (() => {});
  // forceCloseConnections: a browser's idle keep-alive socket must not hold up shutdown.
  const app = Fastify({ bodyLimit: MAX_INPUT_BYTES, logger: false, trustProxy: false, forceCloseConnections: true });
  let allowedHosts = new Set<string>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    const host = request.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      return send(reply, fail('FORBIDDEN', 'Host header is not this loopback host'));
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, '')) ) {
      return send(reply, fail('FORBIDDEN', 'Requests from another origin are refused'));
    }
    // The router matches the percent-decoded, normalised path, so a check on the raw string could be
    // walked around (`/%61pi/…`). Only paths whose raw form is what the router routes get through,
    // and the token check then asks the router which route it chose.
    if (!isCanonicalPath(request.url)) return send(reply, fail('NOT_FOUND', 'Non-canonical request path'));
    if (request.routeOptions.url?.startsWith('/api/') === true || request.url.startsWith('/api')) {
      const bearer = request.headers.authorization?.replace(/^Bearer /, '');
      const given = (request.headers[TOKEN_HEADER] as string | undefined) ?? bearer;
      if (!sameSecret(given, token)) return send(reply, fail('UNAUTHENTICATED', 'Missing or wrong launch token'));
    }
  });

  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? MAX_INPUT_BYTES;
      return send(reply, fail('PAYLOAD_TOO_LARGE', `Request body over ${limit} bytes`, { limit }));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return send(reply, fail('VALIDATION', `Malformed request: ${error.message}`));
    }
    log(`[web] ${error.message}`);
    return send(reply, fail('INTERNAL', 'Internal error'));
  });

  app.setNotFoundHandler((request, reply) => send(reply, fail('NOT_FOUND', `No route ${request.method} ${request.url.slice(0, 100)}`)));

  // Session ids are issued here and signed with a per-launch secret: a cookie value this host did
  // not issue (planted by another local process or page) is replaced, never adopted.
  const sessionSecret = randomBytes(32);
  const signature = (id: string) => createHmac('sha256', sessionSecret).update(id).digest('base64url');
  const issuedHere = (value: string) => {
    const [id, mac, ...rest] = value.split('.');
    return rest.length === 0 && id !== undefined && mac !== undefined && sameSecret(mac, signature(id));
  };
  const issue = (reply: FastifyReply): string => {
    const id = uuidv7();
    const value = `${id}.${signature(id)}`;
    reply.removeHeader('Set-Cookie');
    reply.header('Set-Cookie', `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict`);
    return value;
  };

  const call = async (method: string, request: FastifyRequest, reply: FastifyReply) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(reply, fail('VALIDATION', 'Content-Type must be application/json'));
    }
    let sessionId = readSessionCookie(request);
    if (sessionId === undefined || !issuedHere(sessionId)) sessionId = issue(reply);
    const result = await options.dispatch(method, request.body ?? {}, { sessionId, renewSessionId: () => issue(reply) });
    return send(reply, result);
  };
  // One route per method, each with its method's own body limit (file uploads get 32 MiB, everything
  // else MAX_INPUT_BYTES). Fastify checks Content-Length against it before reading, and counts the
  // bytes of a chunked body as they arrive. Unknown names fall through to the catch-all below.
  for (const method of methodNames) {
    app.post(`/api/${method}`, { bodyLimit: maxInputBytes(method) }, (request, reply) => call(method, request, reply));
  }
  app.post<{ Params: { method: string } }>('/api/:method', (request, reply) => call(request.params.method, request, reply));

  // An attachment by its ticket (attachments.link), at a path that ends in its file name.
  app.get('/files/:ticket/:name', async (request, reply) => {
    const wanted = parseAttachmentPath(request.url.split('?', 1)[0]!);
    if (wanted === null) return send(reply, fail('NOT_FOUND', 'Not an attachment path'));
    const result = await options.dispatch('attachments.open', { ticket: wanted.ticket }, { sessionId: readSessionCookie(request) ?? '' });
    if (!result.ok) return send(reply, result);
    return sendAttachment(reply, result.value as AttachmentContent, wanted.fileName);
  });

  if (options.rendererDir !== undefined && existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html', wildcard: false });
  }

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    launchUrl: `${url}/?token=${token}`,
    token,
    port,
    close: () => app.close(),
  };
}
