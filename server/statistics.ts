import { defaultFocusIndustryGroupings, focusIndustryGroupingsSchema, type FocusIndustryGroupings } from '../shared/codes/focusIndustries.ts';
import { catalogueReferenceSetName, catalogueVersions, catalogueWith, publishedCatalogueSchema, type Catalogue, type CatalogueVersion } from '../shared/codes/greenCatalogues.ts';
import { shanghaiDate } from '../shared/domain/calendar.ts';
import { divisionPlace } from '../shared/domain/division.ts';
import { benefitColumns, benefitIndicators, quantityOfUnits } from '../shared/domain/environmentalBenefit.ts';
import { addBenefits, addFigures, benefitsAsOf, greenLoansAsOf, groupNamer, noBenefitTotals, TagCategories, type BenefitTotals, type BookLoan } from '../shared/domain/greenLoanBook.ts';
import {
  bookFigures,
  groupGreenLoans,
  noFigures,
  percentText,
  periodBounds,
  samePeriodLastYear,
  sortedGroups,
  threeNotLower,
  type BookFigures,
  type GreenGroup,
  type GreenReportDimension,
  type PeriodBounds,
  type StatPeriod,
  type ThreeNotLowerResult,
} from '../shared/domain/greenStatistics.ts';
import { HubError } from './errors.ts';
import type { Storage } from './storage.ts';

/**
 * Cross-branch green-credit statistics (issue 18): the green-credit report and 三个不低于 for the bank,
 * per branch and per county, computed from the rows the branches synced with the laptop's own
 * shared/domain functions (greenLoanBook.ts's definition of the book, greenStatistics.ts's figures
 * and tests). A branch's figures are its laptops' own; the bank's are the sum of its branches' (a
 * customer is a borrower of one branch: the same company borrowing at two branches counts twice, as
 * the branches' reports add). A county is the borrower's 区划, across branches.
 *
 * Computed by PostgreSQL over the typed read models the ledger keeps in the apply transaction
 * (server/readModels.ts, migration 0009): a 500,000-loan bank's book is never carried into the hub
 * (issue 18 acceptance 5, bench headoffice.green_report). statisticsOfBooks is the same statistics
 * over books in memory, the definition the SQL is tested against.
 */

export interface GreenGroupLine extends GreenGroup {
  name: string;
}

export interface HeadOfficeGreenReport {
  asOf: string;
  totals: { loans: number; customers: number; balance: number };
  book: { totalBalance: number; sharePercent: string | null };
  byCategory: GreenGroupLine[];
  byFocusGroup: GreenGroupLine[];
  byCounty: GreenGroupLine[];
  byClassification: GreenGroupLine[];
  /** 环境效益 (the bank's share), as the laptop's report gives it. */
  benefits: BenefitTotals;
}

export interface ThreeNotLowerLine extends ThreeNotLowerResult {
  figures: { base: BookFigures; end: BookFigures; lastYearBase: BookFigures; lastYearEnd: BookFigures };
}

export interface BranchStatistics {
  branchId: string;
  name: string;
  report: HeadOfficeGreenReport;
  threeNotLower: ThreeNotLowerLine;
}

export interface CountyStatistics {
  divisionCode: string;
  name: string;
  threeNotLower: ThreeNotLowerLine;
}

export interface HeadOfficeStatistics {
  period: PeriodBounds;
  lastYear: PeriodBounds;
  bank: { report: HeadOfficeGreenReport; threeNotLower: ThreeNotLowerLine };
  /** Ranked by green-loan balance at the period's end, then by name. */
  branches: BranchStatistics[];
  /** By 区划 code; '' holds loans whose borrower's file is not on record. */
  counties: CountyStatistics[];
}

const dimensions: Record<GreenReportDimension, keyof Pick<HeadOfficeGreenReport, 'byCategory' | 'byFocusGroup' | 'byCounty' | 'byClassification'>> = {
  category: 'byCategory',
  focusGroup: 'byFocusGroup',
  divisionCode: 'byCounty',
  classification: 'byClassification',
};

export type Namer = ReturnType<typeof groupNamer>;

/** The green report of one book as of a day, as the laptop's stats.greenReport counts it. */
export function greenReportOf(loans: readonly BookLoan[], day: string, names: Namer): HeadOfficeGreenReport {
  const green = greenLoansAsOf(loans, day);
  const balance = green.reduce((sum, loan) => sum + loan.balance, 0);
  const { totalBalance } = bookFigures(loans, day);
  const report = {
    asOf: day,
    totals: { loans: green.length, customers: new Set(green.map((loan) => loan.enterpriseId)).size, balance },
    book: { totalBalance, sharePercent: totalBalance === 0 ? null : percentText(BigInt(balance), BigInt(totalBalance)) },
    benefits: benefitsAsOf(loans, day),
  } as HeadOfficeGreenReport;
  for (const [dimension, field] of Object.entries(dimensions) as [GreenReportDimension, (typeof dimensions)[GreenReportDimension]][]) {
    report[field] = groupGreenLoans(green, dimension).map((group) => ({ ...group, name: names[dimension](group.key) }));
  }
  return report;
}

/** Reports of several books (branches) as one: totals and each group add up key by key. */
export function sumReports(reports: readonly HeadOfficeGreenReport[], day: string): HeadOfficeGreenReport {
  const totals = { loans: 0, customers: 0, balance: 0 };
  let totalBalance = 0;
  const sum = {} as Record<(typeof dimensions)[GreenReportDimension], Map<string, GreenGroupLine>>;
  for (const field of Object.values(dimensions)) sum[field] = new Map();
  for (const report of reports) {
    totals.loans += report.totals.loans;
    totals.customers += report.totals.customers;
    totals.balance += report.totals.balance;
    totalBalance += report.book.totalBalance;
    for (const field of Object.values(dimensions)) {
      for (const group of report[field]) {
        const line = sum[field].get(group.key);
        if (line === undefined) sum[field].set(group.key, { ...group });
        else Object.assign(line, { loans: line.loans + group.loans, customers: line.customers + group.customers, balance: line.balance + group.balance });
      }
    }
  }
  const groups = (field: (typeof dimensions)[GreenReportDimension]) => sortedGroups([...sum[field].values()]) as GreenGroupLine[];
  return {
    asOf: day,
    totals,
    book: { totalBalance, sharePercent: totalBalance === 0 ? null : percentText(BigInt(totals.balance), BigInt(totalBalance)) },
    byCategory: groups('byCategory'),
    byFocusGroup: groups('byFocusGroup'),
    byCounty: groups('byCounty'),
    byClassification: groups('byClassification'),
    benefits: addBenefits(reports.map((report) => report.benefits)),
  };
}

function threeNotLowerLine(figures: ThreeNotLowerLine['figures']): ThreeNotLowerLine {
  return { figures, ...threeNotLower(figures) };
}

function figuresOf(loans: readonly BookLoan[], period: PeriodBounds, lastYear: PeriodBounds): ThreeNotLowerLine['figures'] {
  return { base: bookFigures(loans, period.base), end: bookFigures(loans, period.end), lastYearBase: bookFigures(loans, lastYear.base), lastYearEnd: bookFigures(loans, lastYear.end) };
}

/** The reference sets the report reads, as head office publishes them (the laptops' shipped defaults until then). */
export async function publishedSets(storage: Storage): Promise<{ catalogueOf: (version: CatalogueVersion) => Catalogue; groupings: FocusIndustryGroupings }> {
  const names = [...catalogueVersions.map(catalogueReferenceSetName), 'focus-industries'];
  const rows = await storage.query<{ name: string; data: unknown }>('SELECT DISTINCT ON (name) name, data FROM reference_sets WHERE name = ANY($1::text[]) ORDER BY name, version DESC', [names]);
  const data = new Map(rows.map((row) => [row.name, row.data]));
  const catalogues = new Map(
    catalogueVersions.map((version) => {
      const published = publishedCatalogueSchema.safeParse(data.get(catalogueReferenceSetName(version)));
      return [version, catalogueWith(version, published.success ? published.data : undefined)];
    }),
  );
  const groupings = focusIndustryGroupingsSchema.safeParse(data.get('focus-industries'));
  return { catalogueOf: (version) => catalogues.get(version)!, groupings: groupings.success ? groupings.data : defaultFocusIndustryGroupings };
}

/** A book's loans, for statisticsOfBooks: one branch's (the definition over plain rows, greenLoanBook.ts bookLoans). */
export interface BranchBook {
  branchId: string;
  name: string;
  loans: BookLoan[];
}

function ranked(branches: BranchStatistics[]): BranchStatistics[] {
  return branches.sort((a, b) => b.report.totals.balance - a.report.totals.balance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function assembled(period: PeriodBounds, lastYear: PeriodBounds, branches: BranchStatistics[], counties: CountyStatistics[]): HeadOfficeStatistics {
  const bankFigures = (field: keyof ThreeNotLowerLine['figures']) => addFigures(branches.map((branch) => branch.threeNotLower.figures[field]));
  return {
    period,
    lastYear,
    bank: {
      report: sumReports(
        branches.map((branch) => branch.report),
        period.end,
      ),
      threeNotLower: threeNotLowerLine({ base: bankFigures('base'), end: bankFigures('end'), lastYearBase: bankFigures('lastYearBase'), lastYearEnd: bankFigures('lastYearEnd') }),
    },
    branches: ranked(branches),
    counties: counties.sort((a, b) => (a.divisionCode < b.divisionCode ? -1 : a.divisionCode > b.divisionCode ? 1 : 0)),
  };
}

/**
 * The statistics of books held in memory, each loan with its snapshots: the definition the read
 * model's SQL (headOfficeStatistics) is held to — server/testing/bookStatistics.ts feeds it the
 * branches' synced rows through greenLoanBook.ts bookLoans, and the tests compare the two.
 */
export function statisticsOfBooks(books: readonly BranchBook[], period: PeriodBounds, lastYear: PeriodBounds, names: Namer): HeadOfficeStatistics {
  const branches = books.map(({ branchId, name, loans }) => ({ branchId, name, report: greenReportOf(loans, period.end, names), threeNotLower: threeNotLowerLine(figuresOf(loans, period, lastYear)) }));
  const byCounty = new Map<string, BookLoan[]>();
  for (const { loans } of books) {
    for (const loan of loans) {
      let list = byCounty.get(loan.divisionCode);
      if (list === undefined) byCounty.set(loan.divisionCode, (list = []));
      list.push(loan);
    }
  }
  const counties = [...byCounty].map(([divisionCode, loans]) => ({ divisionCode, name: divisionPlace(divisionCode) ?? '', threeNotLower: threeNotLowerLine(figuresOf(loans, period, lastYear)) }));
  return assembled(period, lastYear, branches, counties);
}

/** The period's four days, in the order of ThreeNotLowerLine's figures, and (fifth) the latest day: every series' newest snapshot. */
const figureDays = ['base', 'end', 'lastYearBase', 'lastYearEnd'] as const;
const LATEST = '9999-12-30';

interface FigureRow {
  kind: 'branch' | 'county' | 'category' | 'focusGroup' | 'divisionCode' | 'classification' | 'benefits';
  day: number;
  /** The branch (kind branch and the groups) or the county (kind county). */
  owner: string;
  /** The group's key (the groups), else ''. */
  key: string;
  total: number | string;
  loans: number | string;
  customers: number | string;
  balance: number | string;
  /** kind benefits: not_computed, and per figure column its share in units (text) and loans. */
  benefits: Record<string, string | number> | null;
}

/**
 * The book of every branch (or the branches asked for) as of the period's days, aggregated by
 * PostgreSQL over the read models (migration 0009): the snapshots standing on a day (as_of <= day <
 * until, snapshotAsOf's pick), each with its loan's category — its oldest live tag's, when that is
 * confirmed, confirmed by someone, names a code and holds evidence, and the catalogue counts the code
 * green ($3: the green (version, code) pairs with their category) — and its borrower's customer key,
 * focus group and county (greenLoanBook.ts bookLoans, in SQL). Per day: each branch's and county's
 * 各项贷款余额 and green figures (customers counted per branch, per county); on the end day each
 * branch's green groups and its share of the environmental benefits (greenLoanBook.ts benefitsAsOf in
 * SQL: the green loans standing with a balance above 0 whose oldest live tag gives figures; a loan
 * without a usable investment (none, 0, or below the balance) is counted as not computed; otherwise
 * each figure adds figure × balance ÷ investment in 1/10 000 of its unit, rounded half up exactly as
 * environmentalBenefit.ts shareUnits rounds it: numeric's div is exact). The latest day only names
 * the counties that have a series (as the books do). One pass over the tags and the standing
 * snapshots serves every figure: a second aggregate for the benefits repeated both and doubled the report.
 */
const figureColumns = benefitIndicators.map((indicator) => benefitColumns[indicator]);
const anyFigure = (alias: string) => `(${figureColumns.map((column) => `${alias}${column} IS NOT NULL`).join(' OR ')})`;
const BOOK_FIGURES = `
WITH first_tags AS (
  SELECT DISTINCT ON (t.branch_id, t.owner_id) t.branch_id, t.owner_id, t.status, t.confirmed_by, t.catalogue_version, t.catalogue_code, t.has_evidence,
         t.project_total_investment_fen AS investment, ${figureColumns.map((column) => `t.${column}`).join(', ')}
  FROM rm_green_tags t
  WHERE NOT t.deleted AND t.owner_type = 'loan' AND ($4::uuid[] IS NULL OR t.branch_id = ANY($4::uuid[]))
  ORDER BY t.branch_id, t.owner_id, t.created_at COLLATE "C", t.tag_id
), green AS (
  SELECT f.branch_id, f.owner_id AS loan_id, g.category, f.investment, ${figureColumns.map((column) => `f.${column}`).join(', ')}
  FROM first_tags f JOIN jsonb_to_recordset($3::jsonb) AS g(version text, code text, category text) ON g.version = f.catalogue_version AND g.code = f.catalogue_code
  WHERE f.status = 'confirmed' AND f.confirmed_by IS NOT NULL AND f.has_evidence
), loans AS (
  SELECT l.branch_id, l.loan_id::text AS loan_id, gr.category, gr.investment, ${figureColumns.map((column) => `gr.${column}`).join(', ')}, e.enterprise_id::text AS enterprise_id, e.focus_group, e.division_code
  FROM rm_loans l
  LEFT JOIN green gr ON gr.branch_id = l.branch_id AND gr.loan_id = l.loan_id::text
  LEFT JOIN rm_enterprises e ON e.branch_id = l.branch_id AND e.enterprise_id::text = l.enterprise_id
  WHERE NOT l.deleted AND ($4::uuid[] IS NULL OR l.branch_id = ANY($4::uuid[]))
), book AS MATERIALIZED (
  SELECT d.i AS day, s.branch_id::text AS branch_id, s.balance_fen AS balance, s.classification, lo.category, lo.investment, ${figureColumns.map((column) => `lo.${column}`).join(', ')},
         COALESCE(lo.enterprise_id, 'loan:' || s.loan_id) AS customer, COALESCE(lo.focus_group, '') AS focus_group, COALESCE(lo.division_code, '') AS division_code
  FROM jsonb_to_recordset($1::jsonb) AS d(i int, day text, untils text[])
  JOIN rm_loan_snapshots s ON s.until COLLATE "C" = ANY(d.untils) AND s.as_of COLLATE "C" <= d.day AND NOT s.deleted
  LEFT JOIN loans lo ON lo.branch_id = s.branch_id AND lo.loan_id = s.loan_id
  WHERE $4::uuid[] IS NULL OR s.branch_id = ANY($4::uuid[])
), green_book AS MATERIALIZED (
  SELECT * FROM book WHERE category IS NOT NULL AND balance > 0 AND day <> $2
), per_customer AS MATERIALIZED (
  -- each customer once per branch and day, with their loans and balance (customers are counted, not summed)
  SELECT day, branch_id, division_code, customer, category, focus_group, classification, count(*) AS loans, sum(balance) AS balance
  FROM green_book GROUP BY day, branch_id, division_code, customer, category, focus_group, classification
)
SELECT 'branch' AS kind, day, branch_id AS owner, '' AS key, sum(balance)::bigint AS total, 0 AS loans, 0 AS customers, 0 AS balance, NULL::jsonb AS benefits FROM book WHERE day <> $2 GROUP BY day, branch_id
UNION ALL SELECT 'county', day, division_code, '', sum(balance)::bigint, 0, 0, 0, NULL FROM book GROUP BY day, division_code
UNION ALL SELECT 'branch', day, branch_id, 'green', 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT day, branch_id, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer GROUP BY day, branch_id, customer) c GROUP BY day, branch_id
UNION ALL SELECT 'county', day, division_code, 'green', 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT day, division_code, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer GROUP BY day, division_code, customer) c GROUP BY day, division_code
UNION ALL SELECT 'category', 2, branch_id, category, 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT branch_id, category, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer WHERE day = 2 GROUP BY branch_id, category, customer) c GROUP BY branch_id, category
UNION ALL SELECT 'focusGroup', 2, branch_id, focus_group, 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT branch_id, focus_group, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer WHERE day = 2 GROUP BY branch_id, focus_group, customer) c GROUP BY branch_id, focus_group
UNION ALL SELECT 'divisionCode', 2, branch_id, division_code, 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT branch_id, division_code, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer WHERE day = 2 GROUP BY branch_id, division_code, customer) c GROUP BY branch_id, division_code
UNION ALL SELECT 'classification', 2, branch_id, classification, 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT branch_id, classification, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer WHERE day = 2 GROUP BY branch_id, classification, customer) c GROUP BY branch_id, classification
UNION ALL SELECT 'benefits', 2, branch_id, '', 0, 0, 0, 0, jsonb_build_object('not_computed', count(*) FILTER (WHERE NOT computable),
  ${figureColumns
    .map(
      (column) =>
        `'${column}_units', coalesce(sum(div(${column} * balance * 20000 + investment, 2 * investment::numeric)) FILTER (WHERE computable AND ${column} IS NOT NULL), 0)::text, '${column}_loans', count(*) FILTER (WHERE computable AND ${column} IS NOT NULL)`,
    )
    .join(',\n  ')})
  FROM (SELECT *, (investment IS NOT NULL AND investment > 0 AND balance <= investment) AS computable FROM green_book WHERE day = 2 AND ${anyFigure('')}) g GROUP BY branch_id`;

/**
 * Every distinct `until` of the live snapshots, by a skip scan of the book index (one probe per
 * value: the month ends and NO_END). The book as of D then reads, per until above D, only the rows
 * with as_of <= D — never the range until > D, which walks every snapshot after D as well (for a day
 * before a bank's first snapshot, the whole book for nothing), as the laptop's book does (migration 0032).
 */
async function snapshotUntils(storage: Storage): Promise<string[]> {
  const rows = await storage.query<{ until: string }>(
    `WITH RECURSIVE u(until) AS (
       SELECT min(until COLLATE "C") FROM rm_loan_snapshots WHERE NOT deleted
       UNION ALL SELECT (SELECT min(until COLLATE "C") FROM rm_loan_snapshots WHERE NOT deleted AND until COLLATE "C" > u.until) FROM u WHERE u.until IS NOT NULL)
     SELECT until FROM u WHERE until IS NOT NULL`,
  );
  return rows.map((row) => row.until);
}

/** The green (catalogue version, code) pairs the branches' confirmed loan tags name, with their report category. */
async function greenCodes(storage: Storage, categories: TagCategories, branchIds: readonly string[] | null): Promise<{ version: string; code: string; category: string }[]> {
  const pairs = await storage.query<{ version: string; code: string }>(
    `SELECT DISTINCT catalogue_version AS version, catalogue_code AS code FROM rm_green_tags
     WHERE NOT deleted AND owner_type = 'loan' AND status = 'confirmed' AND catalogue_code IS NOT NULL AND ($1::uuid[] IS NULL OR branch_id = ANY($1::uuid[]))`,
    [branchIds],
  );
  return pairs.flatMap(({ version, code }) => {
    const category = categories.categoryOf(version, code);
    return category === null ? [] : [{ version, code, category }];
  });
}

/**
 * The bank's statistics for an ended period: the green report as of its last day and 三个不低于
 * against the same period last year, for the bank, each branch and each county. A running period is
 * refused as on the laptop (its figures would move until its last day).
 */
export async function headOfficeStatistics(storage: Storage, input: StatPeriod, options: { branchIds?: readonly string[] | undefined; now?: Date } = {}): Promise<HeadOfficeStatistics> {
  const now = options.now ?? new Date();
  const period = periodBounds(input);
  if (period.end >= shanghaiDate(now)) throw new HubError('VALIDATION', `统计期 ${input.key} 尚未结束（${period.end} 为最后一天），结束后才能出具报表`, { reason: 'PERIOD_NOT_ENDED', end: period.end });
  const lastYear = periodBounds(samePeriodLastYear(input));
  const { catalogueOf, groupings } = await publishedSets(storage);
  const names = groupNamer(catalogueOf, groupings);
  const scope = options.branchIds === undefined ? null : [...options.branchIds];
  const branchRows = await storage.query<{ branch_id: string; name: string }>(
    `SELECT branch_id::text AS branch_id, name FROM branches ${scope === null ? '' : 'WHERE branch_id = ANY($1::uuid[])'} ORDER BY name`,
    scope === null ? [] : [scope],
  );
  const codes = await greenCodes(storage, new TagCategories(catalogueOf), scope);
  const days = [period.base, period.end, lastYear.base, lastYear.end, LATEST];
  const untils = await snapshotUntils(storage);
  const dayList = days.map((day, i) => ({ i: i + 1, day, untils: untils.filter((until) => until > day) }));
  const rows = await storage.query<FigureRow>(BOOK_FIGURES, [JSON.stringify(dayList), days.length, JSON.stringify(codes), scope]);

  const emptyFigures = (): ThreeNotLowerLine['figures'] => ({ base: { ...noFigures }, end: { ...noFigures }, lastYearBase: { ...noFigures }, lastYearEnd: { ...noFigures } });
  const branchFigures = new Map(branchRows.map((branch) => [branch.branch_id, emptyFigures()]));
  const countyFigures = new Map<string, ThreeNotLowerLine['figures']>();
  const groups = new Map<string, Record<GreenReportDimension, GreenGroupLine[]>>();
  const benefits = new Map<string, BenefitTotals>();
  for (const row of rows) {
    if (row.kind === 'benefits') {
      const sums = row.benefits!;
      benefits.set(row.owner, {
        totals: benefitIndicators.map((indicator) => ({ indicator, total: quantityOfUnits(BigInt(sums[`${benefitColumns[indicator]}_units`]!)), loans: Number(sums[`${benefitColumns[indicator]}_loans`]) })),
        notComputed: Number(sums.not_computed),
      });
      continue;
    }
    if (row.kind === 'branch' || row.kind === 'county') {
      let held = row.kind === 'branch' ? branchFigures.get(row.owner) : countyFigures.get(row.owner);
      if (held === undefined && row.kind === 'county') countyFigures.set(row.owner, (held = emptyFigures()));
      if (held === undefined || row.day > figureDays.length) continue;
      const figures = held[figureDays[row.day - 1]!];
      if (row.key === 'green') Object.assign(figures, { greenLoans: Number(row.loans), greenCustomers: Number(row.customers), greenBalance: Number(row.balance) });
      else figures.totalBalance = Number(row.total);
      continue;
    }
    let lines = groups.get(row.owner);
    if (lines === undefined) groups.set(row.owner, (lines = { category: [], focusGroup: [], divisionCode: [], classification: [] }));
    lines[row.kind].push({ key: row.key, name: names[row.kind](row.key), loans: Number(row.loans), customers: Number(row.customers), balance: Number(row.balance) });
  }

  const branches = branchRows.map(({ branch_id: branchId, name }) => {
    const figures = branchFigures.get(branchId)!;
    const lines = groups.get(branchId);
    const line = (dimension: GreenReportDimension) => sortedGroups(lines?.[dimension] ?? []) as GreenGroupLine[];
    const { totalBalance, greenBalance, greenLoans, greenCustomers } = figures.end;
    const report: HeadOfficeGreenReport = {
      asOf: period.end,
      totals: { loans: greenLoans, customers: greenCustomers, balance: greenBalance },
      book: { totalBalance, sharePercent: totalBalance === 0 ? null : percentText(BigInt(greenBalance), BigInt(totalBalance)) },
      byCategory: line('category'),
      byFocusGroup: line('focusGroup'),
      byCounty: line('divisionCode'),
      byClassification: line('classification'),
      benefits: benefits.get(branchId) ?? noBenefitTotals(),
    };
    return { branchId, name, report, threeNotLower: threeNotLowerLine(figures) };
  });
  const counties = [...countyFigures].map(([divisionCode, figures]) => ({ divisionCode, name: divisionPlace(divisionCode) ?? '', threeNotLower: threeNotLowerLine(figures) }));
  return assembled(period, lastYear, branches, counties);
}
