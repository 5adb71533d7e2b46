import { stateMachine } from './lifecycle.ts';
import type { Role } from './roles.ts';

/**
 * Rectification cases (整改跟踪, DOMAIN §4, issue 16). Seed 000 tells the bank to act on
 * enterprises with unrectified violations in 环境保护, 安全生产 and 职业病防控 by 督促整改,
 * 压缩退出 or 清收处置. A case lives through one state machine — `applyCaseAction` — which the
 * laptop's host runs before writing an action and the hub runs (rectificationLifecycle.ts) on every
 * pushed change, so an officer cannot close their own case anywhere.
 *
 * Dates (found, deadline, "today") are Asia/Shanghai calendar days `YYYY-MM-DD` (calendar.ts):
 * overdue and escalation compare days, never instants, so a laptop in another zone sees the same.
 */

export const caseCategories = ['environmental', 'work_safety', 'occupational_health'] as const;
export type CaseCategory = (typeof caseCategories)[number];

export const caseSources = ['penalty_decision', 'inspection', 'media_report', 'bank_visit'] as const;
export type CaseSource = (typeof caseSources)[number];

/** The bank's measure, mildest first: escalation moves a case along this order. */
export const caseMeasures = ['urge', 'reduce_exit', 'collect_dispose'] as const;
export type CaseMeasure = (typeof caseMeasures)[number];

export const caseStatuses = ['open', 'in_progress', 'submitted', 'closed', 'escalated'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const caseActions = ['start', 'submit', 'return', 'verify', 'escalate'] as const;
export type CaseAction = (typeof caseActions)[number];

/** A case still counts against the enterprise (the credit gate, collateral eligibility) until verified closed. */
export const isCaseOpen = (status: CaseStatus): boolean => status !== 'closed';

export interface CaseState {
  status: CaseStatus;
  measure: CaseMeasure;
  /** The responsible officer (责任客户经理): does the rectification work, never verifies it. */
  officerId: string;
  /** Who verified and closed it (null until closed). */
  verifierId: string | null;
}

export interface CaseActor {
  userId: string;
  role: Role;
  /** Attachments on the case and its follow-ups: a close needs evidence (DOMAIN §4). */
  evidenceCount: number;
}

export type CaseRequest = { action: 'start' | 'submit' | 'return' | 'verify' } | { action: 'escalate'; measure: CaseMeasure };

export type CaseRule =
  /** The action does not apply in this status (a closed case, a skipped verification …). */
  | 'CASE_ILLEGAL_TRANSITION'
  /** Starting and submitting the work is the responsible officer's (or a credit manager's). */
  | 'CASE_NOT_OFFICER'
  /** Only a credit manager verifies, returns, closes or escalates. */
  | 'CASE_NOT_CREDIT_MANAGER'
  /** The case's own officer may not verify or close it. */
  | 'CASE_FOUR_EYES'
  /** No evidence attached: nothing to verify against. */
  | 'CASE_NO_EVIDENCE'
  /** Escalation goes to a stronger measure only. */
  | 'CASE_MEASURE_NOT_STRONGER';

export type CaseOutcome = { ok: true; state: CaseState } | { ok: false; rule: CaseRule };

/** For each status, the actions that apply and where they lead (one table for the host and the hub). */
export const caseMachine = stateMachine(caseStatuses, caseActions, {
  open: { start: 'in_progress', submit: 'submitted', escalate: 'escalated' },
  in_progress: { submit: 'submitted', escalate: 'escalated' },
  submitted: { verify: 'closed', return: 'in_progress', escalate: 'escalated' },
  // An escalated case carries on under its stronger measure: the work resumes and is verified as before.
  escalated: { start: 'in_progress', submit: 'submitted', escalate: 'escalated' },
  closed: {},
});

export const caseTransitionTarget = (status: CaseStatus, action: CaseAction): CaseStatus | null => caseMachine.target(status, action);

const stronger = (from: CaseMeasure, to: CaseMeasure) => caseMeasures.indexOf(to) > caseMeasures.indexOf(from);

export function applyCaseAction(state: CaseState, request: CaseRequest, actor: CaseActor): CaseOutcome {
  const to = caseTransitionTarget(state.status, request.action);
  if (to === null) return { ok: false, rule: 'CASE_ILLEGAL_TRANSITION' };
  const manager = actor.role === 'credit_manager';
  switch (request.action) {
    case 'start':
    case 'submit':
      if (actor.userId !== state.officerId && !manager) return { ok: false, rule: 'CASE_NOT_OFFICER' };
      return { ok: true, state: { ...state, status: to } };
    case 'return':
    case 'verify':
      if (!manager) return { ok: false, rule: 'CASE_NOT_CREDIT_MANAGER' };
      if (actor.userId === state.officerId) return { ok: false, rule: 'CASE_FOUR_EYES' };
      if (request.action === 'return') return { ok: true, state: { ...state, status: to } };
      if (actor.evidenceCount < 1) return { ok: false, rule: 'CASE_NO_EVIDENCE' };
      return { ok: true, state: { ...state, status: to, verifierId: actor.userId } };
    case 'escalate':
      if (!manager) return { ok: false, rule: 'CASE_NOT_CREDIT_MANAGER' };
      if (!stronger(state.measure, request.measure)) return { ok: false, rule: 'CASE_MEASURE_NOT_STRONGER' };
      return { ok: true, state: { ...state, status: to, measure: request.measure } };
  }
}

/** The request that turns one case state into another (how the hub reads a pushed row change). */
export function caseRequestBetween(from: Pick<CaseState, 'status' | 'measure'>, to: Pick<CaseState, 'status' | 'measure'>): CaseRequest | null {
  if (from.measure !== to.measure) return to.status === 'escalated' ? { action: 'escalate', measure: to.measure } : null;
  // Escalation always names a stronger measure: without one, a move to 'escalated' is no action.
  const action = caseMachine.actionBetween(from.status, to.status);
  return action === null || action === 'escalate' ? null : { action };
}

/** Whole days from one calendar date to another (both `YYYY-MM-DD`): zone-free, UTC arithmetic on days. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A case past its deadline: the deadline day itself is still in time, from the day after it is overdue. */
export function isCaseOverdue(item: { status: CaseStatus; deadline: string }, today: string): boolean {
  return isCaseOpen(item.status) && today > item.deadline;
}

/**
 * When an overdue case moves to a stronger measure (configurable, reference set
 * `rectification-escalation`): a case under `from` that is `daysOverdue` days or more past its
 * deadline should be escalated to `to`.
 */
export interface EscalationRule {
  from: CaseMeasure;
  daysOverdue: number;
  to: CaseMeasure;
}

/**
 * The defaults: 督促整改 not done a month after its deadline becomes 压缩退出; 压缩退出 three
 * months overdue becomes 清收处置. The bank's own rules may replace them.
 */
export const defaultEscalationRules: readonly EscalationRule[] = [
  { from: 'urge', daysOverdue: 30, to: 'reduce_exit' },
  { from: 'reduce_exit', daysOverdue: 90, to: 'collect_dispose' },
];

/**
 * The measure an open case should now be escalated to, or null. The strongest rule that applies
 * wins; a rule never softens a measure.
 */
export function escalationDue(item: { status: CaseStatus; deadline: string; measure: CaseMeasure }, today: string, rules: readonly EscalationRule[] = defaultEscalationRules): CaseMeasure | null {
  if (!isCaseOverdue(item, today)) return null;
  const overdueDays = daysBetween(item.deadline, today);
  const due = rules.filter((rule) => rule.from === item.measure && overdueDays >= rule.daysOverdue && stronger(item.measure, rule.to)).map((rule) => rule.to);
  if (due.length === 0) return null;
  return due.reduce((strongest, measure) => (stronger(strongest, measure) ? measure : strongest));
}

/** 压缩退出's plan: the enterprise's outstanding balance should be at most `targetFen` by `date`. */
export interface ExposurePlanStep {
  date: string;
  targetFen: number;
}

/** Seed 000's own words: the case screens, the letter (督促整改函) and the imports use them. */
export const caseCategoryWords: Record<CaseCategory, string> = { environmental: '环境保护', work_safety: '安全生产', occupational_health: '职业病防控' };
export const caseMeasureWords: Record<CaseMeasure, string> = { urge: '督促整改', reduce_exit: '压缩退出', collect_dispose: '清收处置' };
export const caseSourceWords: Record<CaseSource, string> = { penalty_decision: '行政处罚决定书', inspection: '检查发现', media_report: '媒体报道', bank_visit: '银行走访' };
export const caseStatusWords: Record<CaseStatus, string> = { open: '待整改', in_progress: '整改中', submitted: '待核实', closed: '已核实销号', escalated: '已升级' };
