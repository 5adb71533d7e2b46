import { passwordSchema, roles, roleSchema, usernameSchema, type Role } from '../../../shared/domain/roles.ts';
import type { Db } from '../../../db/open.ts';
import type { Actor } from '../../../db/records.ts';
import { findUserByUsername, getBranch, insertUser, listUsers, setThrottle, updateUser, type UserRow } from '../../../db/identity.ts';
import { hashPassword } from '../../../shared/node/passwords.ts';
import { openStore } from '../store.ts';
import { both, CliError, dataDirPaths, existingKey, EXIT_OK, parse, readSecretLine, type CliIo } from './io.ts';

export const usersHelp = `用法 / Usage: npm run cli -- users <subcommand> [--data-dir <dir>]

  users list
      列出用户 / list the users
  users create --username <U> --name <姓名> --role <role> --password-stdin
      新建用户，首次登录须修改密码 / create a user, who must change the password at first login
  users disable <username>
      停用账户 / disable an account
  users enable <username>
      重新启用账户 / enable an account again
  users reset-password <username> --password-stdin
      重设密码并解除锁定，下次登录须修改 / reset the password and the lockout; it must be changed at next login

  role: loan_officer 客户经理 | credit_manager 信贷经理 | branch_head 支行行长 | admin 管理员

密码只从标准输入读取（绝不写在命令行上）/ passwords are read from stdin only, never from the command line:
  printf '%s' "$NEW_PASSWORD" | npm run cli -- users reset-password wangwu --password-stdin

每项修改都记入审计链，操作人为 "IT 管理员 (CLI)" / every change is audited, by "IT 管理员 (CLI)".`;

const roleNames: Record<Role, string> = { loan_officer: '客户经理', credit_manager: '信贷经理', branch_head: '支行行长', admin: '管理员' };

const passwordMessages: Record<string, [string, string]> = {
  PASSWORD_TOO_SHORT: ['密码至少 8 位', 'the password must have at least 8 characters'],
  PASSWORD_TOO_WEAK: ['密码须同时包含字母和数字', 'the password must contain letters and digits'],
};

function cliActor(db: Db): Actor {
  const branch = getBranch(db);
  if (branch === undefined) throw new CliError('先在应用中完成首次设置', 'complete first-run setup in the app first');
  return { userId: 'cli', userName: 'IT 管理员 (CLI)', branchId: branch.id };
}

function requireUser(db: Db, username: string | undefined): UserRow {
  if (username === undefined) throw new CliError('请给出用户名', 'give a username');
  const row = findUserByUsername(db, username);
  if (row === undefined) throw new CliError(`没有用户 ${username}`, `no user ${username}`);
  return row;
}

async function readPassword(io: CliIo): Promise<string> {
  const password = await readSecretLine(io);
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) {
    const [zh, en] = passwordMessages[parsed.error.issues[0]?.message ?? ''] ?? ['密码不符合要求', 'the password does not meet the rules'];
    throw new CliError(zh, en);
  }
  return password;
}

function printUsers(io: CliIo, rows: UserRow[]): void {
  if (rows.length === 0) {
    io.out(both('还没有用户', 'no users yet'));
    return;
  }
  const table = rows.map((row) => [
    row.username,
    row.display_name,
    `${row.role} ${roleNames[row.role]}`,
    row.disabled === 1 ? 'disabled 停用' : 'active 启用',
    row.must_change_password === 1 ? 'yes 是' : 'no 否',
  ]);
  const header = ['username 用户名', 'name 姓名', 'role 角色', 'status 状态', 'must change password 须改密'];
  // Chinese characters take two columns in a terminal.
  const width = (text: string) => [...text].reduce((sum, ch) => sum + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((title, column) => Math.max(width(title), ...table.map((row) => width(row[column] ?? ''))));
  const line = (cells: string[]) => cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - width(cell))).join('  ').trimEnd();
  io.out(line(header));
  for (const row of table) io.out(line(row));
}

export async function usersCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    'users',
  );
  const [sub, target, ...extra] = positionals;
  if (values.help === true || sub === undefined) {
    io.out(usersHelp);
    return values.help === true ? EXIT_OK : 1;
  }
  if (extra.length > 0) throw new CliError(`多余的参数：${extra.join(' ')}`, `unexpected arguments: ${extra.join(' ')}`);
  if (!['list', 'create', 'disable', 'enable', 'reset-password'].includes(sub)) {
    throw new CliError(`未知的子命令 users ${sub}，见 users --help`, `unknown subcommand users ${sub}; see users --help`);
  }
  const needsPassword = sub === 'create' || sub === 'reset-password';
  if (needsPassword && values['password-stdin'] !== true) {
    throw new CliError(`users ${sub} 需要 --password-stdin（密码从标准输入读取）`, `users ${sub} needs --password-stdin (the password is read from stdin)`);
  }

  const paths = dataDirPaths(values['data-dir'], io.env);
  const keyHex = existingKey(paths, { requireDatabase: true });
  // Validate what can be validated and read the password before opening (and migrating) anything.
  let create: { username: string; name: string; role: Role } | undefined;
  if (sub === 'create') {
    const username = usernameSchema.safeParse(values.username ?? '');
    if (!username.success) throw new CliError('--username 须为 2–32 位字母、数字或 . _ -', '--username must be 2–32 letters, digits or . _ -');
    const name = (values.name ?? '').trim();
    if (name.length < 1 || name.length > 40) throw new CliError('--name 须为 1–40 个字符', '--name must have 1–40 characters');
    const role = roleSchema.safeParse(values.role);
    if (!role.success) throw new CliError(`--role 须为 ${roles.join(' | ')}`, `--role must be one of ${roles.join(' | ')}`);
    create = { username: username.data, name, role: role.data };
  }
  const password = needsPassword ? await readPassword(io) : undefined;

  const store = openStore(paths.dataDir, keyHex);
  const { db } = store;
  try {
    const actor = cliActor(db);
    const now = new Date();
    switch (sub) {
      case 'list':
        printUsers(io, listUsers(db));
        return EXIT_OK;
      case 'create': {
        const input = create as NonNullable<typeof create>;
        if (findUserByUsername(db, input.username) !== undefined) throw new CliError(`用户名 ${input.username} 已被使用`, `username ${input.username} is taken`);
        const passwordHash = await hashPassword(password as string);
        insertUser(
          db,
          { username: input.username, display_name: input.name, role: input.role, password_hash: passwordHash, must_change_password: 1 },
          actor,
          now,
        );
        io.out(both(`已创建用户 ${input.username}（${roleNames[input.role]}），首次登录须修改密码`, `created user ${input.username} (${input.role}); the password must be changed at first login`));
        return EXIT_OK;
      }
      case 'disable':
      case 'enable': {
        const row = requireUser(db, target);
        const disabled = sub === 'disable' ? 1 : 0;
        if (row.disabled === disabled) {
          io.out(both(`用户 ${row.username} 已经是${disabled ? '停用' : '启用'}状态`, `user ${row.username} is already ${sub}d`));
          return EXIT_OK;
        }
        if (disabled === 1 && row.role === 'admin') {
          const admins = listUsers(db).filter((user) => user.role === 'admin' && user.disabled === 0 && user.id !== row.id);
          if (admins.length === 0) throw new CliError('不能停用最后一个启用的管理员', 'cannot disable the last active administrator');
        }
        updateUser(db, row.id, { disabled }, actor, now, { action: sub });
        io.out(both(`用户 ${row.username} 已${disabled ? '停用' : '启用'}`, `user ${row.username} ${sub}d`));
        return EXIT_OK;
      }
      case 'reset-password': {
        const row = requireUser(db, target);
        const passwordHash = await hashPassword(password as string);
        db.transaction(() => {
          updateUser(db, row.id, { password_hash: passwordHash, must_change_password: 1 }, actor, now, { action: 'reset_password' });
          setThrottle(db, row.username, { failed_attempts: 0, locked_until: null });
        })();
        io.out(both(`已重设 ${row.username} 的密码并解除锁定，下次登录须修改密码`, `password of ${row.username} reset and lockout cleared; it must be changed at next login`));
        return EXIT_OK;
      }
      default:
        return 1;
    }
  } finally {
    db.close();
  }
}
