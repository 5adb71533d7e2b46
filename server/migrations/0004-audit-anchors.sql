-- Each laptop's audit chain head (seq + hash) as it reported it at hello: head office's copy, which
-- whoever holds the laptop's key cannot rewrite. One row per distinct head a device reported. A head
-- at the same seq as an earlier one of the device but with another hash contradicts it (the chain
-- was rewritten, or the laptop restored an older backup and wrote on): `contradicts` keeps the
-- earlier hash, and the console flags the device.
CREATE TABLE audit_anchors (
  branch_id uuid NOT NULL,
  device_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  received_at timestamptz NOT NULL DEFAULT now(),
  contradicts text,
  PRIMARY KEY (branch_id, device_id, seq, hash)
);
CREATE INDEX audit_anchors_latest ON audit_anchors (branch_id, device_id, received_at DESC);
