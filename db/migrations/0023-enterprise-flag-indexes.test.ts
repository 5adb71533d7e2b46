import { describe, expect, it } from 'vitest';
import { upgradedFrom } from '../testing.ts';
import { listEnterprises } from '../enterprises.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const file = (id: string, uscc: string, flags: { outdated?: 1; negative?: 1; miit?: 1; green?: 1 }, deletedAt: string | null = null) =>
  `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership,
     outdated_capacity, negative_list, miit_recommended, green_list)
   VALUES ('${id}', ${stamp}, ${deletedAt === null ? 'NULL' : `'${deletedAt}'`}, '${uscc}', '华盛建材有限公司', 'HSJCYXGS', '张建国', '浮梁县', '360222', 'C3012', 'small', 'private',
     ${flags.outdated ?? 0}, ${flags.negative ?? 0}, ${flags.miit ?? 0}, ${flags.green ?? 0})`;

describe('0023-enterprise-flag-indexes', () => {
  it('upgrades a laptop holding files: each flag index holds its live flagged files, and a flagged list is read from it', () => {
    const { db, cleanup } = upgradedFrom('enterprise-flag-indexes', (before) => {
      before.exec(file('e1', '91360222A00000001X', { outdated: 1, green: 1 }));
      before.exec(file('e2', '91360222A00000002X', { negative: 1 }));
      before.exec(file('e3', '91360222A00000003X', { miit: 1, outdated: 1 }, '2025-07-01T00:00:00.000Z'));
      before.exec(file('e4', '91360222A00000004X', {}));
    });
    try {
      const live = (index: string) => db.prepare(`SELECT count(*) FROM enterprises INDEXED BY ${index} WHERE deleted_at IS NULL AND ${index.replace('enterprises_', '')} = 1`).pluck().get();
      expect([live('enterprises_outdated_capacity'), live('enterprises_negative_list'), live('enterprises_miit_recommended'), live('enterprises_green_list')]).toEqual([1, 1, 0, 1]);
      const page = (filter: Parameters<typeof listEnterprises>[1]) => listEnterprises(db, filter, { field: 'uscc', order: 'asc' }, 0, 100).rows.map((r) => r.id);
      expect(page({ outdatedCapacity: true })).toEqual(['e1']);
      expect(page({ outdatedCapacity: true, greenList: true })).toEqual(['e1']);
      expect(page({ negativeList: true })).toEqual(['e2']);
      expect(page({ miitRecommended: true })).toEqual([]);
      expect(page({ greenList: false })).toEqual(['e2', 'e4']);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM enterprises e INDEXED BY enterprises_negative_list WHERE e.deleted_at IS NULL AND e.negative_list = 1 AND e.scale = 'small'`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/SCAN e USING COVERING INDEX enterprises_negative_list/);
      // The list index and the sort walks are read without the rows now (deleted_at in each).
      const covering = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(covering(`SELECT count(*) FROM enterprises e INDEXED BY enterprises_list WHERE e.deleted_at IS NULL AND e.scale = 'small'`)).toMatch(/COVERING INDEX enterprises_list/);
      for (const index of ['enterprises_updated_live', 'enterprises_name_live', 'enterprises_uscc_live'])
        expect(covering(`SELECT e.rowid FROM enterprises e INDEXED BY ${index} WHERE e.deleted_at IS NULL LIMIT 100`)).toMatch(new RegExp(`COVERING INDEX ${index}`));
    } finally {
      cleanup();
    }
  });
});
