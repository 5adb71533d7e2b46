import { actorProblem, actorRuleMessages, type Columns, type LifecycleChange, type LifecycleIssue, type LifecycleValidator } from './lifecycle.ts';
import { applyCaseAction, caseMeasures, caseRequestBetween, caseStatuses, type CaseActor, type CaseRule, type CaseState } from './rectification.ts';

/**
 * The rectification case workflow over synced rows (table rectification_cases): the rule the hub
 * runs on every change a laptop pushes, built on the same applyCaseAction the host runs. A laptop
 * whose host checks were bypassed (a row written straight into its database) cannot close a case
 * its own officer verified, skip verification, soften a measure or move a deadline once submitted.
 *
 * The person's role comes from the branch's people directory (LifecycleChange.actor): only a
 * credit manager verifies, returns or escalates, and an unknown or switched-off account takes no
 * step. The hub does not count a case's attachments: evidence is the host's check. Besides, the
 * officer–verifier separation, the transition, the recorded verifier and the locked facts are
 * checked — what a pushed change carries.
 */

/** Written only by workflow actions. */
export const caseWorkflowColumns = ['status', 'measure', 'verifier_id', 'verified_at'] as const;

/** The facts a case is judged on: corrected while open or in progress, fixed once submitted. */
export const caseFactColumns = ['enterprise_id', 'category', 'source', 'source_reference', 'source_authority', 'source_date', 'found_on', 'description', 'required_actions', 'deadline', 'exposure_plan', 'officer_id'] as const;

const messages: Record<CaseRule | 'CASE_NOT_NEW' | 'CASE_ACTOR_MISMATCH' | 'CASE_FACTS_LOCKED' | 'CASE_FOUR_EYES_ROW', string> = {
  CASE_ILLEGAL_TRANSITION: 'the change skips or reverses a step of the case',
  CASE_NOT_OFFICER: 'only the responsible officer starts and submits the rectification',
  CASE_NOT_CREDIT_MANAGER: 'only a credit manager verifies, returns or escalates a case',
  CASE_FOUR_EYES: 'the case’s own officer may not verify or close it',
  CASE_NO_EVIDENCE: 'a case is closed only against evidence',
  CASE_MEASURE_NOT_STRONGER: 'escalation goes to a stronger measure only',
  CASE_NOT_NEW: 'a new case starts open, with nobody recorded as its verifier',
  CASE_ACTOR_MISMATCH: 'the verifier recorded is not the person who made the change',
  CASE_FACTS_LOCKED: 'the facts of a case submitted for verification cannot change',
  CASE_FOUR_EYES_ROW: 'the verifier must differ from the case’s officer',
};
type Rule = keyof typeof messages;

const issue = (field: string, rule: Rule): LifecycleIssue => ({ field, rule, message: messages[rule] });

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function stateOf(row: Columns): CaseState | null {
  const officerId = text(row.officer_id);
  if (!caseStatuses.includes(row.status as never) || !caseMeasures.includes(row.measure as never) || officerId === null) return null;
  return { status: row.status as CaseState['status'], measure: row.measure as CaseState['measure'], officerId, verifierId: text(row.verifier_id) };
}

/** On the row itself, whoever wrote it: closed ⇔ verified, and never by its officer. */
function rowInvariants(state: CaseState): LifecycleIssue[] {
  if (state.verifierId !== null && state.verifierId === state.officerId) return [issue('verifier_id', 'CASE_FOUR_EYES_ROW')];
  if ((state.status === 'closed') !== (state.verifierId !== null)) return [issue('verifier_id', 'CASE_ACTOR_MISMATCH')];
  return [];
}

const changed = (before: Columns, after: Columns, column: string) => JSON.stringify(before[column] ?? null) !== JSON.stringify(after[column] ?? null);

export const rectificationCaseLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  const to = stateOf(change.after);
  // A malformed row is the row schema's to report (shared/sync/rows.ts).
  if (to === null) return [];
  const invariants = rowInvariants(to);
  if (change.source === 'resolution') return invariants;

  const { before, userId } = change;
  if (before === undefined) return to.status === 'open' && to.verifierId === null ? invariants : [issue('status', 'CASE_NOT_NEW'), ...invariants];
  const from = stateOf(before);
  if (from === null) return invariants;

  const issues: LifecycleIssue[] = [...invariants];
  const factsTouched = caseFactColumns.filter((column) => changed(before, change.after, column));
  if (factsTouched.length > 0 && (from.status === 'submitted' || from.status === 'closed')) issues.push(issue(factsTouched[0]!, 'CASE_FACTS_LOCKED'));

  if (!caseWorkflowColumns.some((column) => changed(before, change.after, column))) return issues;
  const request = caseRequestBetween(from, to);
  if (request === null) return [...issues, issue('status', 'CASE_ILLEGAL_TRANSITION')];
  // A laptop's step is judged on the person's directory role, by the host's own rule; a head-office
  // edit as a credit manager's (its console has its own roles). Evidence is the host's check.
  let role: CaseActor['role'] = 'credit_manager';
  if (change.source === 'device') {
    const problem = actorProblem(change.actor);
    if (problem !== null) return [...issues, { field: 'status', rule: problem, message: actorRuleMessages[problem] }];
    role = change.actor!.role;
  }
  const outcome = applyCaseAction(from, request, { userId, role, evidenceCount: 1 });
  if (!outcome.ok) return [...issues, issue(outcome.rule === 'CASE_FOUR_EYES' ? 'verifier_id' : 'status', outcome.rule)];
  return outcome.state.verifierId !== to.verifierId ? [...issues, issue('verifier_id', 'CASE_ACTOR_MISMATCH')] : issues;
};
