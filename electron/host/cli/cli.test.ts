import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRecord, type Actor } from '../../../db/records.ts';
import { contentHash, fileSha256 } from '../../../db/backup.ts';
import { openDatabase } from '../../../db/open.ts';
import { findUserByUsername } from '../../../db/identity.ts';
import { openStore } from '../store.ts';
import { loadOrCreateKeyFile, KEY_FILE } from '../keyfile.ts';
import { DATABASE_FILE } from '../dataDir.ts';
import { verifyPassword } from '../../../shared/node/passwords.ts';
import { listBackups } from '../backups.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cliMain = join(repoRoot, 'electron/host/cli/main.ts');
const BRANCH_NAME = '华盛建材有限公司县支行';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  all: string;
}

/** The real CLI in a child process, the way IT staff run it (npm run cli -- … is this command). */
function cli(dataDir: string | undefined, args: string[], input = ''): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.GREENLEDGER_DATA_DIR;
  if (dataDir !== undefined) env.GREENLEDGER_DATA_DIR = dataDir;
  const result = spawnSync(process.execPath, ['--import', 'tsx', cliMain, ...args], { cwd: repoRoot, env, input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, all: result.stdout + result.stderr };
}

/** A browser-mode data directory as the app leaves it: key file, migrated database, branch, first admin. */
function prepareDataDir(options: { branch: boolean } = { branch: true }): { dir: string; keyHex: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-cli-'));
  const keyHex = loadOrCreateKeyFile(dir);
  const store = openStore(dir, keyHex);
  if (options.branch) {
    const actor: Actor = { userId: 'admin-1', userName: '管理员甲', branchId: 'b1' };
    const now = new Date('2026-11-22T08:00:00Z');
    insertRecord(store.db, 'branch', { name: BRANCH_NAME, code: 'HS-01', division_code: '330782' }, actor, now, 'b1');
    insertRecord(store.db, 'users', { username: 'admin', display_name: '管理员甲', role: 'admin', password_hash: 'scrypt$placeholder' }, actor, now, 'admin-1');
    for (let i = 0; i < 20; i += 1) {
      insertRecord(store.db, 'users', { username: `officer${i}`, display_name: `客户经理${i}`, role: 'loan_officer', password_hash: 'scrypt$placeholder' }, actor, now);
    }
  }
  store.db.close();
  return { dir, keyHex, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function flipMiddle(bytes: Buffer): void {
  const middle = Math.floor(bytes.length / 2);
  for (let i = 0; i < 32; i += 1) bytes[middle + i] = (bytes[middle + i] ?? 0) ^ 0xff;
}

function liveHash(dir: string, keyHex: string): string {
  const db = openDatabase(join(dir, DATABASE_FILE), { keyHex });
  try {
    return contentHash(db).sha256;
  } finally {
    db.close();
  }
}

describe('admin CLI', () => {
  let data: ReturnType<typeof prepareDataDir>;
  beforeEach(() => {
    data = prepareDataDir();
  });
  afterEach(() => data.cleanup());

  it('--help lists the commands; each command has its own --help; unknown commands fail', () => {
    const top = cli(data.dir, ['--help']);
    expect(top.code).toBe(0);
    for (const command of ['backup', 'restore', 'verify', 'users', 'settings']) expect(top.stdout).toContain(command);
    for (const command of ['backup', 'restore', 'verify', 'users', 'settings']) {
      const help = cli(data.dir, [command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toMatch(/用法 \/ Usage: npm run cli -- /);
    }
    const unknown = cli(data.dir, ['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/未知命令.*unknown command/);
    expect(cli(data.dir, []).code).toBe(1);
  });

  it('never creates a key or a database: a directory without them is an error', () => {
    const empty = mkdtempSync(join(tmpdir(), 'greenledger-cli-empty-'));
    try {
      const noKey = cli(empty, ['backup']);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toMatch(/没有密钥文件[\s\S]*no key file/);
      expect(existsSync(join(empty, KEY_FILE))).toBe(false);
      loadOrCreateKeyFile(empty);
      const noDb = cli(empty, ['verify']);
      expect(noDb.code).toBe(1);
      expect(noDb.stderr).toMatch(/没有数据库[\s\S]*no database/);
      expect(existsSync(join(empty, DATABASE_FILE))).toBe(false);
      expect(cli(empty, ['users', 'list']).code).toBe(1);
      expect(existsSync(join(empty, DATABASE_FILE))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('backup writes an encrypted, rotated backup and prints file, size and sha256', () => {
    const run = cli(data.dir, ['backup']);
    expect(run.code, run.all).toBe(0);
    const [backup] = listBackups(data.dir);
    expect(backup).toBeDefined();
    expect(run.stdout).toContain(backup?.file);
    expect(run.stdout).toContain(fileSha256(backup?.file as string));
    expect(run.stdout).toMatch(/size:\s+[\d.]+ KiB/);
    expect(readFileSync(backup?.file as string).includes(Buffer.from(BRANCH_NAME))).toBe(false);
    expect(run.all).not.toContain(data.keyHex);

    const out = join(data.dir, 'elsewhere', 'copy.glbak');
    const explicit = cli(data.dir, ['backup', '--out', out]);
    expect(explicit.code, explicit.all).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(cli(data.dir, ['backup', '--out', out]).code).toBe(1); // never overwrites
  });

  it('verify: intact → 0 and OK; a tampered audit row → 2 naming its seq', () => {
    const intact = cli(data.dir, ['verify']);
    expect(intact.code, intact.all).toBe(0);
    expect(intact.stdout).toMatch(/^OK$/m);
    expect(intact.stdout).toContain('22 rows intact');

    const db = openDatabase(join(data.dir, DATABASE_FILE), { keyHex: data.keyHex });
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare(`UPDATE audit_log SET user_name = '冒名顶替' WHERE seq = 7`).run();
    db.prepare(`DELETE FROM audit_log WHERE seq = 15`).run();
    db.close();
    const tampered = cli(data.dir, ['verify']);
    expect(tampered.code, tampered.all).toBe(2);
    expect(tampered.stdout).toMatch(/audit row seq 7 \[edited\]/);
    expect(tampered.stdout).toMatch(/audit row seq 15 \[missing\]/);
    expect(tampered.stdout).not.toMatch(/^OK$/m);
    expect(tampered.stderr).toMatch(/FAILED/);
  });

  it('verify --backup checks a backup file: intact → 0, bytes flipped → 2', () => {
    expect(cli(data.dir, ['backup']).code).toBe(0);
    const file = listBackups(data.dir)[0]?.file as string;
    const good = cli(data.dir, ['verify', '--backup', file]);
    expect(good.code, good.all).toBe(0);
    expect(good.stdout).toMatch(/^OK$/m);
    const bytes = readFileSync(file);
    flipMiddle(bytes);
    writeFileSync(file, bytes);
    const bad = cli(data.dir, ['verify', '--backup', file]);
    expect(bad.code, bad.all).toBe(2);
    expect(bad.stderr).toMatch(/备份文件已损坏[\s\S]*BACKUP_CORRUPT/);
  });

  it('restore: refused without --yes (stdin closed, no prompt), then --yes gives identical data', () => {
    const original = liveHash(data.dir, data.keyHex);
    expect(cli(data.dir, ['backup']).code).toBe(0);
    const file = listBackups(data.dir)[0]?.file as string;

    const db = openDatabase(join(data.dir, DATABASE_FILE), { keyHex: data.keyHex });
    db.prepare(`DELETE FROM users WHERE role = 'loan_officer'`).run();
    db.close();
    const damaged = liveHash(data.dir, data.keyHex);
    expect(damaged).not.toBe(original);

    const dryRun = cli(data.dir, ['restore', file]);
    expect(dryRun.code).toBe(1);
    expect(dryRun.stdout).toMatch(/users\s+21/);
    expect(dryRun.stderr).toMatch(/--yes/);
    expect(liveHash(data.dir, data.keyHex)).toBe(damaged);

    const restore = cli(data.dir, ['restore', file, '--yes']);
    expect(restore.code, restore.all).toBe(0);
    expect(restore.stdout).toMatch(/restore complete/);
    expect(restore.stdout).toMatch(/users\s+21/);
    expect(restore.stdout).toMatch(/pre-restore-\d{8}-\d{6}/);
    expect(liveHash(data.dir, data.keyHex)).toBe(original);
    expect(readdirSync(data.dir).some((name) => name.startsWith('pre-restore-'))).toBe(true);
    expect(cli(data.dir, ['verify']).code).toBe(0);
  });

  it('restore refuses a corrupt backup and one made with another key, leaving the database untouched', () => {
    expect(cli(data.dir, ['backup']).code).toBe(0);
    const file = listBackups(data.dir)[0]?.file as string;
    const before = liveHash(data.dir, data.keyHex);

    const other = prepareDataDir();
    try {
      expect(cli(other.dir, ['backup']).code).toBe(0);
      const foreign = listBackups(other.dir)[0]?.file as string;
      const wrongKey = cli(data.dir, ['restore', foreign, '--yes']);
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toMatch(/无法用本机密钥解密[\s\S]*BACKUP_WRONG_KEY/);
    } finally {
      other.cleanup();
    }

    const bytes = readFileSync(file);
    flipMiddle(bytes);
    writeFileSync(file, bytes);
    const corrupt = cli(data.dir, ['restore', file, '--yes']);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/BACKUP_CORRUPT/);

    expect(liveHash(data.dir, data.keyHex)).toBe(before);
    expect(readdirSync(data.dir).some((name) => name.startsWith('pre-restore-'))).toBe(false);
  });

  it('users create / list / disable / enable / reset-password, audited as the CLI, passwords from stdin only', async () => {
    const created = cli(data.dir, ['users', 'create', '--username', 'wangwu', '--name', '王五', '--role', 'credit_manager', '--password-stdin'], 'Secret123\n');
    expect(created.code, created.all).toBe(0);
    expect(created.all).not.toContain('Secret123');

    const list = cli(data.dir, ['users', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/wangwu\s+王五\s+credit_manager 信贷经理\s+active 启用\s+yes 是/);
    expect(list.stdout).not.toContain('scrypt');

    const disabled = cli(data.dir, ['users', 'disable', 'wangwu']);
    expect(disabled.code, disabled.all).toBe(0);
    expect(cli(data.dir, ['users', 'list']).stdout).toMatch(/wangwu\s+王五\s+credit_manager 信贷经理\s+disabled 停用/);
    expect(cli(data.dir, ['users', 'enable', 'wangwu']).code).toBe(0);

    const reset = cli(data.dir, ['users', 'reset-password', 'wangwu', '--password-stdin'], 'Another456');
    expect(reset.code, reset.all).toBe(0);

    const db = openDatabase(join(data.dir, DATABASE_FILE), { keyHex: data.keyHex });
    try {
      const row = findUserByUsername(db, 'wangwu');
      expect(row).toMatchObject({ display_name: '王五', role: 'credit_manager', disabled: 0, must_change_password: 1, branch_id: 'b1', created_by: 'cli' });
      expect(row?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(await verifyPassword('Another456', row?.password_hash as string)).toBe(true);
      // The people directory follows the account in the same transactions (never the password).
      expect(db.prepare(`SELECT action FROM audit_log WHERE record_type = 'people' AND record_id = ? ORDER BY seq`).pluck().all(row?.id)).toEqual(['insert', 'disable', 'enable']);
      expect(db.prepare('SELECT display_name, role, active FROM people WHERE id = ?').get(row?.id)).toEqual({ display_name: '王五', role: 'credit_manager', active: 1 });
      const audit = db.prepare(`SELECT action, user_id, user_name, after FROM audit_log WHERE record_type = 'users' AND record_id = ? ORDER BY seq`).all(row?.id) as {
        action: string;
        user_id: string;
        user_name: string;
        after: string;
      }[];
      expect(audit.map((entry) => entry.action)).toEqual(['insert', 'disable', 'enable', 'reset_password']);
      expect(audit.every((entry) => entry.user_id === 'cli' && entry.user_name === 'IT 管理员 (CLI)')).toBe(true);
      expect(audit.map((entry) => entry.after).join()).not.toContain('scrypt$');
    } finally {
      db.close();
    }
    expect(cli(data.dir, ['verify']).code).toBe(0);
  });

  it('settings set changes the auto-lock minutes within 1–240, audited as the CLI; out of range is refused and changes nothing', () => {
    expect(cli(data.dir, ['settings', 'show']).stdout).toContain('自动锁定 / auto-lock: 15 分钟 / minutes');
    const set = cli(data.dir, ['settings', 'set', '--idle-lock-minutes', '30']);
    expect(set.code, set.all).toBe(0);
    expect(set.stdout).toContain('自动锁定 / auto-lock: 30 分钟 / minutes');
    for (const bad of ['0', '241', '7.5', 'abc']) {
      const refused = cli(data.dir, ['settings', 'set', '--idle-lock-minutes', bad]);
      expect(refused.code, bad).toBe(1);
      expect(refused.stderr, bad).toContain('--idle-lock-minutes 须为 1–240 之间的整数（分钟）');
    }
    expect(cli(data.dir, ['settings', 'set']).stderr).toContain('give --idle-lock-minutes or --backup-keep');
    expect(cli(data.dir, ['settings', 'show']).stdout).toContain('30 分钟 / minutes');
    const db = openDatabase(join(data.dir, DATABASE_FILE), { keyHex: data.keyHex });
    try {
      const audit = db.prepare(`SELECT user_id, user_name, before, after FROM audit_log WHERE record_type = 'settings' ORDER BY seq`).all();
      expect(audit).toEqual([{ user_id: 'cli', user_name: 'IT 管理员 (CLI)', before: JSON.stringify({ idleLockMinutes: 15 }), after: JSON.stringify({ idleLockMinutes: 30 }) }]);
    } finally {
      db.close();
    }
    expect(cli(data.dir, ['verify']).code).toBe(0);
  });

  it('users: refuses passwords on argv, weak passwords, duplicates, unknown users and the last admin', () => {
    const onArgv = cli(data.dir, ['users', 'create', '--username', 'x1', '--name', 'X', '--role', 'admin', '--password=Leaked999']);
    expect(onArgv.code).toBe(1);
    expect(onArgv.all).not.toContain('Leaked999');
    expect(onArgv.stderr).toMatch(/--password-stdin/);

    const weak = cli(data.dir, ['users', 'create', '--username', 'x1', '--name', 'X', '--role', 'admin', '--password-stdin'], 'short');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/至少 8 位[\s\S]*at least 8/);
    const noStdin = cli(data.dir, ['users', 'create', '--username', 'x1', '--name', 'X', '--role', 'admin', '--password-stdin'], '');
    expect(noStdin.code).toBe(1);
    expect(noStdin.stderr).toMatch(/no password on stdin/);

    const badRole = cli(data.dir, ['users', 'create', '--username', 'x1', '--name', 'X', '--role', 'boss', '--password-stdin'], 'Secret123');
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/--role/);

    const duplicate = cli(data.dir, ['users', 'create', '--username', 'ADMIN', '--name', 'X', '--role', 'admin', '--password-stdin'], 'Secret123');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already|已被使用|taken/);

    expect(cli(data.dir, ['users', 'disable', 'nobody']).code).toBe(1);
    const lastAdmin = cli(data.dir, ['users', 'disable', 'admin']);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toMatch(/last active administrator/);
  });

  it('users before first-run setup: says to complete it in the app first', () => {
    const fresh = prepareDataDir({ branch: false });
    try {
      const run = cli(fresh.dir, ['users', 'list']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('先在应用中完成首次设置');
      expect(run.stderr).toContain('complete first-run setup in the app first');
    } finally {
      fresh.cleanup();
    }
  });

  it('--data-dir wins over GREENLEDGER_DATA_DIR', () => {
    const run = cli('/nonexistent/greenledger', ['--data-dir', data.dir, 'verify']);
    expect(run.code, run.all).toBe(0);
  });
});
