-- Typed read models for head office's cross-branch queries (issue 18, "Data for head-office queries"):
-- sync_rows keeps every table generically (jsonb), which the statistics and the registers would have
-- to unpack row by row across 500,000 loans and their 6,000,000 snapshots. These tables hold, per
-- synced row, only the typed fields those queries read, keyed by (branch_id, row id) like sync_rows,
-- so they stay distributable by branch_id (co-located with sync_rows). The ledger writes them in the
-- apply transaction beside sync_rows (server/readModels.ts is the one definition of each row); this
-- migration's code step backfills them from sync_rows. Text ids that name another row (loan_id,
-- owner_id, enterprise_id) are kept as the data holds them, as the statistics match them.

CREATE TABLE rm_enterprises (
  branch_id uuid NOT NULL,
  enterprise_id uuid NOT NULL,
  deleted boolean NOT NULL,
  name text NOT NULL,
  uscc text NOT NULL,
  focus_group text,
  division_code text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (branch_id, enterprise_id)
);

CREATE TABLE rm_loans (
  branch_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  deleted boolean NOT NULL,
  enterprise_id text,
  loan_number text NOT NULL,
  status text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (branch_id, loan_id)
);
-- The console's register pages: newest change first, across branches or within one; ties (the rows of
-- one push share their updated_at) in the key's order, so paging never repeats or loses a row.
CREATE INDEX rm_loans_recent ON rm_loans (updated_at DESC, branch_id, loan_id) WHERE NOT deleted;
CREATE INDEX rm_loans_branch_recent ON rm_loans (branch_id, updated_at DESC, loan_id) WHERE NOT deleted;

-- A snapshot holds `until`: the as_of of its loan's next live snapshot by (as_of, id), '9999-12-31'
-- for the newest (a same-day snapshot with the smaller id gets an empty interval), so the book as of
-- a day D is every live snapshot with as_of <= D < until (shared/domain/greenStatistics.ts snapshotAsOf).
CREATE TABLE rm_loan_snapshots (
  branch_id uuid NOT NULL,
  snapshot_id uuid NOT NULL,
  deleted boolean NOT NULL,
  loan_id text NOT NULL,
  as_of text NOT NULL,
  until text NOT NULL,
  balance_fen bigint NOT NULL,
  classification text NOT NULL,
  PRIMARY KEY (branch_id, snapshot_id)
);
CREATE INDEX rm_loan_snapshots_loan ON rm_loan_snapshots (branch_id, loan_id);
CREATE INDEX rm_loan_snapshots_book ON rm_loan_snapshots (until COLLATE "C", as_of COLLATE "C") WHERE NOT deleted;

CREATE TABLE rm_green_tags (
  branch_id uuid NOT NULL,
  tag_id uuid NOT NULL,
  deleted boolean NOT NULL,
  owner_type text NOT NULL,
  owner_id text NOT NULL,
  created_at text NOT NULL,
  status text NOT NULL,
  confirmed_by text,
  catalogue_version text NOT NULL,
  catalogue_code text,
  has_evidence boolean NOT NULL,
  -- the project's total investment and annual benefits: the bank's share of them (statistics.ts)
  project_total_investment_fen bigint,
  coal_saved_tce numeric,
  co2_reduced_t numeric,
  cod_reduced_t numeric,
  nh3n_reduced_t numeric,
  so2_reduced_t numeric,
  nox_reduced_t numeric,
  water_saved_t numeric,
  PRIMARY KEY (branch_id, tag_id)
);
CREATE INDEX rm_green_tags_owner ON rm_green_tags (branch_id, owner_id) WHERE NOT deleted;

CREATE TABLE rm_collateral_items (
  branch_id uuid NOT NULL,
  item_id uuid NOT NULL,
  deleted boolean NOT NULL,
  enterprise_id text,
  type text NOT NULL,
  status text NOT NULL,
  certificate_number text NOT NULL,
  registration_number text NOT NULL,
  valid_to text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (branch_id, item_id)
);
CREATE INDEX rm_collateral_items_recent ON rm_collateral_items (updated_at DESC, branch_id, item_id) WHERE NOT deleted;
CREATE INDEX rm_collateral_items_branch_recent ON rm_collateral_items (branch_id, updated_at DESC, item_id) WHERE NOT deleted;
