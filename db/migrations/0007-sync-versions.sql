-- The hub's version of each row as this laptop last pulled it. An edit's base_version is this — the
-- state of head office the officer was looking at — never the laptop's own version counter, which
-- also counts local edits the hub has not seen and so drifts from the hub's numbering.
CREATE TABLE sync_versions (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (table_name, row_id)
) STRICT, WITHOUT ROWID;
