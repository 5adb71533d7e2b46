import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { headOfficeRoleLabels } from '../shared/domain/headOfficeRoles.ts';
import { escape, html, page } from './consolePage.ts';
import { text } from './consoleText.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, sameOrigin, type HeadOfficeSessions, type SignedIn } from './headOfficeSession.ts';
import { bodyLimits, limitedTo } from './http.ts';
import type { Storage } from './storage.ts';

/**
 * What the console's remaining HTML pages (registers, records, approvals, reference data, statistics)
 * need of the sign-in: the person behind a page, and the sign-out their header's form posts. Signing
 * in, head office's people and the audit trail are the console app's pages (renderer/src/console),
 * over the JSON API (headOfficeApp.ts); a page here sends a signed-out visitor to the app's sign-in.
 */
export interface ConsoleSignInOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
}

type Form = Record<string, string | undefined>;

/** The hidden field a page's form carries its session's CSRF token in. */
export const csrfField = (signedIn: SignedIn) => `<input type="hidden" name="_csrf" value="${escape(signedIn.session.csrfToken)}">`;

/**
 * The person behind a page: signed in, with the permission and — for a form's POST — the session's
 * CSRF token and the console's Origin; else the page that says why (sign-in, or a refusal in words).
 */
export async function pageUser(
  sessions: HeadOfficeSessions,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Parameters<HeadOfficeSessions['authorize']>[1],
): Promise<SignedIn | null> {
  const csrf = (request.body as Form | undefined)?._csrf;
  try {
    return await sessions.authorize(request, permission, typeof csrf === 'string' ? csrf : undefined);
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    if (error.code === 'UNAUTHENTICATED') {
      await reply.redirect('/console/login', 303);
      return null;
    }
    const signedIn = await sessions.signedIn(request);
    const message = error.details?.reason === 'ROLE' && signedIn !== undefined ? text('console.forbidden', { role: headOfficeRoleLabels[signedIn.user.role].zh }) : text('console.csrf');
    await html(reply, 403, page(text('console.title'), `<p class="warn">${escape(message)}</p>`, signedIn?.user ?? true));
    return null;
  }
}

export function registerConsoleSignIn(console: FastifyInstance, options: ConsoleSignInOptions): void {
  const { storage, sessions } = options;

  // The sign-out button of an HTML page's header (the app signs out through the API instead).
  console.post('/console/logout', limitedTo(bodyLimits.consoleForm), async (request, reply) => {
    if (!sameOrigin(request, sessions.tls)) return html(reply, 403, page(text('signOut.submit'), `<p class="warn">${escape(text('signOut.origin'))}</p>`));
    const signedIn = await sessions.signedIn(request);
    if (signedIn !== undefined) {
      await sessions.end(signedIn.id);
      await storage.transaction((tx) => appendHeadOfficeAudit(tx, actorOf(signedIn.user), { action: 'sign_out', recordType: 'head_office_user', recordId: signedIn.user.id }));
    }
    return reply.header('set-cookie', sessions.cookie('', '; Max-Age=0')).redirect('/console/login', 303);
  });
}
