-- Pulled rows this laptop cannot store (a constraint refuses them: a required field missing, a value
-- outside its list, a wrong type). One bad row must never stop sync for good: it waits here with the
-- reason, the pull goes on past it, 同步 lists it, and a later valid version of the row replaces it.
CREATE TABLE sync_quarantine (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  snapshot TEXT NOT NULL,               -- the row as pulled (JSON), to apply once the app can
  reason TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id)
) STRICT;
