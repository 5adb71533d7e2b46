-- Head office's named people (issue 18): roles, scrypt password hashes (shared/node/passwords.ts),
-- the lockout counter (shared/domain/lockout.ts), and an approver's authority in fen.
CREATE TABLE head_office_users (
  user_id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('ho_admin', 'ho_approver', 'ho_viewer')),
  password_hash text NOT NULL,
  approval_limit_fen bigint CHECK (approval_limit_fen IS NULL OR approval_limit_fen >= 0),
  disabled boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every head-office action, chained as the laptop's audit_log (shared/node/auditChain.ts hashes
-- both): the same columns as text, so the same function verifies either.
CREATE TABLE head_office_audit (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  user_id text,
  user_name text,
  action text NOT NULL,
  record_type text NOT NULL,
  record_id text,
  before text,
  after text,
  prev_hash text NOT NULL,
  hash text NOT NULL
);

-- The chain's head, kept beside it: cutting off the newest rows leaves the head ahead of them.
CREATE TABLE head_office_audit_head (
  singleton integer PRIMARY KEY CHECK (singleton = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);

-- Append-only for the hub's own connection: an UPDATE or DELETE is refused. Someone with the
-- rights to drop this trigger can still rewrite rows; the chain (and the head) then shows it.
CREATE FUNCTION head_office_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'head_office_audit is append-only';
END;
$$;
CREATE TRIGGER head_office_audit_append_only BEFORE UPDATE OR DELETE ON head_office_audit
  FOR EACH ROW EXECUTE FUNCTION head_office_audit_append_only();
