import { describe, expect, it } from 'vitest';
import { catalogueWith } from '../../../shared/codes/greenCatalogues.ts';
import { bookFigures, categoryKey, groupGreenLoans } from '../../../shared/domain/greenStatistics.ts';
import { benefitColumns, benefitIndicators, type ProjectBenefits } from '../../../shared/domain/environmentalBenefit.ts';
import { benefitsAsOf, bookLoans, greenLoansAsOf, TagCategories, type BookRows } from '../../../shared/domain/greenLoanBook.ts';
import { catalogueOf } from '../../../db/green.ts';
import { greenStanding } from '../../../shared/domain/greenTag.ts';
import type { Db } from '../../../db/open.ts';
import { databaseAt } from '../../../db/testing.ts';
import { figuresAt, greenReportAt } from './greenBook.ts';

/**
 * The green report's fold (key-range pages, a customer counted once per focus group and county when
 * first met) against the naive count over the book's definition, on a generated book where borrowers
 * hold several loans in several categories and classes, some with a balance of 0, some not green.
 */
const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const days = ['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31', '2026-06-30'];
const codes = ['1', '2', '3', '1.1']; // 1.1 is not in the 2025 catalogue: never green

function generatedBook(db: Db): void {
  let seed = 2017;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const enterprise = db.prepare(
    `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership, focus_group)
     VALUES (?, ${stamp}, ?, '华盛建材有限公司', 'HSJC', '张建国', '浮梁县', ?, 'C3012', 'small', 'private', ?)`,
  );
  const loan = db.prepare(
    `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
     VALUES (?, ${stamp}, ?, ?, 100, 100, '2026-01-31', '2026-01-31', '2027-01-31', 345, 'normal', 'credit', 'outstanding')`,
  );
  const snapshot = db.prepare(`INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification) VALUES (?, ${stamp}, ?, ?, ?, ?)`);
  const tag = db.prepare(
    `INSERT INTO green_tags (id, branch_id, version, created_at, created_by, updated_at, updated_by, owner_type, owner_id, catalogue_version, catalogue_code, project_total_investment_fen, co2_reduced_t, cod_reduced_t, evidence_attachment_ids, status, prepared_by, confirmed_by, confirmed_at)
     VALUES (?, ${stamp}, 'loan', ?, '2025', ?, ?, '12.5', ?, ?, 'confirmed', 'officer', 'manager', '2025-02-01T00:00:00.000Z')`,
  );
  db.transaction(() => {
    for (let e = 0; e < 40; e += 1) enterprise.run(`e${e}`, `91360222MA35L0K${String(e).padStart(3, '0')}`, pick(['360222', '430582', '360281']), pick([null, 'food', 'textiles', 'machinery']));
    for (let l = 0; l < 300; l += 1) {
      // a few borrowers hold many loans; l ≥ 290 name a borrower not on file (counted as its own)
      loan.run(`l${l}`, `JK-${l}`, l >= 290 ? `missing${l}` : `e${Math.floor(random() * random() * 40)}`);
      for (const day of days) if (random() < 0.8) snapshot.run(`s${l}-${day}`, `l${l}`, day, random() < 0.1 ? 0 : 1 + Math.floor(random() * 5_000), pick(['normal', 'normal', 'special_mention', 'substandard']));
      // project investments mostly above any balance, some below one or missing (no share); COD on some
      const investment = () => pick([100_000, 100_000, 100_000, 2_000, null]);
      const cod = () => pick([null, '3.3333', '0.0007']);
      if (random() < 0.85) tag.run(`t${l}`, `l${l}`, pick(codes), investment(), cod(), random() < 0.9 ? '["a1"]' : '[]');
      // a second tag of the same time whose id sorts first: the loan's tag is then this one
      if (l % 11 === 0) tag.run(`a${l}`, `l${l}`, pick(codes), investment(), cod(), random() < 0.5 ? '["a2"]' : '[]');
    }
    // deleted rows count nowhere: some snapshots, a few loans, a tag
    db.prepare("UPDATE loan_snapshots SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id LIKE 's1%-2026-02-28'").run();
    db.prepare("UPDATE loans SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id IN ('l5', 'l50', 'l150')").run();
    db.prepare("UPDATE green_tags SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id IN ('a11', 't12')").run();
  })();
}

interface Tally {
  loans: number;
  customers: number;
  balance: number;
}

/** By the book's definition (as_of <= D < until), a loan green when its code stands and it has evidence and a balance. */
function naiveReport(db: Db, day: string) {
  const catalogue = catalogueWith('2025', undefined);
  const rows = db
    .prepare('SELECT * FROM green_book WHERE as_of <= ? AND until > ? AND balance_fen > 0 AND has_evidence = 1')
    .all(day, day)
    .filter((row) => {
      const { catalogue_code: code } = row as { catalogue_code: string };
      return greenStanding({ catalogueVersion: '2025', code, evidenceCount: 1, status: 'confirmed', preparedBy: 'officer', confirmedBy: 'manager' }, catalogue).green;
    }) as { catalogue_version: string; catalogue_code: string; enterprise_key: number; balance_fen: number; classification: string; focus_group: string | null; division_code: string }[];
  const by = (key: (row: (typeof rows)[number]) => string): Record<string, Tally> => {
    const groups: Record<string, { loans: number; customers: Set<number>; balance: number }> = {};
    for (const row of rows) {
      const group = (groups[key(row)] ??= { loans: 0, customers: new Set(), balance: 0 });
      group.loans += 1;
      group.customers.add(row.enterprise_key);
      group.balance += row.balance_fen;
    }
    return Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, { loans: g.loans, customers: g.customers.size, balance: g.balance }]));
  };
  return {
    totals: by(() => 'all').all ?? { loans: 0, customers: 0, balance: 0 },
    byCategory: by((row) => categoryKey(row.catalogue_version, row.catalogue_code)),
    byFocusGroup: by((row) => row.focus_group ?? ''),
    byCounty: by((row) => row.division_code),
    byClassification: by((row) => row.classification),
  };
}

const tallies = (groups: { key: string; loans: number; customers: number; balance: number }[]) => Object.fromEntries(groups.map((g) => [g.key, { loans: g.loans, customers: g.customers, balance: g.balance }]));

describe('the green report over a generated book', () => {
  it('counts every group’s loans, customers and balance as the book’s definition does, as of every day', async () => {
    const db = databaseAt('green-book');
    generatedBook(db);
    for (const day of [...days, '2026-01-15', '2025-06-30']) {
      const report = await greenReportAt(db, day);
      const expected = naiveReport(db, day);
      expect(report.totals, day).toEqual(expected.totals);
      expect(tallies(report.byCategory), day).toEqual(expected.byCategory);
      expect(tallies(report.byFocusGroup), day).toEqual(expected.byFocusGroup);
      expect(tallies(report.byCounty), day).toEqual(expected.byCounty);
      expect(tallies(report.byClassification), day).toEqual(expected.byClassification);
    }
    // the book had what the test is about: borrowers with several green loans, and loans left out
    const report = await greenReportAt(db, '2026-03-31');
    expect(report.totals.customers).toBeLessThan(report.totals.loans / 2);
    expect(report.byCategory.length).toBe(3);
    db.close();
  });

  it('is what the shared definition over the rows themselves gives, head office’s way of reading them (figures too)', async () => {
    const db = databaseAt('green-book');
    generatedBook(db);
    const all = (sql: string) => db.prepare(sql).all() as Record<string, unknown>[];
    const rows: BookRows = {
      loans: all('SELECT id, enterprise_id, deleted_at FROM loans').map((r) => ({ id: String(r.id), enterpriseId: r.enterprise_id as string | null, deleted: r.deleted_at !== null })),
      snapshots: all('SELECT id, loan_id, as_of, balance_fen, classification, deleted_at FROM loan_snapshots').map((r) => ({
        id: String(r.id),
        loanId: String(r.loan_id),
        asOf: String(r.as_of),
        balance: Number(r.balance_fen),
        classification: String(r.classification),
        deleted: r.deleted_at !== null,
      })),
      tags: all('SELECT * FROM green_tags').map((r) => ({
        id: String(r.id),
        ownerType: String(r.owner_type),
        ownerId: String(r.owner_id),
        createdAt: String(r.created_at),
        status: String(r.status),
        confirmedBy: r.confirmed_by as string | null,
        catalogueVersion: String(r.catalogue_version),
        code: r.catalogue_code as string | null,
        evidence: r.evidence_attachment_ids,
        totalInvestment: r.project_total_investment_fen as number | null,
        benefits: Object.fromEntries(benefitIndicators.map((indicator) => [indicator, r[benefitColumns[indicator]] as string | null])) as ProjectBenefits,
        deleted: r.deleted_at !== null,
      })),
      enterprises: all('SELECT id, focus_group, division_code FROM enterprises').map((r) => ({ id: String(r.id), focusGroup: r.focus_group as string | null, divisionCode: r.division_code as string | null })),
    };
    const loans = bookLoans(rows, new TagCategories((version) => catalogueOf(db, version)));
    const checkedDays = [...days, '2026-01-15', '2025-06-30'];
    const figures = await figuresAt(db, checkedDays);
    for (const [i, day] of checkedDays.entries()) {
      const report = await greenReportAt(db, day);
      const green = greenLoansAsOf(loans, day);
      expect({ loans: green.length, customers: new Set(green.map((loan) => loan.enterpriseId)).size, balance: green.reduce((sum, loan) => sum + loan.balance, 0) }, day).toEqual(report.totals);
      for (const [dimension, groups] of [['category', report.byCategory], ['focusGroup', report.byFocusGroup], ['divisionCode', report.byCounty], ['classification', report.byClassification]] as const) {
        expect(tallies(groupGreenLoans(green, dimension)), `${day} ${dimension}`).toEqual(tallies(groups));
      }
      expect(bookFigures(loans, day), day).toEqual(figures[i]);
      expect(benefitsAsOf(loans, day), `${day} benefits`).toEqual(report.benefits);
    }
    // and the benefits had what they are about: shares of two indicators, loans without a usable investment
    const benefits = benefitsAsOf(loans, '2026-03-31');
    expect(benefits.notComputed).toBeGreaterThan(5);
    expect(benefits.totals.filter((line) => line.loans > 0).map((line) => line.indicator)).toEqual(['co2ReducedT', 'codReducedT']);
    // the rows had what the test is about: loans whose second tag decides, deleted rows
    expect(loans.filter((loan) => loan.green).length).toBeGreaterThan(100);
    expect(rows.loans.filter((loan) => loan.deleted)).toHaveLength(3);
    db.close();
  });
});
