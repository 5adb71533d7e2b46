import type { HubPullPage } from './ledger.ts';
import { RawJson } from './rawJson.ts';
import type { Sql } from './storage.ts';

/**
 * Most pulls find nothing: a laptop syncing every few minutes in a quiet branch. Preparing the page
 * the long way (ledger.ts pullPage: a transaction, two planner settings, the page's rows, conflicts
 * and reference sets, then the device's bookkeeping) is eight statements to say "nothing"; on the
 * embedded PGlite each costs a few tenths of a millisecond (bench sync.noop). This asks in one
 * statement whether anything lies beyond the checkpoint — a row or conflict of the branch with a
 * higher seq, or a reference set newer than the device holds (the same tests pullPage applies) —
 * and, only when nothing does, records the pull as recordPull would (directory.ts).
 *
 * Answers the empty page, or null: then there is something to send, nothing was recorded, and the
 * caller prepares the page as before. The empty page is exactly what pullPage answers then.
 */
export async function quietPull(sql: Sql, branchId: string, deviceId: string, request: { since: number; referenceVersions: Record<string, number> }): Promise<HubPullPage | null> {
  const [answer] = await sql.query<{ more: boolean }>(
    `WITH pending AS (
       SELECT EXISTS (SELECT 1 FROM sync_rows WHERE branch_id = $1 AND seq > $2)
           OR EXISTS (SELECT 1 FROM sync_conflicts WHERE branch_id = $1 AND seq > $2)
           OR EXISTS (SELECT 1 FROM reference_sets r WHERE r.version > COALESCE(($3::jsonb ->> r.name)::integer, 0)) AS more
     ), recorded AS (
       UPDATE devices SET last_sync_at = now(), last_seen_at = now(), reference_versions = $3::jsonb
       WHERE device_id = $4 AND NOT (SELECT more FROM pending)
     )
     -- A data-modifying WITH runs whether or not the query reads it.
     SELECT more FROM pending`,
    [branchId, request.since, JSON.stringify(request.referenceVersions), deviceId],
  );
  if (answer === undefined || answer.more) return null;
  return emptyPage(request.since);
}

/** The page of a pull with nothing beyond `since`: it keeps the checkpoint where it is. */
export const emptyPage = (since: number): HubPullPage => ({ rows: new RawJson('[]'), conflicts: [], reference: [], next: since, hasMore: false });
