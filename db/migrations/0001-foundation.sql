-- Local, per-install state. Not synced: these rows describe this laptop, not the branch's records.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,            -- JSON
  updated_at TEXT NOT NULL        -- UTC ISO instant
) STRICT;

-- One row: this installation's identity, used later as the sync client_id and in the audit trail.
CREATE TABLE device (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  client_id TEXT NOT NULL,        -- UUIDv7, made offline
  created_at TEXT NOT NULL
) STRICT;
