import type { HostApi, MethodName, Result } from '../../shared/api/index.ts';
import { methodNames } from '../../shared/api/methods.ts';

declare global {
  interface Window {
    /** Present only in the desktop app, exposed by electron/preload. */
    greenledger?: HostApi;
  }
}

const TOKEN_KEY = 'greenledger.token';

/**
 * Browser mode receives its per-launch token in the launch URL. Keep it for this tab only
 * (sessionStorage) and take it out of the address bar at once, so it is not bookmarked or shared.
 */
export function takeLaunchToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpHost(token: string): HostApi {
  const call = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    try {
      const response = await fetch(`./api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-greenledger-token': token },
        credentials: 'same-origin',
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as Result<unknown>;
    } catch (error) {
      return { ok: false, error: { code: 'HOST_UNAVAILABLE', message: String(error) } };
    }
  };
  return Object.fromEntries(methodNames.map((method) => [method, (input: unknown) => call(method, input)])) as HostApi;
}

export type HostConnection = { kind: 'desktop' | 'browser'; api: HostApi } | { kind: 'missing-token' };

export function connectHost(): HostConnection {
  if (window.greenledger !== undefined) return { kind: 'desktop', api: window.greenledger };
  const token = takeLaunchToken();
  return token === null ? { kind: 'missing-token' } : { kind: 'browser', api: httpHost(token) };
}
