import { LOAN_NUMBER_MAX, LOAN_NUMBER_MIN, loanSchema, MAX_RATE_BP, type LoanClassification, type Loan, type LoanStatus } from '../../../shared/domain/loan.ts';
import type { GuaranteeMode } from '../../../shared/domain/guarantee.ts';
import { formatYuan, yuanToFen } from '../../../shared/domain/money.ts';

/**
 * The hand-entry form of a loan as typed (元, a percentage, days as YYYY-MM-DD) and the way into
 * the API's loan (分, basis points), checked with the same loanSchema the host applies. Each problem
 * is an i18n key with its values, so the form says it in the UI language.
 */
export interface LoanFormValues {
  enterpriseId?: string | null;
  loanNumber?: string | null;
  amount?: string | null;
  balance?: string | null;
  balanceAsOf?: string | null;
  disbursedOn?: string | null;
  maturesOn?: string | null;
  /** Typed as a percentage (4.35), sent as basis points (435). */
  rateBp?: string | null;
  classification?: LoanClassification | null;
  guaranteeMode?: GuaranteeMode | null;
  status?: LoanStatus | null;
  purpose?: string | null;
}

export type LoanFormField = keyof LoanFormValues;

/** An i18n key with its values, or (`text`) zod's own message, already in the UI language. */
export type FieldProblem = { field: LoanFormField; key: string; params?: Record<string, unknown> } | { field: LoanFormField; text: string };

export type PercentParse = { ok: true; bp: number } | { ok: false; reason: 'blank' | 'format' | 'precision' | 'range' };

/** "4.35" (or "4.35%", full-width digits) → 435 basis points, digit by digit (no binary fraction). */
export function percentToBp(text: string | null | undefined): PercentParse {
  const value = (text ?? '').normalize('NFKC').trim().replace(/%$/, '').trim();
  if (value === '') return { ok: false, reason: 'blank' };
  const match = /^(\d{1,3})(?:\.(\d+))?$/.exec(value);
  if (match === null) return { ok: false, reason: 'format' };
  const fraction = match[2] ?? '';
  if (fraction.length > 2) return { ok: false, reason: 'precision' };
  const bp = Number(match[1]) * 100 + Number(fraction.padEnd(2, '0'));
  return bp > MAX_RATE_BP ? { ok: false, reason: 'range' } : { ok: true, bp };
}

/** 435 → "4.35", back into the rate box when a loan is edited. */
export const bpToPercentText = (bp: number): string => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;

/** Fen back into an amount box: "1,234,567.89". */
export const fenToYuanText = (fen: number): string => formatYuan(fen);

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
const loanRuleReasons = new Set(['balanceOverAmount', 'maturityBeforeDisbursement', 'balanceBeforeDisbursement', 'settledWithBalance', 'writeOffClassification']);
const loanNumberReasons = new Set(['scientific', 'length', 'charset', 'digit']);

/** The loan the form describes, or what is wrong with it, field by field. */
export function loanFromForm(values: LoanFormValues, applicationId: string | null = null): { ok: true; loan: Loan } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const money = (field: 'amount' | 'balance'): number | undefined => {
    if (blank(values[field])) return undefined;
    const parsed = yuanToFen(values[field]!);
    if (parsed.ok) return parsed.fen;
    problems.push({ field, key: `loans.validation.yuan.${parsed.reason}` });
    return undefined;
  };
  const amount = money('amount');
  const balance = money('balance');
  const rate = percentToBp(values.rateBp);
  if (!rate.ok && rate.reason !== 'blank') problems.push({ field: 'rateBp', key: `loans.validation.rate.${rate.reason}` });
  const text = (value: string | null | undefined) => (blank(value) ? undefined : value!.trim());
  const input = {
    loanNumber: text(values.loanNumber),
    enterpriseId: text(values.enterpriseId),
    applicationId,
    amount,
    balance,
    balanceAsOf: text(values.balanceAsOf),
    disbursedOn: text(values.disbursedOn),
    maturesOn: text(values.maturesOn),
    rateBp: rate.ok ? rate.bp : undefined,
    classification: values.classification ?? undefined,
    guaranteeMode: values.guaranteeMode ?? undefined,
    status: values.status ?? undefined,
    purpose: text(values.purpose) ?? null,
  };
  const parsed = loanSchema.safeParse(input);
  const seen = new Set(problems.map((p) => p.field));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as LoanFormField;
      // One reason per field: a box that could not be read says so, not also "required".
      if (seen.has(field)) continue;
      seen.add(field);
      problems.push(problemOf(field, issue, values));
    }
  }
  return problems.length > 0 || !parsed.success ? { ok: false, problems } : { ok: true, loan: parsed.data };
}

function problemOf(field: LoanFormField, issue: { code: string; message: string }, values: LoanFormValues): FieldProblem {
  const params = (issue as { params?: Record<string, unknown> }).params;
  const reason = params?.reason;
  if (typeof reason === 'string' && loanRuleReasons.has(reason)) return { field, key: `loans.validation.${reason}` };
  if (blank(values[field])) return { field, key: 'validation.required' };
  if (field === 'loanNumber' && typeof reason === 'string' && loanNumberReasons.has(reason)) {
    return { field, key: `loans.validation.loanNumber.${reason}`, params: { ...params, min: LOAN_NUMBER_MIN, max: LOAN_NUMBER_MAX } };
  }
  if (field === 'balanceAsOf' || field === 'disbursedOn' || field === 'maturesOn') return { field, key: 'loans.validation.date' };
  if (field === 'amount' && issue.code === 'too_small') return { field, key: 'loans.validation.amountPositive' };
  if (field === 'purpose') return { field, key: 'loans.validation.purpose' };
  if (field === 'rateBp') return { field, key: 'loans.validation.rate.range' };
  // zod's own message, already in the UI language (forms.ts configures its locale).
  return { field, text: issue.message };
}
