import { uuidv7 } from 'uuidv7';
import type { DecideApplication } from '../shared/api/console.ts';
import { checkHeadOfficeAuthority } from '../shared/domain/approvalAuthority.ts';
import { applyAction, creditStatuses, type CreditStatus, type WorkflowState } from '../shared/domain/creditWorkflow.ts';
import { approvingRoles } from '../shared/domain/approvalAuthority.ts';
import type { PushResult } from '../shared/sync/protocol.ts';
import type { HubClock } from './clock.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf } from './headOfficeSession.ts';
import type { HeadOfficeUser } from './headOfficeUsers.ts';
import { headOfficeChanges } from './ledger.ts';
import type { Storage } from './storage.ts';

/**
 * Applications escalated to head office (上报上级行) and head office's decision on them. A
 * 总行审批人 whose own limit covers the amount approves or rejects with an opinion; the decision is
 * the same workflow step the laptop's host takes (shared/domain/creditWorkflow.ts applyAction, side
 * 'head_office'), written through the hub's apply path (ledger.ts headOfficeChanges: guarded
 * fields, conflicts, the table's lifecycle rule) as the application's update and its step row, and
 * audited in head_office_audit in the same transaction. The branch's laptops pull both at their
 * next sync, like any change.
 */
type Data = Record<string, unknown>;

export interface EscalatedStep {
  data: Data;
  actorName: string | null;
}

export interface EscalatedApplication {
  branchId: string;
  branchName: string;
  rowId: string;
  version: number;
  data: Data;
  enterprise: Data | null;
  /** The workflow so far (credit_application_steps), oldest first, with the branch's names for who acted. */
  steps: EscalatedStep[];
  /** Display names of the branch's people the application names. */
  names: Record<string, string>;
}

/** A decision as the console API takes it (the contract's schema). */
export type Decision = DecideApplication;

/** One credit application of a branch with what its page shows; undefined when the branch holds none by that id. */
export async function escalatedApplication(storage: Storage, branchId: string, rowId: string): Promise<EscalatedApplication | undefined> {
  const [row] = await storage.query<{ branch_name: string; version: number; data: Data; enterprise: Data | null }>(
    `SELECT b.name AS branch_name, r.version, r.data, e.data AS enterprise
     FROM sync_rows r JOIN branches b ON b.branch_id = r.branch_id
     LEFT JOIN sync_rows e ON e.branch_id = r.branch_id AND e.table_name = 'enterprises' AND e.row_id::text = r.data->>'enterprise_id'
     WHERE r.branch_id = $1 AND r.table_name = 'credit_applications' AND r.row_id = $2 AND NOT r.deleted`,
    [branchId, rowId],
  );
  if (row === undefined) return undefined;
  const steps = await storage.query<{ data: Data }>(
    `SELECT data FROM sync_rows WHERE branch_id = $1 AND table_name = 'credit_application_steps' AND NOT deleted AND data->>'application_id' = $2
     ORDER BY data->>'acted_at', row_id`,
    [branchId, rowId],
  );
  const people = await storage.query<{ id: string; name: string }>(
    `SELECT row_id::text AS id, data->>'display_name' AS name FROM sync_rows WHERE branch_id = $1 AND table_name = 'people'`,
    [branchId],
  );
  const names = Object.fromEntries(people.map((person) => [person.id, person.name]));
  return {
    branchId,
    branchName: row.branch_name,
    rowId,
    version: row.version,
    data: row.data,
    enterprise: row.enterprise,
    steps: steps.map((step) => ({ data: step.data, actorName: names[String(step.data.actor_id)] ?? null })),
    names,
  };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The workflow state a synced row holds, or null when it holds none (the row schema's to report). */
export function workflowStateOf(data: Data): WorkflowState | null {
  const investigatorId = text(data.investigator_id);
  if (!creditStatuses.includes(data.status as CreditStatus) || !approvingRoles.includes(data.approval_level as never) || investigatorId === null) return null;
  return {
    status: data.status as CreditStatus,
    approvalLevel: data.approval_level as WorkflowState['approvalLevel'],
    investigatorId,
    reviewerId: text(data.reviewer_id),
    deciderId: text(data.decider_id),
  };
}

export const amountOf = (data: Data): number => (typeof data.amount_fen === 'number' ? data.amount_fen : 0);

/**
 * A 总行审批人's decision on an escalated application. Refused (and the refusal audited) above
 * their own limit, naming it; refused when the application is no longer escalated or moved since
 * the version the person decided on; otherwise written and audited in one transaction.
 */
export async function decideEscalated(storage: Storage, clock: HubClock, user: HeadOfficeUser, application: EscalatedApplication, decision: Decision, now = new Date()): Promise<PushResult[]> {
  const { branchId, rowId, data } = application;
  const actor = actorOf(user);
  const record = { branchId, amountFen: amountOf(data), enterpriseName: application.enterprise?.name ?? null };
  const state = workflowStateOf(data);
  if (state === null || state.status !== 'escalated') throw new HubError('CONFLICT', `The application is ${String(data.status)}, not escalated`, { reason: 'NOT_ESCALATED', status: String(data.status) });
  const authority = checkHeadOfficeAuthority(user.approvalLimitFen, record.amountFen);
  if (!authority.ok) {
    await storage.transaction((tx) =>
      appendHeadOfficeAudit(tx, actor, { action: `credit.${decision.action}.refused`, recordType: 'credit_applications', recordId: rowId, after: { ...record, limitFen: authority.limitFen, reason: 'AUTHORITY_EXCEEDED' } }, now),
    );
    throw new HubError('FORBIDDEN', `The amount ${record.amountFen} fen is above your approval limit of ${authority.limitFen} fen`, { reason: 'AUTHORITY_EXCEEDED', limitFen: authority.limitFen, amountFen: record.amountFen });
  }
  const outcome = applyAction(state, { action: decision.action }, { userId: user.id, side: 'head_office' });
  if (!outcome.ok) throw new HubError('FORBIDDEN', `Refused by the workflow: ${outcome.rule}`, { reason: 'WORKFLOW', rule: outcome.rule });

  const at = now.toISOString();
  const next = outcome.state;
  const stepId = uuidv7();
  const { results } = await headOfficeChanges(
    storage,
    clock,
    { branchId, userId: user.id },
    [
      {
        table: 'credit_applications',
        rowId,
        op: 'update',
        baseVersion: decision.version,
        fields: {
          status: next.status,
          approval_level: next.approvalLevel,
          reviewer_id: next.reviewerId,
          decider_id: next.deciderId,
          decided_at: at,
          step_entered_at: at,
          updated_at: at,
          updated_by: user.id,
        },
      },
      {
        table: 'credit_application_steps',
        rowId: stepId,
        op: 'insert',
        baseVersion: 0,
        fields: {
          id: stepId,
          created_at: at,
          created_by: user.id,
          updated_at: at,
          updated_by: user.id,
          deleted_at: null,
          application_id: rowId,
          step: 'escalated',
          action: decision.action,
          actor_id: user.id,
          opinion: decision.opinion,
          attachment_ids: '[]',
          entered_at: typeof data.step_entered_at === 'string' ? data.step_entered_at : at,
          acted_at: at,
          to_status: next.status,
          to_approval_level: next.approvalLevel,
        },
      },
    ],
    async (tx, answers) => {
      const refused = answers.find((answer) => answer.status !== 'applied');
      // Undone as a whole: a decision is both rows or neither.
      if (refused?.status === 'conflict') throw new HubError('CONFLICT', 'The application changed since it was opened', { reason: 'STALE' });
      if (refused !== undefined) throw new HubError('CONFLICT', `The decision was refused: ${refused.reason ?? refused.status}`, { reason: refused.reason ?? refused.status, result: refused });
      await appendHeadOfficeAudit(
        tx,
        actor,
        { action: `credit.${decision.action}`, recordType: 'credit_applications', recordId: rowId, before: { status: state.status, version: decision.version }, after: { ...record, status: next.status, opinion: decision.opinion, stepId } },
        now,
      );
    },
  );
  return results;
}
