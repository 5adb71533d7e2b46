import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { syncOnce, type SyncDeps } from '../../electron/host/sync/engine.ts';
import type { EnterpriseDetail } from '../../shared/api/index.ts';
import { startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * A laptop with nothing to push gets its first pull page with the hello: a quiet cycle is one
 * request (bench sync.noop). Against a hub that predates it — one that drops the hello's `pull`
 * as it drops any key it does not know — the laptop pulls as before.
 */
describe('the first pull page with the hello, through a real hub process', () => {
  let hub: HubProcess;
  let laptops: Record<'writer' | 'reader', Laptop>;

  beforeAll(async () => {
    hub = await startHub();
    laptops = await enrolledLaptops(hub, '浮梁县支行', `FL-HP-${Date.now() % 100_000}`, ['writer', 'reader'] as const);
  }, 120_000);
  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  /** One cycle of `laptop`, with the path of each request it sent; `olderHub` drops `pull` from each hello on the way. */
  async function cycle(laptop: Laptop, options: { olderHub?: boolean } = {}) {
    const paths: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const path = new URL(String(input)).pathname;
      paths.push(path);
      if (options.olderHub !== true || !path.endsWith('/hello')) return fetch(input, init);
      const headers = new Headers(init?.headers);
      const sent = Buffer.from(init?.body as Uint8Array);
      const { pull, ...hello } = JSON.parse((headers.get('content-encoding') === 'gzip' ? gunzipSync(sent) : sent).toString()) as Record<string, unknown>;
      expect(pull).toBeDefined();
      headers.delete('content-encoding');
      return fetch(input, { ...init, headers, body: JSON.stringify(hello) });
    };
    const deps: SyncDeps = { db: laptop.store.db, appVersion: '0.0.0-test', now: () => new Date(), log: () => {}, fetchImpl };
    const report = await syncOnce(deps);
    return { report, paths: paths.map((path) => path.replace('/sync/v1/', '')) };
  }
  const create = (laptop: Laptop, name: string, serial: number) =>
    value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial)) }, laptop.sessions.officer));
  const has = (laptop: Laptop, id: string) => laptop.store.db.prepare('SELECT count(*) FROM enterprises WHERE id = ?').pluck().get(id) === 1;

  it('syncs a quiet laptop in one request, and brings a colleague’s new file with the hello', async () => {
    const { writer, reader } = laptops;
    await cycle(writer);
    await cycle(reader);
    expect(await cycle(reader)).toMatchObject({ paths: ['hello'], report: { pushed: 0, pulled: 0, deferred: false } });

    const made = await create(writer, '浮梁握手建材有限公司', 71);
    // Something to push: hello, the push, then the pull.
    expect((await cycle(writer)).paths).toEqual(['hello', 'push', 'pull']);
    const read = await cycle(reader);
    expect(read.paths).toEqual(['hello']);
    expect(read.report.pulled).toBeGreaterThan(0);
    expect(has(reader, made.id)).toBe(true);
  });

  it('pulls as before from a hub that answers the hello without the page', async () => {
    const { writer, reader } = laptops;
    const made = await create(writer, '浮梁旧版茶业有限公司', 72);
    await cycle(writer);
    const read = await cycle(reader, { olderHub: true });
    expect(read.paths).toEqual(['hello', 'pull']);
    expect(read.report.pulled).toBeGreaterThan(0);
    expect(has(reader, made.id)).toBe(true);
    expect(await cycle(reader, { olderHub: true })).toMatchObject({ paths: ['hello', 'pull'], report: { pulled: 0 } });
  });

  it('does not apply the page the hello brought when a change written meanwhile was pushed, and pulls after the push', async () => {
    const { writer, reader } = laptops;
    const made = await create(writer, '浮梁并发陶瓷有限公司', 73);
    await cycle(writer);
    // The reader's officer saves a file while its hello is on the way: the cycle pushes it, then pulls again.
    let mine: EnterpriseDetail | undefined;
    const paths: string[] = [];
    const deps: SyncDeps = {
      db: reader.store.db,
      appVersion: '0.0.0-test',
      now: () => new Date(),
      log: () => {},
      fetchImpl: async (input, init) => {
        const path = new URL(String(input)).pathname.replace('/sync/v1/', '');
        paths.push(path);
        const answer = await fetch(input, init);
        if (path === 'hello') mine = await create(reader, '浮梁途中节能有限公司', 74);
        return answer;
      },
    };
    const report = await syncOnce(deps);
    expect(paths).toEqual(['hello', 'push', 'pull']);
    expect(report).toMatchObject({ pushed: 1 });
    expect(has(reader, made.id)).toBe(true);
    expect(mine !== undefined && has(reader, mine.id)).toBe(true);
  });
});
