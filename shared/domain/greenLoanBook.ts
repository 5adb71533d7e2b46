import type { FocusIndustryGroupings } from '../codes/focusIndustries.ts';
import { lookupCode, type Catalogue, type CatalogueVersion } from '../codes/greenCatalogues.ts';
import { divisionPlace } from './division.ts';
import { benefitIndicators, hasBenefitFigures, quantityOfUnits, ShareUnitsSum, sumQuantities, type BenefitIndicator, type ProjectBenefits } from './environmentalBenefit.ts';
import { categoryKey, snapshotAsOf, type BookFigures, type GreenLoanAsOf, type GreenReportDimension, type StatLoan, type StatSnapshot } from './greenStatistics.ts';
import { greenStanding } from './greenTag.ts';
import { loanClassificationWords, type LoanClassification } from './loan.ts';

/**
 * The green book's definition over plain rows: which loans count green and what the reports group
 * them by, for a reader that holds the rows themselves (head office's synced rows). The laptop keeps
 * the same definition as SQL for speed (db migration 0032 green_book_source, folded by
 * electron/host/stats/greenBook.ts); a test holds the two to the same figures
 * (server/statistics.test.ts), and both decide a tag's standing with `TagCategories` below.
 *
 * - A loan's tag is its oldest live tag (created_at, then id), the one green.tag shows; it counts when
 *   it is confirmed, names a code the catalogue version knows green (greenStanding) and holds
 *   evidence (an attachment id).
 * - A loan counts as of a day by its newest live snapshot on or before the day (snapshotAsOf), with
 *   that snapshot's balance and five-level class; green with a balance above 0.
 * - Its customer is its borrower; a loan whose borrower's file is not on record counts as its own.
 *   The focus group and county are the borrower's (county '' when the file is missing).
 * - 各项贷款余额 sums every live snapshot series, whatever its loan's state (as db/stats.ts does).
 */

export interface BookLoanRow {
  id: string;
  enterpriseId: string | null;
  deleted: boolean;
}

export interface BookSnapshotRow extends StatSnapshot {
  loanId: string;
  classification: string;
  deleted: boolean;
}

export interface BookTagRow {
  id: string;
  ownerType: string;
  ownerId: string;
  createdAt: string;
  status: string;
  confirmedBy: string | null;
  catalogueVersion: string;
  code: string | null;
  /** evidence_attachment_ids as stored: a JSON array text, or the array itself. */
  evidence: unknown;
  /** The project's total investment (fen) and its annual benefits, for the bank's share. */
  totalInvestment: number | null;
  benefits: ProjectBenefits;
  deleted: boolean;
}

export interface BookEnterpriseRow {
  id: string;
  focusGroup: string | null;
  divisionCode: string | null;
}

export interface BookRows {
  loans: readonly BookLoanRow[];
  snapshots: readonly BookSnapshotRow[];
  tags: readonly BookTagRow[];
  /** Every file on record, deleted ones too (a loan keeps its borrower's group and county). */
  enterprises: readonly BookEnterpriseRow[];
}

/** A loan of the book: its snapshots, and — when its tag counts green — its category and borrower's groups. */
export interface BookLoan extends StatLoan {
  snapshots: readonly BookSnapshotRow[];
  /** catalogue version + level-1 code ("2025:1") when green, else null. */
  category: string | null;
  focusGroup: string | null;
  divisionCode: string;
  /** The counting tag's project (null when the loan is not green): what the bank's share of benefits is read from. */
  project: { totalInvestment: number | null; benefits: ProjectBenefits } | null;
}

/**
 * Per tag (catalogue version and code): its report category when the catalogue counts it green,
 * else null; decided once per version and code. Evidence is judged apart (the laptop's book holds it
 * as a flag).
 */
export class TagCategories {
  private readonly byTag = new Map<string, string | null>();
  constructor(private readonly catalogueOf: (version: CatalogueVersion) => Catalogue | undefined) {}

  categoryOf(version: string, code: string): string | null {
    const tag = `${version}:${code}`;
    let category = this.byTag.get(tag);
    if (category === undefined) {
      const catalogue = this.catalogueOf(version as CatalogueVersion);
      const green =
        catalogue !== undefined &&
        greenStanding({ catalogueVersion: version as CatalogueVersion, code, evidenceCount: 1, status: 'confirmed', preparedBy: '', confirmedBy: 'confirmed' }, catalogue).green;
      this.byTag.set(tag, (category = green ? categoryKey(version, code) : null));
    }
    return category;
  }
}

/** An evidence list holds an attachment id: a JSON array (or its text) with a string in it. */
export function holdsEvidence(evidence: unknown): boolean {
  let list = evidence;
  if (typeof evidence === 'string') {
    try {
      list = JSON.parse(evidence);
    } catch {
      return false;
    }
  }
  return Array.isArray(list) && list.some((item) => typeof item === 'string');
}

const before = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

/** The book's loans from its rows: one per live snapshot series, green where its loan and tag say so. */
export function bookLoans(rows: BookRows, categories: TagCategories): BookLoan[] {
  const firstTag = new Map<string, BookTagRow>();
  for (const tag of rows.tags) {
    if (tag.deleted || tag.ownerType !== 'loan') continue;
    const first = firstTag.get(tag.ownerId);
    if (first === undefined || before(tag, first)) firstTag.set(tag.ownerId, tag);
  }
  const loans = new Map(rows.loans.filter((loan) => !loan.deleted).map((loan) => [loan.id, loan]));
  const enterprises = new Map(rows.enterprises.map((enterprise) => [enterprise.id, enterprise]));
  const series = new Map<string, BookSnapshotRow[]>();
  for (const snapshot of rows.snapshots) {
    if (snapshot.deleted) continue;
    let list = series.get(snapshot.loanId);
    if (list === undefined) series.set(snapshot.loanId, (list = []));
    list.push(snapshot);
  }
  return [...series].map(([loanId, snapshots]) => {
    const loan = loans.get(loanId);
    const tag = firstTag.get(loanId);
    const category =
      loan !== undefined && tag !== undefined && tag.status === 'confirmed' && tag.confirmedBy !== null && tag.code !== null && holdsEvidence(tag.evidence)
        ? categories.categoryOf(tag.catalogueVersion, tag.code)
        : null;
    const borrower = loan?.enterpriseId === null || loan?.enterpriseId === undefined ? undefined : enterprises.get(loan.enterpriseId);
    return {
      loanId,
      enterpriseId: borrower === undefined ? `loan:${loanId}` : borrower.id,
      green: category !== null,
      snapshots,
      category,
      focusGroup: borrower?.focusGroup ?? null,
      divisionCode: borrower?.divisionCode ?? '',
      project: category === null ? null : { totalInvestment: tag!.totalInvestment, benefits: tag!.benefits },
    };
  });
}

/** 环境效益 of a report: the bank's share of each indicator over the green loans, and the loans it cannot be computed for. */
export interface BenefitTotals {
  totals: { indicator: BenefitIndicator; total: string; loans: number }[];
  /** Green loans with figures whose share cannot be computed (no total investment, or a balance above it): left out. */
  notComputed: number;
}

/**
 * The bank's share of the green loans' annual benefits as of a day, as the laptop's report counts
 * them: each green loan with a balance above 0 adds figure × balance ÷ its project's total
 * investment (environmentalBenefit.ts bankShare's rounding, summed exactly); a loan whose tag gives
 * figures but no usable investment counts as not computed.
 */
export function benefitsAsOf(loans: readonly BookLoan[], day: string): BenefitTotals {
  const sums = benefitIndicators.map(() => ({ total: new ShareUnitsSum(), loans: 0 }));
  let notComputed = 0;
  for (const loan of loans) {
    if (loan.project === null || !hasBenefitFigures(loan.project.benefits)) continue;
    const snapshot = snapshotAsOf(loan.snapshots, day);
    if (snapshot === undefined || snapshot.balance <= 0) continue;
    const { totalInvestment, benefits } = loan.project;
    if (totalInvestment === null || totalInvestment <= 0 || snapshot.balance > totalInvestment) {
      notComputed += 1;
      continue;
    }
    benefitIndicators.forEach((indicator, i) => {
      const figure = benefits[indicator];
      if (figure === null) return;
      sums[i]!.total.add(figure, snapshot.balance, totalInvestment);
      sums[i]!.loans += 1;
    });
  }
  return { totals: benefitIndicators.map((indicator, i) => ({ indicator, total: quantityOfUnits(sums[i]!.total.total()), loans: sums[i]!.loans })), notComputed };
}

/** A book with no benefits to report: every indicator 0 over no loan. */
export function noBenefitTotals(): BenefitTotals {
  return { totals: benefitIndicators.map((indicator) => ({ indicator, total: '0', loans: 0 })), notComputed: 0 };
}

/** Several books' (branches') benefits as one: each indicator's share and loans add. */
export function addBenefits(list: readonly BenefitTotals[]): BenefitTotals {
  return {
    totals: benefitIndicators.map((indicator, i) => ({
      indicator,
      total: sumQuantities(list.map((benefits) => benefits.totals[i]!.total)),
      loans: list.reduce((sum, benefits) => sum + benefits.totals[i]!.loans, 0),
    })),
    notComputed: list.reduce((sum, benefits) => sum + benefits.notComputed, 0),
  };
}

/** The green loans with a balance above 0 as of a day, with what the report groups them by. */
export function greenLoansAsOf(loans: readonly BookLoan[], day: string): GreenLoanAsOf[] {
  const green: GreenLoanAsOf[] = [];
  for (const loan of loans) {
    if (loan.category === null) continue;
    const snapshot = snapshotAsOf(loan.snapshots, day);
    if (snapshot === undefined || snapshot.balance <= 0) continue;
    green.push({
      loanId: loan.loanId,
      enterpriseId: loan.enterpriseId,
      balance: snapshot.balance,
      classification: snapshot.classification,
      category: loan.category,
      focusGroup: loan.focusGroup,
      divisionCode: loan.divisionCode,
    });
  }
  return green;
}

/** Figures of several books (branches) together: every count and balance adds (a customer is one branch's). */
export function addFigures(figures: readonly BookFigures[]): BookFigures {
  return figures.reduce(
    (sum, f) => ({ totalBalance: sum.totalBalance + f.totalBalance, greenBalance: sum.greenBalance + f.greenBalance, greenLoans: sum.greenLoans + f.greenLoans, greenCustomers: sum.greenCustomers + f.greenCustomers }),
    { totalBalance: 0, greenBalance: 0, greenLoans: 0, greenCustomers: 0 },
  );
}

/** A report group's key in words, as the laptop's report and head office's show it ('' where the data names nothing). */
export function groupNamer(catalogueOf: (version: CatalogueVersion) => Catalogue, groupings: FocusIndustryGroupings): Record<GreenReportDimension, (key: string) => string> {
  const catalogues = new Map<string, Catalogue>();
  return {
    category: (key) => {
      const [version, code] = key.split(':') as [CatalogueVersion, string];
      let catalogue = catalogues.get(version);
      if (catalogue === undefined) catalogues.set(version, (catalogue = catalogueOf(version)));
      const found = lookupCode(catalogue, code);
      return found.ok ? (found.entry.name ?? '') : '';
    },
    focusGroup: (key) => groupings.groups.find((group) => group.key === key)?.zh ?? '',
    divisionCode: (key) => divisionPlace(key) ?? '',
    classification: (key) => loanClassificationWords[key as LoanClassification] ?? '',
  };
}
