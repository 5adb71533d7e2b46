-- The environmental-rights collateral register (抵质押登记簿, DOMAIN §2, issue 15): items, their
-- dated appraisals, and the loans each secures. All three sync. Money in fen, rates in basis points,
-- quantities as exact decimal text inside the item's details, dates as local days (YYYY-MM-DD).
CREATE TABLE collateral_items (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  -- the owner, an enterprise of the file (checked by the host, not a foreign key: sync order)
  enterprise_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('emission_right', 'carbon_allowance', 'water_right', 'energy_use_right', 'energy_saving_income', 'emc_income', 'green_ip', 'franchise')),
  -- JSON of shared/domain/collateral.ts collateralDetailsSchema (pollutant and quantity, patents …)
  details TEXT NOT NULL,
  certificate_number TEXT NOT NULL,
  certificate_issuer TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'registered', 'active', 'released', 'in_disposal', 'disposed')),
  -- four-eyes: who entered the item and who approved or rejected it (never the same person)
  maker_id TEXT NOT NULL,
  checker_id TEXT,
  decided_at TEXT,
  decision_reason TEXT,
  -- the latest appraisal's value (collateral_appraisals keeps every one), and the pledge on it
  appraised_value_fen INTEGER NOT NULL CHECK (appraised_value_fen >= 0),
  appraised_on TEXT NOT NULL,
  revaluation_due_on TEXT NOT NULL,
  pledge_rate_bp INTEGER NOT NULL CHECK (pledge_rate_bp > 0 AND pledge_rate_bp <= 10000),
  -- appraised × rate, rounded down; kept for the register's sums and sorts (the hub checks it)
  pledged_value_fen INTEGER NOT NULL CHECK (pledged_value_fen >= 0),
  -- the collateral-terms version whose cap the rate was checked against
  terms_version INTEGER NOT NULL,
  -- registration (登记): the registry, 登记证明编号, its day and its last day (a renewal moves it)
  registry TEXT,
  registration_number TEXT,
  registered_on TEXT,
  registration_expires_on TEXT,
  notes TEXT
) STRICT;

-- The register (db/collateral.ts listCollateral) walks one index per sort order with the filter
-- columns after the key, as the loan register does (0016), and totals a filter from the status index.
CREATE INDEX collateral_by_updated ON collateral_items (updated_at, status, type, enterprise_id, maker_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_valid_to ON collateral_items (valid_to, status, type, enterprise_id, maker_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_registration_expiry ON collateral_items (registration_expires_on, status, type, enterprise_id, maker_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_pledged ON collateral_items (pledged_value_fen, status, type, enterprise_id, maker_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_appraised ON collateral_items (appraised_value_fen, status, type, enterprise_id, maker_id, deleted_at) WHERE deleted_at IS NULL;
-- Totals and counts of a filter, read from the index alone (status and type lead: every value when unfiltered).
CREATE INDEX collateral_by_status ON collateral_items (status, type, maker_id, enterprise_id, appraised_value_fen, pledged_value_fen, valid_to, registration_expires_on, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_enterprise ON collateral_items (enterprise_id, status) WHERE deleted_at IS NULL;

-- An appraisal is a dated record (method, inputs, value, appraiser, next revaluation): written
-- once, never edited; a revaluation is a new one.
CREATE TABLE collateral_appraisals (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  item_id TEXT NOT NULL,
  appraised_on TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('quantity_price', 'discounted_cash_flow', 'appraisal_report')),
  -- JSON of the valuation's inputs (shared/domain/collateralValuation.ts), so the value can be recomputed
  inputs TEXT NOT NULL,
  value_fen INTEGER NOT NULL CHECK (value_fen >= 0),
  appraiser TEXT NOT NULL,
  next_due_on TEXT NOT NULL
) STRICT;
CREATE INDEX collateral_appraisals_item ON collateral_appraisals (item_id, appraised_on) WHERE deleted_at IS NULL;

-- The loans an item secures, with the amount it secures of each (null: the whole loan).
CREATE TABLE collateral_loans (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  item_id TEXT NOT NULL,
  loan_id TEXT NOT NULL,
  secured_amount_fen INTEGER CHECK (secured_amount_fen IS NULL OR secured_amount_fen > 0)
) STRICT;
CREATE INDEX collateral_loans_item ON collateral_loans (item_id) WHERE deleted_at IS NULL;
CREATE INDEX collateral_loans_loan ON collateral_loans (loan_id) WHERE deleted_at IS NULL;
