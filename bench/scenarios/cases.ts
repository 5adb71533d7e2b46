/**
 * The rectification case register at prefecture scale (issue 16 acceptance 6):
 *  - cases.list_page: 100,000 cases of 20,000 enterprises; one filtered, sorted page of 100 with its
 *    count (capped LIST_COUNT_AHEAD past the page, as the host calls it) through listCases. Target p95 ≤ 50 ms.
 *  - cases.counts: the counts per status over the list (countCases) for the same kind of filters.
 *  - cases.monitoring_page: the 贷后监测计划 of the same register's 20,000 enterprises, each a borrower
 *    (1–3 outstanding loans, 60% visited): one page of 100 of the due/overdue list with its capped
 *    count (listSchedule), after the schedule was computed (refreshMonitoringSchedule, timed once).
 *    Target p95 ≤ 50 ms, as the case list.
 *  - cases.calendar: the 整改日历 of one month (cases.calendar through its handler, as the page calls
 *    it) over the same register and borrowers: deadlines, follow-ups, plan days, monitoring due and
 *    planned visits; some with the list's filters. No target of its own: reported beside the list.
 * The register is written with plain INSERTs (what is measured is reading it).
 */
import { statSync } from 'node:fs';
import { uuidv7 } from 'uuidv7';
import type { CalendarInput, CaseListFilter, CaseSort } from '../../shared/api/rectification.ts';
import { caseCategories, caseMeasures, caseStatuses } from '../../shared/domain/rectification.ts';
import { countCases, listCases } from '../../db/rectification.ts';
import { countSchedule, listSchedule, refreshMonitoringSchedule, type ScheduleFilter } from '../../db/monitoring.ts';
import { loanClassifications } from '../../shared/domain/loan.ts';
import { monitoringBands } from '../../shared/domain/monitoringSchedule.ts';
import type { Store } from '../../electron/host/store.ts';
import type { CallContext, HostContext } from '../../electron/host/context.ts';
import { casesCalendar } from '../../electron/host/handlers/rectification.ts';
import { BENCH_BRANCH as BRANCH, COUNTIES, insertBenchEnterprises } from '../data/enterprises.ts';
import { benchStore, loadWithLargeCache } from '../data/register.ts';
import { measureEach, nowMs, seededRandom, warmUp, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

const CASES = 100_000;
const ENTERPRISES = 20_000;
const OFFICERS = 40;
const PAGES = 1_000;
const PAGE_SIZE = 100;
const TODAY = '2026-12-01';

const pick = <T,>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const day = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);

interface Register {
  store: Store;
  enterpriseIds: string[];
  officers: string[];
  loadSeconds: number;
  fileMiB: number;
}

let register: Register | undefined;

function buildRegister(ctx: BenchContext): Register {
  if (register !== undefined) return register;
  const store = benchStore('cases');
  const { db } = store;
  const random = seededRandom(2016);
  ctx.log(`  loading ${ENTERPRISES.toLocaleString('en')} enterprises and ${CASES.toLocaleString('en')} cases …`);
  let enterpriseIds: string[] = [];
  let officers: string[] = [];
  const loadSeconds = loadWithLargeCache(db, () => {
    enterpriseIds = insertBenchEnterprises(db, 0, ENTERPRISES, random, () => '2025-01-01T00:00:00.000Z').ids;
    officers = Array.from({ length: OFFICERS }, () => uuidv7());
    const insert = db.prepare(
      `INSERT INTO rectification_cases (id, branch_id, version, created_at, created_by, updated_at, updated_by, case_number, enterprise_id, category, source, found_on,
         description, required_actions, deadline, measure, officer_id, status, verifier_id)
       VALUES (@id, '${BRANCH}', 1, @at, 'bench', @at, 'bench', @number, @enterprise, @category, 'inspection', @found, '检查发现问题', '限期整改', @deadline, @measure, @officer, @status, @verifier)`,
    );
    for (let start = 0; start < CASES; start += 10_000) {
      db.transaction(() => {
        for (let i = start; i < start + 10_000; i += 1) {
          // Most cases of a mature register are closed; the open ones are what people page through.
          const status = random() < 0.6 ? 'closed' : pick(caseStatuses.filter((s) => s !== 'closed'), random);
          const found = Math.floor(random() * 1_400);
          insert.run({
            id: uuidv7(),
            at: '2025-06-01T00:00:00.000Z',
            number: `ZG-2026-BNCH-${String(i).padStart(6, '0')}`,
            enterprise: pick(enterpriseIds, random),
            category: random() < 0.6 ? 'environmental' : pick(caseCategories, random),
            found: day(2023, found),
            deadline: day(2023, found + 30 + Math.floor(random() * 300)),
            measure: random() < 0.7 ? 'urge' : pick(caseMeasures, random),
            officer: pick(officers, random),
            status,
            verifier: status === 'closed' ? 'bench-manager' : null,
          });
        }
      })();
    }
  }, nowMs);
  register = { store, enterpriseIds, officers, loadSeconds, fileMiB: Math.round((statSync(store.file).size / 2 ** 20) * 10) / 10 };
  ctx.log(`  loaded in ${loadSeconds.toFixed(1)} s, ${register.fileMiB} MiB`);
  return register;
}

/** The case list as people use it: mostly not closed, overdue or by status, by category, measure, officer or county; usually the first page. */
function caseListRequests(random: () => number, reg: Register): { filter: CaseListFilter; sort: CaseSort; offset: number }[] {
  const requests: { filter: CaseListFilter; sort: CaseSort; offset: number }[] = [];
  for (let i = 0; i < PAGES; i += 1) {
    const filter: CaseListFilter = {};
    const roll = random();
    if (roll < 0.3) filter.overdue = true;
    else if (roll < 0.7) filter.status = pick(caseStatuses, random);
    if (random() < 0.3) filter.category = pick(caseCategories, random);
    if (random() < 0.2) filter.measure = pick(caseMeasures, random);
    if (random() < 0.2) filter.officerId = pick(reg.officers, random);
    if (random() < 0.15) filter.divisionCode = pick(COUNTIES, random)[0];
    if (random() < 0.05) filter.enterpriseId = pick(reg.enterpriseIds, random);
    const sort: CaseSort = { field: random() < 0.7 ? 'deadline' : 'foundOn', order: random() < 0.5 ? 'asc' : 'desc' };
    const offset = random() < 0.6 ? 0 : PAGE_SIZE * (1 + Math.floor(random() * 20));
    requests.push({ filter, sort, offset });
  }
  return requests;
}

function listPageScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const random = seededRandom(1616);
  const warm = caseListRequests(random, reg);
  const requests = caseListRequests(random, reg);
  const page = (r: (typeof requests)[number]) => listCases(db, r.filter, r.sort, r.offset, PAGE_SIZE, TODAY);
  warmUp(warm.length, (i) => page(warm[i]!));
  const started = nowMs();
  const samples = measureEach(requests.length, (i) => page(requests[i]!));
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = 1 filtered, sorted page of ${PAGE_SIZE} + its capped count in ${CASES.toLocaleString('en')} cases (60% closed); 30% overdue, 40% by status, 30% category, 20% measure, 20% officer, 15% county; 60% first page`,
    extra: { unit: 'page', cases: CASES, enterprises: ENTERPRISES, load_s: Math.round(reg.loadSeconds * 10) / 10, file_mib: reg.fileMiB },
  };
}

function countsScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const random = seededRandom(1617);
  const requests = caseListRequests(random, reg);
  const count = (i: number) => countCases(db, requests[i]!.filter, TODAY);
  warmUp(100, count);
  const started = nowMs();
  const samples = measureEach(requests.length, count);
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = the counts per status and overdue for one filter over ${CASES.toLocaleString('en')} cases`,
    extra: { unit: 'counts', cases: CASES },
  };
}

let borrowersLoaded: { loadSeconds: number; refreshSeconds: number } | undefined;

/** Every enterprise of the register a borrower: loans and visits written plain, then the schedule computed once. */
function loadBorrowers(ctx: BenchContext, reg: Register) {
  if (borrowersLoaded !== undefined) return borrowersLoaded;
  const { db } = reg.store;
  const random = seededRandom(2017);
  ctx.log(`  loading loans and visits of ${ENTERPRISES.toLocaleString('en')} borrowers …`);
  const loan = db.prepare(
    `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
     VALUES (@id, '${BRANCH}', 1, @at, 'bench', @at, 'bench', @number, @enterprise, 100000000, 80000000, '2026-11-30', @disbursed, '2028-12-31', 345, @class, 'guarantee', 'outstanding')`,
  );
  const visit = db.prepare(
    `INSERT INTO monitoring_visits (id, branch_id, version, created_at, created_by, updated_at, updated_by, enterprise_id, due_on, visited_on, officer_id)
     VALUES (@id, '${BRANCH}', 1, @at, 'bench', @at, 'bench', @enterprise, @day, @day, 'bench')`,
  );
  let serial = 0;
  const loadSeconds = loadWithLargeCache(db, () => {
    db.transaction(() => {
      for (const enterprise of reg.enterpriseIds) {
        for (let n = 1 + Math.floor(random() * 3); n > 0; n -= 1) {
          const roll = random();
          const classification = roll < 0.85 ? 'normal' : roll < 0.95 ? 'special_mention' : pick(loanClassifications.slice(2), random);
          loan.run({ id: uuidv7(), at: '2025-06-01T00:00:00.000Z', number: `JK-BNCH-${String((serial += 1)).padStart(7, '0')}`, enterprise, disbursed: day(2024, Math.floor(random() * 700)), class: classification });
        }
        if (random() < 0.6) visit.run({ id: uuidv7(), at: '2026-06-01T00:00:00.000Z', enterprise, day: day(2025, Math.floor(random() * 330)) });
      }
    })();
  }, nowMs);
  const started = nowMs();
  refreshMonitoringSchedule(db);
  const refreshSeconds = (nowMs() - started) / 1000;
  ctx.log(`  loans and visits in ${loadSeconds.toFixed(1)} s; schedule of every borrower computed in ${refreshSeconds.toFixed(1)} s`);
  borrowersLoaded = { loadSeconds, refreshSeconds };
  return borrowersLoaded;
}

/** The schedule as an officer opens it: mostly due or overdue, some by county or band, usually the first page. */
function scheduleRequests(random: () => number): { filter: ScheduleFilter; offset: number }[] {
  return Array.from({ length: PAGES }, () => {
    const filter: ScheduleFilter = {};
    const roll = random();
    if (roll < 0.5) filter.status = 'attention';
    else if (roll < 0.7) filter.status = 'overdue';
    else if (roll < 0.85) filter.status = 'due';
    if (random() < 0.3) filter.divisionCode = pick(COUNTIES, random)[0];
    if (random() < 0.2) filter.band = pick(monitoringBands, random);
    return { filter, offset: random() < 0.6 ? 0 : PAGE_SIZE * (1 + Math.floor(random() * 20)) };
  });
}

/** monitoring.scheduleCounts: overdue, due and on schedule for one filter (a count over its index range). */
function monitoringCountsScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  loadBorrowers(ctx, reg);
  const requests = scheduleRequests(seededRandom(1619));
  const count = (i: number) => countSchedule(reg.store.db, requests[i]!.filter, TODAY);
  warmUp(100, count);
  const started = nowMs();
  const samples = measureEach(requests.length, count);
  return { samples, perSecond: requests.length / ((nowMs() - started) / 1000), notes: `sample = the 贷后监测计划's counts per status for one filter over ${ENTERPRISES.toLocaleString('en')} borrowers`, extra: { unit: 'counts', borrowers: ENTERPRISES } };
}

function monitoringPageScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const loaded = loadBorrowers(ctx, reg);
  const { db } = reg.store;
  const random = seededRandom(1618);
  const warm = scheduleRequests(random);
  const requests = scheduleRequests(random);
  // What monitoring.schedule does per page: the (empty) refresh, then the page with its capped count.
  const page = (r: (typeof requests)[number]) => {
    refreshMonitoringSchedule(db);
    listSchedule(db, r.filter, 'asc', r.offset, PAGE_SIZE, TODAY);
  };
  warmUp(warm.length, (i) => page(warm[i]!));
  const started = nowMs();
  const samples = measureEach(requests.length, (i) => page(requests[i]!));
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = 1 page of ${PAGE_SIZE} of the 贷后监测计划 + its capped count, ${ENTERPRISES.toLocaleString('en')} borrowers beside ${CASES.toLocaleString('en')} cases; 50% due or overdue, 20% overdue, 15% due, 30% county, 20% band; 60% first page`,
    extra: { unit: 'page', borrowers: ENTERPRISES, cases: CASES, load_s: Math.round(loaded.loadSeconds * 10) / 10, schedule_refresh_s: Math.round(loaded.refreshSeconds * 10) / 10 },
  };
}

/** A month of the calendar, as the page asks for it: around today mostly, the list's filters now and then. */
function calendarRequests(random: () => number, reg: Register): CalendarInput[] {
  return Array.from({ length: 200 }, () => {
    // months from 2024-01 to 2027-12, half of them within a year of today
    const month = random() < 0.5 ? 24 + Math.floor(random() * 24) : Math.floor(random() * 48);
    const year = 2024 + Math.floor(month / 12);
    const from = `${year}-${String((month % 12) + 1).padStart(2, '0')}-01`;
    const to = new Date(Date.UTC(year, (month % 12) + 1, 0)).toISOString().slice(0, 10);
    const filter: CaseListFilter = {};
    if (random() < 0.2) filter.divisionCode = pick(COUNTIES, random)[0];
    if (random() < 0.15) filter.officerId = pick(reg.officers, random);
    if (random() < 0.1) filter.category = pick(caseCategories, random);
    return { from, to, filter };
  });
}

function calendarScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  loadBorrowers(ctx, reg);
  const hostCtx = { store: reg.store, now: () => new Date(`${TODAY}T04:00:00.000Z`) } as unknown as HostContext;
  const random = seededRandom(1620);
  const warm = calendarRequests(random, reg);
  const requests = calendarRequests(random, reg);
  const entries: number[] = [];
  const month = (input: CalendarInput) => entries.push((casesCalendar(hostCtx, {} as CallContext, input) as { entries: unknown[] }).entries.length);
  warmUp(warm.length, (i) => month(warm[i]!));
  entries.length = 0;
  const started = nowMs();
  const samples = measureEach(requests.length, (i) => month(requests[i]!));
  const seconds = (nowMs() - started) / 1000;
  const mean = entries.reduce((sum, n) => sum + n, 0) / Math.max(1, entries.length);
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = 整改日历 of one month (every entry kind) over ${CASES.toLocaleString('en')} cases and ${ENTERPRISES.toLocaleString('en')} borrowers; 20% county, 15% officer, 10% category; ${Math.round(mean)} entries a month on average`,
    extra: { unit: 'month', cases: CASES, borrowers: ENTERPRISES, mean_entries: Math.round(mean), max_entries: Math.max(...entries) },
  };
}

export const scenarios: Scenario[] = [
  { name: 'cases.list_page', baseline: 'baseline.lookup.encrypted', run: listPageScenario },
  { name: 'cases.counts', baseline: 'baseline.lookup.encrypted', run: countsScenario },
  { name: 'cases.monitoring_page', baseline: 'baseline.lookup.encrypted', run: monitoringPageScenario },
  { name: 'cases.monitoring_counts', baseline: 'baseline.lookup.encrypted', run: monitoringCountsScenario },
  { name: 'cases.calendar', baseline: 'baseline.lookup.encrypted', run: calendarScenario },
];
