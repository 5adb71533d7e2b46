-- The 督促整改函 a case sent (issue 16): one row per letter recorded as sent, numbered per case
-- (<case number>-<sequence>), dated (Asia/Shanghai day), by whom, and the very PDF that was sent —
-- an attachment owned by this row (owner_type 'rectification_letters'), so it syncs like any file
-- and is not counted as the case's evidence of rectification. Synced; the case's letter_sent_on
-- keeps the newest letter's day.
CREATE TABLE rectification_letters (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  case_id TEXT NOT NULL,
  sequence INTEGER NOT NULL CHECK (sequence >= 1),
  letter_number TEXT NOT NULL,
  sent_on TEXT NOT NULL,
  sent_by TEXT NOT NULL,
  -- the attachments row holding the PDF as sent (its sha256 pins the exact bytes)
  attachment_id TEXT NOT NULL
) STRICT;
CREATE INDEX rectification_letters_by_case ON rectification_letters (case_id, sequence) WHERE deleted_at IS NULL;
