-- Several hub processes on one database (issue 19, HEADOFFICE_WORKERS, server/cluster.ts).
--
-- Head-office console sign-ins, kept in the database instead of one hub process's memory, so every
-- process serving this database (HEADOFFICE_WORKERS, server/cluster.ts) knows them and a sign-out on
-- one ends the session on all. The cookie's random id is stored only as its SHA-256: a reader of
-- this table cannot sign in with it. Times are the hub's clock (idle and absolute expiry,
-- server/headOfficeSession.ts); expired rows are pruned at sign-in.
CREATE TABLE head_office_sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES head_office_users (user_id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX head_office_sessions_by_last_seen ON head_office_sessions (last_seen_at);

-- How many push pages each device has had applied: a pull page a hub process read ahead for the
-- device is its answer only while this has not moved, whichever process took the push (hub.ts).
ALTER TABLE devices ADD COLUMN pushes bigint NOT NULL DEFAULT 0;
