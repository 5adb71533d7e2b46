-- Enterprise credit files (DOMAIN §1). Every table here is syncable: conventions first.
CREATE TABLE enterprises (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  uscc TEXT NOT NULL,
  -- Set when a credit manager accepted a code that fails the GB 32100 check (some real codes do).
  uscc_override_reason TEXT,
  name TEXT NOT NULL,
  name_initials TEXT NOT NULL,          -- pinyin initials (华盛建材 → HSJC), for search
  legal_representative TEXT NOT NULL,
  address TEXT NOT NULL,
  division_code TEXT NOT NULL,          -- GB/T 2260 county code
  contacts TEXT NOT NULL DEFAULT '[]',  -- JSON [{name, phone}]
  industry_code TEXT NOT NULL,          -- GB/T 4754-2017
  focus_group TEXT,                     -- focus-industry key, derived from industry_code and the grouping reference data
  scale TEXT NOT NULL CHECK (scale IN ('large', 'medium', 'small', 'micro')),
  ownership TEXT NOT NULL,
  employees INTEGER,
  green_factory_level TEXT CHECK (green_factory_level IN ('national', 'provincial')),
  green_factory_year INTEGER,
  green_park TEXT,                      -- JSON {name, level, year} or NULL
  green_supply_chain TEXT,              -- JSON {level, year} or NULL
  green_products TEXT NOT NULL DEFAULT '[]', -- JSON [{name, year}]
  water_benchmark TEXT,                 -- JSON {level, year} or NULL
  miit_recommended INTEGER NOT NULL DEFAULT 0,
  miit_recommended_on TEXT,
  miit_batch TEXT,
  environmental_rating TEXT,            -- latest rating level, kept equal to the newest enterprise_ratings row
  outdated_capacity INTEGER NOT NULL DEFAULT 0,
  outdated_capacity_exit_deadline TEXT,
  outdated_capacity_exited_on TEXT,
  green_list INTEGER NOT NULL DEFAULT 0,
  negative_list INTEGER NOT NULL DEFAULT 0,
  notes TEXT
) STRICT;
CREATE UNIQUE INDEX enterprises_uscc ON enterprises (branch_id, uscc) WHERE deleted_at IS NULL;
CREATE INDEX enterprises_uscc_prefix ON enterprises (uscc);
CREATE INDEX enterprises_initials ON enterprises (name_initials);
CREATE INDEX enterprises_industry ON enterprises (branch_id, industry_code);
CREATE INDEX enterprises_focus ON enterprises (branch_id, focus_group, updated_at);
CREATE INDEX enterprises_division ON enterprises (branch_id, division_code, updated_at);
CREATE INDEX enterprises_rating ON enterprises (branch_id, environmental_rating, updated_at);
CREATE INDEX enterprises_updated ON enterprises (branch_id, updated_at);

-- Name search: trigram FTS over names (substrings of 3+ characters); shorter fragments use LIKE.
CREATE VIRTUAL TABLE enterprises_fts USING fts5(name, content = 'enterprises', content_rowid = 'rowid', tokenize = 'trigram');
CREATE TRIGGER enterprises_fts_insert AFTER INSERT ON enterprises BEGIN
  INSERT INTO enterprises_fts (rowid, name) VALUES (NEW.rowid, NEW.name);
END;
CREATE TRIGGER enterprises_fts_delete AFTER DELETE ON enterprises BEGIN
  INSERT INTO enterprises_fts (enterprises_fts, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
END;
CREATE TRIGGER enterprises_fts_update AFTER UPDATE OF name ON enterprises BEGIN
  INSERT INTO enterprises_fts (enterprises_fts, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
  INSERT INTO enterprises_fts (rowid, name) VALUES (NEW.rowid, NEW.name);
END;

CREATE TABLE enterprise_ratings (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
  level TEXT NOT NULL CHECK (level IN ('green', 'blue', 'yellow', 'red', 'black')),
  bureau TEXT NOT NULL,
  rated_on TEXT NOT NULL                -- YYYY-MM-DD
) STRICT;
CREATE INDEX enterprise_ratings_enterprise ON enterprise_ratings (enterprise_id, rated_on);

CREATE TABLE enterprise_financials (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
  year INTEGER NOT NULL,
  revenue_fen INTEGER,                  -- money as integer fen, never float
  total_assets_fen INTEGER,
  liabilities_fen INTEGER,
  profit_fen INTEGER
) STRICT;
CREATE UNIQUE INDEX enterprise_financials_year ON enterprise_financials (enterprise_id, year) WHERE deleted_at IS NULL;

CREATE TABLE enterprise_indicators (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
  year INTEGER NOT NULL,
  -- exact decimal strings (at most 4 decimals) so reporting sums never drift
  energy_tce TEXT,
  water_m3 TEXT,
  cod_t TEXT,
  nh3n_t TEXT,
  so2_t TEXT,
  nox_t TEXT,
  co2_t TEXT
) STRICT;
CREATE UNIQUE INDEX enterprise_indicators_year ON enterprise_indicators (enterprise_id, year) WHERE deleted_at IS NULL;

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  owner_type TEXT NOT NULL,             -- 'enterprises' now; collateral and rectification later
  owner_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,                 -- content address of the encrypted blob in <data>/attachments/
  note TEXT
) STRICT;
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id);

-- Remembered import column mappings, by the set of headers a source file had (local convenience).
CREATE TABLE import_mappings (
  signature TEXT PRIMARY KEY,
  mapping TEXT NOT NULL,                -- JSON: target field → source header
  updated_at TEXT NOT NULL
) STRICT;
