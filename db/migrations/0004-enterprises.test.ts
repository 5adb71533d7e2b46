import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0004-enterprises', () => {
  it('keeps the trigram name index in step with inserts, renames and deletes', () => {
    const db = databaseAt('enterprises');
    const insert = db.prepare(
      `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
       VALUES (?, 'b', 't', 'u', 't', 'u', ?, ?, ?, '张三', '浮梁县', '360222', 'C3012', 'small', 'private')`,
    );
    insert.run('e1', '91350100M000100Y43', '华盛建材有限公司', 'HSJCYXGS');
    const find = (q: string) => db.prepare(`SELECT e.id FROM enterprises_fts f JOIN enterprises e ON e.rowid = f.rowid WHERE enterprises_fts MATCH ?`).pluck().all(`"${q}"`);
    expect(find('盛建材')).toEqual(['e1']);
    db.prepare(`UPDATE enterprises SET name = '景德镇华盛陶瓷有限公司' WHERE id = 'e1'`).run();
    expect(find('盛建材')).toEqual([]);
    expect(find('华盛陶瓷')).toEqual(['e1']);
    // Unique at this version; migration 0009 lets a synced duplicate in (two laptops filed it offline).
    expect(() => insert.run('e2', '91350100M000100Y43', '重复代码', 'CFDM')).toThrowError(/UNIQUE/);
  });
});
