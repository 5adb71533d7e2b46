import { hkdfSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Db } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import { DATABASE_FILE } from './dataDir.ts';
import { walCopyEndedSync } from './import/walCopy.ts';

export interface Store {
  db: Db;
  file: string;
  clientId: string;
  /** The database key: backups are proven to open with it before they are kept. */
  keyHex: string;
  /** AES-256-GCM key for attachment files at rest, derived from the database key (never stored). */
  attachmentKey: Buffer;
}

/** HKDF-SHA256 of the database key with a purpose label: one secret to keep, separate keys per use. */
export function deriveAttachmentKey(keyHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(keyHex, 'hex'), Buffer.from('greenledger'), Buffer.from('attachments/aes-256-gcm/v1'), 32));
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
  return { db, file, clientId, keyHex, attachmentKey: deriveAttachmentKey(keyHex) };
}

/**
 * Closes the store's connection once a bulk import's WAL copy (import/walCopy.ts), if one runs on
 * its own thread, has let go of the file: whoever closes the store next moves, restores or removes
 * it. A copy that does not end in time is left to finish; the file stays valid either way.
 */
export function closeStore(store: Store): void {
  walCopyEndedSync(store.file);
  if (store.db.open) store.db.close();
}
