-- Each branch's green-credit figures kept per day (issue 18 acceptance 5: the bank's 统计 over 2,000
-- branches and 6,000,000 snapshots within a second). Aggregating the whole book per report took
-- 17-23 s; the apply transaction that changes a branch's read models now re-derives that branch's
-- figures from the first day the change touches (server/statistics.ts refreshBranchFigures), and the
-- report reads one row per branch and day. A row holds the figures from `from_day` up to the branch's
-- next row: the keys are the month ends from the branch's first live snapshot to its last, and that
-- last as_of (every later day has the same book). Keyed by branch_id like the read models, so it is
-- distributed with them. `catalogue` fingerprints the catalogues the categories came from (a report
-- under other catalogues derives the branch anew). This migration's code step fills it.

CREATE TABLE rm_branch_figures (
  branch_id uuid NOT NULL,
  from_day text COLLATE "C" NOT NULL,
  catalogue text NOT NULL,
  branch jsonb NOT NULL,
  counties jsonb NOT NULL,
  groups jsonb NOT NULL,
  benefits jsonb,
  PRIMARY KEY (branch_id, from_day)
);

-- A branch's book on a day is read per branch now (its snapshots by as_of), not across branches by
-- interval end: the cross-branch index goes (it cost every snapshot write an entry).
DROP INDEX rm_loan_snapshots_book;
CREATE INDEX rm_loan_snapshots_branch_day ON rm_loan_snapshots (branch_id, as_of COLLATE "C") WHERE NOT deleted;
