import { afterEach, describe, expect, it } from 'vitest';
import type { PullResponse, RowSnapshot } from '../shared/sync/protocol.ts';
import { syncTableNames } from '../shared/sync/tables.ts';
import { sampleEnterpriseFile } from '../shared/domain/testing.ts';
import { defaultFocusIndustryGroupings } from '../shared/codes/focusIndustries.ts';
import { beginBulkPull, dropPlacedStaging, finishBulkPull, firstPullReceived, stagedTables, stagePullPage } from './bulkPull.ts';
import { enterpriseColumns, listEnterprises } from './enterprises.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Db } from './open.ts';
import { applyPullPage, quarantinedRows, readSyncState } from './syncState.ts';
import { tempStoreDir } from './testing.ts';

const NOW = '2026-11-22T08:00:00.000Z';
const BRANCH = '01930000-0000-7000-8000-000000000b01';
const id = (n: number): string => `01930000-0000-7000-8000-${String(n).padStart(12, '0')}`;

const stamp = { branch_id: BRANCH, created_at: NOW, created_by: 'officer', updated_at: NOW, updated_by: 'officer' };

function enterprise(seq: number, n: number, name: string, uscc: string, extra: Partial<RowSnapshot> = {}): RowSnapshot {
  const data = { ...enterpriseColumns(sampleEnterpriseFile(name, uscc), defaultFocusIndustryGroupings), ...stamp } as RowSnapshot['data'];
  return { seq, table: 'enterprises', rowId: id(n), version: 1, deleted: false, data, ...extra };
}

/** Two pages of a branch: files, a rating of one, a file renamed later, one deleted, one lacking a field. */
function branchPages(): PullResponse[] {
  const withoutContacts = enterprise(3, 3, '浮梁绿源茶业有限公司', '91360222MA35L0KX2B');
  delete withoutContacts.data.contacts;
  const renamed = enterprise(5, 1, '华盛新材有限公司', '91360222MA35L0KX1F', { version: 2 });
  return [
    {
      rows: [
        enterprise(1, 1, '华盛建材有限公司', '91360222MA35L0KX1F'),
        enterprise(2, 2, '景德镇华盛陶瓷有限公司', '91360281MA35L0KX0G'),
        withoutContacts,
        { seq: 4, table: 'enterprise_ratings', rowId: id(101), version: 1, deleted: false, data: { ...stamp, enterprise_id: id(1), level: 'green', bureau: '浮梁县生态环境局', rated_on: '2026-03-01' } },
      ],
      conflicts: [],
      reference: [],
      next: 4,
      hasMore: true,
    },
    {
      rows: [renamed, { ...enterprise(6, 2, '景德镇华盛陶瓷有限公司', '91360281MA35L0KX0G'), deleted: true, version: 2 }],
      conflicts: [],
      reference: [{ name: 'focus-industries', version: 3, data: { groups: [] }, publishedAt: NOW }],
      next: 6,
      hasMore: false,
    },
  ];
}

const opened: Db[] = [];
function freshStore(file = ':memory:'): Db {
  const db = openDatabase(file);
  migrate(db);
  opened.push(db);
  return db;
}
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

/** Everything a pull writes that a user or the next sync could see (the audit trail aside). */
function pulledState(db: Db) {
  const tables = Object.fromEntries(syncTableNames.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY id`).all()]));
  const search = (query: string) => listEnterprises(db, { query }, { field: 'name', order: 'asc' }, 0, 50).rows.map((row) => row.id);
  return {
    tables,
    versions: db.prepare('SELECT * FROM sync_versions ORDER BY table_name, row_id').all(),
    state: { checkpoint: readSyncState(db).checkpoint, reference: readSyncState(db).reference_versions },
    reference: db.prepare('SELECT name, version, data FROM reference_data ORDER BY name').all(),
    search: { trigram: search('华盛新'), bigram: search('华盛'), initials: search('HSXC'), uscc: search('9136'), old: search('华盛建材') },
    schema: db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table') AND tbl_name NOT GLOB 'sync_placed_*' ORDER BY name`).all(),
  };
}

describe('bulk first pull', () => {
  it('places a staged first pull exactly as page-by-page application would', () => {
    const pageByPage = freshStore();
    for (const page of branchPages()) expect(applyPullPage(pageByPage, page, NOW).applied).toBe(true);

    const bulk = freshStore();
    expect(firstPullReceived(bulk)).toBeNull();
    expect(beginBulkPull(bulk)).toBe(true);
    expect(firstPullReceived(bulk)).toBe(0);
    for (const page of branchPages()) expect(stagePullPage(bulk, page, NOW).applied).toBe(true);
    // Six snapshots of four rows (three files, one rating; two files changed again later): what the
    // 同步 page shows as received.
    expect(firstPullReceived(bulk)).toBe(4);
    // Staged rows are not visible yet; the checkpoint moved with each page.
    expect(bulk.prepare('SELECT count(*) FROM enterprises').pluck().get()).toBe(0);
    expect(readSyncState(bulk).checkpoint).toBe(6);
    // Every sync table is placed, the ones this pull brought nothing for with 0.
    const none = Object.fromEntries(syncTableNames.map((table) => [table, 0]));
    expect(finishBulkPull(bulk, NOW)).toEqual({ placed: true, rows: { ...none, enterprises: 3, enterprise_ratings: 1 } });

    expect(pulledState(bulk)).toEqual(pulledState(pageByPage));
    const state = pulledState(bulk);
    expect(state.search).toEqual({ trigram: [id(1)], bigram: [id(1)], initials: [id(1)], uscc: [id(3), id(1)], old: [] });
    // The file without contacts took the column default; the deleted one has a deletion time.
    expect((state.tables.enterprises as { id: string; contacts: string; deleted_at: string | null }[]).map((row) => [row.id, row.contacts, row.deleted_at])).toEqual([
      [id(1), expect.stringContaining('李会计'), null],
      [id(2), expect.stringContaining('李会计'), NOW],
      [id(3), '[]', null],
    ]);
    expect(stagedTables(bulk)).toEqual([]);
    expect(firstPullReceived(bulk)).toBeNull();
    // One audit entry summarises the first pull.
    expect(bulk.prepare("SELECT count(*) FROM audit_log WHERE action = 'sync_pull'").pluck().get()).toBe(1);
  });

  it('starts only for a store that never pulled, holds no rows and has nothing to push', () => {
    const pulled = freshStore();
    applyPullPage(pulled, { ...(branchPages()[0] as PullResponse), hasMore: false }, NOW);
    expect(beginBulkPull(pulled)).toBe(false);

    const withRows = freshStore();
    withRows.prepare('INSERT INTO enterprise_ratings (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, level, bureau, rated_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    withRows.pragma('foreign_keys = OFF');
    withRows.prepare("INSERT INTO enterprise_ratings (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, level, bureau, rated_on) VALUES ('r', 'b', 't', 'u', 't', 'u', 'e', 'green', 'x', '2026-01-01')").run();
    expect(beginBulkPull(withRows)).toBe(false);

    const queued = freshStore();
    queued.prepare("INSERT INTO outbox (table_name, row_id, op, fields, prev, base_version, hlc, user_id, at) VALUES ('enterprises', 'x', 'insert', '{}', '{}', 0, 'h', 'u', 't')").run();
    expect(beginBulkPull(queued)).toBe(false);

    expect(beginBulkPull(freshStore())).toBe(true);

    // The administrator a laptop creates at first run (its people entry) does not count: a laptop
    // that joins a branch still takes the fast first pull.
    const joined = freshStore();
    joined.prepare("INSERT INTO people (id, branch_id, created_at, created_by, updated_at, updated_by, display_name, role) VALUES ('a', 'b', 't', 'a', 't', 'a', '管理员', 'admin')").run();
    expect(beginBulkPull(joined)).toBe(true);
  });

  it('resumes a first pull after a restart from the staged pages and their checkpoint', () => {
    const store = tempStoreDir();
    try {
      const [first, second] = branchPages() as [PullResponse, PullResponse];
      let db = openDatabase(store.file, { keyHex: store.keyHex });
      migrate(db);
      beginBulkPull(db);
      stagePullPage(db, first, NOW);
      db.close();

      db = openDatabase(store.file, { keyHex: store.keyHex });
      opened.push(db);
      expect(readSyncState(db).checkpoint).toBe(4);
      expect(beginBulkPull(db)).toBe(true);
      stagePullPage(db, second, NOW);
      finishBulkPull(db, NOW);
      expect(db.prepare('SELECT id, name FROM enterprises WHERE deleted_at IS NULL ORDER BY id').all()).toEqual([
        { id: id(1), name: '华盛新材有限公司' },
        { id: id(3), name: '浮梁绿源茶业有限公司' },
      ]);
    } finally {
      store.cleanup();
    }
  });

  it('waits while local changes are queued, and quarantines a row the live table refuses while placing the rest', () => {
    const db = freshStore();
    beginBulkPull(db);
    const [first] = branchPages() as [PullResponse];
    const badRating = { ...(first.rows[3] as RowSnapshot), rowId: id(102), seq: 5, data: { ...(first.rows[3] as RowSnapshot).data, level: 'purple' } };
    stagePullPage(db, { ...first, rows: [...first.rows, badRating], next: 5, hasMore: false }, NOW);
    const staged = first.rows.filter((row) => row.table === 'enterprise_ratings').length;

    db.prepare("INSERT INTO outbox (table_name, row_id, op, fields, prev, base_version, hlc, user_id, at) VALUES ('enterprises', 'x', 'insert', '{}', '{}', 0, 'h', 'u', 't')").run();
    expect(finishBulkPull(db, NOW)).toEqual({ placed: false, rows: {} });
    db.prepare('DELETE FROM outbox').run();

    // One refused row used to roll the whole first pull back, at every attempt: the laptop never got its register.
    expect(finishBulkPull(db, NOW).placed).toBe(true);
    expect(db.prepare('SELECT count(*) FROM enterprises').pluck().get()).toBe(first.rows.filter((row) => row.table === 'enterprises').length);
    expect(db.prepare('SELECT count(*) FROM enterprise_ratings').pluck().get()).toBe(staged);
    expect(quarantinedRows(db)).toEqual([expect.objectContaining({ table: 'enterprise_ratings', rowId: id(102), reason: expect.stringMatching(/CHECK constraint failed/) })]);
    expect(stagedTables(db)).toEqual([]);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('drops the set-aside staging at the next sync', () => {
    const db = freshStore();
    beginBulkPull(db);
    for (const page of branchPages()) stagePullPage(db, page, NOW);
    finishBulkPull(db, NOW);
    const setAside = () => db.prepare("SELECT count(*) FROM sqlite_master WHERE name GLOB 'sync_placed_*'").pluck().get();
    expect(setAside()).toBe(syncTableNames.length);
    dropPlacedStaging(db);
    expect(setAside()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM enterprises').pluck().get()).toBe(3);
  });

  it('applies a child row that arrives a page before its parent (the parent was edited later), on both paths', () => {
    const [first] = branchPages() as [PullResponse];
    const rating = first.rows[3] as RowSnapshot;
    const parent = { ...(first.rows[0] as RowSnapshot), seq: 9, version: 2 };
    const pages: PullResponse[] = [
      { rows: [{ ...rating, seq: 4 }], conflicts: [], reference: [], next: 4, hasMore: true },
      { rows: [parent], conflicts: [], reference: [], next: 9, hasMore: false },
    ];
    const pageByPage = freshStore();
    for (const page of pages) expect(applyPullPage(pageByPage, page, NOW).applied).toBe(true);
    const bulk = freshStore();
    beginBulkPull(bulk);
    stagePullPage(bulk, pages[0] as PullResponse, NOW);
    // A pull cut here places the child alone; its parent comes with the next, row-by-row pull.
    finishBulkPull(bulk, NOW);
    expect(applyPullPage(bulk, pages[1] as PullResponse, NOW).applied).toBe(true);
    for (const db of [pageByPage, bulk]) {
      expect(db.prepare('SELECT enterprise_id FROM enterprise_ratings').pluck().all()).toEqual([id(1)]);
      expect(db.prepare('SELECT version FROM enterprises WHERE id = ?').pluck().get(id(1))).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    }
  });

  it('keeps the values of a column an app update adds in the middle of a first pull', () => {
    const db = freshStore();
    const [first, second] = branchPages() as [PullResponse, PullResponse];
    beginBulkPull(db);
    stagePullPage(db, first, NOW);
    // The update's migration adds a column; the hub's later pages carry it.
    db.exec("ALTER TABLE enterprises ADD COLUMN credit_code_note TEXT DEFAULT 'none'");
    const renamed = second.rows[0] as RowSnapshot;
    stagePullPage(db, { ...second, rows: [{ ...renamed, data: { ...renamed.data, credit_code_note: '已核对' } }, ...second.rows.slice(1)] }, NOW);
    finishBulkPull(db, NOW);
    expect(db.prepare('SELECT id, credit_code_note FROM enterprises ORDER BY id').all()).toEqual([
      { id: id(1), credit_code_note: '已核对' },
      { id: id(2), credit_code_note: 'none' },
      { id: id(3), credit_code_note: 'none' },
    ]);
  });
});
