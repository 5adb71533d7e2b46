-- The branch's people directory: who a user id names (display name, role, active), synced with
-- head office so creator, modifier and 添加人 resolve on every laptop of the branch and in the
-- head-office console. One row per user, same id. Never a credential: the password hash, the
-- username and the must-change flag stay in `users`, which does not sync. Rows are written by the
-- identity write path (db/identity.ts) in the transaction of the user change; existing users are
-- published at the next start (db/people.ts publishMissingPeople), through the audited outbox path.
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('loan_officer', 'credit_manager', 'branch_head', 'admin')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
