import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONSOLE_API } from '../shared/api/console.ts';
import { escape, html } from './consolePage.ts';
import { HubError } from './errors.ts';
import { text } from './consoleText.ts';

/**
 * The console as a web application (issue 18): the React build of renderer/console (`npm run build`
 * writes it to dist/console, base path /console/) served by the hub. The app's own pages
 * (/console, /console/login, /console/users, /console/audit, …) all answer with its index.html — the
 * client routes them — while the pages not yet ported keep their own, more specific routes
 * (console.ts), which the router prefers to the wildcard. Without a build the console says so in words
 * (503) instead of a bare 404.
 *
 * The app is static: it holds no data and no secret, and everything it shows comes from /console/api
 * behind the session. Its CSP allows scripts from the hub itself only; styles may be inline because
 * antd writes its CSS-in-JS into <style> elements (as in the laptop's window).
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../dist/console', import.meta.url));

const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

function strictHeaders(reply: { header: (name: string, value: string) => unknown }): void {
  reply.header('content-security-policy', APP_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
}

export function registerConsoleApp(app: FastifyInstance, dir: string = DEFAULT_CONSOLE_DIR): void {
  const indexFile = join(dir, 'index.html');
  // Any address under the API that no endpoint answers is the API's 404, never the app's page.
  app.all(`${CONSOLE_API}/*`, async () => {
    throw new HubError('NOT_FOUND', 'No such console API endpoint');
  });

  if (!existsSync(indexFile)) {
    const missing = async (_request: unknown, reply: FastifyReply) =>
      html(reply, 503, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(text('app.missing.title'))}</title></head><body style="font-family:sans-serif;padding:24px"><h1>${escape(text('app.missing.title'))}</h1><p>${escape(text('app.missing'))}</p><p lang="en">${escape(text('app.missing', {}, 'en'))}</p></body></html>`);
    app.get('/console', missing);
    app.get('/console/*', missing);
    return;
  }

  // Read once: the build does not change under a running hub (a new build comes with a restart).
  const index = readFileSync(indexFile);
  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    strictHeaders(reply);
    // Never cached: a new build's asset names reach the browser at the next load.
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(index);
  };

  // The build's files, each its own route (wildcard: false), so the client routes below stay the
  // wildcard's and a missing asset is a 404 instead of the page. In a scope of their own, whose
  // onSend runs after the hub's (which marks every answer no-store) and lets hashed assets be cached.
  app.register(async (scope) => {
    scope.addHook('onSend', async (request, reply, payload) => {
      strictHeaders(reply);
      // Vite names assets by their content's hash: safe to keep for a year; the rest is revalidated.
      reply.header('cache-control', request.url.startsWith('/console/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return payload;
    });
    await scope.register(fastifyStatic, { root: dir, prefix: '/console/', wildcard: false, index: false, serveDotFiles: false });
  });
  app.get('/console/assets/*', async () => {
    throw new HubError('NOT_FOUND', 'No such file in the console build');
  });
  app.get('/console', sendIndex);
  app.get('/console/*', sendIndex);
}
