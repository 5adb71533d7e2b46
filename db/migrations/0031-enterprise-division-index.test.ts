import { describe, expect, it } from 'vitest';
import { upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const file = (id: string, division: string, deletedAt: string | null = null) =>
  `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
   VALUES ('${id}', ${stamp}, ${deletedAt === null ? 'NULL' : `'${deletedAt}'`}, '91360222A0000000${id.slice(1)}X', '华盛建材有限公司', 'HSJCYXGS', '张建国', '浮梁县', '${division}', 'C3021', 'small', 'private')`;

describe('0031-enterprise-division-index', () => {
  it("upgrades a laptop holding files: the county's live files are found on enterprises_list, the division-only index is gone", () => {
    const { db, cleanup } = upgradedFrom('enterprise-division-index', (before) => {
      before.exec(file('e1', '360222'));
      before.exec(file('e2', '360203'));
      before.exec(file('e3', '360222', '2025-07-01T00:00:00.000Z'));
    });
    try {
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'enterprises_by_division'").pluck().get()).toBe(0);
      const county = 'SELECT id FROM enterprises INDEXED BY enterprises_list WHERE division_code = ? AND deleted_at IS NULL';
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${county}`).all('360222') as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(/SEARCH enterprises USING INDEX enterprises_list \(division_code=\?\)/);
      expect(db.prepare(county).pluck().all('360222')).toEqual(['e1']);
    } finally {
      cleanup();
    }
  });
});
