import { describe, expect, it } from 'vitest';
import { changeSchema, helloRequestSchema, pullRequestSchema, pushRequestSchema, resolveRequestSchema, syncResultSchema, pushResponseSchema } from './protocol.ts';
import { isGuardedField, isSyncTable, syncTables } from './tables.ts';

const change = {
  opId: 1,
  table: 'enterprises',
  rowId: '0190b5a0-0000-7000-8000-0000000000aa',
  op: 'update',
  fields: { contact_phone: '0739-1234567', notes: { text: '走访', tags: ['节水'] } },
  prev: { contact_phone: null, notes: null },
  baseVersion: 3,
  hlc: '001767225600000:00000:0190b5a0-0000-7000-8000-000000000001',
  userId: 'officer-1',
  at: '2026-01-01T08:00:00+08:00',
};

describe('wire protocol schemas', () => {
  it('accepts a well-formed change', () => {
    expect(changeSchema.parse(change)).toEqual(change);
  });

  it.each([
    ['opId 0', { opId: 0 }],
    ['fractional opId', { opId: 1.5 }],
    ['unknown op', { op: 'upsert' }],
    ['row id not a uuid', { rowId: '42' }],
    ['negative base version', { baseVersion: -1 }],
    ['malformed HLC', { hlc: '2026-01-01' }],
    ['camelCase field', { fields: { contactPhone: '1' } }],
    ['SQL in a field name', { fields: { 'name; DROP TABLE x': 1 } }],
    ['a function as value', { fields: { name: () => 1 } }],
    ['local time without offset', { at: '2026-01-01T08:00:00' }],
    ['table name with a dot', { table: 'public.enterprises' }],
    ['a lone surrogate in a field value (H2)', { fields: { name: '华盛\ud800' } }],
    ['a lone surrogate deep inside a JSON field (H2)', { fields: { notes: { text: '走访', tags: ['节水', '\udc00'] } } }],
    ['a lone surrogate in a previous value (H2)', { prev: { contact_phone: '\ud83d' } }],
    ['a lone surrogate in the user id (H2)', { userId: 'officer\ud800' }],
  ])('refuses a change with %s', (_case, patch) => {
    expect(changeSchema.safeParse({ ...change, ...patch }).success).toBe(false);
  });

  it('caps a push page at 2000 changes', () => {
    const clientId = '0190b5a0-0000-7000-8000-000000000001';
    expect(pushRequestSchema.safeParse({ clientId, changes: Array.from({ length: 2000 }, () => change) }).success).toBe(true);
    expect(pushRequestSchema.safeParse({ clientId, changes: Array.from({ length: 2001 }, () => change) }).success).toBe(false);
  });

  it('defaults a pull to 2,500 rows and no reference data held', () => {
    expect(pullRequestSchema.parse({ since: 0 })).toEqual({ since: 0, limit: 2500, referenceVersions: {} });
    expect(pullRequestSchema.safeParse({ since: 0, limit: 100_000 }).success).toBe(false);
  });

  it('speaks protocol 1 only', () => {
    const hello = { protocol: 1, appVersion: '0.1.0', schemaVersion: 3, clientId: '0190b5a0-0000-7000-8000-000000000001', clientTime: '2026-01-01T00:00:00Z' };
    expect(helloRequestSchema.safeParse(hello).success).toBe(true);
    expect(helloRequestSchema.safeParse({ ...hello, protocol: 2 }).success).toBe(false);
  });

  it("needs fields for an 'edit' resolution only, and the version decided on for every one", () => {
    expect(resolveRequestSchema.safeParse({ choice: 'mine', expectedVersion: 3 }).success).toBe(true);
    expect(resolveRequestSchema.safeParse({ choice: 'mine' }).success).toBe(false);
    expect(resolveRequestSchema.safeParse({ choice: 'edit', expectedVersion: 3 }).success).toBe(false);
    expect(resolveRequestSchema.safeParse({ choice: 'edit', fields: {}, expectedVersion: 3 }).success).toBe(false);
    expect(resolveRequestSchema.safeParse({ choice: 'edit', fields: { scale: 'large' }, expectedVersion: 3 }).success).toBe(true);
  });

  it('parses hub answers, refusing an unknown error code or a garbled value', () => {
    const answers = syncResultSchema(pushResponseSchema);
    expect(answers.safeParse({ ok: true, value: { results: [{ opId: 1, status: 'applied', serverSeq: 7 }] } }).success).toBe(true);
    expect(answers.safeParse({ ok: false, error: { code: 'DEVICE_REVOKED', message: 'revoked' } }).success).toBe(true);
    expect(answers.safeParse({ ok: false, error: { code: 'TEAPOT', message: '' } }).success).toBe(false);
    expect(answers.safeParse({ ok: true, value: { results: [{ opId: 1, status: 'maybe' }] } }).success).toBe(false);
    expect(answers.safeParse('<html>502 Bad Gateway</html>').success).toBe(false);
  });
});

describe('syncable tables', () => {
  it.each([
    ['environmental_rating', true],
    ['outdated_capacity', true],
    ['outdated_capacity_exit_deadline', true],
    ['uscc', true],
    ['negative_list', true],
    ['deleted_at', true],
    ['contact_phone', false],
    ['contact_name', false],
    ['address', false],
    ['notes', false],
  ])('enterprises.%s guarded: %s', (field, guarded) => {
    expect(isGuardedField('enterprises', field)).toBe(guarded);
  });

  it('knows only registered tables', () => {
    expect(isSyncTable('enterprises')).toBe(true);
    expect(isSyncTable('users')).toBe(false);
    expect(isSyncTable('toString')).toBe(false);
    expect(isSyncTable('__proto__')).toBe(false);
  });

  it('lists guarded fields as snake_case columns, once each', () => {
    for (const table of Object.values(syncTables)) {
      expect(new Set(table.guardedFields).size).toBe(table.guardedFields.length);
      for (const field of table.guardedFields) expect(field).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});
