import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { PushResult } from '../shared/sync/protocol.ts';
import { createHub, type Hub } from './hub.ts';
import type { Sql, Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';
import { headOfficeAdmin } from './testing/headOffice.ts';
import { readModels } from './readModels.ts';

/**
 * The README's scale-out plan (distribute the ledger by branch_id with Citus) holds only while every
 * hub query on a ledger table is confined to one branch: routed to one shard by `branch_id = $n`,
 * and joining other ledger tables on branch_id (co-located). This test runs the hub's whole surface
 * over HTTP on a storage whose query function records every statement, then checks each one.
 * The few statements that read across branches on purpose are listed below with why; the list must
 * match what ran, so an entry cannot go stale and a new cross-branch query fails here.
 */

const ADMIN = 'branch-scope-admin-token-0123456789';

/** The tables distributed by branch_id. The directory (branches, devices, codes) and reference_sets are reference tables. */
const LEDGER_TABLES = ['branch_sync', 'sync_rows', 'sync_changes', 'sync_change_watermarks', 'sync_conflicts', 'sync_blobs', 'audit_anchors', ...readModels.map((model) => model.into), 'rm_branch_figures'];

/** Statements that read across branches by design: multi-shard reads under Citus, none on a device's sync path but the first. */
const CROSS_BRANCH: { name: string; matches: RegExp; why: string }[] = [
  { name: 'foreign row ids', matches: /FROM sync_rows WHERE row_id = ANY\(\$1::uuid\[\]\) AND branch_id <> \$2/, why: 'a new row id another branch holds is refused (ledger.ts foreignRows), by the row_id index' },
  { name: 'admin branch list', matches: /AS pending_conflicts,/, why: 'head office lists every branch with its counts (directory.ts listBranches)' },
  { name: 'metrics', matches: /AS open_conflicts,/, why: 'Prometheus reads every branch’s sync state (metrics.ts)' },
  { name: 'device anchors', matches: /FROM audit_anchors WHERE contradicts IS NOT NULL/, why: 'head office’s overview of every laptop’s audit anchor (anchors.ts anchorsByDevice)' },
  { name: 'console statistics', matches: /CROSS JOIN LATERAL \(SELECT \* FROM rm_branch_figures f WHERE f\.branch_id = b\.branch_id/, why: 'the bank’s green-credit statistics read every branch’s (or the asked branches’) kept figures, one probe per branch and day (statistics.ts keptFigures); the figures themselves are derived per branch in its apply transaction' },
  { name: 'indexed register page', matches: /WITH page AS \(SELECT m\.branch_id, m\.\w+ AS row_id, m\.updated_at FROM rm_\w+ m/, why: 'the console’s enterprise, loan and collateral registers across branches, from their read models (consoleRegisters.ts indexedRegisterPage, enterprisePage)' },
  { name: 'register rows by key', matches: /WITH keyed AS \(SELECT k\.branch_id, k\.row_id, k\.n FROM unnest\(/, why: 'the page of the collateral register narrowed to an alert, its rows by key across branches (consoleRegisters.ts rowsByKey)' },
  {
    name: 'collateral alert facts',
    matches: /^SELECT m\.branch_id::text AS branch_id, m\.item_id::text AS item_id, m\.enterprise_id, .* FROM rm_collateral_items m LEFT JOIN rm_enterprises en ON en\.branch_id = m\.branch_id/,
    why: 'the collateral items whose alerts a page shows or the alert filter judges, across branches, with their owners joined on branch_id (consoleRegisters.ts factsWhere)',
  },
  {
    name: 'collateral alert candidates',
    matches: /^SELECT m\.branch_id::text AS branch_id, m\.item_id::text AS item_id FROM rm_collateral_items m LEFT JOIN rm_enterprises en ON en\.branch_id = m\.branch_id/,
    why: 'the keys of the collateral items that could raise the filtered alert, across branches, newest first; their facts are then read batch by batch until the count’s cap (consoleRegisters.ts alertRegisterPage)',
  },
  { name: 'collateral alert loans', matches: /FROM unnest\(\$1::uuid\[\], \$2::text\[\]\) AS w\(branch_id, item_id\) JOIN rm_collateral_loans k ON k\.branch_id = w\.branch_id/, why: 'those items’ linked loans by key, joined on branch_id (consoleRegisters.ts factsWhere)' },
  { name: 'collateral alert cases', matches: /FROM unnest\(\$1::uuid\[\], \$2::text\[\]\) AS w\(branch_id, enterprise_id\) JOIN rm_rectification_cases rc ON rc\.branch_id = w\.branch_id/, why: 'their owners’ open environmental cases by key (consoleRegisters.ts factsWhere)' },
  { name: 'indexed register count', matches: /SELECT count\(\*\) AS total FROM rm_\w+ m/, why: 'the count of those registers’ matching rows (consoleRegisters.ts indexedRegisterPage)' },
  { name: 'console registers', matches: /FROM sync_rows r JOIN branches b ON b\.branch_id = r\.branch_id LEFT JOIN sync_rows e/, why: 'the console’s cross-branch registers (consoleRegisters.ts)' },
];

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
const NOT_ALIAS = new Set(['where', 'join', 'on', 'left', 'inner', 'group', 'order', 'set', 'limit', 'using', 'returning', 'for', 'select', 'values', 'and', 'or', 'union']);

/** What is wrong with one statement under distribution by branch_id (empty: nothing). */
function branchScopeProblems(statement: string): string[] {
  const sql = flat(statement);
  const problems: string[] = [];
  const occurrence = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE)\\s+(${LEDGER_TABLES.join('|')})\\b(?:\\s+(?:AS\\s+)?([a-z_][a-z0-9_]*))?`, 'gi');
  for (const match of sql.matchAll(occurrence)) {
    const [, keyword, table, word] = match as unknown as [string, string, string, string | undefined];
    if (keyword.toUpperCase() === 'INTO') {
      // An insert is routed by the branch_id it carries.
      if (!/^\s*\(\s*branch_id\b/.test(sql.slice((match.index ?? 0) + match[0].length - (word?.length ?? 0)))) problems.push(`INSERT INTO ${table} without branch_id as its first column`);
      continue;
    }
    const alias = word !== undefined && !NOT_ALIAS.has(word.toLowerCase()) ? word : undefined;
    const predicate =
      alias === undefined
        ? new RegExp(`(?:^|[^\\w.])(?:${table}\\.)?branch_id\\s*(?:=|<>)`, 'i')
        : new RegExp(`\\b${alias}\\.branch_id\\s*(?:=|<>)|=\\s*${alias}\\.branch_id\\b`, 'i');
    if (!predicate.test(sql)) problems.push(`${table}${alias === undefined ? '' : ` ${alias}`} is read without a branch_id condition`);
  }
  return problems;
}

const touchesLedger = (statement: string) => new RegExp(`\\b(${LEDGER_TABLES.join('|')})\\b`, 'i').test(statement);
/** Routed to one shard: the branch is a parameter of an equality (or the first value inserted). */
const oneBranch = (statement: string) => /\bbranch_id\s*=\s*\$\d+/i.test(statement) || /^INSERT INTO \w+ \(branch_id\b/i.test(flat(statement));

/** The storage with every statement it runs (in or out of a transaction) appended to `seen`. */
function recording(storage: Storage, seen: string[]): Storage {
  const wrap = (sql: Sql): Sql => ({
    query: (text, params) => {
      seen.push(text);
      return sql.query(text, params);
    },
    exec: (script) => {
      seen.push(script);
      return sql.exec(script);
    },
  });
  const direct = wrap(storage);
  return {
    kind: storage.kind,
    description: storage.description,
    query: direct.query,
    exec: direct.exec,
    transaction: (work) => storage.transaction((tx) => work(wrap(tx))),
    close: () => storage.close(),
  };
}

describe('every hub query on a ledger table is confined to one branch (README: Scaling the hub)', () => {
  const seen: string[] = [];
  let hub: Hub;
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const opened = await testStorages()[0]!.open();
    cleanup = opened.cleanup;
    hub = await createHub({ storage: recording(opened.storage, seen), adminToken: ADMIN });
    url = await hub.listen();
    // The migrations ran: a one-time job over all branches, not a query the running hub makes.
    seen.length = 0;
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  const admin = <T = unknown>(path: string, body?: unknown, method = 'POST') => call<T>(url, path, { token: ADMIN, method, body });
  const newBranch = async (code: string) => valueOf(await admin<{ id: string }>('/admin/branches', { name: `${code}支行`, code, divisionCode: '360222' })).id;

  it('runs the hub’s whole surface: enrolment, hello, push, replay, conflict, resolution, head-office edit, pull ahead, files, reference data, admin, metrics, console', async () => {
    const suffix = Math.random().toString(36).slice(2, 7);
    const branchA = await newBranch(`SCOPE-A-${suffix}`);
    const branchB = await newBranch(`SCOPE-B-${suffix}`);
    const officer = await TestDevice.enroll(url, ADMIN, branchA, '笔记本 1');
    const colleague = await TestDevice.enroll(url, ADMIN, branchA, '笔记本 2');
    const stranger = await TestDevice.enroll(url, ADMIN, branchB, '笔记本 3');
    for (const device of [officer, colleague, stranger]) valueOf(await device.hello());
    valueOf(
      await call(url, '/sync/v1/hello', {
        token: officer.token,
        body: { protocol: 1, appVersion: '0.1.0', schemaVersion: 1, clientId: officer.clientId, clientTime: new Date().toISOString(), auditHead: { seq: 3, hash: 'a'.repeat(64) } },
      }),
    );

    const enterprise = uuidv7();
    const page = [
      officer.write('enterprises', enterprise, 'insert', { name: '华盛建材有限公司', scale: 'small' }),
      officer.write('enterprise_ratings', uuidv7(), 'insert', { enterprise_id: enterprise, level: 'red' }),
      officer.write('credit_applications', uuidv7(), 'insert', { enterprise_id: enterprise, amount_fen: 350_000_000, purpose: '购置脱硫设备' }),
    ];
    expect((await officer.pushOk(page)).map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await officer.pushOk(page)).map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    // The tables with read models (server/readModels.ts), which the apply writes beside sync_rows.
    const [loan, item] = [uuidv7(), uuidv7()];
    const books = [
      officer.write('loans', loan, 'insert', { enterprise_id: enterprise }),
      officer.write('loan_snapshots', uuidv7(), 'insert', { loan_id: loan }),
      officer.write('green_tags', uuidv7(), 'insert', { owner_id: loan }),
      officer.write('collateral_items', item, 'insert', { enterprise_id: enterprise, status: 'submitted', maker_id: 'officer-1' }),
      officer.write('collateral_loans', uuidv7(), 'insert', { item_id: item, loan_id: loan }),
      // an open environmental case of the owner: once approved, the item raises an alert (the console's alert filter lists it)
      officer.write('rectification_cases', uuidv7(), 'insert', { enterprise_id: enterprise, category: 'environmental', status: 'open' }),
    ];
    expect((await officer.pushOk(books)).map((result) => result.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    valueOf(await admin(`/admin/rows/${branchA}/collateral_items/${item}`, { fields: { status: 'approved', checker_id: 'credit-manager-hq' }, baseVersion: 1, userId: 'credit-manager-hq' }));
    // Another branch sending the same row id: the one cross-branch read of a push.
    const [forged] = await stranger.pushOk([stranger.write('enterprises', enterprise, 'insert', { name: '冒用' })]);
    expect(forged?.status).toBe('rejected');

    // A head-office edit, then a stale guarded edit: a conflict, pulled and resolved.
    valueOf(await admin(`/admin/rows/${branchA}/enterprises/${enterprise}`, { fields: { scale: 'medium' }, baseVersion: 1, userId: 'credit-manager-hq' }));
    const [clash] = (await officer.pushOk([officer.write('enterprises', enterprise, 'update', { scale: 'large' }, 1)])) as [PushResult];
    expect(clash.status).toBe('conflict');
    for (let i = 0; i < 5; i += 1) await colleague.pushOk([colleague.write('enterprises', uuidv7(), 'insert', { name: `企业${i}` })]);
    await officer.pull(2); // pages of two: the hub prepares each next page ahead
    valueOf(await call(url, `/sync/v1/conflicts/${clash.conflictId}/resolve`, { token: officer.token, body: { choice: 'mine', userId: 'officer-1', expectedVersion: officer.row('enterprises', enterprise)?.version } }));
    await colleague.pull();

    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 7)]);
    const hash = createHash('sha256').update(pdf).digest('hex');
    valueOf(await call(url, '/sync/v1/blobs/missing', { token: officer.token, body: { sha256: [hash] } }));
    valueOf(await call(url, `/sync/v1/blobs/${hash}`, { token: officer.token, method: 'PUT', raw: pdf, headers: { 'content-type': 'application/octet-stream' } }));
    expect((await fetch(`${url}/sync/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${colleague.token}` } })).status).toBe(200);

    valueOf(await admin('/admin/reference/scope-test', { data: { any: 1 } }));
    await officer.pull();
    valueOf(await admin('/admin/branches', undefined, 'GET'));
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
    const { cookie } = await headOfficeAdmin(url, ADMIN);
    for (const path of ['/console/api/branches', '/console/api/audit', '/console/api/enterprises?q=%E5%8D%8E', '/console/api/registers/credit_applications', '/console/api/registers/loans', '/console/api/registers/collateral_items?q=%E5%8D%8E',
      `/console/api/registers/collateral_items?alert=any&county=360222&branch=${branchA}`,
      '/console/api/registers/collateral_items?alert=open_environmental_case',
      `/console/api/enterprises?county=360222&branch=${branchA}`,
      '/console/api/registers/rectification_cases?county=360222&state=open',
      '/console/api/register-filters',
      '/console/api/registers/loans/export.xlsx?county=360222',
      '/console/api/statistics?kind=quarter&key=2026Q3']) {
      expect((await fetch(new URL(path, url), { headers: { cookie } })).status).toBe(200);
    }
  }, 120_000);

  it('finds every ledger statement it ran confined to one branch, but the listed cross-branch reads', () => {
    const ledger = [...new Set(seen.map(flat))].filter(touchesLedger);
    // Enough of the hub ran for the check to mean something.
    expect(ledger.length).toBeGreaterThan(25);
    for (const table of LEDGER_TABLES) expect(ledger.some((statement) => new RegExp(`\\b${table}\\b`).test(statement)), table).toBe(true);

    const crossed = new Set<string>();
    const wrong: string[] = [];
    for (const statement of ledger) {
      const problems = branchScopeProblems(statement);
      const allowed = CROSS_BRANCH.find((entry) => entry.matches.test(statement));
      if (allowed !== undefined) crossed.add(allowed.name);
      else if (problems.length > 0 || !oneBranch(statement)) wrong.push(`${problems.join('; ') || 'not confined to one branch'}: ${statement.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect([...crossed].sort()).toEqual(CROSS_BRANCH.map((entry) => entry.name).sort());
  });

  it('tells a statement confined to a branch from one that is not', () => {
    expect(branchScopeProblems('SELECT seq FROM sync_rows WHERE branch_id = $1 AND seq > $2')).toEqual([]);
    expect(branchScopeProblems('SELECT 1 FROM sync_rows r JOIN sync_conflicts c ON c.row_id = r.row_id WHERE r.branch_id = $1')).toEqual(['sync_conflicts c is read without a branch_id condition']);
    expect(branchScopeProblems('SELECT count(*) FROM sync_changes WHERE status = $1')).toEqual(['sync_changes is read without a branch_id condition']);
    expect(branchScopeProblems('INSERT INTO sync_blobs (sha256, branch_id) VALUES ($1, $2)')).toEqual(['INSERT INTO sync_blobs without branch_id as its first column']);
    expect(branchScopeProblems('UPDATE sync_conflicts c SET seq = r.seq FROM x AS r WHERE c.branch_id = $1')).toEqual([]);
    expect(oneBranch('SELECT 1 FROM sync_rows WHERE row_id = $1 AND branch_id <> $2')).toBe(false);
  });
});
