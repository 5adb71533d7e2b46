import { createHash } from 'node:crypto';
import { HubError } from './errors.ts';
import type { Sql } from './storage.ts';

/**
 * A branch's attachment files (migration 0003). A file is accepted only when its bytes hash to the
 * address it is sent to, so a laptop can neither corrupt another's file nor store one under a
 * misleading name; and it is read only by devices of the branch that stored it.
 */

/** Which of these hashes the branch has no file for yet. */
export async function missingBlobs(sql: Sql, branchId: string, hashes: readonly string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const present = await sql.query<{ sha256: string }>('SELECT sha256 FROM sync_blobs WHERE branch_id = $1 AND sha256 = ANY($2::text[])', [branchId, [...hashes]]);
  const have = new Set(present.map((row) => row.sha256));
  return [...new Set(hashes)].filter((hash) => !have.has(hash));
}

/** Stores a file under its hash; false when the branch had it already. */
export async function storeBlob(sql: Sql, branchId: string, deviceId: string, sha256: string, content: Buffer): Promise<boolean> {
  const actual = createHash('sha256').update(content).digest('hex');
  if (actual !== sha256) throw new HubError('VALIDATION', `The file's SHA-256 is ${actual}, not ${sha256}`, { expected: sha256, actual });
  const stored = await sql.query<{ sha256: string }>(
    'INSERT INTO sync_blobs (branch_id, sha256, size, content, uploaded_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (branch_id, sha256) DO NOTHING RETURNING sha256',
    [branchId, sha256, content.length, content, deviceId],
  );
  return stored.length > 0;
}

export async function readBlob(sql: Sql, branchId: string, sha256: string): Promise<Buffer> {
  const [row] = await sql.query<{ content: Uint8Array }>('SELECT content FROM sync_blobs WHERE branch_id = $1 AND sha256 = $2', [branchId, sha256]);
  if (row === undefined) throw new HubError('NOT_FOUND', `The branch has no file ${sha256} (yet)`);
  return Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength);
}
