import { describe, expect, it } from 'vitest';
import { rowIssues } from './rows.ts';
import { isGuardedField } from './tables.ts';

/** The loan rows head office checks every pushed change against (server/merge.ts validate step). */
const stamp = { created_at: '2025-06-30T02:00:00.000Z', created_by: 'u1', updated_at: '2025-06-30T02:00:00.000Z', updated_by: 'u1', deleted_at: null };
const loan = {
  ...stamp,
  loan_number: 'JK2025-0001',
  enterprise_id: 'e1',
  application_id: null,
  amount_fen: 500_000_00,
  balance_fen: 400_000_00,
  balance_as_of: '2025-06-30',
  disbursed_on: '2025-01-15',
  matures_on: '2026-01-14',
  rate_bp: 435,
  classification: 'normal',
  guarantee_mode: 'environmental_rights_pledge',
  status: 'outstanding',
  purpose: '购买节能设备',
};

describe('loan rows at head office', () => {
  it('accepts a loan and a snapshot as a laptop writes them', () => {
    expect(rowIssues('loans', loan)).toEqual([]);
    expect(rowIssues('loan_snapshots', { ...stamp, loan_id: 'l1', as_of: '2025-06-30', balance_fen: 0, classification: 'loss' })).toEqual([]);
  });

  it.each([
    ['a balance over the amount', { balance_fen: 500_000_01 }, 'balance_fen'],
    ['a settled loan with a balance', { status: 'settled' }, 'balance_fen'],
    ['a normal loan written off', { status: 'written_off' }, 'classification'],
    ['a maturity before disbursement', { matures_on: '2025-01-15' }, 'matures_on'],
    ['an amount in yuan with decimals', { amount_fen: 5000.5 }, 'amount_fen'],
    ['a class in words', { classification: '正常' }, 'classification'],
    ['a loan number with a space', { loan_number: 'JK 2025' }, 'loan_number'],
    ['a column no table has', { balance_yuan: 4 }, 'balance_yuan'],
  ])('refuses %s, naming the column', (_name, change, field) => {
    expect(rowIssues('loans', { ...loan, ...change }).map((issue) => issue.field)).toContain(field);
  });

  it('checks an update on the fields it sets, against the row as it would stand', () => {
    expect(rowIssues('loans', { ...loan, balance_fen: 600_000_00 }, ['balance_fen'])).toEqual([{ field: 'balance_fen', message: '贷款余额不能大于贷款金额' }]);
    expect(rowIssues('loans', { ...loan, purpose: '流动资金' }, ['purpose'])).toEqual([]);
  });

  it('guards every figure and state of a loan; the purpose merges', () => {
    for (const field of ['amount_fen', 'balance_fen', 'balance_as_of', 'classification', 'status', 'rate_bp', 'matures_on', 'enterprise_id', 'loan_number']) expect(isGuardedField('loans', field), field).toBe(true);
    expect(isGuardedField('loans', 'purpose')).toBe(false);
    for (const field of ['balance_fen', 'classification', 'as_of', 'loan_id']) expect(isGuardedField('loan_snapshots', field), field).toBe(true);
  });
});
