import { describe, expect, it } from 'vitest';
import type { Change } from '../shared/sync/protocol.ts';
import { actorOf, guard, mergeChange, validate, type ChangeSource, type RowState } from './merge.ts';

const branchId = '0190a000-0000-7000-8000-000000000001';
const rowId = '0190a000-0000-7000-8000-0000000000aa';
const laptopA: ChangeSource = { branchId, clientId: 'client-a', actor: 'device', deviceId: null };
const laptopB: ChangeSource = { ...laptopA, clientId: 'client-b' };

const change = (op: Change['op'], fields: Change['fields'], baseVersion: number, hlc = '1700000000000:0:a'): Change => ({
  opId: 1,
  table: 'enterprises',
  rowId,
  op,
  fields,
  prev: {},
  baseVersion,
  hlc,
  userId: 'officer',
  at: '2026-01-01T00:00:00.000Z',
});

const row = (overrides: Partial<RowState> = {}): RowState => ({
  table: 'enterprises',
  rowId,
  version: 2,
  guardedVersion: 2,
  guardedBy: 'client-a',
  deleted: false,
  data: { name: '华盛建材', scale: 'small', notes: 'n', branch_id: branchId },
  fieldHlc: { name: '1600000000000:0:a', scale: '1600000000000:0:a', notes: '1600000000000:0:a' },
  seq: 5,
  dirty: false,
  ...overrides,
});

describe('guard', () => {
  const context = { branchId, foreign: false };
  it('refuses what must never reach a row and lets the rest through', () => {
    expect(guard({ ...change('insert', {}, 0), table: 'users' }, undefined, context)).toBe('UNKNOWN_TABLE');
    expect(guard(change('insert', { branch_id: 'other' }, 0), undefined, context)).toBe('BRANCH_MISMATCH');
    expect(guard(change('insert', { id: 'other' }, 0), undefined, context)).toBe('ROW_ID_MISMATCH');
    expect(guard(change('insert', {}, 0), undefined, { branchId, foreign: true })).toBe('ROW_OF_ANOTHER_BRANCH');
    expect(guard(change('update', {}, 1), undefined, context)).toBe('ROW_NOT_FOUND');
    expect(guard(change('update', {}, 3), row(), context)).toBe('BASE_VERSION_AHEAD');
    expect(guard(change('update', { notes: 'x' }, 2), row(), context)).toBeNull();
  });
});

describe('mergeChange', () => {
  it('leaves the loaded row as it was and answers the row after the change', () => {
    const loaded = row();
    const merged = mergeChange(loaded, change('update', { notes: 'new' }, 2, '1700000000000:0:b'), laptopB, 9);
    expect(merged.row).toMatchObject({ version: 3, seq: 9, dirty: true, data: { notes: 'new' } });
    expect(loaded).toEqual(row());
    expect(merged).toMatchObject({ result: { status: 'applied', serverSeq: 9 }, conflict: null });
  });

  it('holds a stale guarded field in a conflict and still merges the low-risk one', () => {
    const merged = mergeChange(row(), change('update', { scale: 'large', notes: 'mine' }, 1, '1700000000000:0:b'), laptopB, 9);
    expect(merged.row.data).toMatchObject({ scale: 'small', notes: 'mine' });
    expect(merged.result).toMatchObject({ status: 'conflict', heldFields: ['scale'] });
    expect(merged.conflict).toMatchObject({ mine: { fields: { scale: 'large' }, clientId: 'client-b' }, theirs: { fields: { scale: 'small' }, version: 3 } });
  });

  it('applies an edit made on top of the same client\'s own guarded change', () => {
    const merged = mergeChange(row(), change('update', { scale: 'large' }, 1), laptopA, 9);
    expect(merged).toMatchObject({ result: { status: 'applied' }, conflict: null, row: { data: { scale: 'large' }, guardedVersion: 3 } });
  });

  it('lets a later HLC win a low-risk field and reports the older one as stale', () => {
    const merged = mergeChange(row(), change('update', { notes: 'old' }, 2, '1500000000000:0:b'), laptopB, 9);
    expect(merged.row.data.notes).toBe('n');
    expect(merged.result.staleFields).toEqual(['notes']);
  });
});

describe('validate and derived columns', () => {
  it('checks a changed field against the row schema, and only the fields the change sets', () => {
    const legacy = row({ data: { name: '华盛建材', scale: 'small', branch_id: branchId } });
    const bad = change('update', { scale: 'galactic' }, 2);
    expect(validate(legacy, bad, mergeChange(legacy, bad, laptopA, 9))).toEqual([{ field: 'scale', message: expect.any(String) }]);
    const fine = change('update', { scale: 'large' }, 2);
    expect(validate(legacy, fine, mergeChange(legacy, fine, laptopA, 9))).toEqual([]);
  });

  it('never merges a pushed derived column and recomputes it from the merged row', () => {
    const merged = mergeChange(row(), change('update', { name: '绿源食品', name_initials: 'XXXX' }, 2), laptopA, 9);
    expect(merged.row.data).toMatchObject({ name: '绿源食品', name_initials: 'LYSP' });
    expect(merged.row.fieldHlc.name_initials).toBeUndefined();
  });

  it('clears deleted_at when an insert brings a deleted row back', () => {
    const deleted = row({ deleted: true, data: { ...row().data, deleted_at: '2026-01-01T00:00:00.000Z' } });
    const merged = mergeChange(deleted, change('insert', { scale: 'large' }, 2), laptopA, 9);
    expect(merged.row).toMatchObject({ deleted: false, data: { deleted_at: null } });
  });
});

describe('actorOf: the person a change names, from the people row the hub holds', () => {
  const person = (data: Record<string, unknown>, overrides: Partial<RowState> = {}) => row({ table: 'people', data: { display_name: '赵经理', branch_id: branchId, ...data }, ...overrides });
  it.each<[string, RowState | undefined, ReturnType<typeof actorOf>]>([
    ['no row: nobody the hub knows', undefined, undefined],
    ['an active credit manager', person({ role: 'credit_manager', active: 1 }), { role: 'credit_manager', active: true }],
    ['a switched-off account', person({ role: 'credit_manager', active: 0 }), { role: 'credit_manager', active: false }],
    ['a removed row', person({ role: 'loan_officer', active: 1 }, { deleted: true }), { role: 'loan_officer', active: false }],
    ['a row soft-deleted by its field', person({ role: 'loan_officer', active: 1, deleted_at: '2026-06-01T00:00:00.000Z' }), { role: 'loan_officer', active: false }],
    ['a role that is not one of ours', person({ role: 'superuser', active: 1 }), undefined],
    ['a row of another table with the same id', row({ data: { role: 'credit_manager', active: 1 } }), undefined],
  ])('%s', (_name, state, expected) => {
    expect(actorOf(state)).toEqual(expected);
  });
});
