import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0012-people', () => {
  it('holds names and roles, and has no column for a credential', () => {
    const db = databaseAt('people');
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('people')`).pluck().all() as string[]).sort();
    expect(columns).toEqual(['active', 'branch_id', 'created_at', 'created_by', 'deleted_at', 'display_name', 'id', 'role', 'updated_at', 'updated_by', 'version']);
    const insert = (role: string) =>
      db.prepare(`INSERT INTO people (id, branch_id, created_at, created_by, updated_at, updated_by, display_name, role) VALUES (?, 'b', 't', 'u', 't', 'u', '王五', ?)`).run(`p-${role}`, role);
    insert('credit_manager');
    expect(() => insert('auditor')).toThrowError(/CHECK/);
  });
});
