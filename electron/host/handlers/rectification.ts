import { CALENDAR_LIMIT, calendarEntryKinds, type CalendarEntry, type CalendarEntryKind, type CalendarInput, type CaseDetail, type CaseFacts, type CaseSummary, type MonitoringVisit } from '../../../shared/api/rectification.ts';
import type { User } from '../../../shared/api/index.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { applyCaseAction, caseActions, escalationDue, isCaseOverdue, type CaseActor, type CaseMeasure, type CaseRequest, type CaseState, type ExposurePlanStep } from '../../../shared/domain/rectification.ts';
import { can } from '../../../shared/domain/roles.ts';
import { actualExposure, compareToPlan } from '../../../shared/domain/exposure.ts';
import { getEnterprise } from '../../../db/enterprises.ts';
import { enterpriseLoanSnapshots } from '../../../db/loans.ts';
import { personName } from '../../../db/identity.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, updateRecord } from '../../../db/records.ts';
import { caseFactColumns, countCases, deadlinesWithin, evidenceCount, followUpsDueWithin, planTargetsWithin, visitsDueWithin, type CaseCalendarRow, followUpsOf, getCase, getVisit, letterNumberOf, listCases, nextCaseNumber, nextLetterSequence, visitsOf, type CaseListRow, type MonitoringVisitRow } from '../../../db/rectification.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { actorOf } from './identity.ts';
import { caseLetters } from './rectificationLetters.ts';
import { scheduleOf } from './monitoring.ts';
import { listSchedule, refreshMonitoringSchedule } from '../../../db/monitoring.ts';

/**
 * Rectification cases (整改跟踪): the host side of shared/domain/rectification.ts. Every refusal is
 * the domain's own rule, named in `details.rule` for the UI to word; the hub runs the same workflow
 * on what this laptop pushes (shared/domain/rectificationLifecycle.ts).
 */

const refuse = (rule: string, message: string) => new HostFailure('FORBIDDEN', message, { rule });

function requireCase(db: Db, id: string): CaseListRow {
  const row = getCase(db, id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Rectification case ${id} not found`);
  return row;
}

const stateOf = (row: CaseListRow): CaseState => ({ status: row.status, measure: row.measure, officerId: row.officer_id, verifierId: row.verifier_id });

function summaryOf(row: CaseListRow, today: string): CaseSummary {
  return {
    id: row.id,
    version: row.version,
    caseNumber: row.case_number,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    category: row.category,
    source: row.source,
    foundOn: row.found_on,
    deadline: row.deadline,
    measure: row.measure,
    status: row.status,
    overdue: isCaseOverdue(row, today),
    officerId: row.officer_id,
    officerName: row.officer_name,
    updatedAt: row.updated_at,
  };
}

/** The request an action stands for; escalation to the measure asked for, else the one the rules call for. */
function requestOf(action: CaseDetail['allowedActions'][number], row: CaseListRow, today: string, measure?: CaseMeasure): CaseRequest | null {
  if (action !== 'escalate') return { action };
  const to = measure ?? escalationDue(row, today) ?? (row.measure === 'urge' ? 'reduce_exit' : row.measure === 'reduce_exit' ? 'collect_dispose' : null);
  return to === null ? null : { action, measure: to };
}

const needsManager = (action: CaseDetail['allowedActions'][number]) => action === 'verify' || action === 'return' || action === 'escalate';

export function caseDetail(db: Db, id: string, user: User, now: Date): CaseDetail {
  const row = requireCase(db, id);
  const today = shanghaiDate(now);
  const evidence = evidenceCount(db, id);
  const actor: CaseActor = { userId: user.id, role: user.role, evidenceCount: evidence };
  const allowedActions = caseActions.filter((action) => {
    if (!can(user.role, needsManager(action) ? 'case.verify' : 'case.write')) return false;
    const request = requestOf(action, row, today);
    return request !== null && applyCaseAction(stateOf(row), request, actor).ok;
  });
  return {
    ...summaryOf(row, today),
    sourceReference: row.source_reference,
    sourceAuthority: row.source_authority,
    sourceDate: row.source_date,
    description: row.description,
    requiredActions: row.required_actions,
    exposurePlan: JSON.parse(row.exposure_plan) as CaseDetail['exposurePlan'],
    verifierId: row.verifier_id,
    verifierName: row.verifier_id === null ? null : personName(db, row.verifier_id),
    verifiedAt: row.verified_at,
    verificationNote: row.verification_note,
    letterSentOn: row.letter_sent_on,
    monitoringVisitId: row.monitoring_visit_id,
    monitoringVisitedOn: row.monitoring_visit_id === null ? null : (getVisit(db, row.monitoring_visit_id)?.visited_on ?? null),
    letters: caseLetters(db, id),
    nextLetterNumber: row.status === 'closed' ? null : letterNumberOf(row.case_number, nextLetterSequence(db, id)),
    followUps: followUpsOf(db, id).map((followUp) => ({
      id: followUp.id,
      caseId: followUp.case_id,
      followedOn: followUp.followed_on,
      kind: followUp.kind,
      note: followUp.note,
      progressPercent: followUp.progress_percent,
      nextFollowUpOn: followUp.next_follow_up_on,
      createdBy: followUp.created_by,
      createdByName: followUp.created_by_name,
      createdAt: followUp.created_at,
    })),
    evidenceCount: evidence,
    allowedActions,
    escalationDue: escalationDue(row, today),
    today,
  };
}

/** The enterprise on file and the officer a person of the branch: a case names both. */
function requireParties(db: Db, enterpriseId: string, officerId: string): void {
  if (getEnterprise(db, enterpriseId) === undefined) {
    throw new HostFailure('NOT_FOUND', `Enterprise ${enterpriseId} not found`, { issues: [{ path: ['facts', 'enterpriseId'], code: 'NOT_FOUND', message: 'NOT_FOUND' }] });
  }
  if (personName(db, officerId) === null) {
    throw new HostFailure('VALIDATION', `Officer ${officerId} is not a person of this branch`, { issues: [{ path: ['facts', 'officerId'], code: 'NOT_FOUND', message: 'NOT_FOUND' }] });
  }
}

/**
 * A case opened from a monitoring visit: the visit is of the same enterprise, made, with a finding,
 * and no live case opened from it yet (one finding, one case: a second click is refused, not a twin).
 */
function requireOpenableVisit(db: Db, facts: CaseFacts): void {
  if (facts.monitoringVisitId === null) return;
  const visit = getVisit(db, facts.monitoringVisitId);
  const issue = (code: string) => ({ issues: [{ path: ['facts', 'monitoringVisitId'], code, message: code }] });
  if (visit === undefined || visit.enterprise_id !== facts.enterpriseId) throw new HostFailure('NOT_FOUND', `Monitoring visit ${facts.monitoringVisitId} of this enterprise not found`, issue('NOT_FOUND'));
  if (visit.finding === null) throw new HostFailure('VALIDATION', 'The monitoring visit recorded no finding', issue('VISIT_NO_FINDING'));
  if (visit.case_id !== null) throw new HostFailure('CONFLICT', `The visit's finding already opened case ${visit.case_number}`, { rule: 'VISIT_HAS_CASE', caseNumber: visit.case_number });
}

function visitOf(row: MonitoringVisitRow, today: string): MonitoringVisit {
  return {
    id: row.id,
    version: row.version,
    enterpriseId: row.enterprise_id,
    dueOn: row.due_on,
    visitedOn: row.visited_on,
    officerId: row.officer_id,
    officerName: row.officer_name,
    production: row.production,
    finance: row.finance,
    energyEnvironment: row.energy_environment,
    greenInnovation: row.green_innovation,
    findingCategory: row.finding_category,
    finding: row.finding,
    overdue: row.visited_on === null && row.due_on < today,
    caseId: row.case_id,
    caseNumber: row.case_number,
  };
}

export const monitoringList: Handler<'monitoring.list'> = (ctx, _call, input) => {
  const today = shanghaiDate(ctx.now());
  return { rows: visitsOf(ctx.store.db, input.enterpriseId).map((row) => visitOf(row, today)), schedule: scheduleOf(ctx.store.db, input.enterpriseId, today) };
};

export const monitoringRecord: Handler<'monitoring.record'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  const today = shanghaiDate(now);
  const { visit } = input;
  const id = db.transaction(() => {
    requireParties(db, visit.enterpriseId, user.id);
    if (visit.visitedOn !== null && visit.visitedOn > today) {
      throw new HostFailure('VALIDATION', 'A visit cannot be recorded as made after today', { issues: [{ path: ['visit', 'visitedOn'], code: 'IN_FUTURE', message: 'IN_FUTURE' }] });
    }
    const columns = {
      enterprise_id: visit.enterpriseId,
      due_on: visit.dueOn,
      visited_on: visit.visitedOn,
      officer_id: user.id,
      production: visit.production || null,
      finance: visit.finance || null,
      energy_environment: visit.energyEnvironment || null,
      green_innovation: visit.greenInnovation || null,
      finding_category: visit.findingCategory,
      finding: visit.finding || null,
    };
    return insertRecord(db, 'monitoring_visits', columns, actorOf(user, db), now).id as string;
  })();
  return visitOf(getVisit(db, id)!, today);
};

export const casesList: Handler<'cases.list'> = (ctx, _call, input) => {
  const today = shanghaiDate(ctx.now());
  const { rows, total, totalCapped } = listCases(ctx.store.db, input.filter, input.sort, input.offset, input.limit, today, input.exactTotal);
  return { rows: rows.map((row) => summaryOf(row, today)), total, totalCapped };
};

export const casesCounts: Handler<'cases.counts'> = (ctx, _call, input) => countCases(ctx.store.db, input.filter, shanghaiDate(ctx.now()));

export const casesGet: Handler<'cases.get'> = (ctx, call, input) => caseDetail(ctx.store.db, input.id, signedInUser(call), ctx.now());

export const casesCreate: Handler<'cases.create'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  const id = db.transaction(() => {
    requireParties(db, input.facts.enterpriseId, input.facts.officerId);
    requireOpenableVisit(db, input.facts);
    // The workflow columns are written out, nulls included: a refused change is undone from the hub's
    // row, which holds only the columns a change ever carried.
    const columns = {
      ...caseFactColumns(input.facts),
      case_number: nextCaseNumber(db, Number(shanghaiDate(now).slice(0, 4))),
      status: 'open',
      verifier_id: null,
      verified_at: null,
      verification_note: null,
      letter_sent_on: null,
    };
    return insertRecord(db, 'rectification_cases', columns, actorOf(user, db), now).id as string;
  })();
  return caseDetail(db, id, user, now);
};

export const casesUpdate: Handler<'cases.update'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  db.transaction(() => {
    const row = requireCase(db, input.id);
    if (row.status === 'submitted' || row.status === 'closed') throw refuse('CASE_FACTS_LOCKED', 'The facts of a case submitted for verification cannot change');
    if (row.officer_id !== user.id && user.role !== 'credit_manager') throw refuse('CASE_NOT_OFFICER', 'Only the responsible officer or a credit manager corrects a case');
    // The measure moves only by escalation (cases.act): a correction keeps the case's own.
    if (input.facts.measure !== row.measure) throw refuse('CASE_MEASURE_BY_ESCALATION', 'The measure changes only by escalation');
    requireParties(db, input.facts.enterpriseId, input.facts.officerId);
    updateRecord(db, 'rectification_cases', input.id, caseFactColumns(input.facts), actorOf(user, db), now, { expectedVersion: input.version });
  })();
  return caseDetail(db, input.id, user, now);
};

export const casesAct: Handler<'cases.act'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  db.transaction(() => {
    const row = requireCase(db, input.id);
    if (row.version !== input.version) throw new HostFailure('CONFLICT', `The case is at version ${row.version}, the action was based on ${input.version}`, { rule: 'STALE' });
    if (needsManager(input.action) && !can(user.role, 'case.verify')) throw refuse('CASE_NOT_CREDIT_MANAGER', `A ${user.role} cannot ${input.action} a case`);
    const today = shanghaiDate(now);
    const request = requestOf(input.action, row, today, input.measure);
    if (request === null) throw new HostFailure('CONFLICT', 'No stronger measure to escalate to', { rule: 'CASE_MEASURE_NOT_STRONGER' });
    const outcome = applyCaseAction(stateOf(row), request, { userId: user.id, role: user.role, evidenceCount: evidenceCount(db, row.id) });
    if (!outcome.ok) throw new HostFailure(outcome.rule === 'CASE_ILLEGAL_TRANSITION' ? 'CONFLICT' : 'FORBIDDEN', `Refused by the case workflow: ${outcome.rule}`, { rule: outcome.rule });
    const closing = outcome.state.status === 'closed';
    const columns = {
      status: outcome.state.status,
      measure: outcome.state.measure,
      verifier_id: outcome.state.verifierId,
      verified_at: closing ? now.toISOString() : null,
      ...(needsManager(input.action) ? { verification_note: input.note ?? null } : {}),
    };
    updateRecord(db, 'rectification_cases', row.id, columns, actorOf(user, db), now, { expectedVersion: input.version, action: `case_${input.action}` });
  })();
  return caseDetail(db, input.id, user, now);
};

export const casesAddFollowUp: Handler<'cases.addFollowUp'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const now = ctx.now();
  db.transaction(() => {
    const row = requireCase(db, input.caseId);
    if (row.status === 'closed') throw new HostFailure('CONFLICT', 'The case is closed', { rule: 'CASE_ILLEGAL_TRANSITION' });
    const { followUp } = input;
    insertRecord(
      db,
      'rectification_follow_ups',
      { case_id: row.id, followed_on: followUp.followedOn, kind: followUp.kind, note: followUp.note, progress_percent: followUp.progressPercent, next_follow_up_on: followUp.nextFollowUpOn },
      actorOf(user, db),
      now,
    );
    // The first follow-up by its officer starts the work: an open case is in progress from then on.
    if (row.status === 'open' && applyCaseAction(stateOf(row), { action: 'start' }, { userId: user.id, role: user.role, evidenceCount: 0 }).ok) {
      updateRecord(db, 'rectification_cases', row.id, { status: 'in_progress' }, actorOf(user, db), now, { action: 'case_start' });
    }
  })();
  return caseDetail(db, input.caseId, user, now);
};

export const casesExposure: Handler<'cases.exposure'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  const row = requireCase(db, input.id);
  const today = shanghaiDate(ctx.now());
  const plan = JSON.parse(row.exposure_plan) as ExposurePlanStep[];
  const loans = enterpriseLoanSnapshots(db, row.enterprise_id);
  const actual = actualExposure(loans);
  return { caseId: row.id, measure: row.measure, plan, actual, comparison: compareToPlan(plan, actual, today), loans: loans.length, today };
};

/** The filters that name a case's own facts: under any of them the calendar shows no monitoring (a borrower's, not a case's). */
const CASE_ONLY_FILTERS = ['category', 'measure', 'status', 'officerId'] as const;

/** The days monitoring entries are read for: the range, cut by the overdue box to the days before today or from today on; null when none. */
function monitoringDays(input: CalendarInput, today: string): { from: string; to: string } | null {
  if (CASE_ONLY_FILTERS.some((field) => input.filter[field] !== undefined)) return null;
  const { overdue } = input.filter;
  const from = overdue === false && today > input.from ? today : input.from;
  const to = overdue === true && addDays(today, -1) < input.to ? addDays(today, -1) : input.to;
  return from <= to ? { from, to } : null;
}

const entryOrder = (a: CalendarEntry, b: CalendarEntry) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : calendarEntryKinds.indexOf(a.kind) - calendarEntryKinds.indexOf(b.kind) || (a.caseNumber ?? a.enterpriseName).localeCompare(b.caseNumber ?? b.enterpriseName);

/**
 * 整改日历: each kind read on its own index for the range (db/rectification.ts), at most
 * CALENDAR_LIMIT + 1 each, merged by day; the earliest CALENDAR_LIMIT are the answer.
 */
export const casesCalendar: Handler<'cases.calendar'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  const today = shanghaiDate(ctx.now());
  const wanted = new Set<CalendarEntryKind>(input.kinds ?? calendarEntryKinds);
  const range = { from: input.from, to: input.to, limit: CALENDAR_LIMIT + 1 };
  const entries: CalendarEntry[] = [];
  const caseEntries = (kind: CalendarEntryKind, rows: CaseCalendarRow[], overdue: (row: CaseCalendarRow) => boolean) => {
    for (const row of rows) {
      entries.push({ kind, date: row.date, recordId: row.record_id, caseId: row.case_id, caseNumber: row.case_number, enterpriseId: row.enterprise_id, enterpriseName: row.enterprise_name, overdue: overdue(row) });
    }
  };
  if (wanted.has('deadline')) caseEntries('deadline', deadlinesWithin(db, input.filter, range, today), (row) => isCaseOverdue(row, today));
  // The query keeps open cases only, and each case's latest follow-up: a day passed is one missed.
  if (wanted.has('follow_up')) caseEntries('follow_up', followUpsDueWithin(db, input.filter, range, today), (row) => row.date < today);
  if (wanted.has('plan_target')) caseEntries('plan_target', planTargetsWithin(db, input.filter, range, today), () => false);
  const days = monitoringDays(input, today);
  const monitoring = (kind: CalendarEntryKind, rows: { record_id: string; date: string; enterprise_id: string; enterprise_name: string }[]) => {
    for (const row of rows) entries.push({ kind, date: row.date, recordId: row.record_id, caseId: null, caseNumber: null, enterpriseId: row.enterprise_id, enterpriseName: row.enterprise_name, overdue: row.date < today });
  };
  const borrowers = { divisionCode: input.filter.divisionCode, enterpriseId: input.filter.enterpriseId };
  if (days !== null && wanted.has('monitoring_due')) {
    refreshMonitoringSchedule(db);
    const { rows } = listSchedule(db, compact({ ...borrowers, dueFrom: days.from, dueTo: days.to }), 'asc', 0, range.limit, today);
    monitoring('monitoring_due', rows.map((row) => ({ record_id: row.enterprise_id, date: row.next_due_on, enterprise_id: row.enterprise_id, enterprise_name: row.enterprise_name })));
  }
  if (days !== null && wanted.has('monitoring_visit')) monitoring('monitoring_visit', visitsDueWithin(db, compact(borrowers), { ...days, limit: range.limit }));
  entries.sort(entryOrder);
  return { entries: entries.slice(0, CALENDAR_LIMIT), truncated: entries.length > CALENDAR_LIMIT, today };
};

/** Drops unset keys (the db filters test presence). */
const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
