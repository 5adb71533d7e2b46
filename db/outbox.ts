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
  const sent = change.op === 'insert' ? withoutInsertStamps(fields, change.userId, change.at) : fields;
  prepared(db, 
    `INSERT INTO outbox (table_name, row_id, op, fields, prev, base_version, hlc, user_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(change.table, change.rowId, change.op, JSON.stringify(sent), JSON.stringify(own(change.prev)), baseVersion, nextHlc(db, Date.parse(change.at)), change.userId, change.at);
}

/**
 * The bulk form of captureChange for rows just created with fresh ids (an import's chunk, issue 20):
 * one clock read and write for the batch, each entry still its own tick, and compact fields — an
 * insert leaves out its null columns (absent is null on a new row, at head office and on every
 * laptop) and the stamps its entry already carries (see insertStamps). Head office still receives
 * and validates every row; this is about 40% of an entry's bytes while it waits for the push.
 */
export function captureInserts(db: Db, table: string, rows: readonly { rowId: string; fields: Record<string, unknown> }[], userId: string, at: string): void {
  if (!isSyncTable(table) || rows.length === 0) return;
  const insert = prepared(db, `INSERT INTO outbox (table_name, row_id, op, fields, prev, base_version, hlc, user_id, at) VALUES (?, ?, 'insert', ?, '{}', 0, ?, ?, ?)`);
  const stored = prepared(db, 'SELECT hlc FROM sync_state WHERE singleton = 1').pluck().get() as string | null;
  let clock = (stored === null ? null : parseHlc(stored)) ?? zeroHlc(clientId(db));
  const now = Date.parse(at);
  const derived = new Set(Object.keys(rows[0]!.fields).filter((field) => isDerivedField(table, field)));
  for (const { rowId, fields } of rows) {
    clock = tick(clock, now);
    const own: Record<string, unknown> = {};
    for (const field in fields) {
      const value = fields[field];
      if (value !== null && value !== undefined && !derived.has(field)) own[field] = value;
    }
    insert.run(table, rowId, JSON.stringify(withoutInsertStamps(own, userId, at)), encodeHlc(clock), userId, at);
  }
  prepared(db, 'UPDATE sync_state SET hlc = ? WHERE singleton = 1').run(encodeHlc(clock));
}

/**
 * An insert's created/updated stamps are its entry's own `at` and `user_id`, so the entry does not
 * repeat them (about 190 bytes); `changeFields` puts them back before the change is sent. A stamp
 * that differs from the entry is kept as written.
 */
const insertStamps = { created_at: 'at', updated_at: 'at', created_by: 'user', updated_by: 'user' } as const;

function withoutInsertStamps(fields: Record<string, unknown>, userId: string, at: string): Record<string, unknown> {
  for (const [stamp, from] of Object.entries(insertStamps)) if (fields[stamp] === (from === 'at' ? at : userId)) delete fields[stamp];
  return fields;
}

/** The fields an outbox entry sends: as stored, with an insert's stamps restored (withoutInsertStamps). */
export function changeFields(row: Pick<OutboxRow, 'op' | 'fields' | 'user_id' | 'at'>): Record<string, unknown> {
  const fields = JSON.parse(row.fields) as Record<string, unknown>;
  if (row.op !== 'insert') return fields;
  for (const [stamp, from] of Object.entries(insertStamps)) if (!(stamp in fields)) fields[stamp] = from === 'at' ? row.at : row.user_id;
  return fields;
}

/** The oldest `limit` entries after op id `after` (0: from the first). */
export function outboxPage(db: Db, limit: number, after = 0): OutboxRow[] {
  return prepared(db, 'SELECT * FROM outbox WHERE op_id > ? ORDER BY op_id LIMIT ?').all(after, limit) as OutboxRow[];
}

export function outboxCount(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM outbox').pluck().get() as number;
}
