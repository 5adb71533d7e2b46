-- Attachment files of a branch (licences, permits, reports), addressed by the SHA-256 of their
-- content: one copy per branch however many rows name it. Keyed by branch_id like every ledger table.
CREATE TABLE sync_blobs (
  branch_id uuid NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size integer NOT NULL,
  content bytea NOT NULL,
  uploaded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (branch_id, sha256)
);
