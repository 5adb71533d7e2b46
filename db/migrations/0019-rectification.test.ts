import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';
import { missingSyncableColumns } from '../conventions.ts';

const stamp = `'b', 1, '2026-06-01T00:00:00.000Z', 'u', '2026-06-01T00:00:00.000Z', 'u'`;
const insertCase = (id: string, values: Partial<Record<'category' | 'source' | 'measure' | 'status', string>> = {}) => {
  const { category = 'environmental', source = 'penalty_decision', measure = 'urge', status = 'open' } = values;
  return `INSERT INTO rectification_cases (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_number, enterprise_id, category, source, source_reference,
      found_on, description, required_actions, deadline, measure, officer_id, status)
    VALUES ('${id}', ${stamp}, 'ZG-2026-A1-0001', 'e1', '${category}', '${source}', '浮环罚〔2026〕12号', '2026-05-20', '废水超标排放', '限期完成污水处理设施改造', '2026-08-31', '${measure}', 'u', '${status}')`;
};

describe('0019-rectification', () => {
  it('creates cases, follow-ups and monitoring visits with the syncable conventions', () => {
    const db = databaseAt('rectification');
    for (const table of ['rectification_cases', 'rectification_follow_ups', 'monitoring_visits']) expect(missingSyncableColumns(db, table), table).toEqual([]);
  });

  it('starts a case open with an empty exposure plan, and checks the coded values', () => {
    const db = databaseAt('rectification');
    db.exec(insertCase('c1'));
    expect(db.prepare(`SELECT status, exposure_plan, verifier_id FROM rectification_cases WHERE id = 'c1'`).get()).toEqual({ status: 'open', exposure_plan: '[]', verifier_id: null });
    expect(() => db.exec(insertCase('c2', { category: '环保' }))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertCase('c3', { source: 'rumour' }))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertCase('c4', { measure: 'warn' }))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertCase('c5', { status: 'done' }))).toThrow(/CHECK constraint failed/);
  });

  it('keeps progress within 0–100 percent', () => {
    const db = databaseAt('rectification');
    const followUp = (progress: number | string) =>
      db.exec(`INSERT INTO rectification_follow_ups (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_id, followed_on, kind, note, progress_percent)
        VALUES ('f-${String(progress)}', ${stamp}, 'c1', '2026-06-10', 'visit', '现场查看', ${String(progress)})`);
    followUp(40);
    expect(() => followUp(101)).toThrow(/CHECK constraint failed/);
    expect(() => followUp(12.5)).toThrow(/cannot store REAL/);
  });

  it('upgrades a laptop holding enterprise files: they stay, the case register starts empty', () => {
    const { db, cleanup } = upgradedFrom('rectification', (before) => {
      before.exec(`INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
        VALUES ('e1', ${stamp}, '91360222MA35L0KX1F', '华盛建材有限公司', 'HSJC', '张建国', '浮梁县', '360222', 'C3012', 'small', 'private')`);
    });
    try {
      expect(db.prepare('SELECT name FROM enterprises').pluck().all()).toEqual(['华盛建材有限公司']);
      expect(db.prepare('SELECT count(*) FROM rectification_cases').pluck().get()).toBe(0);
    } finally {
      cleanup();
    }
  });
});
