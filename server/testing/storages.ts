import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPgliteStorage, createPostgresStorage, type Storage } from '../storage.ts';

/**
 * The storages the hub's suites run against, for describe.each: the embedded default always, and a
 * real PostgreSQL when HUB_TEST_DATABASE_URL is set (server/testing/pg15.sh prints one). Each open()
 * gets a fresh database: a temporary PGlite directory, or a schema of its own on the server,
 * dropped again by cleanup().
 */
export interface TestStorage {
  name: string;
  open(): Promise<{ storage: Storage; cleanup: () => Promise<void> }>;
  /** For a hub process (`npm run headoffice`): the environment selecting this storage. */
  processEnv(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
}

async function withClient(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const freshSchema = () => `hub_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;

export function testStorages(): TestStorage[] {
  const storages: TestStorage[] = [
    {
      name: 'embedded PGlite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'gl-hub-'));
        const storage = await createPgliteStorage(dir);
        return {
          storage,
          cleanup: async () => {
            await storage.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
      // no DATABASE_URL: the hub opens its embedded default under HEADOFFICE_DATA_DIR
      processEnv: async () => ({ env: { DATABASE_URL: '' }, cleanup: async () => {} }),
    },
  ];
  const url = process.env.HUB_TEST_DATABASE_URL;
  if (url !== undefined && url !== '') {
    storages.push({
      name: 'PostgreSQL',
      async open() {
        const schema = freshSchema();
        await withClient(url, `CREATE SCHEMA ${schema}`);
        const storage = createPostgresStorage(url, { schema });
        return {
          storage,
          cleanup: async () => {
            await storage.close();
            await withClient(url, `DROP SCHEMA ${schema} CASCADE`);
          },
        };
      },
      async processEnv() {
        const schema = freshSchema();
        await withClient(url, `CREATE SCHEMA ${schema}`);
        const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        return { env: { DATABASE_URL: withSchema }, cleanup: () => withClient(url, `DROP SCHEMA ${schema} CASCADE`) };
      },
    });
  }
  return storages;
}
