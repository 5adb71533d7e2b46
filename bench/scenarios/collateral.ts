/**
 * The collateral register at prefecture scale (issue 15 acceptance 5): 300,000 items of 30,000
 * owners, 100,000 loans, the active and registered items each securing one loan.
 *  - collateral.register_page.30k / .100k / .300k: one filtered, sorted page through listCollateral as the
 *    host calls it (count included), the register grown from 30,000 to 300,000 items in the same run.
 *    Targets p95 ≤ 50 ms at 300k and p95 at each size ≤ 1.5 × the previous size's (issue 20, `p95_growth_from_…`).
 *  - collateral.totals: appraised and pledged totals of a filter (collateralTotals). Target p95 ≤ 100 ms.
 *  - collateral.alerts: every alert of the register recomputed (registerAlerts); in seconds.
 * The register is written with plain INSERTs (what is measured is reading it).
 */
import { statSync } from 'node:fs';
import { uuidv7 } from 'uuidv7';
import { collateralSortFields, type CollateralListFilter, type CollateralSort } from '../../shared/api/collateral.ts';
import { collateralStatuses, collateralTypes, type CollateralType } from '../../shared/domain/collateral.ts';
import { pledgedValue } from '../../shared/domain/collateralValuation.ts';
import { collateralTotals, listCollateral, registerAlerts } from '../../db/collateral.ts';
import type { Store } from '../../electron/host/store.ts';
import { BENCH_BRANCH, insertBenchEnterprises } from '../data/enterprises.ts';
import { growthTracker, p95ByKind, sizeName } from '../data/growth.ts';
import { benchStore, loadWithLargeCache } from '../data/register.ts';
import { measureEach, nowMs, seededRandom, timeEach, warmUp, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

export const ITEMS = 300_000;
const OWNERS = 30_000;
const LOANS = 100_000;
const PAGES = 1_000;
const TOTALS = 300;
const ALERT_RUNS = 3;
const PAGE_SIZE = 100;
const TODAY = '2026-12-02';
/** The shipped defaults (collateral-terms): a 30-day registration warning, coverage limit 100 %. */
const SETTINGS = { today: TODAY, registrationWarningDays: 30, coverageLimitBp: 10_000 };

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

const day = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);

/** Mostly active items, as a register in use holds them. */
const STATUS_WEIGHTS: [(typeof collateralStatuses)[number], number][] = [
  ['draft', 0.03],
  ['submitted', 0.04],
  ['approved', 0.03],
  ['rejected', 0.02],
  ['registered', 0.05],
  ['active', 0.6],
  ['released', 0.2],
  ['in_disposal', 0.01],
  ['disposed', 0.02],
];

function status(random: () => number): (typeof collateralStatuses)[number] {
  let roll = random();
  for (const [name, weight] of STATUS_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return 'active';
}

function details(type: CollateralType, random: () => number): string {
  const quantity = String(1 + Math.floor(random() * 500));
  switch (type) {
    case 'emission_right':
      return JSON.stringify({ type, pollutant: pick(['cod', 'nh3n', 'so2', 'nox'], random), quantity, unit: 't/yr' });
    case 'carbon_allowance':
      return JSON.stringify({ type, kind: 'cea', complianceYear: 2023 + Math.floor(random() * 3), quantity: String(1_000 + Math.floor(random() * 50_000)), unit: 'tCO2e' });
    case 'water_right':
      return JSON.stringify({ type, quantity: String(10_000 + Math.floor(random() * 500_000)), unit: 'm3/yr' });
    case 'energy_use_right':
      return JSON.stringify({ type, quantity, unit: 'tce/yr' });
    case 'green_ip':
      return JSON.stringify({ type, patents: [{ number: `ZL2021${String(100_000 + Math.floor(random() * 899_999))}00.1`, title: '一种节能换热装置' }] });
    case 'franchise':
      return JSON.stringify({ type, project: '县城污水处理厂特许经营', grantor: '县住房和城乡建设局' });
    default:
      return JSON.stringify({ type, contract: '合同能源管理合同', counterparty: '县人民医院' });
  }
}

interface Register {
  store: Store;
  random: () => number;
  ownerIds: string[];
  makerIds: string[];
  loans: { id: string; enterprise: string; balance: number }[];
  items: number;
  loadSeconds: number;
  fileMiB: number;
}

let register: Register | undefined;

/** The sizes collateral.register_page is measured at, smallest first: one register grows between them (issue 20). */
export const SIZES = [30_000, 100_000, ITEMS] as const;
/** register_page p95 per size in this run, for the growth ratio (issue 20: p95 at a size ≤ 1.5 × at the one before). */
const registerPageGrowth = growthTracker(SIZES);

/**
 * One register per process, grown to `items` items with a tenth as many owners and a third as many
 * loans at every size (300,000 items: 30,000 owners, 100,000 loans): the same seeded rows in the
 * same order whatever sizes ran before.
 */
export function buildRegister(ctx: BenchContext, items: number = ITEMS): Register {
  register ??= { store: benchStore('collateral'), random: seededRandom(2018), ownerIds: [], makerIds: [], loans: [], items: 0, loadSeconds: 0, fileMiB: 0 };
  const reg = register;
  if (reg.items >= items) return reg;
  const { db } = reg.store;
  const random = reg.random;
  const owners = Math.round((items * OWNERS) / ITEMS);
  const loanCount = Math.round((items * LOANS) / ITEMS);
  ctx.log(`  growing the register to ${owners.toLocaleString('en')} owners, ${loanCount.toLocaleString('en')} loans and ${items.toLocaleString('en')} collateral items …`);
  if (reg.makerIds.length === 0) reg.makerIds.push(...Array.from({ length: 40 }, () => uuidv7()));
  const makerIds = reg.makerIds;
  const started = nowMs();
  const loadSeconds = loadWithLargeCache(db, () => {
    reg.ownerIds.push(...insertBenchEnterprises(db, reg.ownerIds.length, owners, random, () => '2025-01-01T00:00:00.000Z').ids);
    const ids = reg.ownerIds;
    // The loans' and the register's indexes are built once the rows are in (a sort each), as the
    // migrations create them: kept up row by row they made the load 19 minutes on a loaded machine.
    const deferred = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('loans', 'collateral_items', 'collateral_loans')")
      .all() as { name: string; sql: string }[];
    for (const index of deferred) db.exec(`DROP INDEX ${index.name}`);
    const loanInsert = db.prepare(
      `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of,
         disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
       VALUES (@id, '${BENCH_BRANCH}', 1, '2025-01-01T00:00:00.000Z', 'bench', '2025-01-01T00:00:00.000Z', 'bench', @number, @enterprise, @amount, @balance, '2026-11-30', @disbursed, @matures, 345, 'normal', 'environmental_rights_pledge', 'outstanding')`,
    );
    const loans = reg.loans;
    db.transaction(() => {
      for (let i = loans.length; i < loanCount; i += 1) {
        const disbursed = Math.floor(random() * 1_000);
        const amount = (50 + Math.floor(random() * 2_000)) * 1_000_000;
        const loan = { id: uuidv7(), enterprise: pick(ids, random), balance: Math.floor(random() * amount) };
        loanInsert.run({ id: loan.id, number: `3602220126${String(10_000_000 + i)}`, enterprise: loan.enterprise, amount, balance: loan.balance, disbursed: day(2023, disbursed), matures: day(2023, disbursed + 365 + Math.floor(random() * 1_500)) });
        loans.push(loan);
      }
    })();
    const itemInsert = db.prepare(
      `INSERT INTO collateral_items (id, branch_id, version, created_at, created_by, updated_at, updated_by, enterprise_id, type, details, certificate_number, certificate_issuer,
         valid_from, valid_to, status, maker_id, checker_id, appraised_value_fen, appraised_on, revaluation_due_on, pledge_rate_bp, pledged_value_fen, terms_version,
         registry, registration_number, registered_on, registration_expires_on)
       VALUES (@id, '${BENCH_BRANCH}', 1, @at, @maker, @at, @maker, @enterprise, @type, @details, @certificate, '生态环境局', @validFrom, @validTo, @status, @maker, @checker,
         @appraised, @appraisedOn, @due, @rate, @pledged, 1, @registry, @registration, @registeredOn, @registrationExpires)`,
    );
    const linkInsert = db.prepare(
      `INSERT INTO collateral_loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, item_id, loan_id, secured_amount_fen)
       VALUES (@id, '${BENCH_BRANCH}', 1, '2025-01-01T00:00:00.000Z', 'bench', '2025-01-01T00:00:00.000Z', 'bench', @item, @loan, @secured)`,
    );
    for (let start = reg.items; start < items; start += 10_000) {
      db.transaction(() => {
        for (let i = start; i < Math.min(items, start + 10_000); i += 1) {
          const type = pick(collateralTypes, random);
          const itemStatus = status(random);
          const registered = ['registered', 'active', 'released', 'in_disposal', 'disposed'].includes(itemStatus);
          const from = Math.floor(random() * 1_500);
          const appraised = (10 + Math.floor(random() * 5_000)) * 100_000;
          const rate = 3_000 + Math.floor(random() * 50) * 100;
          const appraisedOn = day(2024, Math.floor(random() * 1_000));
          const loan = itemStatus === 'active' || itemStatus === 'registered' ? pick(loans, random) : null;
          const item = {
            id: uuidv7(),
            at: `2025-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T00:00:00.000Z`,
            maker: pick(makerIds, random),
            enterprise: loan?.enterprise ?? pick(ids, random),
            type,
            details: details(type, random),
            certificate: `环权证〔2025〕${i}号`,
            validFrom: day(2022, from),
            validTo: day(2022, from + 365 * (1 + Math.floor(random() * 5))),
            status: itemStatus,
            checker: ['draft', 'submitted'].includes(itemStatus) ? null : pick(makerIds, random),
            appraised,
            appraisedOn,
            due: day(Number(appraisedOn.slice(0, 4)) + 1, 0),
            rate,
            pledged: pledgedValue(appraised, rate),
            registry: registered ? '动产融资统一登记公示系统' : null,
            registration: registered ? `DJ2025${String(10_000_000 + i)}` : null,
            registeredOn: registered ? day(2023, from) : null,
            registrationExpires: registered ? day(2023, from + 365 * (1 + Math.floor(random() * 4))) : null,
          };
          itemInsert.run(item);
          if (loan !== null) linkInsert.run({ id: uuidv7(), item: item.id, loan: loan.id, secured: random() < 0.5 ? null : Math.max(1, Math.floor(loan.balance / 2)) });
        }
      })();
      if ((start / 10_000) % 10 === 9) ctx.log(`    ${(start + 10_000).toLocaleString('en')} items, ${((nowMs() - started) / 1000).toFixed(1)} s`);
    }
    for (const index of deferred) db.exec(index.sql);
    ctx.log(`    ${deferred.length} indexes built, ${((nowMs() - started) / 1000).toFixed(1)} s`);
  }, nowMs);
  reg.items = items;
  reg.loadSeconds += loadSeconds;
  reg.fileMiB = Math.round((statSync(reg.store.file).size / 2 ** 20) * 10) / 10;
  ctx.log(`  grown in ${loadSeconds.toFixed(1)} s, ${reg.fileMiB} MiB`);
  return reg;
}

/** The register as credit managers use it: mostly active items, often one type, sometimes an expiry horizon, an officer or an owner. */
function filters(random: () => number, reg: Register, count: number): CollateralListFilter[] {
  const list: CollateralListFilter[] = [];
  for (let i = 0; i < count; i += 1) {
    const filter: CollateralListFilter = {};
    const roll = random();
    if (roll < 0.6) filter.status = 'active';
    else if (roll < 0.75) filter.status = pick(collateralStatuses, random);
    if (random() < 0.4) filter.type = pick(collateralTypes, random);
    if (random() < 0.2) filter.expiringWithinDays = pick([30, 90, 180], random);
    if (random() < 0.1) filter.makerId = pick(reg.makerIds, random);
    if (random() < 0.1) filter.enterpriseId = pick(reg.ownerIds, random);
    list.push(filter);
  }
  return list;
}

export function pageRequests(random: () => number, reg: Register): { filter: CollateralListFilter; sort: CollateralSort; offset: number }[] {
  return filters(random, reg, PAGES).map((filter) => ({
    filter,
    sort: { field: random() < 0.4 ? 'updatedAt' : pick(collateralSortFields, random), order: random() < 0.5 ? 'asc' : 'desc' },
    offset: random() < 0.6 ? 0 : PAGE_SIZE * (1 + Math.floor(random() * 20)),
  }));
}

/** What narrows a request most, for the p95 per kind: an owner, an officer, an expiry horizon, a type, or only a status. */
function requestKind({ filter }: { filter: CollateralListFilter }): string {
  if (filter.enterpriseId !== undefined) return 'owner';
  if (filter.makerId !== undefined) return 'officer';
  if (filter.expiringWithinDays !== undefined) return 'expiring';
  return filter.type === undefined ? 'status' : 'type';
}

function registerPageScenario(ctx: BenchContext, size: number): Measurement {
  const reg = buildRegister(ctx, size);
  const { db } = reg.store;
  // The same seeded mix at every size; an owner holds ten items on average at each.
  const random = seededRandom(247);
  const warm = pageRequests(random, reg);
  const requests = pageRequests(random, reg);
  const page = (r: (typeof requests)[number]) => listCollateral(db, r.filter, r.sort, r.offset, PAGE_SIZE, SETTINGS);
  warmUp(warm.length, (i) => page(warm[i]!));
  const started = nowMs();
  const durations = timeEach(requests.length, (i) => page(requests[i]!));
  const seconds = (nowMs() - started) / 1000;
  const samples = Array.from(durations).sort((a, b) => a - b);
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = 1 filtered, sorted page of ${PAGE_SIZE} + its count in ${size.toLocaleString('en')} items; 60% active, 40% by type, 20% expiring within N days, 10% officer, 10% owner; 60% first page`,
    extra: {
      unit: 'page',
      items: size,
      owners: reg.ownerIds.length,
      loans: reg.loans.length,
      load_s: Math.round(reg.loadSeconds * 10) / 10,
      file_mib: reg.fileMiB,
      ...registerPageGrowth(size, samples),
      ...p95ByKind(requests.map(requestKind), durations),
    },
  };
}

function totalsScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const random = seededRandom(8000);
  const warm = filters(random, reg, 50);
  const requests = filters(random, reg, TOTALS);
  warmUp(warm.length, (i) => collateralTotals(db, warm[i]!, SETTINGS));
  const started = nowMs();
  const samples = measureEach(requests.length, (i) => collateralTotals(db, requests[i]!, SETTINGS));
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = count, appraised, pledged and counted-pledged totals of one filter over ${ITEMS.toLocaleString('en')} items (same filter mix as the page)`,
    extra: { unit: 'totals', items: ITEMS },
  };
}

function alertsScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const settings = SETTINGS;
  let alerted = 0;
  const started = nowMs();
  const samples = measureEach(ALERT_RUNS, () => {
    alerted = registerAlerts(db, settings).size;
  });
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: ALERT_RUNS / seconds,
    notes: `sample = every alert of the register recomputed (watched items with their loans and owners' ratings) over ${ITEMS.toLocaleString('en')} items`,
    extra: { unit: 'register', items: ITEMS, items_with_alerts: alerted },
  };
}

export const scenarios: Scenario[] = [
  ...SIZES.map((size): Scenario => ({ name: `collateral.register_page.${sizeName(size)}`, baseline: 'baseline.lookup.encrypted', run: (ctx) => registerPageScenario(ctx, size) })),
  { name: 'collateral.totals', baseline: 'baseline.lookup.encrypted', run: totalsScenario },
  { name: 'collateral.alerts', baseline: 'baseline.lookup.encrypted', run: alertsScenario },
];
