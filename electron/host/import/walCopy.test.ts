import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStoreDir } from '../../../db/testing.ts';
import { closeStore, openStore, type Store } from '../store.ts';
import { copyWalInBackground, walCopyEndedSync } from './walCopy.ts';

describe('copying a WAL on a thread of its own (walCopy.ts)', () => {
  let store: Store | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    if (store !== undefined) closeStore(store);
    cleanup?.();
    store = undefined;
  });

  function storeWithLongWal(): Store {
    const temp = tempStoreDir();
    cleanup = temp.cleanup;
    store = openStore(temp.dir, temp.keyHex);
    const { db } = store;
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 4_000; i += 1) insert.run(`${i}:`.padEnd(1_000, 'x'));
    })();
    return store;
  }

  it('copies every frame while this thread reads and writes, a deferred transaction included, and loses nothing', async () => {
    const { db, file, keyHex } = storeWithLongWal();
    const before = statSync(`${file}-wal`).size;
    expect(before).toBeGreaterThan(4_000_000);
    const copy = copyWalInBackground(file, keyHex);
    // The host goes on: a transaction that reads before it writes (BEGIN DEFERRED) must not meet
    // "database is locked" because of the copy.
    for (let i = 0; i < 50; i += 1) {
      db.transaction(() => {
        const n = db.prepare('SELECT count(*) FROM filler').pluck().get() as number;
        db.prepare('INSERT INTO filler (body) VALUES (?)').run(`during ${n}`);
      })();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const copied = await copy;
    expect(copied.busy).toBe(0);
    expect(copied.copied).toBeGreaterThan(1_000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(`${file}-wal`).size).toBe(0);
    expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(4_050);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('lets closing the store wait for the copy, so the folder can go at once', () => {
    const { file, keyHex } = storeWithLongWal();
    void copyWalInBackground(file, keyHex);
    closeStore(store!);
    store = undefined;
    expect(walCopyEndedSync(file, 0)).toBe(true);
    // cleanup (afterEach) removes the folder: it failed with ENOTEMPTY when the copy's connection
    // was still writing its files.
  });

  it('refuses a key that is not 64 hex characters', async () => {
    await expect(copyWalInBackground('/nowhere', "x'; --")).rejects.toThrow(/64 hex/);
  });
});
