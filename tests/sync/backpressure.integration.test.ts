import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { syncOnce, type SyncReport } from '../../electron/host/sync/engine.ts';
import { defaultRetryPolicy } from '../../electron/host/sync/hubClient.ts';
import { readSyncState } from '../../db/syncState.ts';
import { outboxCount } from '../../db/outbox.ts';
import type { EnterpriseSummary } from '../../shared/api/index.ts';
import { SYNC_PATH } from '../../shared/sync/protocol.ts';
import { admin, metricsOf, startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * Issue 19 acceptance 4: a real hub process allowed one device request at a time
 * (HEADOFFICE_MAX_IN_FLIGHT=1) answers 429 with Retry-After while that one is held open; two laptops
 * syncing then wait it out with the sync client's jittered backoff and complete, and a third laptop
 * of the branch pulls every change the two made.
 */
describe('a busy hub answers 429 with Retry-After and laptops back off without losing a change', () => {
  let hub: HubProcess;
  let laptops: Record<'a' | 'b' | 'c', Laptop>;
  const code = `BP${Date.now().toString(36)}`;
  const perLaptop = 25;

  const metric = async (name: string): Promise<number> => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await metricsOf(hub))?.[1] ?? Number.NaN);
  const until = async (what: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 200 && !(await what()); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  };
  const names = async (laptop: Laptop) =>
    (await value<{ rows: EnterpriseSummary[] }>(laptop.dispatch('enterprises.list', { limit: 500 }, laptop.sessions.officer))).rows.map((row) => row.name).sort();

  beforeAll(async () => {
    hub = await startHub({ env: { HEADOFFICE_MAX_IN_FLIGHT: '1' } });
    laptops = await enrolledLaptops(hub, '浮梁县支行', code, ['a', 'b', 'c']);
  }, 120_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  it('refuses the request over the limit before reading its token, then syncs both laptops completely', async () => {
    for (const [name, laptop] of [['a', laptops.a], ['b', laptops.b]] as const) {
      for (let i = 0; i < perLaptop; i += 1) {
        await value(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(`背压${name}${i}号企业`, testUscc(name === 'a' ? 100 + i : 200 + i)) }, laptop.sessions.officer));
      }
    }

    // Laptop c holds the hub's one slot: a hello whose body never finishes.
    const token = readSyncState(laptops.c.store.db).device_token as string;
    const held: ClientRequest = request(new URL(`${SYNC_PATH}/hello`, hub.url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '1000' } });
    held.on('error', () => {});
    held.write('{');
    await until(async () => (await metric('greenledger_hub_in_flight_requests')) === 1);
    expect(await metric('greenledger_hub_in_flight_requests')).toBe(1);

    // What a laptop sees meanwhile: 429 RATE_LIMITED with Retry-After, even with a wrong token.
    const refused = await fetch(new URL(`${SYNC_PATH}/hello`, hub.url), { method: 'POST', headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { busy: true } } });

    const waits: number[] = [];
    const sync = (laptop: Laptop): Promise<SyncReport> =>
      syncOnce({
        db: laptop.store.db,
        appVersion: '0.0.0-test',
        now: () => new Date(),
        log: () => {},
        timeoutMs: 10_000,
        retry: { ...defaultRetryPolicy, onRetry: ({ status, waitMs }) => waits.push(status === 429 ? waitMs : -1) },
      });
    const syncing = Promise.all([sync(laptops.a), sync(laptops.b)]);
    // Both laptops are refused at their hello before the slot comes free.
    await until(async () => (await metric('greenledger_hub_busy_refusals_total')) >= 3);
    held.destroy();
    const [a, b] = await syncing;

    expect(a.retries).toBeGreaterThan(0);
    expect(b.retries).toBeGreaterThan(0);
    expect(waits.length).toBe(a.retries + b.retries);
    // Each wait is the hub's Retry-After (1 s) plus jitter below the capped exponential step.
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(1_000);
      expect(wait).toBeLessThan(1_000 + defaultRetryPolicy.capMs);
    }
    expect(a.pushed).toBeGreaterThanOrEqual(perLaptop);
    expect(b.pushed).toBeGreaterThanOrEqual(perLaptop);
    expect(outboxCount(laptops.a.store.db) + outboxCount(laptops.b.store.db)).toBe(0);
    expect(await metric('greenledger_hub_busy_refusals_total')).toBeGreaterThanOrEqual(a.retries + b.retries);

    // Every change of both laptops is at head office, once: the third laptop pulls them all.
    await value(laptops.c.dispatch('sync.now', {}, laptops.c.sessions.officer));
    const expected = [...(await names(laptops.a)), ...(await names(laptops.b))].filter((name, i, all) => all.indexOf(name) === i).sort();
    expect(expected.length).toBe(2 * perLaptop);
    expect(await names(laptops.c)).toEqual(expected);
    const { branches } = await admin<{ branches: { code: string; rows: number }[] }>(hub, '/admin/branches');
    expect(branches.find((branch) => branch.code === code)?.rows).toBeGreaterThanOrEqual(2 * perLaptop);
  }, 120_000);
});
