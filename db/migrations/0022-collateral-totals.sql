-- The collateral register at 300,000 items (issue 15 acceptance 5; bench collateral).
--
-- Totals kept as items change: per status, type and the month the item's first end falls in (the
-- earlier of the right's and the registration's last day), so the totals of any status and type
-- filter are a sum over a few hundred rows, and those of an expiry horizon add only the horizon's
-- own month read from the items (collateral_by_first_end). Derived on every laptop from its own
-- items, never synced: the triggers keep it, a first pull's INSERT … SELECT included.
CREATE TABLE collateral_value_totals (
  status TEXT NOT NULL,
  type TEXT NOT NULL,
  -- YYYY-MM of min(valid_to, coalesce(registration_expires_on, valid_to))
  end_month TEXT NOT NULL,
  item_count INTEGER NOT NULL,
  appraised_fen INTEGER NOT NULL,
  pledged_fen INTEGER NOT NULL,
  PRIMARY KEY (status, type, end_month)
) STRICT, WITHOUT ROWID;

INSERT INTO collateral_value_totals (status, type, end_month, item_count, appraised_fen, pledged_fen)
  SELECT status, type, substr(min(valid_to, coalesce(registration_expires_on, valid_to)), 1, 7), count(*), sum(appraised_value_fen), sum(pledged_value_fen)
    FROM collateral_items WHERE deleted_at IS NULL GROUP BY 1, 2, 3;

CREATE TRIGGER collateral_value_totals_insert AFTER INSERT ON collateral_items WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO collateral_value_totals (status, type, end_month, item_count, appraised_fen, pledged_fen)
    VALUES (new.status, new.type, substr(min(new.valid_to, coalesce(new.registration_expires_on, new.valid_to)), 1, 7), 1, new.appraised_value_fen, new.pledged_value_fen)
    ON CONFLICT (status, type, end_month) DO UPDATE SET item_count = item_count + 1, appraised_fen = appraised_fen + excluded.appraised_fen, pledged_fen = pledged_fen + excluded.pledged_fen;
END;

CREATE TRIGGER collateral_value_totals_delete AFTER DELETE ON collateral_items WHEN old.deleted_at IS NULL BEGIN
  UPDATE collateral_value_totals SET item_count = item_count - 1, appraised_fen = appraised_fen - old.appraised_value_fen, pledged_fen = pledged_fen - old.pledged_value_fen
   WHERE status = old.status AND type = old.type AND end_month = substr(min(old.valid_to, coalesce(old.registration_expires_on, old.valid_to)), 1, 7);
END;

CREATE TRIGGER collateral_value_totals_update AFTER UPDATE OF status, type, valid_to, registration_expires_on, appraised_value_fen, pledged_value_fen, deleted_at ON collateral_items BEGIN
  UPDATE collateral_value_totals SET item_count = item_count - 1, appraised_fen = appraised_fen - old.appraised_value_fen, pledged_fen = pledged_fen - old.pledged_value_fen
   WHERE old.deleted_at IS NULL AND status = old.status AND type = old.type AND end_month = substr(min(old.valid_to, coalesce(old.registration_expires_on, old.valid_to)), 1, 7);
  INSERT INTO collateral_value_totals (status, type, end_month, item_count, appraised_fen, pledged_fen)
    SELECT new.status, new.type, substr(min(new.valid_to, coalesce(new.registration_expires_on, new.valid_to)), 1, 7), 1, new.appraised_value_fen, new.pledged_value_fen WHERE new.deleted_at IS NULL
    ON CONFLICT (status, type, end_month) DO UPDATE SET item_count = item_count + 1, appraised_fen = appraised_fen + excluded.appraised_fen, pledged_fen = pledged_fen + excluded.pledged_fen;
END;

-- The items of an expiry horizon as one range of their first end, holding what the totals sum.
CREATE INDEX collateral_by_first_end ON collateral_items (min(valid_to, coalesce(registration_expires_on, valid_to)), status, type, appraised_value_fen, pledged_value_fen, valid_to, registration_expires_on, deleted_at)
  WHERE deleted_at IS NULL;

-- Each sort's walk holds both ends too, so an expiry horizon is tested in the index: without them a
-- page sorted by validTo descending with a 30-day horizon looked up ~100,000 rows (1.25 s in the bench).
DROP INDEX collateral_by_updated;
DROP INDEX collateral_by_valid_to;
DROP INDEX collateral_by_registration_expiry;
DROP INDEX collateral_by_pledged;
DROP INDEX collateral_by_appraised;
CREATE INDEX collateral_by_updated ON collateral_items (updated_at, status, type, enterprise_id, maker_id, valid_to, registration_expires_on, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_valid_to ON collateral_items (valid_to, status, type, enterprise_id, maker_id, registration_expires_on, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_registration_expiry ON collateral_items (registration_expires_on, status, type, enterprise_id, maker_id, valid_to, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_pledged ON collateral_items (pledged_value_fen, status, type, enterprise_id, maker_id, valid_to, registration_expires_on, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_appraised ON collateral_items (appraised_value_fen, status, type, enterprise_id, maker_id, valid_to, registration_expires_on, deleted_at) WHERE deleted_at IS NULL;
-- A few thousand matches are sorted whole from the status index: it holds every sort column now.
DROP INDEX collateral_by_status;
CREATE INDEX collateral_by_status ON collateral_items (status, type, maker_id, enterprise_id, appraised_value_fen, pledged_value_fen, valid_to, registration_expires_on, updated_at, deleted_at) WHERE deleted_at IS NULL;
