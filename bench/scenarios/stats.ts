/**
 * Green-credit statistics at prefecture scale (issue 17 acceptance 4): 500,000 loans of 50,000
 * borrowers, each with twelve month-end snapshots (2025-12-31 … 2026-11-30: 6,000,000 rows), a tenth
 * of them green (a confirmed tag with a 2025 catalogue code, evidence and benefit figures).
 *  - stats.green_report: the green report as of a month end (greenReportOf over readGreenLoans, as
 *    stats.greenReport runs it): by category, focus industry, county and class, and the bank's share.
 *    Target p95 ≤ 300 ms.
 *  - stats.dashboard: every dashboard figure (dashboardOf, as stats.dashboard runs it): green figures
 *    as of today, the year's start and the same day last year, the collateral and case summaries.
 *    Target p95 ≤ 500 ms. (This bench's collateral and case registers are empty: their summaries are
 *    read from kept totals and indexes, measured by the collateral and cases benches.)
 * Both read the green book (migration 0032). The book is written with plain INSERTs, its snapshot
 * indexes and the triggers of 0027 and 0032 set aside during the load, the kept per-day jumps and the
 * green book computed once after it, as the migrations do. STATS_LOANS sets the number of loans.
 */
import { uuidv7 } from 'uuidv7';
import { loanClassifications } from '../../shared/domain/loan.ts';
import type { Db } from '../../db/open.ts';
import type { Store } from '../../electron/host/store.ts';
import type { HostContext } from '../../electron/host/context.ts';
import { dashboardOf } from '../../electron/host/handlers/stats.ts';
import { greenReportAt } from '../../electron/host/stats/greenBook.ts';
import { rebuildGreenBook } from '../../db/greenBook.ts';
import { BENCH_BRANCH as BRANCH, insertBenchEnterprises } from '../data/enterprises.ts';
import { benchStore, loadWithLargeCache } from '../data/register.ts';
import { collectGarbage, nowMs, seededRandom, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

// STATS_LOANS=50000 builds a tenth of the book (a minute instead of ~10) to iterate on; acceptance is the default.
const LOANS = Number(process.env.STATS_LOANS ?? 500_000);
const BORROWERS = Math.max(1, Math.round(LOANS / 10));
const GREEN_SHARE = 0.1;
const MONTH_ENDS = ['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30'];
const REPORTS = 30;
const DASHBOARDS = 30;

let book: { store: Store; loadSeconds: number; green: number } | undefined;

function buildBook(ctx: BenchContext): NonNullable<typeof book> {
  if (book !== undefined) return book;
  const store = benchStore('stats');
  const { db } = store;
  const random = seededRandom(2017);
  ctx.log(`  writing ${BORROWERS.toLocaleString('en')} borrowers, ${LOANS.toLocaleString('en')} loans and ${(LOANS * MONTH_ENDS.length).toLocaleString('en')} snapshots …`);
  // The snapshot indexes and triggers and the green book's triggers are rebuilt after the load (what a bulk load does).
  const setAside = db
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE ((tbl_name = 'loan_snapshots' AND type IN ('index', 'trigger')) OR (type = 'trigger' AND name LIKE 'green\\_book\\_%' ESCAPE '\\')) AND sql IS NOT NULL")
    .all() as { type: string; name: string; sql: string }[];
  let green = 0;
  const seconds = loadWithLargeCache(
    db,
    () => {
      for (const entry of setAside) db.exec(`DROP ${entry.type.toUpperCase()} ${entry.name}`);
      const { ids } = insertBenchEnterprises(db, 0, BORROWERS, random, () => '2025-01-01T00:00:00.000Z');
      const loan = db.prepare(
        `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of,
           disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
         VALUES (@id, '${BRANCH}', 1, '2025-01-01T00:00:00.000Z', 'bench', '2025-01-01T00:00:00.000Z', 'bench', @number, @enterprise, @amount, @balance, '2026-11-30', '2025-01-10', '2030-01-10', 385, @classification, 'credit', 'outstanding')`,
      );
      const snapshot = db.prepare(
        `INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification)
         VALUES (@id, '${BRANCH}', 1, '2025-01-01T00:00:00.000Z', 'bench', '2025-01-01T00:00:00.000Z', 'bench', @loan, @asOf, @balance, @classification)`,
      );
      const tag = db.prepare(
        `INSERT INTO green_tags (id, branch_id, version, created_at, created_by, updated_at, updated_by, owner_type, owner_id, catalogue_version, catalogue_code, project_total_investment_fen,
           coal_saved_tce, co2_reduced_t, cod_reduced_t, evidence_attachment_ids, status, prepared_by, confirmed_by, confirmed_at)
         VALUES (@id, '${BRANCH}', 1, '2025-01-01T00:00:00.000Z', 'bench', '2025-01-01T00:00:00.000Z', 'bench', 'loan', @loan, '2025', @code, @investment, @coal, @co2, @cod, '["bench-evidence"]', 'confirmed', 'bench', 'bench-manager', '2025-02-01T00:00:00.000Z')`,
      );
      for (let start = 0; start < LOANS; start += 10_000) {
        db.transaction(() => {
          for (let i = start; i < start + 10_000; i += 1) {
            const id = uuidv7();
            const amount = (10 + Math.floor(random() * 2_000)) * 1_000_000;
            // Month by month the balance amortises; a tenth of the loans start during the year.
            let balance = Math.floor(amount * (0.5 + random() * 0.5));
            const firstMonth = random() < 0.9 ? 0 : Math.floor(random() * MONTH_ENDS.length);
            const classification = random() < 0.92 ? 'normal' : loanClassifications[1 + Math.floor(random() * 4)]!;
            for (let m = firstMonth; m < MONTH_ENDS.length; m += 1) {
              snapshot.run({ id: uuidv7(), loan: id, asOf: MONTH_ENDS[m]!, balance, classification });
              balance = Math.max(0, balance - Math.floor(amount / 60));
            }
            loan.run({ id, number: `3602220130${String(10_000_000 + i)}`, enterprise: ids[Math.floor(random() * ids.length)]!, amount, balance, classification });
            if (random() < GREEN_SHARE) {
              green += 1;
              tag.run({
                id: uuidv7(),
                loan: id,
                code: String(1 + Math.floor(random() * 9)),
                investment: amount * 2,
                coal: String(Math.floor(random() * 5_000)),
                co2: `${Math.floor(random() * 12_000)}.${Math.floor(random() * 10)}`,
                cod: random() < 0.3 ? String(Math.floor(random() * 50)) : null,
              });
            }
          }
        })();
        if ((start / 10_000) % 10 === 9) ctx.log(`    ${(start + 10_000).toLocaleString('en')} loans`);
      }
      for (const entry of setAside.filter((e) => e.type === 'index')) db.exec(entry.sql);
      rebuildJumps(db);
      rebuildGreenBook(db);
      for (const entry of setAside.filter((e) => e.type === 'trigger')) db.exec(entry.sql);
    },
    nowMs,
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  ctx.log(`  written in ${seconds.toFixed(1)} s`);
  book = { store, loadSeconds: seconds, green };
  return book;
}

/** What the green book costs on disk (its table and its index), from dbstat, in MiB. */
function storage(db: Db): { green_book_rows: number; green_book_mib: number; green_book_index_mib: number; file_mib: number } {
  const mib = (name: string) => Math.round(((db.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?').pluck().get(name) as number) / 1_048_576) * 10) / 10;
  const pages = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  return { green_book_rows: db.prepare('SELECT count(*) FROM green_book').pluck().get() as number, green_book_mib: mib('green_book'), green_book_index_mib: mib('green_book_loan'), file_mib: Math.round(pages / 1_048_576) };
}

/** 0027's first fill: each snapshot's jump over the loan's one before, summed per day. */
function rebuildJumps(db: Db): void {
  db.exec(`DELETE FROM loan_balance_jumps;
    INSERT INTO loan_balance_jumps (as_of, jump_fen)
      SELECT as_of, sum(jump) FROM (
        SELECT as_of, balance_fen - coalesce(lag(balance_fen) OVER (PARTITION BY loan_id ORDER BY as_of, id), 0) AS jump FROM loan_snapshots WHERE deleted_at IS NULL
      ) GROUP BY as_of;`);
}

async function measureAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  collectGarbage();
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = nowMs();
    await fn(i);
    samples.push(nowMs() - started);
  }
  return samples.sort((a, b) => a - b);
}

async function greenReportScenario(ctx: BenchContext): Promise<Measurement> {
  const { store, loadSeconds, green } = buildBook(ctx);
  const { db } = store;
  const report = (i: number) => greenReportAt(db, MONTH_ENDS[(i * 5) % MONTH_ENDS.length]!);
  for (let i = 0; i < 3; i += 1) await report(i);
  const started = nowMs();
  const samples = await measureAsync(REPORTS, report);
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: REPORTS / seconds,
    notes: `sample = the green report as of a month end over ${LOANS.toLocaleString('en')} loans × ${MONTH_ENDS.length} snapshots, ${green.toLocaleString('en')} green`,
    extra: { unit: 'report', loans: LOANS, snapshots: LOANS * MONTH_ENDS.length, green_loans: green, load_s: Math.round(loadSeconds), ...storage(db) },
  };
}

async function dashboardScenario(ctx: BenchContext): Promise<Measurement> {
  const { store, green } = buildBook(ctx);
  const hostCtx = { store, now: () => new Date('2026-12-02T04:00:00.000Z') } as unknown as HostContext;
  const figures = () => dashboardOf(hostCtx, () => {});
  for (let i = 0; i < 3; i += 1) await figures();
  const started = nowMs();
  const samples = await measureAsync(DASHBOARDS, figures);
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: DASHBOARDS / seconds,
    notes: `sample = every dashboard figure (green as of 3 days, collateral and case summaries) over ${LOANS.toLocaleString('en')} loans, ${green.toLocaleString('en')} green`,
    extra: { unit: 'dashboard', loans: LOANS, green_loans: green },
  };
}

export const scenarios: Scenario[] = [
  { name: 'stats.green_report', baseline: 'baseline.lookup.encrypted', run: greenReportScenario },
  { name: 'stats.dashboard', baseline: 'baseline.lookup.encrypted', run: dashboardScenario },
];
