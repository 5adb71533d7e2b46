import { describe, expect, it } from 'vitest';
import { upgradedFrom } from '../testing.ts';
import { listEnterprises } from '../enterprises.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u'`;
const file = (id: string, updatedAt: string, scale: string, deletedAt: string | null = null) =>
  `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
   VALUES ('${id}', ${stamp}, '${updatedAt}', 'u', ${deletedAt === null ? 'NULL' : `'${deletedAt}'`}, '91360222A0000000${id.slice(1)}X', '华盛建材有限公司', 'HSJCYXGS', '张建国', '浮梁县', '360222', 'C3012', '${scale}', 'private')`;

describe('0024-enterprise-update-walk', () => {
  it('upgrades a laptop holding files: the update index holds the filter columns, live files only, in update order', () => {
    const { db, cleanup } = upgradedFrom('enterprise-update-walk', (before) => {
      before.exec(file('e1', '2025-01-03T00:00:00.000Z', 'small'));
      before.exec(file('e2', '2025-01-01T00:00:00.000Z', 'large'));
      before.exec(file('e3', '2025-01-02T00:00:00.000Z', 'small'));
      before.exec(file('e4', '2025-01-04T00:00:00.000Z', 'small', '2025-07-01T00:00:00.000Z'));
    });
    try {
      const columns = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all('enterprises_updated_live');
      expect(columns).toEqual(['updated_at', 'division_code', 'focus_group', 'industry_code', 'environmental_rating', 'green_factory_level', 'scale', 'outdated_capacity', 'negative_list', 'green_list', 'miit_recommended', 'deleted_at']);
      const walked = db.prepare(`SELECT e.rowid FROM enterprises e INDEXED BY enterprises_updated_live WHERE e.deleted_at IS NULL AND e.scale = 'small' ORDER BY e.updated_at DESC`).pluck().all();
      expect(walked.length).toBe(2);
      const page = (scale: 'small' | 'large') => listEnterprises(db, { scale }, { field: 'updatedAt', order: 'desc' }, 0, 100).rows.map((r) => r.id);
      expect(page('small')).toEqual(['e1', 'e3']);
      expect(page('large')).toEqual(['e2']);
      expect(listEnterprises(db, {}, { field: 'updatedAt', order: 'asc' }, 0, 100).rows.map((r) => r.id)).toEqual(['e2', 'e3', 'e1']);
    } finally {
      cleanup();
    }
  });
});
