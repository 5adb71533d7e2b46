import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { HeadOfficeSessions } from './headOfficeSession.ts';
import type { HubClock } from './clock.ts';
import { registerConsoleSignIn } from './consoleSignIn.ts';
import { escape, html, page } from './consolePage.ts';
import { text } from './consoleText.ts';
import type { Storage } from './storage.ts';

/**
 * What is left of the hub's own console pages (every page is the console app's now: consoleApp.ts,
 * renderer/src/console): the HTML sign-out form and the NUL guard (to be removed with them).
 */
export interface ConsoleOptions {
  storage: Storage;
  /** Head-office sign-ins, shared with the console's JSON API (headOfficeApp.ts). */
  sessions: HeadOfficeSessions;
  /** Stamps head office's decisions (the hub's clock). */
  clock: HubClock;
  /** Publishes count in the hub's metrics like the admin API's (consoleReference.ts). */
  onReferencePublished: () => void;
  /** Route config limiting sign-in requests per address. */
  unauthenticated: FastifyContextConfig;
}

const holdsNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(holdsNul) : false;

export function registerConsole(app: FastifyInstance, options: ConsoleOptions): void {
  app.register(async (console) => {
    console.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // PostgreSQL text cannot hold NUL (U+0000): a query or form value carrying one is refused here, in
    // words, for every console page at once, instead of reaching a query and failing there as a 500.
    console.addHook('preValidation', async (request, reply) => {
      const body = request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? Object.values(request.body) : [];
      if (![...Object.values((request.query ?? {}) as object), ...body].some(holdsNul)) return;
      return html(reply, 400, page(text('input.nul.title'), `<p class="warn" role="alert">${escape(text('input.nul'))}</p>`, false));
    });
    registerConsoleSignIn(console, options);
  });
}
