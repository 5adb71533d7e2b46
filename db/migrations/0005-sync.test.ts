import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0005-sync', () => {
  it('creates the outbox with monotonic op ids and one sync_state row', () => {
    const db = databaseAt('sync');
    const add = db.prepare(`INSERT INTO outbox (table_name, row_id, op, fields, prev, base_version, hlc, user_id, at) VALUES ('enterprises', 'r', 'insert', '{}', '{}', 0, 'h', 'u', 't')`);
    const first = add.run().lastInsertRowid;
    db.prepare('DELETE FROM outbox').run();
    // AUTOINCREMENT: an op id is never reused after the outbox drains, so (client_id, op_id) stays unique.
    expect(Number(add.run().lastInsertRowid)).toBe(Number(first) + 1);
    expect(db.prepare('SELECT checkpoint FROM sync_state').pluck().all()).toEqual([0]);
  });
});
