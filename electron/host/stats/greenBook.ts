import { focusIndustryGroupingsSchema, defaultFocusIndustryGroupings, type FocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { catalogueVersions } from '../../../shared/codes/greenCatalogues.ts';
import { benefitIndicators, quantityOfUnits, ShareUnitsSum, type BenefitIndicator } from '../../../shared/domain/environmentalBenefit.ts';
import { percentText, sortedGroups, type BookFigures, type GreenGroup, type GreenReportDimension } from '../../../shared/domain/greenStatistics.ts';
import { groupNamer, TagCategories } from '../../../shared/domain/greenLoanBook.ts';
import { loanClassifications } from '../../../shared/domain/loan.ts';
import type { GreenGroupView, GreenReport, StatLoanFilter, StatLoanRow } from '../../../shared/api/stats.ts';
import { catalogueOf } from '../../../db/green.ts';
import { enterpriseKeyOf, foldGreenBook, greenBookKeyBounds, greenBookLoanFacts, type GreenBookColumns, type GreenBookSink } from '../../../db/greenBook.ts';
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
 * Per tag ("version:code"): the report category when it counts green, else null (the shared
 * definition's TagCategories, as head office decides it). The catalogues are read before the fold
 * (its rows arrive while the connection runs the query).
 */
class Standing {
  private readonly categories: TagCategories;
  constructor(db: Db) {
    const catalogues = new Map(catalogueVersions.map((version) => [version, catalogueOf(db, version)]));
    this.categories = new TagCategories((version) => catalogues.get(version));
  }

  categoryOf(tag: string | null): string | null {
    return tag === null ? null : this.categories.categoryOf(tag.slice(0, 4), tag.slice(5));
  }
}

/**
 * Integer keys (loan and borrower rowids) met in one fold: a byte per key up to the largest rowid
 * when the fold began, a set past it and for the negative keys of borrowers not on file. (A set of
 * 50,000 loans or customers per fold and group cost more than the rows' arithmetic.)
 */
class Marks {
  private readonly bytes: Uint8Array;
  private readonly others = new Set<number>();
  size = 0;
  constructor(largest: number) {
    this.bytes = new Uint8Array(largest + 1);
  }
  /** True the first time a key is marked. */
  mark(key: number): boolean {
    if (key >= 0 && key < this.bytes.length) {
      if (this.bytes[key] === 1) return false;
      this.bytes[key] = 1;
    } else {
      if (this.others.has(key)) return false;
      this.others.add(key);
    }
    this.size += 1;
    return true;
  }
}

type Bounds = ReturnType<typeof greenBookKeyBounds>;

/**
 * Which rows count, for every sink: a loan's first row in the fold (a page may repeat a loan whose
 * rows a write moved while the fold yielded) with a balance above 0 whose tag stands green.
 */
class Counting {
  private readonly loans: Marks;
  constructor(
    private readonly standing: Standing,
    bounds: Bounds,
  ) {
    this.loans = new Marks(bounds.loans);
  }
  /** The loan's report category, or null when the row does not count. */
  category(loanRowid: number, balance: number, tag: string | null): string | null {
    if (balance <= 0) return null;
    const category = this.standing.categoryOf(tag);
    return category !== null && this.loans.mark(loanRowid) ? category : null;
  }
}

class Figures implements GreenBookSink {
  balance = 0;
  loans = 0;
  readonly customers: Marks;
  constructor(
    private readonly counting: Counting,
    bounds: Bounds,
  ) {
    this.customers = new Marks(bounds.enterprises);
  }
  row(loanRowid: number, enterpriseKey: number, balance: number, _classIndex: number, tag: string | null): void {
    if (this.counting.category(loanRowid, balance, tag) === null) return;
    this.balance += balance;
    this.loans += 1;
    this.customers.mark(enterpriseKey);
  }
}

/** Loans, distinct customers and balance per key of one dimension (GreenGroups over integer customers). */
class Groups {
  private readonly groups = new Map<string, { loans: number; customers: Marks; balance: number }>();
  constructor(private readonly enterprises: number) {}
  add(key: string, enterpriseKey: number, balance: number): void {
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = { loans: 0, customers: new Marks(this.enterprises), balance: 0 }));
    group.loans += 1;
    group.customers.mark(enterpriseKey);
    group.balance += balance;
  }
  list(): GreenGroup[] {
    return sortedGroups([...this.groups.entries()].map(([key, group]) => ({ key, loans: group.loans, customers: group.customers.size, balance: group.balance })));
  }
}

/**
 * The same per key of a borrower's own attribute (focus group, county): a customer is in one group
 * only, so it is counted once, when the fold first meets it, instead of marks per group.
 */
class BorrowerGroups {
  private readonly groups = new Map<string, { loans: number; customers: number; balance: number }>();
  add(key: string, balance: number, newCustomer: boolean): void {
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = { loans: 0, customers: 0, balance: 0 }));
    group.loans += 1;
    group.balance += balance;
    if (newCustomer) group.customers += 1;
  }
  list(): GreenGroup[] {
    return sortedGroups([...this.groups.entries()].map(([key, group]) => ({ key, ...group })));
  }
}

/** The report's fold: one method per row, everything inline (a call per row and step was a fifth of the fold). */
class ReportFold implements GreenBookSink {
  balance = 0;
  loans = 0;
  readonly customers: Marks;
  readonly category: Groups;
  readonly classification: Groups;
  readonly focusGroup = new BorrowerGroups();
  readonly divisionCode = new BorrowerGroups();
  readonly units = benefitIndicators.map(() => ({ total: new ShareUnitsSum(), loans: 0 }));
  notComputed = 0;
  constructor(
    private readonly counting: Counting,
    bounds: Bounds,
  ) {
    this.customers = new Marks(bounds.enterprises);
    this.category = new Groups(bounds.enterprises);
    this.classification = new Groups(bounds.enterprises);
  }

  row(
    loanRowid: number,
    enterpriseKey: number,
    balance: number,
    classIndex: number,
    tag: string | null,
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
    const category = this.counting.category(loanRowid, balance, tag);
    if (category === null) return;
    this.balance += balance;
    this.loans += 1;
    const newCustomer = this.customers.mark(enterpriseKey);
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
    const { units } = this;
    if (f0 !== null) share(units[0]!, f0, balance, investment);
    if (f1 !== null) share(units[1]!, f1, balance, investment);
    if (f2 !== null) share(units[2]!, f2, balance, investment);
    if (f3 !== null) share(units[3]!, f3, balance, investment);
    if (f4 !== null) share(units[4]!, f4, balance, investment);
    if (f5 !== null) share(units[5]!, f5, balance, investment);
    if (f6 !== null) share(units[6]!, f6, balance, investment);
  }
}

function share(sum: { total: ShareUnitsSum; loans: number }, figure: string, balance: number, investment: number): void {
  sum.total.add(figure, balance, investment);
  sum.loans += 1;
}

class Matches implements GreenBookSink {
  readonly loans: (Omit<StatLoanRow, 'loanId' | 'loanNumber' | 'enterpriseId' | 'enterpriseName'> & { loanRowid: number })[] = [];
  constructor(
    private readonly counting: Counting,
    private readonly filter: StatLoanFilter,
    /** The filter's enterprise as a book key; undefined: filtered by id after the fold (not on file). */
    private readonly enterpriseKey: number | undefined,
  ) {}
  row(loanRowid: number, enterpriseKey: number, balance: number, classIndex: number, tag: string | null, focusGroup: string | null, divisionCode: string): void {
    const category = this.counting.category(loanRowid, balance, tag);
    if (category === null) return;
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
async function foldDays<T extends GreenBookSink>(db: Db, days: readonly string[], sinkOf: (counting: Counting, bounds: Bounds) => T, progress?: Progress, columns: GreenBookColumns = 'all'): Promise<T[]> {
  const standing = new Standing(db);
  const bounds = greenBookKeyBounds(db);
  const perDay = confirmedLoanTagCount(db);
  const total = perDay * days.length;
  const sinks: T[] = [];
  for (const [slot, day] of days.entries()) {
    const sink = sinkOf(new Counting(standing, bounds), bounds);
    await foldGreenBook(
      db,
      day,
      PAGE,
      sink,
      async (rows) => {
        progress?.(Math.min(slot * perDay + rows, total), total);
        await yieldToHost();
      },
      columns,
    );
    progress?.(Math.min((slot + 1) * perDay, total), total);
    sinks.push(sink);
  }
  return sinks;
}

const figuresOf = (db: Db, fold: { balance: number; loans: number; customers: Marks }, day: string): BookFigures => ({ totalBalance: bookBalanceAsOf(db, day), greenBalance: fold.balance, greenLoans: fold.loans, greenCustomers: fold.customers.size });

/** The book as of each day: every loan's balance from the kept jumps (0027), the green ones from the green book. */
export async function figuresAt(db: Db, days: readonly string[], progress?: Progress): Promise<BookFigures[]> {
  const folds = await foldDays(db, days, (counting, bounds) => new Figures(counting, bounds), progress, 'figures');
  return folds.map((fold, slot) => figuresOf(db, fold, days[slot]!));
}

export function focusGroupings(db: Db): FocusIndustryGroupings {
  return referenceSet(db, referenceSetNames.focusIndustries, focusIndustryGroupingsSchema) ?? defaultFocusIndustryGroupings;
}

/** The green loans a stats.loans filter names as of its day, largest first, then by loan number. */
export async function greenLoansMatching(db: Db, filter: StatLoanFilter): Promise<StatLoanRow[]> {
  const key = filter.enterpriseId === undefined ? undefined : enterpriseKeyOf(db, filter.enterpriseId);
  const [matches] = await foldDays(db, [filter.asOf], (counting) => new Matches(counting, filter, key));
  const rows = matches!.loans
    .map(({ loanRowid, ...loan }) => ({ ...loan, ...greenBookLoanFacts(db, loanRowid) }))
    .filter((loan) => filter.enterpriseId === undefined || loan.enterpriseId === filter.enterpriseId);
  // A stable order to page through.
  return rows.sort((a, b) => b.balance - a.balance || (a.loanNumber < b.loanNumber ? -1 : a.loanNumber > b.loanNumber ? 1 : 0));
}

const filterKey: Record<GreenReportDimension, keyof StatLoanFilter> = { category: 'category', focusGroup: 'focusGroup', divisionCode: 'divisionCode', classification: 'classification' };

/** The green-credit statistics as of a day. */
export async function greenReportAt(db: Db, day: string, progress?: Progress): Promise<GreenReport> {
  const [fold] = (await foldDays(db, [day], (counting, bounds) => new ReportFold(counting, bounds), progress)) as [ReportFold];
  const names = groupNamer((version) => catalogueOf(db, version), focusGroupings(db));
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
