import { focusIndustryGroupingsSchema, defaultFocusIndustryGroupings, type FocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { catalogueVersions, lookupCode, type CatalogueVersion } from '../../../shared/codes/greenCatalogues.ts';
import { divisionPlace } from '../../../shared/domain/division.ts';
import { benefitIndicators, quantityOfUnits, ShareUnitsSum, type BenefitIndicator } from '../../../shared/domain/environmentalBenefit.ts';
import { categoryKey, percentText, sortedGroups, type BookFigures, type GreenGroup, type GreenReportDimension } from '../../../shared/domain/greenStatistics.ts';
import { greenStanding } from '../../../shared/domain/greenTag.ts';
import { loanClassifications, loanClassificationWords, type LoanClassification } from '../../../shared/domain/loan.ts';
import type { GreenGroupView, GreenReport, StatLoanFilter, StatLoanRow } from '../../../shared/api/stats.ts';
import { catalogueOf } from '../../../db/green.ts';
import { enterpriseKeyOf, foldGreenBook, greenBookLoanFacts, type GreenBookSink } from '../../../db/greenBook.ts';
import type { Db } from '../../../db/open.ts';
import { referenceSet, referenceSetNames } from '../../../db/reference.ts';
import { bookBalanceAsOf, confirmedLoanTagCount } from '../../../db/stats.ts';

/**
 * The green loans of the book as of a day, folded from the green book (migration 0032) in pages
 * that yield to other calls, into the figures, the report's groups and benefits, or a drill-down
 * list. Which loans count green is greenTag.ts's greenStanding, as green.summary counts them: with
 * a confirmed tag (the book holds no other) it rests on the catalogue knowing the code and on
 * evidence, so it is decided once per catalogue version and code.
 */

const PAGE = 5_000;

export type Progress = (done: number, total: number) => void;

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Per tag ("version:code"): the report category when it counts green, else null. The catalogues are
 * read before the fold (its rows arrive while the connection runs the query).
 */
class Standing {
  private readonly catalogues: Map<string, ReturnType<typeof catalogueOf>>;
  private readonly byTag = new Map<string, string | null>();
  constructor(db: Db) {
    this.catalogues = new Map(catalogueVersions.map((version) => [version, catalogueOf(db, version)]));
  }

  categoryOf(tag: string | null): string | null {
    if (tag === null) return null;
    let category = this.byTag.get(tag);
    if (category === undefined) {
      const [version, code] = [tag.slice(0, 4), tag.slice(5)];
      const catalogue = this.catalogues.get(version);
      const green = catalogue !== undefined && greenStanding({ catalogueVersion: version as CatalogueVersion, code, evidenceCount: 1, status: 'confirmed', preparedBy: '', confirmedBy: 'confirmed' }, catalogue).green;
      this.byTag.set(tag, (category = green ? categoryKey(version, code) : null));
    }
    return category;
  }
}

/** A sink counting each green loan with a balance above 0 once, and handing it on. */
abstract class GreenLoansAsOf implements GreenBookSink {
  private readonly seen = new Set<number>();
  constructor(private readonly standing: Standing) {}

  row(loanRowid: number, enterpriseKey: number, balance: number, classIndex: number, tag: string | null, focusGroup: string | null, divisionCode: string, investment: number | null, f0: string | null, f1: string | null, f2: string | null, f3: string | null, f4: string | null, f5: string | null, f6: string | null): void {
    if (balance <= 0) return;
    const category = this.standing.categoryOf(tag);
    if (category === null || this.seen.has(loanRowid)) return;
    this.seen.add(loanRowid);
    this.green(loanRowid, enterpriseKey, balance, classIndex, category, focusGroup, divisionCode, investment, f0, f1, f2, f3, f4, f5, f6);
  }

  protected abstract green(loanRowid: number, enterpriseKey: number, balance: number, classIndex: number, category: string, focusGroup: string | null, divisionCode: string, investment: number | null, f0: string | null, f1: string | null, f2: string | null, f3: string | null, f4: string | null, f5: string | null, f6: string | null): void;
}

class Figures extends GreenLoansAsOf {
  balance = 0;
  loans = 0;
  readonly customers = new Set<number>();
  protected green(_loanRowid: number, enterpriseKey: number, balance: number, ..._rest: unknown[]): void {
    this.balance += balance;
    this.loans += 1;
    this.customers.add(enterpriseKey);
  }
}

/** Loans, distinct customers and balance per key of one dimension (GreenGroups over integer customers). */
class Groups {
  private readonly groups = new Map<string, { loans: number; customers: Set<number>; balance: number }>();
  add(key: string, enterpriseKey: number, balance: number): void {
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = { loans: 0, customers: new Set(), balance: 0 }));
    group.loans += 1;
    group.customers.add(enterpriseKey);
    group.balance += balance;
  }
  list(): GreenGroup[] {
    return sortedGroups([...this.groups.entries()].map(([key, group]) => ({ key, loans: group.loans, customers: group.customers.size, balance: group.balance })));
  }
}

/**
 * The same per key of a borrower's own attribute (focus group, county): a customer is in one group
 * only, so it is counted once, when the fold first meets it, instead of a set of customers per group.
 */
class BorrowerGroups {
  private readonly groups = new Map<string, { loans: number; customers: number; balance: number }>();
  private group(key: string) {
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = { loans: 0, customers: 0, balance: 0 }));
    return group;
  }
  add(key: string, balance: number, newCustomer: boolean): void {
    const group = this.group(key);
    group.loans += 1;
    group.balance += balance;
    if (newCustomer) group.customers += 1;
  }
  list(): GreenGroup[] {
    return sortedGroups([...this.groups.entries()].map(([key, group]) => ({ key, ...group })));
  }
}

class ReportFold extends Figures {
  readonly category = new Groups();
  readonly classification = new Groups();
  readonly focusGroup = new BorrowerGroups();
  readonly divisionCode = new BorrowerGroups();
  readonly units = benefitIndicators.map(() => ({ total: new ShareUnitsSum(), loans: 0 }));
  notComputed = 0;
  protected override green(
    loanRowid: number,
    enterpriseKey: number,
    balance: number,
    classIndex: number,
    category: string,
    focusGroup: string | null,
    divisionCode: string,
    investment: number | null,
    f0: string | null,
    f1: string | null,
    f2: string | null,
    f3: string | null,
    f4: string | null,
    f5: string | null,
    f6: string | null,
  ): void {
    const customers = this.customers.size;
    super.green(loanRowid, enterpriseKey, balance);
    const newCustomer = this.customers.size !== customers;
    this.category.add(category, enterpriseKey, balance);
    this.classification.add(loanClassifications[classIndex]!, enterpriseKey, balance);
    this.focusGroup.add(focusGroup ?? '', balance, newCustomer);
    this.divisionCode.add(divisionCode, balance, newCustomer);
    if (f0 === null && f1 === null && f2 === null && f3 === null && f4 === null && f5 === null && f6 === null) return;
    // bankShare's refusals: no investment, or a balance above it (one of the two figures is wrong).
    if (investment === null || investment <= 0 || balance > investment) {
      this.notComputed += 1;
      return;
    }
    this.share(0, f0, balance, investment);
    this.share(1, f1, balance, investment);
    this.share(2, f2, balance, investment);
    this.share(3, f3, balance, investment);
    this.share(4, f4, balance, investment);
    this.share(5, f5, balance, investment);
    this.share(6, f6, balance, investment);
  }

  private share(slot: number, figure: string | null, balance: number, investment: number): void {
    if (figure === null) return;
    const sum = this.units[slot]!;
    sum.total.add(figure, balance, investment);
    sum.loans += 1;
  }
}

class Matches extends GreenLoansAsOf {
  readonly loans: (Omit<StatLoanRow, 'loanId' | 'loanNumber' | 'enterpriseId' | 'enterpriseName'> & { loanRowid: number })[] = [];
  constructor(
    standing: Standing,
    private readonly filter: StatLoanFilter,
    /** The filter's enterprise as a book key; undefined: filtered by id after the fold (not on file). */
    private readonly enterpriseKey: number | undefined,
  ) {
    super(standing);
  }
  protected green(loanRowid: number, enterpriseKey: number, balance: number, classIndex: number, category: string, focusGroup: string | null, divisionCode: string): void {
    const { filter } = this;
    const classification = loanClassifications[classIndex]!;
    if (filter.category !== undefined && category !== filter.category) return;
    if (filter.focusGroup !== undefined && (focusGroup ?? '') !== filter.focusGroup) return;
    if (filter.divisionCode !== undefined && divisionCode !== filter.divisionCode) return;
    if (filter.classification !== undefined && classification !== filter.classification) return;
    if (this.enterpriseKey !== undefined && enterpriseKey !== this.enterpriseKey) return;
    this.loans.push({ loanRowid, balance, classification, category, focusGroup, divisionCode });
  }
}

/** Folds the book as of each day into a fresh sink, reporting rows read against the candidate loans. */
async function foldDays<T extends GreenBookSink>(db: Db, days: readonly string[], sinkOf: () => T, progress?: Progress): Promise<T[]> {
  const perDay = confirmedLoanTagCount(db);
  const total = perDay * days.length;
  const sinks: T[] = [];
  for (const [slot, day] of days.entries()) {
    const sink = sinkOf();
    await foldGreenBook(db, day, PAGE, sink, async (rows) => {
      progress?.(Math.min(slot * perDay + rows, total), total);
      await yieldToHost();
    });
    progress?.(Math.min((slot + 1) * perDay, total), total);
    sinks.push(sink);
  }
  return sinks;
}

const figuresOf = (db: Db, fold: Figures, day: string): BookFigures => ({ totalBalance: bookBalanceAsOf(db, day), greenBalance: fold.balance, greenLoans: fold.loans, greenCustomers: fold.customers.size });

/** The book as of each day: every loan's balance from the kept jumps (0027), the green ones from the green book. */
export async function figuresAt(db: Db, days: readonly string[], progress?: Progress): Promise<BookFigures[]> {
  const standing = new Standing(db);
  const folds = await foldDays(db, days, () => new Figures(standing), progress);
  return folds.map((fold, slot) => figuresOf(db, fold, days[slot]!));
}

export function focusGroupings(db: Db): FocusIndustryGroupings {
  return referenceSet(db, referenceSetNames.focusIndustries, focusIndustryGroupingsSchema) ?? defaultFocusIndustryGroupings;
}

/** The green loans a stats.loans filter names as of its day, largest first, then by loan number. */
export async function greenLoansMatching(db: Db, filter: StatLoanFilter): Promise<StatLoanRow[]> {
  const key = filter.enterpriseId === undefined ? undefined : enterpriseKeyOf(db, filter.enterpriseId);
  const [matches] = await foldDays(db, [filter.asOf], () => new Matches(new Standing(db), filter, key));
  const rows = matches!.loans
    .map(({ loanRowid, ...loan }) => ({ ...loan, ...greenBookLoanFacts(db, loanRowid) }))
    .filter((loan) => filter.enterpriseId === undefined || loan.enterpriseId === filter.enterpriseId);
  // A stable order to page through.
  return rows.sort((a, b) => b.balance - a.balance || (a.loanNumber < b.loanNumber ? -1 : a.loanNumber > b.loanNumber ? 1 : 0));
}

const filterKey: Record<GreenReportDimension, keyof StatLoanFilter> = { category: 'category', focusGroup: 'focusGroup', divisionCode: 'divisionCode', classification: 'classification' };

/** The green-credit statistics as of a day. */
export async function greenReportAt(db: Db, day: string, progress?: Progress): Promise<GreenReport> {
  const standing = new Standing(db);
  const [fold] = (await foldDays(db, [day], () => new ReportFold(standing), progress)) as [ReportFold];
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
    fold[dimension].list().map((group) => ({ ...group, name: names[dimension](group.key), loansFilter: { asOf: day, [filterKey[dimension]]: group.key } }));
  const { totalBalance } = figuresOf(db, fold, day);
  const units = new Map<BenefitIndicator, { total: bigint; loans: number }>(benefitIndicators.map((indicator, i) => [indicator, { total: fold.units[i]!.total.total(), loans: fold.units[i]!.loans }]));

  return {
    asOf: day,
    totals: { loans: fold.loans, customers: fold.customers.size, balance: fold.balance },
    book: { totalBalance, sharePercent: totalBalance === 0 ? null : percentText(BigInt(fold.balance), BigInt(totalBalance)) },
    byCategory: groups('category'),
    byFocusGroup: groups('focusGroup'),
    byCounty: groups('divisionCode'),
    byClassification: groups('classification'),
    benefits: { totals: benefitIndicators.map((indicator) => ({ indicator, total: quantityOfUnits(units.get(indicator)!.total), loans: units.get(indicator)!.loans })), notComputed: fold.notComputed },
    loansFilter: { asOf: day },
  };
}
