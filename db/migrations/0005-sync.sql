-- Sync with head office (ARCHITECTURE "Sync"). Local tables: they describe this laptop's sync state.

-- Every write to a syncable table appends here in the same transaction (db/records.ts). Uploaded in
-- op_id order; a row leaves the outbox only when the hub has answered for it.
CREATE TABLE outbox (
  op_id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  fields TEXT NOT NULL,                 -- JSON: changed field → new value
  prev TEXT NOT NULL,                   -- JSON: changed field → previous value
  base_version INTEGER NOT NULL,
  hlc TEXT NOT NULL,
  user_id TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  hub_url TEXT,
  device_id TEXT,
  device_token TEXT,                    -- inside the encrypted database, whose key the OS keystore wraps
  hub_branch_id TEXT,
  hub_branch_name TEXT,
  checkpoint INTEGER NOT NULL DEFAULT 0, -- last server sequence applied; the only pull checkpoint
  hlc TEXT,                             -- this device's hybrid logical clock
  reference_versions TEXT NOT NULL DEFAULT '{}',
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error_code TEXT,
  last_error_message TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  clock_skew_ms INTEGER,
  revoked_at TEXT
) STRICT;
INSERT INTO sync_state (singleton) VALUES (1);

-- Conflicts the hub recorded for this branch; a person resolves them in the 同步 section.
CREATE TABLE sync_conflicts (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  conflict TEXT NOT NULL                -- JSON as the hub sent it (mine, theirs, resolution)
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts (status);

-- Reference data published by head office (industry groupings, lists …), latest version per set.
CREATE TABLE reference_data (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  published_at TEXT NOT NULL
) STRICT;
