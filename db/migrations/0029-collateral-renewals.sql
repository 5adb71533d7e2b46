-- Renewals of a collateral item's registration (展期登记, DOMAIN §2, issue 15): a registration is
-- for a chosen term and is renewed before it lapses. Each renewal is a dated record, written once
-- (shared/domain/collateral.ts checkRenewal): the day it was recorded at the registry, the last day
-- before and after it, the 登记证明编号 the registry gave it, and who recorded it (created_by). The
-- item's registration_expires_on and registration_number follow the latest renewal, so the alerts
-- read the renewed expiry. Synced; the item's fields stay guarded there.
CREATE TABLE collateral_renewals (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  item_id TEXT NOT NULL,
  renewed_on TEXT NOT NULL,
  previous_expires_on TEXT NOT NULL,
  expires_on TEXT NOT NULL CHECK (expires_on > previous_expires_on AND expires_on >= renewed_on),
  registry TEXT NOT NULL,
  registration_number TEXT NOT NULL,
  notes TEXT
) STRICT;
CREATE INDEX collateral_renewals_item ON collateral_renewals (item_id, renewed_on) WHERE deleted_at IS NULL;
