import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';
import { loadMigrations } from '../migrate.ts';
import { listEnterprises } from '../enterprises.ts';
import type { EnterpriseSort } from '../../shared/api/enterprises.ts';

describe('0006-enterprise-indexes', () => {
  // Today's listEnterprises names indexes later migrations made (0023): it runs on today's schema.
  const db = databaseAt(loadMigrations().at(-1)!.name);
  const insert = db.prepare(
    `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address, division_code, industry_code, focus_group, scale, ownership, green_list, environmental_rating)
     VALUES (?, 'b', 't', 'u', ?, 'u', ?, ?, ?, ?, '张三', '浮梁县', ?, ?, ?, 'small', 'private', ?, ?)`,
  );
  insert.run('e1', '2025-01-03T00:00:00Z', null, '91360222A00000001X', '华盛建材有限公司', 'HSJCYXGS', '360222', 'C3012', 'buildingMaterials', 1, 'green');
  insert.run('e2', '2025-01-02T00:00:00Z', null, '91360281A00000002X', '景德镇华盛陶瓷有限公司', 'JDZHSTCYXGS', '360281', 'C3071', 'buildingMaterials', 0, null);
  insert.run('e3', '2025-01-01T00:00:00Z', null, '91330521A00000003X', '德清绿源茶业有限公司', 'DQLYCYYXGS', '330521', 'C1530', 'food', 1, 'red');
  insert.run('e4', '2025-01-04T00:00:00Z', '2025-01-05T00:00:00Z', '91360222A00000004X', '华盛已删除有限公司', 'HSYSCYXGS', '360222', 'C3012', 'buildingMaterials', 1, 'green');
  const ids = (filter: object, sort: EnterpriseSort = { field: 'updatedAt', order: 'desc' }) => {
    const { rows, total } = listEnterprises(db, filter, sort, 0, 100);
    return { ids: rows.map((r) => r.id), total };
  };

  it('lists, filters and searches through the covering index, without deleted files', () => {
    expect(ids({})).toEqual({ ids: ['e1', 'e2', 'e3'], total: 3 });
    expect(ids({ divisionCode: '3602' }, { field: 'name', order: 'asc' })).toEqual({ ids: ['e1', 'e2'], total: 2 });
    expect(ids({ greenList: true, rating: 'red' })).toEqual({ ids: ['e3'], total: 1 });
    expect(ids({ focusGroup: 'buildingMaterials', query: '华盛' })).toEqual({ ids: ['e1', 'e2'], total: 2 });
    expect(ids({ query: 'HS' })).toEqual({ ids: ['e1', 'e2'], total: 2 });
    expect(ids({ query: '9136' })).toEqual({ ids: ['e1', 'e2'], total: 2 });
    expect(ids({ query: '华盛陶瓷' })).toEqual({ ids: ['e2'], total: 1 });
    expect(listEnterprises(db, { query: '华盛' }, { field: 'updatedAt', order: 'desc' }, 2, 100)).toEqual({ rows: [], total: 2, totalCapped: false });
    expect(listEnterprises(db, {}, { field: 'updatedAt', order: 'desc' }, 1, 1).rows.map((r) => r.id)).toEqual(['e2']);
  });

  it('keeps the bigram index (2-character fragments, initials) in step with renames and deletes', () => {
    expect(ids({ query: '盛建' })).toEqual({ ids: ['e1'], total: 1 });
    expect(ids({ query: 'SJC' })).toEqual({ ids: ['e1'], total: 1 });
    expect(ids({ query: 'JHS' })).toEqual({ ids: [], total: 0 });
    expect(ids({ query: '华"' })).toEqual({ ids: [], total: 0 });
    db.prepare(`UPDATE enterprises SET name = '华盛新材有限公司', name_initials = 'HSXCYXGS', updated_at = '2025-01-06T00:00:00Z' WHERE id = 'e1'`).run();
    expect(ids({ query: '盛建' })).toEqual({ ids: [], total: 0 });
    expect(ids({ query: '新材' })).toEqual({ ids: ['e1'], total: 1 });
    expect(ids({ query: 'HSXC' })).toEqual({ ids: ['e1'], total: 1 });
    db.prepare(`INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
      VALUES ('e5', 'b', 't', 'u', '2025-01-07T00:00:00Z', 'u', '91360222A00000005X', '新材料临时公司', 'XCLLSGS', '张三', '浮梁县', '360222', 'C3012', 'small', 'private')`).run();
    expect(ids({ query: '新材' })).toEqual({ ids: ['e5', 'e1'], total: 2 });
    db.prepare(`DELETE FROM enterprises WHERE id = 'e5'`).run();
    expect(ids({ query: '新材' })).toEqual({ ids: ['e1'], total: 1 });
  });

  it('reads only the index for counting and ordering, whatever the statistics say', () => {
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT e.rowid FROM enterprises e INDEXED BY enterprises_list WHERE e.deleted_at IS NULL AND e.green_list = 1 ORDER BY e.name_initials, e.rowid LIMIT 100")).toMatch(
      // COVERING since 0023 closed the index with deleted_at (0006's read each row to test the partial index's condition).
      /SCAN e USING COVERING INDEX enterprises_list/,
    );
    expect(plan("SELECT count(*) FROM enterprises e INDEXED BY enterprises_uscc_live WHERE e.deleted_at IS NULL AND e.uscc >= '9136' AND e.uscc < '9136~'")).toMatch(
      /SEARCH e USING (COVERING )?INDEX enterprises_uscc_live/,
    );
    expect(plan("SELECT * FROM enterprises WHERE uscc = '91360222A00000001X' AND deleted_at IS NULL")).toMatch(/enterprises_uscc_live/);
  });
});
