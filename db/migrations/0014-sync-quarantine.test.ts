import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0014-sync-quarantine', () => {
  it('keeps one quarantined version per row, replaced by the next', () => {
    const db = databaseAt('sync-quarantine');
    const put = db.prepare(
      `INSERT INTO sync_quarantine (table_name, row_id, version, seq, snapshot, reason, received_at) VALUES ('enterprises', 'r1', ?, ?, '{}', 'NOT NULL', 't')
       ON CONFLICT (table_name, row_id) DO UPDATE SET version = excluded.version, seq = excluded.seq`,
    );
    put.run(1, 10);
    put.run(2, 12);
    expect(db.prepare('SELECT version, seq FROM sync_quarantine').all()).toEqual([{ version: 2, seq: 12 }]);
    expect(() => db.prepare(`INSERT INTO sync_quarantine (table_name, row_id, version, seq, snapshot, reason, received_at) VALUES ('t', 'r', 'x', 1, '{}', 'r', 't')`).run()).toThrow(/cannot store TEXT/);
  });
});
