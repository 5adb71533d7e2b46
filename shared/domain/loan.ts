import { z } from 'zod';
import { localDateSchema } from './calendar.ts';
import { guaranteeModes } from './guarantee.ts';
import type { LifecycleValidator } from './lifecycle.ts';
import { nonNegativeFenSchema } from './money.ts';

/**
 * A loan (借据) as GreenLedger holds it: a snapshot of the core system's record (the core system
 * stays the ledger of record), so the collateral register, rectification and statistics have loans
 * to point at. Money in 分, the rate in basis points (4.35% = 435), dates as local days.
 */

// ---------------------------------------------------------------------------------------------
// Loan number (借据号)

export type LoanNumberCheck =
  | { ok: true }
  | { ok: false; reason: 'length'; length: number }
  | { ok: false; reason: 'charset'; position: number; character: string }
  | { ok: false; reason: 'digit' }
  | { ok: false; reason: 'scientific' };

export const LOAN_NUMBER_MIN = 4;
export const LOAN_NUMBER_MAX = 40;

/**
 * The core system's 借据号 as typed or exported: full-width digits from an IME and lower-case
 * letters fold to what the core system prints; surrounding spaces go. Leading zeros are part of
 * the number (it is text, never a quantity).
 */
export function normalizeLoanNumber(text: string): string {
  return text.normalize('NFKC').trim().toUpperCase();
}

/**
 * Digits, Latin letters, '-' and '_', 4 to 40 characters, at least one digit: what core systems
 * issue (36022201202400012345, JK2024-000123). A number Excel has turned into scientific notation
 * (3.6022E+19, from a CSV opened and saved again) has lost its digits and is named as such.
 */
export function checkLoanNumber(normalized: string): LoanNumberCheck {
  if (/^\d(?:\.\d+)?E\+?\d+$/.test(normalized)) return { ok: false, reason: 'scientific' };
  const characters = [...normalized];
  if (characters.length < LOAN_NUMBER_MIN || characters.length > LOAN_NUMBER_MAX) return { ok: false, reason: 'length', length: characters.length };
  const bad = characters.findIndex((ch) => !/[0-9A-Z_-]/.test(ch));
  if (bad >= 0) return { ok: false, reason: 'charset', position: bad + 1, character: characters[bad]! };
  if (!/\d/.test(normalized)) return { ok: false, reason: 'digit' };
  return { ok: true };
}

/** zh-CN text of a failed check, said of the field (「借据号：」 precedes it); the UI words it from the issue's params in either language. */
export function loanNumberMessage(failure: Exclude<LoanNumberCheck, { ok: true }>): string {
  switch (failure.reason) {
    case 'scientific':
      return '被表格转成了科学计数法，数字已丢失；请把该列设为文本后重新导出';
    case 'length':
      return `应为 ${LOAN_NUMBER_MIN}–${LOAN_NUMBER_MAX} 位，现为 ${failure.length} 位`;
    case 'charset':
      return `第 ${failure.position} 位「${failure.character}」无效，只能是数字、字母、- 或 _`;
    case 'digit':
      return '应含有数字';
  }
}

export const loanNumberSchema = z
  .string()
  .transform(normalizeLoanNumber)
  .superRefine((number, ctx) => {
    const result = checkLoanNumber(number);
    if (result.ok) return;
    const { ok: _ok, ...params } = result;
    ctx.addIssue({ code: 'custom', input: number, message: loanNumberMessage(result), params });
  });

// ---------------------------------------------------------------------------------------------
// Five-level classification (贷款五级分类) and status

/** Best to worst, as the 贷款风险分类指引 orders them. */
export const loanClassifications = ['normal', 'special_mention', 'substandard', 'doubtful', 'loss'] as const;
export type LoanClassification = (typeof loanClassifications)[number];

/** The regulator's words, also the file format's (core-system exports print them). */
export const loanClassificationWords: Record<LoanClassification, string> = {
  normal: '正常',
  special_mention: '关注',
  substandard: '次级',
  doubtful: '可疑',
  loss: '损失',
};

/** 不良贷款: substandard, doubtful and loss. */
export function isNonPerforming(classification: LoanClassification): boolean {
  return classification === 'substandard' || classification === 'doubtful' || classification === 'loss';
}

export const loanStatuses = ['outstanding', 'settled', 'written_off'] as const;
export type LoanStatus = (typeof loanStatuses)[number];

export const loanStatusWords: Record<LoanStatus, string> = {
  outstanding: '未结清',
  settled: '已结清',
  written_off: '已核销',
};

/**
 * Settling and writing off end a loan's life: a settled loan does not come back (a new drawing is
 * a new 借据 in the core system), and a written-off loan stays written off (账销案存: recoveries are
 * the core system's business, not a change of this record).
 */
const statusTransitions: Record<LoanStatus, readonly LoanStatus[]> = {
  outstanding: ['settled', 'written_off'],
  settled: [],
  written_off: [],
};

export type StatusChange = { ok: true } | { ok: false; reason: 'terminal'; from: LoanStatus; to: LoanStatus };

/** Whether a loan may go from one status to another (staying put is always allowed). */
export function checkStatusChange(from: LoanStatus, to: LoanStatus): StatusChange {
  if (from === to || statusTransitions[from].includes(to)) return { ok: true };
  return { ok: false, reason: 'terminal', from, to };
}

export function statusChangeMessage(change: Exclude<StatusChange, { ok: true }>): string {
  return `借据${loanStatusWords[change.from]}，不能改为${loanStatusWords[change.to]}`;
}

const isStatus = (value: unknown): value is LoanStatus => loanStatuses.includes(value as LoanStatus);

/**
 * The status rule over synced loan rows (shared/sync/tables.ts), which head office runs on every
 * change it applies: a laptop whose host checks were bypassed cannot bring a settled or written-off
 * loan back. The same checkStatusChange the laptop's host runs.
 */
export const loanLifecycle: LifecycleValidator = ({ before, after }) => {
  if (before === undefined || !isStatus(before.status) || !isStatus(after.status)) return [];
  const change = checkStatusChange(before.status, after.status);
  return change.ok ? [] : [{ field: 'status', rule: 'LOAN_STATUS_TERMINAL', message: `a ${before.status} loan keeps its status (${after.status} refused)` }];
};

// ---------------------------------------------------------------------------------------------
// Rate

/** An annual rate in basis points: 4.35% is 435. Above 24% no bank loan is lawful. */
export const MAX_RATE_BP = 2400;
export const rateBpSchema = z.int().min(0).max(MAX_RATE_BP);

/** 435 → "4.35%". */
export function formatRate(bp: number): string {
  return `${(bp / 100).toFixed(2)}%`;
}

// ---------------------------------------------------------------------------------------------
// The loan

/** The facts the rules below look at, in the names the form and the stored row share. */
export interface LoanFacts {
  amount: number;
  balance: number;
  balanceAsOf: string;
  disbursedOn: string;
  maturesOn: string;
  classification: LoanClassification;
  status: LoanStatus;
}

export interface LoanRuleIssue {
  path: keyof LoanFacts;
  reason: 'balanceOverAmount' | 'maturityBeforeDisbursement' | 'balanceBeforeDisbursement' | 'settledWithBalance' | 'writeOffClassification';
  message: string;
}

/** The rules between fields of one loan; each says which field it is about and why, in Chinese. */
export function loanRuleIssues(loan: LoanFacts): LoanRuleIssue[] {
  const issues: LoanRuleIssue[] = [];
  if (loan.balance > loan.amount) issues.push({ path: 'balance', reason: 'balanceOverAmount', message: '贷款余额不能大于贷款金额' });
  if (loan.maturesOn <= loan.disbursedOn) issues.push({ path: 'maturesOn', reason: 'maturityBeforeDisbursement', message: '到期日应晚于发放日' });
  if (loan.balanceAsOf < loan.disbursedOn) issues.push({ path: 'balanceAsOf', reason: 'balanceBeforeDisbursement', message: '余额日期不能早于发放日' });
  if (loan.status === 'settled' && loan.balance !== 0) issues.push({ path: 'balance', reason: 'settledWithBalance', message: '已结清的借据余额应为 0' });
  if (loan.status === 'written_off' && loan.classification !== 'doubtful' && loan.classification !== 'loss') {
    issues.push({ path: 'classification', reason: 'writeOffClassification', message: '只有可疑类或损失类贷款可以核销' });
  }
  return issues;
}

const purposeSchema = z.string().trim().min(2).max(200);

/** A loan as the hand-entry form and the host API take it. */
export const loanSchema = z
  .strictObject({
    loanNumber: loanNumberSchema,
    enterpriseId: z.string().min(1).max(64),
    /** The credit application it was disbursed under, when GreenLedger holds it. */
    applicationId: z.string().min(1).max(64).nullable().default(null),
    /** 贷款金额 (the amount disbursed), in fen. */
    amount: nonNegativeFenSchema.min(1),
    /** 贷款余额 as of balanceAsOf, in fen. */
    balance: nonNegativeFenSchema,
    balanceAsOf: localDateSchema,
    disbursedOn: localDateSchema,
    maturesOn: localDateSchema,
    rateBp: rateBpSchema,
    classification: z.enum(loanClassifications),
    guaranteeMode: z.enum(guaranteeModes),
    status: z.enum(loanStatuses),
    purpose: purposeSchema.nullable().default(null),
  })
  .superRefine((loan, ctx) => {
    for (const issue of loanRuleIssues(loan)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message, params: { reason: issue.reason } });
  });

/** Balance and classification of one loan as of a day (an import or a month-end entry). */
export const loanSnapshotSchema = z.strictObject({
  asOf: localDateSchema,
  balance: nonNegativeFenSchema,
  classification: z.enum(loanClassifications),
});

export type Loan = z.infer<typeof loanSchema>;
export type LoanInput = z.input<typeof loanSchema>;
export type LoanSnapshot = z.infer<typeof loanSnapshotSchema>;
