export { createHub, type Hub, type HubOptions } from './hub.ts';
export { createPgliteStorage, createPostgresStorage, openStorage, type Sql, type Storage } from './storage.ts';
export { migrateHub } from './migrate.ts';
export { hubConfig, adminToken } from './config.ts';
