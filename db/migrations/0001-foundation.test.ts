import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0001-foundation', () => {
  it('creates the local settings and device tables', () => {
    const db = databaseAt('foundation');
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('locale', '"zh-CN"', '2026-01-01T00:00:00Z')`).run();
    db.prepare(`INSERT INTO device (singleton, client_id, created_at) VALUES (1, 'x', '2026-01-01T00:00:00Z')`).run();
    expect(() =>
      db.prepare(`INSERT INTO device (singleton, client_id, created_at) VALUES (2, 'y', '2026-01-01T00:00:00Z')`).run(),
    ).toThrowError(/CHECK constraint/);
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(1);
  });
});
