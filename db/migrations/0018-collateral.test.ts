import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const details = `'{"type":"emission_right","pollutant":"cod","quantity":"12.5","unit":"t/yr"}'`;
const insertItem = (id: string, values: string) =>
  `INSERT INTO collateral_items (id, branch_id, version, created_at, created_by, updated_at, updated_by, enterprise_id, type, details, certificate_number, certificate_issuer, valid_from, valid_to, status, maker_id,
     appraised_value_fen, appraised_on, revaluation_due_on, pledge_rate_bp, pledged_value_fen, terms_version)
   VALUES ('${id}', ${stamp}, ${values})`;
const item = (overrides: { type?: string; status?: string; appraised?: string; rate?: string } = {}) =>
  `'e1', '${overrides.type ?? 'emission_right'}', ${details}, '浮环排污证〔2024〕12号', '浮梁县生态环境局', '2024-01-01', '2028-12-31', '${overrides.status ?? 'draft'}', 'u', ${overrides.appraised ?? '11250000'}, '2026-01-01', '2027-01-01', ${overrides.rate ?? '8000'}, 9000000, 1`;

describe('0018-collateral', () => {
  it('stores items, appraisals and loan links with money as integer fen and the coded values checked', () => {
    const db = databaseAt('collateral');
    db.exec(insertItem('c1', item()));
    db.exec(`INSERT INTO collateral_appraisals (id, branch_id, version, created_at, created_by, updated_at, updated_by, item_id, appraised_on, method, inputs, value_fen, appraiser, next_due_on)
      VALUES ('a1', ${stamp}, 'c1', '2026-01-01', 'quantity_price', '{}', 11250000, '江西某评估公司', '2027-01-01')`);
    db.exec(`INSERT INTO collateral_loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, item_id, loan_id, secured_amount_fen) VALUES ('k1', ${stamp}, 'c1', 'l1', NULL)`);
    expect(db.prepare('SELECT pledged_value_fen FROM collateral_items').pluck().get()).toBe(9_000_000);
    expect(() => db.exec(insertItem('c2', item({ appraised: '100.5' })))).toThrow(/cannot store REAL/);
    expect(() => db.exec(insertItem('c2', item({ type: 'gold' })))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertItem('c2', item({ status: 'pending' })))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertItem('c2', item({ rate: '10001' })))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertItem('c2', item({ rate: '0' })))).toThrow(/CHECK constraint failed/);
    expect(() =>
      db.exec(`INSERT INTO collateral_loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, item_id, loan_id, secured_amount_fen) VALUES ('k2', ${stamp}, 'c1', 'l1', 0)`),
    ).toThrow(/CHECK constraint failed/);
  });

  it('totals a filter from the status index alone', () => {
    const db = databaseAt('collateral');
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT count(*), sum(appraised_value_fen), sum(pledged_value_fen) FROM collateral_items INDEXED BY collateral_by_status
          WHERE deleted_at IS NULL AND status IN ('active', 'registered') AND type IN ('emission_right')`,
      )
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING COVERING INDEX collateral_by_status/);
  });

  it('upgrades a laptop holding loans: they stay, the register starts empty', () => {
    const { db, cleanup } = upgradedFrom('collateral', (before) => {
      before.exec(`INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
        VALUES ('l1', ${stamp}, 'JK0001', 'e1', 100, 100, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'environmental_rights_pledge', 'outstanding')`);
    });
    try {
      expect(db.prepare('SELECT loan_number FROM loans').pluck().all()).toEqual(['JK0001']);
      expect(db.prepare('SELECT count(*) FROM collateral_items').pluck().get()).toBe(0);
    } finally {
      cleanup();
    }
  });
});
