import { backupCommand, restoreCommand, verifyCommand } from './backupCommands.ts';
import { usersCommand } from './usersCommands.ts';
import { settingsCommand } from './settingsCommands.ts';
import { CliError, EXIT_ERROR, EXIT_OK, type CliIo } from './io.ts';

export const topHelp = `GreenLedger 绿色信贷台账 — 管理命令行 / admin command line (IT staff)

用法 / Usage: npm run cli -- <command> [options]

命令 / commands:
  backup [--out <file>]             在线备份到加密文件 / online backup to an encrypted file
  restore <file> [--yes]            检查并从备份恢复 / check a backup and restore from it
  verify [--backup <file>]          检查完整性与审计链 / check integrity and the audit chain
  users list|create|disable|enable|reset-password
                                    管理用户 / manage users
  settings show|set [--idle-lock-minutes <1-240>] [--backup-keep <1-365>]
                                    安全设置（自动锁定分钟数、保留备份份数）/ security settings (auto-lock minutes, backups kept)

通用选项 / common options:
  --data-dir <dir>   数据目录（浏览器模式）/ data directory (browser mode);
                     默认 / default: GREENLEDGER_DATA_DIR, else the per-user GreenLedger folder
  -h, --help         帮助；每个命令都有 / help; every command has its own

退出码 / exit codes: 0 成功 success · 1 错误或拒绝 error or refused · 2 verify 发现问题 verify found problems
本工具从不新建密钥或数据库，也从不显示密码或密钥。
This tool never creates a key or a database, and never prints a password or a key.`;

type Command = (args: string[], io: CliIo) => number | Promise<number>;

const commands: Record<string, Command> = {
  backup: backupCommand,
  restore: restoreCommand,
  verify: verifyCommand,
  users: usersCommand,
  settings: settingsCommand,
};

/** The command is the first argument that is neither an option nor the value of --data-dir. */
function splitCommand(argv: string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--data-dir') {
      i += 1;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: argv };
}

/** Runs one CLI invocation and returns its exit code; every failure is reported in both languages. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { name, rest } = splitCommand(argv);
  if (name === undefined || name === 'help') {
    io.out(topHelp);
    return name === 'help' || rest.includes('--help') || rest.includes('-h') ? EXIT_OK : EXIT_ERROR;
  }
  const command = commands[name];
  if (command === undefined) {
    io.err(`错误：未知命令 "${name}" / Error: unknown command "${name}". npm run cli -- --help`);
    return EXIT_ERROR;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`错误：${error.zh}`);
      io.err(`Error: ${error.en}`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`错误 / Error: ${message}`);
    if (io.env.GREENLEDGER_DEBUG === '1' && error instanceof Error && error.stack !== undefined) io.err(error.stack);
    return EXIT_ERROR;
  }
}
