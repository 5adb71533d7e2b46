import { settingsSchema, type Settings } from '../../../shared/api/index.ts';
import type { Db } from '../../../db/open.ts';
import { readSettings, writeSettings } from '../../../db/settings.ts';
import { appendAudit } from '../../../db/audit.ts';
import { signedInUser, type Handler } from '../context.ts';

export const defaultSettings: Settings = { locale: 'zh-CN', idleLockMinutes: 15, backupKeep: 7 };

/** Stored values that no longer parse (written by another version) fall back to their defaults, field by field. */
export function currentSettings(db: Db): Settings {
  const stored = readSettings(db);
  const settings: Record<string, unknown> = { ...defaultSettings };
  for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
    const parsed = settingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings as Settings;
}

export const getSettings: Handler<'settings.get'> = (ctx) => currentSettings(ctx.store.db);

export const updateSettings: Handler<'settings.update'> = (ctx, _call, input) => {
  writeSettings(ctx.store.db, input, ctx.now());
  return currentSettings(ctx.store.db);
};

export type SecuritySettings = Partial<Pick<Settings, 'idleLockMinutes' | 'backupKeep'>>;

/**
 * Security settings are audited: who shortened or lengthened the idle lock matters afterwards. One
 * write path for 设置 and the CLI (`npm run cli -- settings set`); the input is parsed by the
 * contract's schema by both.
 */
export function writeSecuritySettings(db: Db, input: SecuritySettings, by: { id: string; name: string }, now: Date): Settings {
  const before = currentSettings(db);
  db.transaction(() => {
    writeSettings(db, input, now);
    appendAudit(db, {
      at: now.toISOString(),
      userId: by.id,
      userName: by.name,
      action: 'update',
      recordType: 'settings',
      recordId: 'security',
      before: Object.fromEntries(Object.keys(input).map((key) => [key, before[key as keyof typeof before]])),
      after: input,
    });
  })();
  return currentSettings(db);
}

export const updateSecuritySettings: Handler<'settings.updateSecurity'> = (ctx, call, input) => {
  const user = signedInUser(call);
  return writeSecuritySettings(ctx.store.db, input, { id: user.id, name: user.displayName }, ctx.now());
};
