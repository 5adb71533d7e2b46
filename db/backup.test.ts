import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, PLAIN_SQLITE_HEADER, type Db } from './open.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { insertRecord, updateRecord, type Actor } from './records.ts';
import { BackupError, contentHash, createBackup, inspectBackup } from './backup.ts';
import { tempStoreDir } from './testing.ts';

const now = new Date('2026-11-22T08:00:00Z');
const BRANCH_NAME = '华盛建材有限公司县支行';

function seed(db: Db, users = 300): Actor {
  const actor: Actor = { userId: 'u-admin', userName: '张三', branchId: 'b1' };
  insertRecord(db, 'branch', { name: BRANCH_NAME, code: 'HS-01', division_code: '330782' }, actor, now, 'b1');
  for (let i = 0; i < users; i += 1) {
    insertRecord(db, 'users', { username: `user${i}`, display_name: `客户经理${i}号`, role: 'loan_officer', password_hash: `scrypt$x$${i}` }, actor, now);
  }
  db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('backupKeep', '7', ?)`).run(now.toISOString());
  return actor;
}

function expectBackupError(fn: () => unknown, code: BackupError['code']): BackupError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe(code);
    return error as BackupError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('backups of the encrypted database', () => {
  let temp: ReturnType<typeof tempStoreDir>;
  let db: Db;
  let backupFile: string;

  beforeEach(() => {
    temp = tempStoreDir();
    db = openDatabase(temp.file, { keyHex: temp.keyHex });
    migrate(db);
    seed(db);
    backupFile = join(temp.dir, 'backups', 'b.glbak');
  });
  afterEach(() => {
    if (db.open) db.close();
    temp.cleanup();
  });

  it('writes an encrypted file: no plaintext header, no readable content, opens only with the key', () => {
    const info = createBackup(db, backupFile, temp.keyHex);
    const bytes = readFileSync(backupFile);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe(PLAIN_SQLITE_HEADER);
    expect(bytes.includes(Buffer.from('华盛建材', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('客户经理', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('CREATE TABLE', 'utf8'))).toBe(false);
    expect(info.bytes).toBe(bytes.length);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.schemaVersion).toBe(loadMigrations().length);
    expect(info.rowCounts.users).toBe(300);
    expect(info.auditHead?.seq).toBe(301);

    const copy = openDatabase(backupFile, { keyHex: temp.keyHex, readonly: true });
    expect(copy.prepare('SELECT name FROM branch').pluck().get()).toBe(BRANCH_NAME);
    copy.close();
    expect(() => openDatabase(backupFile)).toThrowError(/encrypted and no key was given/);
    expect(() => openDatabase(backupFile, { keyHex: randomBytes(32).toString('hex') })).toThrowError(/key is wrong/);
    // Nothing but the backup itself is left in the folder (no partial or journal files).
    expect(readdirSync(join(temp.dir, 'backups'))).toEqual(['b.glbak']);
  });

  it('is an online snapshot: a write in progress on another connection is neither blocked nor included', () => {
    const writer = openDatabase(temp.file, { keyHex: temp.keyHex });
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('pending', '1', ?)`).run(now.toISOString());
    const during = createBackup(db, backupFile, temp.keyHex);
    writer.exec('COMMIT');
    writer.close();
    expect(during.rowCounts.settings).toBe(1);
    const after = createBackup(db, join(temp.dir, 'backups', 'c.glbak'), temp.keyHex);
    expect(after.rowCounts.settings).toBe(2);
  });

  it('refuses to overwrite an existing file or to copy an unencrypted database', () => {
    createBackup(db, backupFile, temp.keyHex);
    expectBackupError(() => createBackup(db, backupFile, temp.keyHex), 'BACKUP_FAILED');
    const plainFile = join(temp.dir, 'plain.db');
    const plain = openDatabase(plainFile);
    plain.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    expectBackupError(() => createBackup(plain, join(temp.dir, 'plain.glbak'), temp.keyHex), 'BACKUP_FAILED');
    plain.close();
    expect(readdirSync(temp.dir)).not.toContain('plain.glbak');
  });

  it('a backup made with another key than the one given is deleted, not kept', () => {
    expectBackupError(() => createBackup(db, backupFile, randomBytes(32).toString('hex')), 'BACKUP_FAILED');
    expect(readdirSync(join(temp.dir, 'backups'))).toEqual([]);
  });

  it('inspects a good backup: integrity, audit chain and the same content hash as the live database', () => {
    createBackup(db, backupFile, temp.keyHex);
    const report = inspectBackup(backupFile, temp.keyHex);
    const live = contentHash(db);
    expect(report.integrity).toBe('ok');
    expect(report.audit).toMatchObject({ ok: true, checked: 301, headSeq: 301 });
    expect(report.contentSha256).toBe(live.sha256);
    expect(report.rowCounts).toEqual(live.rowCounts);
  });

  it('refuses a backup with bytes flipped in the middle as corrupt', () => {
    createBackup(db, backupFile, temp.keyHex);
    const bytes = readFileSync(backupFile);
    const middle = Math.floor(bytes.length / 2);
    for (let i = 0; i < 16; i += 1) bytes[middle + i] = (bytes[middle + i] ?? 0) ^ 0xff;
    writeFileSync(backupFile, bytes);
    const error = expectBackupError(() => inspectBackup(backupFile, temp.keyHex), 'BACKUP_CORRUPT');
    expect(error.message).toMatch(/damaged|cannot be read/);
  });

  it('refuses a backup it cannot decrypt (another installation key)', () => {
    createBackup(db, backupFile, temp.keyHex);
    expectBackupError(() => inspectBackup(backupFile, randomBytes(32).toString('hex')), 'BACKUP_WRONG_KEY');
  });

  it('refuses a backup from a newer app', () => {
    createBackup(db, backupFile, temp.keyHex);
    const copy = openDatabase(backupFile, { keyHex: temp.keyHex });
    copy.pragma(`user_version = ${loadMigrations().length + 1}`);
    copy.close();
    const error = expectBackupError(() => inspectBackup(backupFile, temp.keyHex), 'BACKUP_FROM_FUTURE');
    expect(error.details.schemaVersion).toBe(loadMigrations().length + 1);
  });

  it('refuses a backup whose audit trail was edited, naming the row', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET user_name = '李四' WHERE seq = 42`).run();
    createBackup(db, backupFile, temp.keyHex);
    const error = expectBackupError(() => inspectBackup(backupFile, temp.keyHex), 'BACKUP_AUDIT_BROKEN');
    expect(error.details.problems).toContainEqual(expect.objectContaining({ seq: 42, kind: 'edited' }));
    expect(error.message).toMatch(/audit row 42/);
  });

  it('refuses a missing file and a plain SQLite file', () => {
    expectBackupError(() => inspectBackup(join(temp.dir, 'nope.glbak'), temp.keyHex), 'BACKUP_NOT_FOUND');
    const plainFile = join(temp.dir, 'plain.glbak');
    const plain = openDatabase(plainFile);
    plain.exec('CREATE TABLE t (x TEXT)');
    plain.close();
    expectBackupError(() => inspectBackup(plainFile, temp.keyHex), 'BACKUP_CORRUPT');
  });
});

describe('contentHash', () => {
  function fresh(order: 'forward' | 'backward'): Db {
    const db = openDatabase(':memory:');
    migrate(db);
    db.prepare('UPDATE schema_migrations SET applied_at = ?').run(now.toISOString());
    const ids = ['01', '02', '03'];
    for (const id of order === 'forward' ? ids : [...ids].reverse()) {
      db.prepare(
        `INSERT INTO users (id, branch_id, created_at, created_by, updated_at, updated_by, username, display_name, role, password_hash)
         VALUES (?, 'b1', ?, 'u', ?, 'u', ?, ?, 'admin', 'h')`,
      ).run(id, now.toISOString(), now.toISOString(), `user${id}`, `用户${id}`);
    }
    return db;
  }

  it('is the same for the same data, also after VACUUM, and sensitive to any value', () => {
    const a = fresh('forward');
    const b = fresh('forward');
    expect(contentHash(a)).toEqual(contentHash(b));
    expect(contentHash(a).rowCounts.users).toBe(3);
    b.exec('VACUUM');
    expect(contentHash(b)).toEqual(contentHash(a));
    b.prepare(`UPDATE users SET display_name = '用户X' WHERE id = '02'`).run();
    expect(contentHash(b).sha256).not.toBe(contentHash(a).sha256);
    a.close();
    b.close();
  });

  it('includes rowids, which external-content FTS indexes depend on', () => {
    const a = fresh('forward');
    const b = fresh('backward'); // same rows, other rowids
    expect(contentHash(b).rowCounts).toEqual(contentHash(a).rowCounts);
    expect(contentHash(b).sha256).not.toBe(contentHash(a).sha256);
    a.close();
    b.close();
  });

  it('tells an integer from a real and from text', () => {
    const a = openDatabase(':memory:');
    const b = openDatabase(':memory:');
    a.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v ANY) STRICT; INSERT INTO t VALUES (1, 1)`);
    b.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v ANY) STRICT; INSERT INTO t VALUES (1, '1')`);
    expect(contentHash(a).sha256).not.toBe(contentHash(b).sha256);
    b.exec(`UPDATE t SET v = 1.0`);
    expect(contentHash(a).sha256).not.toBe(contentHash(b).sha256);
    a.close();
    b.close();
  });

  it('changes when an audited update is made', () => {
    const db = fresh('forward');
    const before = contentHash(db).sha256;
    updateRecord(db, 'users', '01', { display_name: '新名字' }, { userId: 'u', userName: '张三', branchId: 'b1' }, now);
    expect(contentHash(db).sha256).not.toBe(before);
    db.close();
  });
});
