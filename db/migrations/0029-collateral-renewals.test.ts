import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const renewal = (id: string, renewedOn: string, previous: string, expiresOn: string) =>
  `INSERT INTO collateral_renewals (id, branch_id, version, created_at, created_by, updated_at, updated_by, item_id, renewed_on, previous_expires_on, expires_on, registry, registration_number)
   VALUES ('${id}', ${stamp}, 'c1', '${renewedOn}', '${previous}', '${expiresOn}', '江西省排污权交易中心', 'JXPW-2027-000123')`;

describe('0029-collateral-renewals', () => {
  it('stores a renewal that moves the last day later, and refuses one that does not or ends before it was recorded', () => {
    const db = databaseAt('collateral-renewals');
    db.exec(renewal('r1', '2027-01-20', '2027-01-31', '2028-01-31'));
    expect(db.prepare('SELECT expires_on FROM collateral_renewals WHERE item_id = ?').pluck().all('c1')).toEqual(['2028-01-31']);
    expect(() => db.exec(renewal('r2', '2027-01-20', '2027-01-31', '2027-01-31'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(renewal('r3', '2028-03-01', '2027-01-31', '2028-01-31'))).toThrow(/CHECK constraint failed/);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM collateral_renewals WHERE item_id = 'c1' AND deleted_at IS NULL ORDER BY renewed_on DESC`).all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING INDEX collateral_renewals_item/);
  });
});
