import type { FastifyReply } from 'fastify';

/**
 * The one page the hub still writes itself (consoleApp.ts: the console is not built), under a strict
 * CSP (no script at all), every value escaped. Every console page is the app's (renderer/src/console).
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
