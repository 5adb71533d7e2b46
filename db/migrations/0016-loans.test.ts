import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const insertLoan = (values: string) =>
  `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
   VALUES ('l1', ${stamp}, ${values})`;

describe('0016-loans', () => {
  it('stores loans and snapshots with money as integer fen and the coded values checked', () => {
    const db = databaseAt('loans');
    db.exec(insertLoan(`'JK0001', 'e1', 100, 100, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'environmental_rights_pledge', 'outstanding'`));
    db.exec(`INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification) VALUES ('s1', ${stamp}, 'l1', '2025-06-30', 100, 'normal')`);
    // Two laptops may each import the same day offline: both snapshots arrive (found by the host, not unique).
    db.exec(`INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification) VALUES ('s2', ${stamp}, 'l1', '2025-06-30', 100, 'normal')`);
    expect(db.prepare('SELECT count(*) FROM loan_snapshots').pluck().get()).toBe(2);
    db.exec('DELETE FROM loans');
    expect(() => db.exec(insertLoan(`'JK0001', 'e1', 100.5, 100, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'credit', 'outstanding'`))).toThrow(/cannot store REAL/);
    expect(() => db.exec(insertLoan(`'JK0001', 'e1', 0, 0, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'credit', 'outstanding'`))).toThrow(/CHECK constraint failed: amount_fen > 0/);
    expect(() => db.exec(insertLoan(`'JK0001', 'e1', 100, 100, '2025-06-30', '2025-01-01', '2026-01-01', 435, '正常', 'credit', 'outstanding'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertLoan(`'JK0001', 'e1', 100, 100, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'credit', 'closed'`))).toThrow(/CHECK constraint failed/);
  });

  it('upgrades a laptop holding enterprise files: its files stay, the loan register starts empty', () => {
    const { db, cleanup } = upgradedFrom('loans', (before) => {
      before.exec(`INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
        VALUES ('e1', ${stamp}, '91360222MA35L0KX1F', '华盛建材有限公司', 'HSJC', '张建国', '浮梁县', '360222', 'C3012', 'small', 'private')`);
    });
    try {
      expect(db.prepare('SELECT name FROM enterprises').pluck().all()).toEqual(['华盛建材有限公司']);
      expect(db.prepare('SELECT count(*) FROM loans').pluck().get()).toBe(0);
    } finally {
      cleanup();
    }
  });
});
