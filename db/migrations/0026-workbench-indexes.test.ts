import { describe, expect, it } from 'vitest';
import { upgradedFrom } from '../testing.ts';
import { enterprisesOf } from '../workbench.ts';

const stamp = (by: string) => `'b', 1, '2025-01-01T00:00:00.000Z', '${by}', '2025-01-01T00:00:00.000Z', '${by}'`;
const file = (id: string, by: string, deletedAt: string | null = null) =>
  `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
   VALUES ('${id}', ${stamp(by)}, ${deletedAt === null ? 'NULL' : `'${deletedAt}'`}, '91360222A0000000${id.slice(1)}X', '华盛建材有限公司', 'HSJCYXGS', '张建国', '浮梁县', '360222', 'C3012', 'small', 'private')`;
const visit = (id: string, enterpriseId: string, officer: string) =>
  `INSERT INTO monitoring_visits (id, branch_id, version, created_at, created_by, updated_at, updated_by, enterprise_id, due_on, officer_id)
   VALUES ('${id}', ${stamp(officer)}, '${enterpriseId}', '2026-12-01', '${officer}')`;

describe('0026-workbench-indexes', () => {
  it("upgrades a laptop holding files: a person's enterprises are found through the new indexes, live files only", () => {
    const { db, cleanup } = upgradedFrom('workbench-indexes', (before) => {
      before.exec(file('e1', 'officer-a'));
      before.exec(file('e2', 'officer-b'));
      before.exec(file('e3', 'officer-a', '2025-07-01T00:00:00.000Z'));
      before.exec(visit('v1', 'e2', 'officer-a'));
    });
    try {
      for (const [index, columns] of [
        ['enterprises_by_creator', ['created_by']],
        ['collateral_by_maker', ['maker_id', 'enterprise_id']],
        ['monitoring_visits_by_officer', ['officer_id', 'enterprise_id']],
      ] as const) {
        expect(db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index)).toEqual(columns);
      }
      expect(enterprisesOf(db, 'officer-a').sort()).toEqual(['e1', 'e2']);
      expect(enterprisesOf(db, 'officer-b')).toEqual(['e2']);
      expect(enterprisesOf(db, 'nobody')).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
