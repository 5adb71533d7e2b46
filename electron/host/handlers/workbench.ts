import { WORKBENCH_HORIZON_DAYS, WORKBENCH_ITEMS_PER_KIND, type ChecklistStep, type Workbench, type WorkbenchItem, type WorkbenchItemKind } from '../../../shared/api/workbench.ts';
import type { CatalogueVersion } from '../../../shared/codes/greenCatalogues.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { confirmationGaps } from '../../../shared/domain/greenTag.ts';
import { can } from '../../../shared/domain/roles.ts';
import { getCollateral, itemAlerts } from '../../../db/collateral.ts';
import { listCreditApplications } from '../../../db/credit.ts';
import { catalogueOf } from '../../../db/green.ts';
import {
  casesAwaitingVerification,
  collateralAwaitingApproval,
  draftTagsWithEvidence,
  enterprisesOf,
  firstRunFacts,
  followUpsDue,
  overdueCases,
  visitsDue,
  watchedCollateralOf,
  type Counted,
} from '../../../db/workbench.ts';
import { signedInUser, type Handler } from '../context.ts';
import { openConflictsToDecide } from '../sync/conflictHolder.ts';
import { alertSettings } from './collateral.ts';

/**
 * 工作台: what the signed-in person must do today. The four-eyes steps are listed only to those who
 * may take them and never for their own records (the same rules the host applies when they act:
 * creditWorkflow, collateral, greenTag, rectification in shared/domain); the rest is the person's own
 * work and the alerts on the enterprises they look after.
 */

const LIMIT = WORKBENCH_ITEMS_PER_KIND;

type Part = Omit<WorkbenchItem, 'kind'>;

export const workbenchToday: Handler<'workbench.today'> = (ctx, call) => {
  const user = signedInUser(call);
  const db = ctx.store.db;
  const now = ctx.now();
  const today = shanghaiDate(now);
  const horizon = addDays(today, WORKBENCH_HORIZON_DAYS);
  const items: WorkbenchItem[] = [];
  const counts = {} as Record<WorkbenchItemKind, number>;
  const add = <T>(kind: WorkbenchItemKind, found: Counted<T>, item: (row: T) => Part) => {
    counts[kind] = found.total;
    for (const row of found.rows) items.push({ kind, ...item(row) });
  };
  const none = { rows: [], total: 0 };

  // Applications at a step this person may take (their investigation, a review or an approval), the longest waiting first.
  const credit = can(user.role, 'credit.act')
    ? listCreditApplications(db, { waitingForMe: true }, { field: 'stepEnteredAt', order: 'asc' }, 0, LIMIT, { userId: user.id, role: user.role })
    : none;
  add('credit_decision', credit, (row) => ({
    recordId: row.id,
    opens: { target: 'credit', id: row.id, tab: null },
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    label: row.product,
    detail: row.status,
    dueOn: shanghaiDate(new Date(row.step_entered_at)),
    overdue: false,
  }));

  add('collateral_approval', can(user.role, 'collateral.approve') ? collateralAwaitingApproval(db, user.id, LIMIT) : none, (row) => ({
    recordId: row.id,
    opens: { target: 'collateral', id: row.id, tab: null },
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    label: row.certificate_number,
    detail: row.type,
    dueOn: null,
    overdue: false,
  }));

  // Confirmable tags: a code the tag's catalogue knows and evidence attached (confirmationGaps, the rule green.confirm applies).
  const catalogues = new Map<string, ReturnType<typeof catalogueOf>>();
  const catalogue = (version: string) => {
    let found = catalogues.get(version);
    if (found === undefined) catalogues.set(version, (found = catalogueOf(db, version as CatalogueVersion)));
    return found;
  };
  const tags = can(user.role, 'green.confirm')
    ? draftTagsWithEvidence(db, user.id).filter((tag) => confirmationGaps({ code: tag.catalogue_code, evidenceCount: 1 }, catalogue(tag.catalogue_version)).length === 0)
    : [];
  add('green_confirmation', { rows: tags.slice(0, LIMIT), total: tags.length }, (tag) => ({
    recordId: tag.id,
    opens: tag.owner_type === 'loan' ? { target: 'loan', id: tag.owner_id, tab: 'green' } : { target: 'credit', id: tag.owner_id, tab: null },
    enterpriseId: tag.enterprise_id,
    enterpriseName: tag.enterprise_name,
    label: tag.label,
    detail: tag.owner_type,
    dueOn: null,
    overdue: false,
  }));

  const caseItem = (row: { id: string; enterprise_id: string; enterprise_name: string; case_number: string; category: string; deadline: string }, dueOn: string | null): Part => ({
    recordId: row.id,
    opens: { target: 'case', id: row.id, tab: null },
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    label: row.case_number,
    detail: row.category,
    dueOn,
    overdue: dueOn !== null && dueOn < today,
  });
  add('case_verification', can(user.role, 'case.verify') ? casesAwaitingVerification(db, user.id, LIMIT) : none, (row) => caseItem(row, row.deadline));
  add('case_follow_up', followUpsDue(db, user.id, horizon, LIMIT), (row) => caseItem(row, row.next_follow_up_on));

  add('monitoring_visit', visitsDue(db, user.id, horizon, LIMIT), (row) => ({
    recordId: row.id,
    opens: { target: 'enterprise', id: row.enterprise_id, tab: 'rectification' },
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    label: row.enterprise_name,
    detail: null,
    dueOn: row.due_on,
    overdue: row.due_on < today,
  }));

  // Alerts on the enterprises this person looks after: each alert of each watched item, then overdue cases.
  const mine = enterprisesOf(db, user.id);
  const settings = alertSettings(db, now);
  const alerts: Part[] = [];
  for (const itemId of watchedCollateralOf(db, mine)) {
    const row = getCollateral(db, itemId);
    if (row === undefined) continue;
    for (const alert of itemAlerts(db, row, settings)) {
      alerts.push({
        recordId: row.id,
        opens: { target: 'collateral', id: row.id, tab: null },
        enterpriseId: row.enterprise_id,
        enterpriseName: row.enterprise_name,
        label: row.certificate_number,
        detail: alert.kind,
        dueOn: 'expiresOn' in alert ? alert.expiresOn : 'dueOn' in alert ? alert.dueOn : 'deadline' in alert ? alert.deadline : null,
        overdue: false,
      });
    }
  }
  add('collateral_alert', { rows: alerts.slice(0, LIMIT), total: alerts.length }, (alert) => alert);
  add('case_overdue', overdueCases(db, user.id, mine, today, LIMIT), (row) => ({ ...caseItem(row, row.deadline), overdue: true }));

  // The conflicts this laptop decides (its own held edits, head office's held for the branch), as 同步 lists them.
  const conflicts = can(user.role, 'sync.run') ? openConflictsToDecide(db) : [];
  add('sync_conflict', { rows: conflicts.slice(0, LIMIT), total: conflicts.length }, (conflict) => ({
    recordId: conflict.id,
    opens: { target: 'sync', id: null, tab: null },
    enterpriseId: null,
    enterpriseName: null,
    label: conflict.table,
    detail: conflict.rowId,
    dueOn: null,
    overdue: false,
  }));

  const facts = firstRunFacts(db);
  const steps: Record<ChecklistStep, boolean> = {
    reference_data: facts.referenceData,
    users: facts.officers && facts.managers,
    first_sync: facts.synced,
    enterprises: facts.enterprises,
    loans: facts.loans,
  };
  const checklist = Object.values(steps).every(Boolean) ? null : (Object.entries(steps) as [ChecklistStep, boolean][]).map(([step, done]) => ({ step, done }));
  const answer: Workbench = { today, horizonDays: WORKBENCH_HORIZON_DAYS, items, counts, checklist };
  return answer;
};
