import type { MethodName } from './contract.ts';
import { MAX_INPUT_BYTES, MAX_UPLOAD_INPUT_BYTES } from './result.ts';

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
  'setup.join',
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
  'enterprises.remove',
  'enterprises.addRating',
  'enterprises.saveFinancials',
  'enterprises.saveIndicators',
  'enterprises.importPreview',
  'enterprises.importRun',
  'enterprises.export',
  'loans.list',
  'loans.get',
  'loans.create',
  'loans.update',
  'loans.recordSnapshot',
  'loans.snapshots',
  'loans.importPreview',
  'loans.importRun',
  'loans.export',
  'green.catalogue',
  'green.tag',
  'green.saveTag',
  'green.confirm',
  'green.greenwashing',
  'green.summary',
  'greenFactory.quarter',
  'greenFactory.get',
  'greenFactory.create',
  'greenFactory.recordContact',
  'greenFactory.export',
  'collateral.list',
  'collateral.totals',
  'collateral.export',
  'collateral.get',
  'collateral.create',
  'collateral.update',
  'collateral.act',
  'collateral.revalue',
  'collateral.linkLoan',
  'collateral.terms',
  'cases.list',
  'cases.counts',
  'cases.get',
  'cases.create',
  'cases.update',
  'cases.act',
  'cases.addFollowUp',
  'attachments.list',
  'attachments.add',
  'attachments.get',
  'attachments.link',
  'attachments.open',
  'attachments.remove',
  'credit.list',
  'credit.get',
  'credit.gate',
  'credit.create',
  'credit.update',
  'credit.act',
  'credit.override',
  'backup.list',
  'backup.create',
  'backup.restore',
  'sync.status',
  'sync.now',
  'sync.enroll',
  'sync.conflicts',
  'sync.quarantine',
  'sync.rejections',
  'sync.resolve',
] as const satisfies readonly MethodName[];

/**
 * The contract's per-method `maxInputBytes`, zod-free for electron/main's IPC relay; contract.test.ts
 * keeps it equal to the contract.
 */
export const methodInputLimits: Partial<Record<MethodName, number>> = {
  'enterprises.importPreview': MAX_UPLOAD_INPUT_BYTES,
  'enterprises.importRun': MAX_UPLOAD_INPUT_BYTES,
  'loans.importPreview': MAX_UPLOAD_INPUT_BYTES,
  'loans.importRun': MAX_UPLOAD_INPUT_BYTES,
  'attachments.add': MAX_UPLOAD_INPUT_BYTES,
};

/** Largest serialized input a transport accepts for a method (unknown names get the global cap). */
export function maxInputBytes(method: string): number {
  return Object.hasOwn(methodInputLimits, method) ? methodInputLimits[method as MethodName]! : MAX_INPUT_BYTES;
}

/** IPC channel for one method: one channel per named method, never a generic invoke. */
export const ipcChannel = (method: MethodName): string => `gl:${method}`;
