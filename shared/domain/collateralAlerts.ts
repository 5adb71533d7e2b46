import type { CollateralStatus, CollateralType } from './collateral.ts';
import { addDays, daysBetween } from './collateralValuation.ts';
import { isAdverseRating, type EnvironmentalRatingLevel } from './environmentalRating.ts';

/**
 * The alerts of the collateral register (DOMAIN §2), computed from dates and reference data only,
 * so the register, the item page and the enterprise page show the same ones and a bench can
 * recompute them for the whole register. Dates are local calendar days; a right or registration
 * "valid to" a day is valid through that day.
 * Eligibility is doubtful, too, while the owner has an open environmental rectification case
 * (DOMAIN §4; db/rectification.ts openEnvironmentalCases): the case numbers are named.
 */

export const collateralAlertKinds = [
  'expires_before_maturity',
  'registration_expiring',
  'revaluation_overdue',
  'coverage_over_limit',
  'surrender_deadline_in_term',
  'eligibility_lost',
  'open_environmental_case',
] as const;
export type CollateralAlertKind = (typeof collateralAlertKinds)[number];

export type CollateralAlert =
  /** The right's validity or the registration ends before a linked loan matures. */
  | { kind: 'expires_before_maturity'; what: 'right' | 'registration'; expiresOn: string; loanId: string; maturesOn: string }
  /** The registration lapses within the warning horizon (daysLeft < 0: it has lapsed). */
  | { kind: 'registration_expiring'; expiresOn: string; daysLeft: number }
  | { kind: 'revaluation_overdue'; dueOn: string; daysOverdue: number }
  /** Secured balance ÷ pledged value above the limit. */
  | { kind: 'coverage_over_limit'; securedBalanceFen: number; pledgedFen: number; limitBp: number }
  /** A CEA's surrender deadline (31 Dec of the year after its compliance year) falls inside a linked loan's term. */
  | { kind: 'surrender_deadline_in_term'; deadline: string; loanId: string; maturesOn: string }
  /** Red or black environmental rating (Hunan and Ningxia pledge rules exclude such enterprises). */
  | { kind: 'eligibility_lost'; rating: EnvironmentalRatingLevel }
  /** The owner has environmental (环境保护) rectification cases not yet closed: eligibility is doubtful until they are. */
  | { kind: 'open_environmental_case'; caseNumbers: string[] };

export interface LinkedLoanFacts {
  loanId: string;
  disbursedOn: string;
  maturesOn: string;
  /** Settled and written-off loans no longer need the collateral. */
  outstanding: boolean;
  balanceFen: number;
  /** The part of the loan this item secures (担保金额); null: the whole loan. */
  securedAmountFen: number | null;
}

export interface CollateralAlertFacts {
  type: CollateralType;
  status: CollateralStatus;
  /** The right's (contract's, franchise's) last valid day. */
  validTo: string;
  /** The registration's last day, where registered. */
  registrationExpiresOn: string | null;
  /** From the latest appraisal. */
  revaluationDueOn: string | null;
  pledgedFen: number;
  /** For a carbon allowance (CEA): its compliance year. */
  complianceYear: number | null;
  loans: readonly LinkedLoanFacts[];
  enterpriseRating: EnvironmentalRatingLevel | null;
  /** The owner's open environmental rectification cases, by number (none: empty). */
  openEnvironmentalCases: readonly string[];
}

export interface AlertSettings {
  today: string;
  registrationWarningDays: number;
  coverageLimitBp: number;
}

/** The items alerts are about: those approved and not yet released or disposed. */
export function isWatched(status: CollateralStatus): boolean {
  return status === 'approved' || status === 'registered' || status === 'active';
}

/** 31 December of the year after the compliance year (DOMAIN §2; carbon-market.json's deadlines). */
export function surrenderDeadline(complianceYear: number): string {
  return `${complianceYear + 1}-12-31`;
}

/** The part of a loan's balance this item carries. */
export function securedBalance(loan: LinkedLoanFacts): number {
  if (!loan.outstanding) return 0;
  return loan.securedAmountFen === null ? loan.balanceFen : Math.min(loan.balanceFen, loan.securedAmountFen);
}

export function collateralAlerts(facts: CollateralAlertFacts, settings: AlertSettings): CollateralAlert[] {
  if (!isWatched(facts.status)) return [];
  const alerts: CollateralAlert[] = [];
  const loans = facts.loans.filter((loan) => loan.outstanding);

  for (const loan of loans) {
    // Valid through its last day: expiring on the maturity day still covers the loan.
    if (facts.validTo < loan.maturesOn) alerts.push({ kind: 'expires_before_maturity', what: 'right', expiresOn: facts.validTo, loanId: loan.loanId, maturesOn: loan.maturesOn });
    if (facts.registrationExpiresOn !== null && facts.registrationExpiresOn < loan.maturesOn) {
      alerts.push({ kind: 'expires_before_maturity', what: 'registration', expiresOn: facts.registrationExpiresOn, loanId: loan.loanId, maturesOn: loan.maturesOn });
    }
  }

  if (facts.registrationExpiresOn !== null && facts.registrationExpiresOn <= addDays(settings.today, settings.registrationWarningDays)) {
    alerts.push({ kind: 'registration_expiring', expiresOn: facts.registrationExpiresOn, daysLeft: daysBetween(settings.today, facts.registrationExpiresOn) });
  }

  // The due day itself is still in time.
  if (facts.revaluationDueOn !== null && facts.revaluationDueOn < settings.today) {
    alerts.push({ kind: 'revaluation_overdue', dueOn: facts.revaluationDueOn, daysOverdue: daysBetween(facts.revaluationDueOn, settings.today) });
  }

  const secured = loans.reduce((sum, loan) => sum + securedBalance(loan), 0);
  // Exactly: secured ÷ pledged > limit ⇔ secured × 10000 > limit × pledged (at the limit is no alert).
  if (secured > 0 && BigInt(secured) * 10_000n > BigInt(settings.coverageLimitBp) * BigInt(facts.pledgedFen)) {
    alerts.push({ kind: 'coverage_over_limit', securedBalanceFen: secured, pledgedFen: facts.pledgedFen, limitBp: settings.coverageLimitBp });
  }

  if (facts.type === 'carbon_allowance' && facts.complianceYear !== null) {
    const deadline = surrenderDeadline(facts.complianceYear);
    for (const loan of loans) {
      if (loan.disbursedOn <= deadline && deadline <= loan.maturesOn) alerts.push({ kind: 'surrender_deadline_in_term', deadline, loanId: loan.loanId, maturesOn: loan.maturesOn });
    }
  }

  if (facts.enterpriseRating !== null && isAdverseRating(facts.enterpriseRating)) alerts.push({ kind: 'eligibility_lost', rating: facts.enterpriseRating });
  if (facts.openEnvironmentalCases.length > 0) alerts.push({ kind: 'open_environmental_case', caseNumbers: [...facts.openEnvironmentalCases] });
  return alerts;
}
