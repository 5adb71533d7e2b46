-- The enterprise's environmental_rating is derived at the hub from its rating records (server/ratings.ts),
-- as every laptop derives it: the ledger reads an enterprise's records on each change to it or to them,
-- by this index. The rows stored before are derived once, in the same transaction, by code
-- (server/migrate.ts runs server/ratings.ts deriveStoredRatings after this file).
CREATE INDEX sync_rows_ratings_by_enterprise ON sync_rows (branch_id, (lower(data->>'enterprise_id'))) WHERE table_name = 'enterprise_ratings';
