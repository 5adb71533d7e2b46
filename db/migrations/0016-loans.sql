-- Loans (借据, DOMAIN §3, issue 13): snapshots of the core system's loans, entered by hand or
-- imported from its export, and the balance and classification of each as of a day. Both sync.
-- Money in fen, the rate in basis points, dates as local days (YYYY-MM-DD).
CREATE TABLE loans (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  -- the core system's 借据号, unique in the branch (checked by the host: two laptops importing the
  -- same export offline both reach head office, and a unique index would stop the other's pull, 0009)
  loan_number TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  -- credit_applications.id (0015) when the loan was disbursed under an application GreenLedger holds;
  -- checked by the host, not a foreign key, so the order rows arrive in by sync never matters
  application_id TEXT,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  -- as of balance_as_of: the newest snapshot's (loan_snapshots keeps every earlier one)
  balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
  balance_as_of TEXT NOT NULL,
  disbursed_on TEXT NOT NULL,
  matures_on TEXT NOT NULL,
  rate_bp INTEGER NOT NULL CHECK (rate_bp >= 0),
  classification TEXT NOT NULL CHECK (classification IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')),
  guarantee_mode TEXT NOT NULL CHECK (guarantee_mode IN ('credit', 'guarantee', 'mortgage', 'pledge', 'environmental_rights_pledge')),
  status TEXT NOT NULL CHECK (status IN ('outstanding', 'settled', 'written_off')),
  purpose TEXT
) STRICT;

-- The register (db/loans.ts listLoans) walks one index per sort order and stops after the page, so a
-- page costs what it shows, not what the register holds (issue 20; 500k loans in the bench). Each
-- carries the filter columns after its sort key, so the filters are tested on the index alone and
-- only the rows shown are read whole. deleted_at closes each (always NULL in it): without it the
-- planner reads every row to test the partial index's own condition (SCAN … USING INDEX, not
-- COVERING INDEX). Ties keep the index's own order (its other columns, then rowid).
CREATE INDEX loans_by_maturity ON loans (matures_on, status, classification, guarantee_mode, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX loans_by_disbursement ON loans (disbursed_on, status, classification, guarantee_mode, matures_on, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX loans_by_amount ON loans (amount_fen, status, classification, guarantee_mode, matures_on, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX loans_by_balance ON loans (balance_fen, status, classification, guarantee_mode, matures_on, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX loans_by_updated ON loans (updated_at, status, classification, guarantee_mode, matures_on, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
-- Counting, and finding the few matches of a narrow filter: led by the columns listLoans always
-- constrains (status, classification, guarantee mode: every value when not filtered), so it is seeked.
CREATE INDEX loans_by_class ON loans (status, classification, guarantee_mode, matures_on, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
-- Also the import's match on the loan number and the search box's loan-number prefix.
CREATE INDEX loans_by_number ON loans (loan_number, status, classification, guarantee_mode, matures_on, enterprise_id, deleted_at) WHERE deleted_at IS NULL;
-- An enterprise's loans (its 借据 tab, a borrower-name search): a few rows each, sorted after reading.
CREATE INDEX loans_by_enterprise ON loans (enterprise_id, matures_on) WHERE deleted_at IS NULL;
CREATE INDEX loans_by_application ON loans (application_id) WHERE application_id IS NOT NULL;

CREATE TABLE loan_snapshots (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  loan_id TEXT NOT NULL,
  -- one import (or month-end entry) is one day; the same day again replaces that day's snapshot
  -- (found by the host; not unique, for the same reason as loan_number)
  as_of TEXT NOT NULL,
  balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
  classification TEXT NOT NULL CHECK (classification IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss'))
) STRICT;
CREATE INDEX loan_snapshots_loan ON loan_snapshots (loan_id, as_of) WHERE deleted_at IS NULL;
-- Growth and same-period comparisons read every loan's balance as of one day.
CREATE INDEX loan_snapshots_day ON loan_snapshots (as_of, loan_id) WHERE deleted_at IS NULL;
