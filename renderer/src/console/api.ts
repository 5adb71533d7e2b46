import { consoleEndpoints, consoleResultSchema, CSRF_HEADER, type ConsoleEndpointName, type ConsoleInput, type ConsoleOutput } from '../../../shared/api/console.ts';
import type { SyncError } from '../../../shared/sync/protocol.ts';

/**
 * The console app's one way to the hub: an endpoint of the contract (shared/api/console.ts), its
 * input checked with the endpoint's schema before it leaves, its answer parsed with the endpoint's
 * schema when it comes back. A state change carries the session's CSRF token (the cookie goes by
 * itself: same origin, HttpOnly — the app never sees it, nor any admin token).
 */
export type ConsoleError = SyncError | { code: 'NETWORK'; message: string } | { code: 'UNEXPECTED'; message: string };
export type ConsoleResult<T> = { ok: true; value: T } | { ok: false; error: ConsoleError };

let csrfToken: string | null = null;
/** Set when a session starts or is found (GET session), cleared at sign-out. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** Called on any UNAUTHENTICATED answer, so the app goes back to its sign-in. */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (handler: () => void) => {
  onSignedOut = handler;
};

export async function consoleCall<N extends ConsoleEndpointName>(name: N, input: ConsoleInput<N>, params: Record<string, string> = {}): Promise<ConsoleResult<ConsoleOutput<N>>> {
  const endpoint = consoleEndpoints[name];
  const checked = endpoint.input.safeParse(input);
  if (!checked.success) {
    const issues = checked.error.issues.map((issue) => ({ path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)), code: issue.code, message: issue.message }));
    return { ok: false, error: { code: 'VALIDATION', message: checked.error.message, details: { issues } } };
  }
  let path: string = endpoint.path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (endpoint.method === 'GET') {
    // A list goes as the key repeated (branch=a&branch=b), as the hub's query parser reads it; unset values are left out.
    const query = new URLSearchParams(
      Object.entries((input ?? {}) as Record<string, unknown>).flatMap(([key, value]) => (value === undefined ? [] : [value].flat().map((item) => [key, String(item)]))),
    ).toString();
    if (query !== '') path += `?${query}`;
  } else {
    headers['content-type'] = 'application/json';
    if (csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
    body = JSON.stringify(input);
  }
  let response: Response;
  try {
    response = await fetch(path, { method: endpoint.method, headers, body, credentials: 'same-origin' });
  } catch (error) {
    return { ok: false, error: { code: 'NETWORK', message: String(error) } };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { ok: false, error: { code: 'UNEXPECTED', message: `HTTP ${response.status} without JSON` } };
  }
  const parsed = consoleResultSchema(name).safeParse(json);
  if (!parsed.success) return { ok: false, error: { code: 'UNEXPECTED', message: parsed.error.message } };
  const result = parsed.data as ConsoleResult<ConsoleOutput<N>>;
  if (!result.ok && result.error.code === 'UNAUTHENTICATED' && name !== 'session.signIn' && name !== 'session.get') onSignedOut();
  return result;
}
