import { currentRatingLevel, type RatingRecordFacts } from '../shared/domain/environmentalRating.ts';
import type { Fields } from './merge.ts';
import type { Sql } from './storage.ts';

/**
 * The enterprise's environmental_rating at head office: derived from its rating records with
 * shared/domain's currentRatingLevel, the function every laptop derives its own copy with
 * (db/derived.ts), so the hub's row equals the laptops'. The column is never merged from a change
 * (shared/sync/tables.ts derivedFromRecords); the ledger derives it whenever it applies a change to
 * an enterprise or to one of its rating records, and migration 0005 derived it for rows stored before.
 */

/** A rating record as the hub holds it: its row's data and deletion. */
export interface StoredRating {
  data: Fields;
  deleted: boolean;
}

/** A rating record of the hub's as the rule reads it (the hub's copy of a laptop's row). */
function ratingFacts(rowId: string, { data, deleted }: StoredRating): RatingRecordFacts {
  return { id: rowId, level: String(data.level), ratedOn: String(data.rated_on ?? ''), createdAt: String(data.created_at ?? ''), deleted: deleted || data.deleted_at != null };
}

/** The enterprise a rating record belongs to, as its row id is stored (lower case). */
export const ratedEnterprise = (data: Fields | undefined): string | null => (typeof data?.enterprise_id === 'string' ? data.enterprise_id.toLowerCase() : null);

/** The rating records of some enterprises of a branch, as stored, by enterprise (index sync_rows_ratings_by_enterprise). */
export async function storedRatingRecords(sql: Sql, branchId: string, enterpriseIds: string[]): Promise<Map<string, Map<string, StoredRating>>> {
  const found = await sql.query<{ row_id: string; data: Fields; deleted: boolean }>(
    `SELECT row_id::text AS row_id, data, deleted FROM sync_rows
     WHERE branch_id = $1 AND table_name = 'enterprise_ratings' AND lower(data->>'enterprise_id') = ANY($2::text[])`,
    [branchId, enterpriseIds],
  );
  const byEnterprise = new Map<string, Map<string, StoredRating>>();
  for (const record of found) {
    const enterprise = ratedEnterprise(record.data) as string;
    const records = byEnterprise.get(enterprise) ?? new Map<string, StoredRating>();
    records.set(record.row_id, { data: record.data, deleted: record.deleted });
    byEnterprise.set(enterprise, records);
  }
  return byEnterprise;
}

export const ratingOf = (records: Map<string, StoredRating> | undefined): string | null => currentRatingLevel([...(records ?? new Map<string, StoredRating>())].map(([rowId, record]) => ratingFacts(rowId, record)));

/**
 * Once, when the hub's schema reaches 0005 (server/migrate.ts): every stored enterprise takes the
 * rating its records give — before, the hub kept whatever a laptop or head office had last sent.
 * Branch by branch, so one branch's rows are in memory at a time. Neither version nor seq moves:
 * the laptops derive the same value themselves and have nothing to pull.
 */
export async function deriveStoredRatings(tx: Sql): Promise<void> {
  const branches = await tx.query<{ branch_id: string }>("SELECT DISTINCT branch_id::text AS branch_id FROM sync_rows WHERE table_name = 'enterprises'");
  for (const { branch_id: branchId } of branches) {
    const enterprises = await tx.query<{ row_id: string; rating: string | null }>(
      "SELECT row_id::text AS row_id, data->>'environmental_rating' AS rating FROM sync_rows WHERE branch_id = $1 AND table_name = 'enterprises'",
      [branchId],
    );
    const records = await storedRatingRecords(tx, branchId, enterprises.map((enterprise) => enterprise.row_id));
    const changed = enterprises.map((enterprise) => ({ row_id: enterprise.row_id, before: enterprise.rating, level: ratingOf(records.get(enterprise.row_id)) })).filter((row) => row.level !== row.before);
    if (changed.length === 0) continue;
    await tx.query(
      `UPDATE sync_rows s SET data = jsonb_set(s.data, '{environmental_rating}', COALESCE(to_jsonb(c.level), 'null'::jsonb)), updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS c(row_id uuid, level text)
       WHERE s.branch_id = $1 AND s.table_name = 'enterprises' AND s.row_id = c.row_id`,
      [branchId, JSON.stringify(changed.map(({ row_id, level }) => ({ row_id, level })))],
    );
  }
}
