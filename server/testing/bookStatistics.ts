import { periodBounds, samePeriodLastYear, type StatPeriod } from '../../shared/domain/greenStatistics.ts';
import { benefitColumns, benefitIndicators, type ProjectBenefits } from '../../shared/domain/environmentalBenefit.ts';
import { bookLoans, groupNamer, TagCategories, type BookRows } from '../../shared/domain/greenLoanBook.ts';
import { publishedSets, statisticsOfBooks, type BranchBook, type HeadOfficeStatistics } from '../statistics.ts';
import type { Storage } from '../storage.ts';

/**
 * Head office's statistics the slow way, for tests: every branch's synced rows (sync_rows, not the
 * read models) read into books with the shared definition (greenLoanBook.ts bookLoans) and counted
 * in memory (statistics.ts statisticsOfBooks) — what server/statistics.ts read before the read
 * models, and what their SQL must equal.
 */

type Data = Record<string, unknown>;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

async function branchBooks(storage: Storage, categories: TagCategories): Promise<BranchBook[]> {
  const branches = await storage.query<{ branch_id: string; name: string }>('SELECT branch_id::text AS branch_id, name FROM branches ORDER BY name');
  const rows = await storage.query<{ branch_id: string; table_name: string; row_id: string; data: Data; deleted: boolean }>(
    'SELECT branch_id::text AS branch_id, table_name, row_id::text AS row_id, data, deleted FROM sync_rows WHERE table_name = ANY($1::text[])',
    [['loans', 'loan_snapshots', 'green_tags', 'enterprises']],
  );
  const byBranch = new Map<string, { loans: BookRows['loans'][number][]; snapshots: BookRows['snapshots'][number][]; tags: BookRows['tags'][number][]; enterprises: BookRows['enterprises'][number][] }>();
  for (const branch of branches) byBranch.set(branch.branch_id, { loans: [], snapshots: [], tags: [], enterprises: [] });
  for (const { branch_id, table_name, row_id: id, data, deleted } of rows) {
    const book = byBranch.get(branch_id);
    if (book === undefined) continue;
    if (table_name === 'loans') book.loans.push({ id, enterpriseId: textOrNull(data.enterprise_id), deleted });
    else if (table_name === 'loan_snapshots') {
      book.snapshots.push({ id, loanId: text(data.loan_id), asOf: text(data.as_of), balance: typeof data.balance_fen === 'number' ? data.balance_fen : 0, classification: text(data.classification), deleted });
    } else if (table_name === 'green_tags') {
      book.tags.push({
        id,
        ownerType: text(data.owner_type),
        ownerId: text(data.owner_id),
        createdAt: text(data.created_at),
        status: text(data.status),
        confirmedBy: textOrNull(data.confirmed_by),
        catalogueVersion: text(data.catalogue_version),
        code: textOrNull(data.catalogue_code),
        totalInvestment: typeof data.project_total_investment_fen === 'number' ? data.project_total_investment_fen : null,
        benefits: Object.fromEntries(benefitIndicators.map((indicator) => [indicator, textOrNull(data[benefitColumns[indicator]])])) as ProjectBenefits,
        evidence: data.evidence_attachment_ids,
        deleted,
      });
    } else book.enterprises.push({ id, focusGroup: textOrNull(data.focus_group), divisionCode: textOrNull(data.division_code) });
  }
  return branches.map((branch) => ({ branchId: branch.branch_id, name: branch.name, loans: bookLoans(byBranch.get(branch.branch_id)!, categories) }));
}

export async function statisticsFromSyncedRows(storage: Storage, input: StatPeriod): Promise<HeadOfficeStatistics> {
  const { catalogueOf, groupings } = await publishedSets(storage);
  const books = await branchBooks(storage, new TagCategories(catalogueOf));
  return statisticsOfBooks(books, periodBounds(input), periodBounds(samePeriodLastYear(input)), groupNamer(catalogueOf, groupings));
}
