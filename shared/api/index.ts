export * from './contract.ts';
export * from './result.ts';
export * from './methods.ts';
export type { HostApi } from './client.ts';
export * from './enterprises.ts';
export * from './imports.ts';
export * from './loans.ts';
export * from './operations.ts';
export * from './text.ts';
