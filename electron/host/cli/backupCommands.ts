import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../../../db/open.ts';
import { verifyAuditChain } from '../../../db/audit.ts';
import { BackupError, createBackup, inspectBackup, type BackupInfo, type BackupReport } from '../../../db/backup.ts';
import { restoreBackup, RestoreError, runBackup } from '../backups.ts';
import { openStore } from '../store.ts';
import { both, CliError, dataDirPaths, existingKey, EXIT_OK, EXIT_PROBLEMS, formatBytes, formatCounts, parse, type CliIo } from './io.ts';

export const backupHelp = `用法 / Usage: npm run cli -- backup [--out <file>] [--data-dir <dir>]

备份当前数据库（在线备份，应用运行时也可执行）到加密文件。
Backs up the live database (online: the app may keep running) to an encrypted file.

  --out <file>       写到指定文件（不轮换）/ write to this file (no rotation)
                     默认 / default: <data-dir>/backups/greenledger-YYYYMMDD-HHmmss.glbak,
                     只保留最新 N 份（设置 backupKeep，默认 7）/ keeping the newest N (setting backupKeep, default 7)
  --data-dir <dir>   数据目录 / data directory (default: GREENLEDGER_DATA_DIR or the per-user folder)

备份用本机数据库密钥加密：没有密钥文件 greenledger.key 就无法恢复，请另行妥善备份密钥文件。
The backup is encrypted with this installation's key: without the key file greenledger.key it cannot be
restored. Back the key file up separately, and keep it as safely as any bank key.`;

export const restoreHelp = `用法 / Usage: npm run cli -- restore <file> [--yes] [--data-dir <dir>]

用备份替换当前数据库。先检查备份（完整性、审计链、版本、密钥），不通过则拒绝，当前数据库不受影响。
Replaces the live database with a backup. The backup is checked first (integrity, audit chain, schema
version, key); a backup that fails is refused and the current database is left untouched.

  --yes              确认替换；不加则只检查并显示备份内容 / confirm; without it the backup is only checked and described
  --data-dir <dir>   数据目录 / data directory

请先关闭 GreenLedger 应用或浏览器模式服务。被替换的数据库移到 <data-dir>/pre-restore-<时间>/，
保留到下一次备份成功为止。
Close the GreenLedger app or browser-mode server first. The replaced database is moved to
<data-dir>/pre-restore-<time>/ and kept until the next successful backup.`;

export const verifyHelp = `用法 / Usage: npm run cli -- verify [--backup <file>] [--data-dir <dir>]

检查数据库（或备份文件）的完整性（PRAGMA integrity_check）和审计链（SHA-256 链）。
Checks the live database (or a backup file): PRAGMA integrity_check and the SHA-256 audit chain.

  --backup <file>    检查备份文件而不是当前数据库 / check this backup instead of the live database
  --data-dir <dir>   数据目录 / data directory

退出码 / exit code: 0 完好 intact · 2 发现问题（逐条列出，注明审计记录序号 seq）problems found, each listed with its audit row seq · 1 错误 error`;

function printBackup(io: CliIo, info: BackupInfo): void {
  io.out(`文件 / file:     ${info.file}`);
  io.out(`大小 / size:     ${formatBytes(info.bytes)} (${info.bytes} bytes)`);
  io.out(`sha256:          ${info.sha256}`);
  io.out(`版本 / schema:   ${info.schemaVersion}`);
  io.out(`审计 / audit:    ${info.auditHead === null ? '-' : `${info.auditHead.seq} rows`}`);
}

export function backupCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { out: { type: 'string' } }, 'backup');
  if (values.help === true) {
    io.out(backupHelp);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliError(`多余的参数：${positionals.join(' ')}`, `unexpected arguments: ${positionals.join(' ')}`);
  const paths = dataDirPaths(values['data-dir'], io.env);
  const keyHex = existingKey(paths, { requireDatabase: true });
  const db = openLive(paths.databaseFile, keyHex);
  try {
    if (values.out !== undefined) {
      const out = resolve(values.out);
      if (existsSync(out)) throw new CliError(`${out} 已存在，不会覆盖`, `${out} already exists; it is not overwritten`);
      const info = createBackup(db, out, keyHex);
      io.out(both('备份完成', 'backup written'));
      printBackup(io, info);
    } else {
      const run = runBackup({ db }, paths.dataDir, keyHex, new Date());
      io.out(both('备份完成', 'backup written'));
      printBackup(io, run.backup);
      for (const file of run.rotated) io.out(`${both('轮换删除', 'rotated out')}: ${file}`);
      for (const folder of run.clearedPreRestore) io.out(`${both('已删除恢复前的旧数据库', 'removed pre-restore folder')}: ${folder}`);
    }
    io.out(both('提醒：备份用本机密钥加密，请另行备份密钥文件 greenledger.key', "reminder: the backup is encrypted with this installation's key; back up greenledger.key separately"));
    return EXIT_OK;
  } finally {
    db.close();
  }
}

function openLive(file: string, keyHex: string): Db {
  try {
    // Read-write even for reads: a read-only connection leaves -wal/-shm files behind on close.
    return openDatabase(file, { keyHex });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`无法打开数据库（密钥文件与数据库不匹配？）：${message}`, `cannot open the database (key file does not match it?): ${message}`);
  }
}

function printReport(io: CliIo, report: BackupReport): void {
  io.out(`备份 / backup:   ${report.file}`);
  io.out(`大小 / size:     ${formatBytes(report.bytes)}, sha256 ${report.sha256}`);
  io.out(`版本 / schema:   ${report.schemaVersion} (${both('本程序', 'this app')} ${report.latestSchemaVersion})`);
  io.out(`完整性 / integrity: ok`);
  io.out(`审计链 / audit chain: ${report.audit.checked} ${both('行完好', 'rows intact')}`);
  io.out(both('各表行数', 'rows per table') + ':');
  for (const line of formatCounts(report.rowCounts)) io.out(line);
}

/** BackupError → a bilingual CliError; damage and tampering exit 2 under verify. */
export function backupFailure(error: BackupError, problemsExit: number): CliError {
  const zh: Record<BackupError['code'], string> = {
    BACKUP_CORRUPT: '备份文件已损坏',
    BACKUP_WRONG_KEY: '无法用本机密钥解密该备份（用其他密钥制作，或文件开头已损坏）',
    BACKUP_FROM_FUTURE: '该备份来自更新版本的 GreenLedger，请先升级本程序',
    BACKUP_AUDIT_BROKEN: '备份中的审计链被篡改',
    BACKUP_NOT_FOUND: '找不到备份文件',
    BACKUP_FAILED: '备份失败',
  };
  const damaged = error.code === 'BACKUP_CORRUPT' || error.code === 'BACKUP_AUDIT_BROKEN';
  return new CliError(zh[error.code], `${error.code}: ${error.message}`, damaged ? problemsExit : 1);
}

export function restoreCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' } }, 'restore');
  if (values.help === true) {
    io.out(restoreHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new CliError('请给出一个备份文件：restore <file>', 'give one backup file: restore <file>');
  const file = resolve(positionals[0] as string);
  const paths = dataDirPaths(values['data-dir'], io.env);
  // A missing database is the disaster this command is for; a missing key file is not recoverable here.
  const keyHex = existingKey(paths, { requireDatabase: false });
  try {
    if (values.yes !== true) {
      printReport(io, inspectBackup(file, keyHex));
      throw new CliError(
        '备份检查通过，但未替换任何数据：确认要用它替换当前数据库，请加 --yes 重新执行',
        'the backup passed its checks, but nothing was replaced: run again with --yes to replace the current database with it',
      );
    }
    const live = existsSync(paths.databaseFile) ? openLive(paths.databaseFile, keyHex) : undefined;
    const result = restoreBackup(paths.dataDir, keyHex, file, {
      closeCurrent: () => live?.close(),
      reopen: () => openStore(paths.dataDir, keyHex),
    });
    result.store.db.close();
    io.out(both('恢复完成', 'restore complete'));
    printReport(io, result.report);
    io.out(
      result.preRestoreDir === null
        ? both('原来没有数据库，无需保留', 'there was no previous database to keep')
        : `${both('被替换的数据库保存在（下一次备份成功后删除）', 'the replaced database is kept (until the next successful backup) in')}: ${result.preRestoreDir}`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupError) throw backupFailure(error, 1);
    if (error instanceof RestoreError) {
      throw new CliError(
        error.code === 'DB_IN_USE' ? '数据库正被其他程序使用，请先关闭 GreenLedger 应用或浏览器模式服务；当前数据库未改动' : `恢复失败，已放回原数据库：${error.message}`,
        error.message,
      );
    }
    throw error;
  }
}

export function verifyCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { backup: { type: 'string' } }, 'verify');
  if (values.help === true) {
    io.out(verifyHelp);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliError(`多余的参数：${positionals.join(' ')}`, `unexpected arguments: ${positionals.join(' ')}`);
  const paths = dataDirPaths(values['data-dir'], io.env);
  if (values.backup !== undefined) {
    const keyHex = existingKey(paths, { requireDatabase: false });
    try {
      const report = inspectBackup(resolve(values.backup), keyHex);
      printReport(io, report);
      io.out('OK');
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      for (const line of error.details.integrity ?? []) io.out(`${both('问题', 'PROBLEM')}: integrity: ${line}`);
      for (const problem of error.details.problems ?? []) io.out(`${both('问题', 'PROBLEM')}: ${both(`审计记录 seq ${problem.seq}`, `audit row seq ${problem.seq}`)} [${problem.kind}]: ${problem.message}`);
      throw backupFailure(error, EXIT_PROBLEMS);
    }
  }
  const keyHex = existingKey(paths, { requireDatabase: true });
  const db = openLive(paths.databaseFile, keyHex);
  try {
    const problems: string[] = [];
    let integrity: string[];
    try {
      integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).flatMap((row) => row.integrity_check.split('\n'));
    } catch (error) {
      integrity = [error instanceof Error ? error.message : String(error)];
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') for (const line of integrity) problems.push(`integrity: ${line}`);
    const hasAudit = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'`).get() !== undefined;
    const audit = hasAudit ? verifyAuditChain(db, 1000) : { ok: true, checked: 0, headSeq: 0, problems: [], anchor: null };
    for (const problem of audit.problems) {
      problems.push(`${both(`审计记录 seq ${problem.seq}`, `audit row seq ${problem.seq}`)} [${problem.kind}]: ${problem.message}`);
    }
    io.out(`${both('数据库', 'database')}: ${paths.databaseFile}`);
    io.out(
      `${both('总行锚点', 'head-office anchor')}: ${
        audit.anchor === null ? both('无（本机尚未与总行同步）', 'none (never synced with head office)') : `seq ${audit.anchor.seq} · ${audit.anchor.at} · ${audit.anchor.hash.slice(0, 16)}…`
      }`,
    );
    if (problems.length > 0) {
      for (const problem of problems) io.out(`${both('问题', 'PROBLEM')}: ${problem}`);
      io.err(both(`校验失败：发现 ${problems.length} 个问题`, `verification FAILED: ${problems.length} problem(s)`));
      return EXIT_PROBLEMS;
    }
    io.out(both(`完整性检查通过；审计链 ${audit.checked} 行完好（链头 seq ${audit.headSeq}）`, `integrity ok; audit chain of ${audit.checked} rows intact (head seq ${audit.headSeq})`));
    io.out('OK');
    return EXIT_OK;
  } finally {
    db.close();
  }
}
