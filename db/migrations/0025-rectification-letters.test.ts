import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';
import { missingSyncableColumns } from '../conventions.ts';

const stamp = `'b', 1, '2026-06-01T00:00:00.000Z', 'u', '2026-06-01T00:00:00.000Z', 'u'`;
const letter = (id: string, sequence: number | string) =>
  `INSERT INTO rectification_letters (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_id, sequence, letter_number, sent_on, sent_by, attachment_id)
   VALUES ('${id}', ${stamp}, 'c1', ${String(sequence)}, 'ZG-2026-3F9A-0007-01', '2026-06-02', 'u', 'a1')`;

describe('0025-rectification-letters', () => {
  it('creates the letters table with the syncable conventions, sequences from 1', () => {
    const db = databaseAt('rectification-letters');
    expect(missingSyncableColumns(db, 'rectification_letters')).toEqual([]);
    db.exec(letter('l1', 1));
    expect(() => db.exec(letter('l0', 0))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(letter('l2', 1.5))).toThrow(/cannot store REAL/);
  });

  it('upgrades a laptop holding cases: they stay, with no letters yet', () => {
    const { db, cleanup } = upgradedFrom('rectification-letters', (before) => {
      before.exec(`INSERT INTO rectification_cases (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_number, enterprise_id, category, source,
          found_on, description, required_actions, deadline, measure, officer_id, letter_sent_on)
        VALUES ('c1', ${stamp}, 'ZG-2026-A1B2-0001', 'e1', 'environmental', 'inspection', '2026-05-20', '废水超标排放', '限期完成污水处理设施改造', '2026-08-31', 'urge', 'u', '2026-05-25')`);
    });
    try {
      expect(db.prepare('SELECT letter_sent_on FROM rectification_cases').pluck().get()).toBe('2026-05-25');
      expect(db.prepare('SELECT count(*) FROM rectification_letters').pluck().get()).toBe(0);
    } finally {
      cleanup();
    }
  });
});
