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
  const record = async (head: AuditHead, isHead: boolean): Promise<{ received_at: unknown } | undefined> => {
    const [stored] = await sql.query<{ earlier: string | null; received_at: unknown }>(
      `WITH earlier AS (
         SELECT hash FROM audit_anchors WHERE branch_id = $1 AND device_id = $2 AND seq = $3 AND hash <> $4 ORDER BY received_at LIMIT 1
       ), stored AS (
         INSERT INTO audit_anchors (branch_id, device_id, seq, hash, contradicts) SELECT $1, $2, $3, $4, (SELECT hash FROM earlier)
         ON CONFLICT (branch_id, device_id, seq, hash) DO ${isHead ? 'UPDATE SET received_at = now()' : 'NOTHING'}
         RETURNING received_at
       )
       SELECT (SELECT hash FROM earlier) AS earlier, (SELECT received_at FROM stored) AS received_at`,
      [device.branchId, device.deviceId, head.seq, head.hash],
    );
    if (stored?.earlier != null) log(`[hub] device ${device.deviceId}: its audit chain at ${head.seq} hashes to ${head.hash}, but it reported ${stored.earlier} there before (rewritten)`);
    return stored;
  };
  const head = reported.head !== undefined && reported.head.seq !== 0 ? reported.head : undefined;
  const atAnchor = reported.atAnchor !== undefined && reported.atAnchor.seq !== 0 ? reported.atAnchor : undefined;
  // The same seq and hash as the head: the head's upsert stores it and finds the same contradiction.
  if (atAnchor !== undefined && !(head !== undefined && atAnchor.seq === head.seq && atAnchor.hash === head.hash)) await record(atAnchor, false);
  if (head !== undefined) {
    // Its received_at is this statement's now(), the latest of the device's: it is the answer.
    const stored = await record(head, true);
    if (stored?.received_at != null) return { seq: head.seq, hash: head.hash, at: iso(stored.received_at) };
  }
  const [latest] = await sql.query<{ seq: string | number; hash: string; received_at: unknown }>(
    'SELECT seq, hash, received_at FROM audit_anchors WHERE branch_id = $1 AND device_id = $2 ORDER BY received_at DESC, seq DESC LIMIT 1',
    [device.branchId, device.deviceId],
  );
  return latest === undefined ? null : { seq: Number(latest.seq), hash: latest.hash, at: iso(latest.received_at) };
}

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
