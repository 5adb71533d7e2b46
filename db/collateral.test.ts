import { beforeAll, describe, expect, it } from 'vitest';
import { collateralStatuses, collateralTypes } from '../shared/domain/collateral.ts';
import { collateralAlertKinds, type AlertSettings, type CollateralAlert } from '../shared/domain/collateralAlerts.ts';
import { environmentalRatingLevels } from '../shared/domain/environmentalRating.ts';
import { seededRandom } from '../shared/domain/testing.ts';
import { getCollateral, itemAlerts, listCollateral, registerAlerts } from './collateral.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Db } from './open.ts';

/**
 * The register's alerts in set-based SQL (registerAlerts, the alert-kind filter) against the
 * domain's rule applied to each item (itemAlerts → collateralAlerts): a register whose dates,
 * balances and values sit on every boundary (an end the day before / on / after a maturity, the
 * warning horizon's day, the revaluation due today, coverage exactly at the limit, a CEA deadline on
 * a disbursement or maturity day), with settled and deleted links, adverse ratings and open cases.
 */
const SETTINGS: AlertSettings = { today: '2026-12-02', registrationWarningDays: 30, coverageLimitBp: 10_000 };
const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-12-31', '2028-01-01'];
const ITEMS = 1_500;

let db: Db;
const ids: string[] = [];

beforeAll(() => {
  db = openDatabase(':memory:');
  migrate(db);
  const random = seededRandom(2018);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const enterprises = Array.from({ length: 30 }, (_, i) => `e${i}`);
  db.transaction(() => {
    for (const id of enterprises) {
      db.prepare(
        `INSERT INTO enterprises (id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership, environmental_rating)
         VALUES (?, 'b', '2025-01-01T00:00:00Z', 'u', '2025-01-01T00:00:00Z', 'u', ?, ?, 'QY', '张三', '地址', '360222', 'C3012', 'small', 'private', ?)`,
      ).run(id, `9136${id.padStart(14, '0')}`, `企业${id}`, random() < 0.3 ? null : pick(environmentalRatingLevels));
    }
    const caseInsert = db.prepare(
      `INSERT INTO rectification_cases (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_number, enterprise_id, category, source, found_on,
         description, required_actions, deadline, measure, officer_id, status)
       VALUES (@id, 'b', 1, '2026-01-01T00:00:00Z', 'u', '2026-01-01T00:00:00Z', 'u', @id, @enterprise, @category, 'inspection', '2026-06-01', '检查发现问题', '限期整改', @deadline, 'urge', 'u', @status)`,
    );
    for (let i = 0; i < 12; i += 1) {
      caseInsert.run({ id: `ZG-2026-${i}`, enterprise: pick(enterprises), category: pick(['environmental', 'work_safety']), deadline: pick(DAYS), status: pick(['open', 'closed', 'in_progress']) });
    }
    const loans = Array.from({ length: 300 }, (_, i) => ({ id: `l${i}`, enterprise: pick(enterprises) }));
    const loanInsert = db.prepare(
      `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of,
         disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
       VALUES (@id, 'b', 1, '2025-01-01T00:00:00Z', 'u', '2025-01-01T00:00:00Z', 'u', @deleted, @id, @enterprise, 1000, @balance, '2026-11-30', @disbursed, @matures, 345, 'normal', 'environmental_rights_pledge', @status)`,
    );
    for (const loan of loans) {
      loanInsert.run({ ...loan, deleted: random() < 0.03 ? '2026-01-01T00:00:00Z' : null, balance: pick([0, 99, 100, 101, 200]), disbursed: pick(['2025-01-01', ...DAYS]), matures: pick(DAYS), status: pick(['outstanding', 'outstanding', 'settled', 'written_off']) });
    }
    const itemInsert = db.prepare(
      `INSERT INTO collateral_items (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, enterprise_id, type, details, certificate_number, certificate_issuer,
         valid_from, valid_to, status, maker_id, appraised_value_fen, appraised_on, revaluation_due_on, pledge_rate_bp, pledged_value_fen, terms_version,
         registration_expires_on)
       VALUES (@id, 'b', 1, '2025-01-01T00:00:00Z', 'u', @updated, 'u', @deleted, @enterprise, @type, @details, @id, '生态环境局', '2022-01-01', @validTo, @status, 'u', @pledged, '2025-01-01', @due, 10000, @pledged, 1, @registration)`,
    );
    const linkInsert = db.prepare(
      `INSERT INTO collateral_loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, item_id, loan_id, secured_amount_fen)
       VALUES (@id, 'b', 1, '2025-01-01T00:00:00Z', 'u', '2025-01-01T00:00:00Z', 'u', @deleted, @item, @loan, @secured)`,
    );
    for (let i = 0; i < ITEMS; i += 1) {
      const id = `c${String(i).padStart(5, '0')}`;
      const type = random() < 0.4 ? 'carbon_allowance' : pick(collateralTypes);
      const details =
        type === 'carbon_allowance'
          ? JSON.stringify({ type, kind: pick(['cea', 'cea', 'ccer']), complianceYear: pick([2024, 2025, 2026]), quantity: '100', unit: 'tCO2e' })
          : JSON.stringify({ type, quantity: '1' });
      itemInsert.run({
        id,
        updated: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
        deleted: random() < 0.02 ? '2026-01-01T00:00:00Z' : null,
        enterprise: pick(enterprises),
        type,
        details,
        validTo: pick(DAYS),
        status: random() < 0.6 ? pick(['approved', 'registered', 'active']) : pick(collateralStatuses),
        pledged: pick([0, 99, 100, 101, 200]),
        due: pick(DAYS),
        registration: random() < 0.3 ? null : pick(DAYS),
      });
      ids.push(id);
      for (let k = Math.floor(random() * 4); k > 0; k -= 1) {
        linkInsert.run({ id: `${id}-${k}`, deleted: random() < 0.05 ? '2026-01-01T00:00:00Z' : null, item: id, loan: pick(loans).id, secured: pick([null, null, 50, 100, 150]) });
      }
    }
  })();
});

const byItem = () => new Map(ids.map((id) => [id, getCollateral(db, id)]).filter((entry): entry is [string, NonNullable<ReturnType<typeof getCollateral>>] => entry[1] !== undefined).map(([id, row]) => [id, itemAlerts(db, row, SETTINGS)]));

describe('collateral alerts in set-based SQL', () => {
  it("equal each item's alerts from the domain rule, in its order", () => {
    const expected = byItem();
    const whole = registerAlerts(db, SETTINGS);
    const withAlerts = [...expected].filter(([, alerts]) => alerts.length > 0);
    expect(Object.fromEntries([...whole].sort(([a], [b]) => a.localeCompare(b)))).toEqual(Object.fromEntries(withAlerts));
    // Every kind is raised and most items are not alert-free: the comparison is not vacuous.
    for (const kind of collateralAlertKinds) expect({ kind, raised: withAlerts.some(([, alerts]) => alerts.some((alert: CollateralAlert) => alert.kind === kind)) }).toEqual({ kind, raised: true });
    expect(withAlerts.length).toBeGreaterThan(200);
    expect(withAlerts.length).toBeLessThan(expected.size);
  });

  it('filter the register by alert kind to exactly the items raising it, with the other filters', () => {
    const expected = byItem();
    for (const kind of collateralAlertKinds) {
      for (const filter of [{ alertKind: kind }, { alertKind: kind, status: 'active' as const }, { alertKind: kind, enterpriseId: 'e3' }, { alertKind: kind, type: 'carbon_allowance' as const }]) {
        const page = listCollateral(db, filter, { field: 'validTo', order: 'asc' }, 0, 5_000, SETTINGS, true);
        const want = [...expected]
          .filter(([id, alerts]) => {
            const row = getCollateral(db, id)!;
            return alerts.some((alert) => alert.kind === kind) && (filter.status === undefined || row.status === filter.status) && (filter.enterpriseId === undefined || row.enterprise_id === filter.enterpriseId) && (filter.type === undefined || row.type === filter.type);
          })
          .map(([id]) => id)
          .sort();
        expect({ filter, ids: page.rows.map((row) => row.id).sort(), total: page.total }).toEqual({ filter, ids: want, total: want.length });
      }
    }
  });
});
