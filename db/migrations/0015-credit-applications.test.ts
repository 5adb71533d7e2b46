import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';
import { missingSyncableColumns } from '../conventions.ts';

describe('0015-credit-applications', () => {
  const db = databaseAt('credit-applications');
  const insert = (values: Record<string, unknown>) =>
    db
      .prepare(
        `INSERT INTO credit_applications (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, product, amount_fen, term_months, rate_bp,
           purpose, purpose_kind, guarantee_mode, investigator_id, step_entered_at, status)
         VALUES (@id, 'b', 't', 'u', 't', 'u', 'e1', @product, @amount_fen, 12, @rate_bp, '购买原材料', 'general', @guarantee_mode, 'u', 't', @status)`,
      )
      .run({ product: 'working_capital', amount_fen: 300_000_000, rate_bp: 435, guarantee_mode: 'environmental_rights_pledge', status: 'investigation', ...values });

  it('creates both workflow tables with the syncable conventions', () => {
    expect(missingSyncableColumns(db, 'credit_applications')).toEqual([]);
    expect(missingSyncableColumns(db, 'credit_application_steps')).toEqual([]);
  });

  it('starts an application at investigation, waiting for a credit manager, amounts as integers', () => {
    insert({ id: 'a1' });
    expect(db.prepare(`SELECT status, approval_level, amount_fen, typeof(amount_fen) AS t FROM credit_applications WHERE id = 'a1'`).get()).toEqual({
      status: 'investigation',
      approval_level: 'credit_manager',
      amount_fen: 300_000_000,
      t: 'integer',
    });
  });

  it.each([
    ['a status outside the workflow', { status: 'draft' }, /CHECK/],
    ['an amount of zero', { amount_fen: 0 }, /CHECK/],
    ['an amount in 元 with decimals', { amount_fen: 3000000.5 }, /cannot store REAL/],
    ['an unknown product', { product: 'mortgage_loan' }, /CHECK/],
    ['an unknown guarantee mode', { guarantee_mode: 'letter' }, /CHECK/],
    ['a rate above 36%', { rate_bp: 3601 }, /CHECK/],
  ])('refuses %s', (_name, values, error) => {
    expect(() => insert({ id: `bad-${Math.random()}`, ...values })).toThrowError(error);
  });

  it('keeps the hub’s refusals for 同步, one per change', () => {
    const put = db.prepare(`INSERT INTO sync_rejections (op_id, table_name, row_id, reason, rejected_at) VALUES (?, 'credit_applications', 'a1', 'LIFECYCLE', 't')`);
    put.run(7);
    expect(() => put.run(7)).toThrowError(/UNIQUE|PRIMARY/);
  });
});
