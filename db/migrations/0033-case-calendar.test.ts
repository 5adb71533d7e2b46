import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

const plan = (db: ReturnType<typeof databaseAt>, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((step) => step.detail).join('\n');

describe('0033-case-calendar', () => {
  it('reads a range of next follow-up days off their index, the case by its key, and deadlines and visits off theirs', () => {
    const db = databaseAt('case-calendar');
    const followUps = plan(
      db,
      `SELECT f.id FROM rectification_follow_ups f INDEXED BY rectification_follow_ups_by_next CROSS JOIN rectification_cases c ON c.id = f.case_id
       WHERE f.deleted_at IS NULL AND f.next_follow_up_on IS NOT NULL AND f.next_follow_up_on BETWEEN '2026-12-01' AND '2026-12-31' AND c.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM rectification_follow_ups later INDEXED BY rectification_follow_ups_by_case WHERE later.case_id = f.case_id AND later.deleted_at IS NULL AND later.followed_on >= '2026-12-01')`,
    );
    expect(followUps).toMatch(/SEARCH f USING (COVERING )?INDEX rectification_follow_ups_by_next \(next_follow_up_on>\? AND next_follow_up_on<\?\)/);
    expect(followUps).toMatch(/SEARCH c USING INDEX sqlite_autoindex_rectification_cases_1 \(id=\?\)/);
    expect(followUps).toMatch(/SEARCH later USING (COVERING )?INDEX rectification_follow_ups_by_case \(case_id=\? AND followed_on>\?\)/);
    expect(plan(db, `SELECT c.id FROM rectification_cases c INDEXED BY rectification_cases_by_deadline WHERE c.deleted_at IS NULL AND c.deadline BETWEEN '2026-12-01' AND '2026-12-31'`)).toMatch(
      /SEARCH c USING (COVERING )?INDEX rectification_cases_by_deadline \(deadline>\? AND deadline<\?\)/,
    );
    expect(plan(db, `SELECT v.id FROM monitoring_visits v INDEXED BY monitoring_visits_by_due WHERE v.deleted_at IS NULL AND v.visited_on IS NULL AND v.due_on BETWEEN '2026-12-01' AND '2026-12-31'`)).toMatch(
      /SEARCH v USING INDEX monitoring_visits_by_due \(due_on>\? AND due_on<\?\)/,
    );
  });

  it('leaves out deleted follow-ups and those that set no next day', () => {
    const db = databaseAt('case-calendar');
    const stamp = `'b', 1, '2026-01-01T00:00:00.000Z', 'u', '2026-01-01T00:00:00.000Z', 'u'`;
    const followUp = (id: string, next: string | null, deleted: string | null) =>
      db.exec(`INSERT INTO rectification_follow_ups (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, case_id, followed_on, kind, note, progress_percent, next_follow_up_on)
        VALUES ('${id}', ${stamp}, ${deleted === null ? 'NULL' : `'${deleted}'`}, 'c1', '2026-11-01', 'visit', '现场查看', 50, ${next === null ? 'NULL' : `'${next}'`})`);
    followUp('f1', '2026-12-10', null);
    followUp('f2', null, null);
    followUp('f3', '2026-12-11', '2026-11-02T00:00:00.000Z');
    expect(db.prepare(`SELECT case_id, next_follow_up_on FROM rectification_follow_ups INDEXED BY rectification_follow_ups_by_next WHERE deleted_at IS NULL AND next_follow_up_on IS NOT NULL AND next_follow_up_on >= '2026-01-01'`).all()).toEqual([
      { case_id: 'c1', next_follow_up_on: '2026-12-10' },
    ]);
  });
});
