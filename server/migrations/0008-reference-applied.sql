-- The reference set versions each device said it holds when it last pulled (issue 18): a laptop
-- applies a set in the pull that brings it, so the next pull reports it applied, and the console
-- shows which version each branch works with. A device's row, so it stays distributed by branch.
ALTER TABLE devices ADD COLUMN reference_versions jsonb NOT NULL DEFAULT '{}'::jsonb;
