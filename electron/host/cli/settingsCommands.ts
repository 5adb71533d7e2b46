import { contract } from '../../../shared/api/index.ts';
import { getBranch } from '../../../db/identity.ts';
import { currentSettings, writeSecuritySettings, type SecuritySettings } from '../handlers/settings.ts';
import { openStore } from '../store.ts';
import { both, CliError, dataDirPaths, existingKey, EXIT_OK, parse, type CliIo } from './io.ts';

export const settingsHelp = `用法 / Usage: npm run cli -- settings show|set [options] [--data-dir <dir>]

  settings show
      显示安全设置 / show the security settings
  settings set [--idle-lock-minutes <1-240>] [--backup-keep <1-365>]
      修改：无操作多少分钟后自动锁定、保留几份备份 / change: minutes without activity before the
      screen locks, how many backups are kept

与 设置 页面相同的规则和审计记录，操作人为 "IT 管理员 (CLI)"；应用下次读取设置时生效（重新登录或刷新）。
Same rules and audit record as the 设置 page, by "IT 管理员 (CLI)"; the app applies them when it next reads
its settings (sign-in or reload).`;

const securitySchema = contract['settings.updateSecurity'].input;

/** A whole number as typed; anything else is left for the schema to refuse with the field's rule. */
const asNumber = (text: string | undefined): number | undefined => (text === undefined ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

function printSettings(io: CliIo, settings: { idleLockMinutes: number; backupKeep: number }): void {
  io.out(`${both('自动锁定', 'auto-lock')}: ${settings.idleLockMinutes} ${both('分钟', 'minutes')}`);
  io.out(`${both('保留备份', 'backups kept')}: ${settings.backupKeep}`);
}

export function settingsCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { 'idle-lock-minutes': { type: 'string' }, 'backup-keep': { type: 'string' } }, 'settings');
  const [sub, ...extra] = positionals;
  if (values.help === true || sub === undefined) {
    io.out(settingsHelp);
    return values.help === true ? EXIT_OK : 1;
  }
  if (extra.length > 0) throw new CliError(`多余的参数：${extra.join(' ')}`, `unexpected arguments: ${extra.join(' ')}`);
  if (sub !== 'show' && sub !== 'set') throw new CliError(`未知的子命令 settings ${sub}，见 settings --help`, `unknown subcommand settings ${sub}; see settings --help`);

  let input: SecuritySettings = {};
  if (sub === 'set') {
    const requested = { idleLockMinutes: asNumber(values['idle-lock-minutes']), backupKeep: asNumber(values['backup-keep']) };
    const given = Object.fromEntries(Object.entries(requested).filter(([, value]) => value !== undefined));
    if (Object.keys(given).length === 0) throw new CliError('请给出 --idle-lock-minutes 或 --backup-keep', 'give --idle-lock-minutes or --backup-keep');
    const parsed = securitySchema.safeParse(given);
    if (!parsed.success) {
      const fields = new Set(parsed.error.issues.map((issue) => issue.path[0]));
      if (fields.has('idleLockMinutes')) throw new CliError('--idle-lock-minutes 须为 1–240 之间的整数（分钟）', '--idle-lock-minutes must be a whole number of minutes from 1 to 240');
      throw new CliError('--backup-keep 须为 1–365 之间的整数', '--backup-keep must be a whole number from 1 to 365');
    }
    input = parsed.data;
  }

  const paths = dataDirPaths(values['data-dir'], io.env);
  const keyHex = existingKey(paths, { requireDatabase: true });
  const store = openStore(paths.dataDir, keyHex);
  try {
    const { db } = store;
    if (sub === 'show') {
      printSettings(io, currentSettings(db));
      return EXIT_OK;
    }
    if (getBranch(db) === undefined) throw new CliError('先在应用中完成首次设置', 'complete first-run setup in the app first');
    const settings = writeSecuritySettings(db, input, { id: 'cli', name: 'IT 管理员 (CLI)' }, new Date());
    io.out(both('已保存（已记入审计）', 'saved (audited)'));
    printSettings(io, settings);
    return EXIT_OK;
  } finally {
    store.db.close();
  }
}
