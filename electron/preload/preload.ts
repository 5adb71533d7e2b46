import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, methodNames } from '../../shared/api/methods.ts';
import type { HostApi } from '../../shared/api/client.ts';
import type { MethodName } from '../../shared/api/contract.ts';
import type { Result } from '../../shared/api/result.ts';

/**
 * The sandboxed preload: exposes window.greenledger with one named function per host API method,
 * each bound to its own IPC channel. There is deliberately no generic invoke(channel, …), so the page
 * can reach exactly the contract methods and nothing else. Only type imports besides methods.ts, so
 * this bundle carries no zod.
 */
const unavailable: Result<never> = {
  ok: false,
  error: { code: 'HOST_UNAVAILABLE', message: 'The desktop host did not answer' },
};

/** One bridge function per listed name; the mapped return type lets `satisfies HostApi` check the list is complete. */
function bridge<const Names extends readonly MethodName[]>(names: Names): { [M in Names[number]]: HostApi[M] } {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of names) {
    const channel = ipcChannel(name);
    // Main always answers a Result; a rejected invoke (no handler, main gone) becomes one too.
    api[name] = (input) => ipcRenderer.invoke(channel, input).catch(() => unavailable);
  }
  return api as { [M in Names[number]]: HostApi[M] };
}

const api = bridge(methodNames) satisfies HostApi;

contextBridge.exposeInMainWorld('greenledger', api);
