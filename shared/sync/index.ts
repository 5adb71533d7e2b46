export * from './protocol.ts';
export * from './admin.ts';
export * from './hlc.ts';
export * from './tables.ts';
