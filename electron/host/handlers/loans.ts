import type { LoanDetail, LoanSnapshotRow } from '../../../shared/api/loans.ts';
import type { User } from '../../../shared/api/index.ts';
import { checkStatusChange, loanRuleIssues, statusChangeMessage, type Loan, type LoanSnapshot } from '../../../shared/domain/loan.ts';
import { can } from '../../../shared/domain/roles.ts';
import { getEnterprise } from '../../../db/enterprises.ts';
import { personName } from '../../../db/identity.ts';
import { findLoanByNumber, getLoan, listLoans, loanColumns, loanOf, loanSnapshots, loanSummaryOf, snapshotOn, type LoanRow, type LoanSnapshotDbRow } from '../../../db/loans.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, updateRecord, type Actor } from '../../../db/records.ts';
import { HostFailure, signedInUser, type Handler, type HostContext } from '../context.ts';
import { exportLoans } from '../loans/exporter.ts';
import { previewLoanImport, runLoanImport } from '../loans/importer.ts';
import { actorOf } from './identity.ts';

/** The loan ledger (借据): hand entry, month-end snapshots and the register; the import builds on saveLoan. */

const issue = (path: string[], code: string, message: string) => ({ issues: [{ path, code, message }] });

function snapshotRowOf(db: Db, row: LoanSnapshotDbRow): LoanSnapshotRow {
  return {
    id: row.id,
    version: row.version,
    asOf: row.as_of,
    balance: row.balance_fen,
    classification: row.classification,
    createdAt: row.created_at,
    createdByName: personName(db, row.created_by),
  };
}

export function loanDetail(db: Db, id: string): LoanDetail {
  const row = getLoan(db, id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Loan ${id} not found`);
  return {
    ...loanSummaryOf(row),
    purpose: row.purpose,
    snapshots: loanSnapshots(db, id).map((snapshot) => snapshotRowOf(db, snapshot)),
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdByName: personName(db, row.created_by),
    updatedBy: row.updated_by,
    updatedByName: personName(db, row.updated_by),
  };
}

/**
 * Rules the schema cannot see: the borrower is on file, the application (if named) is this
 * borrower's and approved, the loan number is the branch's only one, a settled or written-off loan
 * keeps its status, writing off is a credit manager's decision, and a balance is never dated
 * before the newest one on record (an older day is a snapshot of its own, loans.recordSnapshot).
 */
function checkLoanRules(db: Db, user: User, loan: Loan, current: LoanRow | null): void {
  if (getEnterprise(db, loan.enterpriseId) === undefined) {
    throw new HostFailure('VALIDATION', '借款企业不在本支行的企业档案中', issue(['loan', 'enterpriseId'], 'ENTERPRISE_UNKNOWN', 'ENTERPRISE_UNKNOWN'));
  }
  if (loan.applicationId !== null && loan.applicationId !== current?.application_id) {
    const application = db.prepare('SELECT enterprise_id, status FROM credit_applications WHERE id = ? AND deleted_at IS NULL').get(loan.applicationId) as
      | { enterprise_id: string; status: string }
      | undefined;
    if (application === undefined) throw new HostFailure('VALIDATION', '授信申请不存在', issue(['loan', 'applicationId'], 'APPLICATION_UNKNOWN', 'APPLICATION_UNKNOWN'));
    if (application.enterprise_id !== loan.enterpriseId) {
      throw new HostFailure('VALIDATION', '授信申请属于另一家企业', issue(['loan', 'applicationId'], 'APPLICATION_OTHER_ENTERPRISE', 'APPLICATION_OTHER_ENTERPRISE'));
    }
    if (application.status !== 'approved') {
      throw new HostFailure('VALIDATION', '授信申请尚未审批通过，不能关联借据', issue(['loan', 'applicationId'], 'APPLICATION_NOT_APPROVED', 'APPLICATION_NOT_APPROVED'));
    }
  }
  const sameNumber = findLoanByNumber(db, loan.loanNumber);
  if (sameNumber !== undefined && sameNumber.id !== current?.id) {
    throw new HostFailure('VALIDATION', `借据号 ${loan.loanNumber} 已登记`, issue(['loan', 'loanNumber'], 'LOAN_NUMBER_TAKEN', 'LOAN_NUMBER_TAKEN'));
  }
  if (current === null) {
    if (loan.status === 'written_off' && !can(user.role, 'loan.writeOff')) throw new HostFailure('FORBIDDEN', '核销须由信贷经理操作');
    return;
  }
  const change = checkStatusChange(current.status, loan.status);
  if (!change.ok) throw new HostFailure('VALIDATION', statusChangeMessage(change), issue(['loan', 'status'], 'STATUS_TERMINAL', 'STATUS_TERMINAL'));
  if (loan.status === 'written_off' && current.status !== 'written_off' && !can(user.role, 'loan.writeOff')) {
    throw new HostFailure('FORBIDDEN', '核销须由信贷经理操作');
  }
  if (loan.balanceAsOf < current.balance_as_of) {
    throw new HostFailure(
      'VALIDATION',
      `余额日期不能早于已记录的 ${current.balance_as_of}；较早日期的余额请作为月末余额录入`,
      issue(['loan', 'balanceAsOf'], 'BALANCE_DATE_OLDER', 'BALANCE_DATE_OLDER'),
    );
  }
}

/**
 * Records the balance and classification of a loan as of a day: that day's snapshot is written
 * (or replaced), and the loan carries it when it is the newest. An earlier day's snapshot is kept
 * as it was; the loan's rules hold for the balance it carries.
 */
function writeSnapshot(ctx: HostContext, actor: Actor, loanId: string, snapshot: LoanSnapshot): void {
  const { db } = ctx.store;
  const existing = snapshotOn(db, loanId, snapshot.asOf);
  const values = { balance_fen: snapshot.balance, classification: snapshot.classification };
  if (existing === undefined) insertRecord(db, 'loan_snapshots', { loan_id: loanId, as_of: snapshot.asOf, ...values }, actor, ctx.now());
  else updateRecord(db, 'loan_snapshots', existing.id, values, actor, ctx.now());
}

/** Shared by the form and by import: creates or updates one loan and its snapshot, audited, in one transaction. */
export function saveLoan(ctx: HostContext, user: User, actor: Actor, loan: Loan, target: { id: string; version?: number } | null): string {
  const { db } = ctx.store;
  return db.transaction(() => {
    const current = target === null ? null : (getLoan(db, target.id) ?? null);
    if (target !== null && current === null) throw new HostFailure('NOT_FOUND', `Loan ${target.id} not found`);
    checkLoanRules(db, user, loan, current);
    const columns = loanColumns(loan);
    const id =
      current === null
        ? (insertRecord(db, 'loans', columns, actor, ctx.now()).id as string)
        : (updateRecord(db, 'loans', current.id, columns, actor, ctx.now(), target?.version === undefined ? {} : { expectedVersion: target.version }).id as string);
    writeSnapshot(ctx, actor, id, { asOf: loan.balanceAsOf, balance: loan.balance, classification: loan.classification });
    return id;
  })();
}

/** A snapshot of any day; when it is the newest, the loan's balance and class follow it (and its rules hold). */
export function recordSnapshot(ctx: HostContext, actor: Actor, loanId: string, snapshot: LoanSnapshot): void {
  const { db } = ctx.store;
  db.transaction(() => {
    const current = getLoan(db, loanId);
    if (current === undefined) throw new HostFailure('NOT_FOUND', `Loan ${loanId} not found`);
    const loan = loanOf(current);
    const newest = snapshot.asOf >= current.balance_as_of;
    const facts = newest ? { ...loan, balance: snapshot.balance, classification: snapshot.classification, balanceAsOf: snapshot.asOf } : { ...loan, balance: snapshot.balance, balanceAsOf: snapshot.asOf };
    // An earlier day is history: only what can hold of any day is checked (balance ≤ amount, not before disbursement).
    const problems = loanRuleIssues(facts).filter((found) => newest || found.reason === 'balanceOverAmount' || found.reason === 'balanceBeforeDisbursement');
    if (problems.length > 0) {
      throw new HostFailure('VALIDATION', problems.map((p) => p.message).join('；'), {
        issues: problems.map((p) => ({ path: ['snapshot', p.path === 'balanceAsOf' ? 'asOf' : p.path], code: 'custom', message: p.message, params: { reason: p.reason } })),
      });
    }
    writeSnapshot(ctx, actor, loanId, snapshot);
    if (newest) {
      updateRecord(db, 'loans', loanId, { balance_fen: snapshot.balance, classification: snapshot.classification, balance_as_of: snapshot.asOf }, actor, ctx.now());
    }
  })();
}

export const loansList: Handler<'loans.list'> = (ctx, _call, input) => {
  const page = listLoans(ctx.store.db, input.filter, input.sort, input.offset, input.limit, input.exactTotal);
  return { rows: page.rows.map(loanSummaryOf), total: page.total, totalCapped: page.totalCapped };
};

export const loansGet: Handler<'loans.get'> = (ctx, _call, input) => loanDetail(ctx.store.db, input.id);

export const loansCreate: Handler<'loans.create'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const id = saveLoan(ctx, user, actorOf(user, ctx.store.db), input.loan, null);
  return loanDetail(ctx.store.db, id);
};

export const loansUpdate: Handler<'loans.update'> = (ctx, call, input) => {
  const user = signedInUser(call);
  saveLoan(ctx, user, actorOf(user, ctx.store.db), input.loan, { id: input.id, version: input.version });
  return loanDetail(ctx.store.db, input.id);
};

export const loansRecordSnapshot: Handler<'loans.recordSnapshot'> = (ctx, call, input) => {
  recordSnapshot(ctx, actorOf(signedInUser(call), ctx.store.db), input.loanId, input.snapshot);
  return loanDetail(ctx.store.db, input.loanId);
};

export const loansSnapshots: Handler<'loans.snapshots'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  if (getLoan(db, input.loanId) === undefined) throw new HostFailure('NOT_FOUND', `Loan ${input.loanId} not found`);
  return loanSnapshots(db, input.loanId).map((row) => snapshotRowOf(db, row));
};

export const loansImportPreview: Handler<'loans.importPreview'> = (ctx, _call, input) => previewLoanImport(ctx, input.fileName, input.contentBase64);

export const loansImportRun: Handler<'loans.importRun'> = (ctx, call, input) => runLoanImport(ctx, signedInUser(call), input);

export const loansExport: Handler<'loans.export'> = (ctx, _call, input) => exportLoans(ctx.store.db, input.filter, input.sort, ctx.now());
