import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2026-06-01T00:00:00.000Z', 'u', '2026-06-01T00:00:00.000Z', 'u'`;
const insertCase = (id: string, found: string, deadline: string, status = 'open', visit: string | null = null) =>
  `INSERT INTO rectification_cases (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_number, enterprise_id, category, source,
      found_on, description, required_actions, deadline, measure, officer_id, status, monitoring_visit_id)
    VALUES ('${id}', ${stamp}, 'ZG-2026-A1-${id}', 'e1', 'environmental', 'bank_visit', '${found}', '废水超标排放', '限期完成污水处理设施改造', '${deadline}', 'urge', 'u', '${status}', ${visit === null ? 'NULL' : `'${visit}'`})`;

const plan = (db: ReturnType<typeof databaseAt>, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');

describe('0020-case-indexes', () => {
  it('walks the found day for overdue cases on the index alone, and finds a visit’s case by its own index', () => {
    const db = databaseAt('case-indexes');
    expect(plan(db, `SELECT c.rowid FROM rectification_cases c INDEXED BY rectification_cases_by_found WHERE c.deleted_at IS NULL AND c.status IN ('open', 'in_progress') AND c.deadline < '2026-12-01' ORDER BY c.found_on DESC LIMIT 100`)).toMatch(/COVERING INDEX rectification_cases_by_found/);
    expect(plan(db, `SELECT c.rowid FROM rectification_cases c INDEXED BY rectification_cases_by_status WHERE c.deleted_at IS NULL AND c.status = 'open' ORDER BY c.found_on, c.rowid`)).toMatch(/COVERING INDEX rectification_cases_by_status/);
    expect(plan(db, `SELECT id FROM rectification_cases WHERE monitoring_visit_id = 'v1' AND deleted_at IS NULL`)).toMatch(/rectification_cases_by_visit/);
  });

  it('upgrades a register holding cases: each is still found through the rebuilt indexes', () => {
    const { db, cleanup } = upgradedFrom('case-indexes', (before) => {
      before.exec(insertCase('0001', '2026-03-01', '2026-04-01'));
      before.exec(insertCase('0002', '2026-05-01', '2099-01-01', 'open', 'v1'));
      before.exec(insertCase('0003', '2026-02-01', '2026-03-01', 'closed'));
    });
    try {
      const byFound = db.prepare(`SELECT id FROM rectification_cases INDEXED BY rectification_cases_by_found WHERE deleted_at IS NULL AND status <> 'closed' AND deadline < '2026-12-01' ORDER BY found_on`).pluck().all();
      expect(byFound).toEqual(['0001']);
      expect(db.prepare(`SELECT id FROM rectification_cases INDEXED BY rectification_cases_by_status WHERE deleted_at IS NULL AND status = 'open' ORDER BY found_on`).pluck().all()).toEqual(['0001', '0002']);
      expect(db.prepare(`SELECT id FROM rectification_cases INDEXED BY rectification_cases_by_visit WHERE monitoring_visit_id = 'v1' AND deleted_at IS NULL`).pluck().all()).toEqual(['0002']);
    } finally {
      cleanup();
    }
  });
});
