import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testUscc } from '../../electron/host/testing.ts';
import { verifyAuditChain } from '../../db/audit.ts';
import { xlsxBase64 } from '../../electron/host/import/testFiles.ts';
import type { EnterpriseDetail, EnterpriseSummary, ImportResult, SyncStatus } from '../../shared/api/index.ts';
import { desktopSyncState, hubSyncState, openHubStorage } from './content.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * The bulk import path (issue 20) over a real hub process: a list of new files imported on laptop
 * A is written in chunks (500 rows, then doubling) with one audit entry each, yet every file still
 * leaves its own outbox entry — so all of them reach head office and laptop B, field by field, and A's outbox
 * empties once head office has them.
 */
const ROWS = 1_100;
const HEADERS = ['企业名称', '统一社会信用代码', '法定代表人', '注册地址', '行政区划代码', '行业代码', '企业规模', '控股情况', '从业人数', '联系人', '联系电话'];
const mapping = {
  name: '企业名称', uscc: '统一社会信用代码', legalRepresentative: '法定代表人', address: '注册地址', divisionCode: '行政区划代码', industryCode: '行业代码',
  scale: '企业规模', ownership: '控股情况', employees: '从业人数', contactName: '联系人', contactPhone: '联系电话',
};

describe('a bulk enterprise import across two laptops and head office', () => {
  let hub: HubProcess;
  let a: Laptop;
  let b: Laptop;
  let branchId: string;

  const sync = async (laptop: Laptop) => {
    const status = await value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
    expect(status.lastError).toBeNull();
  };

  beforeAll(async () => {
    hub = await startHub();
    ({ a, b } = await enrolledLaptops(hub, '浮梁县支行', `FL-BULK-${Date.now() % 100_000}`, ['a', 'b'] as const));
    branchId = a.store.db.prepare('SELECT id FROM branch').pluck().get() as string;
  }, 120_000);

  afterAll(async () => {
    a?.cleanup();
    b?.cleanup();
    await hub?.stop();
  });

  it('writes the rows in chunks on A and every file reaches B and the hub', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => [
      `浮梁${['华盛', '绿源', '恒通', '鑫达'][i % 4]}${['建材', '茶业', '陶瓷'][i % 3]}${i}号有限公司`,
      testUscc(40_000 + i),
      '张建国',
      `浮梁县工业园区 ${i} 号`,
      '360222',
      ['C3021', 'C1530', 'C3071'][i % 3]!,
      ['小型', '中型', '微型', '大型'][i % 4]!,
      '私人控股',
      20 + i,
      '李会计',
      `139${String(10_000_000 + i).slice(-8)}`,
    ]);
    const contentBase64 = await xlsxBase64([HEADERS, ...rows]);
    const result = await value<ImportResult>(a.dispatch('enterprises.importRun', { fileName: '企业名单.xlsx', contentBase64, mapping }, a.sessions.officer));
    expect(result).toMatchObject({ imported: ROWS, rejected: [] });
    // One audit entry per chunk (500 rows, then chunks double: the other 600), one outbox entry per file.
    expect(a.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'bulk_insert' AND record_type = 'enterprises'").pluck().get()).toBe(2);
    expect(a.store.db.prepare("SELECT count(*) FROM outbox WHERE table_name = 'enterprises' AND op = 'insert'").pluck().get()).toBe(ROWS);
    // The chunks' summaries are links of A's audit chain like any entry.
    expect(verifyAuditChain(a.store.db)).toMatchObject({ ok: true, problems: [] });

    await sync(a);
    expect(a.store.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    await sync(b);
    const list = await value<{ rows: EnterpriseSummary[]; total: number }>(
      b.dispatch('enterprises.list', { filter: {}, sort: { field: 'uscc', order: 'asc' }, offset: 0, limit: 100, exactTotal: true }, b.sessions.officer),
    );
    expect(list.total).toBe(ROWS);
    const last = rows[ROWS - 1]!;
    const found = await value<{ rows: EnterpriseSummary[] }>(b.dispatch('enterprises.list', { filter: { query: String(last[1]) }, sort: { field: 'uscc', order: 'asc' }, offset: 0, limit: 10 }, b.sessions.officer));
    expect(found.rows.map((r) => r.name)).toEqual([last[0]]);
    const detail = await value<EnterpriseDetail>(b.dispatch('enterprises.get', { id: found.rows[0]!.id }, b.sessions.officer));
    expect(detail.file.identity).toMatchObject({ name: last[0], uscc: last[1], address: last[3], industryCode: last[5], scale: 'large', employees: last[8] });
    expect(detail.file.identity.contacts).toEqual([{ name: '李会计', phone: last[10] }]);
  }, 180_000);

  it('ends with the same files on both laptops and at the hub, field by field', async () => {
    const onA = desktopSyncState(a.store.db);
    const onB = desktopSyncState(b.store.db);
    expect(onA.enterprises!.rows).toBe(ROWS);
    expect(onB.enterprises).toEqual(onA.enterprises);
    const storage = await openHubStorage(hub);
    try {
      expect((await hubSyncState(storage, branchId, a.store.db)).enterprises).toEqual(onA.enterprises);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
