import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, pageCacheKiB, PLAIN_SQLITE_HEADER } from './open.ts';
import { StoreError } from './errors.ts';
import { tempStoreDir } from './testing.ts';

describe('openDatabase', () => {
  let store = tempStoreDir();
  afterEach(() => {
    store.cleanup();
    store = tempStoreDir();
  });

  function writeSample(): void {
    const db = openDatabase(store.file, { keyHex: store.keyHex });
    db.exec(`CREATE TABLE sample (name TEXT); INSERT INTO sample VALUES ('华盛建材有限公司')`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }

  it('creates greenledger.db, -wal and -shm readable by their owner only, and narrows older 0644 files', () => {
    const previous = process.umask(0o022); // the usual default: new files would be 0644
    try {
      const mode = (path: string) => statSync(path).mode & 0o777;
      const db = openDatabase(store.file, { keyHex: store.keyHex });
      db.exec(`CREATE TABLE sample (name TEXT); INSERT INTO sample VALUES ('华盛建材有限公司')`);
      expect([mode(store.file), mode(`${store.file}-wal`), mode(`${store.file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      db.close();
      // A database left 0644 by an older version, with its WAL files, is narrowed when opened.
      chmodSync(store.file, 0o644);
      writeFileSync(`${store.file}-wal`, '');
      chmodSync(`${store.file}-wal`, 0o644);
      openDatabase(store.file, { keyHex: store.keyHex }).close();
      expect(mode(store.file)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('writes a file without the plain SQLite header and without readable content', () => {
    writeSample();
    const bytes = readFileSync(store.file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe(PLAIN_SQLITE_HEADER);
    expect(bytes.includes(Buffer.from('华盛建材', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('CREATE TABLE', 'utf8'))).toBe(false);
  });

  it('keeps the write-ahead log encrypted too: committed rows not yet checkpointed are not readable in -wal', () => {
    const walHolds = (keyHex: string | undefined, text: string): boolean => {
      const db = openDatabase(store.file, keyHex === undefined ? {} : { keyHex });
      db.pragma('wal_autocheckpoint = 0'); // the rows stay in -wal while the connection is open
      db.exec(`CREATE TABLE IF NOT EXISTS sample (name TEXT); INSERT INTO sample VALUES ('${text}')`);
      const wal = readFileSync(`${store.file}-wal`);
      db.close();
      expect(wal.length).toBeGreaterThan(0);
      return wal.includes(Buffer.from(text, 'utf8'));
    };
    expect(walHolds(store.keyHex, '浮梁华盛建材有限公司')).toBe(false);
    // The same check sees plaintext in an unencrypted database's log: it can fail.
    store.cleanup();
    store = tempStoreDir();
    expect(walHolds(undefined, '浮梁华盛建材有限公司')).toBe(true);
  });

  it('reads back with the right key', () => {
    writeSample();
    const db = openDatabase(store.file, { keyHex: store.keyHex });
    expect(db.prepare('SELECT name FROM sample').pluck().get()).toBe('华盛建材有限公司');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('fails clearly without a key', () => {
    writeSample();
    expect(() => openDatabase(store.file)).toThrowError(/encrypted and no key was given/);
    try {
      openDatabase(store.file);
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('DB_KEY_INVALID');
    }
  });

  it('fails clearly with a wrong key', () => {
    writeSample();
    const wrongKey = randomBytes(32).toString('hex');
    expect(() => openDatabase(store.file, { keyHex: wrongKey })).toThrowError(/key is wrong/);
  });

  it('refuses a malformed key before touching the file', () => {
    expect(() => openDatabase(store.file, { keyHex: 'not-hex' })).toThrowError(StoreError);
  });
});

describe('pageCacheKiB', () => {
  it('bounds the page cache by a sixteenth of the memory, between 64 and 512 MiB, and every connection uses it', () => {
    const GiB = 2 ** 30;
    expect([0.5, 2, 4, 6, 8, 32].map((gib) => pageCacheKiB(gib * GiB) / 1024)).toEqual([64, 128, 256, 384, 512, 512]);
    const db = openDatabase(':memory:');
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-pageCacheKiB());
    } finally {
      db.close();
    }
  });
});
