-- The read models of the console's cross-branch registers beyond 0009 (issue 18, the collateral
-- register "with its alerts" and the branch/county filters): the facts a collateral item's alerts
-- are computed from (shared/domain/collateralAlerts.ts, as on the laptop) — the item's dates and
-- pledged value, the loans it secures and their maturity and balance, the owner's environmental
-- rating and open environmental rectification cases — typed beside sync_rows under the same key,
-- so a page's alerts and the alert filter read indexed rows, never unpacked jsonb. This migration's
-- code step fills the new columns and tables from sync_rows (server/readModels.ts).

ALTER TABLE rm_enterprises ADD COLUMN environmental_rating text;
-- The enterprise register's pages (newest change first, across branches or within some), like the loans'.
CREATE INDEX rm_enterprises_recent ON rm_enterprises (updated_at DESC, branch_id, enterprise_id) WHERE NOT deleted;
CREATE INDEX rm_enterprises_branch_recent ON rm_enterprises (branch_id, updated_at DESC, enterprise_id) WHERE NOT deleted;

ALTER TABLE rm_loans ADD COLUMN disbursed_on text;
ALTER TABLE rm_loans ADD COLUMN matures_on text;
ALTER TABLE rm_loans ADD COLUMN balance_fen bigint NOT NULL DEFAULT 0;
-- Rows name a loan or an enterprise by its id as text (the data holds it so): a lookup by that text.
CREATE INDEX rm_loans_id_text ON rm_loans (branch_id, (loan_id::text));
CREATE INDEX rm_enterprises_id_text ON rm_enterprises (branch_id, (enterprise_id::text));

ALTER TABLE rm_collateral_items ADD COLUMN registration_expires_on text;
ALTER TABLE rm_collateral_items ADD COLUMN revaluation_due_on text;
ALTER TABLE rm_collateral_items ADD COLUMN pledged_value_fen bigint NOT NULL DEFAULT 0;
-- A carbon allowance's (CEA's) compliance year from its details, else null.
ALTER TABLE rm_collateral_items ADD COLUMN compliance_year integer;

-- Which loans an item secures (collateral_loans): an item's links by its id.
CREATE TABLE rm_collateral_loans (
  branch_id uuid NOT NULL,
  link_id uuid NOT NULL,
  deleted boolean NOT NULL,
  item_id text NOT NULL,
  loan_id text NOT NULL,
  secured_amount_fen bigint,
  PRIMARY KEY (branch_id, link_id)
);
CREATE INDEX rm_collateral_loans_item ON rm_collateral_loans (branch_id, item_id) WHERE NOT deleted;

-- Rectification cases: an owner's cases by enterprise.
CREATE TABLE rm_rectification_cases (
  branch_id uuid NOT NULL,
  case_id uuid NOT NULL,
  deleted boolean NOT NULL,
  enterprise_id text NOT NULL,
  case_number text NOT NULL,
  category text NOT NULL,
  status text NOT NULL,
  deadline text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (branch_id, case_id)
);
CREATE INDEX rm_rectification_cases_enterprise ON rm_rectification_cases (branch_id, enterprise_id) WHERE NOT deleted;

-- The county filter: a county's branches (the branch's own 区划), then each branch's index above.
CREATE INDEX branches_division ON branches (division_code);
