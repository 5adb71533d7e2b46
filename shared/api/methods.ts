import type { MethodName } from './contract.ts';

/**
 * The method names as a plain list, free of zod, so the sandboxed preload bundle stays tiny.
 * `satisfies` plus the exhaustiveness test in contract.test.ts keep it equal to the contract.
 */
export const methodNames = [
  'app.info',
  'settings.get',
  'settings.update',
  'settings.updateSecurity',
  'setup.status',
  'setup.initialize',
  'session.get',
  'session.login',
  'session.logout',
  'session.unlock',
  'session.heartbeat',
  'users.list',
  'users.create',
  'users.update',
  'users.resetPassword',
  'users.changeOwnPassword',
  'audit.list',
  'audit.export',
  'audit.verify',
  'records.history',
  'enterprises.list',
  'enterprises.get',
  'enterprises.create',
  'enterprises.update',
  'enterprises.addRating',
  'enterprises.saveFinancials',
  'enterprises.saveIndicators',
] as const satisfies readonly MethodName[];

/** IPC channel for one method: one channel per named method, never a generic invoke. */
export const ipcChannel = (method: MethodName): string => `gl:${method}`;
