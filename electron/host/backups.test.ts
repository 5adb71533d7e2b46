import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStoreDir } from '../../db/testing.ts';
import { insertRecord, updateRecord, type Actor } from '../../db/records.ts';
import { BackupError, contentHash } from '../../db/backup.ts';
import { PLAIN_SQLITE_HEADER } from '../../db/open.ts';
import { loadMigrations } from '../../db/migrate.ts';
import { writeSettings } from '../../db/settings.ts';
import { openStore, type Store } from './store.ts';
import { DATABASE_FILE } from './dataDir.ts';
import {
  backupKeep,
  dailyBackupDue,
  listBackups,
  restoreBackup,
  RestoreError,
  runBackup,
  shanghaiStamp,
  startDailyBackups,
  DEFAULT_KEEP,
} from './backups.ts';

const t0 = new Date('2026-11-22T16:30:05Z'); // 2026-11-23 00:30:05 in Beijing
const BRANCH_NAME = '华盛建材有限公司县支行';
const actor: Actor = { userId: 'u-admin', userName: '张三', branchId: 'b1' };

function seed(store: Store): void {
  insertRecord(store.db, 'branch', { name: BRANCH_NAME, code: 'HS-01', division_code: '330782' }, actor, t0, 'b1');
  for (let i = 0; i < 50; i += 1) {
    insertRecord(store.db, 'users', { username: `user${i}`, display_name: `客户经理${i}号`, role: 'loan_officer', password_hash: `scrypt$x$${i}` }, actor, t0);
  }
}

const hours = (n: number) => new Date(t0.getTime() + n * 3_600_000);

describe('branch backup policy', () => {
  let temp: ReturnType<typeof tempStoreDir>;
  let store: Store;

  const reopen = () => (store = openStore(temp.dir, temp.keyHex));
  const closeCurrent = () => store.db.close();

  beforeEach(() => {
    temp = tempStoreDir();
    store = openStore(temp.dir, temp.keyHex);
    seed(store);
  });
  afterEach(() => {
    if (store.db.open) store.db.close();
    temp.cleanup();
  });

  it('names backups by Beijing time and knows when the daily one is due', () => {
    expect(shanghaiStamp(t0)).toEqual({ date: '20261123', time: '003005' });
    expect(dailyBackupDue(temp.dir, t0)).toBe(true);
    const run = runBackup(store, temp.dir, temp.keyHex, t0);
    expect(run.backup.file).toBe(join(temp.dir, 'backups', 'greenledger-20261123-003005.glbak'));
    expect(listBackups(temp.dir)).toEqual([
      expect.objectContaining({ name: 'greenledger-20261123-003005.glbak', date: '20261123', takenAt: new Date('2026-11-22T16:30:05Z'), bytes: run.backup.bytes }),
    ]);
    expect(dailyBackupDue(temp.dir, hours(23))).toBe(false); // 23:30 the same Beijing day
    expect(dailyBackupDue(temp.dir, hours(24))).toBe(true); // next Beijing day
    // Two backups within one second do not collide.
    const again = runBackup(store, temp.dir, temp.keyHex, t0);
    expect(again.backup.file).toMatch(/greenledger-20261123-003005-2\.glbak$/);
    expect(listBackups(temp.dir).map((b) => b.name)).toEqual(['greenledger-20261123-003005-2.glbak', 'greenledger-20261123-003005.glbak']);
  });

  it('the backup file is encrypted: no plaintext header and no readable Chinese text', () => {
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    const bytes = readFileSync(backup.file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe(PLAIN_SQLITE_HEADER);
    expect(bytes.includes(Buffer.from(BRANCH_NAME, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('客户经理', 'utf8'))).toBe(false);
  });

  it('rotation keeps the newest 7 by default and the configured number otherwise', () => {
    expect(backupKeep(store.db)).toBe(DEFAULT_KEEP);
    for (let day = 0; day < 9; day += 1) runBackup(store, temp.dir, temp.keyHex, hours(24 * day));
    const kept = listBackups(temp.dir);
    expect(kept).toHaveLength(7);
    expect(kept[0]?.date).toBe('20261201');
    expect(kept[6]?.date).toBe('20261125');

    writeSettings(store.db, { backupKeep: 3 }, t0);
    const run = runBackup(store, temp.dir, temp.keyHex, hours(24 * 9));
    expect(run.rotated).toHaveLength(5);
    expect(listBackups(temp.dir).map((b) => b.date)).toEqual(['20261202', '20261201', '20261130']);

    store.db.prepare(`DELETE FROM settings WHERE key = 'backupKeep'`).run();
    writeSettings(store.db, { 'backup.keep': 2 }, t0);
    expect(backupKeep(store.db)).toBe(2);
    writeSettings(store.db, { 'backup.keep': 'lots' }, t0);
    expect(backupKeep(store.db)).toBe(DEFAULT_KEEP);
    // Files that are not policy backups are never rotated away.
    writeFileSync(join(temp.dir, 'backups', 'manual-copy.glbak'), 'x');
    writeSettings(store.db, { 'backup.keep': 1 }, t0);
    runBackup(store, temp.dir, temp.keyHex, hours(24 * 10));
    expect(readdirSync(join(temp.dir, 'backups')).sort()).toEqual(['greenledger-20261203-003005.glbak', 'manual-copy.glbak']);
  });

  it('keeps the encrypted attachment files with the backups and brings back any the data folder lost', () => {
    const blob = join(temp.dir, 'attachments', 'ab', 'ab'.padEnd(64, '0'));
    mkdirSync(join(temp.dir, 'attachments', 'ab'), { recursive: true });
    writeFileSync(blob, randomBytes(64));
    const original = readFileSync(blob);
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    rmSync(join(temp.dir, 'attachments'), { recursive: true });
    restoreBackup(temp.dir, temp.keyHex, backup.file, { closeCurrent, reopen, now: hours(1) });
    expect(readFileSync(blob)).toEqual(original);
  });

  it('backup → delete rows → restore gives identical data', () => {
    const before = contentHash(store.db);
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    // Data loss and later changes: rows removed outright, others edited (audited).
    store.db.prepare(`DELETE FROM users WHERE username LIKE 'user1%'`).run();
    updateRecord(store.db, 'branch', 'b1', { name: '改名支行' }, actor, hours(1));
    expect(contentHash(store.db).sha256).not.toBe(before.sha256);

    const result = restoreBackup(temp.dir, temp.keyHex, backup.file, { closeCurrent, reopen, now: hours(2) });
    expect(result.store).toBe(store);
    const after = contentHash(store.db);
    expect(after.rowCounts).toEqual(before.rowCounts);
    expect(after.sha256).toBe(before.sha256);
    expect(result.restoredContentSha256).toBe(before.sha256);
    expect(result.report.rowCounts.users).toBe(50);
    // The replaced database is kept aside until the next successful backup.
    expect(result.preRestoreDir).toBe(join(temp.dir, 'pre-restore-20261123-023005'));
    expect(readdirSync(result.preRestoreDir as string)).toContain(DATABASE_FILE);
    const next = runBackup(store, temp.dir, temp.keyHex, hours(3));
    expect(next.clearedPreRestore).toEqual([result.preRestoreDir]);
    expect(existsSync(result.preRestoreDir as string)).toBe(false);
    // The restored database is live and writable, in WAL mode again.
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    insertRecord(store.db, 'users', { username: 'newcomer', display_name: '新人', role: 'loan_officer', password_hash: 'h' }, actor, hours(4));
  });

  it('backup → database file removed (disk failure) → restore gives identical data', () => {
    const before = contentHash(store.db);
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    store.db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(temp.dir, DATABASE_FILE + suffix), { force: true });

    const result = restoreBackup(temp.dir, temp.keyHex, backup.file, { closeCurrent: () => undefined, reopen });
    expect(result.preRestoreDir).toBeNull();
    expect(contentHash(store.db)).toEqual(before);
  });

  describe('refused backups leave the current database untouched', () => {
    function expectRefused(file: string, code: BackupError['code']): void {
      const before = contentHash(store.db).sha256;
      let closed = 0;
      try {
        restoreBackup(temp.dir, temp.keyHex, file, { closeCurrent: () => (closed += 1), reopen });
        throw new Error('restore was not refused');
      } catch (error) {
        expect(error).toBeInstanceOf(BackupError);
        expect((error as BackupError).code).toBe(code);
      }
      expect(closed).toBe(0);
      expect(store.db.open).toBe(true);
      expect(contentHash(store.db).sha256).toBe(before);
      expect(readdirSync(temp.dir).filter((name) => name.startsWith('pre-restore') || name.endsWith('.restoring'))).toEqual([]);
      // And it still opens from disk.
      const reopened = openStore(temp.dir, temp.keyHex);
      expect(contentHash(reopened.db).sha256).toBe(before);
      reopened.db.close();
    }

    it('a corrupt backup (bytes flipped in the middle)', () => {
      const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
      const bytes = readFileSync(backup.file);
      const middle = Math.floor(bytes.length / 2);
      for (let i = 0; i < 32; i += 1) bytes[middle + i] = (bytes[middle + i] ?? 0) ^ 0x5a;
      writeFileSync(backup.file, bytes);
      insertRecord(store.db, 'users', { username: 'after', display_name: '之后', role: 'admin', password_hash: 'h' }, actor, hours(1));
      expectRefused(backup.file, 'BACKUP_CORRUPT');
    });

    it('a truncated backup', () => {
      const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
      const bytes = readFileSync(backup.file);
      writeFileSync(backup.file, bytes.subarray(0, Math.floor(bytes.length / 3)));
      expectRefused(backup.file, 'BACKUP_CORRUPT');
    });

    it('a backup made with another key (another installation)', () => {
      const other = tempStoreDir();
      const otherStore = openStore(other.dir, other.keyHex);
      seed(otherStore);
      const { backup } = runBackup(otherStore, other.dir, other.keyHex, t0);
      otherStore.db.close();
      try {
        expectRefused(backup.file, 'BACKUP_WRONG_KEY');
      } finally {
        other.cleanup();
      }
    });

    it('a backup from a newer app', () => {
      const future = tempStoreDir();
      const futureStore = openStore(future.dir, temp.keyHex);
      futureStore.db.pragma(`user_version = ${loadMigrations().length + 1}`);
      const { backup } = runBackup(futureStore, future.dir, temp.keyHex, t0);
      futureStore.db.close();
      try {
        expectRefused(backup.file, 'BACKUP_FROM_FUTURE');
      } finally {
        future.cleanup();
      }
    });

    it('a backup whose audit trail was tampered with', () => {
      store.db.exec('DROP TRIGGER audit_log_no_delete');
      store.db.prepare('DELETE FROM audit_log WHERE seq = 7').run();
      const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
      expectRefused(backup.file, 'BACKUP_AUDIT_BROKEN');
    });
  });

  it('refuses while another connection still has the database open, and keeps it live', () => {
    const before = contentHash(store.db).sha256;
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    const otherProcess = openStore(temp.dir, temp.keyHex);
    try {
      let failure: unknown;
      try {
        restoreBackup(temp.dir, temp.keyHex, backup.file, { closeCurrent, reopen });
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(RestoreError);
      expect((failure as RestoreError).code).toBe('DB_IN_USE');
      expect(readdirSync(temp.dir).filter((name) => name.startsWith('pre-restore') || name.startsWith('.'))).toEqual([]);
      expect(store.db.open).toBe(true);
      expect(contentHash(store.db).sha256).toBe(before);
    } finally {
      otherProcess.db.close();
    }
  });

  it('puts the previous database back when the restored one cannot be opened', () => {
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    insertRecord(store.db, 'users', { username: 'later', display_name: '后来', role: 'admin', password_hash: 'h' }, actor, hours(1));
    const before = contentHash(store.db).sha256;
    let calls = 0;
    const flakyReopen = () => {
      calls += 1;
      if (calls === 1) throw new Error('simulated: disk went away');
      return reopen();
    };
    let failure: unknown;
    try {
      restoreBackup(temp.dir, temp.keyHex, backup.file, { closeCurrent, reopen: flakyReopen, now: hours(2) });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(RestoreError);
    expect((failure as RestoreError).code).toBe('RESTORE_FAILED');
    expect(calls).toBe(2);
    expect(store.db.open).toBe(true);
    expect(contentHash(store.db).sha256).toBe(before);
    expect(readdirSync(temp.dir).filter((name) => name.startsWith('pre-restore') || name.startsWith('.'))).toEqual([]);
  });
  it('with no previous database, a failed restore leaves none behind (and creates no empty one)', () => {
    const { backup } = runBackup(store, temp.dir, temp.keyHex, t0);
    store.db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(temp.dir, DATABASE_FILE + suffix), { force: true });
    let calls = 0;
    expect(() =>
      restoreBackup(temp.dir, temp.keyHex, backup.file, {
        closeCurrent: () => undefined,
        reopen: () => {
          calls += 1;
          throw new Error('simulated');
        },
      }),
    ).toThrowError(RestoreError);
    expect(calls).toBe(1);
    expect(readdirSync(temp.dir).filter((name) => name !== 'backups')).toEqual([]);
  });
});

describe('startDailyBackups', () => {
  let temp: ReturnType<typeof tempStoreDir>;
  let store: Store;
  beforeEach(() => {
    temp = tempStoreDir();
    store = openStore(temp.dir, temp.keyHex);
    seed(store);
  });
  afterEach(() => {
    if (store.db.open) store.db.close();
    temp.cleanup();
  });

  it('takes no backup before first-run setup (nothing to protect yet)', () => {
    const fresh = tempStoreDir();
    const empty = openStore(fresh.dir, fresh.keyHex);
    const daily = startDailyBackups(() => empty, fresh.dir, { keyHex: fresh.keyHex, setTimer: () => () => undefined });
    expect(daily.check()).toBeNull();
    expect(listBackups(fresh.dir)).toHaveLength(0);
    daily.stop();
    empty.db.close();
    fresh.cleanup();
  });

  it('checks on its timer and writes one backup per Beijing day', () => {
    let clock = t0;
    const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
    const logs: string[] = [];
    const daily = startDailyBackups(() => store, temp.dir, {
      keyHex: temp.keyHex,
      now: () => clock,
      log: (line) => logs.push(line),
      setTimer: (run, ms) => {
        const timer = { run, ms, cancelled: false };
        timers.push(timer);
        return () => (timer.cancelled = true);
      },
    });
    expect(timers).toHaveLength(1);
    expect(timers[0]?.ms).toBe(60_000);
    timers[0]?.run();
    expect(listBackups(temp.dir)).toHaveLength(1);
    expect(timers[1]?.ms).toBe(3_600_000);
    clock = hours(5);
    timers[1]?.run();
    expect(listBackups(temp.dir)).toHaveLength(1);
    clock = hours(24);
    timers[2]?.run();
    expect(listBackups(temp.dir)).toHaveLength(2);
    expect(logs.filter((line) => line.includes('daily backup written'))).toHaveLength(2);
    expect(logs.join('\n')).not.toContain(temp.keyHex);
    daily.stop();
    expect(timers.at(-1)?.cancelled).toBe(true);
  });

  it('logs a failure instead of throwing, and skips a closed store', () => {
    const logs: string[] = [];
    const daily = startDailyBackups(store, temp.dir, { keyHex: randomBytes(32).toString('hex'), now: () => t0, log: (l) => logs.push(l), setTimer: () => () => undefined });
    expect(daily.check()).toBeNull();
    expect(logs[0]).toMatch(/daily backup failed/);
    store.db.close();
    expect(daily.check()).toBeNull();
    expect(logs).toHaveLength(1);
    daily.stop();
  });
});
