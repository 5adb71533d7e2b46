import { describe, expect, it } from 'vitest';
import { openDatabase } from '../open.ts';
import { loadMigrations, migrate } from '../migrate.ts';

describe('0003-audit', () => {
  it('applies on top of the previous migrations', () => {
    const db = openDatabase(':memory:');
    const all = loadMigrations();
    const index = all.findIndex((m) => m.name === 'audit');
    migrate(db, all.slice(0, index));
    migrate(db, all.slice(0, index + 1));
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'audit_head']));
  });
});
