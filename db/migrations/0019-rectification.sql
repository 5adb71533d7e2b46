-- Rectification tracking (整改跟踪, DOMAIN §4, issue 16): cases of unrectified violations in
-- 环境保护, 安全生产 and 职业病防控, their follow-ups, and post-loan monitoring visits (贷后监测).
-- All three sync. Dates are local days (YYYY-MM-DD, Asia/Shanghai). The case's status, measure,
-- deadline and verification are written only by its workflow actions
-- (electron/host/handlers/rectification.ts), and the hub checks every pushed change of them with the
-- same rule (shared/domain/rectificationLifecycle.ts).
CREATE TABLE rectification_cases (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  -- ZG-<year>-<device>-<serial>: made offline, unique without asking head office (db/rectification.ts)
  case_number TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('environmental', 'work_safety', 'occupational_health')),
  source TEXT NOT NULL CHECK (source IN ('penalty_decision', 'inspection', 'media_report', 'bank_visit')),
  -- 行政处罚决定书: its number (文号), issuing authority and date; for other sources what is known
  source_reference TEXT,
  source_authority TEXT,
  source_date TEXT,
  found_on TEXT NOT NULL,
  description TEXT NOT NULL,
  required_actions TEXT NOT NULL,
  deadline TEXT NOT NULL,
  measure TEXT NOT NULL CHECK (measure IN ('urge', 'reduce_exit', 'collect_dispose')),
  -- 压缩退出: JSON [{date, targetFen}], the enterprise's outstanding balance at most targetFen by date
  exposure_plan TEXT NOT NULL DEFAULT '[]',
  officer_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'submitted', 'closed', 'escalated')),
  verifier_id TEXT,
  verified_at TEXT,
  verification_note TEXT,
  -- the 督促整改函: the day it was recorded as sent
  letter_sent_on TEXT,
  -- the monitoring visit whose finding opened the case, if one did
  monitoring_visit_id TEXT,
  notes TEXT
) STRICT;

-- The case register (db/rectification.ts listCases) walks the sort's index and stops after the page;
-- the coded filter columns ride along so they are tested on the index alone (as 0016's loans). Ids
-- (officer, enterprise) are kept out of these: 36-character UUIDs would triple each index, and a
-- count reads a whole index (bench: p50 ~190 ms at 100k cases with them). A filter by officer or
-- enterprise reads its own narrow index instead and sorts the few matches.
CREATE INDEX rectification_cases_by_deadline ON rectification_cases (deadline, status, category, measure, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX rectification_cases_by_found ON rectification_cases (found_on, status, category, measure, deleted_at) WHERE deleted_at IS NULL;
-- Counts per status for a filter, and the overdue ones: led by what most filters constrain.
CREATE INDEX rectification_cases_by_status ON rectification_cases (status, category, measure, deadline, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX rectification_cases_by_officer ON rectification_cases (officer_id, status, category, measure, deadline, found_on, deleted_at) WHERE deleted_at IS NULL;
-- An enterprise's cases (its 整改 tab, the credit gate, collateral eligibility, a county's cases).
CREATE INDEX rectification_cases_by_enterprise ON rectification_cases (enterprise_id, status, category, measure, deadline, found_on, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX rectification_cases_by_number ON rectification_cases (case_number) WHERE deleted_at IS NULL;

-- A dated visit or note on a case: what was seen, how far the rectification is, when to look again.
-- Photos and documents are attachments (owner_type 'rectification_follow_ups').
CREATE TABLE rectification_follow_ups (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  case_id TEXT NOT NULL,
  followed_on TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('visit', 'note')),
  note TEXT NOT NULL,
  progress_percent INTEGER NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
  next_follow_up_on TEXT
) STRICT;
CREATE INDEX rectification_follow_ups_by_case ON rectification_follow_ups (case_id, followed_on) WHERE deleted_at IS NULL;

-- 贷后监测: a scheduled visit to a borrower covering production, finance, energy saving and
-- environment, and green innovation. A finding may open a case (the case names the visit).
CREATE TABLE monitoring_visits (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  enterprise_id TEXT NOT NULL,
  due_on TEXT NOT NULL,
  visited_on TEXT,
  officer_id TEXT NOT NULL,
  production TEXT,
  finance TEXT,
  energy_environment TEXT,
  green_innovation TEXT,
  -- a finding worth a case: its category and what was found (null when the visit found nothing)
  finding_category TEXT CHECK (finding_category IN ('environmental', 'work_safety', 'occupational_health')),
  finding TEXT
) STRICT;
CREATE INDEX monitoring_visits_by_enterprise ON monitoring_visits (enterprise_id, due_on) WHERE deleted_at IS NULL;
CREATE INDEX monitoring_visits_by_due ON monitoring_visits (due_on) WHERE deleted_at IS NULL AND visited_on IS NULL;

-- The case list's county filter is the enterprise's county: the enterprises of a county found
-- without reading every file (0004's division index is led by the branch).
CREATE INDEX enterprises_by_division ON enterprises (division_code) WHERE deleted_at IS NULL;
