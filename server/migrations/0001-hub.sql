-- The head-office hub's schema. PostgreSQL dialect; runs unchanged on PGlite and PostgreSQL 15+.
--
-- Every table carries branch_id and every ledger query filters by it, so the ledger tables can be
-- distributed by branch_id with Citus (README.md, "Scale-out"). Two kinds of table are the
-- deliberate exceptions and become Citus reference tables:
--   * reference_sets: head office's reference data is the same for every branch (no branch_id);
--   * the directory (branches, devices, enrollment_codes): a handful of rows per branch, looked up by
--     a token or code hash before the branch is known. They still carry branch_id.

-- ——— directory ————————————————————————————————————————————————————————————————————

CREATE TABLE branches (
  branch_id uuid PRIMARY KEY,
  name text NOT NULL,
  code text NOT NULL UNIQUE,
  division_code text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One-time enrollment codes: only the SHA-256 of the code is stored.
CREATE TABLE enrollment_codes (
  code_hash text PRIMARY KEY,
  branch_id uuid NOT NULL REFERENCES branches (branch_id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id uuid
);

-- Enrolled laptops: only the SHA-256 of the device token is stored.
CREATE TABLE devices (
  device_id uuid PRIMARY KEY,
  branch_id uuid NOT NULL REFERENCES branches (branch_id),
  client_id uuid NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_seen_at timestamptz,
  last_sync_at timestamptz,
  app_version text,
  schema_version integer
);
CREATE INDEX devices_branch ON devices (branch_id);

-- ——— ledger (distributed by branch_id) ——————————————————————————————————————————————

-- The single global server sequence: every applied change (and every conflict created or resolved)
-- takes the next value. It is the only pull checkpoint.
CREATE SEQUENCE hub_seq AS bigint;
-- Op ids for changes the hub makes itself (head-office edits, conflict resolutions; client_id 'hub').
CREATE SEQUENCE hub_local_op_seq AS bigint;

-- One row per branch: the per-branch write lock (SELECT … FOR UPDATE) that makes seq values commit in
-- order within a branch, so a pull can never skip a change that commits after a higher seq.
CREATE TABLE branch_sync (
  branch_id uuid PRIMARY KEY,
  last_seq bigint NOT NULL DEFAULT 0,
  last_change_at timestamptz
);

-- The current state of every synced row of every table, stored generically.
CREATE TABLE sync_rows (
  branch_id uuid NOT NULL,
  table_name text NOT NULL,
  row_id uuid NOT NULL,
  version integer NOT NULL,
  -- the version at which a guarded field (or the deleted flag) last changed: an edit based on an
  -- older version conflicts on its guarded fields; low-risk edits do not move it
  guarded_version integer NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL,
  -- field → HLC of the write that set it (per-field last-writer-wins for low-risk fields)
  field_hlc jsonb NOT NULL,
  seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (branch_id, table_name, row_id)
);
CREATE INDEX sync_rows_pull ON sync_rows (branch_id, seq);
-- Serves the one cross-branch query: "does this new row id already belong to another branch?"
CREATE INDEX sync_rows_row_id ON sync_rows (row_id);

-- Every change received or made, with the answer given: the dedupe key (client_id, op_id) and the
-- audit trail of the hub (who, when, from which device, what happened).
CREATE TABLE sync_changes (
  branch_id uuid NOT NULL,
  client_id text NOT NULL,
  op_id bigint NOT NULL,
  actor text NOT NULL CHECK (actor IN ('device', 'head-office', 'resolution')),
  device_id uuid,
  table_name text NOT NULL,
  row_id uuid NOT NULL,
  op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  fields jsonb NOT NULL,
  prev jsonb NOT NULL,
  base_version integer NOT NULL,
  hlc text NOT NULL,
  user_id text NOT NULL,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected')),
  seq bigint,
  conflict_id uuid,
  reason text,
  result jsonb NOT NULL,
  PRIMARY KEY (branch_id, client_id, op_id)
);
CREATE INDEX sync_changes_row ON sync_changes (branch_id, table_name, row_id);

CREATE TABLE sync_conflicts (
  branch_id uuid NOT NULL,
  conflict_id uuid NOT NULL,
  table_name text NOT NULL,
  row_id uuid NOT NULL,
  base_version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'resolved')),
  mine jsonb NOT NULL,
  theirs jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolution jsonb,
  resolved_at timestamptz,
  seq bigint NOT NULL,
  PRIMARY KEY (branch_id, conflict_id)
);
CREATE INDEX sync_conflicts_pull ON sync_conflicts (branch_id, seq);
CREATE INDEX sync_conflicts_open ON sync_conflicts (branch_id) WHERE status = 'open';

-- ——— reference data (the exception: no branch_id) ———————————————————————————————————

-- Versioned sets head office publishes to every branch (industry groupings, lists, caps, prices).
CREATE TABLE reference_sets (
  name text NOT NULL,
  version integer NOT NULL,
  data jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by text NOT NULL,
  PRIMARY KEY (name, version)
);
