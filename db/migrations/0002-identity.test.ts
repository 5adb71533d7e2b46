import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0002-identity', () => {
  it('applies on top of the previous migrations', () => {
    const db = databaseAt('identity');
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['branch', 'users', 'login_throttle']));
  });
});
