-- The last audit chain head head office acknowledged (server/anchors.ts): verify recomputes the hash
-- of the row at this seq and compares, so a rewrite of any row up to it is found even when every
-- later hash and audit_head was recomputed. Local bookkeeping, refreshed at every sync's hello.
ALTER TABLE sync_state ADD COLUMN audit_anchor_seq INTEGER;
ALTER TABLE sync_state ADD COLUMN audit_anchor_hash TEXT;
ALTER TABLE sync_state ADD COLUMN audit_anchor_at TEXT;
