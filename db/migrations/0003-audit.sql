-- Append-only audit trail. Each row hashes its predecessor's hash and its own content (SHA-256),
-- so an edited, deleted or reordered row breaks the chain at a nameable place (db/audit.ts verifies).
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,             -- 1, 2, 3 … without gaps
  at TEXT NOT NULL,                    -- UTC ISO instant
  user_id TEXT,                        -- NULL for system events (first-run setup, failed logins of unknown users)
  user_name TEXT,
  action TEXT NOT NULL,                -- insert | update | delete | login | login_failed | …
  record_type TEXT NOT NULL,
  record_id TEXT,
  before TEXT,                         -- JSON of the changed fields' previous values
  after TEXT,                          -- JSON of the changed fields' new values
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_record ON audit_log (record_type, record_id);
CREATE INDEX audit_user_at ON audit_log (user_id, at);
CREATE INDEX audit_at ON audit_log (at);

-- The chain's head, kept by trigger: deleting the newest rows is caught by comparing with it.
CREATE TABLE audit_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log
BEGIN
  INSERT INTO audit_head (singleton, seq, hash) VALUES (1, NEW.seq, NEW.hash)
  ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
