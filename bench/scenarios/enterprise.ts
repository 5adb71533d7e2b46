/**
 * The enterprise register at county-bank scale: 100k enterprise files written through the product's
 * write path (saveEnterpriseFile: schema rules, derived columns, audit chain; ratings as addRating
 * writes them), then the one search box and the filtered, sorted list page, both through
 * listEnterprises exactly as the host calls it. Targets: search p95 ≤ 20 ms, list page p95 ≤ 50 ms.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EnterpriseListFilter, EnterpriseSort } from '../../shared/api/enterprises.ts';
import { defaultFocusIndustryGroupings } from '../../shared/codes/focusIndustries.ts';
import { environmentalRatingLevels } from '../../shared/domain/environmentalRating.ts';
import { pinyinInitials } from '../../shared/domain/pinyin.ts';
import { listEnterprises } from '../../db/enterprises.ts';
import { insertRecord, updateRecord, type Actor } from '../../db/records.ts';
import { openStore, type Store } from '../../electron/host/store.ts';
import type { HostContext } from '../../electron/host/context.ts';
import { saveEnterpriseFile } from '../../electron/host/handlers/enterprises.ts';
import { COUNTIES, INDUSTRIES, WORDS, benchEnterprise, countyShortName } from '../data/enterprises.ts';
import { benchOfficer } from '../data/officer.ts';
import { measureEach, nowMs, seededRandom, warmUp, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

export const ENTERPRISES = 100_000;
const LOAD_BATCH = 2_000;
const QUERIES = 2_000;
const PAGES = 1_000;
const PAGE_SIZE = 100;

interface Register {
  store: Store;
  loadSeconds: number;
  fileMiB: number;
}

let register: Register | undefined;

/** Built once per process (both scenarios read it), in its own temp dir removed at exit. */
function buildRegister(ctx: BenchContext): Register {
  if (register !== undefined) return register;
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-bench-enterprise-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const store = openStore(dir, randomBytes(32).toString('hex'));
  const { db } = store;
  let clock = Date.parse('2024-01-01T00:00:00Z');
  const host = { store, now: () => new Date((clock += 37_000)) } as unknown as HostContext;
  const actor: Actor = { userId: benchOfficer.id, userName: benchOfficer.displayName, branchId: 'bench-branch' };
  const random = seededRandom(4754);
  ctx.log(`  loading ${ENTERPRISES.toLocaleString('en')} enterprises through saveEnterpriseFile, ${LOAD_BATCH.toLocaleString('en')} per transaction …`);
  const started = nowMs();
  for (let start = 0; start < ENTERPRISES; start += LOAD_BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(ENTERPRISES, start + LOAD_BATCH); i += 1) {
        const { file, rating } = benchEnterprise(i, random);
        const id = saveEnterpriseFile(host, benchOfficer, actor, file, null);
        if (rating !== null) {
          // As enterprises.addRating writes it: the rating row, and the newest level on the file.
          insertRecord(db, 'enterprise_ratings', { enterprise_id: id, level: rating, bureau: '市生态环境局', rated_on: '2025-03-01' }, actor, host.now());
          updateRecord(db, 'enterprises', id, { environmental_rating: rating }, actor, host.now());
        }
      }
    })();
    if ((start / LOAD_BATCH) % 10 === 9) ctx.log(`    ${(start + LOAD_BATCH).toLocaleString('en')} rows, ${((nowMs() - started) / 1000).toFixed(1)} s`);
  }
  const loadSeconds = (nowMs() - started) / 1000;
  db.pragma('optimize');
  register = { store, loadSeconds, fileMiB: Math.round((statSync(store.file).size / 2 ** 20) * 10) / 10 };
  ctx.log(`  loaded in ${loadSeconds.toFixed(1)} s (${Math.round(ENTERPRISES / loadSeconds)} enterprises/s), ${register.fileMiB} MiB`);
  return register;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** What people type into the one box: name fragments of 2 and 3+ characters, pinyin initials, USCC prefixes. */
export function searchQueries(random: () => number): { query: string; kind: string }[] {
  const queries: { query: string; kind: string }[] = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const word = pick(WORDS, random);
    const [county, countyName] = pick(COUNTIES, random);
    const industryWord = pick(INDUSTRIES, random)[1];
    const roll = random();
    if (roll < 0.3) queries.push({ kind: 'name2', query: random() < 0.5 ? word : countyShortName(countyName).slice(0, 2) });
    else if (roll < 0.6) {
      const options = [`${word}${industryWord}`, `${countyShortName(countyName)}${word}`, `${word}${industryWord.slice(0, 1)}`];
      queries.push({ kind: 'name3+', query: pick(options, random) });
    } else if (roll < 0.8) queries.push({ kind: 'initials', query: pinyinInitials(random() < 0.5 ? `${word}${industryWord}` : word) });
    else queries.push({ kind: 'uscc', query: `91${county}`.slice(0, 6 + Math.floor(random() * 5)) });
  }
  return queries;
}

const sortFields: EnterpriseSort['field'][] = ['name', 'uscc', 'industryCode', 'divisionCode', 'updatedAt'];

/** The list page as people use it: a few filters, a sort, usually the first pages. */
export function listRequests(random: () => number): { filter: EnterpriseListFilter; sort: EnterpriseSort; offset: number }[] {
  const requests: { filter: EnterpriseListFilter; sort: EnterpriseSort; offset: number }[] = [];
  for (let i = 0; i < PAGES; i += 1) {
    const filter: EnterpriseListFilter = {};
    if (random() < 0.4) filter.focusGroup = pick(defaultFocusIndustryGroupings.groups, random).key;
    if (random() < 0.5) {
      const county = pick(COUNTIES, random)[0];
      filter.divisionCode = pick([county, county.slice(0, 4), county.slice(0, 2)], random);
    }
    if (random() < 0.25) filter.rating = pick([...environmentalRatingLevels, 'none' as const], random);
    if (random() < 0.15) filter.greenFactory = pick(['national', 'provincial', 'any'] as const, random);
    if (random() < 0.15) filter.scale = pick(['large', 'medium', 'small', 'micro'] as const, random);
    if (random() < 0.1) filter.outdatedCapacity = true;
    if (random() < 0.1) filter.greenList = true;
    if (random() < 0.05) filter.negativeList = true;
    if (random() < 0.05) filter.miitRecommended = true;
    if (random() < 0.1) filter.industryCode = pick(INDUSTRIES, random)[0].slice(0, 3);
    const sort: EnterpriseSort = { field: random() < 0.5 ? 'updatedAt' : pick(sortFields, random), order: random() < 0.7 ? 'desc' : 'asc' };
    const offset = random() < 0.6 ? 0 : PAGE_SIZE * (1 + Math.floor(random() * 20));
    requests.push({ filter, sort, offset });
  }
  return requests;
}

function facts(reg: Register): Record<string, string | number> {
  return {
    enterprises: ENTERPRISES,
    load_s: Math.round(reg.loadSeconds * 10) / 10,
    load_per_s: Math.round(ENTERPRISES / reg.loadSeconds),
    file_mib: reg.fileMiB,
  };
}

function searchScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const random = seededRandom(2260);
  const warm = searchQueries(random);
  const queries = searchQueries(random);
  const sort: EnterpriseSort = { field: 'updatedAt', order: 'desc' };
  let hits = 0;
  const search = (query: string) => {
    hits += listEnterprises(db, { query }, sort, 0, PAGE_SIZE).rows.length;
  };
  warmUp(warm.length, (i) => search(warm[i]!.query));
  hits = 0;
  const started = nowMs();
  const samples = measureEach(queries.length, (i) => search(queries[i]!.query));
  const seconds = (nowMs() - started) / 1000;
  // Per kind, so a slow kind is visible in latest.json.
  const perKind: Record<string, number[]> = {};
  for (const { query, kind } of queries.slice(0, 400)) {
    const t = nowMs();
    search(query);
    (perKind[kind] ??= []).push(nowMs() - t);
  }
  const p95 = (values: number[]) => values.sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1] ?? 0;
  return {
    samples,
    perSecond: queries.length / seconds,
    notes: `sample = 1 search (limit ${PAGE_SIZE} + total) in ${ENTERPRISES.toLocaleString('en')} enterprises: 30% 2-char, 30% 3+-char names, 20% initials, 20% USCC prefixes`,
    extra: {
      unit: 'search',
      ...facts(reg),
      mean_rows: Math.round(hits / queries.length),
      ...Object.fromEntries(Object.entries(perKind).map(([kind, values]) => [`p95_ms_${kind.replace('+', 'plus')}`, Math.round(p95(values) * 100) / 100])),
    },
  };
}

function listPageScenario(ctx: BenchContext): Measurement {
  const reg = buildRegister(ctx);
  const { db } = reg.store;
  const random = seededRandom(4754);
  const warm = listRequests(random);
  const requests = listRequests(random);
  const page = (r: (typeof requests)[number]) => listEnterprises(db, r.filter, r.sort, r.offset, PAGE_SIZE);
  warmUp(warm.length, (i) => page(warm[i]!));
  const started = nowMs();
  const samples = measureEach(requests.length, (i) => page(requests[i]!));
  const seconds = (nowMs() - started) / 1000;
  return {
    samples,
    perSecond: requests.length / seconds,
    notes: `sample = 1 filtered, sorted page of ${PAGE_SIZE} + total count; random filters/sorts, 60% first page, else pages 2–21`,
    extra: { unit: 'page', ...facts(reg) },
  };
}

export const scenarios: Scenario[] = [
  { name: 'enterprise.search', baseline: 'baseline.lookup.encrypted', run: searchScenario },
  { name: 'enterprise.list_page', baseline: 'baseline.lookup.encrypted', run: listPageScenario },
];
