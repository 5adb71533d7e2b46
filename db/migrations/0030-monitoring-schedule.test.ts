import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';
import { refreshMonitoringSchedule } from '../monitoring.ts';

const stamp = `'b', 1, '2026-01-01T00:00:00.000Z', 'u', '2026-01-01T00:00:00.000Z', 'u'`;
const enterprise = (id: string) =>
  `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
   VALUES ('${id}', ${stamp}, '91360222MA35L0KX${id.slice(1)}', '华盛建材有限公司', 'HSJC', '张建国', '浮梁县', '360222', 'C3012', 'small', 'private')`;
const loan = (id: string, enterpriseId: string, classification = 'normal', status = 'outstanding') =>
  `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
   VALUES ('${id}', ${stamp}, 'JK-${id}', '${enterpriseId}', 100, 100, '2026-01-31', '2026-01-31', '2027-01-31', 345, '${classification}', 'credit', '${status}')`;
const dirty = (db: ReturnType<typeof databaseAt>) => db.prepare('SELECT enterprise_id FROM monitoring_schedule_dirty ORDER BY 1').pluck().all();

describe('0030-monitoring-schedule', () => {
  it('upgrades a laptop holding loans: every borrower is computed at the first read', () => {
    const { db, cleanup } = upgradedFrom('monitoring-schedule', (before) => {
      before.exec(enterprise('e1'));
      before.exec(enterprise('e2'));
      before.exec(loan('l1', 'e1', 'special_mention'));
      before.exec(loan('l2', 'e2', 'normal', 'settled'));
    });
    try {
      expect(dirty(db)).toEqual(['e1', 'e2']);
      expect(refreshMonitoringSchedule(db)).toBe(2);
      // e2's only loan is settled: not a borrower to visit.
      expect(db.prepare('SELECT enterprise_id, band, interval_months, next_due_on FROM monitoring_schedule').all()).toEqual([{ enterprise_id: 'e1', band: 'special_mention', interval_months: 3, next_due_on: '2026-04-30' }]);
      expect(dirty(db)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('notes the enterprise of every change that moves its schedule, and nothing else', () => {
    const db = databaseAt('monitoring-schedule');
    db.exec(enterprise('e1'));
    expect(dirty(db)).toEqual([]);
    db.exec(loan('l1', 'e1'));
    expect(dirty(db)).toEqual(['e1']);
    refreshMonitoringSchedule(db);
    db.exec(`UPDATE loans SET balance_fen = 50 WHERE id = 'l1'`);
    expect(dirty(db)).toEqual([]);
    db.exec(`UPDATE loans SET classification = 'substandard' WHERE id = 'l1'`);
    expect(dirty(db)).toEqual(['e1']);
    refreshMonitoringSchedule(db);
    expect(db.prepare('SELECT band FROM monitoring_schedule').pluck().get()).toBe('non_performing');
    db.exec(`UPDATE enterprises SET environmental_rating = 'red' WHERE id = 'e1'`);
    db.exec(`INSERT INTO monitoring_visits (id, branch_id, version, created_at, created_by, updated_at, updated_by, enterprise_id, due_on, visited_on, officer_id) VALUES ('v1', ${stamp}, 'e1', '2026-03-01', '2026-03-02', 'u')`);
    expect(dirty(db)).toEqual(['e1']);
    refreshMonitoringSchedule(db);
    expect(db.prepare('SELECT band, last_visited_on, next_due_on FROM monitoring_schedule').get()).toEqual({ band: 'red_rating', last_visited_on: '2026-03-02', next_due_on: '2026-04-02' });
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT enterprise_id FROM monitoring_schedule s INDEXED BY monitoring_schedule_by_due WHERE s.next_due_on <= '2026-06-01' ORDER BY s.next_due_on LIMIT 100`).all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/SEARCH s USING COVERING INDEX monitoring_schedule_by_due \(next_due_on<\?\)/);
  });
});
