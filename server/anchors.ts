import type { AuditAnchor, AuditHead } from '../shared/sync/protocol.ts';
import type { Sql } from './storage.ts';

/**
 * Audit anchors: every sync's hello carries the laptop's audit chain head, and head office keeps it
 * (migration 0004). The laptop stores the anchor it gets back, and its `verify` then finds a rewrite
 * of any row at or before it, even with every later hash recomputed (db/audit.ts). Here, a head
 * that contradicts an earlier one of the same device — same seq, another hash — is recorded as such.
 */

export interface DeviceAnchors {
  /** The latest head the device reported. */
  latest: AuditAnchor | null;
  /** Heads that contradict an earlier one: seq, the hash reported now and the one anchored before. */
  contradictions: { seq: number; hash: string; earlierHash: string; at: string }[];
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

/**
 * Records what a hello reports: the chain's hash now at the laptop's stored anchor (`atAnchor`,
 * which normally repeats an anchor held here) and its head (the new anchor; an empty chain anchors
 * nothing). Either one contradicting an earlier head of the device is kept with the earlier hash.
 * Answers the latest anchor held: the head just reported.
 *
 * One statement per head: the contradiction looked up and the head stored together. A laptop with
 * nothing new since its last sync reports the same head twice (its anchor is its head): storing the
 * head covers both, so that hello costs one statement where it cost five (bench sync.noop).
 */
export async function recordAnchor(
  sql: Sql,
  device: { branchId: string; deviceId: string },
  reported: { head?: AuditHead | undefined; atAnchor?: AuditHead | undefined },
  log: (line: string) => void,
): Promise<AuditAnchor | null> {
  const record = async (head: AuditHead, isHead: boolean): Promise<AnchorStored | undefined> => {
    const [stored] = await sql.query<AnchorStored>(`WITH ${anchorUpsert(isHead)} SELECT (SELECT hash FROM earlier) AS earlier, (SELECT received_at FROM stored) AS received_at`, [
      device.branchId,
      device.deviceId,
      head.seq,
      head.hash,
    ]);
    noteContradiction(device.deviceId, head, stored, log);
    return stored;
  };
  const head = reported.head !== undefined && reported.head.seq !== 0 ? reported.head : undefined;
  const atAnchor = reported.atAnchor !== undefined && reported.atAnchor.seq !== 0 ? reported.atAnchor : undefined;
  // The same seq and hash as the head: the head's upsert stores it and finds the same contradiction.
  if (atAnchor !== undefined && !(head !== undefined && atAnchor.seq === head.seq && atAnchor.hash === head.hash)) await record(atAnchor, false);
  if (head !== undefined) {
    // Its received_at is this statement's now(), the latest of the device's: it is the answer.
    const anchor = anchorOf(head, await record(head, true));
    if (anchor !== null) return anchor;
  }
  const [latest] = await sql.query<{ seq: string | number; hash: string; received_at: unknown }>(
    'SELECT seq, hash, received_at FROM audit_anchors WHERE branch_id = $1 AND device_id = $2 ORDER BY received_at DESC, seq DESC LIMIT 1',
    [device.branchId, device.deviceId],
  );
  return latest === undefined ? null : { seq: Number(latest.seq), hash: latest.hash, at: iso(latest.received_at) };
}

/** What the anchor upsert answers: the contradicted earlier hash, if any, and when the head is now anchored. */
export interface AnchorStored {
  earlier: string | null;
  received_at: unknown;
}

/**
 * The CTEs `earlier` (an earlier hash of the device at this seq) and `stored` (the upsert, returning
 * received_at when the head was stored or refreshed), over $1 branch, $2 device, $3 seq, $4 hash.
 * server/quietPull.ts quietHello runs them inside its own statement.
 */
export const anchorUpsert = (isHead: boolean): string => `earlier AS (
         SELECT hash FROM audit_anchors WHERE branch_id = $1 AND device_id = $2 AND seq = $3 AND hash <> $4 ORDER BY received_at LIMIT 1
       ), stored AS (
         INSERT INTO audit_anchors (branch_id, device_id, seq, hash, contradicts) SELECT $1, $2, $3, $4, (SELECT hash FROM earlier)
         ON CONFLICT (branch_id, device_id, seq, hash) DO ${isHead ? 'UPDATE SET received_at = now()' : 'NOTHING'}
         RETURNING received_at
       )`;

/**
 * The one head a hello asks to store, when one upsert covers all it reports: a head (not an empty
 * chain) and no anchor hash, or the same seq and hash as the head (a laptop with nothing new since
 * its last sync: its anchor is its head; the head's upsert stores it and finds the same
 * contradiction). Null otherwise: recordAnchor's general path.
 */
export function singleHead(reported: { head?: AuditHead | undefined; atAnchor?: AuditHead | undefined }): AuditHead | null {
  const head = reported.head !== undefined && reported.head.seq !== 0 ? reported.head : undefined;
  const atAnchor = reported.atAnchor !== undefined && reported.atAnchor.seq !== 0 ? reported.atAnchor : undefined;
  if (head === undefined) return null;
  return atAnchor === undefined || (atAnchor.seq === head.seq && atAnchor.hash === head.hash) ? head : null;
}

export function noteContradiction(deviceId: string, head: AuditHead, stored: AnchorStored | undefined, log: (line: string) => void): void {
  if (stored?.earlier != null) log(`[hub] device ${deviceId}: its audit chain at ${head.seq} hashes to ${head.hash}, but it reported ${stored.earlier} there before (rewritten)`);
}

/** The anchor a stored head makes (its received_at is the statement's now(), the device's latest), or null when nothing was stored. */
export const anchorOf = (head: AuditHead, stored: AnchorStored | undefined): AuditAnchor | null =>
  stored?.received_at != null ? { seq: head.seq, hash: head.hash, at: iso(stored.received_at) } : null;

/** Every device's latest anchor and contradictions, for the admin overview and the console. */
export async function anchorsByDevice(sql: Sql): Promise<Map<string, DeviceAnchors>> {
  const rows = await sql.query<{ device_id: string; seq: string | number; hash: string; received_at: unknown; contradicts: string | null }>(
    `SELECT device_id::text AS device_id, seq, hash, received_at, contradicts FROM audit_anchors
     WHERE contradicts IS NOT NULL
        OR (device_id, received_at) IN (SELECT device_id, max(received_at) FROM audit_anchors GROUP BY device_id)
     ORDER BY received_at, seq`,
  );
  const byDevice = new Map<string, DeviceAnchors>();
  for (const row of rows) {
    const entry = byDevice.get(row.device_id) ?? { latest: null, contradictions: [] };
    const anchor = { seq: Number(row.seq), hash: row.hash, at: iso(row.received_at) };
    entry.latest = anchor;
    if (row.contradicts !== null) entry.contradictions.push({ ...anchor, earlierHash: row.contradicts });
    byDevice.set(row.device_id, entry);
  }
  return byDevice;
}
