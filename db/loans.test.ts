import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_COUNT_AHEAD, loanSortFields, type LoanListFilter, type LoanSort } from '../shared/api/loans.ts';
import { guaranteeModes } from '../shared/domain/guarantee.ts';
import { loanClassifications, loanStatuses } from '../shared/domain/loan.ts';
import { pinyinInitials } from '../shared/domain/pinyin.ts';
import { seededRandom, testUscc } from '../shared/domain/testing.ts';
import { listLoans, loanWalks, type LoanRow } from './loans.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Db } from './open.ts';
import { statementPlans, walkIndexColumns } from './testing.ts';

/**
 * The loan register's query against a plain reading of the same filter and sort over every row:
 * whichever index a request takes (walk, class, borrower, number), it must answer what the
 * filter means, in the order the sort says, and count it as the contract says.
 */
const LOANS = 12_000;
const ENTERPRISES = 300;
const WORDS = ['华盛', '绿源', '恒通', '鑫达', '瑞丰', '宏远'];

let db: Db;
const rows: (LoanRow & { enterprise_name: string; enterprise_uscc: string; rowid: number })[] = [];

beforeAll(() => {
  db = openDatabase(':memory:');
  migrate(db);
  const random = seededRandom(13);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const stamp = { branch_id: 'b', version: 1, created_at: '2025-01-01T00:00:00.000Z', created_by: 'u', updated_by: 'u' };
  const enterprise = db.prepare(
    `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
     VALUES (@id, @branch_id, 1, @created_at, @created_by, @created_at, @updated_by, @uscc, @name, @initials, '张三', '浮梁县', '360222', 'C3012', 'small', 'private')`,
  );
  const loan = db.prepare(
    `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
     VALUES (@id, @branch_id, 1, @created_at, @created_by, @updated_at, @updated_by, @loan_number, @enterprise_id, @amount_fen, @balance_fen, '2025-06-30', @disbursed_on, @matures_on, 435, @classification, @guarantee_mode, @status)`,
  );
  const names: string[] = [];
  db.transaction(() => {
    for (let e = 0; e < ENTERPRISES; e += 1) {
      const name = `浮梁${WORDS[e % WORDS.length]}${e}号有限公司`;
      names.push(name);
      enterprise.run({ ...stamp, id: `e${e}`, uscc: testUscc(e), name, initials: pinyinInitials(name) });
    }
    for (let i = 0; i < LOANS; i += 1) {
      const e = Math.floor(random() * ENTERPRISES);
      const day = (n: number) => `20${String(24 + Math.floor(n / 12)).padStart(2, '0')}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const amount = 1 + Math.floor(random() * 500) * 1_000_000;
      const row = {
        ...stamp,
        id: `l${i}`,
        updated_at: `2025-0${1 + (i % 9)}-01T00:00:00.000Z`,
        loan_number: `JK${String(100_000 + Math.floor(random() * 900_000))}-${i}`,
        enterprise_id: `e${e}`,
        amount_fen: amount,
        balance_fen: Math.floor(random() * amount),
        disbursed_on: day(Math.floor(random() * 12)),
        matures_on: day(12 + Math.floor(random() * 36)),
        // Skewed as a real register is: most loans outstanding and normal.
        classification: random() < 0.85 ? 'normal' : pick(loanClassifications),
        guarantee_mode: pick(guaranteeModes),
        status: random() < 0.9 ? 'outstanding' : pick(loanStatuses),
      };
      const { rowid } = { rowid: Number(loan.run(row).lastInsertRowid) };
      rows.push({ ...row, rowid, deleted_at: null, application_id: null, balance_as_of: '2025-06-30', rate_bp: 435, purpose: null, enterprise_name: names[e]!, enterprise_uscc: testUscc(e) } as never);
    }
  })();
  // One deleted loan: never listed.
  db.prepare(`UPDATE loans SET deleted_at = '2025-07-01T00:00:00.000Z' WHERE id = 'l0'`).run();
  rows[0]!.deleted_at = '2025-07-01T00:00:00.000Z';
});
afterAll(() => db.close());

const sortKey: Record<LoanSort['field'], (row: LoanRow) => string | number> = {
  maturesOn: (r) => r.matures_on,
  disbursedOn: (r) => r.disbursed_on,
  loanNumber: (r) => r.loan_number,
  amount: (r) => r.amount_fen,
  balance: (r) => r.balance_fen,
  updatedAt: (r) => r.updated_at,
};

/** What the filter means, read plainly. */
function expected(filter: LoanListFilter, sort: LoanSort): typeof rows {
  const matches = rows.filter(
    (r) =>
      r.deleted_at === null &&
      (filter.status === undefined || r.status === filter.status) &&
      (filter.classifications === undefined || filter.classifications.includes(r.classification)) &&
      (filter.guaranteeMode === undefined || r.guarantee_mode === filter.guaranteeMode) &&
      (filter.enterpriseId === undefined || r.enterprise_id === filter.enterpriseId) &&
      (filter.maturesFrom === undefined || r.matures_on >= filter.maturesFrom) &&
      (filter.maturesTo === undefined || r.matures_on <= filter.maturesTo) &&
      (filter.query === undefined || r.loan_number.startsWith(filter.query.toUpperCase()) || r.enterprise_name.includes(filter.query) || r.enterprise_uscc.startsWith(filter.query)),
  );
  const key = sortKey[sort.field];
  const sign = sort.order === 'asc' ? 1 : -1;
  return matches.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -sign : x > y ? sign : 0;
  });
}

describe('listLoans', () => {
  it('answers what 200 random filters and sorts mean, in their order, on every page', () => {
    const random = seededRandom(20);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < 200; n += 1) {
      const filter: LoanListFilter = {};
      if (random() < 0.5) filter.status = pick(loanStatuses);
      if (random() < 0.3) filter.classifications = random() < 0.5 ? ['substandard', 'doubtful', 'loss'] : [pick(loanClassifications)];
      if (random() < 0.2) filter.guaranteeMode = pick(guaranteeModes);
      if (random() < 0.1) filter.enterpriseId = `e${Math.floor(random() * ENTERPRISES)}`;
      if (random() < 0.3) filter.maturesFrom = `2026-0${1 + Math.floor(random() * 9)}-01`;
      if (random() < 0.3) filter.maturesTo = `2027-0${1 + Math.floor(random() * 9)}-01`;
      if (random() < 0.15) filter.query = pick([`浮梁${pick(WORDS)}1`, `${pick(WORDS)}2`, 'JK1', 'JK55', `浮梁${pick(WORDS)}`]);
      const sort: LoanSort = { field: pick(loanSortFields), order: random() < 0.5 ? 'asc' : 'desc' };
      const want = expected(filter, sort);
      const offset = random() < 0.5 ? 0 : 100 * Math.floor(random() * 5);
      const page = listLoans(db, filter, sort, offset, 100);
      const label = JSON.stringify({ filter, sort, offset });
      // Ties in the sort key may come in any order the index keeps; the keys themselves must match.
      const key = sortKey[sort.field];
      expect(page.rows.map(key), label).toEqual(want.slice(offset, offset + 100).map(key));
      for (const row of page.rows) expect(want.some((w) => w.id === row.id), label).toBe(true);
      expect(new Set(page.rows.map((r) => r.id)).size, label).toBe(page.rows.length);
      if (want.length <= offset + 100 + LIST_COUNT_AHEAD) expect(page, label).toMatchObject({ total: want.length, totalCapped: false });
      else expect(page, label).toMatchObject({ total: offset + 100 + LIST_COUNT_AHEAD, totalCapped: true });
    }
  });

  it('pages through a sort with ties without losing or repeating a loan', () => {
    const sort: LoanSort = { field: 'updatedAt', order: 'desc' };
    const seen = new Set<string>();
    const filter: LoanListFilter = { status: 'outstanding' };
    const total = expected(filter, sort).length;
    for (let offset = 0; offset < total; offset += 500) for (const row of listLoans(db, filter, sort, offset, 500).rows) seen.add(row.id);
    expect(seen.size).toBe(total);
  });

  it('pages through a search with ties without losing or repeating a loan, though its first pages walk and its later ones sort', () => {
    const sort: LoanSort = { field: 'updatedAt', order: 'asc' };
    const filter: LoanListFilter = { status: 'outstanding', query: '华盛' };
    const total = expected(filter, sort).length;
    const ids: string[] = [];
    for (let offset = 0; offset < total; offset += 100) ids.push(...listLoans(db, filter, sort, offset, 100).rows.map((row) => row.id));
    expect(new Set(ids).size).toBe(total);
    expect(ids).toHaveLength(total);
  });

  it("sorts a search's matches with the ties every walk index gives (its columns after the key, then rowid)", () => {
    for (const walk of loanWalks) {
      const { indexed, declared } = walkIndexColumns(db, walk);
      expect(indexed, walk.index).toBe(declared);
    }
  });

  it('caps the count past the page, and counts exactly when asked', () => {
    const all = rows.filter((r) => r.deleted_at === null).length;
    expect(listLoans(db, {}, { field: 'maturesOn', order: 'asc' }, 0, 100)).toMatchObject({ total: 100 + LIST_COUNT_AHEAD, totalCapped: true });
    expect(listLoans(db, {}, { field: 'maturesOn', order: 'asc' }, 0, 100, true)).toMatchObject({ total: all, totalCapped: false });
    expect(listLoans(db, {}, { field: 'balance', order: 'desc' }, all - 500, 100)).toMatchObject({ total: all, totalCapped: false });
  });

  const plansOf = (filter: LoanListFilter, sort: LoanSort, offset = 0) => statementPlans(db, () => listLoans(db, filter, sort, offset, 100));
  const step = (plans: { sql: string; plan: string }[], start: RegExp) => plans.find((p) => start.test(p.sql))?.plan ?? 'not run';

  it('many matches: counted on the class index (seeked, index only), paged by walking the sort index, which stops after the page', () => {
    // 90% of the register is outstanding: more than are sorted after reading.
    const plans = plansOf({ status: 'outstanding' }, { field: 'balance', order: 'desc' });
    expect(step(plans, /^SELECT count/)).toMatch(/SEARCH l USING COVERING INDEX loans_by_class \(status=\? AND classification=\? AND guarantee_mode=\?\)/);
    const walk = step(plans, /^SELECT l\.rowid FROM loans l INDEXED BY loans_by_balance/);
    expect(walk).toMatch(/^SCAN l USING COVERING INDEX loans_by_balance$/);
    expect(walk).not.toMatch(/TEMP B-TREE/);
  });

  it('few matches: counted and sorted from the class index alone (0021: it holds every sort key), a maturity window seeked', () => {
    const plans = plansOf({ status: 'outstanding', classifications: ['loss'], maturesFrom: '2026-01-01', maturesTo: '2026-06-30' }, { field: 'amount', order: 'asc' }, 100);
    const range = /SEARCH l USING COVERING INDEX loans_by_class \(status=\? AND classification=\? AND guarantee_mode=\? AND matures_on>\? AND matures_on<\?\)/;
    expect(step(plans, /^SELECT count/)).toMatch(range);
    const sorted = step(plans, /^SELECT r FROM/);
    expect(sorted).toMatch(range);
    // The sort is of the matches alone, never of the register, and reads no loan row.
    expect(sorted).toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    expect(sorted).not.toMatch(/SCAN l|PRIMARY KEY/);
  });

  it("a borrower search's first page: counted no further than a walk would read, then the sort's index walked, testing the found borrowers", () => {
    // ~1,800 matches of 12,000 loans: past √(100 × 12,000) ≈ 1,100, where walking is the cheaper.
    const plans = plansOf({ status: 'outstanding', query: '华盛' }, { field: 'maturesOn', order: 'desc' });
    expect(step(plans, /^SELECT count/)).toMatch(/SEARCH l USING COVERING INDEX loans_by_enterprise \(enterprise_id=\? AND status=\?\)/);
    const walk = step(plans, /^SELECT l\.rowid FROM loans l INDEXED BY loans_by_maturity/);
    expect(walk).toMatch(/^SCAN l USING COVERING INDEX loans_by_maturity/);
    expect(walk).not.toMatch(/TEMP B-TREE FOR ORDER BY|enterprises/);
    expect(step(plans, /^SELECT r FROM/)).toBe('not run');
  });

  it('a borrower search: the found borrowers once, then their loans counted and sorted from the borrower index alone', () => {
    // Page 10: reading the ~1,800 matches is cheaper than walking to it.
    const plans = plansOf({ status: 'outstanding', query: '华盛' }, { field: 'maturesOn', order: 'desc' }, 900);
    expect(step(plans, /^SELECT e\.id FROM enterprises/)).toMatch(/enterprises_grams/);
    const count = step(plans, /^SELECT count/);
    expect(count).toMatch(/SEARCH l USING COVERING INDEX loans_by_enterprise \(enterprise_id=\? AND status=\?\)/);
    expect(count).not.toMatch(/enterprises/);
    expect(step(plans, /^SELECT r FROM/)).toMatch(/SEARCH l USING COVERING INDEX loans_by_enterprise/);
  });
});
