import { prepared, type Db } from './open.ts';

/**
 * The queries of the 工作台 (electron/host/handlers/workbench.ts). Each reads one index led by what
 * it asks (a status, an officer, a due day), so the home screen costs what the person has to do,
 * not what the branch holds; each returns its first `limit` rows and its full count.
 */

export interface Counted<T> {
  rows: T[];
  total: number;
}

function counted<T>(db: Db, from: string, columns: string, order: string, params: Record<string, unknown>, limit: number): Counted<T> {
  const rows = prepared(db, `SELECT ${columns} ${from} ORDER BY ${order} LIMIT @limit`).all({ ...params, limit }) as T[];
  const total = rows.length < limit ? rows.length : (prepared(db, `SELECT count(*) ${from}`).pluck().get(params) as number);
  return { rows, total };
}

export interface EnterpriseNamed {
  id: string;
  enterprise_id: string;
  enterprise_name: string;
}

/**
 * The enterprises a person looks after (their 客户): files they created, and those where they are the
 * investigator of an application, the maker of a collateral item, or the officer of a case or a visit.
 * The enterprise file has no owner column; these are the records that name a person.
 */
export function enterprisesOf(db: Db, userId: string): string[] {
  return prepared(
    db,
    `SELECT id FROM enterprises INDEXED BY enterprises_by_creator WHERE created_by = @me AND deleted_at IS NULL
     UNION SELECT enterprise_id FROM credit_applications INDEXED BY credit_applications_investigator WHERE investigator_id = @me AND deleted_at IS NULL
     UNION SELECT enterprise_id FROM collateral_items INDEXED BY collateral_by_maker WHERE maker_id = @me AND deleted_at IS NULL
     UNION SELECT enterprise_id FROM rectification_cases INDEXED BY rectification_cases_by_officer WHERE officer_id = @me AND deleted_at IS NULL
     UNION SELECT enterprise_id FROM monitoring_visits INDEXED BY monitoring_visits_by_officer WHERE officer_id = @me AND deleted_at IS NULL`,
  )
    .pluck()
    .all({ me: userId }) as string[];
}

export interface SubmittedCollateralRow extends EnterpriseNamed {
  certificate_number: string;
  type: string;
  updated_at: string;
}

/** Submitted items someone else entered: the credit manager's approvals (oldest first). */
export function collateralAwaitingApproval(db: Db, userId: string, limit: number): Counted<SubmittedCollateralRow> {
  return counted(
    db,
    `FROM collateral_items c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.status = 'submitted' AND c.maker_id <> @me AND c.deleted_at IS NULL`,
    'c.id, c.enterprise_id, e.name AS enterprise_name, c.certificate_number, c.type, c.updated_at',
    'c.updated_at, c.id',
    { me: userId },
    limit,
  );
}

export interface DraftTagRow {
  id: string;
  owner_type: 'loan' | 'credit_application';
  owner_id: string;
  catalogue_version: string;
  catalogue_code: string;
  label: string;
  enterprise_id: string;
  enterprise_name: string;
  updated_at: string;
}

/**
 * Draft tags with a code and evidence that someone else prepared: what a credit manager may confirm
 * (the catalogue check of the code is the handler's, shared/domain/greenTag.ts). Drafts are few (a
 * branch's tags are thousands): all are read, from the status index.
 */
export function draftTagsWithEvidence(db: Db, userId: string): DraftTagRow[] {
  return prepared(
    db,
    `SELECT t.id, t.owner_type, t.owner_id, t.catalogue_version, t.catalogue_code, t.updated_at,
            coalesce(l.loan_number, a.project_name, a.purpose, '') AS label,
            e.id AS enterprise_id, e.name AS enterprise_name
       FROM green_tags t INDEXED BY green_tags_status
       LEFT JOIN loans l ON t.owner_type = 'loan' AND l.id = t.owner_id AND l.deleted_at IS NULL
       LEFT JOIN credit_applications a ON t.owner_type = 'credit_application' AND a.id = t.owner_id AND a.deleted_at IS NULL
       JOIN enterprises e ON e.id = coalesce(l.enterprise_id, a.enterprise_id) AND e.deleted_at IS NULL
      WHERE t.status = 'draft' AND t.deleted_at IS NULL AND t.prepared_by <> @me AND t.catalogue_code IS NOT NULL AND t.catalogue_code <> ''
        AND EXISTS (SELECT 1 FROM attachments x WHERE x.owner_type = 'green_tags' AND x.owner_id = t.id AND x.deleted_at IS NULL)
      ORDER BY t.updated_at, t.id`,
  ).all({ me: userId }) as DraftTagRow[];
}

export interface CaseItemRow extends EnterpriseNamed {
  case_number: string;
  category: string;
  deadline: string;
  status: string;
}

const CASE_COLUMNS = 'c.id, c.enterprise_id, e.name AS enterprise_name, c.case_number, c.category, c.deadline, c.status';

/** Cases submitted for verification whose officer is someone else (a credit manager's to verify), oldest deadline first. */
export function casesAwaitingVerification(db: Db, userId: string, limit: number): Counted<CaseItemRow> {
  return counted(
    db,
    `FROM rectification_cases c INDEXED BY rectification_cases_by_status JOIN enterprises e ON e.id = c.enterprise_id
      WHERE c.status = 'submitted' AND c.officer_id <> @me AND c.deleted_at IS NULL`,
    CASE_COLUMNS,
    'c.deadline, c.id',
    { me: userId },
    limit,
  );
}

export interface FollowUpDueRow extends CaseItemRow {
  next_follow_up_on: string | null;
}

/**
 * The person's cases under way (open or in progress: not waiting on a manager, not closed) whose
 * latest follow-up asks to look again by the horizon, or that were never followed up. Read from the
 * officer index; each case's latest follow-up from its own index.
 */
export function followUpsDue(db: Db, userId: string, horizon: string, limit: number): Counted<FollowUpDueRow> {
  const latest = `(SELECT f.next_follow_up_on FROM rectification_follow_ups f WHERE f.case_id = c.id AND f.deleted_at IS NULL ORDER BY f.followed_on DESC, f.created_at DESC LIMIT 1)`;
  const followed = `EXISTS (SELECT 1 FROM rectification_follow_ups f WHERE f.case_id = c.id AND f.deleted_at IS NULL)`;
  return counted(
    db,
    `FROM rectification_cases c INDEXED BY rectification_cases_by_officer JOIN enterprises e ON e.id = c.enterprise_id
      WHERE c.officer_id = @me AND c.status IN ('open', 'in_progress', 'escalated') AND c.deleted_at IS NULL
        AND (NOT ${followed} OR ${latest} <= @horizon)`,
    `${CASE_COLUMNS}, ${latest} AS next_follow_up_on`,
    `coalesce(${latest}, c.found_on), c.id`,
    { me: userId, horizon },
    limit,
  );
}

export interface VisitDueRow extends EnterpriseNamed {
  due_on: string;
}

/** The person's monitoring visits not yet made and due by the horizon, from the index of visits not made. */
export function visitsDue(db: Db, userId: string, horizon: string, limit: number): Counted<VisitDueRow> {
  return counted(
    db,
    `FROM monitoring_visits v INDEXED BY monitoring_visits_by_due JOIN enterprises e ON e.id = v.enterprise_id AND e.deleted_at IS NULL
      WHERE v.due_on <= @horizon AND v.visited_on IS NULL AND v.deleted_at IS NULL AND v.officer_id = @me`,
    'v.id, v.enterprise_id, e.name AS enterprise_name, v.due_on',
    'v.due_on, v.id',
    { me: userId, horizon },
    limit,
  );
}

/** Open cases past their deadline, of the person's or on one of their enterprises, most overdue first. */
export function overdueCases(db: Db, userId: string, enterpriseIds: readonly string[], today: string, limit: number): Counted<CaseItemRow> {
  return counted(
    db,
    `FROM rectification_cases c JOIN enterprises e ON e.id = c.enterprise_id
      WHERE c.deleted_at IS NULL AND c.status <> 'closed' AND c.deadline < @today
        AND c.id IN (SELECT id FROM rectification_cases INDEXED BY rectification_cases_by_officer WHERE officer_id = @me AND deleted_at IS NULL
                     UNION SELECT k.id FROM json_each(@enterprises) j JOIN rectification_cases k INDEXED BY rectification_cases_by_enterprise ON k.enterprise_id = j.value AND k.deleted_at IS NULL)`,
    CASE_COLUMNS,
    'c.deadline, c.id',
    { me: userId, today, enterprises: JSON.stringify(enterpriseIds) },
    limit,
  );
}

/** Watched collateral items (approved, registered, active) of these enterprises, through the owner index. */
export function watchedCollateralOf(db: Db, enterpriseIds: readonly string[]): string[] {
  return prepared(
    db,
    `SELECT c.id FROM json_each(@enterprises) j JOIN collateral_items c INDEXED BY collateral_by_enterprise ON c.enterprise_id = j.value
      WHERE c.status IN ('approved', 'registered', 'active') AND c.deleted_at IS NULL ORDER BY c.id`,
  )
    .pluck()
    .all({ enterprises: JSON.stringify(enterpriseIds) }) as string[];
}

/** What the first-run checklist reads: whether each step has happened on this laptop. */
export function firstRunFacts(db: Db): { referenceData: boolean; officers: boolean; managers: boolean; synced: boolean; enterprises: boolean; loans: boolean } {
  const one = (sql: string) => prepared(db, sql).pluck().get() !== undefined;
  return {
    referenceData: one('SELECT 1 FROM reference_data LIMIT 1'),
    officers: one("SELECT 1 FROM users WHERE role = 'loan_officer' AND disabled = 0 AND deleted_at IS NULL LIMIT 1"),
    managers: one("SELECT 1 FROM users WHERE role = 'credit_manager' AND disabled = 0 AND deleted_at IS NULL LIMIT 1"),
    synced: one('SELECT 1 FROM sync_state WHERE last_success_at IS NOT NULL'),
    enterprises: one('SELECT 1 FROM enterprises WHERE deleted_at IS NULL LIMIT 1'),
    loans: one('SELECT 1 FROM loans WHERE deleted_at IS NULL LIMIT 1'),
  };
}
