import { basename, join } from 'node:path';
import type { SyncConflict } from '../../../shared/api/operations.ts';
import type { Conflict } from '../../../shared/sync/protocol.ts';
import { listBackups, restoreBackup, runBackup, backupsDir } from '../backups.ts';
import { openStore } from '../store.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { asHostFailure } from '../sync/failures.ts';
import type { Db } from '../../../db/open.ts';

const entry = (file: string, bytes: number, createdAt: string) => ({ fileName: basename(file), bytes, createdAt });

export const backupList: Handler<'backup.list'> = (ctx) => listBackups(ctx.dataDir).map((b) => entry(b.file, b.bytes, b.takenAt.toISOString()));

export const backupCreate: Handler<'backup.create'> = (ctx) => {
  const run = runBackup(ctx.store, ctx.dataDir, ctx.store.keyHex, ctx.now());
  return entry(run.backup.file, run.backup.bytes, ctx.now().toISOString());
};

/** Restore replaces the store under every session: everyone signs in again afterwards. */
export const backupRestore: Handler<'backup.restore'> = (ctx, _call, input) => {
  const file = join(backupsDir(ctx.dataDir), input.fileName);
  const { keyHex } = ctx.store;
  try {
    restoreBackup(ctx.dataDir, keyHex, file, {
      closeCurrent: () => ctx.store.db.close(),
      reopen: () => {
        ctx.store = openStore(ctx.dataDir, keyHex);
        return ctx.store;
      },
    });
  } catch (error) {
    throw new HostFailure('VALIDATION', error instanceof Error ? error.message : String(error), { reason: (error as { code?: string }).code ?? 'RESTORE_FAILED' });
  }
  ctx.sessions.signOutAll();
  return { restored: true as const };
};

export const syncStatus: Handler<'sync.status'> = (ctx) => ctx.sync.status();

export const syncNow: Handler<'sync.now'> = async (ctx) => {
  await ctx.sync.runNow();
  return ctx.sync.status();
};

export const syncEnroll: Handler<'sync.enroll'> = async (ctx, _call, input) => {
  await asHostFailure(() => ctx.sync.enroll(input), true);
  return ctx.sync.status();
};

function recordName(db: Db, table: string, rowId: string): string | null {
  if (table !== 'enterprises') return null;
  return (db.prepare('SELECT name FROM enterprises WHERE id = ?').pluck().get(rowId) as string | undefined) ?? null;
}

function conflicts(db: Db): SyncConflict[] {
  const rows = db.prepare(`SELECT conflict FROM sync_conflicts WHERE status = 'open' ORDER BY seq`).pluck().all() as string[];
  return rows.map((text) => {
    const c = JSON.parse(text) as Conflict;
    return {
      id: c.id,
      table: c.table,
      rowId: c.rowId,
      recordName: recordName(db, c.table, c.rowId),
      status: c.status,
      baseVersion: c.baseVersion,
      mine: c.mine.fields,
      minePrev: c.mine.prev,
      theirs: c.theirs.fields,
      mineBy: c.mine.userId,
      mineAt: c.mine.at,
      createdAt: c.createdAt,
    };
  });
}

export const syncConflicts: Handler<'sync.conflicts'> = (ctx) => conflicts(ctx.store.db);

export const syncResolve: Handler<'sync.resolve'> = async (ctx, call, input) => {
  const user = signedInUser(call);
  await asHostFailure(() =>
    ctx.sync.resolve({ conflictId: input.id, choice: input.choice, ...(input.fields === undefined ? {} : { fields: input.fields }), userId: user.id, userName: user.displayName }),
  );
  return conflicts(ctx.store.db);
};
