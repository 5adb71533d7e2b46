import { encodeHlc, parseHlc, tick, zeroHlc } from '../shared/sync/hlc.ts';
import { isDerivedField, isSyncTable } from '../shared/sync/tables.ts';
import { prepared, type Db } from './open.ts';

export interface CapturedChange {
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  fields: Record<string, unknown>;
  prev: Record<string, unknown>;
  userId: string;
  at: string;
}

export interface OutboxRow {
  op_id: number;
  table_name: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  fields: string;
  prev: string;
  base_version: number;
  hlc: string;
  user_id: string;
  at: string;
}

function clientId(db: Db): string {
  return prepared(db, 'SELECT client_id FROM device').pluck().get() as string;
}

/** Advances this device's hybrid logical clock for one local event and returns its stamp. */
export function nextHlc(db: Db, now: number): string {
  const stored = prepared(db, 'SELECT hlc FROM sync_state WHERE singleton = 1').pluck().get() as string | null;
  const current = (stored === null ? null : parseHlc(stored)) ?? zeroHlc(clientId(db));
  const next = encodeHlc(tick(current, now));
  prepared(db, 'UPDATE sync_state SET hlc = ? WHERE singleton = 1').run(next);
  return next;
}

/**
 * Appends a write to the outbox. Called by the record write path inside the write's own
 * transaction, so a change and its outbox entry commit together; tables head office does not
 * sync (users, branch) are skipped.
 */
export function captureChange(db: Db, change: CapturedChange): void {
  if (!isSyncTable(change.table)) return;
  // Derived columns are recomputed by every side from what it applied, never sent (shared/sync/tables.ts).
  const own = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([field]) => !isDerivedField(change.table, field)));
  const fields = own(change.fields);
  // An update of derived columns alone is still sent, with its stamps: it raised the row's version and
  // stamps here, and dropping it left this laptop a version ahead of head office for good (issue 11).
  // The write paths avoid such updates (a rating refreshes its enterprise without one, db/derived.ts).
  // The base is head office's version as last pulled; a row created here and not yet pulled back is at
  // the hub's version 1 (its insert), which is what the hub compares with.
  const baseVersion =
    change.op === 'insert'
      ? 0
      : ((prepared(db, 'SELECT version FROM sync_versions WHERE table_name = ? AND row_id = ?').pluck().get(change.table, change.rowId) as number | undefined) ?? 1);
  prepared(db, 
    `INSERT INTO outbox (table_name, row_id, op, fields, prev, base_version, hlc, user_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(change.table, change.rowId, change.op, JSON.stringify(fields), JSON.stringify(own(change.prev)), baseVersion, nextHlc(db, Date.parse(change.at)), change.userId, change.at);
}

export function outboxPage(db: Db, limit: number): OutboxRow[] {
  return prepared(db, 'SELECT * FROM outbox ORDER BY op_id LIMIT ?').all(limit) as OutboxRow[];
}

export function outboxCount(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM outbox').pluck().get() as number;
}
