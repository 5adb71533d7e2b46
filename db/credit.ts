import type { CreditListFilter, CreditSort } from '../shared/api/credit.ts';
import type { CreditTerms } from '../shared/domain/creditApplication.ts';
import type { ApprovalLevel, CreditAction, CreditStatus, WorkflowState } from '../shared/domain/creditWorkflow.ts';
import type { WorkflowStep } from '../shared/domain/stepDurations.ts';
import { can, type Role } from '../shared/domain/roles.ts';
import { isApprovingRole } from '../shared/domain/approvalAuthority.ts';
import type { Db } from './open.ts';
import type { Row } from './records.ts';
import { searchClause } from './enterprises.ts';

/** Repository of credit applications (授信申请) and their workflow steps: terms ↔ columns, list queries. */
export interface CreditApplicationRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  enterprise_id: string;
  product: CreditTerms['product'];
  amount_fen: number;
  term_months: number;
  rate_bp: number;
  purpose: string;
  purpose_kind: CreditTerms['purposeKind'];
  guarantee_mode: CreditTerms['guaranteeMode'];
  green_project: 0 | 1;
  project_name: string | null;
  project_total_investment_fen: number | null;
  project_expected_start: string | null;
  status: CreditStatus;
  approval_level: ApprovalLevel;
  investigator_id: string;
  reviewer_id: string | null;
  decider_id: string | null;
  decided_at: string | null;
  step_entered_at: string;
  gate_override_by: string | null;
  gate_override_reason: string | null;
  gate_override_at: string | null;
  gate_override_codes: string | null;
  notes: string | null;
}

/** A list row: the application with its enterprise's name and what the list shows of it. */
export interface CreditListRow extends CreditApplicationRow {
  enterprise_name: string;
  enterprise_uscc: string;
  priority: 0 | 1;
  waiting_for_me: 0 | 1;
}

export interface CreditStepRow {
  id: string;
  application_id: string;
  step: WorkflowStep;
  action: CreditAction;
  actor_id: string;
  opinion: string;
  attachment_ids: string;
  entered_at: string;
  acted_at: string;
  to_status: CreditStatus;
  to_approval_level: ApprovalLevel;
}

/** The columns an application's terms write. */
export function creditTermColumnsOf(terms: CreditTerms): Row {
  return {
    enterprise_id: terms.enterpriseId,
    product: terms.product,
    amount_fen: terms.amountFen,
    term_months: terms.termMonths,
    rate_bp: terms.rateBp,
    purpose: terms.purpose,
    purpose_kind: terms.purposeKind,
    guarantee_mode: terms.guaranteeMode,
    green_project: terms.greenProject ? 1 : 0,
    project_name: terms.project?.name ?? null,
    project_total_investment_fen: terms.project?.totalInvestmentFen ?? null,
    project_expected_start: terms.project?.expectedStart ?? null,
  };
}

export function creditTermsOf(row: CreditApplicationRow): CreditTerms {
  return {
    enterpriseId: row.enterprise_id,
    product: row.product,
    amountFen: row.amount_fen,
    termMonths: row.term_months,
    rateBp: row.rate_bp,
    purpose: row.purpose,
    purposeKind: row.purpose_kind,
    guaranteeMode: row.guarantee_mode,
    greenProject: row.green_project === 1,
    project:
      row.project_name === null || row.project_total_investment_fen === null || row.project_expected_start === null
        ? null
        : { name: row.project_name, totalInvestmentFen: row.project_total_investment_fen, expectedStart: row.project_expected_start },
  };
}

export function workflowStateOf(row: CreditApplicationRow): WorkflowState {
  return { status: row.status, approvalLevel: row.approval_level, investigatorId: row.investigator_id, reviewerId: row.reviewer_id, deciderId: row.decider_id };
}

/** The workflow state as columns (what an action writes). */
export function workflowColumnsOf(state: WorkflowState): Row {
  return { status: state.status, approval_level: state.approvalLevel, investigator_id: state.investigatorId, reviewer_id: state.reviewerId, decider_id: state.deciderId };
}

export function getCreditApplication(db: Db, id: string): CreditApplicationRow | undefined {
  return db.prepare('SELECT * FROM credit_applications WHERE id = ? AND deleted_at IS NULL').get(id) as CreditApplicationRow | undefined;
}

export function creditSteps(db: Db, applicationId: string): CreditStepRow[] {
  return db.prepare('SELECT * FROM credit_application_steps WHERE application_id = ? AND deleted_at IS NULL ORDER BY acted_at, created_at').all(applicationId) as CreditStepRow[];
}

/** 优先 in SQL: the same rule as shared/domain/creditApplication.ts isPriorityEnterprise, over enterprise columns. */
const PRIORITY_SQL = '(e.miit_recommended = 1 OR e.green_factory_level IS NOT NULL)';

/**
 * 待我处理 in SQL: the current step is one the user can act on — their own investigation; a review,
 * for a credit manager who did not investigate it; an approval at their level, for someone who
 * neither investigated nor reviewed it. applyAction (shared/domain/creditWorkflow.ts) is the rule;
 * this is its reading for a list filter, so thousands of rows need not be loaded to filter them.
 */
const WAITING_FOR_ME_SQL = `(
  (a.status = 'investigation' AND a.investigator_id = @me)
  OR (a.status = 'review' AND @canReview = 1 AND a.investigator_id <> @me)
  OR (a.status = 'approval' AND a.approval_level = @myLevel AND a.investigator_id <> @me AND coalesce(a.reviewer_id, '') <> @me)
)`;

const sortColumns: Record<CreditSort['field'], string> = {
  createdAt: 'a.created_at',
  updatedAt: 'a.updated_at',
  amountFen: 'a.amount_fen',
  stepEnteredAt: 'a.step_entered_at',
  enterpriseName: 'e.name_initials %s, e.name',
};

export interface Viewer {
  userId: string;
  role: Role;
}

/** The parameters WAITING_FOR_ME_SQL reads. */
const viewerParams = (viewer: Viewer) => ({ me: viewer.userId, canReview: can(viewer.role, 'credit.review') ? 1 : 0, myLevel: isApprovingRole(viewer.role) ? viewer.role : null });

/** Filtered, sorted and paged in SQL. A branch holds thousands of applications, not millions: one query. */
export function listCreditApplications(db: Db, filter: CreditListFilter, sort: CreditSort, offset: number, limit: number, viewer: Viewer): { rows: CreditListRow[]; total: number } {
  const params: Record<string, unknown> = { ...viewerParams(viewer), limit, offset };
  const clauses = ['a.deleted_at IS NULL'];
  const query = filter.query?.replace(/\p{Cc}/gu, ' ').trim() ?? '';
  if (query !== '') clauses.push(searchClause(query, params).sql);
  if (filter.status === 'open') clauses.push("a.status NOT IN ('approved', 'rejected')");
  else if (filter.status === 'decided') clauses.push("a.status IN ('approved', 'rejected')");
  else if (filter.status !== undefined) {
    params.status = filter.status;
    clauses.push('a.status = @status');
  }
  if (filter.priority !== undefined) clauses.push(filter.priority ? PRIORITY_SQL : `NOT ${PRIORITY_SQL}`);
  if (filter.waitingForMe === true) clauses.push(WAITING_FOR_ME_SQL);
  if (filter.enterpriseId !== undefined) {
    params.enterpriseId = filter.enterpriseId;
    clauses.push('a.enterprise_id = @enterpriseId');
  }
  if (filter.product !== undefined) {
    params.product = filter.product;
    clauses.push('a.product = @product');
  }
  const direction = sort.order.toUpperCase();
  const order = `${sortColumns[sort.field].replaceAll('%s', direction)} ${direction}, a.id ${direction}`;
  const rows = db
    .prepare(
      `SELECT a.*, e.name AS enterprise_name, e.uscc AS enterprise_uscc, ${PRIORITY_SQL} AS priority, ${WAITING_FOR_ME_SQL} AS waiting_for_me, count(*) OVER () AS __total
       FROM credit_applications a JOIN enterprises e ON e.id = a.enterprise_id
       WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all(params) as (CreditListRow & { __total: number })[];
  const total =
    rows[0]?.__total ??
    (db.prepare(`SELECT count(*) FROM credit_applications a JOIN enterprises e ON e.id = a.enterprise_id WHERE ${clauses.join(' AND ')}`).pluck().get(params) as number);
  return { rows: rows.map(({ __total: _total, ...row }) => row as CreditListRow), total };
}

/** 待我处理 for one application, by the list's own rule. */
export function isWaitingFor(db: Db, id: string, viewer: Viewer): boolean {
  const params = { id, ...viewerParams(viewer) };
  return db.prepare(`SELECT ${WAITING_FOR_ME_SQL} FROM credit_applications a WHERE a.id = @id`).pluck().get(params) === 1;
}
