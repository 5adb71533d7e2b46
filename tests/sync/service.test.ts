import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { zhCN } from '../../renderer/src/i18n/zh-CN.ts';
import { en } from '../../renderer/src/i18n/en.ts';
import { MAX_BACKOFF_MS, SYNC_INTERVAL_MS, SyncService } from '../../electron/host/sync/service.ts';
import { readSyncState } from '../../db/syncState.ts';
import type { SyncStatus } from '../../shared/api/index.ts';
import { admin, branchWithCode, startHub, type HubProcess } from './hub.ts';

/** A loopback port nothing listens on: the hub "cannot be reached" for real (ECONNREFUSED). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the background sync service: schedule, backoff and revocation (real hub process)', () => {
  let hub: HubProcess;
  let laptop: Awaited<ReturnType<typeof hostWithUsers>>;
  let flBranch: string;

  beforeAll(async () => {
    hub = await startHub();
    laptop = await hostWithUsers();
    const { branchId, enrollmentCode } = await branchWithCode(hub, '浮梁县支行', `FL-SVC-${process.pid}`);
    flBranch = branchId;
    const enrolled = await laptop.dispatch('sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '计划测试笔记本' }, laptop.sessions.admin);
    expect(enrolled).toMatchObject({ ok: true, value: { enrolled: true, lastError: null } });
  }, 120_000);

  afterAll(async () => {
    laptop?.cleanup();
    await hub?.stop();
  });

  it('syncs every minute, backs off 1 → 2 → 4 → 8 → 15 → 15 minutes while the hub is unreachable, and stops for good when revoked', async () => {
    // The service's timer is captured instead of waited for: each "tick" runs one real cycle.
    const scheduled: { fn: () => void; ms: number }[] = [];
    const service = new SyncService({
      db: () => laptop.store.db,
      appVersion: laptop.ctx.appVersion,
      now: laptop.ctx.now,
      log: () => {},
      timeoutMs: 2_000,
      blobs: { dataDir: laptop.ctx.dataDir, key: laptop.store.attachmentKey },
      setTimer: (fn, ms) => {
        scheduled.push({ fn, ms });
        return {};
      },
      clearTimer: () => {},
    });
    const tick = async () => {
      const next = scheduled.at(-1);
      if (next === undefined) throw new Error('nothing scheduled');
      next.fn();
      await service.runNow();
    };
    const delays = () => scheduled.map((entry) => entry.ms);

    service.start();
    expect(delays()).toEqual([3_000]);
    await tick();
    expect(delays().at(-1)).toBe(SYNC_INTERVAL_MS);
    expect(SYNC_INTERVAL_MS).toBe(60_000);
    expect(MAX_BACKOFF_MS).toBe(15 * 60_000);

    const realUrl = hub.url;
    laptop.store.db.prepare('UPDATE sync_state SET hub_url = ?').run(`http://127.0.0.1:${await closedPort()}`);
    for (let i = 0; i < 6; i += 1) await tick();
    expect(delays().slice(-6)).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
    expect(readSyncState(laptop.store.db)).toMatchObject({ consecutive_failures: 6, last_error_code: 'HUB_UNREACHABLE' });

    // Back online: the next cycle succeeds and the schedule returns to every minute.
    laptop.store.db.prepare('UPDATE sync_state SET hub_url = ?').run(realUrl);
    await tick();
    expect(delays().at(-1)).toBe(60_000);
    expect(readSyncState(laptop.store.db)).toMatchObject({ consecutive_failures: 0, last_error_code: null });

    // Revoked at head office: the next cycle learns it, schedules nothing more, and a restart stays quiet.
    const { branches } = await admin<{ branches: { id: string; devices: { id: string }[] }[] }>(hub, '/admin/branches');
    await admin(hub, `/admin/devices/${branches.find((b) => b.id === flBranch)!.devices[0]!.id}/revoke`, {});
    const before = scheduled.length;
    await tick();
    expect(scheduled.length).toBe(before);
    expect(service.status()).toMatchObject({ revoked: true, nextAttemptAt: null, lastError: { code: 'DEVICE_REVOKED' } });
    service.start();
    expect(scheduled.length).toBe(before);
    const lastAttempt = readSyncState(laptop.store.db).last_attempt_at;
    laptop.advance(1_000);
    await service.runNow(); // 立即同步 on a revoked laptop does not even try
    expect(readSyncState(laptop.store.db).last_attempt_at).toBe(lastAttempt);
    service.stop();
  });

  it('tells a laptop whose clock is 10 minutes ahead so, uploads nothing, and syncs once the clock is right', async () => {
    const skewed = await hostWithUsers();
    try {
      const { branchId, enrollmentCode } = await branchWithCode(hub, '乐平市支行', `LP-SVC-${process.pid}`);
      await skewed.dispatch('sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '时钟偏快的笔记本' }, skewed.sessions.admin);
      // Rows the branch holds at head office once enrolled (its people directory, say): the file comes on top.
      const rows = async () => (await admin<{ branches: { id: string; rows: number }[] }>(hub, '/admin/branches')).branches.find((b) => b.id === branchId)?.rows ?? 0;
      const atEnrolment = await rows();
      const created = await skewed.dispatch('enterprises.create', { file: sampleEnterpriseFile('乐平时钟测试有限公司', testUscc(901)) }, skewed.sessions.officer);
      expect(created.ok).toBe(true);
      skewed.advance(10 * 60_000);
      const drifted = await skewed.dispatch('sync.now', {}, skewed.sessions.officer);
      expect(drifted).toMatchObject({ ok: true, value: { lastError: { code: 'CLOCK_DRIFT' }, pendingChanges: 1 } });
      const skewMs = (drifted as { value: SyncStatus }).value.clockSkewMs ?? 0;
      expect(Math.round(skewMs / 60_000)).toBe(10);
      // The words the 同步 page shows for it, in both languages, with the minutes filled in.
      expect(zhCN.sync.errors.CLOCK_DRIFT.replace('{{minutes}}', String(Math.round(skewMs / 60_000)))).toBe('本机时间与总行相差约 10 分钟，请校正系统时间后再同步。');
      expect(en.sync.errors.CLOCK_DRIFT).toContain('{{minutes}} minutes off');
      expect(await rows()).toBe(atEnrolment);
      skewed.advance(-10 * 60_000);
      expect(await skewed.dispatch('sync.now', {}, skewed.sessions.officer)).toMatchObject({ ok: true, value: { lastError: null, pendingChanges: 0 } });
      expect(await rows()).toBe(atEnrolment + 1);
    } finally {
      skewed.cleanup();
    }
  });
});
