import { beforeAll, describe, expect, it } from 'vitest';
import { collateralTypes } from '../shared/domain/collateral.ts';
import { seededRandom } from '../shared/domain/testing.ts';
import { collateralWalks, listCollateral } from './collateral.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Db } from './open.ts';
import { statementPlans, walkIndexColumns } from './testing.ts';

/**
 * Paging the collateral register: whether a page is walked along the sort's index or its matches
 * sorted whole depends on the offset (what each reads), so both must order ties alike, or a tie
 * straddling the page where the choice changes is lost or shown twice. A register large enough to
 * walk (more matches than are always sorted whole), few distinct dates and values: long ties.
 */
const SETTINGS = { today: '2026-12-02', registrationWarningDays: 30, coverageLimitBp: 10_000 };
const ITEMS = 12_000;
let db: Db;

beforeAll(() => {
  db = openDatabase(':memory:');
  migrate(db);
  const random = seededRandom(1518);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const owners = Array.from({ length: 40 }, (_, i) => `e${i}`);
  db.transaction(() => {
    for (const id of owners) {
      db.prepare(
        `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership)
         VALUES (?, 'b', '2025-01-01T00:00:00Z', 'u', '2025-01-01T00:00:00Z', 'u', ?, ?, 'QY', '张三', '地址', '360222', 'C3012', 'small', 'private')`,
      ).run(id, `9136${id.padStart(14, '0')}`, `企业${id}`);
    }
    const insert = db.prepare(
      `INSERT INTO collateral_items (id, branch_id, version, created_at, created_by, updated_at, updated_by, enterprise_id, type, details, certificate_number, certificate_issuer,
         valid_from, valid_to, status, maker_id, appraised_value_fen, appraised_on, revaluation_due_on, pledge_rate_bp, pledged_value_fen, terms_version, registration_expires_on)
       VALUES (@id, 'b', 1, '2025-01-01T00:00:00Z', 'u', @updated, 'u', @owner, @type, @details, @id, '生态环境局', '2022-01-01', @validTo, @status, @maker, @value, '2025-01-01', '2027-01-01', 10000, @value, 1, @registration)`,
    );
    for (let i = 0; i < ITEMS; i += 1) {
      const type = pick(collateralTypes);
      insert.run({
        id: `c${i}`,
        updated: `2025-0${1 + (i % 9)}-01T00:00:00Z`,
        owner: pick(owners),
        type,
        details: JSON.stringify({ type, quantity: '1' }),
        validTo: `2027-0${1 + Math.floor(random() * 9)}-01`,
        status: random() < 0.75 ? 'active' : 'released',
        maker: pick(['m1', 'm2', 'm3']),
        value: pick([100, 200, 300, 400]),
        registration: `2027-0${1 + Math.floor(random() * 9)}-15`,
      });
    }
  })();
});

describe('listCollateral paging', () => {
  it("sorts matches whole with the ties every walk index gives (its columns after the key, then rowid)", () => {
    for (const walk of collateralWalks) {
      const { indexed, declared } = walkIndexColumns(db, walk);
      expect(indexed, walk.index).toBe(declared);
    }
  });

  for (const field of ['validTo', 'updatedAt', 'appraisedValue', 'registrationExpiresOn'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      it(`pages through active items by ${field} ${order} without losing or repeating one, though its first pages walk and its last ones sort`, () => {
        const ids: string[] = [];
        let total = 0;
        for (let offset = 0; offset === 0 || offset < total; offset += 100) {
          const page = listCollateral(db, { status: 'active' }, { field, order }, offset, 100, SETTINGS);
          total = page.total;
          ids.push(...page.rows.map((row) => row.id));
        }
        const active = db.prepare("SELECT count(*) FROM collateral_items WHERE status = 'active' AND deleted_at IS NULL").pluck().get() as number;
        expect(total).toBe(active);
        expect(new Set(ids).size).toBe(active);
        expect(ids).toHaveLength(active);
      });
    }
  }
});

describe('listCollateral plans', () => {
  it('a page sorted whole reads the status index alone, ties included; a walk reads its sort index alone', () => {
    const plans = statementPlans(db, () => listCollateral(db, { status: 'active' }, { field: 'validTo', order: 'desc' }, 8_900, 100, SETTINGS));
    const page = plans.find((p) => /^SELECT c\.rowid FROM/.test(p.sql))!;
    expect(page.sql).toMatch(/ORDER BY c\.valid_to DESC, c\.status DESC, c\.type DESC, c\.enterprise_id DESC, c\.maker_id DESC, c\.registration_expires_on DESC, c\.rowid DESC/);
    expect(page.plan).toMatch(/SEARCH c USING COVERING INDEX collateral_by_status/);
    expect(page.plan).not.toMatch(/PRIMARY KEY|SCAN c /);
    const walked = statementPlans(db, () => listCollateral(db, { status: 'active' }, { field: 'validTo', order: 'desc' }, 0, 100, SETTINGS)).find((p) => /^SELECT c\.rowid FROM/.test(p.sql))!;
    expect(walked.plan).toMatch(/^SCAN c USING COVERING INDEX collateral_by_valid_to$/);
  });
});
