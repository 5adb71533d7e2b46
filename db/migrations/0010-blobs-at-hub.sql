-- Attachment files head office is known to hold, by content hash (sent from this laptop, or seen
-- there): sync sends the attachment files it does not list yet and fetches the ones this laptop
-- lacks (electron/host/sync/blobs.ts). Local bookkeeping; never synced.
CREATE TABLE blobs_at_hub (
  sha256 TEXT PRIMARY KEY,
  confirmed_at TEXT NOT NULL
) STRICT;
