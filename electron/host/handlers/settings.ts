import { settingsSchema, type Settings } from '../../../shared/api/index.ts';
import type { Db } from '../../../db/open.ts';
import type { Handler } from '../context.ts';

const defaults: Settings = { locale: 'zh-CN' };

function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
  // A value written by another version that no longer parses falls back to its default, field by field.
  const parsed = settingsSchema.partial().safeParse(stored);
  return { ...defaults, ...(parsed.success ? parsed.data : {}) };
}

export const getSettings: Handler<'settings.get'> = (ctx) => readSettings(ctx.store.db);

export const updateSettings: Handler<'settings.update'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const [key, value] of Object.entries(input)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value), now);
    }
  })();
  return readSettings(db);
};
