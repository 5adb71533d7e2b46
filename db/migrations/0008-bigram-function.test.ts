import { describe, expect, it } from 'vitest';
import { bigrams } from '../open.ts';
import { databaseAt } from '../testing.ts';

describe('0008-bigram-function', () => {
  it('tokenises like 0006 did, through the registered function', () => {
    expect(bigrams('华盛建材')).toBe('华盛 盛建 建材');
    expect(bigrams('HSJC')).toBe('HS SJ JC');
    expect(bigrams('华')).toBeNull();
    const db = databaseAt('bigram-function');
    const insert = db.prepare(
      `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
       VALUES (?, 'b', 't', 'u', 't', 'u', ?, ?, ?, '张三', '浮梁县', '360222', 'C3012', 'small', 'private')`,
    );
    insert.run('e1', '91350100M000100Y43', '华盛建材有限公司', 'HSJCYXGS');
    const find = (match: string) => db.prepare('SELECT rowid FROM enterprises_grams WHERE enterprises_grams MATCH ?').pluck().all(match);
    expect(find('{name_grams} : "华盛"')).toHaveLength(1);
    expect(find('{initials_grams} : "HS SJ JC"')).toHaveLength(1);
    db.prepare(`UPDATE enterprises SET name = '景德镇陶瓷有限公司', name_initials = 'JDZTCYXGS' WHERE id = 'e1'`).run();
    expect(find('{name_grams} : "华盛"')).toHaveLength(0);
    expect(find('{name_grams} : "陶瓷"')).toHaveLength(1);
  });
});
