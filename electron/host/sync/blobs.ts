import { existsSync } from 'node:fs';
import { blobsMissingResponseSchema, BLOBS_PATH, syncLimits } from '../../../shared/sync/protocol.ts';
import type { Db } from '../../../db/open.ts';
import { AttachmentBlobError, blobPath, getBlob, putBlob, sha256Hex } from '../enterprises/attachmentStore.ts';
import { hubGetBlob, hubPutBlob, hubRequest, type HubClientOptions, type HubError } from './hubClient.ts';

/**
 * Attachment files between the laptop and head office. Rows (attachments.sha256) sync like any
 * other; the files follow here, after the rows of a cycle: each file head office lacks goes up from
 * the laptop that has it, and each file this laptop lacks comes down — so a credit manager's laptop
 * can open the permit an officer scanned on another. Files are plaintext only on the wire (TLS to a
 * real hub) and in the hub's database; on a laptop they are stored encrypted as always.
 *
 * Bounded per cycle (files and bytes), so a branch's backlog of scans never holds up the rows of
 * the next cycle; the rest follows in later ones. A file that fails (corrupt here, or not uploaded
 * yet by the laptop that has it) is skipped and tried again next cycle.
 */
export interface BlobStore {
  dataDir: string;
  key: Buffer;
}

export interface BlobReport {
  sent: number;
  fetched: number;
  /** Files named by a row that neither this laptop nor head office has yet. */
  waiting: number;
}

export const BLOB_BUDGET = { files: 200, bytes: 200 * 1024 * 1024 };

export async function syncBlobs(db: Db, client: HubClientOptions, store: BlobStore, log: (line: string) => void, budget = BLOB_BUDGET): Promise<BlobReport> {
  const report: BlobReport = { sent: 0, fetched: 0, waiting: 0 };
  const confirm = db.prepare('INSERT OR IGNORE INTO blobs_at_hub (sha256, confirmed_at) VALUES (?, ?)');
  const here = (sha256: string) => existsSync(blobPath(store.dataDir, sha256));
  // Every file a live attachment names that head office is not known to hold.
  const unconfirmed = db
    .prepare('SELECT DISTINCT a.sha256 FROM attachments a WHERE a.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM blobs_at_hub h WHERE h.sha256 = a.sha256) ORDER BY a.sha256')
    .pluck()
    .all() as string[];
  const missingAtHub = new Set<string>();
  for (let i = 0; i < unconfirmed.length; i += syncLimits.maxBlobsPerQuery) {
    const chunk = unconfirmed.slice(i, i + syncLimits.maxBlobsPerQuery);
    const { missing } = unwrap(await hubRequest(client, `${BLOBS_PATH}/missing`, { sha256: chunk }, blobsMissingResponseSchema));
    for (const sha256 of missing) missingAtHub.add(sha256);
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const sha256 of chunk) if (!missingAtHub.has(sha256)) confirm.run(sha256, now);
    })();
  }

  // Files head office holds that this laptop lacks (named by a live attachment row).
  const wanted = (db.prepare('SELECT DISTINCT a.sha256 FROM attachments a JOIN blobs_at_hub h ON h.sha256 = a.sha256 WHERE a.deleted_at IS NULL').pluck().all() as string[]).filter(
    (sha256) => !here(sha256),
  );
  if (missingAtHub.size === 0 && wanted.length === 0) return report;

  let files = 0;
  let bytes = 0;
  const withinBudget = () => files < budget.files && bytes < budget.bytes;
  const sizes = new Map(
    (db.prepare('SELECT sha256, max(size) AS size FROM attachments WHERE deleted_at IS NULL GROUP BY sha256').all() as { sha256: string; size: number }[]).map((row) => [row.sha256, row.size]),
  );
  /** A file gets time for its size on a slow branch line (32 KB/s), not the 30 s of a page of rows. */
  const forFile = (sha256: string): HubClientOptions => ({ ...client, timeoutMs: Math.round(Math.max(client.timeoutMs ?? 30_000, 30_000 + ((sizes.get(sha256) ?? 0) / (32 * 1024)) * 1000)) });
  // Files go in a different order each cycle, so one that keeps failing cannot hold up the rest.
  const rotate = <T>(items: T[]): T[] => (items.length === 0 ? items : ((start) => [...items.slice(start), ...items.slice(0, start)])(Math.floor(Math.random() * items.length)));
  for (const sha256 of rotate([...missingAtHub])) {
    if (!here(sha256)) {
      report.waiting += 1;
      continue;
    }
    if (!withinBudget()) break;
    try {
      const plaintext = getBlob(store.dataDir, store.key, sha256);
      unwrap(await hubPutBlob(forFile(sha256), sha256, plaintext));
      confirm.run(sha256, new Date().toISOString());
      report.sent += 1;
      files += 1;
      bytes += plaintext.length;
    } catch (error) {
      if (skipOrStop(error, log, `sending attachment file ${sha256}`) === 'stop') return report;
    }
  }

  for (const sha256 of rotate(wanted)) {
    if (!withinBudget()) break;
    try {
      const content = unwrap(await hubGetBlob(forFile(sha256), sha256));
      // Bytes that are not the named file are refused, whoever sent them.
      const actual = sha256Hex(content);
      if (actual !== sha256) throw new AttachmentBlobError('corrupt', `head office sent a file whose SHA-256 is ${actual}, not ${sha256}`);
      putBlob(store.dataDir, store.key, content);
      report.fetched += 1;
      files += 1;
      bytes += content.length;
    } catch (error) {
      if (skipOrStop(error, log, `fetching attachment file ${sha256}`) === 'stop') return report;
    }
  }
  return report;
}

/**
 * The rows of the cycle are in by now, so a file's trouble never fails it: a revoked device or a
 * too-old app fails the cycle as always; a hub that stops answering (or a file too slow for the
 * line) ends the file work for this cycle; anything else skips the one file.
 */
function skipOrStop(error: unknown, log: (line: string) => void, what: string): 'skip' | 'stop' {
  if (error instanceof BlobTransportFailure && (error.error.code === 'DEVICE_REVOKED' || error.error.code === 'UPGRADE_REQUIRED')) throw error;
  log(`[sync] ${what} skipped: ${error instanceof Error ? error.message : String(error)}`);
  return error instanceof BlobTransportFailure && error.error.code === 'HUB_UNREACHABLE' ? 'stop' : 'skip';
}
function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: HubError }): T {
  if (!result.ok) throw new BlobTransportFailure(result.error);
  return result.value;
}

/** The hub's refusal or silence (the engine turns one that escapes into the cycle's SyncFailure). */
export class BlobTransportFailure extends Error {
  constructor(readonly error: HubError) {
    super(error.message);
    this.name = 'BlobTransportFailure';
  }
}
