import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0009-uscc-duplicates', () => {
  it('lets a pulled second file with the same USCC in, and USCC lookups still use an index', () => {
    const db = databaseAt('uscc-duplicates');
    const insert = db.prepare(
      `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
       VALUES (?, 'b', 't', 'u', 't', 'u', '91360222MA35L0KX1F', ?, 'HS', '张三', '浮梁县', '360222', 'C3012', 'small', 'private')`,
    );
    insert.run('e1', '华盛建材有限公司');
    insert.run('e2', '华盛建材有限公司（另一台笔记本）');
    expect(db.prepare("SELECT count(*) FROM enterprises WHERE uscc = '91360222MA35L0KX1F' AND deleted_at IS NULL").pluck().get()).toBe(2);
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT id FROM enterprises WHERE uscc = '91360222MA35L0KX1F' AND deleted_at IS NULL").all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toMatch(/USING (COVERING )?INDEX enterprises_uscc_live/);
  });
});
