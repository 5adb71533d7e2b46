import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { HeadOfficeSessions } from './headOfficeSession.ts';
import type { HubClock } from './clock.ts';
import { registerConsoleApprovals } from './consoleApprovals.ts';
import { registerConsoleRecords } from './consoleRecords.ts';
import { registerConsoleSignIn } from './consoleSignIn.ts';
import { escape, html, page } from './consolePage.ts';
import { text } from './consoleText.ts';
import type { Storage } from './storage.ts';

/**
 * The head-office console's pages not yet ported to the console app (consoleApp.ts, renderer/src/console):
 * pages served by the hub itself (no script): a record's page (consoleRecords.ts) and the queue of
 * applications escalated to head office (consoleApprovals.ts) (the cross-branch registers, statistics
 * and reference data are the app's). A head-office person signs in in the app (headOfficeSession.ts, the
 * gl_ho cookie, which these pages share); the admin token opens nothing here. Sign-out from these
 * pages is a POST (Origin checked, consoleSignIn.ts), so no link elsewhere ends it.
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
    registerConsoleApprovals(console, options);
    registerConsoleRecords(console, options);
  });
}
