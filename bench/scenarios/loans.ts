/**
 * The loan register at prefecture scale (issue 13 acceptance 5):
 *  - loans.import: a 50,000-row core-system export (.xlsx) through the product's import (runLoanImport:
 *    parse, rules, saveLoan with audit, outbox and a snapshot per loan), into a branch with 5,000
 *    borrowers on file; a sample is one 500-row chunk, quoted per 1,000 rows.
 *  - loans.list_page.50k/150k/500k: one register grown to 50,000, 150,000 and 500,000 loans (ten per
 *    borrower); one filtered, sorted page through listLoans exactly as the host calls it (count capped
 *    past the page). Targets: p95 ≤ 50 ms at 500k, and p95 ≤ 1.5 × the previous size's (issue 20,
 *    `p95_growth_from_…`).
 *  - loans.gate: credit-gate verdicts as the application screen asks for one: the enterprise file read
 *    by id, then evaluateCreditGate (shared/domain).
 * The 500k register is written with plain INSERTs (what is measured is reading it; writing 500k
 * loans through the audited path would take the bench half an hour).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { loanSortFields, type LoanListFilter, type LoanSort } from '../../shared/api/loans.ts';
import { evaluateCreditGate } from '../../shared/domain/creditGate.ts';
import { guaranteeModes } from '../../shared/domain/guarantee.ts';
import { loanClassifications } from '../../shared/domain/loan.ts';
import { pinyinInitials } from '../../shared/domain/pinyin.ts';
import { enterpriseFileOf, getEnterprise } from '../../db/enterprises.ts';
import { listLoans } from '../../db/loans.ts';
import type { Db } from '../../db/open.ts';
import { openStore, type Store } from '../../electron/host/store.ts';
import type { HostContext } from '../../electron/host/context.ts';
import { xlsxBase64 } from '../../electron/host/import/testFiles.ts';
import { runLoanImport } from '../../electron/host/loans/importer.ts';
import { BENCH_BRANCH as BRANCH, COUNTIES, WORDS, countyShortName, insertBenchEnterprises } from '../data/enterprises.ts';
import { benchOfficer } from '../data/officer.ts';
import { growthTracker, p95ByKind, sizeName } from '../data/growth.ts';
import { benchStore, chunkTimer, loadWithLargeCache } from '../data/register.ts';
import { measureEach, nowMs, seededRandom, timeEach, warmUp, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

export const LOANS = 500_000;
/** The register sizes list_page is measured at, smallest first (one register grows between them). */
export const SIZES = [50_000, 150_000, LOANS] as const;
const IMPORT_ROWS = 50_000;
const IMPORT_BORROWERS = 5_000;
const PAGES = 1_000;
const PAGE_SIZE = 100;
const VERDICTS = 20_000;

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

const day = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);

/** The borrowers, as the product stores them, without the audited path (all filed on one day). */
const insertEnterprises = (db: Db, count: number, random: () => number) => insertBenchEnterprises(db, 0, count, random, () => '2025-01-01T00:00:00.000Z');

interface Register {
  store: Store;
  random: () => number;
  enterpriseIds: string[];
  names: string[];
  loans: number;
  loadSeconds: number;
}

let register: Register | undefined;
/** list_page p95 per size in this run, for the growth ratio (issue 20: p95 at a size ≤ 1.5 × at the one before). */
const listPageGrowth = growthTracker(SIZES);

/**
 * One register per process, in its own temp dir removed at exit, grown to `loans` loans (and a
 * tenth as many borrowers: a borrower holds ten loans on average at every size): the same seeded
 * rows in the same order whatever sizes ran before.
 */
export function buildRegister(ctx: BenchContext, loans = LOANS): Register {
  if (register === undefined) {
    register = { store: benchStore('loans'), random: seededRandom(2013), enterpriseIds: [], names: [], loans: 0, loadSeconds: 0 };
  }
  const reg = register;
  if (reg.loans >= loans) return reg;
  const { db } = reg.store;
  const random = reg.random;
  const borrowers = loans / 10;
  ctx.log(`  growing the register to ${borrowers.toLocaleString('en')} borrowers and ${loans.toLocaleString('en')} loans …`);
  const insert = db.prepare(
    `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of,
       disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
     VALUES (@id, '${BRANCH}', 1, @at, 'bench', @at, 'bench', @number, @enterprise, @amount, @balance, '2025-06-30', @disbursed, @matures, @rate, @classification, @guarantee, @status)`,
  );
  // A large page cache while loading only (nine indexes of up to 500k rows), the product's own for measuring.
  const seconds = loadWithLargeCache(
    db,
    () => {
      const added = insertBenchEnterprises(db, reg.enterpriseIds.length, borrowers, random, () => '2025-01-01T00:00:00.000Z');
      reg.enterpriseIds.push(...added.ids);
      reg.names.push(...added.names);
      const ids = reg.enterpriseIds;
      for (let start = reg.loans; start < loans; start += 10_000) {
        db.transaction(() => {
          for (let i = start; i < Math.min(loans, start + 10_000); i += 1) {
            const amount = (10 + Math.floor(random() * 2_000)) * 1_000_000;
            const status = random() < 0.85 ? 'outstanding' : random() < 0.9 ? 'settled' : 'written_off';
            const classification = status === 'written_off' ? 'loss' : random() < 0.9 ? 'normal' : pick(loanClassifications, random);
            const disbursed = Math.floor(random() * 1_100);
            insert.run({
              id: uuidv7(),
              at: `2025-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-01T00:00:00.000Z`,
              number: `3602220120${String(10_000_000 + i)}`,
              enterprise: ids[Math.floor(random() * ids.length)]!,
              amount,
              balance: status === 'outstanding' ? Math.floor(random() * amount) : 0,
              disbursed: day(2022, disbursed),
              matures: day(2022, disbursed + 180 + Math.floor(random() * 1_800)),
              rate: 300 + Math.floor(random() * 300),
              classification,
              guarantee: pick(guaranteeModes, random),
              status,
            });
          }
        })();
        if ((start / 10_000) % 10 === 9) ctx.log(`    ${(start + 10_000).toLocaleString('en')} loans`);
      }
    },
    nowMs,
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  reg.loans = loans;
  reg.loadSeconds += seconds;
  ctx.log(`  grown in ${seconds.toFixed(1)} s, ${fileMiB(reg)} MiB`);
  return reg;
}

const fileMiB = (reg: Register) => Math.round((statSync(reg.store.file).size / 2 ** 20) * 10) / 10;

/** The register page as people use it: mostly outstanding loans, a class or a maturity window, usually the first pages. */
export function loanListRequests(random: () => number, enterpriseIds: readonly string[]): { filter: LoanListFilter; sort: LoanSort; offset: number }[] {
  const requests: { filter: LoanListFilter; sort: LoanSort; offset: number }[] = [];
  for (let i = 0; i < PAGES; i += 1) {
    const filter: LoanListFilter = {};
    const roll = random();
    if (roll < 0.8) filter.status = 'outstanding';
    else if (roll < 0.85) filter.status = pick(['settled', 'written_off'] as const, random);
    if (random() < 0.25) filter.classifications = ['substandard', 'doubtful', 'loss'];
    else if (random() < 0.1) filter.classifications = [pick(loanClassifications, random)];
    if (random() < 0.15) filter.guaranteeMode = pick(guaranteeModes, random);
    if (random() < 0.3) {
      // Maturing in a window: the next quarter, or a year.
      const from = Math.floor(random() * 1_500);
      filter.maturesFrom = day(2023, from);
      filter.maturesTo = day(2023, from + (random() < 0.5 ? 90 : 365));
    }
    if (random() < 0.1) filter.enterpriseId = pick(enterpriseIds, random);
    if (random() < 0.1) {
      const word = pick(WORDS, random);
      const [, county] = pick(COUNTIES, random);
      filter.query = pick([`${countyShortName(county)}${word}`, pinyinInitials(word), `3602220120${1_000 + Math.floor(random() * 5_000)}`, word], random);
    }
    const sort: LoanSort = { field: random() < 0.4 ? 'maturesOn' : pick(loanSortFields, random), order: random() < 0.5 ? 'asc' : 'desc' };
    const offset = random() < 0.6 ? 0 : PAGE_SIZE * (1 + Math.floor(random() * 20));
    requests.push({ filter, sort, offset });
  }
  return requests;
}

/** What narrows a request most, for the p95 per kind: a search (by what it looks like), a borrower, a maturity window, a class, or only a status. */
function requestKind({ filter }: { filter: LoanListFilter }): string {
  if (filter.query !== undefined) return /^\d/.test(filter.query) ? 'search_number' : /^[a-z]+$/i.test(filter.query) ? 'search_initials' : filter.query.length <= 2 ? 'search_word' : 'search_name';
  if (filter.enterpriseId !== undefined) return 'borrower';
  if (filter.maturesFrom !== undefined) return 'window';
  return filter.classifications === undefined ? 'status' : 'class';
}

function listPageScenario(ctx: BenchContext, size: number): Measurement {
  const reg = buildRegister(ctx, size);
  const { db } = reg.store;
  const random = seededRandom(435);
  const warm = loanListRequests(random, reg.enterpriseIds);
  const requests = loanListRequests(random, reg.enterpriseIds);
  const page = (r: (typeof requests)[number]) => listLoans(db, r.filter, r.sort, r.offset, PAGE_SIZE);
  warmUp(warm.length, (i) => page(warm[i]!));
  const started = nowMs();
  const durations = timeEach(requests.length, (i) => page(requests[i]!));
  const seconds = (nowMs() - started) / 1000;
  const samples = Array.from(durations).sort((a, b) => a - b);
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = 1 filtered, sorted page of ${PAGE_SIZE} + capped count in ${size.toLocaleString('en')} loans; 80% outstanding, 35% by class, 30% maturity window, 10% borrower, 10% search; 60% first page`,
    extra: {
      unit: 'page',
      loans: size,
      borrowers: size / 10,
      load_s: Math.round(reg.loadSeconds * 10) / 10,
      file_mib: fileMiB(reg),
      ...listPageGrowth(size, samples),
      ...p95ByKind(requests.map(requestKind), durations),
    },
  };
}

function gateScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const random = seededRandom(247);
  const ids = Array.from({ length: VERDICTS }, () => pick(reg.enterpriseIds, random));
  const verdicts = { allow: 0, needs_override: 0, deny: 0 };
  const verdict = (i: number) => {
    const row = getEnterprise(db, ids[i]!)!;
    const result = evaluateCreditGate({ enterprise: { environmentalRating: row.environmental_rating, flags: enterpriseFileOf(row).flags }, openCases: [], purposeKind: 'general', today: '2026-12-01' });
    verdicts[result.verdict] += 1;
  };
  warmUp(2_000, verdict);
  for (const key of Object.keys(verdicts) as (keyof typeof verdicts)[]) verdicts[key] = 0;
  const started = nowMs();
  const samples = measureEach(ids.length, verdict);
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: ids.length / seconds,
    notes: `sample = 1 verdict: the enterprise file read by id (encrypted) + evaluateCreditGate; ${reg.enterpriseIds.length.toLocaleString('en')} files`,
    extra: { unit: 'verdict', allow: verdicts.allow, needs_override: verdicts.needs_override, deny: verdicts.deny },
  };
}

/** A core-system export of `rows` loans of `borrowers` borrowers (all on file), as the import reads it. */
async function coreExport(usccs: readonly string[], names: readonly string[], rows: number, random: () => number): Promise<string> {
  const classes = ['正常', '正常', '正常', '正常', '关注', '次级', '可疑', '损失'];
  const modes = ['信用', '保证', '抵押', '质押', '排污权质押'];
  const table: (string | number)[][] = [['借据号', '客户名称', '统一社会信用代码', '贷款金额', '贷款余额', '发放日', '到期日', '执行利率', '五级分类', '担保方式', '贷款用途']];
  for (let i = 0; i < rows; i += 1) {
    const b = Math.floor(random() * usccs.length);
    const amount = (10 + Math.floor(random() * 2_000)) * 10_000;
    const disbursed = Math.floor(random() * 700);
    table.push([
      `3602220125${String(10_000_000 + i)}`,
      names[b]!,
      usccs[b]!,
      amount,
      Math.floor(random() * amount),
      day(2023, disbursed),
      day(2023, disbursed + 400 + Math.floor(random() * 1_000)),
      (3 + Math.floor(random() * 300) / 100).toFixed(2),
      pick(classes, random),
      pick(modes, random),
      '流动资金周转',
    ]);
  }
  return xlsxBase64(table);
}

async function importScenario(ctx: BenchContext): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-bench-loan-import-'));
  try {
    const store = openStore(dir, randomBytes(32).toString('hex'));
    const random = seededRandom(5000);
    const borrowers = insertEnterprises(store.db, IMPORT_BORROWERS, random);
    store.db
      .prepare(
        `INSERT INTO branch (id, branch_id, created_at, created_by, updated_at, updated_by, name, code, division_code)
         VALUES ('${BRANCH}', '${BRANCH}', '2025-01-01T00:00:00.000Z', 'bench', '2025-01-01T00:00:00.000Z', 'bench', '浮梁县支行', 'FL', '360222')`,
      )
      .run();
    ctx.log(`  writing a ${IMPORT_ROWS.toLocaleString('en')}-row export …`);
    const contentBase64 = await coreExport(borrowers.usccs, borrowers.names, IMPORT_ROWS, random);
    const host = { store, now: () => new Date() } as unknown as HostContext;
    const mapping = { loanNumber: '借据号', enterpriseName: '客户名称', uscc: '统一社会信用代码', amount: '贷款金额', balance: '贷款余额', disbursedOn: '发放日', maturesOn: '到期日', rate: '执行利率', classification: '五级分类', guaranteeMode: '担保方式', purpose: '贷款用途' };
    const count = store.db.prepare('SELECT count(*) FROM loans').pluck();
    ctx.log('  importing …');
    const started = nowMs();
    // One sample per chunk: the import yields between its 500-row chunks.
    const timer = chunkTimer(() => count.get() as number, nowMs);
    const result = await runLoanImport(host, benchOfficer, { fileName: '借据明细.xlsx', contentBase64, mapping, asOf: '2025-06-30' });
    const seconds = (nowMs() - started) / 1000;
    const { samples } = timer.stop();
    if (result.imported !== IMPORT_ROWS) throw new Error(`loans.import: imported ${result.imported} of ${IMPORT_ROWS} (${JSON.stringify(result.rejected.slice(0, 3))})`);
    const fileMiB = Math.round((statSync(store.file).size / 2 ** 20) * 10) / 10;
    store.db.close();
    return {
      samples,
      perSecond: IMPORT_ROWS / seconds,
      notes: `sample = ms per 1,000 rows of one 500-row chunk; ${IMPORT_ROWS.toLocaleString('en')}-row .xlsx, ${IMPORT_BORROWERS.toLocaleString('en')} borrowers, each row a loan + its snapshot (audit, outbox); whole import incl. reading the file`,
      extra: { unit: 'rows', rows: IMPORT_ROWS, import_s: Math.round(seconds * 10) / 10, snapshots: result.snapshots, file_mib: fileMiB },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const scenarios: Scenario[] = [
  { name: 'loans.import', baseline: 'baseline.insert.encrypted', run: importScenario },
  ...SIZES.map((size): Scenario => ({ name: `loans.list_page.${sizeName(size)}`, baseline: 'baseline.lookup.encrypted', run: (ctx) => listPageScenario(ctx, size) })),
  { name: 'loans.gate', baseline: 'baseline.lookup.encrypted', run: gateScenario },
];
