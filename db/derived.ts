import { pinyinInitials } from '../shared/domain/pinyin.ts';
import { prepared, type Db } from './open.ts';
import type { ColumnValue } from './records.ts';

/**
 * Columns computed from other data (shared/sync/tables.ts derivedFields), on every write and every
 * applied pull alike, so every laptop computes the same value from the same rows and none is synced.
 */

/**
 * The rating records are authoritative: an enterprise's current rating is the level of its newest
 * live record (latest rated_on; on one day the later-created, then the higher id), the same on every
 * laptop that holds the same records.
 */
const newestRating = (enterpriseId: string) => `SELECT level FROM enterprise_ratings WHERE enterprise_id = ${enterpriseId} AND deleted_at IS NULL
                           ORDER BY rated_on DESC, created_at DESC, id DESC LIMIT 1`;
const NEWEST_RATING_SQL = newestRating('enterprises.id');

export function currentRating(db: Db, enterpriseId: string): string | null {
  return (prepared(db, newestRating('?')).pluck().get(enterpriseId) as string | undefined) ?? null;
}

/** The derived columns of a pulled enterprise row, from the values about to be written. */
export function derivedEnterpriseValues(db: Db, rowId: string, values: Record<string, ColumnValue>, current: Record<string, unknown> | undefined): Record<string, ColumnValue> {
  const name = values.name ?? current?.name;
  return { name_initials: pinyinInitials(typeof name === 'string' ? name : ''), environmental_rating: currentRating(db, rowId) };
}

/** After a rating record was applied: its enterprise carries the newest record's level again. */
export function refreshEnterpriseRating(db: Db, enterpriseId: string): void {
  prepared(db, `UPDATE enterprises SET environmental_rating = (${NEWEST_RATING_SQL}) WHERE id = ? AND environmental_rating IS NOT (${NEWEST_RATING_SQL})`).run(enterpriseId);
}

/** Every enterprise's rating from its records (after a first pull placed the whole register). */
export function refreshAllEnterpriseRatings(db: Db): void {
  db.exec(`UPDATE enterprises SET environmental_rating = (${NEWEST_RATING_SQL}) WHERE environmental_rating IS NOT (${NEWEST_RATING_SQL})`);
}
