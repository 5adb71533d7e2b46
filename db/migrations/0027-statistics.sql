-- Green-credit statistics (issue 17, DOMAIN §5): the loan book as of any day, at 500,000 loans with
-- twelve monthly snapshots each (bench stats).
--
-- A loan's balance as of a day is its newest live snapshot on or before that day, ties on one day
-- broken by the greater id (shared/domain/greenStatistics.ts snapshotAsOf). Per loan that balance is
-- a step function of the day, so the whole book as of D is the sum of every step up to D: each
-- snapshot's jump over the one before it (of the same loan, in (as_of, id) order; 0 before the
-- first). loan_balance_jumps keeps those jumps summed per day, so 各项贷款余额 as of any day is a sum
-- over a few hundred day rows instead of a lookup per loan. Derived on every laptop from its own
-- snapshots, never synced: the triggers keep it, a pull's upserts (UPDATE triggers) included.
CREATE TABLE loan_balance_jumps (
  as_of TEXT PRIMARY KEY,
  jump_fen INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Each loan's snapshots in as-of order with the id that breaks a same-day tie, the balance and the
-- class: the per-loan lookup "newest on or before D" (the green loans of the statistics) and the
-- triggers' neighbour lookups read the index alone (deleted_at closes it, always NULL in it: without
-- it the planner reads each row to test the partial index's own condition). Replaces 0016's narrower index.
DROP INDEX loan_snapshots_loan;
CREATE INDEX loan_snapshots_loan ON loan_snapshots (loan_id, as_of, id, balance_fen, classification, deleted_at) WHERE deleted_at IS NULL;

INSERT INTO loan_balance_jumps (as_of, jump_fen)
  SELECT as_of, sum(jump) FROM (
    SELECT as_of, balance_fen - coalesce(lag(balance_fen) OVER (PARTITION BY loan_id ORDER BY as_of, id), 0) AS jump
      FROM loan_snapshots WHERE deleted_at IS NULL
  ) GROUP BY as_of;

-- A snapshot s between its loan's p (before) and n (after): s jumps by s − p, and n's jump falls from
-- n − p to n − s, i.e. by the same s − p. Removing s undoes both. The neighbours are looked up
-- without the row itself (id <> ...), so the same statements serve insert, delete and update.
CREATE TRIGGER loan_balance_jumps_insert AFTER INSERT ON loan_snapshots WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO loan_balance_jumps (as_of, jump_fen)
    SELECT new.as_of, new.balance_fen - coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = new.loan_id AND deleted_at IS NULL AND id <> new.id AND (as_of, id) < (new.as_of, new.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0) WHERE true
    ON CONFLICT (as_of) DO UPDATE SET jump_fen = jump_fen + excluded.jump_fen;
  INSERT INTO loan_balance_jumps (as_of, jump_fen)
    SELECT n.as_of, coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = new.loan_id AND deleted_at IS NULL AND id <> new.id AND (as_of, id) < (new.as_of, new.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0) - new.balance_fen
      FROM (SELECT as_of FROM loan_snapshots WHERE loan_id = new.loan_id AND deleted_at IS NULL AND id <> new.id AND (as_of, id) > (new.as_of, new.id) ORDER BY as_of, id LIMIT 1) n WHERE true
    ON CONFLICT (as_of) DO UPDATE SET jump_fen = jump_fen + excluded.jump_fen;
END;

CREATE TRIGGER loan_balance_jumps_delete AFTER DELETE ON loan_snapshots WHEN old.deleted_at IS NULL BEGIN
  UPDATE loan_balance_jumps SET jump_fen = jump_fen - (old.balance_fen - coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = old.loan_id AND deleted_at IS NULL AND id <> old.id AND (as_of, id) < (old.as_of, old.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0))
   WHERE as_of = old.as_of;
  UPDATE loan_balance_jumps SET jump_fen = jump_fen + (old.balance_fen - coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = old.loan_id AND deleted_at IS NULL AND id <> old.id AND (as_of, id) < (old.as_of, old.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0))
   WHERE as_of = (SELECT as_of FROM loan_snapshots WHERE loan_id = old.loan_id AND deleted_at IS NULL AND id <> old.id AND (as_of, id) > (old.as_of, old.id) ORDER BY as_of, id LIMIT 1);
END;

CREATE TRIGGER loan_balance_jumps_update AFTER UPDATE OF loan_id, as_of, balance_fen, deleted_at ON loan_snapshots BEGIN
  -- the old row out (when it was live) …
  UPDATE loan_balance_jumps SET jump_fen = jump_fen - (old.balance_fen - coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = old.loan_id AND deleted_at IS NULL AND id <> old.id AND (as_of, id) < (old.as_of, old.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0))
   WHERE old.deleted_at IS NULL AND as_of = old.as_of;
  UPDATE loan_balance_jumps SET jump_fen = jump_fen + (old.balance_fen - coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = old.loan_id AND deleted_at IS NULL AND id <> old.id AND (as_of, id) < (old.as_of, old.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0))
   WHERE old.deleted_at IS NULL AND as_of = (SELECT as_of FROM loan_snapshots WHERE loan_id = old.loan_id AND deleted_at IS NULL AND id <> old.id AND (as_of, id) > (old.as_of, old.id) ORDER BY as_of, id LIMIT 1);
  -- … the new row in (when it is live)
  INSERT INTO loan_balance_jumps (as_of, jump_fen)
    SELECT new.as_of, new.balance_fen - coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = new.loan_id AND deleted_at IS NULL AND id <> new.id AND (as_of, id) < (new.as_of, new.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0) WHERE new.deleted_at IS NULL
    ON CONFLICT (as_of) DO UPDATE SET jump_fen = jump_fen + excluded.jump_fen;
  INSERT INTO loan_balance_jumps (as_of, jump_fen)
    SELECT n.as_of, coalesce((SELECT balance_fen FROM loan_snapshots WHERE loan_id = new.loan_id AND deleted_at IS NULL AND id <> new.id AND (as_of, id) < (new.as_of, new.id) ORDER BY as_of DESC, id DESC LIMIT 1), 0) - new.balance_fen
      FROM (SELECT as_of FROM loan_snapshots WHERE loan_id = new.loan_id AND deleted_at IS NULL AND id <> new.id AND (as_of, id) > (new.as_of, new.id) ORDER BY as_of, id LIMIT 1) n WHERE new.deleted_at IS NULL
    ON CONFLICT (as_of) DO UPDATE SET jump_fen = jump_fen + excluded.jump_fen;
END;
