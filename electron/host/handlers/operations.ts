import { basename, join } from 'node:path';
import type { SyncConflict } from '../../../shared/api/operations.ts';
import { isSyncTable } from '../../../shared/sync/tables.ts';
import type { Conflict } from '../../../shared/sync/protocol.ts';
import { listBackups, restoreBackup, runBackup, backupsDir } from '../backups.ts';
import { closeStore, openStore } from '../store.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { asHostFailure } from '../sync/failures.ts';
import { conflictHeldFor, decidedHere, isHeadOffice } from '../sync/conflictHolder.ts';
import type { Db } from '../../../db/open.ts';
import { quarantinedRows, rejectedChanges } from '../../../db/syncState.ts';
import { columnsOf } from '../../../db/records.ts';

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
      closeCurrent: () => closeStore(ctx.store),
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

/**
 * The enterprise a synced row belongs to, for the panel to name it: its own id, its enterprise_id,
 * or its parent's (an attachment's owner, a snapshot's loan, a workflow step's application). A table
 * of none (people) has no name.
 */
const ownerEnterpriseSql: Record<string, string> = {
  enterprises: 'SELECT id FROM enterprises WHERE id = ?',
  attachments: "SELECT owner_id FROM attachments WHERE id = ? AND owner_type = 'enterprises'",
  loan_snapshots: 'SELECT l.enterprise_id FROM loan_snapshots s JOIN loans l ON l.id = s.loan_id WHERE s.id = ?',
  credit_application_steps: 'SELECT a.enterprise_id FROM credit_application_steps s JOIN credit_applications a ON a.id = s.application_id WHERE s.id = ?',
  green_tags: `SELECT coalesce(l.enterprise_id, a.enterprise_id) FROM green_tags t
    LEFT JOIN loans l ON t.owner_type = 'loan' AND l.id = t.owner_id
    LEFT JOIN credit_applications a ON t.owner_type = 'credit_application' AND a.id = t.owner_id WHERE t.id = ?`,
  green_factory_contacts: 'SELECT p.enterprise_id FROM green_factory_contacts c JOIN green_factory_projects p ON p.id = c.project_id WHERE c.id = ?',
  collateral_appraisals: 'SELECT c.enterprise_id FROM collateral_appraisals a JOIN collateral_items c ON c.id = a.item_id WHERE a.id = ?',
  collateral_loans: 'SELECT c.enterprise_id FROM collateral_loans k JOIN collateral_items c ON c.id = k.item_id WHERE k.id = ?',
  collateral_renewals: 'SELECT c.enterprise_id FROM collateral_renewals r JOIN collateral_items c ON c.id = r.item_id WHERE r.id = ?',
};

function recordName(db: Db, table: string, rowId: string): string | null {
  if (!isSyncTable(table)) return null;
  const sql = Object.hasOwn(ownerEnterpriseSql, table)
    ? ownerEnterpriseSql[table]!
    : columnsOf(db, table).has('enterprise_id')
      ? `SELECT enterprise_id FROM "${table}" WHERE id = ?`
      : null;
  const enterpriseId = sql === null ? null : ((db.prepare(sql).pluck().get(rowId) as string | undefined) ?? null);
  if (enterpriseId === null) return null;
  return (db.prepare('SELECT name FROM enterprises WHERE id = ?').pluck().get(enterpriseId) as string | undefined) ?? null;
}

interface LocalRow {
  [column: string]: unknown;
  updated_by?: string;
  updated_at?: string;
  deleted_at?: string | null;
}

/**
 * A stored conflict as the panel shows it. Whose edit is held comes from the edit's client id, never
 * from which laptop pulled it; "theirs" is the row as this laptop holds it after its last pull — head
 * office's current state — not the value when the conflict arose, and its version is what a decision
 * is checked against at the hub.
 */
function conflictView(db: Db, conflict: Conflict, clientId: string, userNames: Map<string, string>): SyncConflict {
  const local = isSyncTable(conflict.table) ? (db.prepare(`SELECT * FROM "${conflict.table}" WHERE id = ?`).get(conflict.rowId) as LocalRow | undefined) : undefined;
  const version = db.prepare('SELECT version FROM sync_versions WHERE table_name = ? AND row_id = ?').pluck().get(conflict.table, conflict.rowId) as number | undefined;
  const fields = new Set([...Object.keys(conflict.mine.fields), ...Object.keys(conflict.theirs.fields)].filter((field) => field !== 'branch_id'));
  const theirs = Object.fromEntries([...fields].map((field) => [field, local === undefined ? conflict.theirs.fields[field] : local[field]]));
  const heldFor = conflictHeldFor(conflict, clientId);
  // The device of the row's last guarded change (this laptop's or another's of the branch), and who
  // made it, as head office's change log says; the row's updated_by is only a fallback for older
  // hubs, since a held edit's own updated_by merges into the row by HLC.
  const theirsClient = conflict.theirs.clientId;
  const theirsDevice = theirsClient === undefined || isHeadOffice(theirsClient) ? null : (conflict.theirs.deviceName ?? null);
  const theirsBy = conflict.theirs.userId ?? local?.updated_by ?? null;
  return {
    id: conflict.id,
    table: conflict.table,
    rowId: conflict.rowId,
    recordName: recordName(db, conflict.table, conflict.rowId),
    status: conflict.status,
    baseVersion: conflict.baseVersion,
    heldFor,
    mayResolve: decidedHere(heldFor),
    mine: conflict.mine.fields,
    minePrev: conflict.mine.prev,
    theirs,
    mineBy: {
      userId: conflict.mine.userId,
      userName: userNames.get(conflict.mine.userId) ?? conflict.mine.userName ?? null,
      deviceName: heldFor === 'head-office' ? null : (conflict.mine.deviceName ?? null),
      thisDevice: heldFor === 'this',
      at: conflict.mine.at,
    },
    theirsBy: {
      userId: theirsBy,
      userName: theirsBy === null ? null : (userNames.get(theirsBy) ?? null),
      deviceName: theirsDevice,
      thisDevice: theirsClient === clientId,
      at: conflict.theirs.at ?? local?.updated_at ?? null,
    },
    theirsVersion: version ?? conflict.theirs.version,
    theirsDeleted: local === undefined ? conflict.theirs.deleted : local.deleted_at !== null && local.deleted_at !== undefined,
    createdAt: conflict.createdAt,
  };
}

/** Names of the branch's people (the synced directory, then this laptop's own accounts). */
function localUserNames(db: Db): Map<string, string> {
  return new Map((db.prepare('SELECT id, display_name FROM people UNION ALL SELECT id, display_name FROM users').all() as { id: string; display_name: string }[]).map((user) => [user.id, user.display_name]));
}

function openConflicts(db: Db): Conflict[] {
  return (db.prepare(`SELECT conflict FROM sync_conflicts WHERE status = 'open' ORDER BY seq`).pluck().all() as string[]).map((text) => JSON.parse(text) as Conflict);
}

function conflicts(db: Db): SyncConflict[] {
  const clientId = db.prepare('SELECT client_id FROM device').pluck().get() as string;
  const names = localUserNames(db);
  return openConflicts(db).map((conflict) => conflictView(db, conflict, clientId, names));
}

export const syncConflicts: Handler<'sync.conflicts'> = (ctx) => conflicts(ctx.store.db);

export const syncQuarantine: Handler<'sync.quarantine'> = (ctx) => quarantinedRows(ctx.store.db);

export const syncRejections: Handler<'sync.rejections'> = (ctx) => rejectedChanges(ctx.store.db);

/**
 * A decision on a conflict this laptop may decide (its own, or a head-office edit held for the
 * branch). Another laptop's held edit is decided there: the person who made it knows why.
 */
export const syncResolve: Handler<'sync.resolve'> = async (ctx, call, input) => {
  const user = signedInUser(call);
  const { db } = ctx.store;
  const stored = db.prepare('SELECT conflict FROM sync_conflicts WHERE id = ?').pluck().get(input.id) as string | undefined;
  if (stored === undefined) throw new HostFailure('NOT_FOUND', `No conflict ${input.id} on this laptop`);
  const view = conflictView(db, JSON.parse(stored) as Conflict, db.prepare('SELECT client_id FROM device').pluck().get() as string, localUserNames(db));
  if (view.status !== 'open') throw new HostFailure('CONFLICT', 'This conflict was already resolved', { syncCode: 'CONFLICT_ALREADY_RESOLVED' });
  if (!view.mayResolve) throw new HostFailure('FORBIDDEN', "Another laptop's held edit is decided on that laptop", { reason: 'HELD_FOR_ANOTHER_DEVICE' });
  const row = await asHostFailure(() =>
    ctx.sync.resolve({
      conflictId: input.id,
      choice: input.choice,
      expectedVersion: input.expectedVersion,
      ...(input.fields === undefined ? {} : { fields: input.fields }),
      userId: user.id,
      userName: user.displayName,
    }),
  );
  const current = ctx.store.db;
  const fields = Object.keys(view.theirs);
  return {
    conflicts: conflicts(current),
    settled: {
      table: view.table,
      rowId: view.rowId,
      recordName: recordName(current, view.table, view.rowId),
      deleted: row.deleted,
      fields: Object.fromEntries(fields.map((field) => [field, row.data[field] ?? null])),
    },
  };
};
