import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import type { ImportMapping, ImportResult } from '../../../shared/api/enterprises.ts';
import type { User } from '../../../shared/api/index.ts';
import { findUserByUsername } from '../../../db/identity.ts';
import { verifyAuditChain } from '../../../db/audit.ts';
import { toUser } from '../handlers/identity.ts';
import { hostWithUsers, testUscc } from '../testing.ts';
import { readXlsx, xlsxBase64 } from '../import/testFiles.ts';
import { runImport } from './importer.ts';
import { coreToSpare, startCheckThread } from './checkThread.ts';

type Host = Awaited<ReturnType<typeof hostWithUsers>>;

const HEADERS = ['企业名称', '统一社会信用代码', '法定代表人', '注册地址', '行政区划代码', '行业代码', '企业规模', '控股情况', '从业人数', '联系电话'];
const mapping: ImportMapping = {
  name: '企业名称', uscc: '统一社会信用代码', legalRepresentative: '法定代表人', address: '注册地址', divisionCode: '行政区划代码',
  industryCode: '行业代码', scale: '企业规模', ownership: '控股情况', employees: '从业人数', contactPhone: '联系电话',
};

/**
 * 1,600 rows (three chunks: 500, 1,000, 100) with bad ones of every kind, some in the second chunk
 * repeating a USCC of the first, so the thread's repeat check and the host's must agree across chunks.
 */
function rows(): (string | number)[][] {
  const table: (string | number)[][] = [];
  for (let i = 0; i < 1600; i += 1) {
    table.push([`浮梁华盛建材${i}号有限公司`, testUscc(20_000 + i), '张建国', `浮梁县工业园区 ${i} 号`, '360222', 'C3021', ['小型', '中型'][i % 2]!, '私人控股', 10 + i, `139${String(10_000_000 + i).slice(-8)}`]);
  }
  table[7]![1] = `${String(table[7]![1]).slice(0, 17)}${String(table[7]![1]).endsWith('0') ? '1' : '0'}`; // check character
  table[600]![1] = table[3]![1]!; // repeats row 5, a chunk earlier
  table[900]![0] = ''; // no name
  table[1200]![4] = '360299'; // not a county
  table[1300]![5] = 'C9999'; // not an industry
  table[1400]![9] = '12'; // not a phone
  table[1500]![1] = ''; // no USCC
  return table;
}

/** A run's result with its rejected-rows workbook as its cells (the file itself carries the time it was written). */
const outcome = async ({ rejectedFileBase64, ...rest }: ImportResult) => ({ ...rest, rejectedRows: rejectedFileBase64 === null ? null : await readXlsx(rejectedFileBase64) });

const user = (host: Host): User => toUser(findUserByUsername(host.store.db, 'officer')!);

/** What the register holds, without what differs by host and run (ids of the row, the branch and the user; stamps). */
const register = (host: Host) =>
  host.store.db.prepare('SELECT * FROM enterprises ORDER BY uscc').all().map((row) => {
    const { id: _id, branch_id: _b, created_at: _c, created_by: _cb, updated_at: _u, updated_by: _ub, ...rest } = row as Record<string, unknown>;
    return rest;
  });

describe("the enterprise import's check thread", () => {
  let onThread: Host;
  let onHost: Host;
  let content: string;
  beforeAll(async () => {
    [onThread, onHost] = await Promise.all([hostWithUsers(), hostWithUsers()]);
    content = await xlsxBase64([HEADERS, ...rows()]);
  });
  afterAll(() => {
    onThread.cleanup();
    onHost.cleanup();
  });

  it('refuses the same rows for the same reasons and writes the same files as the host thread alone', async () => {
    const input = { fileName: '企业名单.xlsx', contentBase64: content, mapping, defaults: {} };
    const logged: string[] = [];
    onThread.ctx.log = (line) => void logged.push(line);
    const threaded = await runImport(onThread.ctx, user(onThread), input, { checkThread: true });
    const alone = await runImport(onHost.ctx, user(onHost), input, { checkThread: false });
    expect(logged.filter((line) => line.includes('check thread'))).toEqual([]);
    expect(alone).toMatchObject({ imported: 1593, updated: 0 });
    expect(alone.rejected.map((r) => r.row)).toEqual([9, 602, 902, 1202, 1302, 1402, 1502]);
    expect(alone.rejected.find((r) => r.row === 602)!.reasons).toEqual(['统一社会信用代码：与第 5 行重复']);
    expect(await outcome(threaded)).toEqual(await outcome(alone));
    expect(register(onThread)).toEqual(register(onHost));
    expect(verifyAuditChain(onThread.store.db)).toMatchObject({ ok: true });
    expect(onThread.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'bulk_insert'").pluck().get()).toBe(3);
  });

  it('leaves a file already on record to the host thread, which updates it field by field', async () => {
    // Again with a changed address on two rows: the thread took every row for new, the host's
    // thread finds these on file when their chunk is written and updates them alone.
    const table = rows();
    table[0]![3] = '浮梁县新址 1 号';
    table[1000]![3] = '浮梁县新址 2 号';
    const input = { fileName: '企业名单-第二版.xlsx', contentBase64: await xlsxBase64([HEADERS, ...table]), mapping, defaults: {} };
    const threaded = await runImport(onThread.ctx, user(onThread), input, { checkThread: true });
    const alone = await runImport(onHost.ctx, user(onHost), input, { checkThread: false });
    expect(alone).toMatchObject({ imported: 0, updated: 1593, unchanged: 1591 });
    expect(await outcome(threaded)).toEqual(await outcome(alone));
    expect(register(onThread)).toEqual(register(onHost));
    const updates = onThread.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'update' AND record_type = 'enterprises'").pluck().get();
    expect(updates).toBe(2);
  });

  it('is used by default only when a core is free for it', () => {
    expect(coreToSpare(2, 0.4)).toBe(true);
    expect(coreToSpare(2, 1.5)).toBe(false);
    expect(coreToSpare(1, 0)).toBe(false);
    // Windows reports no load average.
    expect(coreToSpare(4, 0)).toBe(true);
  });

  it('checks the rows on the host thread when the thread cannot load, and says so', async () => {
    const other = await hostWithUsers();
    try {
      const logged: string[] = [];
      const broken = startCheckThread((line) => void logged.push(line), () => new Worker('throw new Error("no such entry")', { eval: true }));
      const result = await runImport(other.ctx, user(other), { fileName: '企业名单.xlsx', contentBase64: content, mapping, defaults: {} }, { checkThread: broken });
      expect(result).toMatchObject({ imported: 1593 });
      expect(result.rejected.map((r) => r.row)).toEqual([9, 602, 902, 1202, 1302, 1402, 1502]);
      expect(logged.join('\n')).toMatch(/check thread unavailable.*no such entry/);
    } finally {
      other.cleanup();
    }
  });
});
