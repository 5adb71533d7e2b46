import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0011-year-duplicates', () => {
  it('keeps two rows of one year that sync brings, still indexed by enterprise and year', () => {
    const db = databaseAt('year-duplicates');
    db.pragma('foreign_keys = OFF');
    const insert = db.prepare(
      `INSERT INTO enterprise_financials (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, year, revenue_fen) VALUES (?, 'b', 't', 'u', 't', 'u', 'e1', 2024, 100)`,
    );
    insert.run('f1');
    insert.run('f2');
    expect(db.prepare('SELECT count(*) FROM enterprise_financials WHERE enterprise_id = ? AND year = 2024 AND deleted_at IS NULL').pluck().get('e1')).toBe(2);
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT id FROM enterprise_financials WHERE enterprise_id = 'e1' AND year = 2024 AND deleted_at IS NULL").all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toMatch(/enterprise_financials_year/);
  });
});
