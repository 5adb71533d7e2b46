import { beforeAll, describe, expect, it } from 'vitest';
import type { EnterpriseListFilter, EnterpriseSort } from '../shared/api/enterprises.ts';
import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import { pinyinInitials } from '../shared/domain/pinyin.ts';
import { seededRandom } from '../shared/domain/testing.ts';
import { usccCheckCharacter } from '../shared/domain/uscc.ts';
import { listEnterprises, type EnterpriseRow } from './enterprises.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Db } from './open.ts';
import { statementPlans } from './testing.ts';

/**
 * The enterprise register's query against a plain reading of the same filter, search and sort over
 * every row: whichever plan a request takes (the search's own index, the list index, a sort's
 * walk), it must answer what the filter means, in the order the sort says, and count it as the
 * contract says (exactly up to LIST_COUNT_AHEAD past the page, then 「at least」).
 */
const ENTERPRISES = 7_000;
const COUNTIES = [['360222', '浮梁'], ['360281', '乐平'], ['330521', '德清'], ['430582', '邵东']] as const;
const WORDS = ['华盛', '绿源', '恒通', '鑫达', '瑞丰', '宏远', '金桥'];
const INDUSTRIES = [['C3012', '建材'], ['C3071', '陶瓷'], ['C1530', '茶业'], ['C2614', '化工']] as const;
const RATINGS = [null, 'green', 'blue', 'yellow', 'red', 'black'] as const;
const SCALES = ['large', 'medium', 'small', 'micro'] as const;

let db: Db;
const rows: (EnterpriseRow & { rowid: number })[] = [];

function uscc(county: string, serial: number): string {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let org = '';
  for (let n = serial, i = 0; i < 9; i += 1, n = Math.floor(n / 31)) org = charset[n % 31] + org;
  const first17 = `91${county}${org}`;
  return first17 + usccCheckCharacter(first17);
}

beforeAll(() => {
  db = openDatabase(':memory:');
  migrate(db);
  const random = seededRandom(20);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const insert = db.prepare(
    `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, uscc, name, name_initials, legal_representative, address,
       division_code, industry_code, focus_group, scale, ownership, environmental_rating, green_list, negative_list)
     VALUES (@id, 'b', 1, '2025-01-01T00:00:00.000Z', 'u', @updated_at, 'u', @deleted_at, @uscc, @name, @name_initials, '张三', '地址',
       @division_code, @industry_code, @focus_group, @scale, 'private', @environmental_rating, @green_list, @negative_list)`,
  );
  db.transaction(() => {
    for (let i = 0; i < ENTERPRISES; i += 1) {
      const [county, countyName] = pick(COUNTIES);
      const [industry, industryWord] = pick(INDUSTRIES);
      const name = `${countyName}${pick(WORDS)}${industryWord}有限公司`;
      const row = {
        id: `e${i}`,
        // Ties on purpose: many files share an updated_at, as an import's do.
        updated_at: `2025-0${1 + (i % 9)}-0${1 + Math.floor(random() * 9)}T00:00:00.000Z`,
        deleted_at: random() < 0.03 ? '2025-10-01T00:00:00.000Z' : null,
        uscc: uscc(county, i),
        name,
        name_initials: pinyinInitials(name),
        division_code: county,
        industry_code: industry,
        focus_group: industry.startsWith('C30') ? 'buildingMaterials' : null,
        scale: pick(SCALES),
        environmental_rating: pick(RATINGS),
        green_list: random() < 0.1 ? 1 : 0,
        negative_list: random() < 0.05 ? 1 : 0,
      };
      const { lastInsertRowid } = insert.run(row);
      rows.push({ ...(db.prepare('SELECT * FROM enterprises WHERE rowid = ?').get(lastInsertRowid) as EnterpriseRow), rowid: Number(lastInsertRowid) });
    }
  })();
});

/** What a query means (db/enterprises.ts searchClause): a USCC prefix, initials (or a USCC prefix of letters), a name fragment. */
function matchesQuery(row: EnterpriseRow, query: string): boolean {
  const upper = query.toUpperCase();
  if (/\d/.test(upper)) return row.uscc.startsWith(upper);
  if (/^[A-Z]+$/.test(upper)) return row.name_initials.includes(upper) || row.uscc.startsWith(upper);
  return row.name.includes(query);
}

const sortKey: Record<EnterpriseSort['field'], (row: EnterpriseRow) => string> = {
  name: (r) => `${r.name_initials}\u0000${r.name}`,
  uscc: (r) => r.uscc,
  industryCode: (r) => r.industry_code,
  divisionCode: (r) => r.division_code,
  updatedAt: (r) => r.updated_at,
};

function expected(filter: EnterpriseListFilter, sort: EnterpriseSort): EnterpriseRow[] {
  const wanted = rows.filter(
    (r) =>
      r.deleted_at === null &&
      (filter.query === undefined || matchesQuery(r, filter.query)) &&
      (filter.divisionCode === undefined || r.division_code.startsWith(filter.divisionCode)) &&
      (filter.focusGroup === undefined || r.focus_group === filter.focusGroup) &&
      (filter.scale === undefined || r.scale === filter.scale) &&
      (filter.rating === undefined || (filter.rating === 'none' ? r.environmental_rating === null : r.environmental_rating === filter.rating)) &&
      (filter.greenList === undefined || r.green_list === (filter.greenList ? 1 : 0)) &&
      (filter.negativeList === undefined || r.negative_list === (filter.negativeList ? 1 : 0)),
  );
  const key = sortKey[sort.field];
  const direction = sort.order === 'asc' ? 1 : -1;
  return wanted.sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
}

describe('listEnterprises', () => {
  it('answers what 200 random searches, filters and sorts mean, in their order, counted as the contract says', () => {
    const random = seededRandom(21);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const fields: EnterpriseSort['field'][] = ['name', 'uscc', 'industryCode', 'divisionCode', 'updatedAt'];
    for (let n = 0; n < 200; n += 1) {
      const filter: EnterpriseListFilter = {};
      // 2 characters (the bigram index), 3+ (trigram), initials, USCC prefixes from a county (many) to a few files.
      if (random() < 0.5) filter.query = pick([pick(WORDS), pick(COUNTIES)[1], `${pick(WORDS)}${pick(INDUSTRIES)[1]}`, pinyinInitials(pick(WORDS)), `91${pick(COUNTIES)[0]}`, `91${pick(COUNTIES)[0]}00000`, '91']);
      if (random() < 0.3) filter.divisionCode = pick(['36', '3602', '360222', '33']);
      if (random() < 0.2) filter.scale = pick(SCALES);
      if (random() < 0.2) filter.rating = pick(['none', 'green', 'red'] as const);
      if (random() < 0.1) filter.focusGroup = 'buildingMaterials';
      if (random() < 0.1) filter.greenList = true;
      if (random() < 0.05) filter.negativeList = random() < 0.5;
      const sort: EnterpriseSort = { field: pick(fields), order: random() < 0.5 ? 'asc' : 'desc' };
      const offset = random() < 0.5 ? 0 : 100 * Math.floor(random() * 25);
      const exactTotal = random() < 0.1;
      const want = expected(filter, sort);
      const page = listEnterprises(db, filter, sort, offset, 100, exactTotal);
      const label = JSON.stringify({ filter, sort, offset, exactTotal });
      // Ties in the sort key may come in any order the index keeps; the keys themselves must match.
      const key = sortKey[sort.field];
      expect(page.rows.map(key), label).toEqual(want.slice(offset, offset + 100).map(key));
      const wanted = new Set(want.map((w) => w.id));
      for (const row of page.rows) expect(wanted.has(row.id), label).toBe(true);
      expect(new Set(page.rows.map((r) => r.id)).size, label).toBe(page.rows.length);
      // Exact when asked or within the cap; past it either exact (a plan that counted every match anyway) or 「at least」 the cap.
      if (page.totalCapped) {
        expect(exactTotal || want.length <= offset + 100 + LIST_COUNT_AHEAD, label).toBe(false);
        expect(page.total, label).toBe(offset + 100 + LIST_COUNT_AHEAD);
      } else expect(page.total, label).toBe(want.length);
    }
  });

  it('a filter with nothing narrow to seek counts no further than its budget of index entries: then 「at least」 what it found, never more than match', () => {
    const random = seededRandom(22);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const fields: EnterpriseSort['field'][] = ['name', 'uscc', 'industryCode', 'divisionCode', 'updatedAt'];
    let bounded = 0;
    for (let n = 0; n < 120; n += 1) {
      const filter: EnterpriseListFilter = {};
      if (random() < 0.3) filter.divisionCode = pick(['36', '3602', '360222', '33']);
      if (random() < 0.5) filter.scale = pick(SCALES);
      if (random() < 0.5) filter.rating = pick(['none', 'green', 'red', 'black'] as const);
      if (random() < 0.2) filter.greenList = true;
      if (Object.keys(filter).length === 0) filter.rating = 'black';
      const sort: EnterpriseSort = { field: pick(fields), order: random() < 0.5 ? 'asc' : 'desc' };
      const offset = random() < 0.5 ? 0 : 100 * Math.floor(random() * 10);
      const want = expected(filter, sort);
      const page = listEnterprises(db, filter, sort, offset, 100, false, 1_500);
      const label = JSON.stringify({ filter, sort, offset });
      const key = sortKey[sort.field];
      expect(page.rows.map(key), label).toEqual(want.slice(offset, offset + 100).map(key));
      if (!page.totalCapped) expect(page.total, label).toBe(want.length);
      else {
        expect(page.total, label).toBeLessThanOrEqual(Math.min(want.length, offset + 100 + LIST_COUNT_AHEAD));
        expect(page.total, label).toBeGreaterThanOrEqual(page.rows.length === 0 ? 0 : offset + page.rows.length);
        if (page.total < offset + 100 + LIST_COUNT_AHEAD) bounded += 1;
      }
    }
    // Some of them were rare enough that the budget, not the cap, stopped the count.
    expect(bounded).toBeGreaterThan(5);
  });

  it('pages through a sort with ties without losing or repeating a file', () => {
    for (const filter of [{}, { divisionCode: '36' }, { query: '91' }, { negativeList: false }] as EnterpriseListFilter[]) {
      const sort: EnterpriseSort = { field: 'updatedAt', order: 'desc' };
      const total = expected(filter, sort).length;
      const seen = new Set<string>();
      for (let offset = 0; offset < total; offset += 500) for (const row of listEnterprises(db, filter, sort, offset, 500).rows) seen.add(row.id);
      expect(seen.size, JSON.stringify(filter)).toBe(total);
    }
  });

  it('caps the count past the page, and counts exactly when asked', () => {
    const all = rows.filter((r) => r.deleted_at === null).length;
    const sort: EnterpriseSort = { field: 'updatedAt', order: 'desc' };
    expect(listEnterprises(db, {}, sort, 0, 100)).toMatchObject({ total: 100 + LIST_COUNT_AHEAD, totalCapped: true });
    expect(listEnterprises(db, {}, sort, 0, 100, true)).toMatchObject({ total: all, totalCapped: false });
    expect(listEnterprises(db, {}, sort, all - 50, 100)).toMatchObject({ total: all, totalCapped: false });
    expect(listEnterprises(db, { query: '91' }, sort, 0, 1, true)).toMatchObject({ total: all, totalCapped: false });
  });

  it('a search matching more files than the capped count shows walks the sort index against the set of matches, no sort', () => {
    // 浮梁 names a quarter of the files: more than 1,100, fewer than the list index's threshold.
    for (const sort of [{ field: 'updatedAt', order: 'desc' }, { field: 'name', order: 'asc' }] as EnterpriseSort[]) {
      const plans = statementPlans(db, () => listEnterprises(db, { query: '浮梁' }, sort, 0, 100));
      const walk = plans.find((p) => /^SELECT e\.rowid FROM enterprises e INDEXED BY enterprises_(updated|name)_live/.test(p.sql));
      expect(walk?.plan, JSON.stringify(sort)).toMatch(/^SCAN e USING COVERING INDEX enterprises_(updated|name)_live \| LIST SUBQUERY/);
      // Only runs of equal keys are sorted by rowid as the walk goes (LAST TERM), never the matches.
      expect(walk?.plan).not.toMatch(/TEMP B-TREE FOR ORDER BY|enterprises_list/);
      // The files are not counted: the search index's own count (of at most a few thousand) said more matched than the cap.
      expect(plans.filter((p) => /^SELECT count/.test(p.sql)).map((p) => p.plan)).toEqual([expect.stringMatching(/^CO-ROUTINE \(subquery-1\) \| SCAN enterprises_grams VIRTUAL TABLE [^|]+\| SCAN \(subquery-1\)$/)]);
    }
  });

  it('a broad filter sorted by update walks the update index (0024), testing the filters there, and stops after the page', () => {
    // Most files are not on the negative list: more than WALK_AFTER (5,000) of the 7,000 match.
    const filter: EnterpriseListFilter = { negativeList: false };
    const sort: EnterpriseSort = { field: 'updatedAt', order: 'desc' };
    const want = expected(filter, sort);
    expect(want.length).toBeGreaterThan(5_000);
    for (const offset of [0, 2_000]) {
      const plans = statementPlans(db, () => listEnterprises(db, filter, sort, offset, 100));
      const walk = plans.find((p) => /INDEXED BY enterprises_updated_live/.test(p.sql))?.plan;
      expect(walk).toBe('SCAN e USING COVERING INDEX enterprises_updated_live | USE TEMP B-TREE FOR LAST TERM OF ORDER BY');
      const page = listEnterprises(db, filter, sort, offset, 100);
      expect(page.rows.map((r) => r.updated_at)).toEqual(want.slice(offset, offset + 100).map((r) => r.updated_at));
      expect(page).toMatchObject({ total: offset + 100 + LIST_COUNT_AHEAD, totalCapped: true });
    }
  });

  it('a filter with no county sorted by name, USCC or industry walks that sort\'s index (0028) and stops after the page, no sort of the matches', () => {
    for (const [field, index] of [['name', 'enterprises_name_live'], ['uscc', 'enterprises_uscc_live'], ['industryCode', 'enterprises_industry_live']] as const) {
      const plans = statementPlans(db, () => listEnterprises(db, { negativeList: false }, { field, order: 'desc' }, 0, 100));
      const walk = plans.find((p) => p.sql.includes(`INDEXED BY ${index}`))?.plan;
      expect(walk, field).toMatch(new RegExp(`^SCAN e USING COVERING INDEX ${index}( \\| USE TEMP B-TREE FOR LAST TERM OF ORDER BY)?$`));
      // The count reads the list index no further than its budget: a co-routine, never a sort.
      for (const { plan } of plans.filter((p) => p.sql.startsWith('SELECT count'))) expect(plan, field).not.toMatch(/TEMP B-TREE/);
    }
  });
});
