import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseListFilter, CaseSort } from '../shared/api/rectification.ts';
import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import { caseCategories, caseMeasures, caseStatuses, isCaseOverdue } from '../shared/domain/rectification.ts';
import { seededRandom } from '../shared/domain/testing.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Db } from './open.ts';
import { listCases, type CaseRow } from './rectification.ts';

/**
 * The case register's query against a plain reading of every case: whichever plan a request takes
 * (an id's narrow index, a few matches read and sorted, a walk of the sort's index that stops after
 * the page), it answers what the filter means, in the order the sort says, and counts it as the
 * contract says (exactly up to LIST_COUNT_AHEAD past the page, then 「at least」; exactly on demand).
 */
const CASES = 3_000;
const TODAY = '2026-12-01';
const COUNTIES = ['360222', '430582'] as const;

let db: Db;
const cases: (CaseRow & { rowid: number; division: string })[] = [];

beforeAll(() => {
  db = openDatabase(':memory:');
  migrate(db);
  const random = seededRandom(2016);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
  const enterprises = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, division: COUNTIES[i % 2]! }));
  db.transaction(() => {
    for (const enterprise of enterprises) {
      db.prepare(
        `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
         VALUES (?, 'b', '2025-01-01T00:00:00Z', 'u', '2025-01-01T00:00:00Z', 'u', ?, ?, 'QY', '张三', '地址', ?, 'C3012', 'small', 'private')`,
      ).run(enterprise.id, `9136${enterprise.id.padStart(14, '0')}`, `企业${enterprise.id}`, enterprise.division);
    }
    const insert = db.prepare(
      `INSERT INTO rectification_cases (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, case_number, enterprise_id, category, source, found_on,
         description, required_actions, deadline, measure, officer_id, status)
       VALUES (@id, 'b', 1, '2026-01-01T00:00:00Z', 'u', '2026-01-01T00:00:00Z', 'u', @deleted_at, @id, @enterprise_id, @category, 'inspection', @found_on, '检查发现问题', '限期整改', @deadline, @measure, @officer_id, @status)`,
    );
    for (let i = 0; i < CASES; i += 1) {
      const enterprise = pick(enterprises);
      // Few distinct days on purpose: ties, which each plan must order the same way on every page.
      const found = Math.floor(random() * 60) * 5;
      const row = {
        id: `ZG-${String(i).padStart(5, '0')}`,
        deleted_at: random() < 0.03 ? '2026-06-01T00:00:00Z' : null,
        enterprise_id: enterprise.id,
        category: random() < 0.6 ? 'environmental' : pick(caseCategories),
        found_on: day(found),
        deadline: day(found + 20 + Math.floor(random() * 10) * 20),
        measure: random() < 0.7 ? 'urge' : pick(caseMeasures),
        officer_id: pick(['o1', 'o2', 'o3']),
        status: random() < 0.5 ? 'closed' : pick(caseStatuses),
      };
      const { lastInsertRowid } = insert.run(row);
      if (row.deleted_at === null) cases.push({ ...(row as unknown as CaseRow), rowid: Number(lastInsertRowid), division: enterprise.division });
    }
  })();
});

function matches(filter: CaseListFilter, row: (typeof cases)[number]): boolean {
  if (filter.status !== undefined && row.status !== filter.status) return false;
  if (filter.category !== undefined && row.category !== filter.category) return false;
  if (filter.measure !== undefined && row.measure !== filter.measure) return false;
  if (filter.officerId !== undefined && row.officer_id !== filter.officerId) return false;
  if (filter.enterpriseId !== undefined && row.enterprise_id !== filter.enterpriseId) return false;
  if (filter.divisionCode !== undefined && row.division !== filter.divisionCode) return false;
  if (filter.overdue !== undefined && isCaseOverdue(row, TODAY) !== filter.overdue) return false;
  return true;
}

describe('case register (listCases) against a plain reading', () => {
  it('answers 200 random filters and sorts with the cases they mean, in sort order, counted per the contract', () => {
    const random = seededRandom(16);
    const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < 200; n += 1) {
      const filter: CaseListFilter = {};
      if (random() < 0.3) filter.overdue = random() < 0.8;
      else if (random() < 0.5) filter.status = pick(caseStatuses);
      if (random() < 0.3) filter.category = pick(caseCategories);
      if (random() < 0.2) filter.measure = pick(caseMeasures);
      if (random() < 0.15) filter.officerId = pick(['o1', 'o2', 'o3']);
      if (random() < 0.15) filter.divisionCode = pick(COUNTIES);
      if (random() < 0.05) filter.enterpriseId = `e${Math.floor(random() * 40)}`;
      const sort: CaseSort = { field: pick(['deadline', 'foundOn'] as const), order: pick(['asc', 'desc'] as const) };
      const expected = cases.filter((row) => matches(filter, row));
      const label = JSON.stringify({ filter, sort });
      const limit = pick([50, 100, 500]);
      const seen: string[] = [];
      let previous: string | null = null;
      for (let offset = 0; ; offset += limit) {
        const page = listCases(db, filter, sort, offset, limit, TODAY);
        const cap = Math.max(1_000, offset + limit + LIST_COUNT_AHEAD);
        if (expected.length > cap) expect(page, label).toMatchObject({ total: cap, totalCapped: true });
        else expect(page, label).toMatchObject({ total: expected.length, totalCapped: false });
        for (const row of page.rows) {
          const key = sort.field === 'deadline' ? row.deadline : row.found_on;
          if (previous !== null) expect(sort.order === 'asc' ? key >= previous : key <= previous, label).toBe(true);
          previous = key;
          seen.push(row.id);
        }
        if (page.rows.length < limit) break;
      }
      // Every match once: no page repeats or skips a tie.
      expect(new Set(seen).size, label).toBe(seen.length);
      expect([...seen].sort(), label).toEqual(expected.map((row) => row.id).sort());
      expect(listCases(db, filter, sort, 0, 1, TODAY, true), label).toMatchObject({ total: expected.length, totalCapped: false });
    }
  });
});
