import { createHash } from 'node:crypto';
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
import type { Sql, Storage } from './storage.ts';

/**
 * Cross-branch green-credit statistics (issue 18): the green-credit report and 三个不低于 for the bank,
 * per branch and per county, computed from the rows the branches synced with the laptop's own
 * shared/domain functions (greenLoanBook.ts's definition of the book, greenStatistics.ts's figures
 * and tests). A branch's figures are its laptops' own; the bank's are the sum of its branches' (a
 * customer is a borrower of one branch: the same company borrowing at two branches counts twice, as
 * the branches' reports add). A county is the borrower's 区划, across branches: its figures are its
 * branches' figures there, added the same way.
 *
 * Computed by PostgreSQL over the typed read models the ledger keeps in the apply transaction
 * (server/readModels.ts, migration 0009), per branch, and kept per branch and day in
 * rm_branch_figures (migration 0010) by the same transaction (refreshBranchFigures): the report reads
 * 2,000 branches' kept rows instead of aggregating a 500,000-loan book (issue 18 acceptance 5, bench
 * headoffice.green_report). statisticsOfBooks is the same statistics
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
export async function publishedSets(sql: Sql): Promise<{ catalogueOf: (version: CatalogueVersion) => Catalogue; groupings: FocusIndustryGroupings; catalogueKey: string }> {
  const names = [...catalogueVersions.map(catalogueReferenceSetName), 'focus-industries'];
  const rows = await sql.query<{ name: string; version: number; data: unknown }>('SELECT DISTINCT ON (name) name, version, data FROM reference_sets WHERE name = ANY($1::text[]) ORDER BY name, version DESC', [names]);
  const data = new Map(rows.map((row) => [row.name, row.data]));
  const catalogues = new Map(
    catalogueVersions.map((version) => {
      const published = publishedCatalogueSchema.safeParse(data.get(catalogueReferenceSetName(version)));
      return [version, catalogueWith(version, published.success ? published.data : undefined)];
    }),
  );
  const groupings = focusIndustryGroupingsSchema.safeParse(data.get('focus-industries'));
  const versions = rows.filter((row) => row.name !== 'focus-industries').map((row) => `${row.name}@${row.version}`).join(',');
  let catalogueKey = catalogueKeys.get(versions);
  if (catalogueKey === undefined) {
    catalogueKey = createHash('sha256').update(JSON.stringify(catalogueVersions.map((version) => catalogues.get(version)))).digest('hex').slice(0, 32);
    catalogueKeys.set(versions, catalogueKey);
  }
  return { catalogueOf: (version) => catalogues.get(version)!, groupings: groupings.success ? groupings.data : defaultFocusIndustryGroupings, catalogueKey };
}

/**
 * The catalogues' fingerprint by the published versions: the kept figures' categories are the
 * catalogues' (refreshBranchFigures), so figures kept under other catalogues — published since, or
 * the shipped defaults of another hub release (hashed once per process) — are derived anew.
 */
const catalogueKeys = new Map<string, string>();

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
  // A county's figures: each branch's there, added (a customer is a borrower of one branch, as for the bank).
  const byCounty = new Map<string, ThreeNotLowerLine['figures'][]>();
  for (const { loans } of books) {
    const inBranch = new Map<string, BookLoan[]>();
    for (const loan of loans) {
      let list = inBranch.get(loan.divisionCode);
      if (list === undefined) inBranch.set(loan.divisionCode, (list = []));
      list.push(loan);
    }
    for (const [divisionCode, list] of inBranch) byCounty.set(divisionCode, [...(byCounty.get(divisionCode) ?? []), figuresOf(list, period, lastYear)]);
  }
  const counties = [...byCounty].map(([divisionCode, figures]) => {
    const added = (field: keyof ThreeNotLowerLine['figures']) => addFigures(figures.map((line) => line[field]));
    return { divisionCode, name: divisionPlace(divisionCode) ?? '', threeNotLower: threeNotLowerLine({ base: added('base'), end: added('end'), lastYearBase: added('lastYearBase'), lastYearEnd: added('lastYearEnd') }) };
  });
  return assembled(period, lastYear, branches, counties);
}

/** The period's four days, in the order of ThreeNotLowerLine's figures. */
const figureDays = ['base', 'end', 'lastYearBase', 'lastYearEnd'] as const;
/** A day after every snapshot: each branch's newest figures, which name the counties that have a series (as the books do). */
const LATEST = '9999-12-30';

interface FigureRow {
  kind: 'branch' | 'county' | GreenReportDimension | 'benefits';
  /** The index of the day in the days asked for. */
  day: number;
  /** The county (kind county), else ''. */
  owner: string;
  /** 'green' for the green figures (kinds branch and county), the group's key (the groups), else ''. */
  key: string;
  total: number | string;
  loans: number | string;
  customers: number | string;
  balance: number | string;
  /** kind benefits: not_computed, and per figure column its share in units (text) and loans. */
  benefits: Record<string, string | number> | null;
}

/**
 * One branch's book as of some days, aggregated by PostgreSQL over the read models (migration
 * 0009): the snapshots standing on a day (as_of <= day < until, snapshotAsOf's pick), each with its
 * loan's category — its oldest live tag's, when that is confirmed, confirmed by someone, names a code
 * and holds evidence, and the catalogue counts the code green ($3: the green (version, code) pairs
 * with their category) — and its borrower's customer key, focus group and county (greenLoanBook.ts
 * bookLoans, in SQL). Per day: the branch's 各项贷款余额 and green figures, the same per county,
 * its green groups and its share of the environmental benefits (greenLoanBook.ts benefitsAsOf in
 * SQL: the green loans standing with a balance above 0 whose oldest live tag gives figures; a loan
 * without a usable investment (none, 0, or below the balance) is counted as not computed; otherwise
 * each figure adds figure × balance ÷ investment in 1/10 000 of its unit, rounded half up exactly as
 * environmentalBenefit.ts shareUnits rounds it: numeric's div is exact). One pass over the tags and
 * the standing snapshots serves every figure.
 */
const figureColumns = benefitIndicators.map((indicator) => benefitColumns[indicator]);
const anyFigure = (alias: string) => `(${figureColumns.map((column) => `${alias}${column} IS NOT NULL`).join(' OR ')})`;
const groupSelect = (kind: GreenReportDimension, column: string) =>
  `UNION ALL SELECT '${kind}', day, '', ${column}, 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT day, ${column}, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer GROUP BY day, ${column}, customer) c GROUP BY day, ${column}`;
const BRANCH_FIGURES = `
WITH first_tags AS (
  SELECT DISTINCT ON (t.owner_id) t.owner_id, t.status, t.confirmed_by, t.catalogue_version, t.catalogue_code, t.has_evidence,
         t.project_total_investment_fen AS investment, ${figureColumns.map((column) => `t.${column}`).join(', ')}
  FROM rm_green_tags t
  WHERE t.branch_id = $1 AND NOT t.deleted AND t.owner_type = 'loan'
  ORDER BY t.owner_id, t.created_at COLLATE "C", t.tag_id
), green AS (
  SELECT f.owner_id AS loan_id, g.category, f.investment, ${figureColumns.map((column) => `f.${column}`).join(', ')}
  FROM first_tags f JOIN jsonb_to_recordset($3::jsonb) AS g(version text, code text, category text) ON g.version = f.catalogue_version AND g.code = f.catalogue_code
  WHERE f.status = 'confirmed' AND f.confirmed_by IS NOT NULL AND f.has_evidence
), loans AS (
  SELECT l.loan_id::text AS loan_id, gr.category, gr.investment, ${figureColumns.map((column) => `gr.${column}`).join(', ')}, e.enterprise_id::text AS enterprise_id, e.focus_group, e.division_code
  FROM rm_loans l
  LEFT JOIN green gr ON gr.loan_id = l.loan_id::text
  LEFT JOIN rm_enterprises e ON e.branch_id = l.branch_id AND e.enterprise_id::text = l.enterprise_id
  WHERE l.branch_id = $1 AND NOT l.deleted
), book AS MATERIALIZED (
  SELECT d.i AS day, s.balance_fen AS balance, s.classification, lo.category, lo.investment, ${figureColumns.map((column) => `lo.${column}`).join(', ')},
         COALESCE(lo.enterprise_id, 'loan:' || s.loan_id) AS customer, COALESCE(lo.focus_group, '') AS focus_group, COALESCE(lo.division_code, '') AS division_code
  FROM jsonb_to_recordset($2::jsonb) AS d(i int, day text)
  JOIN rm_loan_snapshots s ON s.branch_id = $1 AND NOT s.deleted AND s.as_of COLLATE "C" <= d.day AND s.until COLLATE "C" > d.day
  LEFT JOIN loans lo ON lo.loan_id = s.loan_id
), green_book AS MATERIALIZED (
  SELECT * FROM book WHERE category IS NOT NULL AND balance > 0
), per_customer AS MATERIALIZED (
  -- each customer once per day, with their loans and balance (customers are counted, not summed)
  SELECT day, division_code, customer, category, focus_group, classification, count(*) AS loans, sum(balance) AS balance
  FROM green_book GROUP BY day, division_code, customer, category, focus_group, classification
)
SELECT 'branch' AS kind, day, '' AS owner, '' AS key, sum(balance)::bigint AS total, 0 AS loans, 0 AS customers, 0 AS balance, NULL::jsonb AS benefits FROM book GROUP BY day
UNION ALL SELECT 'county', day, division_code, '', sum(balance)::bigint, 0, 0, 0, NULL FROM book GROUP BY day, division_code
UNION ALL SELECT 'branch', day, '', 'green', 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT day, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer GROUP BY day, customer) c GROUP BY day
UNION ALL SELECT 'county', day, division_code, 'green', 0, sum(n)::bigint, count(*), sum(b)::bigint, NULL
  FROM (SELECT day, division_code, customer, sum(loans) AS n, sum(balance) AS b FROM per_customer GROUP BY day, division_code, customer) c GROUP BY day, division_code
${groupSelect('category', 'category')}
${groupSelect('focusGroup', 'focus_group')}
${groupSelect('divisionCode', 'division_code')}
${groupSelect('classification', 'classification')}
UNION ALL SELECT 'benefits', day, '', '', 0, 0, 0, 0, jsonb_build_object('not_computed', count(*) FILTER (WHERE NOT computable),
  ${figureColumns
    .map(
      (column) =>
        `'${column}_units', coalesce(sum(div(${column} * balance * 20000 + investment, 2 * investment::numeric)) FILTER (WHERE computable AND ${column} IS NOT NULL), 0)::text, '${column}_loans', count(*) FILTER (WHERE computable AND ${column} IS NOT NULL)`,
    )
    .join(',\n  ')})
  FROM (SELECT *, (investment IS NOT NULL AND investment > 0 AND balance <= investment) AS computable FROM green_book WHERE ${anyFigure('')}) g GROUP BY day`;

/** The green (catalogue version, code) pairs a branch's confirmed loan tags name, with their report category. */
async function greenCodes(sql: Sql, categories: TagCategories, branchId: string): Promise<{ version: string; code: string; category: string }[]> {
  const pairs = await sql.query<{ version: string; code: string }>(
    `SELECT DISTINCT catalogue_version AS version, catalogue_code AS code FROM rm_green_tags
     WHERE branch_id = $1 AND NOT deleted AND owner_type = 'loan' AND status = 'confirmed' AND catalogue_code IS NOT NULL`,
    [branchId],
  );
  return pairs.flatMap(({ version, code }) => {
    const category = categories.categoryOf(version, code);
    return category === null ? [] : [{ version, code, category }];
  });
}

/**
 * A branch's figures on a day as rm_branch_figures keeps them (migration 0010): `branch` is
 * [各项贷款余额, green loans, green customers, green balance], `counties` the same per county
 * (prefixed by its code), `groups` [dimension, key, loans, customers, balance], `benefits` the SQL's
 * sums (null: no green loan with figures).
 */
interface DayFigures {
  branch: [number, number, number, number];
  counties: [string, number, number, number, number][];
  groups: [GreenReportDimension, string, number, number, number][];
  benefits: Record<string, string | number> | null;
}

function dayFigures(rows: readonly FigureRow[]): DayFigures {
  const figures: DayFigures = { branch: [0, 0, 0, 0], counties: [], groups: [], benefits: null };
  const counties = new Map<string, DayFigures['counties'][number]>();
  // [total, loans, customers, balance] at `at` in `line`: the total from the plain row, the rest from the green one
  const set = (line: (string | number)[], at: number, row: FigureRow) => {
    if (row.key === 'green') line.splice(at + 1, 3, Number(row.loans), Number(row.customers), Number(row.balance));
    else line[at] = Number(row.total);
  };
  for (const row of rows) {
    if (row.kind === 'benefits') figures.benefits = row.benefits;
    else if (row.kind === 'branch') set(figures.branch, 0, row);
    else if (row.kind === 'county') {
      let county = counties.get(row.owner);
      if (county === undefined) counties.set(row.owner, (county = [row.owner, 0, 0, 0, 0]));
      set(county, 1, row);
    } else figures.groups.push([row.kind, row.key, Number(row.loans), Number(row.customers), Number(row.balance)]);
  }
  figures.counties = [...counties.values()];
  return figures;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** The last day of each month from `first`'s on, up to (not including) `last`. */
function monthEnds(first: string, last: string): string[] {
  const days: string[] = [];
  for (let year = Number(first.slice(0, 4)), month = Number(first.slice(5, 7)); ; month += 1) {
    if (month > 12) [year, month] = [year + 1, 1];
    const day = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    if (day >= last) return days;
    if (day >= first) days.push(day);
  }
}

/**
 * Keeps rm_branch_figures (migration 0010) true for one branch after its read models changed on the
 * days from `changedFrom` on (null: every day — a tag, a loan or a borrower's county changed, or the
 * catalogue), inside the caller's transaction, which holds the branch (the apply's lock).
 *
 * A branch's book only moves on a day some live snapshot of it starts, so the figures of a day are
 * those of the latest key on or before it, where the keys are every month end from the branch's
 * first live snapshot up to its last one, and that last as_of itself (every day after it has the
 * book of its newest snapshots, LATEST too); before the first there is nothing. A period's days are
 * month ends, so a report reads one kept row per branch and day. A change on day X re-derives the
 * keys from the least of X, the last kept key and the new last as_of (so the keys above stay exactly
 * the branch's current ones), and leaves the rows below untouched: no snapshot below X changed.
 */
export async function refreshBranchFigures(sql: Sql, branchId: string, changedFrom: string | null): Promise<void> {
  const [span] = await sql.query<{ first: string | null; last: string | null; kept: string | null }>(
    `SELECT (SELECT min(as_of COLLATE "C") FROM rm_loan_snapshots WHERE branch_id = $1 AND NOT deleted) AS first,
            (SELECT max(as_of COLLATE "C") FROM rm_loan_snapshots WHERE branch_id = $1 AND NOT deleted) AS last,
            (SELECT max(from_day) FROM rm_branch_figures WHERE branch_id = $1) AS kept`,
    [branchId],
  );
  const { first, last, kept } = span!;
  const from = changedFrom === null ? '' : [changedFrom, last ?? changedFrom, kept ?? changedFrom].reduce((a, b) => (a < b ? a : b));
  await sql.query('DELETE FROM rm_branch_figures WHERE branch_id = $1 AND from_day >= $2', [branchId, from]);
  if (first === null || last === null || last < from) return;
  let days: string[];
  if (isoDay.test(first) && isoDay.test(last)) days = [...monthEnds(first > from ? first : from, last), last];
  else {
    // a series with an as_of that is not a day (the hub's rules refuse one; old rows may hold it): every as_of is a key
    const rows = await sql.query<{ as_of: string }>('SELECT DISTINCT as_of COLLATE "C" AS as_of FROM rm_loan_snapshots WHERE branch_id = $1 AND NOT deleted AND as_of COLLATE "C" >= $2', [branchId, from]);
    days = rows.map((row) => row.as_of);
  }
  if (days.length === 0) return;
  const { catalogueOf, catalogueKey } = await publishedSets(sql);
  const codes = await greenCodes(sql, new TagCategories(catalogueOf), branchId);
  const rows = await sql.query<FigureRow>(BRANCH_FIGURES, [branchId, JSON.stringify(days.map((day, i) => ({ i, day }))), JSON.stringify(codes)]);
  const byDay = days.map((): FigureRow[] => []);
  for (const row of rows) byDay[row.day]!.push(row);
  await sql.query(
    `INSERT INTO rm_branch_figures (branch_id, from_day, catalogue, branch, counties, groups, benefits)
     SELECT $1, r.from_day, $2, r.branch, r.counties, r.groups, r.benefits FROM jsonb_to_recordset($3::jsonb) AS r(from_day text, branch jsonb, counties jsonb, groups jsonb, benefits jsonb)`,
    [branchId, catalogueKey, JSON.stringify(days.map((day, i) => ({ from_day: day, ...dayFigures(byDay[i]!) })))],
  );
}

/** Every branch's kept figures derived anew (migration 0010's code step; the bench's seeded bank), branch by branch. */
export async function backfillBranchFigures(sql: Sql): Promise<void> {
  const branches = await sql.query<{ branch_id: string }>('SELECT branch_id::text AS branch_id FROM branch_sync ORDER BY branch_id');
  for (const { branch_id: branchId } of branches) await refreshBranchFigures(sql, branchId, null);
}

interface KeptRow {
  day: number;
  branch_id: string;
  catalogue: string;
  branch: DayFigures['branch'];
  counties: DayFigures['counties'];
  groups: DayFigures['groups'] | null;
  benefits: DayFigures['benefits'];
}

/**
 * Each branch's kept figures on each day: the row of the latest key on or before the day
 * (refreshBranchFigures), one index probe per branch and day. The days are a VALUES list: a set
 * function's guess of 100 rows made the plan look costly enough for JIT, whose compilation took
 * 200 of the query's 280 ms.
 */
async function keptFigures(storage: Storage, days: readonly string[], scope: string[] | null): Promise<KeptRow[]> {
  return storage.query<KeptRow>(
    `SELECT d.i AS day, b.branch_id::text AS branch_id, f.catalogue, f.branch, f.counties, CASE WHEN d.i = 2 THEN f.groups END AS groups, CASE WHEN d.i = 2 THEN f.benefits END AS benefits
     FROM branches b CROSS JOIN (VALUES ${days.map((_, i) => `(${i + 1}, $${i + 2}::text)`).join(', ')}) AS d(i, day)
     CROSS JOIN LATERAL (SELECT * FROM rm_branch_figures f WHERE f.branch_id = b.branch_id AND f.from_day <= d.day ORDER BY f.from_day DESC LIMIT 1) f
     WHERE $1::uuid[] IS NULL OR b.branch_id = ANY($1::uuid[])`,
    [scope, ...days],
  );
}

/**
 * The bank's statistics for an ended period: the green report as of its last day and 三个不低于
 * against the same period last year, for the bank, each branch and each county. A running period is
 * refused as on the laptop (its figures would move until its last day). Read from each branch's
 * kept figures (refreshBranchFigures); a branch kept under another catalogue is derived anew first,
 * under its lock as the apply holds it.
 */
export async function headOfficeStatistics(storage: Storage, input: StatPeriod, options: { branchIds?: readonly string[] | undefined; now?: Date } = {}): Promise<HeadOfficeStatistics> {
  const now = options.now ?? new Date();
  const period = periodBounds(input);
  if (period.end >= shanghaiDate(now)) throw new HubError('VALIDATION', `统计期 ${input.key} 尚未结束（${period.end} 为最后一天），结束后才能出具报表`, { reason: 'PERIOD_NOT_ENDED', end: period.end });
  const lastYear = periodBounds(samePeriodLastYear(input));
  const { catalogueOf, groupings, catalogueKey } = await publishedSets(storage);
  const names = groupNamer(catalogueOf, groupings);
  const scope = options.branchIds === undefined ? null : [...options.branchIds];
  const branchRows = await storage.query<{ branch_id: string; name: string }>(
    `SELECT branch_id::text AS branch_id, name FROM branches ${scope === null ? '' : 'WHERE branch_id = ANY($1::uuid[])'} ORDER BY name`,
    scope === null ? [] : [scope],
  );
  // period ends and the days before period starts: month ends, as the kept keys are (refreshBranchFigures)
  const days = [period.base, period.end, lastYear.base, lastYear.end, LATEST];
  let rows = await keptFigures(storage, days, scope);
  const stale = [...new Set(rows.filter((row) => row.catalogue !== catalogueKey).map((row) => row.branch_id))];
  if (stale.length > 0) {
    for (const branchId of stale) {
      await storage.transaction(async (tx) => {
        await tx.query('SELECT branch_id FROM branch_sync WHERE branch_id = $1 FOR UPDATE', [branchId]);
        await refreshBranchFigures(tx, branchId, null);
      });
    }
    rows = await keptFigures(storage, days, scope);
  }

  const emptyFigures = (): ThreeNotLowerLine['figures'] => ({ base: { ...noFigures }, end: { ...noFigures }, lastYearBase: { ...noFigures }, lastYearEnd: { ...noFigures } });
  const branchFigures = new Map(branchRows.map((branch) => [branch.branch_id, emptyFigures()]));
  const countyFigures = new Map<string, ThreeNotLowerLine['figures']>();
  const groups = new Map<string, Record<GreenReportDimension, GreenGroupLine[]>>();
  const benefits = new Map<string, BenefitTotals>();
  const add = (figures: BookFigures, [total, loans, customers, balance]: readonly number[]) => {
    figures.totalBalance += total!;
    figures.greenLoans += loans!;
    figures.greenCustomers += customers!;
    figures.greenBalance += balance!;
  };
  for (const row of rows) {
    const held = branchFigures.get(row.branch_id);
    if (held === undefined) continue;
    // A county's figures are its branches' there added (a customer is a borrower of one branch, as for the bank).
    for (const [divisionCode, ...figures] of row.counties) {
      let county = countyFigures.get(divisionCode);
      if (county === undefined) countyFigures.set(divisionCode, (county = emptyFigures()));
      if (row.day <= figureDays.length) add(county[figureDays[row.day - 1]!], figures);
    }
    if (row.day > figureDays.length) continue; // LATEST: only names the counties
    add(held[figureDays[row.day - 1]!], row.branch);
    if (row.groups !== null) {
      const lines: Record<GreenReportDimension, GreenGroupLine[]> = { category: [], focusGroup: [], divisionCode: [], classification: [] };
      for (const [dimension, key, loans, customers, balance] of row.groups) lines[dimension].push({ key, name: names[dimension](key), loans, customers, balance });
      groups.set(row.branch_id, lines);
    }
    const sums = row.benefits;
    if (sums !== null) {
      benefits.set(row.branch_id, {
        totals: benefitIndicators.map((indicator) => ({ indicator, total: quantityOfUnits(BigInt(sums[`${benefitColumns[indicator]}_units`]!)), loans: Number(sums[`${benefitColumns[indicator]}_loans`]) })),
        notComputed: Number(sums.not_computed),
      });
    }
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
