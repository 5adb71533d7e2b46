import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0003-audit', () => {
  it('applies on top of the previous migrations', () => {
    const db = databaseAt('audit');
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'audit_head']));
  });
});
