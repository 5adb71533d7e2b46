import { describe, expect, it } from 'vitest';
import type { CollateralListFilter } from '../../shared/api/collateral.ts';
import { collateralStatuses, collateralTypes, countsTowardValue } from '../../shared/domain/collateral.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';
import { collateralTotals } from '../collateral.ts';
import type { Db } from '../open.ts';
import { upgradedFrom } from '../testing.ts';

const TODAY = '2026-12-02';
const SETTINGS = { today: TODAY, registrationWarningDays: 30, coverageLimitBp: 10_000 };
const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;

interface Item {
  id: string;
  type: (typeof collateralTypes)[number];
  status: (typeof collateralStatuses)[number];
  maker: string;
  validTo: string;
  registrationExpiresOn: string | null;
  appraised: number;
  pledged: number;
  deleted: boolean;
}

/** Items of every status and type, ends on both sides of the horizons, some deleted, some never registered. */
function items(): Item[] {
  let seed = 7;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  return Array.from({ length: 120 }, (_, i) => ({
    id: `c${i}`,
    type: collateralTypes[i % collateralTypes.length]!,
    status: collateralStatuses[Math.floor(random() * collateralStatuses.length)]!,
    maker: random() < 0.5 ? 'u1' : 'u2',
    validTo: addDays(TODAY, Math.floor(random() * 400) - 100),
    registrationExpiresOn: random() < 0.3 ? null : addDays(TODAY, Math.floor(random() * 400) - 100),
    appraised: 1_000 + Math.floor(random() * 1_000_000),
    pledged: Math.floor(random() * 500_000),
    deleted: random() < 0.05,
  }));
}

function insert(db: Db, item: Item): void {
  db.prepare(
    `INSERT INTO collateral_items (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, enterprise_id, type, details, certificate_number, certificate_issuer,
       valid_from, valid_to, status, maker_id, appraised_value_fen, appraised_on, revaluation_due_on, pledge_rate_bp, pledged_value_fen, terms_version, registration_expires_on)
     VALUES (?, ${stamp}, ?, 'e1', ?, '{}', ?, '生态环境局', '2024-01-01', ?, ?, ?, ?, '2026-01-01', '2027-01-01', 5000, ?, 1, ?)`,
  ).run(item.id, item.deleted ? '2026-06-01T00:00:00.000Z' : null, item.type, `证${item.id}`, item.validTo, item.status, item.maker, item.appraised, item.pledged, item.registrationExpiresOn);
}

/** The totals as the filter reads in words, from every row: the right or its registration ends by the horizon. */
function expected(all: Item[], filter: CollateralListFilter) {
  const horizon = filter.expiringWithinDays === undefined ? null : addDays(TODAY, filter.expiringWithinDays);
  const matched = all.filter(
    (item) =>
      !item.deleted &&
      (filter.status === undefined || item.status === filter.status) &&
      (filter.type === undefined || item.type === filter.type) &&
      (filter.makerId === undefined || item.maker === filter.makerId) &&
      (horizon === null || item.validTo <= horizon || (item.registrationExpiresOn !== null && item.registrationExpiresOn <= horizon)),
  );
  const sum = (list: Item[], pick: (item: Item) => number) => list.reduce((total, item) => total + pick(item), 0);
  return {
    count: matched.length,
    appraisedValue: sum(matched, (item) => item.appraised),
    pledgedValue: sum(matched, (item) => item.pledged),
    countedPledgedValue: sum(
      matched.filter((item) => countsTowardValue(item.status)),
      (item) => item.pledged,
    ),
  };
}

const filters: CollateralListFilter[] = [
  {},
  { status: 'active' },
  { type: 'water_right' },
  { status: 'active', type: 'emission_right' },
  { expiringWithinDays: 0 },
  { expiringWithinDays: 30 },
  { expiringWithinDays: 90, status: 'registered' },
  { expiringWithinDays: 180, type: 'carbon_allowance' },
  { expiringWithinDays: 30, makerId: 'u1' },
  { makerId: 'u2', status: 'approved' },
];

describe('0022-collateral-totals', () => {
  it('keeps the totals of every filter as a plain reading of the rows gives them, on a laptop that held items before and as they change', () => {
    const all = items();
    const { db, cleanup } = upgradedFrom('collateral-totals', (before) => {
      for (const item of all) insert(before, item);
    });
    try {
      for (const filter of filters) expect(collateralTotals(db, filter, SETTINGS), JSON.stringify(filter)).toEqual(expected(all, filter));
      // Rows written after the upgrade are kept too: a new item, a status step, a registration, a
      // soft delete, a value change and a row removed outright.
      const later: Item = { ...all[0]!, id: 'later', status: 'active', validTo: TODAY, registrationExpiresOn: null, deleted: false };
      insert(db, later);
      const live = all.filter((item) => !item.deleted);
      const [stepped, registered, removed, revalued, gone] = live as [Item, Item, Item, Item, Item];
      db.prepare("UPDATE collateral_items SET status = 'released' WHERE id = ?").run(stepped.id);
      stepped.status = 'released';
      db.prepare('UPDATE collateral_items SET registration_expires_on = ? WHERE id = ?').run(TODAY, registered.id);
      registered.registrationExpiresOn = TODAY;
      db.prepare("UPDATE collateral_items SET deleted_at = '2026-12-01T00:00:00.000Z' WHERE id = ?").run(removed.id);
      removed.deleted = true;
      db.prepare('UPDATE collateral_items SET appraised_value_fen = 7, pledged_value_fen = 3 WHERE id = ?').run(revalued.id);
      Object.assign(revalued, { appraised: 7, pledged: 3 });
      db.prepare('DELETE FROM collateral_items WHERE id = ?').run(gone.id);
      const now = [...all.filter((item) => item !== gone), later];
      for (const filter of filters) expect(collateralTotals(db, filter, SETTINGS), `after changes: ${JSON.stringify(filter)}`).toEqual(expected(now, filter));
    } finally {
      cleanup();
    }
  });

  it('reads the totals of a status and type from the kept totals, and an expiry horizon adds only its own month from an index', () => {
    const { db, cleanup } = upgradedFrom('collateral-totals', () => undefined);
    try {
      const plan = (filter: CollateralListFilter) => {
        const steps: string[] = [];
        const prepare = db.prepare.bind(db);
        // The plan of the statement collateralTotals prepares, with the parameters it binds.
        (db as { prepare: Db['prepare'] }).prepare = ((sql: string) => {
          const statement = prepare(sql);
          const get = statement.get.bind(statement);
          statement.get = ((...args: unknown[]) => {
            steps.push(...(prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as [])) as { detail: string }[]).map((step) => step.detail));
            return get(...(args as []));
          }) as typeof statement.get;
          return statement;
        }) as Db['prepare'];
        try {
          collateralTotals(db, filter, SETTINGS);
        } finally {
          (db as { prepare: Db['prepare'] }).prepare = prepare;
        }
        return steps.join('\n');
      };
      expect(plan({ status: 'active' })).toMatch(/^SEARCH collateral_value_totals USING PRIMARY KEY \(status=\? AND type=\?\)$/);
      expect(plan({})).not.toMatch(/collateral_items|SCAN c/);
      const horizon = plan({ expiringWithinDays: 30 });
      expect(horizon).toMatch(/SEARCH collateral_value_totals USING PRIMARY KEY \(status=\? AND type=\? AND end_month<\?\)/);
      expect(horizon).toMatch(/SEARCH c USING COVERING INDEX collateral_by_first_end \(<expr>>\? AND <expr><\?\)/);
      expect(plan({ makerId: 'u1' })).toMatch(/USING COVERING INDEX collateral_by_status \(status=\? AND type=\? AND maker_id=\?\)/);
    } finally {
      cleanup();
    }
  });
});
