import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Db } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import { DATABASE_FILE } from './dataDir.ts';

export interface Store {
  db: Db;
  file: string;
  clientId: string;
}

/** Opens the branch database in dataDir, brings its schema up to date and makes sure it has an identity. */
export function openStore(dataDir: string, keyHex: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATABASE_FILE);
  const db = openDatabase(file, { keyHex });
  try {
    migrate(db);
    db.prepare(`INSERT OR IGNORE INTO device (singleton, client_id, created_at) VALUES (1, ?, ?)`).run(
      uuidv7(),
      new Date().toISOString(),
    );
  } catch (error) {
    db.close();
    throw error;
  }
  const clientId = db.prepare('SELECT client_id FROM device').pluck().get() as string;
  return { db, file, clientId };
}
