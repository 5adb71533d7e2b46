import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { collateralAlertKinds, collateralAlerts, type CollateralAlert, type LinkedLoanFacts } from '../shared/domain/collateralAlerts.ts';
import { defaultCollateralTerms } from '../shared/domain/collateralTerms.ts';
import { addDays } from '../shared/domain/collateralValuation.ts';
import type { EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import { seededRandom } from '../shared/domain/testing.ts';
import { ANY_ALERT, registerPage, registerSpecs, type RegisterFilter } from './consoleRegisters.ts';
import type { Fields } from './merge.ts';
import { migrateHub } from './migrate.ts';
import { writeReadModels, type SyncedRow } from './readModels.ts';
import type { Storage } from './storage.ts';
import { testStorages } from './testing/storages.ts';

/**
 * The collateral register's alerts at head office against the domain function itself: random items
 * of two branches in two counties (every status, CEAs, loans in and out of term, outstanding and
 * settled, ratings, open and closed cases, dates on both sides of each boundary) are stored as the
 * apply path stores them (sync_rows and writeReadModels); each page row's alerts must equal
 * collateralAlerts over the facts as generated, and the alert filter (each kind, any) alone and with
 * the county filter must list exactly the items whose alerts hold the kind — so the SQL conditions
 * the filter narrows by never drop an item the domain would alert on.
 */
const NOW = new Date('2026-12-07T04:00:00Z');
const TODAY = '2026-12-07';
const settings = { today: TODAY, registrationWarningDays: defaultCollateralTerms.registrationWarningDays, coverageLimitBp: defaultCollateralTerms.coverageLimitBp };

describe.each(testStorages())('collateral register alerts on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    await migrateHub(storage);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  });

  it('shows the domain’s alerts on each row, and each alert filter (with and without a county) lists exactly the items raising it', async () => {
    const random = seededRandom(18_77);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const day = (from: number, to: number) => addDays(TODAY, from + Math.floor(random() * (to - from + 1)));
    const counties = ['360222', '360281'];
    const branches = [uuidv7(), uuidv7()];
    const suffix = Math.random().toString(36).slice(2, 7);
    for (const [i, branchId] of branches.entries()) {
      await storage.query('INSERT INTO branches (branch_id, name, code, division_code) VALUES ($1, $2, $3, $4)', [branchId, `预警${i}支行`, `AL-${i}-${suffix}`, counties[i]]);
    }
    const expected = new Map<string, CollateralAlert[]>();
    const countyOf = new Map<string, string>();
    let seq = 0;
    for (const [b, branchId] of branches.entries()) {
      const rows: SyncedRow[] = [];
      const enterprises = Array.from({ length: 12 }, () => ({ id: uuidv7(), rating: pick<EnvironmentalRatingLevel | null>([null, null, 'green', 'yellow', 'red', 'black']), cases: [] as { number: string; deadline: string }[] }));
      for (const enterprise of enterprises) {
        rows.push({ table: 'enterprises', rowId: enterprise.id, deleted: false, data: { name: `预警测试企业${enterprise.id.slice(-6)}`, uscc: '', environmental_rating: enterprise.rating } });
        for (let n = Math.floor(random() * 3); n > 0; n -= 1) {
          const [category, status, deleted] = [pick(['environmental', 'environmental', 'safety']), pick(['open', 'in_progress', 'closed']), random() < 0.1];
          const [caseNumber, deadline] = [`ZG-2026-ALRT-${String(1000 + seq++)}`, day(-60, 60)];
          rows.push({ table: 'rectification_cases', rowId: uuidv7(), deleted, data: { enterprise_id: enterprise.id, case_number: caseNumber, category, status, deadline } });
          if (category === 'environmental' && status !== 'closed' && !deleted) enterprise.cases.push({ number: caseNumber, deadline });
        }
      }
      for (let n = 0; n < 60; n += 1) {
        const enterprise = pick(enterprises);
        const itemId = uuidv7();
        const cea = random() < 0.3;
        const item: Fields = {
          enterprise_id: enterprise.id,
          type: cea ? 'carbon_allowance' : 'emission_right',
          details: JSON.stringify(cea ? { type: 'carbon_allowance', kind: pick(['cea', 'cea', 'ccer']), complianceYear: pick([2025, 2026, 2027]), quantity: '1000', unit: 'tCO2e' } : { type: 'emission_right', pollutant: 'cod', quantity: '1', unit: 't/yr' }),
          status: pick(['draft', 'submitted', 'approved', 'registered', 'active', 'active', 'released', 'disposed']),
          certificate_number: `预警〔${suffix}〕${b}-${n}号`,
          valid_to: day(100, 1200),
          registration_expires_on: random() < 0.2 ? null : pick([day(-10, 40), addDays(TODAY, 30), addDays(TODAY, 31), day(300, 1500)]),
          revaluation_due_on: pick([day(-40, -1), TODAY, day(1, 300)]),
          pledged_value_fen: pick([1_000_000, 5_000_000, 9_000_000]),
        };
        rows.push({ table: 'collateral_items', rowId: itemId, deleted: false, data: item });
        const loans: (LinkedLoanFacts & { number: string })[] = [];
        for (let k = Math.floor(random() * 3); k > 0; k -= 1) {
          const [loanId, linkDeleted] = [uuidv7(), random() < 0.1];
          const loan = {
            loan_number: `AL-${n}-${k}`,
            enterprise_id: enterprise.id,
            disbursed_on: day(-700, -1),
            matures_on: pick([item.valid_to as string, day(30, 1500), (item.registration_expires_on as string | null) ?? day(30, 900), '2027-12-31', '2028-12-31']),
            balance_fen: pick([0, 2_000_000, 5_000_000, 9_000_000, 12_000_000]),
            status: pick(['outstanding', 'outstanding', 'settled']),
          };
          const secured = pick([null, 3_000_000]);
          rows.push({ table: 'loans', rowId: loanId, deleted: false, data: loan });
          rows.push({ table: 'collateral_loans', rowId: uuidv7(), deleted: linkDeleted, data: { item_id: itemId, loan_id: loanId, secured_amount_fen: secured } });
          if (!linkDeleted) {
            loans.push({ loanId, number: loan.loan_number, disbursedOn: loan.disbursed_on, maturesOn: loan.matures_on, outstanding: loan.status === 'outstanding', balanceFen: loan.balance_fen, securedAmountFen: secured });
          }
        }
        // The laptop's order of an item's loans: by maturity, then number (db/collateral.ts collateralLoanLinks).
        loans.sort((x, y) => (x.maturesOn < y.maturesOn ? -1 : x.maturesOn > y.maturesOn ? 1 : x.number < y.number ? -1 : x.number > y.number ? 1 : 0));
        const details = JSON.parse(item.details as string) as { kind?: string; complianceYear?: number };
        expected.set(
          `${branchId}/${itemId}`,
          collateralAlerts(
            {
              type: item.type as 'carbon_allowance',
              status: item.status as 'active',
              validTo: item.valid_to as string,
              registrationExpiresOn: item.registration_expires_on as string | null,
              revaluationDueOn: item.revaluation_due_on as string,
              pledgedFen: item.pledged_value_fen as number,
              complianceYear: cea && details.kind === 'cea' ? (details.complianceYear ?? null) : null,
              loans,
              enterpriseRating: enterprise.rating,
              // by deadline, then number (db/rectification.ts openCasesOf)
              openEnvironmentalCases: [...enterprise.cases].sort((x, y) => (x.deadline === y.deadline ? (x.number < y.number ? -1 : 1) : x.deadline < y.deadline ? -1 : 1)).map((item) => item.number),
            },
            settings,
          ),
        );
        countyOf.set(`${branchId}/${itemId}`, counties[b]!);
      }
      for (const row of rows) {
        await storage.query(
          `INSERT INTO sync_rows (branch_id, table_name, row_id, version, guarded_version, guarded_by, deleted, data, field_hlc, seq) VALUES ($1, $2, $3, 1, 1, 'test', $4, $5::jsonb, '{}', $6)`,
          [branchId, row.table, row.rowId, row.deleted, JSON.stringify(row.data), (seq += 1)],
        );
      }
      await storage.transaction((tx) => writeReadModels(tx, branchId, rows, () => undefined));
    }
    // Every kind is raised by some item, and some items raise none: the filters have something to tell apart.
    const raised = [...expected.values()].flat().map((alert) => alert.kind);
    for (const kind of collateralAlertKinds) expect(raised, kind).toContain(kind);
    expect([...expected.values()].some((alerts) => alerts.length === 0)).toBe(true);

    const spec = registerSpecs.collateral_items!;
    const page = (filter: Partial<RegisterFilter>) => registerPage(storage, 'collateral_items', spec, { query: `〔${suffix}〕`, branchId: '', state: '', ...filter }, 1_000, 0, NOW);
    const shown = await page({});
    expect(shown.total).toBe(expected.size);
    for (const row of shown.rows) expect([row.data.certificate_number, row.alerts]).toEqual([row.data.certificate_number, expected.get(`${row.branchId}/${row.rowId}`)]);

    const keys = (found: Awaited<ReturnType<typeof page>>) => found.rows.map((row) => `${row.branchId}/${row.rowId}`).sort();
    for (const alert of [ANY_ALERT, ...collateralAlertKinds]) {
      const raising = [...expected].filter(([, alerts]) => (alert === ANY_ALERT ? alerts.length > 0 : alerts.some((candidate) => candidate.kind === alert))).map(([key]) => key);
      const found = await page({ alert });
      expect([alert, keys(found)]).toEqual([alert, [...raising].sort()]);
      expect(found.total).toBe(raising.length);
      for (const row of found.rows) expect(row.alerts).toEqual(expected.get(`${row.branchId}/${row.rowId}`));
      const county = counties[1]!;
      expect([alert, county, keys(await page({ alert, county }))]).toEqual([alert, county, raising.filter((key) => countyOf.get(key) === county).sort()]);
    }
    // Paging the filtered list: consecutive pages hold every match once, newest first as the unfiltered page.
    const [first, second] = [
      await registerPage(storage, 'collateral_items', spec, { query: `〔${suffix}〕`, branchId: '', state: '', alert: ANY_ALERT }, 5, 0, NOW),
      await registerPage(storage, 'collateral_items', spec, { query: `〔${suffix}〕`, branchId: '', state: '', alert: ANY_ALERT }, 5, 5, NOW),
    ];
    const unfiltered = shown.rows.filter((row) => (row.alerts ?? []).length > 0).map((row) => row.rowId);
    expect([...first.rows, ...second.rows].map((row) => row.rowId)).toEqual(unfiltered.slice(0, 10));

    // Past its cap the alert filter's count is a bound (the app shows 「3+」), computed batch by batch
    // (batches of 2 here, so a page spans several), and every page still holds the right rows in order.
    expect(unfiltered.length).toBeGreaterThan(8);
    const anyAlert = { query: `〔${suffix}〕`, branchId: '', state: '', alert: ANY_ALERT };
    const counted = (limit: number, offset: number, countCap: number) => registerPage(storage, 'collateral_items', spec, anyAlert, limit, offset, NOW, { countCap, batch: 2 });
    const capped = await counted(2, 0, 3);
    expect(capped).toMatchObject({ total: 3, totalCapped: true });
    expect(capped.rows.map((row) => row.rowId)).toEqual(unfiltered.slice(0, 2));
    // A page past the cap counts to its own end.
    const deeper = await counted(3, 4, 3);
    expect(deeper.rows.map((row) => row.rowId)).toEqual(unfiltered.slice(4, 7));
    expect(deeper).toMatchObject({ total: 7, totalCapped: true });
    for (const row of deeper.rows) expect(row.alerts).toEqual(expected.get(`${row.branchId}/${row.rowId}`));
    // A cap at or above the matches counts them exactly.
    expect(await counted(2, 0, unfiltered.length)).toMatchObject({ total: unfiltered.length, totalCapped: false });
    const last = await counted(5, unfiltered.length - 2, 3);
    expect(last).toMatchObject({ total: unfiltered.length, totalCapped: false });
    expect(last.rows.map((row) => row.rowId)).toEqual(unfiltered.slice(-2));
  }, 120_000);
});
