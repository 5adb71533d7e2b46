import { describe, expect, it } from 'vitest';
import { upgradedFrom } from '../testing.ts';
import { listLoans } from '../loans.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const insertLoan = (id: string, number: string, amount: number, status: string, deletedAt: string | null = null) =>
  `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
   VALUES ('${id}', ${stamp}, ${deletedAt === null ? 'NULL' : `'${deletedAt}'`}, '${number}', 'e1', ${amount}, ${amount}, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'credit', '${status}')`;

const columnsOf = (db: ReturnType<typeof upgradedFrom>['db'], index: string) =>
  (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).pluck().all(index) as string[]).join(', ');

describe('0021-loan-register-indexes', () => {
  it('upgrades a laptop holding loans: the class and borrower indexes hold every filter column and sort key, live loans only', () => {
    const { db, cleanup } = upgradedFrom('loan-register-indexes', (before) => {
      before.exec(`INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
        VALUES ('e1', ${stamp}, '91360222MA35L0KX1F', '华盛建材有限公司', 'HSJC', '张建国', '浮梁县', '360222', 'C3012', 'small', 'private')`);
      before.exec(insertLoan('l1', 'JK0001', 300, 'outstanding'));
      before.exec(insertLoan('l2', 'JK0002', 100, 'outstanding'));
      before.exec(insertLoan('l3', 'JK0003', 200, 'settled'));
      before.exec(insertLoan('l4', 'JK0004', 50, 'outstanding', '2025-07-01T00:00:00.000Z'));
    });
    try {
      const all = 'status, classification, guarantee_mode, matures_on, disbursed_on, amount_fen, balance_fen, updated_at, loan_number, deleted_at';
      expect(columnsOf(db, 'loans_by_class')).toBe(all);
      expect(columnsOf(db, 'loans_by_enterprise')).toBe(`enterprise_id, ${all}`);
      expect(db.prepare('SELECT count(*) FROM loans INDEXED BY loans_by_class WHERE deleted_at IS NULL').pluck().get()).toBe(3);
      const page = (filter: Parameters<typeof listLoans>[1]) => listLoans(db, filter, { field: 'amount', order: 'asc' }, 0, 100).rows.map((r) => r.id);
      expect(page({ status: 'outstanding' })).toEqual(['l2', 'l1']);
      expect(page({ enterpriseId: 'e1' })).toEqual(['l2', 'l3', 'l1']);
      expect(page({ query: '华盛' })).toEqual(['l2', 'l3', 'l1']);
      expect(page({ query: 'JK0003' })).toEqual(['l3']);
    } finally {
      cleanup();
    }
  });
});
