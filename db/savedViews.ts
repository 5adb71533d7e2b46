import { MAX_SAVED_VIEWS, savedViewSchema, type SavedView, type ViewState } from '../shared/api/views.ts';
import type { Db } from './open.ts';

/**
 * A person's saved views of one register (shared/api/views.ts), in this laptop's settings table
 * under their own key: local and per user, never synced. Stored views that no longer parse
 * (written by another version) are dropped when read.
 */
const key = (userId: string, register: string) => `savedViews:${userId}:${register}`;

export function savedViews(db: Db, userId: string, register: string): SavedView[] {
  const stored = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key(userId, register)) as string | undefined;
  if (stored === undefined) return [];
  const parsed: unknown = JSON.parse(stored);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((view) => {
    const checked = savedViewSchema.safeParse(view);
    return checked.success ? [checked.data] : [];
  });
}

function writeViews(db: Db, userId: string, register: string, views: SavedView[], now: Date): SavedView[] {
  const sorted = [...views].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key(userId, register), JSON.stringify(sorted), now.toISOString());
  return sorted;
}

/** Saves a view, replacing one of the same name; false when the register already holds MAX_SAVED_VIEWS others. */
export function saveView(db: Db, userId: string, register: string, name: string, state: ViewState, now: Date): SavedView[] | false {
  return db.transaction(() => {
    const others = savedViews(db, userId, register).filter((view) => view.name !== name);
    if (others.length >= MAX_SAVED_VIEWS) return false;
    return writeViews(db, userId, register, [...others, { name, state, savedAt: now.toISOString() }], now);
  })();
}

export function deleteView(db: Db, userId: string, register: string, name: string, now: Date): SavedView[] {
  return db.transaction(() => writeViews(db, userId, register, savedViews(db, userId, register).filter((view) => view.name !== name), now))();
}
