import { currentRatingLevel, type RatingRecordFacts } from '../shared/domain/environmentalRating.ts';
import { pinyinInitials } from '../shared/domain/pinyin.ts';
import { prepared, type Db } from './open.ts';
import type { ColumnValue } from './records.ts';

/**
 * Columns computed from other data (shared/sync/tables.ts derivedFields), on every write and every
 * applied pull alike, so every laptop computes the same value from the same rows and none is synced.
 */

/**
 * The rating records are authoritative: an enterprise's current rating is its newest live record's
 * level by shared/domain's currentRatingLevel — the function the hub derives its copy with too
 * (server/ledger.ts), so every laptop and head office hold the same rating for the same records.
 */
const LIVE_RATING_FACTS = 'SELECT enterprise_id AS enterpriseId, id, level, rated_on AS ratedOn, created_at AS createdAt FROM enterprise_ratings WHERE deleted_at IS NULL';

type RatingRow = Omit<RatingRecordFacts, 'deleted'> & { enterpriseId: string };
const facts = (row: RatingRow): RatingRecordFacts => ({ id: row.id, level: row.level, ratedOn: row.ratedOn, createdAt: row.createdAt, deleted: false });

export function currentRating(db: Db, enterpriseId: string): string | null {
  return currentRatingLevel((prepared(db, `${LIVE_RATING_FACTS} AND enterprise_id = ?`).all(enterpriseId) as RatingRow[]).map(facts));
}

/** The derived columns of a pulled enterprise row, from the values about to be written. */
export function derivedEnterpriseValues(db: Db, rowId: string, values: Record<string, ColumnValue>, current: Record<string, unknown> | undefined): Record<string, ColumnValue> {
  const name = values.name ?? current?.name;
  return { name_initials: pinyinInitials(typeof name === 'string' ? name : ''), environmental_rating: currentRating(db, rowId) };
}

/** After a rating record was applied: its enterprise carries the newest record's level again. */
export function refreshEnterpriseRating(db: Db, enterpriseId: string): void {
  const level = currentRating(db, enterpriseId);
  prepared(db, 'UPDATE enterprises SET environmental_rating = ? WHERE id = ? AND environmental_rating IS NOT ?').run(level, enterpriseId, level);
}

/** Every enterprise's rating from its records (after a first pull placed the whole register): one read of each table. */
export function refreshAllEnterpriseRatings(db: Db): void {
  const byEnterprise = new Map<string, RatingRecordFacts[]>();
  for (const row of db.prepare(LIVE_RATING_FACTS).all() as RatingRow[]) {
    byEnterprise.set(row.enterpriseId, [...(byEnterprise.get(row.enterpriseId) ?? []), facts(row)]);
  }
  const update = db.prepare('UPDATE enterprises SET environmental_rating = ? WHERE id = ?');
  for (const enterprise of db.prepare('SELECT id, environmental_rating FROM enterprises').all() as { id: string; environmental_rating: string | null }[]) {
    const level = currentRatingLevel(byEnterprise.get(enterprise.id) ?? []);
    if (level !== enterprise.environmental_rating) update.run(level, enterprise.id);
  }
}
