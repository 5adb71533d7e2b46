import { focusIndustryGroupingsSchema, defaultFocusIndustryGroupings, type FocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { lookupCode, type CatalogueVersion } from '../../../shared/codes/greenCatalogues.ts';
import { divisionPlace } from '../../../shared/domain/division.ts';
import { benefitIndicators, quantityOfUnits, shareUnits, type BenefitIndicator } from '../../../shared/domain/environmentalBenefit.ts';
import { categoryKey, groupGreenLoans, percentText, type BookFigures, type GreenLoanAsOf, type GreenReportDimension } from '../../../shared/domain/greenStatistics.ts';
import { evidenceIds, greenStanding } from '../../../shared/domain/greenTag.ts';
import { loanClassificationWords, type LoanClassification } from '../../../shared/domain/loan.ts';
import type { GreenGroupView, GreenReport, StatLoanFilter } from '../../../shared/api/stats.ts';
import { benefitColumns, catalogueOf } from '../../../db/green.ts';
import type { Db } from '../../../db/open.ts';
import { referenceSet, referenceSetNames } from '../../../db/reference.ts';
import { bookBalanceAsOf, confirmedLoanTagCount, greenCandidates, MAX_CANDIDATE_DAYS, type GreenCandidateRow } from '../../../db/stats.ts';

/**
 * The green loans of the book as of a few days, read in pages that yield to other calls (a report
 * over 500,000 loans must not hold the host), and the figures and groups made of them. Which loans
 * count green is greenTag.ts's greenStanding, as green.summary counts them.
 */

const PAGE = 5_000;

export type Progress = (done: number, total: number) => void;

/** A green loan and its balance and class as of each asked day (0 and null where it had no snapshot yet). */
export interface GreenLoanDays {
  row: GreenCandidateRow;
  category: string;
  balances: number[];
  classes: (LoanClassification | null)[];
}

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function readGreenLoans(db: Db, days: readonly string[], progress?: Progress): Promise<GreenLoanDays[]> {
  const total = confirmedLoanTagCount(db);
  const loans: GreenLoanDays[] = [];
  const catalogues = new Map<CatalogueVersion, ReturnType<typeof catalogueOf>>();
  const standing = new Map<string, boolean>();
  const counts = (row: GreenCandidateRow): boolean => {
    const evidence = row.evidence_attachment_ids === '[]' ? 0 : evidenceIds(row.evidence_attachment_ids).length;
    const key = `${row.catalogue_version}:${row.catalogue_code}:${evidence > 0}`;
    let green = standing.get(key);
    if (green === undefined) {
      let catalogue = catalogues.get(row.catalogue_version);
      if (catalogue === undefined) catalogues.set(row.catalogue_version, (catalogue = catalogueOf(db, row.catalogue_version)));
      green = greenStanding({ catalogueVersion: row.catalogue_version, code: row.catalogue_code, evidenceCount: evidence, status: row.status, preparedBy: row.prepared_by, confirmedBy: row.confirmed_by }, catalogue).green;
      standing.set(key, green);
    }
    return green;
  };
  let done = 0;
  const reads = Math.ceil(days.length / MAX_CANDIDATE_DAYS);
  const byLoan = new Map<string, GreenLoanDays>();
  // Four days a read at most (the dashboard asks three, 三个不低于 four); more days read the candidates again.
  for (let first = 0; first < days.length; first += MAX_CANDIDATE_DAYS) {
    const slice = days.slice(first, first + MAX_CANDIDATE_DAYS);
    let after = 0;
    for (;;) {
      const page = greenCandidates(db, slice, after, PAGE);
      for (const row of page) {
        let loan = byLoan.get(row.loan_id);
        if (loan === undefined) {
          // A tag confirmed while a second read ran is left out: it has no balances of the first days.
          if (first > 0 || !counts(row)) continue;
          loan = { row, category: categoryKey(row.catalogue_version, row.catalogue_code!), balances: days.map(() => 0), classes: days.map(() => null) };
          byLoan.set(row.loan_id, loan);
          loans.push(loan);
        }
        for (let slot = 0; slot < slice.length; slot += 1) {
          loan.balances[first + slot] = (row[`b${slot}` as 'b0'] as number | null) ?? 0;
          loan.classes[first + slot] = row[`c${slot}` as 'c0'] as LoanClassification | null;
        }
      }
      done += page.length;
      progress?.(Math.min(done, total * reads), total * reads);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.tag_rowid;
      await yieldToHost();
    }
  }
  return loans;
}

/** The book as of the day in `slot`: every loan's balance from the kept jumps, the green ones from `loans`. */
export function figuresAt(db: Db, loans: readonly GreenLoanDays[], slot: number, day: string): BookFigures {
  let greenBalance = 0;
  let greenLoans = 0;
  const customers = new Set<string>();
  for (const loan of loans) {
    const balance = loan.balances[slot] ?? 0;
    if (balance <= 0) continue;
    greenBalance += balance;
    greenLoans += 1;
    customers.add(loan.row.enterprise_id);
  }
  return { totalBalance: bookBalanceAsOf(db, day), greenBalance, greenLoans, greenCustomers: customers.size };
}

export function focusGroupings(db: Db): FocusIndustryGroupings {
  return referenceSet(db, referenceSetNames.focusIndustries, focusIndustryGroupingsSchema) ?? defaultFocusIndustryGroupings;
}

/** One green loan as the groups and the drill-down see it, as of the day in `slot`. */
export function asOfView(loan: GreenLoanDays, slot: number): GreenLoanAsOf {
  return {
    loanId: loan.row.loan_id,
    enterpriseId: loan.row.enterprise_id,
    balance: loan.balances[slot] ?? 0,
    classification: loan.classes[slot] ?? 'normal',
    category: loan.category,
    focusGroup: loan.row.focus_group,
    divisionCode: loan.row.division_code,
  };
}

/** Whether a green loan as of a day is one a stats.loans filter names. */
export function matchesFilter(loan: GreenLoanAsOf, filter: StatLoanFilter): boolean {
  return (
    loan.balance > 0 &&
    (filter.category === undefined || loan.category === filter.category) &&
    (filter.focusGroup === undefined || (loan.focusGroup ?? '') === filter.focusGroup) &&
    (filter.divisionCode === undefined || loan.divisionCode === filter.divisionCode) &&
    (filter.classification === undefined || loan.classification === filter.classification) &&
    (filter.enterpriseId === undefined || loan.enterpriseId === filter.enterpriseId)
  );
}

const filterKey: Record<GreenReportDimension, keyof StatLoanFilter> = { category: 'category', focusGroup: 'focusGroup', divisionCode: 'divisionCode', classification: 'classification' };

/** The green-credit statistics as of the day in `slot` of `loans`. */
export function greenReportOf(db: Db, loans: readonly GreenLoanDays[], slot: number, day: string): GreenReport {
  const views = loans.map((loan) => asOfView(loan, slot)).filter((view) => view.balance > 0);
  const groupings = focusGroupings(db);
  const catalogues = new Map<string, ReturnType<typeof catalogueOf>>();
  const categoryName = (key: string) => {
    const [version, code] = key.split(':') as [CatalogueVersion, string];
    let catalogue = catalogues.get(version);
    if (catalogue === undefined) catalogues.set(version, (catalogue = catalogueOf(db, version)));
    const found = lookupCode(catalogue, code);
    return found.ok ? (found.entry.name ?? '') : '';
  };
  const names: Record<GreenReportDimension, (key: string) => string> = {
    category: categoryName,
    focusGroup: (key) => groupings.groups.find((group) => group.key === key)?.zh ?? '',
    divisionCode: (key) => divisionPlace(key) ?? '',
    classification: (key) => loanClassificationWords[key as LoanClassification] ?? '',
  };
  const groups = (dimension: GreenReportDimension): GreenGroupView[] =>
    groupGreenLoans(views, dimension).map((group) => ({ ...group, name: names[dimension](group.key), loansFilter: { asOf: day, [filterKey[dimension]]: group.key } }));

  const balance = views.reduce((sum, view) => sum + view.balance, 0);
  const totalBalance = bookBalanceAsOf(db, day);

  const units = new Map<BenefitIndicator, { total: bigint; loans: number }>(benefitIndicators.map((indicator) => [indicator, { total: 0n, loans: 0 }]));
  let notComputed = 0;
  for (const loan of loans) {
    const loanBalance = loan.balances[slot] ?? 0;
    if (loanBalance <= 0) continue;
    const investment = loan.row.project_total_investment_fen;
    const reported = benefitIndicators.filter((indicator) => loan.row[benefitColumns[indicator]] !== null);
    if (reported.length === 0) continue;
    // bankShare's refusals: no investment, or a balance above it (one of the two figures is wrong).
    if (investment === null || investment <= 0 || loanBalance > investment) {
      notComputed += 1;
      continue;
    }
    for (const indicator of reported) {
      const sum = units.get(indicator)!;
      sum.total += shareUnits(loan.row[benefitColumns[indicator]] as string, loanBalance, investment);
      sum.loans += 1;
    }
  }

  return {
    asOf: day,
    totals: { loans: views.length, customers: new Set(views.map((view) => view.enterpriseId)).size, balance },
    book: { totalBalance, sharePercent: totalBalance === 0 ? null : percentText(BigInt(balance), BigInt(totalBalance)) },
    byCategory: groups('category'),
    byFocusGroup: groups('focusGroup'),
    byCounty: groups('divisionCode'),
    byClassification: groups('classification'),
    benefits: { totals: benefitIndicators.map((indicator) => ({ indicator, total: quantityOfUnits(units.get(indicator)!.total), loans: units.get(indicator)!.loans })), notComputed },
    loansFilter: { asOf: day },
  };
}
