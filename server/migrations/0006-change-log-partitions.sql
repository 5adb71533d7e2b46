-- The change log stays small (issue 19): sync_changes is partitioned by the month a change was received,
-- and a month older than the dedupe window is compacted (server/changeLog.ts). Native partitioning, as
-- on PGlite; the primary key takes the partition column, and (client_id, op_id) stays unique per branch
-- because the ledger checks it under the branch's write lock before logging.
ALTER TABLE sync_changes RENAME TO sync_changes_unpartitioned;
ALTER INDEX sync_changes_pkey RENAME TO sync_changes_unpartitioned_pkey;
ALTER INDEX sync_changes_row RENAME TO sync_changes_unpartitioned_row;

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
  PRIMARY KEY (branch_id, client_id, op_id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX sync_changes_row ON sync_changes (branch_id, table_name, row_id);

-- What a compacted month leaves of each client: the highest op id it had logged. A laptop's op ids
-- only grow and it pushes them in order, so a replayed op at or below it was answered before and is a
-- duplicate, however old (server/changeLog.ts).
CREATE TABLE sync_change_watermarks (
  branch_id uuid NOT NULL,
  client_id text NOT NULL,
  op_id_through bigint NOT NULL,
  -- the end of the latest month folded in: changes received before it are only in the watermark
  compacted_through timestamptz NOT NULL,
  PRIMARY KEY (branch_id, client_id)
);
-- The months and the old rows are moved by code after this file (server/migrate.ts runs
-- server/changeLog.ts partitionChangeLog).
