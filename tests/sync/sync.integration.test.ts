import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { enroll, syncOnce } from '../../electron/host/sync/engine.ts';
import type { EnterpriseDetail, EnterpriseSummary, SyncStatus } from '../../shared/api/index.ts';
import { enterpriseColumns } from '../../db/enterprises.ts';
import { outboxCount } from '../../db/outbox.ts';
import { insertRecord } from '../../db/records.ts';
import { defaultFocusIndustryGroupings } from '../../shared/codes/focusIndustries.ts';
import { admin, branchWithCode, metricsOf, startHub, type HubProcess } from './hub.ts';

type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

describe('desktop ↔ head-office sync through a real hub process', () => {
  let hub: HubProcess;
  let laptopA: Laptop;
  let laptopB: Laptop;
  let branchA: string;

  const sync = (laptop: Laptop) => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
  const names = async (laptop: Laptop) =>
    (await value<{ rows: EnterpriseSummary[] }>(laptop.dispatch('enterprises.list', { limit: 500 }, laptop.sessions.officer))).rows.map((r) => r.name).sort();
  /** Another laptop enrolled in branch A (the caller cleans it up). */
  const secondLaptopOfA = async (deviceName: string): Promise<Laptop> => {
    const laptop = await hostWithUsers();
    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchA}/enrollment-codes`, {});
    await value(laptop.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName }, laptop.sessions.admin));
    return laptop;
  };
  const create = (laptop: Laptop, name: string, serial: number) =>
    value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial)) }, laptop.sessions.officer));

  beforeAll(async () => {
    hub = await startHub();
    laptopA = await hostWithUsers();
    laptopB = await hostWithUsers();
    const a = await branchWithCode(hub, '浮梁县支行', 'FL-001');
    const b = await branchWithCode(hub, '乐平市支行', 'LP-002');
    branchA = a.branchId;
    // Offline work before either laptop ever saw head office.
    await create(laptopA, '华盛建材有限公司', 1);
    await create(laptopB, '乐平绿源茶业有限公司', 2);
    const statusA = await value<SyncStatus>(laptopA.dispatch('sync.enroll', { hubUrl: hub.url, code: a.enrollmentCode, deviceName: '客户经理笔记本 A' }, laptopA.sessions.admin));
    const statusB = await value<SyncStatus>(laptopB.dispatch('sync.enroll', { hubUrl: hub.url, code: b.enrollmentCode, deviceName: '客户经理笔记本 B' }, laptopB.sessions.admin));
    expect(statusA).toMatchObject({ enrolled: true, branchName: '浮梁县支行', pendingChanges: 0, lastError: null });
    expect(statusB).toMatchObject({ enrolled: true, branchName: '乐平市支行', pendingChanges: 0, lastError: null });
  }, 120_000);

  afterAll(async () => {
    laptopA?.cleanup();
    laptopB?.cleanup();
    await hub?.stop();
  });

  it('uploads offline work and keeps each branch to its own rows', async () => {
    const { branches } = await admin<{ branches: { name: string; rows: number }[] }>(hub, '/admin/branches');
    expect(branches.find((b) => b.name === '浮梁县支行')?.rows).toBeGreaterThan(0);
    await create(laptopA, '景德镇华盛陶瓷有限公司', 3);
    await sync(laptopA);
    await sync(laptopB);
    expect(await names(laptopA)).toEqual(['华盛建材有限公司', '景德镇华盛陶瓷有限公司']);
    expect(await names(laptopB)).toEqual(['乐平绿源茶业有限公司']);
  });

  it('merges a low-risk clash per field without a conflict', async () => {
    const [row] = (await value<{ rows: EnterpriseSummary[] }>(laptopA.dispatch('enterprises.list', { filter: { query: '华盛建材' } }, laptopA.sessions.officer))).rows;
    const detail = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: row!.id }, laptopA.sessions.officer));
    // Head office updates the contact list while the officer, offline, edits the address.
    await admin(hub, `/admin/rows/${branchA}/enterprises/${row!.id}`, { fields: { contacts: JSON.stringify([{ name: '王总', phone: '13800000001' }]) }, baseVersion: detail.version, userId: 'head-office-zhang' });
    const file = { ...detail.file, identity: { ...detail.file.identity, address: '浮梁县工业园区 8 号' } };
    await value(laptopA.dispatch('enterprises.update', { id: row!.id, version: detail.version, file }, laptopA.sessions.officer));
    const status = await sync(laptopA);
    expect(status).toMatchObject({ openConflicts: 0, pendingChanges: 0, lastError: null });
    const merged = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: row!.id }, laptopA.sessions.officer));
    expect(merged.file.identity.address).toBe('浮梁县工业园区 8 号');
    expect(merged.file.identity.contacts).toEqual([{ name: '王总', phone: '13800000001' }]);
  });

  it('turns a guarded-field clash into a conflict the officer resolves, and both sides end equal', async () => {
    const [row] = (await value<{ rows: EnterpriseSummary[] }>(laptopA.dispatch('enterprises.list', { filter: { query: '华盛陶瓷' } }, laptopA.sessions.officer))).rows;
    const detail = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: row!.id }, laptopA.sessions.officer));
    // Head office flags outdated capacity; offline, the officer flags it with another deadline.
    await admin(hub, `/admin/rows/${branchA}/enterprises/${row!.id}`, { fields: { outdated_capacity: 1, outdated_capacity_exit_deadline: '2026-12-31' }, baseVersion: detail.version, userId: 'head-office-zhang' });
    const file = { ...detail.file, flags: { ...detail.file.flags, outdatedCapacity: { flagged: true as const, exitDeadline: '2027-06-30', exitedOn: null } } };
    await value(laptopA.dispatch('enterprises.update', { id: row!.id, version: detail.version, file }, laptopA.sessions.officer));
    const status = await sync(laptopA);
    expect(status.openConflicts).toBe(1);
    const conflicts = await value<{ id: string; recordName: string; mine: Record<string, unknown>; theirs: Record<string, unknown> }[]>(laptopA.dispatch('sync.conflicts', {}, laptopA.sessions.officer));
    expect(conflicts[0]).toMatchObject({ recordName: '景德镇华盛陶瓷有限公司', mine: { outdated_capacity_exit_deadline: '2027-06-30' }, theirs: { outdated_capacity_exit_deadline: '2026-12-31' } });
    // Meanwhile the laptop shows head office's value, not a silent overwrite of it.
    expect((await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: row!.id }, laptopA.sessions.officer))).file.flags.outdatedCapacity).toMatchObject({ exitDeadline: '2026-12-31' });

    const theirsVersion = (conflicts[0] as unknown as { theirsVersion: number }).theirsVersion;
    expect(await value(laptopA.dispatch('sync.resolve', { id: conflicts[0]!.id, choice: 'mine', expectedVersion: theirsVersion }, laptopA.sessions.officer))).toMatchObject({ conflicts: [] });
    await sync(laptopA);
    const local = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: row!.id }, laptopA.sessions.officer));
    expect(local.file.flags.outdatedCapacity).toMatchObject({ flagged: true, exitDeadline: '2027-06-30' });
    const history = await value<{ action: string }[]>(laptopA.dispatch('records.history', { recordType: 'enterprises', recordId: row!.id }, laptopA.sessions.officer));
    expect(history.map((h) => h.action)).toContain('conflict_resolved');
  });

  it('bases offline edits on the hub version last pulled: own successive edits never conflict, a head-office decision is never silently undone', async () => {
    const created = await create(laptopB, '乐平版本测试有限公司', 50);
    await sync(laptopB);
    const branchB = (await admin<{ branches: { id: string; name: string }[] }>(hub, '/admin/branches')).branches.find((b) => b.name === '乐平市支行')!.id;
    const rowAt = async () => value<EnterpriseDetail>(laptopB.dispatch('enterprises.get', { id: created.id }, laptopB.sessions.officer));
    const edit = async (change: (file: EnterpriseDetail['file']) => void) => {
      const current = await rowAt();
      const file = structuredClone(current.file);
      change(file);
      await value(laptopB.dispatch('enterprises.update', { id: created.id, version: current.version, file }, laptopB.sessions.officer));
    };
    // Head office fixes a low-risk field; offline, the officer renames the enterprise twice.
    await admin(hub, `/admin/rows/${branchB}/enterprises/${created.id}`, { fields: { address: '乐平市工业园区' }, baseVersion: 1, userId: 'head-office-zhang' });
    await edit((file) => (file.identity.name = '乐平版本测试（一）有限公司'));
    await edit((file) => (file.identity.name = '乐平版本测试（二）有限公司'));
    expect(await sync(laptopB)).toMatchObject({ openConflicts: 0, pendingChanges: 0 });
    expect((await rowAt()).file.identity).toMatchObject({ name: '乐平版本测试（二）有限公司', address: '乐平市工业园区' });

    // Head office changes the legal representative; offline, the officer edits the address, then the representative.
    const hubVersion = (await rowAt()).version;
    await admin(hub, `/admin/rows/${branchB}/enterprises/${created.id}`, { fields: { legal_representative: '王五' }, baseVersion: hubVersion, userId: 'head-office-zhang' });
    await edit((file) => (file.identity.address = '乐平市工业园区 2 号'));
    await edit((file) => (file.identity.legalRepresentative = '李四'));
    const status = await sync(laptopB);
    expect(status.openConflicts).toBe(1);
    expect((await rowAt()).file.identity).toMatchObject({ legalRepresentative: '王五', address: '乐平市工业园区 2 号' });
    const conflicts = await value<{ id: string; mine: Record<string, unknown>; theirsVersion: number }[]>(laptopB.dispatch('sync.conflicts', {}, laptopB.sessions.officer));
    expect(conflicts[0]?.mine).toMatchObject({ legal_representative: '李四' });
    await value(laptopB.dispatch('sync.resolve', { id: conflicts[0]!.id, choice: 'theirs', expectedVersion: conflicts[0]!.theirsVersion }, laptopB.sessions.officer));
    expect((await sync(laptopB)).openConflicts).toBe(0);
  });

  it('applies reference data head office publishes (focus-industry groupings) on sync', async () => {
    await admin(hub, '/admin/reference/focus-industries', {
      data: {
        version: 2,
        source: '总行 2026 年重点行业调整',
        groups: [
          { key: 'food', zh: '食品', en: 'Food', codes: ['C13', 'C14', 'C15'] },
          { key: 'ceramics', zh: '陶瓷', en: 'Ceramics', codes: ['C307'] },
          { key: 'buildingMaterials', zh: '建材', en: 'Building materials', codes: ['C30'] },
        ],
      },
    });
    const status = await sync(laptopB);
    // Reference sets are head office's, not a branch's: with one PostgreSQL for the whole suite (CI),
    // other tests' hubs publish sets of their own there, so only this one is looked at.
    expect(status.referenceSets.filter((set) => set.name === 'focus-industries')).toEqual([expect.objectContaining({ name: 'focus-industries', version: expect.any(Number) })]);
    const created = await value<EnterpriseDetail>(
      laptopB.dispatch('enterprises.create', { file: sampleEnterpriseFile('乐平陶瓷有限公司', testUscc(40), { industryCode: 'C3071' }) }, laptopB.sessions.officer),
    );
    expect(created.focusGroup).toBe('ceramics');
  });

  it('keeps working and keeps every local change when the hub is down, slow or answering garbage', async () => {
    const { createServer } = await import('node:http');
    const behaviours = {
      garbage: (res: import('node:http').ServerResponse) => res.end('<html>502 Bad Gateway</html>'),
      wrongShape: (res: import('node:http').ServerResponse) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ ok: true, value: { surprise: 1 } })),
      silent: () => undefined,
    };
    const db = laptopA.store.db;
    const realUrl = db.prepare('SELECT hub_url FROM sync_state').pluck().get() as string;
    await create(laptopA, '离线新建企业有限公司', 4);
    const before = await names(laptopA);
    for (const [name, behave] of Object.entries(behaviours)) {
      const server = createServer((_req, res) => behave(res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      db.prepare('UPDATE sync_state SET hub_url = ?').run(`http://127.0.0.1:${port}`);
      const status = await sync(laptopA);
      expect(status.lastError?.code, name).toBe(name === 'silent' ? 'HUB_UNREACHABLE' : 'HUB_BAD_ANSWER');
      expect(status.pendingChanges, name).toBeGreaterThan(0);
      expect(await names(laptopA)).toEqual(before);
      server.closeAllConnections();
      server.close();
    }
    db.prepare('UPDATE sync_state SET hub_url = ?').run('http://127.0.0.1:9');
    expect((await sync(laptopA)).lastError?.code).toBe('HUB_UNREACHABLE');
    // Work goes on offline: the officer can still write.
    await create(laptopA, '断网期间新建有限公司', 5);
    db.prepare('UPDATE sync_state SET hub_url = ?').run(realUrl);
    const recovered = await sync(laptopA);
    expect(recovered).toMatchObject({ lastError: null, pendingChanges: 0 });
  });

  it('tells a revoked laptop so in plain words, stops syncing and keeps its data', async () => {
    const { branches } = await admin<{ branches: { name: string; devices: { id: string }[] }[] }>(hub, '/admin/branches');
    const device = branches.find((b) => b.name === '乐平市支行')!.devices[0]!;
    await admin(hub, `/admin/devices/${device.id}/revoke`, {});
    const before = await names(laptopB);
    await create(laptopB, '吊销后新建有限公司', 60);
    const status = await sync(laptopB);
    expect(status).toMatchObject({ revoked: true, lastError: { code: 'DEVICE_REVOKED' } });
    expect(status.pendingChanges).toBeGreaterThan(0);
    expect(await names(laptopB)).toEqual([...before, '吊销后新建有限公司'].sort());
  });

  it('keeps syncing when two laptops of a branch filed the same enterprise offline: both files arrive, both stay editable', async () => {
    const colleague = await secondLaptopOfA('客户经理笔记本 A2');
    try {
      // Both offline, both file 浮梁同名企业 under one USCC.
      const mine = await create(laptopA, '浮梁同名企业有限公司', 77);
      await create(colleague, '浮梁同名企业有限公司（同事录入）', 77);
      expect(await sync(colleague)).toMatchObject({ lastError: null, pendingChanges: 0 });
      expect(await sync(laptopA)).toMatchObject({ lastError: null, pendingChanges: 0 });
      expect(await sync(colleague)).toMatchObject({ lastError: null, pendingChanges: 0 });
      for (const laptop of [laptopA, colleague]) expect((await names(laptop)).filter((name) => name.startsWith('浮梁同名企业'))).toEqual(['浮梁同名企业有限公司', '浮梁同名企业有限公司（同事录入）']);
      // Each copy can still be edited; filing that USCC a third time is still refused.
      const file = { ...mine.file, identity: { ...mine.file.identity, address: '浮梁县工业园区 9 号' } };
      await value(laptopA.dispatch('enterprises.update', { id: mine.id, version: mine.version, file }, laptopA.sessions.officer));
      const third = await laptopA.dispatch('enterprises.create', { file: sampleEnterpriseFile('第三份同名企业有限公司', testUscc(77)) }, laptopA.sessions.officer);
      expect(third).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(await sync(laptopA)).toMatchObject({ lastError: null, pendingChanges: 0 });
      // The credit manager sees the pair on the file, keeps the first and deletes the copy, with a reason.
      const kept = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: mine.id }, laptopA.sessions.manager));
      expect(kept.sameUscc).toHaveLength(1);
      const copy = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.get', { id: kept.sameUscc[0]!.id }, laptopA.sessions.manager));
      await value(laptopA.dispatch('enterprises.remove', { id: copy.id, version: copy.version, reason: '与本机先录入的档案重复' }, laptopA.sessions.manager));
      expect(await sync(laptopA)).toMatchObject({ lastError: null, pendingChanges: 0 });
      expect(await sync(colleague)).toMatchObject({ lastError: null, pendingChanges: 0, openConflicts: 0 });
      for (const laptop of [laptopA, colleague]) expect((await names(laptop)).filter((name) => name.startsWith('浮梁同名企业'))).toEqual(['浮梁同名企业有限公司']);
    } finally {
      colleague.cleanup();
    }
  });

  it("brings an attachment file a colleague added to the branch's other laptops, byte for byte", async () => {
    const manager = await secondLaptopOfA('信贷主管笔记本');
    try {
      const permit = await create(laptopA, '浮梁排污许可企业有限公司', 88);
      const pdf = Buffer.from(`%PDF-1.7\n排污许可证 ${'scan '.repeat(4000)}\n%%EOF\n`);
      const added = await value<{ id: string; sha256: string }>(
        laptopA.dispatch('attachments.add', { ownerType: 'enterprises', ownerId: permit.id, fileName: '排污许可证.pdf', mime: 'application/pdf', contentBase64: pdf.toString('base64') }, laptopA.sessions.officer),
      );
      // Before the officer's laptop syncs, the manager has neither the row nor the file.
      expect((await sync(laptopA)).lastError).toBeNull();
      expect((await sync(manager)).lastError).toBeNull();
      const opened = await value<{ fileName: string; contentBase64: string }>(manager.dispatch('attachments.get', { id: added.id }, manager.sessions.manager));
      expect(opened.fileName).toBe('排污许可证.pdf');
      expect(Buffer.from(opened.contentBase64, 'base64').equals(pdf)).toBe(true);
      // Sent once: the next cycles move no file either way.
      expect(laptopA.store.db.prepare('SELECT count(*) FROM blobs_at_hub WHERE sha256 = ?').pluck().get(added.sha256)).toBe(1);
      const metrics = await metricsOf(hub);
      expect(metrics).toMatch(/^greenledger_hub_blobs_stored_total 1$/m);
      await sync(laptopA);
      await sync(manager);
      expect(await metricsOf(hub)).toMatch(/^greenledger_hub_blobs_served_total 1$/m);
    } finally {
      manager.cleanup();
    }
  });
  it("shows a new laptop's first pull under way in its status, and the branch's files all at once when it ends", async () => {
    const fresh = await hostWithUsers();
    try {
      fresh.ctx.sync.stop();
      const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchA}/enrollment-codes`, {});
      const deps = { db: fresh.store.db, appVersion: '0.0.0-test', now: () => new Date(), log: () => {} };
      await enroll(deps, { hubUrl: hub.url, code, deviceName: '新领用的笔记本' });
      const received: number[] = [];
      const visible: number[] = [];
      const files = () => fresh.store.db.prepare('SELECT count(*) FROM enterprises WHERE deleted_at IS NULL').pluck().get() as number;
      await syncOnce({
        ...deps,
        pullLimit: 2,
        onStep: (step) => {
          if (step !== 'pull:committed') return;
          received.push(fresh.ctx.sync.status().firstPull?.received ?? -1);
          visible.push(files());
        },
      });
      expect(received.length).toBeGreaterThan(2);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(received[0]).toBeGreaterThan(0);
      expect(new Set(visible)).toEqual(new Set([0]));
      expect(fresh.ctx.sync.status().firstPull).toBeNull();
      expect(files()).toBe((await names(laptopA)).length);
    } finally {
      fresh.cleanup();
    }
  });
  it('pushes an outbox of several pages, each sent once the hub answered the one before and before that one is committed here', async () => {
    const laptop = await hostWithUsers();
    try {
      laptop.ctx.sync.stop();
      const branch = await branchWithCode(hub, '鄱阳县支行', 'PY-003');
      const deps = { db: laptop.store.db, appVersion: '0.0.0-test', now: () => new Date(), log: () => {} };
      await enroll(deps, { hubUrl: hub.url, code: branch.enrollmentCode, deviceName: '批量上传的笔记本' });
      const actor = { userId: 'officer-bulk', userName: '客户经理', branchId: branch.branchId };
      const now = new Date();
      const queued = 4_500;
      laptop.store.db.transaction(() => {
        for (let i = 0; i < queued; i += 1) {
          insertRecord(laptop.store.db, 'enterprises', enterpriseColumns(sampleEnterpriseFile(`鄱阳批量企业${i}有限公司`, testUscc(10_000 + i)), defaultFocusIndustryGroupings), actor, now);
        }
      })();
      // With the laptop's own changes from before (its people).
      const outbox = outboxCount(laptop.store.db);
      expect(outbox).toBeGreaterThanOrEqual(queued);
      const steps: string[] = [];
      const report = await syncOnce({ ...deps, onStep: (step) => void (step.startsWith('push:') && steps.push(step)) });
      expect(report.pushed).toBe(outbox);
      expect(outboxCount(laptop.store.db)).toBe(0);
      const pages = steps.filter((step) => step === 'push:send').length;
      expect(pages).toBeGreaterThanOrEqual(3);
      // Page k+1 goes out after page k's answer and before page k's answers are committed.
      const expected = ['push:send', 'push:answered'];
      for (let page = 1; page < pages; page += 1) expected.push('push:send', 'push:committed', 'push:answered');
      expected.push('push:committed');
      expect(steps).toEqual(expected);
      const { branches } = await admin<{ branches: { name: string; rows: number }[] }>(hub, '/admin/branches');
      expect(branches.find((b) => b.name === '鄱阳县支行')?.rows).toBe(outbox);
    } finally {
      laptop.cleanup();
    }
  }, 120_000);
});
