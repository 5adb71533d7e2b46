import type { AuditAnchor, AuditHead } from '../shared/sync/protocol.ts';
import { anchorOf, anchorUpsert, noteContradiction, type AnchorStored } from './anchors.ts';
import type { HubPullPage } from './ledger.ts';
import { RawJson } from './rawJson.ts';
import type { Sql } from './storage.ts';

/** Whether anything lies beyond the checkpoint for the branch: the same tests pullPage applies. */
const pendingSql = (branch: string, since: string, referenceVersions: string): string =>
  `EXISTS (SELECT 1 FROM sync_rows WHERE branch_id = ${branch} AND seq > ${since})
           OR EXISTS (SELECT 1 FROM sync_conflicts WHERE branch_id = ${branch} AND seq > ${since})
           OR EXISTS (SELECT 1 FROM reference_sets r WHERE r.version > COALESCE((${referenceVersions}::jsonb ->> r.name)::integer, 0))`;

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
       SELECT ${pendingSql('$1', '$2', '$3')} AS more
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

export interface QuietHello {
  auditAnchor: AuditAnchor | null;
  /** The empty page when a pull was asked and nothing lies beyond it (recorded); null when there is something to send (nothing recorded for the pull). */
  quiet: HubPullPage | null;
}

/**
 * A hello in one statement, for the usual case: a laptop reporting one audit head (its anchor is
 * its head, or it holds none yet; server/anchors.ts singleHead), maybe asking for its first pull
 * page with no page read ahead for it. What took three statements (recordHello, recordAnchor,
 * quietPull), each a parse, plan, execute and — on PGlite — a WAL write of its own, is one: the
 * device's versions and last_seen_at, the head stored (a contradiction found as recordAnchor finds
 * it), and, when `pull` is given and nothing lies beyond it, the pull recorded as quietPull records
 * it (bench sync.noop). The device row is updated once: two data-modifying CTEs must not touch
 * the same row.
 */
export async function quietHello(
  sql: Sql,
  device: { branchId: string; deviceId: string },
  hello: { appVersion: string; schemaVersion: number },
  head: AuditHead,
  pull: { since: number; referenceVersions: Record<string, number> } | null,
  log: (line: string) => void,
): Promise<QuietHello> {
  // Without a pull the statement neither reads the branch nor records a pull ($7 and $8 unused, so not sent).
  const more = pull === null ? 'true' : '(SELECT more FROM pending)';
  const [answer] = await sql.query<AnchorStored & { more: boolean }>(
    `WITH ${pull === null ? '' : `pending AS (SELECT ${pendingSql('$1', '$7', '$8')} AS more), `}${anchorUpsert(true)}, seen AS (
       UPDATE devices SET app_version = $5, schema_version = $6, last_seen_at = now()${
         pull === null ? '' : `, last_sync_at = CASE WHEN ${more} THEN last_sync_at ELSE now() END, reference_versions = CASE WHEN ${more} THEN reference_versions ELSE $8::jsonb END`
       }
       WHERE device_id = $2
     )
     -- Data-modifying WITHs run whether or not the query reads them.
     SELECT (SELECT hash FROM earlier) AS earlier, (SELECT received_at FROM stored) AS received_at, ${more} AS more`,
    [device.branchId, device.deviceId, head.seq, head.hash, hello.appVersion, hello.schemaVersion, ...(pull === null ? [] : [pull.since, JSON.stringify(pull.referenceVersions)])],
  );
  noteContradiction(device.deviceId, head, answer, log);
  return { auditAnchor: anchorOf(head, answer), quiet: pull === null || answer === undefined || answer.more ? null : emptyPage(pull.since) };
}
