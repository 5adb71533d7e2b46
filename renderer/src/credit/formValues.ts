import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { creditTermsSchema, type CreditProduct, type CreditTerms, type PurposeKind } from '../../../shared/domain/creditApplication.ts';
import type { GuaranteeMode } from '../../../shared/domain/guarantee.ts';
import { formatYuan, yuanToFen } from '../../../shared/domain/money.ts';
import { basisPointsToPercent, percentToBasisPoints } from './rate.ts';

/**
 * The application form's values: money typed in 元 and the rate in %, as text, so that what the
 * officer typed is what they see (「1,200,000」 stays so) and is turned into 分 and basis points
 * only once, here. The project's three fields are flat, shown for 项目贷款 (required) and
 * 固定资产贷款 (optional).
 */
export interface CreditFormValues {
  enterpriseId?: string;
  purposeKind: PurposeKind;
  product?: CreditProduct;
  amountText?: string;
  termMonths?: number | null;
  rateText?: string;
  purpose?: string;
  guaranteeMode?: GuaranteeMode;
  greenProject: boolean;
  projectName?: string;
  projectTotalInvestmentText?: string;
  projectExpectedStart?: Dayjs | null;
  notes?: string;
}

export type CreditFormField = keyof CreditFormValues;

export interface FormIssue {
  field: CreditFormField;
  message: string;
}

export const emptyCreditForm = (enterpriseId?: string): CreditFormValues => ({
  purposeKind: 'general',
  greenProject: false,
  ...(enterpriseId !== undefined && { enterpriseId }),
});

/** Products that carry a project: required for 项目贷款, optional for 固定资产贷款. */
export function projectFieldsFor(product: CreditProduct | undefined): 'required' | 'optional' | 'none' {
  if (product === 'project') return 'required';
  if (product === 'fixed_asset') return 'optional';
  return 'none';
}

const blank = (text: string | undefined | null) => text === undefined || text === null || text.trim() === '';

export function toCreditFormValues(terms: CreditTerms, notes: string | null): CreditFormValues {
  return {
    enterpriseId: terms.enterpriseId,
    purposeKind: terms.purposeKind,
    product: terms.product,
    amountText: formatYuan(terms.amountFen),
    termMonths: terms.termMonths,
    rateText: basisPointsToPercent(terms.rateBp),
    purpose: terms.purpose,
    guaranteeMode: terms.guaranteeMode,
    greenProject: terms.greenProject,
    projectName: terms.project?.name ?? '',
    projectTotalInvestmentText: terms.project === null ? '' : formatYuan(terms.project.totalInvestmentFen),
    projectExpectedStart: terms.project === null ? null : dayjs(terms.project.expectedStart, 'YYYY-MM-DD'),
    notes: notes ?? '',
  };
}

/** The form field of a host issue's contract path (['terms', 'amountFen'] → amountText; notes stay notes). */
export function fieldOfContractPath(path: readonly (string | number)[]): CreditFormField {
  return path[0] === 'terms' ? fieldOfPath(path.slice(1)) : (String(path[0] ?? '') as CreditFormField);
}

/** Where an issue of creditTermsSchema belongs on the form. */
function fieldOfPath(path: readonly PropertyKey[]): CreditFormField {
  const [first, second] = path;
  if (first === 'project') {
    if (second === 'totalInvestmentFen') return 'projectTotalInvestmentText';
    if (second === 'expectedStart') return 'projectExpectedStart';
    return 'projectName';
  }
  if (first === 'amountFen') return 'amountText';
  if (first === 'rateBp') return 'rateText';
  return first as CreditFormField;
}

/** The words for a schema issue on a field, in the UI language (zod's own are too technical here). */
function issueMessage(field: CreditFormField, code: string, reason: unknown, t: TFunction): string {
  if (reason === 'projectRequired') return t('credit.validation.projectRequired');
  switch (field) {
    case 'amountText':
      return code === 'too_big' ? t('credit.validation.amount.max') : t('credit.validation.amount.positive');
    case 'rateText':
      return t('credit.validation.rate.max');
    case 'termMonths':
      return t('credit.validation.termMonths');
    case 'purpose':
      return t('credit.validation.purpose');
    case 'projectName':
      return t('credit.validation.projectName');
    case 'projectTotalInvestmentText':
      return t('credit.validation.projectTotalInvestment');
    case 'projectExpectedStart':
      return t('credit.validation.date');
    case 'enterpriseId':
      return t('credit.validation.enterprise');
    default:
      return t('validation.required');
  }
}

/**
 * The form's values as the contract's terms, checked with the same creditTermsSchema the host
 * applies. Typed money and rates are parsed first (their faults named: 「最多两位小数（单位是元，
 * 不是万元）」); an empty field says 「必填」.
 */
export function creditTermsFromForm(values: CreditFormValues, t: TFunction): { ok: true; terms: CreditTerms } | { ok: false; issues: FormIssue[] } {
  const issues: FormIssue[] = [];
  const amount = blank(values.amountText) ? null : yuanToFen(values.amountText!);
  if (amount === null) issues.push({ field: 'amountText', message: t('credit.validation.amount.blank') });
  else if (!amount.ok) issues.push({ field: 'amountText', message: t(`credit.validation.amount.${amount.reason}`) });
  const rate = percentToBasisPoints(values.rateText);
  if (!rate.ok) issues.push({ field: 'rateText', message: t(`credit.validation.rate.${rate.reason}`) });

  const projectMode = projectFieldsFor(values.product);
  const projectTouched = !blank(values.projectName) || !blank(values.projectTotalInvestmentText) || values.projectExpectedStart != null;
  let project: CreditTerms['project'] | Record<string, unknown> = null;
  if (projectMode === 'required' || (projectMode === 'optional' && projectTouched)) {
    const investment = blank(values.projectTotalInvestmentText) ? null : yuanToFen(values.projectTotalInvestmentText!);
    if (investment !== null && !investment.ok) issues.push({ field: 'projectTotalInvestmentText', message: t(`credit.validation.amount.${investment.reason}`) });
    project = {
      name: values.projectName ?? '',
      totalInvestmentFen: investment?.ok === true ? investment.fen : undefined,
      expectedStart: values.projectExpectedStart?.format('YYYY-MM-DD'),
    };
  }

  const candidate = {
    enterpriseId: values.enterpriseId,
    product: values.product,
    amountFen: amount?.ok === true ? amount.fen : undefined,
    termMonths: values.termMonths ?? undefined,
    rateBp: rate.ok ? rate.basisPoints : undefined,
    purpose: values.purpose ?? '',
    purposeKind: values.purposeKind,
    guaranteeMode: values.guaranteeMode,
    greenProject: values.greenProject,
    project,
  };
  const parsed = creditTermsSchema.safeParse(candidate, { reportInput: true });
  if (parsed.success && issues.length === 0) return { ok: true, terms: parsed.data };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath(issue.path);
      // A field whose typed text was already refused keeps that reason, not a second one.
      if (issues.some((known) => known.field === field)) continue;
      const input = (issue as { input?: unknown }).input;
      const empty = input === undefined || input === null || (typeof input === 'string' && input.trim() === '');
      const message = empty ? t('validation.required') : issueMessage(field, issue.code, (issue as { params?: { reason?: unknown } }).params?.reason, t);
      issues.push({ field, message });
    }
  }
  return { ok: false, issues };
}
