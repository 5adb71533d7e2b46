import type { Handler } from '../context.ts';
import { schemaVersion } from '../../../db/migrate.ts';

export const appInfo: Handler<'app.info'> = (ctx) => ({
  appVersion: ctx.appVersion,
  schemaVersion: schemaVersion(ctx.store.db),
  mode: ctx.mode,
  dataDir: ctx.dataDir,
  databaseFile: ctx.store.file,
  encrypted: true,
  cipher: String(ctx.store.db.pragma('cipher', { simple: true })),
});
