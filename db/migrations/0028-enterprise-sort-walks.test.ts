import { describe, expect, it } from 'vitest';
import { upgradedFrom } from '../testing.ts';
import { listEnterprises } from '../enterprises.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const file = (id: string, name: string, initials: string, industry: string, scale: string, deletedAt: string | null = null) =>
  `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
   VALUES ('${id}', ${stamp}, ${deletedAt === null ? 'NULL' : `'${deletedAt}'`}, '91360222A0000000${id.slice(1)}X', '${name}', '${initials}', '张建国', '浮梁县', '360222', '${industry}', '${scale}', 'private')`;

const filterColumns = ['division_code', 'focus_group', 'environmental_rating', 'green_factory_level', 'scale', 'outdated_capacity', 'negative_list', 'green_list', 'miit_recommended', 'deleted_at'];

describe('0028-enterprise-sort-walks', () => {
  it('upgrades a laptop holding files: the name, USCC and industry walks hold every filter column, live files only, in their order', () => {
    const { db, cleanup } = upgradedFrom('enterprise-sort-walks', (before) => {
      before.exec(file('e1', '华盛建材有限公司', 'HSJCYXGS', 'C3021', 'small'));
      before.exec(file('e2', '安泰陶瓷有限公司', 'ATTCYXGS', 'C3071', 'large'));
      before.exec(file('e3', '碧水茶业有限公司', 'BSCYYXGS', 'C1530', 'small'));
      before.exec(file('e4', '恒通化工有限公司', 'HTHGYXGS', 'C2614', 'small', '2025-07-01T00:00:00.000Z'));
    });
    try {
      const columns = (index: string) => db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index);
      expect(columns('enterprises_name_live')).toEqual(['name_initials', 'name', ...filterColumns.slice(0, 2), 'industry_code', ...filterColumns.slice(2)]);
      expect(columns('enterprises_uscc_live')).toEqual(['uscc', ...filterColumns.slice(0, 2), 'industry_code', ...filterColumns.slice(2)]);
      expect(columns('enterprises_industry_live')).toEqual(['industry_code', 'name_initials', ...filterColumns]);
      const walked = db.prepare(`SELECT e.rowid FROM enterprises e INDEXED BY enterprises_industry_live WHERE e.deleted_at IS NULL AND e.scale = 'small' ORDER BY e.industry_code`).pluck().all();
      expect(walked.length).toBe(2);
      const ids = (sort: 'name' | 'industryCode' | 'uscc', scale?: 'small') => listEnterprises(db, scale === undefined ? {} : { scale }, { field: sort, order: 'asc' }, 0, 100).rows.map((r) => r.id);
      expect(ids('industryCode')).toEqual(['e3', 'e1', 'e2']);
      expect(ids('name')).toEqual(['e2', 'e3', 'e1']);
      expect(ids('industryCode', 'small')).toEqual(['e3', 'e1']);
      expect(ids('uscc', 'small')).toEqual(['e1', 'e3']);
    } finally {
      cleanup();
    }
  });
});
