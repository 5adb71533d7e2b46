-- Green-loan tagging and green-factory financing (绿色信贷标识, DOMAIN §3, issue 14). All three tables sync.

-- The green tag of a credit application or a loan: catalogue version + code, the project's annual
-- environmental benefits (exact decimal strings, at most 4 places: never floats), and a credit
-- manager's confirmation (four-eyes: shared/domain/greenTag.ts, run by the host and by the hub).
-- Evidence files are attachments owned by the tag (attachments.owner_type 'green_tags');
-- evidence_attachment_ids is the evidence the confirming manager saw, written at confirmation.
CREATE TABLE green_tags (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  owner_type TEXT NOT NULL CHECK (owner_type IN ('credit_application', 'loan')),
  -- credit_applications.id or loans.id; one live tag per owner (found by the host, not unique, so two
  -- laptops tagging one loan offline both reach head office and meet there)
  owner_id TEXT NOT NULL,
  catalogue_version TEXT NOT NULL CHECK (catalogue_version IN ('2021', '2025')),
  catalogue_code TEXT,
  project_total_investment_fen INTEGER CHECK (project_total_investment_fen > 0),
  coal_saved_tce TEXT,
  co2_reduced_t TEXT,
  cod_reduced_t TEXT,
  nh3n_reduced_t TEXT,
  so2_reduced_t TEXT,
  nox_reduced_t TEXT,
  water_saved_t TEXT,
  evidence_attachment_ids TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed')),
  prepared_by TEXT NOT NULL,
  confirmed_by TEXT,
  confirmed_at TEXT,
  notes TEXT
) STRICT;
CREATE INDEX green_tags_owner ON green_tags (owner_type, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX green_tags_status ON green_tags (status, owner_type) WHERE deleted_at IS NULL;

-- Green-factory financing needs (seed 004): projects put forward by green factories, collected each
-- quarter, with the matchmaking outcome and the credit application that resulted.
CREATE TABLE green_factory_projects (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  enterprise_id TEXT NOT NULL,
  project_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('rnd_industrialisation', 'technical_upgrade', 'zero_carbon_factory')),
  amount_sought_fen INTEGER NOT NULL CHECK (amount_sought_fen > 0),
  -- the quarter collected, 2026Q4
  quarter TEXT NOT NULL CHECK (quarter GLOB '[12][0-9][0-9][0-9]Q[1-4]'),
  contact_name TEXT,
  contact_phone TEXT,
  outcome TEXT NOT NULL DEFAULT 'need' CHECK (outcome IN ('need', 'matching', 'credit_granted', 'disbursed', 'not_reached')),
  outcome_reason TEXT,
  application_id TEXT,
  notes TEXT
) STRICT;
CREATE INDEX green_factory_projects_quarter ON green_factory_projects (quarter, outcome) WHERE deleted_at IS NULL;
CREATE INDEX green_factory_projects_enterprise ON green_factory_projects (enterprise_id) WHERE deleted_at IS NULL;

-- Matchmaking feedback (对接情况): dated contacts with the bank, each with what came of it.
CREATE TABLE green_factory_contacts (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  project_id TEXT NOT NULL,
  contacted_on TEXT NOT NULL,
  note TEXT NOT NULL,
  -- the project's outcome as this contact left it
  outcome TEXT NOT NULL CHECK (outcome IN ('need', 'matching', 'credit_granted', 'disbursed', 'not_reached'))
) STRICT;
CREATE INDEX green_factory_contacts_project ON green_factory_contacts (project_id, contacted_on) WHERE deleted_at IS NULL;
