-- Credit applications (授信申请, DOMAIN §3, issue 13) and the steps of their workflow. Both sync.
-- Money in fen, the rate in basis points, the term in months. The workflow columns (status,
-- approval_level, investigator/reviewer/decider) are written only by workflow actions
-- (electron/host/handlers/credit.ts), and the hub checks every pushed change of them with the same
-- rule (shared/domain/creditLifecycle.ts).
CREATE TABLE credit_applications (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  enterprise_id TEXT NOT NULL,
  product TEXT NOT NULL CHECK (product IN ('working_capital', 'fixed_asset', 'project', 'bank_acceptance', 'trade_finance')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  term_months INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 360),
  rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 3600),
  purpose TEXT NOT NULL,
  purpose_kind TEXT NOT NULL CHECK (purpose_kind IN ('general', 'pollution_control', 'rectification')),
  guarantee_mode TEXT NOT NULL CHECK (guarantee_mode IN ('credit', 'guarantee', 'mortgage', 'pledge', 'environmental_rights_pledge')),
  green_project INTEGER NOT NULL DEFAULT 0 CHECK (green_project IN (0, 1)),
  -- 项目贷款: project name, total investment (fen), expected start (local date)
  project_name TEXT,
  project_total_investment_fen INTEGER,
  project_expected_start TEXT,
  status TEXT NOT NULL DEFAULT 'investigation' CHECK (status IN ('investigation', 'review', 'approval', 'escalated', 'approved', 'rejected')),
  approval_level TEXT NOT NULL DEFAULT 'credit_manager' CHECK (approval_level IN ('credit_manager', 'branch_head')),
  investigator_id TEXT NOT NULL,
  reviewer_id TEXT,
  decider_id TEXT,
  decided_at TEXT,
  -- when the current step began: the wait shown against the step's target duration
  step_entered_at TEXT NOT NULL,
  -- a credit manager's override of the credit gate: who, why, when, and the reason codes it covers (JSON)
  gate_override_by TEXT,
  gate_override_reason TEXT,
  gate_override_at TEXT,
  gate_override_codes TEXT,
  notes TEXT
) STRICT;
CREATE INDEX credit_applications_updated ON credit_applications (branch_id, updated_at);
CREATE INDEX credit_applications_status ON credit_applications (branch_id, status, step_entered_at);
CREATE INDEX credit_applications_enterprise ON credit_applications (enterprise_id, updated_at);
CREATE INDEX credit_applications_investigator ON credit_applications (investigator_id, status);

-- One row per workflow action: who acted at which step, when the step began and ended, the opinion
-- (or the reason of a rejection or a return) and the attachments it names. Never edited.
CREATE TABLE credit_application_steps (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  application_id TEXT NOT NULL,
  step TEXT NOT NULL CHECK (step IN ('investigation', 'review', 'approval', 'escalated')),
  action TEXT NOT NULL CHECK (action IN ('submit', 'pass', 'return', 'reject', 'approve', 'escalate')),
  actor_id TEXT NOT NULL,
  opinion TEXT NOT NULL,
  attachment_ids TEXT NOT NULL DEFAULT '[]',
  entered_at TEXT NOT NULL,
  acted_at TEXT NOT NULL,
  to_status TEXT NOT NULL,
  to_approval_level TEXT NOT NULL
) STRICT;
CREATE INDEX credit_application_steps_application ON credit_application_steps (application_id, acted_at);

-- Changes head office refused (a workflow step skipped, a self-approval, a row no laptop could have
-- written): kept with the hub's reason so 同步 can say what was not accepted and why. Local only.
CREATE TABLE sync_rejections (
  op_id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  issues TEXT NOT NULL DEFAULT '[]',     -- JSON [{field, message, rule?}]
  fields TEXT NOT NULL DEFAULT '{}',     -- JSON: what the change wanted to set
  user_id TEXT,
  rejected_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_rejections_at ON sync_rejections (rejected_at);
