-- Which client made a row's last guarded change ('hub' for head office). A device's edit made on top
-- of its own earlier guarded change (both offline, pushed together) is not stale: the device had seen
-- that change, it made it. Any other client's guarded change since the edit's base still conflicts.
ALTER TABLE sync_rows ADD COLUMN guarded_by text NOT NULL DEFAULT '';
