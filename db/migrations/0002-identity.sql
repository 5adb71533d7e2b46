-- The branch this installation belongs to (one row), and its people. Syncable conventions apply.
CREATE TABLE branch (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  division_code TEXT NOT NULL CHECK (length(division_code) = 6)
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  username TEXT NOT NULL COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('loan_officer', 'credit_manager', 'branch_head', 'admin')),
  password_hash TEXT NOT NULL,         -- scrypt$N$r$p$salt$hash, never logged or audited
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX users_username ON users (branch_id, username) WHERE deleted_at IS NULL;

-- Failed-login throttling is about this laptop, not branch data: it stays local and never syncs.
CREATE TABLE login_throttle (
  username TEXT PRIMARY KEY COLLATE NOCASE,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT
) STRICT;
