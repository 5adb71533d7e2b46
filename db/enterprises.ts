import type { EnterpriseListFilter, EnterpriseSort, EnterpriseSummary } from '../shared/api/enterprises.ts';
import { LIST_COUNT_AHEAD } from '../shared/api/paging.ts';
import type { EnterpriseFile } from '../shared/domain/enterprise.ts';
import type { EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import { pinyinInitials } from '../shared/domain/pinyin.ts';
import { focusGroupOf, type FocusIndustryGroupings } from '../shared/codes/focusIndustries.ts';
import { prepared, type Db } from './open.ts';
import { insertRecords, type Actor, type Row } from './records.ts';

/** Repository of the enterprise credit file: file ↔ columns, and the list/search queries. */
export interface EnterpriseRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  uscc: string;
  uscc_override_reason: string | null;
  name: string;
  name_initials: string;
  legal_representative: string;
  address: string;
  division_code: string;
  contacts: string;
  industry_code: string;
  focus_group: string | null;
  scale: EnterpriseSummary['scale'];
  ownership: EnterpriseFile['identity']['ownership'];
  employees: number | null;
  green_factory_level: 'national' | 'provincial' | null;
  green_factory_year: number | null;
  green_park: string | null;
  green_supply_chain: string | null;
  green_products: string;
  water_benchmark: string | null;
  miit_recommended: 0 | 1;
  miit_recommended_on: string | null;
  miit_batch: string | null;
  environmental_rating: EnvironmentalRatingLevel | null;
  outdated_capacity: 0 | 1;
  outdated_capacity_exit_deadline: string | null;
  outdated_capacity_exited_on: string | null;
  green_list: 0 | 1;
  negative_list: 0 | 1;
  notes: string | null;
}

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** The columns an enterprise file writes; derived columns (initials, focus group) are computed here, once. */
export function enterpriseColumns(file: EnterpriseFile, groupings: FocusIndustryGroupings): Row {
  const { identity, greenCredentials: green, flags } = file;
  const miit = green.miitRecommendation;
  const outdated = flags.outdatedCapacity;
  return {
    uscc: identity.uscc,
    uscc_override_reason: identity.usccCheckOverride?.reason ?? null,
    name: identity.name,
    name_initials: pinyinInitials(identity.name),
    legal_representative: identity.legalRepresentative,
    address: identity.address,
    division_code: identity.divisionCode,
    contacts: JSON.stringify(identity.contacts),
    industry_code: identity.industryCode,
    focus_group: focusGroupOf(identity.industryCode, groupings)?.key ?? null,
    scale: identity.scale,
    ownership: identity.ownership,
    employees: identity.employees,
    green_factory_level: green.greenFactory?.level ?? null,
    green_factory_year: green.greenFactory?.year ?? null,
    green_park: json(green.greenPark),
    green_supply_chain: json(green.greenSupplyChain),
    green_products: JSON.stringify(green.greenProducts),
    water_benchmark: json(green.waterEfficiencyBenchmark),
    miit_recommended: bit(miit.recommended),
    miit_recommended_on: miit.recommended ? miit.date : null,
    miit_batch: miit.recommended ? miit.batch : null,
    outdated_capacity: bit(outdated.flagged),
    outdated_capacity_exit_deadline: outdated.flagged ? outdated.exitDeadline : null,
    outdated_capacity_exited_on: outdated.flagged ? outdated.exitedOn : null,
    green_list: bit(flags.greenList),
    negative_list: bit(flags.negativeList),
  };
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function enterpriseFileOf(row: EnterpriseRow): EnterpriseFile {
  return {
    identity: {
      uscc: row.uscc,
      usccCheckOverride: row.uscc_override_reason === null ? null : { reason: row.uscc_override_reason },
      name: row.name,
      legalRepresentative: row.legal_representative,
      address: row.address,
      divisionCode: row.division_code,
      contacts: JSON.parse(row.contacts) as EnterpriseFile['identity']['contacts'],
      industryCode: row.industry_code,
      scale: row.scale,
      ownership: row.ownership,
      employees: row.employees,
    },
    greenCredentials: {
      greenFactory: row.green_factory_level === null ? null : { level: row.green_factory_level, year: row.green_factory_year ?? 0 },
      greenPark: parse(row.green_park),
      greenSupplyChain: parse(row.green_supply_chain),
      greenProducts: JSON.parse(row.green_products) as EnterpriseFile['greenCredentials']['greenProducts'],
      waterEfficiencyBenchmark: parse(row.water_benchmark),
      miitRecommendation:
        row.miit_recommended === 1 ? { recommended: true, date: row.miit_recommended_on ?? '', batch: row.miit_batch ?? '' } : { recommended: false },
    },
    flags: {
      outdatedCapacity:
        row.outdated_capacity === 1
          ? { flagged: true, exitDeadline: row.outdated_capacity_exit_deadline ?? '', exitedOn: row.outdated_capacity_exited_on }
          : { flagged: false },
      greenList: row.green_list === 1,
      negativeList: row.negative_list === 1,
    },
  };
}

export function enterpriseSummaryOf(row: EnterpriseRow): EnterpriseSummary {
  return {
    id: row.id,
    version: row.version,
    uscc: row.uscc,
    name: row.name,
    industryCode: row.industry_code,
    focusGroup: row.focus_group,
    divisionCode: row.division_code,
    scale: row.scale,
    environmentalRating: row.environmental_rating,
    greenFactoryLevel: row.green_factory_level,
    outdatedCapacity: row.outdated_capacity === 1,
    negativeList: row.negative_list === 1,
    greenList: row.green_list === 1,
    miitRecommended: row.miit_recommended === 1,
    updatedAt: row.updated_at,
  };
}

export function getEnterprise(db: Db, id: string): EnterpriseRow | undefined {
  return prepared(db, 'SELECT * FROM enterprises WHERE id = ? AND deleted_at IS NULL').get(id) as EnterpriseRow | undefined;
}

/**
 * The insert triggers a bulk write sets aside, each with what it does for a whole chunk at once —
 * the chunk being the rows past rowid `?` (a rowid table appends). The search indexes (migrations
 * 0004, 0008) are filled by one INSERT … SELECT each; the green book (0032) rewrites the rows of
 * every live loan of the chunk's files, as the trigger does for one file's loans (a loan pulled
 * before its borrower counts as its own customer until then).
 */
const CHUNK_INSERT_TRIGGERS: readonly { trigger: string; chunk: readonly string[] }[] = [
  { trigger: 'enterprises_fts_insert', chunk: ['INSERT INTO enterprises_fts (rowid, name) SELECT rowid, name FROM enterprises WHERE rowid > ?'] },
  {
    trigger: 'enterprises_grams_insert',
    chunk: ['INSERT INTO enterprises_grams (rowid, name_grams, initials_grams) SELECT rowid, gl_bigrams(name), gl_bigrams(name_initials) FROM enterprises WHERE rowid > ?'],
  },
  {
    trigger: 'green_book_enterprise_insert',
    chunk: [
      'DELETE FROM green_book WHERE loan_rowid IN (SELECT l.rowid FROM enterprises e JOIN loans l ON l.enterprise_id = e.id AND l.deleted_at IS NULL WHERE e.rowid > ?)',
      'INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid IN (SELECT l.rowid FROM enterprises e JOIN loans l ON l.enterprise_id = e.id AND l.deleted_at IS NULL WHERE e.rowid > ?)',
    ],
  },
];

/**
 * New files in bulk (an import's chunk, issue 20): insertRecords (one audit summary, an outbox entry
 * per file) with the insert triggers' work done for the whole chunk at the end. Row by row, the
 * triggers were most of a file's write cost: inside a transaction every statement opens a
 * savepoint, FTS5 writes its pending entries out at each one (each file became its own index
 * segment), and the green book's two statements per file cost ~1 ms a row once the import's
 * chunk, its bulk write and insertRecords each held a savepoint (5,000-row chunks, measured). The
 * triggers are dropped for the chunk and recreated from their own SQL (as db/bulkPull.ts does with
 * indexes), in the same transaction: no other write and no crash ever sees them missing.
 */
export function insertEnterprises(db: Db, rows: readonly Row[], actor: Actor, now: Date, source: Record<string, unknown>): string[] {
  return db.transaction(() => {
    const after = prepared(db, 'SELECT coalesce(max(rowid), 0) FROM enterprises').pluck().get() as number;
    const triggerSql = prepared(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck();
    const triggers = CHUNK_INSERT_TRIGGERS.map(({ trigger }) => triggerSql.get(trigger) as string);
    for (const { trigger } of CHUNK_INSERT_TRIGGERS) db.exec(`DROP TRIGGER ${trigger}`);
    const ids = insertRecords(db, 'enterprises', rows, actor, now, source);
    for (const sql of triggers) db.exec(sql);
    for (const { chunk } of CHUNK_INSERT_TRIGGERS) for (const sql of chunk) prepared(db, sql).run(after);
    return ids;
  })();
}

export function findEnterpriseByUscc(db: Db, uscc: string): EnterpriseRow | undefined {
  return prepared(db, 'SELECT * FROM enterprises WHERE uscc = ? AND deleted_at IS NULL').get(uscc) as EnterpriseRow | undefined;
}

const USCC_FRAGMENT = /^[0-9A-HJ-NP-RTUWXY]{2,18}$/;
const CJK = /[\u3400-\u9fff]/;

/**
 * The one search box: a USCC prefix (has a digit), pinyin initials (letters only: HSJC matches
 * 华盛建材 and 景德镇华盛建材), or a name fragment — trigram FTS for 3+ characters, a substring test
 * below that. `fts` says the clause narrows by rowid (the FTS match), so the planner should seek by
 * it rather than scan the list index.
 */
type SearchKind = 'scan' | 'index';

export interface SearchClause {
  sql: string;
  kind: SearchKind;
  /** For 'index': how many rows the index matches, counted no further than `upTo` (cheap), to choose the plan … */
  matches?: (db: Db, upTo: number) => number;
  /** … and the same condition as a test on the list index's columns, for when they are many. */
  scanSql?: string;
  /** The condition is a range of the USCC index, which then counts it alone (no other filter). */
  exact?: boolean;
}

const ftsCount = (table: string, match: string) => (db: Db, upTo: number) =>
  db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`).pluck().get(match, upTo) as number;

/**
 * The one search box: a USCC prefix (has a digit), pinyin initials (letters only: HSJC matches
 * 华盛建材 and 景德镇华盛建材), or a name fragment. Name fragments of 3+ characters use the trigram
 * index, 2-character fragments and initials the bigram index (0006), so only a 1-character query
 * scans names.
 */
export function searchClause(query: string, params: Record<string, unknown>): SearchClause {
  const text = query.trim();
  const upper = text.toUpperCase();
  if (USCC_FRAGMENT.test(upper) && /\d/.test(upper)) {
    params.usccFrom = upper;
    params.usccTo = `${upper}~`;
    const range = 'FROM enterprises INDEXED BY enterprises_uscc_live WHERE deleted_at IS NULL AND uscc >= ? AND uscc < ?';
    return {
      sql: `e.rowid IN (SELECT rowid ${range.replace('?', '@usccFrom').replace('?', '@usccTo')})`,
      kind: 'index',
      matches: (db, upTo) => db.prepare(`SELECT count(*) FROM (SELECT 1 ${range} LIMIT ?)`).pluck().get(upper, `${upper}~`, upTo) as number,
      scanSql: 'e.uscc >= @usccFrom AND e.uscc < @usccTo',
      exact: true,
    };
  }
  if (/^[A-Za-z]+$/.test(text)) {
    params.usccFrom = upper;
    params.usccTo = `${upper}~`;
    if (text.length === 1) {
      params.initials = upper;
      return { sql: '(instr(e.name_initials, @initials) > 0 OR (e.uscc >= @usccFrom AND e.uscc < @usccTo))', kind: 'scan' };
    }
    // HSJC → the phrase "HS SJ JC": consecutive bigrams of the initials.
    const phrase = Array.from({ length: upper.length - 1 }, (_, i) => upper.slice(i, i + 2)).join(' ');
    params.grams = `{initials_grams} : "${phrase}"`;
    params.initials = upper;
    // A UNION, not an OR: with OR the planner gave up both indexes and read every row.
    return {
      sql: `e.rowid IN (SELECT rowid FROM enterprises_grams WHERE enterprises_grams MATCH @grams
        UNION ALL SELECT rowid FROM enterprises INDEXED BY enterprises_uscc_live WHERE deleted_at IS NULL AND uscc >= @usccFrom AND uscc < @usccTo)`,
      kind: 'index',
      matches: ftsCount('enterprises_grams', params.grams as string),
      scanSql: '(instr(e.name_initials, @initials) > 0 OR (e.uscc >= @usccFrom AND e.uscc < @usccTo))',
    };
  }
  // A name fragment: an index lookup, or the same test on each row of a narrower list.
  const nameFragment = (table: 'enterprises_fts' | 'enterprises_grams', match: string): SearchClause => {
    params.match = match;
    params.fragment = text;
    return { sql: `e.rowid IN (SELECT rowid FROM ${table} WHERE ${table} MATCH @match)`, kind: 'index', matches: ftsCount(table, match), scanSql: 'instr(e.name, @fragment) > 0' };
  };
  if (CJK.test(text) && [...text].length >= 3) return nameFragment('enterprises_fts', `"${text.replaceAll('"', '""')}"`);
  if (/^[\p{L}\p{N}]{2}$/u.test(text)) return nameFragment('enterprises_grams', `{name_grams} : "${text}"`);
  if (!/[A-Za-z]/.test(text)) {
    // instr is cheaper than LIKE over 100k names, and there is no case to fold.
    params.fragment = text;
    return { sql: 'instr(e.name, @fragment) > 0', kind: 'scan' };
  }
  params.fragment = `%${text.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
  return { sql: "e.name LIKE @fragment ESCAPE '\\'", kind: 'scan' };
}

/**
 * The enterprises the one search box finds, as a subquery of their ids (other registers search by
 * borrower: the loan register's name search). The params it names are added to `params`.
 */
export function enterpriseSearchIds(query: string, params: Record<string, unknown>): string {
  const text = query.replace(/\p{Cc}/gu, ' ').trim();
  return `SELECT e.id FROM enterprises e WHERE e.deleted_at IS NULL AND ${searchClause(text, params).sql}`;
}

/** Above this many index matches, scanning the list index beats reading each matching row. */
const INDEX_SEARCH_ROWS = 5000;

/** A filtered list sorted by update walks the update index (0024) when at least this many files match. */
const WALK_AFTER = 5_000;

/**
 * A filter with nothing to seek counts no further than this many index entries (issue 20): past
 * them its total is 「at least」 what was found, so a page of a rare filter in a large register costs
 * what the page shows. A register this size or smaller is always counted exactly.
 */
export const COUNT_BUDGET = 40_000;

/** Each flag's partial copy of enterprises_list (0023): its files only, a few percent of the register. */
const flagIndexes = {
  outdatedCapacity: 'enterprises_outdated_capacity',
  negativeList: 'enterprises_negative_list',
  miitRecommended: 'enterprises_miit_recommended',
  greenList: 'enterprises_green_list',
} as const;
const flagColumns = { outdatedCapacity: 'outdated_capacity', negativeList: 'negative_list', miitRecommended: 'miit_recommended', greenList: 'green_list' } as const;

/** Each sort's index in its own order (0006, 0024, 0028; the county's is the list index), walked when many files match. */
const sortIndexes: Partial<Record<EnterpriseSort['field'], string>> = {
  updatedAt: 'enterprises_updated_live',
  name: 'enterprises_name_live',
  uscc: 'enterprises_uscc_live',
  industryCode: 'enterprises_industry_live',
  divisionCode: 'enterprises_list',
};
/** Ties are broken by rowid in the sort's direction (so an index walks backwards for DESC); the id would mean reading every row. Names within an industry or a county follow the sort's direction too, so one index walks both (0028). */
const sortColumns: Record<EnterpriseSort['field'], string> = {
  name: 'e.name_initials %s, e.name %s',
  uscc: 'e.uscc %s',
  industryCode: 'e.industry_code %s, e.name_initials %s',
  divisionCode: 'e.division_code %s, e.name_initials %s',
  updatedAt: 'e.updated_at %s',
};

/** A page of the register, and how many files match: exactly, or at least `total` (totalCapped, 「1,100+」). */
export interface EnterprisePage {
  rows: EnterpriseRow[];
  total: number;
  totalCapped: boolean;
}

/**
 * Filtered, sorted, paged in SQL: the UI asks for windows of rows as the user scrolls.
 *
 * Counting and ordering read only enterprises_list (0006), a covering index of every filter column
 * and sort key, named with INDEXED BY so the plan does not depend on statistics; then the page's
 * rows are read whole by rowid. A name search of 3+ characters instead starts from its FTS matches.
 * The matches are counted no further than LIST_COUNT_AHEAD past the page unless `exactTotal`
 * (issue 20: an exact count of 300k files walked every match on every page, most of its cost).
 * Bench: bench/scenarios/enterprise.ts, at three register sizes.
 */
export function listEnterprises(db: Db, filter: EnterpriseListFilter, sort: EnterpriseSort, offset: number, limit: number, exactTotal = false, countBudget = COUNT_BUDGET): EnterprisePage {
  const clauses = ['e.deleted_at IS NULL'];
  const params: Record<string, unknown> = {};
  let search: SearchClause | null = null;
  // No name holds a control character, and FTS5 reads a NUL as the end of the query string (an
  // unterminated phrase, SQLITE_ERROR): they only separate words here.
  const query = filter.query?.replace(/\p{Cc}/gu, ' ').trim() ?? '';
  if (query !== '') {
    search = searchClause(query, params);
    clauses.push(search.sql);
  }
  const equal = (key: 'focusGroup' | 'rating' | 'greenFactory' | 'scale', column: string) => {
    params[key] = filter[key];
    clauses.push(`e.${column} = @${key}`);
  };
  if (filter.focusGroup !== undefined) equal('focusGroup', 'focus_group');
  if (filter.industryCode !== undefined) {
    params.industryFrom = filter.industryCode;
    params.industryTo = `${filter.industryCode}~`;
    clauses.push('e.industry_code >= @industryFrom AND e.industry_code < @industryTo');
  }
  if (filter.divisionCode !== undefined) {
    // 36 → the province, 3602 → the prefecture, 360222 → the county.
    params.divisionFrom = filter.divisionCode.replace(/(00)+$/, '') || filter.divisionCode;
    params.divisionTo = `${params.divisionFrom as string}~`;
    clauses.push('e.division_code >= @divisionFrom AND e.division_code < @divisionTo');
  }
  if (filter.rating === 'none') clauses.push('e.environmental_rating IS NULL');
  else if (filter.rating !== undefined) equal('rating', 'environmental_rating');
  if (filter.greenFactory === 'any') clauses.push('e.green_factory_level IS NOT NULL');
  else if (filter.greenFactory !== undefined) equal('greenFactory', 'green_factory_level');
  if (filter.scale !== undefined) equal('scale', 'scale');
  const flags: [keyof EnterpriseListFilter, string][] = [
    ['outdatedCapacity', 'outdated_capacity'],
    ['negativeList', 'negative_list'],
    ['greenList', 'green_list'],
    ['miitRecommended', 'miit_recommended'],
  ];
  for (const [key, column] of flags) {
    const value = filter[key];
    if (typeof value === 'boolean') clauses.push(`e.${column} = ${value ? 1 : 0}`);
  }
  // Many index matches: test the list index's columns instead of building a set of them all.
  const matches = search?.kind === 'index' ? search.matches!(db, INDEX_SEARCH_ROWS + 1) : 0;
  const many = matches > INDEX_SEARCH_ROWS;
  if (many) clauses[1] = search!.scanSql!;
  const where = clauses.join(' AND ');
  const order = sortColumns[sort.field].replaceAll('%s', sort.order.toUpperCase());
  const page = { ...params, limit, offset };
  // A flag asked for narrows to its own partial copy of the list index (0023), the rarest first.
  const flagged = (['outdatedCapacity', 'negativeList', 'miitRecommended', 'greenList'] as const).find((key) => filter[key] === true);
  const list = `enterprises e INDEXED BY ${flagged === undefined ? 'enterprises_list' : flagIndexes[flagged]}`;
  // Counted one past the cap, to know whether the cap was reached.
  const cap = offset + limit + LIST_COUNT_AHEAD;
  const count = (from: string): { total: number; totalCapped: boolean } => {
    if (exactTotal) return { total: db.prepare(`SELECT count(*) FROM ${from} WHERE ${where}`).pluck().get(params) as number, totalCapped: false };
    const counted = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT @cap)`).pluck().get({ ...params, cap: cap + 1 }) as number;
    return counted > cap ? { total: cap, totalCapped: true } : { total: counted, totalCapped: false };
  };
  const ids = (from: string, orderBy = `${order}, e.rowid ${sort.order}`) => db.prepare(`SELECT e.rowid FROM ${from} WHERE ${where} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`).pluck().all(page) as number[];
  // Ties by rowid on every path, so pages of one list agree whichever path each took. A walk's index
  // holds more after its key (0023, 0024), so the planner sorts each run of equal keys by rowid as it
  // walks (EXPLAIN: USE TEMP B-TREE FOR LAST TERM OF ORDER BY) and still stops after the page.
  const walkOrder = `${order}, e.rowid ${sort.order}`;
  // One pass that both counts and orders: right when the matches are few enough to sort whole.
  const counted = (from: string) => {
    const found = db.prepare(`SELECT e.rowid AS id, count(*) OVER () AS total FROM ${from} WHERE ${where} ORDER BY ${order}, e.rowid ${sort.order} LIMIT @limit OFFSET @offset`).all(page) as { id: number; total: number }[];
    return { counts: found[0] === undefined ? count(from) : { total: found[0].total, totalCapped: false }, rowids: found.map((r) => r.id) };
  };
  let counts: { total: number; totalCapped: boolean };
  let rowids: number[];
  const walk = sortIndexes[sort.field];
  if (search?.kind === 'index' && clauses.length === 2 && walk !== undefined && !exactTotal && matches > cap) {
    // More index matches than a capped count shows and no other filter: walk the sort's own index,
    // testing each entry's rowid against the matches (a set built once), and stop after the page.
    // Sorting them instead read every match — on the list index, or each matching row when fewer
    // than INDEX_SEARCH_ROWS (issue 20: 2-character names, initials and USCC prefixes had p95 ~140 ms
    // at 300k files). EXPLAIN: SCAN e USING COVERING INDEX <sort index> (0023), no temp B-tree.
    const walkWhere = `${clauses[0]} AND ${search.sql}`;
    rowids = db.prepare(`SELECT e.rowid FROM enterprises e INDEXED BY ${walk} WHERE ${walkWhere} ORDER BY ${walkOrder} LIMIT @limit OFFSET @offset`).pluck().all(page) as number[];
    // The index's count can include files deleted since; a short page is the end of the matches.
    counts = rowids.length < limit ? { total: offset + rowids.length, totalCapped: false } : { total: cap, totalCapped: true };
  } else if (search?.kind === 'index' && !many) {
    // A few thousand matches at most: start from them and read each once, in rowid (table) order.
    ({ counts, rowids } = counted('enterprises e'));
  } else if (search !== null) {
    // Many matches: ordered on the list index, counted up to the cap — a USCC prefix alone on its own index.
    counts = count(search.exact === true && clauses.length === 2 ? 'enterprises e INDEXED BY enterprises_uscc_live' : list);
    rowids = ids(list);
  } else {
    // The whole register counts on the USCC index and walks its sort order, stopping after the page
    // (index only). A filter walks its sort's index (0024, 0028: each holds every filter column) and
    // tests the filters there when many files match; a county or a flag seeks the list index (or the
    // flag's) to count, and sorts from it when few match: checking the filters by reading rows in
    // sort order would be scattered over the table (~75 µs each, measured).
    const whole = clauses.length === 1;
    if (whole) {
      counts = count('enterprises e INDEXED BY enterprises_uscc_live');
      rowids = walk !== undefined ? ids(`enterprises e INDEXED BY ${walk}`, walkOrder) : ids(list);
    } else if (walk !== undefined && exactTotal) {
      const counted = db.prepare(`SELECT count(*) FROM ${list} WHERE ${where}`).pluck().get(params) as number;
      counts = { total: counted, totalCapped: false };
      rowids = counted > WALK_AFTER ? ids(`enterprises e INDEXED BY ${walk}`, walkOrder) : ids(list);
    } else if (walk !== undefined) {
      // Counted on the list index (or the flag's), seeking the county when there is one, no further
      // than WALK_AFTER matches or COUNT_BUDGET entries, whichever comes first (issue 20): a filter
      // with nothing narrow to seek (no county, no flag; or a whole province) read all of its range
      // to count a few matches, in proportion to the register. Many matches walk the sort's index,
      // testing the filters there, and stop after the page; few, in a range read whole, are sorted
      // from the list index; few in a range larger than the budget are walked too, and their total
      // is 「at least」 what the page and the count found.
      const upTo = Math.max(cap, WALK_AFTER);
      // What the index seeks (a county's range) or holds only (a flag's files): its range.
      const seek = [
        clauses[0],
        ...(filter.divisionCode === undefined ? [] : ['e.division_code >= @divisionFrom AND e.division_code < @divisionTo']),
        ...(flagged === undefined ? [] : [`e.${flagColumns[flagged]} = 1`]),
      ].join(' AND ');
      const counted = db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM (SELECT (${where}) AS m FROM ${list} WHERE ${seek} LIMIT @budget) WHERE m LIMIT @upTo)`)
        .pluck()
        .get({ ...params, budget: countBudget, upTo: upTo + 1 }) as number;
      const readWhole = () =>
        filter.divisionCode === undefined && flagged === undefined
          ? // The largest rowid bounds how many files there are, at the cost of one seek.
            ((db.prepare('SELECT max(rowid) FROM enterprises').pluck().get() as number | null) ?? 0) < countBudget
          : (db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${list} WHERE ${seek} LIMIT @budget)`).pluck().get({ ...params, budget: countBudget }) as number) < countBudget;
      const readAll = counted <= WALK_AFTER && readWhole();
      rowids = readAll ? ids(list) : ids(`enterprises e INDEXED BY ${walk}`, walkOrder);
      const found = rowids.length;
      if (counted > cap) counts = { total: cap, totalCapped: true };
      else if (readAll) counts = { total: counted, totalCapped: false };
      // A short page is the end of the matches; an empty one past the end says no more than the count.
      else if (found < limit && (found > 0 || offset === 0)) counts = { total: offset + found, totalCapped: false };
      else counts = { total: Math.max(counted, found === 0 ? 0 : offset + found + 1), totalCapped: true };
    } else {
      counts = count(list);
      rowids = ids(list);
    }
  }
  if (rowids.length === 0) return { rows: [], ...counts };
  const byRowid = new Map(
    (db.prepare('SELECT rowid AS __rowid, * FROM enterprises WHERE rowid IN (SELECT value FROM json_each(?))').all(JSON.stringify(rowids)) as (EnterpriseRow & { __rowid: number })[]).map(
      ({ __rowid, ...row }) => [__rowid, row as EnterpriseRow],
    ),
  );
  return { rows: rowids.map((rowid) => byRowid.get(rowid)!), ...counts };
}

export function childRows<T>(db: Db, table: 'enterprise_ratings' | 'enterprise_financials' | 'enterprise_indicators' | 'attachments', enterpriseId: string): T[] {
  const [ownerColumn, order] =
    table === 'attachments' ? ['owner_id', 'created_at DESC'] : table === 'enterprise_ratings' ? ['enterprise_id', 'rated_on DESC, created_at DESC'] : ['enterprise_id', 'year DESC'];
  return db.prepare(`SELECT * FROM ${table} WHERE ${ownerColumn} = ? AND deleted_at IS NULL ORDER BY ${order}`).all(enterpriseId) as T[];
}
