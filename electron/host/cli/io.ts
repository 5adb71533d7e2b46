import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveDataDir, DATABASE_FILE } from '../dataDir.ts';
import { KEY_FILE, loadOrCreateKeyFile } from '../keyfile.ts';

/** Where the CLI writes and reads: injectable so the router is testable, process streams in main.ts. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Exit codes: 0 done, 1 error or refusal, 2 `verify` found damage or tampering. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_PROBLEMS = 2;

/** A failure the CLI reports in both languages (Chinese first, for branch IT staff) and exits on. */
export class CliError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly exitCode: number = EXIT_ERROR,
  ) {
    super(en);
    this.name = 'CliError';
  }
}

export const both = (zh: string, en: string): string => `${zh} / ${en}`;

/** Options every command accepts. */
export const globalOptions = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** node:util parseArgs, with its errors turned into CliErrors that point at --help. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage: string) {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new CliError('密码不能写在命令行上（会留在命令历史中），请用 --password-stdin 从标准输入传入', 'never put a password on the command line (it stays in shell history); pipe it with --password-stdin');
  }
  try {
    return parseArgs({ args, options: { ...globalOptions, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`参数有误：${message}。用法见 ${usage} --help`, `bad arguments: ${message}. See ${usage} --help`);
  }
}

export interface DataDirPaths {
  dataDir: string;
  databaseFile: string;
  keyFile: string;
}

export function dataDirPaths(flag: string | undefined, env: NodeJS.ProcessEnv): DataDirPaths {
  const dataDir = resolve(flag ?? resolveDataDir(env));
  return { dataDir, databaseFile: join(dataDir, DATABASE_FILE), keyFile: join(dataDir, KEY_FILE) };
}

/**
 * The key of an existing browser-mode data directory. The CLI never makes a key (nor a database):
 * a missing key file is an error, since a new key could never read the existing data anyway.
 */
export function existingKey(paths: DataDirPaths, options: { requireDatabase: boolean }): string {
  if (!existsSync(paths.dataDir)) {
    throw new CliError(`数据目录不存在：${paths.dataDir}（用 --data-dir 或 GREENLEDGER_DATA_DIR 指定）`, `data directory not found: ${paths.dataDir} (set --data-dir or GREENLEDGER_DATA_DIR)`);
  }
  if (!existsSync(paths.keyFile)) {
    throw new CliError(
      `数据目录中没有密钥文件 ${paths.keyFile}。命令行工具只处理浏览器模式的数据目录（桌面版的密钥保存在系统钥匙串中），且从不新建密钥`,
      `no key file ${paths.keyFile}. The CLI works on browser-mode data directories (desktop installs keep the key in the OS keystore) and never creates a key`,
    );
  }
  if (options.requireDatabase && !existsSync(paths.databaseFile)) {
    throw new CliError(`数据目录中没有数据库 ${paths.databaseFile}；命令行工具不会新建数据库`, `no database ${paths.databaseFile} in the data directory; the CLI never creates one`);
  }
  try {
    return loadOrCreateKeyFile(paths.dataDir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`无法读取密钥文件：${message}`, `cannot read the key file: ${message}`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatCounts(counts: Record<string, number>): string[] {
  const width = Math.max(...Object.keys(counts).map((name) => name.length), 5);
  return Object.entries(counts).map(([table, count]) => `  ${table.padEnd(width)}  ${count}`);
}

/**
 * Reads one line from stdin: the password for --password-stdin. A terminal is refused rather than
 * echoing the password on screen; pipe it instead.
 */
export async function readSecretLine(io: CliIo): Promise<string> {
  if (io.stdin.isTTY === true) {
    throw new CliError(
      '--password-stdin 需要从管道读入密码，例如：printf "%s" "$PW" | npm run cli -- users …',
      '--password-stdin reads the password from a pipe, e.g. printf "%s" "$PW" | npm run cli -- users …',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new CliError('标准输入中没有密码', 'no password on stdin');
  return line;
}
