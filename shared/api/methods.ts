import type { MethodName } from './contract.ts';

/**
 * The method names as a plain list, free of zod, so the sandboxed preload bundle stays tiny.
 * `satisfies` plus the exhaustiveness test in contract.test.ts keep it equal to the contract.
 */
export const methodNames = ['app.info', 'settings.get', 'settings.update'] as const satisfies readonly MethodName[];

/** IPC channel for one method: one channel per named method, never a generic invoke. */
export const ipcChannel = (method: MethodName): string => `gl:${method}`;
