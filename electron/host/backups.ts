import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from '../../db/open.ts';
import { BackupError, contentHash, createBackup, fileSha256, inspectBackup, type BackupInfo, type BackupReport } from '../../db/backup.ts';
import { loadMigrations } from '../../db/migrate.ts';
import { readSettings } from '../../db/settings.ts';
import { DATABASE_FILE } from './dataDir.ts';
import { openStore, type Store } from './store.ts';

/*
 * The branch's backup policy over a data directory.
 *
 *   <dataDir>/backups/greenledger-YYYYMMDD-HHmmss.glbak   (Beijing time, newest `keep` kept)
 *   <dataDir>/pre-restore-YYYYMMDD-HHmmss/                 (the database a restore replaced)
 *
 * A backup is encrypted with the SAME key as the live database (db/backup.ts). It is useless without
 * that key: the key file (<dataDir>/greenledger.key, browser mode) or the OS keystore entry (desktop
 * mode) must be backed up separately — on other media, kept as safely as the bank keeps any key —
 * and restoring on another machine needs that key installed there first. There is deliberately no
 * way to export the key from the app or the CLI.
 *
 * The pre-restore folder is kept until the next successful backup, which deletes it: until then the
 * replaced database can be put back by hand (it is encrypted with the same key).
 */

export const BACKUPS_DIR = 'backups';
export const BACKUP_EXTENSION = '.glbak';
export const DEFAULT_KEEP = 7;
export const PRE_RESTORE_PREFIX = 'pre-restore-';
const BACKUP_NAME = /^greenledger-(\d{8})-(\d{6})(?:-(\d+))?\.glbak$/;
/** China has one time zone, UTC+8, without daylight saving since 1991: no ICU time-zone data needed. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export const backupsDir = (dataDir: string): string => join(dataDir, BACKUPS_DIR);

/** Local (Asia/Shanghai) date and time of an instant as YYYYMMDD and HHmmss. */
export function shanghaiStamp(at: Date): { date: string; time: string } {
  const iso = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}

export interface BackupEntry {
  file: string;
  name: string;
  bytes: number;
  /** The instant in the file name (Beijing time). */
  takenAt: Date;
  /** YYYYMMDD, Beijing time. */
  date: string;
}

/** The backups in <dataDir>/backups named by this policy, newest first. Other files are ignored. */
export function listBackups(dataDir: string): BackupEntry[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  const entries: (BackupEntry & { sequence: number })[] = [];
  for (const name of readdirSync(dir)) {
    const match = BACKUP_NAME.exec(name);
    if (match === null) continue;
    const [, date = '', time = '', sequence] = match;
    const file = join(dir, name);
    const stat = statSync(file);
    if (!stat.isFile()) continue;
    const utc = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +time.slice(0, 2), +time.slice(2, 4), +time.slice(4, 6));
    entries.push({ file, name, bytes: stat.size, takenAt: new Date(utc - SHANGHAI_OFFSET_MS), date, sequence: sequence === undefined ? 1 : Number(sequence) });
  }
  entries.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.sequence - a.sequence);
  return entries.map(({ sequence: _sequence, ...entry }) => entry);
}

/**
 * How many backups to keep: the settings table's `backupKeep` (what the settings screen writes) or
 * `backup.keep`, an integer 1…365; anything else means the default of 7.
 */
export function backupKeep(db: Db): number {
  const settings = readSettings(db);
  for (const key of ['backupKeep', 'backup.keep']) {
    const value = settings[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 365) return value;
  }
  return DEFAULT_KEEP;
}

/** True when the backups folder holds no backup from today (Beijing date). */
export function dailyBackupDue(dataDir: string, now: Date = new Date()): boolean {
  const today = shanghaiStamp(now).date;
  return !listBackups(dataDir).some((backup) => backup.date === today);
}

/** Deletes all but the newest `keep` policy-named backups; returns the deleted files. */
export function rotateBackups(dataDir: string, keep: number): string[] {
  const old = listBackups(dataDir).slice(Math.max(1, keep));
  for (const backup of old) rmSync(backup.file, { force: true });
  return old.map((backup) => backup.file);
}

export interface BackupRun {
  backup: BackupInfo;
  /** Old backups deleted by rotation. */
  rotated: string[];
  /** Pre-restore folders deleted now that a newer good backup exists. */
  clearedPreRestore: string[];
}

function nextBackupFile(dataDir: string, now: Date): string {
  const { date, time } = shanghaiStamp(now);
  const base = `greenledger-${date}-${time}`;
  let file = join(backupsDir(dataDir), `${base}${BACKUP_EXTENSION}`);
  for (let n = 2; existsSync(file); n += 1) file = join(backupsDir(dataDir), `${base}-${n}${BACKUP_EXTENSION}`);
  return file;
}

/**
 * Takes a backup of the open store into <dataDir>/backups, then rotates (keep N) and deletes the
 * pre-restore folders of earlier restores. `keyHex` is the live database's key: the new file is
 * proven to open with it before it is kept.
 */
/**
 * Attachment files are content-addressed and already encrypted, so a backup mirrors them as they are
 * into backups/attachments/ — each file copied once, ever — and a restore copies back any that are
 * missing. The folder goes wherever IT copies the backups folder.
 */
export function mirrorAttachments(from: string, to: string): void {
  if (existsSync(from)) cpSync(from, to, { recursive: true, force: false, errorOnExist: false });
}

const attachmentsDir = (dataDir: string) => join(dataDir, 'attachments');
const backedUpAttachmentsDir = (dataDir: string) => join(backupsDir(dataDir), 'attachments');

export function runBackup(store: { db: Db }, dataDir: string, keyHex: string, now: Date = new Date()): BackupRun {
  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Leftovers of a backup interrupted by a crash or power cut (never valid, never listed).
  for (const name of readdirSync(dir)) if (/^\..*\.partial-\d+$/.test(name)) rmSync(join(dir, name), { force: true });
  const backup = createBackup(store.db, nextBackupFile(dataDir, now), keyHex);
  mirrorAttachments(attachmentsDir(dataDir), backedUpAttachmentsDir(dataDir));
  const rotated = rotateBackups(dataDir, backupKeep(store.db));
  const clearedPreRestore = readdirSync(dataDir)
    .filter((name) => name.startsWith(PRE_RESTORE_PREFIX))
    .map((name) => join(dataDir, name));
  for (const folder of clearedPreRestore) rmSync(folder, { recursive: true, force: true });
  return { backup, rotated, clearedPreRestore };
}

export type RestoreErrorCode = 'DB_IN_USE' | 'RESTORE_FAILED';

/** A restore that was stopped after the backup passed inspection; the previous database is back in place. */
export class RestoreError extends Error {
  constructor(
    readonly code: RestoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RestoreError';
  }
}

export interface RestoreOptions {
  /** Closes every connection to the live database (the host's store). Called once, after inspection. */
  closeCurrent: () => void;
  /**
   * Opens the database in dataDir again and makes it the live store (e.g. sets ctx.store). Called
   * once on success (the restored database), and once more after a failure (the previous database,
   * put back — unless there was none). Default: openStore(dataDir, keyHex), which also migrates an older backup.
   */
  reopen?: () => Store;
  now?: Date;
}

export interface RestoreResult {
  report: BackupReport;
  store: Store;
  /** Where the replaced database now lives, until the next successful backup deletes it. */
  preRestoreDir: string | null;
  /** contentHash of the restored database once opened; equals report.contentSha256 unless it was migrated. */
  restoredContentSha256: string;
}

const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Replaces the live database with a backup — only a backup that passes inspectBackup (integrity,
 * audit chain, schema version, the right key); a refused backup throws BackupError before anything
 * is touched. Then: the backup is copied beside the live file, the live store is closed, its files
 * move to <dataDir>/pre-restore-<stamp>/, the copy is renamed into place and opened (and migrated).
 * If any step after closing fails, the previous files are moved back and reopened, and RestoreError
 * is thrown.
 */
export function restoreBackup(dataDir: string, keyHex: string, backupFile: string, options: RestoreOptions): RestoreResult {
  const reopen = options.reopen ?? (() => openStore(dataDir, keyHex));
  const live = join(dataDir, DATABASE_FILE);
  if (resolve(backupFile) === resolve(live)) throw new BackupError('BACKUP_FAILED', 'That is the live database, not a backup');
  const latestSchemaVersion = loadMigrations().length;
  const report = inspectBackup(backupFile, keyHex, { latestSchemaVersion });

  // Copied before anything is closed: a full disk fails here, with the live database untouched.
  const incoming = join(dataDir, `.${DATABASE_FILE}.restoring`);
  rmSync(incoming, { force: true });
  copyFileSync(backupFile, incoming);
  if (fileSha256(incoming) !== report.sha256) {
    rmSync(incoming, { force: true });
    throw new BackupError('BACKUP_CORRUPT', `${backupFile} changed while it was being restored`);
  }

  try {
    options.closeCurrent();
  } catch (error) {
    rmSync(incoming, { force: true });
    throw error;
  }
  // The last connection to close checkpoints and deletes the WAL; a WAL still there means another
  // process (the app, the browser-mode server) still has the database open.
  if (existsSync(`${live}-wal`) || existsSync(`${live}-shm`)) {
    rmSync(incoming, { force: true });
    if (existsSync(live)) reopen();
    throw new RestoreError('DB_IN_USE', 'The database is still open in another process (GreenLedger app or browser-mode server); close it first');
  }

  const { date, time } = shanghaiStamp(options.now ?? new Date());
  let preRestoreDir: string | null = join(dataDir, `${PRE_RESTORE_PREFIX}${date}-${time}`);
  for (let n = 2; existsSync(preRestoreDir); n += 1) preRestoreDir = join(dataDir, `${PRE_RESTORE_PREFIX}${date}-${time}-${n}`);
  const moved: string[] = [];
  let placed = false;
  let store: Store | undefined;
  try {
    if (existsSync(live)) {
      mkdirSync(preRestoreDir, { mode: 0o700 });
      for (const suffix of SIDE_FILES) {
        if (existsSync(live + suffix)) {
          renameSync(live + suffix, join(preRestoreDir, DATABASE_FILE + suffix));
          moved.push(suffix);
        }
      }
    } else {
      preRestoreDir = null;
    }
    renameSync(incoming, live);
    placed = true;
    store = reopen();
    const restored = contentHash(store.db).sha256;
    if (report.schemaVersion === latestSchemaVersion && restored !== report.contentSha256) {
      throw new Error('the restored database does not hold the same data as the backup');
    }
    mirrorAttachments(backedUpAttachmentsDir(dataDir), attachmentsDir(dataDir));
    return { report, store, preRestoreDir, restoredContentSha256: restored };
  } catch (error) {
    if (store?.db.open) store.db.close();
    // Only what the restore put in place is deleted; a previous file that was not moved yet stays.
    if (placed) for (const suffix of SIDE_FILES) rmSync(live + suffix, { force: true });
    rmSync(incoming, { force: true });
    if (preRestoreDir !== null) {
      for (const suffix of moved) renameSync(join(preRestoreDir, DATABASE_FILE + suffix), live + suffix);
      rmSync(preRestoreDir, { recursive: true, force: true });
    }
    // Reopen what was there before; with no previous database there is nothing to reopen (and
    // reopening would create an empty one).
    if (existsSync(live)) {
      try {
        reopen();
      } catch {
        // The previous files are back in place; the caller's own error handling reports the reopen.
      }
    }
    throw new RestoreError('RESTORE_FAILED', `Restore failed, the previous database was put back: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

export interface DailyBackupOptions {
  /** The live database's key (the backup is proven to open with it). */
  keyHex: string;
  now?: () => Date;
  /** A one-shot timer returning its cancel function; default setTimeout, unref'd. */
  setTimer?: (run: () => void, ms: number) => () => void;
  log?: (line: string) => void;
  /** Between checks; default one hour. */
  intervalMs?: number;
  /** Until the first check, so starting the app is not slowed by a backup; default one minute. */
  firstCheckMs?: number;
}

export interface DailyBackups {
  /** Runs a check now: a backup when none exists for today. Never throws (failures are logged). */
  check: () => BackupRun | null;
  stop: () => void;
}

const defaultTimer = (run: () => void, ms: number): (() => void) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * The automatic daily backup: checks every hour and writes a backup when today (Beijing date) has
 * none. `store` may be a getter, so a restore that swaps the store is followed. A closed store is
 * skipped (a restore is under way).
 */
export function startDailyBackups(store: Store | (() => Store | undefined), dataDir: string, options: DailyBackupOptions): DailyBackups {
  const now = options.now ?? (() => new Date());
  const setTimer = options.setTimer ?? defaultTimer;
  const log = options.log ?? (() => undefined);
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  const current = typeof store === 'function' ? store : () => store;
  let cancel: (() => void) | undefined;
  let stopped = false;

  const check = (): BackupRun | null => {
    const live = current();
    if (live === undefined || !live.db.open) return null;
    try {
      // Before first-run setup there is no branch data to protect yet.
      if (live.db.prepare('SELECT count(*) FROM branch').pluck().get() === 0) return null;
      if (!dailyBackupDue(dataDir, now())) return null;
      const run = runBackup(live, dataDir, options.keyHex, now());
      log(`[backup] daily backup written: ${run.backup.file} (${run.backup.bytes} bytes, sha256 ${run.backup.sha256}); rotated out ${run.rotated.length}`);
      return run;
    } catch (error) {
      log(`[backup] daily backup failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  const arm = (ms: number) => {
    if (stopped) return;
    cancel = setTimer(() => {
      check();
      arm(intervalMs);
    }, ms);
  };
  arm(options.firstCheckMs ?? 60 * 1000);
  return {
    check,
    stop: () => {
      stopped = true;
      cancel?.();
    },
  };
}
