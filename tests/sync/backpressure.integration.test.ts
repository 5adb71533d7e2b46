import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { syncOnce, type SyncReport } from '../../electron/host/sync/engine.ts';
import { defaultRetryPolicy, type RetryPolicy } from '../../electron/host/sync/hubClient.ts';
import { readSyncState } from '../../db/syncState.ts';
import { outboxCount } from '../../db/outbox.ts';
import type { EnterpriseSummary } from '../../shared/api/index.ts';
import { SYNC_PATH } from '../../shared/sync/protocol.ts';
import { admin, metricsOf, startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/** Laptop c holds one of the hub's slots: a hello whose body never finishes. */
function holdSlot(hub: HubProcess, laptop: Laptop): ClientRequest {
  const token = readSyncState(laptop.store.db).device_token as string;
  const held = request(new URL(`${SYNC_PATH}/hello`, hub.url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '1000' } });
  held.on('error', () => {});
  held.write('{');
  return held;
}

const metricOf = async (hub: HubProcess, name: string): Promise<number> => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await metricsOf(hub))?.[1] ?? Number.NaN);
const until = async (what: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200 && !(await what()); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
};
const names = async (laptop: Laptop) =>
  (await value<{ rows: EnterpriseSummary[] }>(laptop.dispatch('enterprises.list', { limit: 500 }, laptop.sessions.officer))).rows.map((row) => row.name).sort();
const createFiles = async (laptop: Laptop, prefix: string, count: number, usccFrom: number) => {
  for (let i = 0; i < count; i += 1) await value(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(`${prefix}${i}号企业`, testUscc(usccFrom + i)) }, laptop.sessions.officer));
};
const syncWith = (laptop: Laptop, onRetry: NonNullable<RetryPolicy['onRetry']>): Promise<SyncReport> =>
  syncOnce({ db: laptop.store.db, appVersion: '0.0.0-test', now: () => new Date(), log: () => {}, timeoutMs: 10_000, retry: { ...defaultRetryPolicy, onRetry } });
const hello = (hub: HubProcess, signal?: AbortSignal) =>
  fetch(new URL(`${SYNC_PATH}/hello`, hub.url), { method: 'POST', headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' }, body: '{}', ...(signal === undefined ? {} : { signal }) });

/**
 * Issue 19 acceptance 4: a real hub process allowed one device request at a time
 * (HEADOFFICE_MAX_IN_FLIGHT=1) and no queue (HEADOFFICE_ADMISSION_QUEUE=0) answers 429 with
 * Retry-After while that one is held open; two laptops
 * syncing then wait it out with the sync client's jittered backoff and complete, and a third laptop
 * of the branch pulls every change the two made.
 */
describe('a busy hub answers 429 with Retry-After and laptops back off without losing a change', () => {
  let hub: HubProcess;
  let laptops: Record<'a' | 'b' | 'c', Laptop>;
  const code = `BP${Date.now().toString(36)}`;
  const perLaptop = 25;

  const metric = (name: string) => metricOf(hub, name);

  beforeAll(async () => {
    hub = await startHub({ env: { HEADOFFICE_MAX_IN_FLIGHT: '1', HEADOFFICE_ADMISSION_QUEUE: '0' } });
    laptops = await enrolledLaptops(hub, '浮梁县支行', code, ['a', 'b', 'c']);
  }, 120_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  it('refuses the request over the limit before reading its token, then syncs both laptops completely', async () => {
    await createFiles(laptops.a, '背压a', perLaptop, 100);
    await createFiles(laptops.b, '背压b', perLaptop, 200);

    const held = holdSlot(hub, laptops.c);
    await until(async () => (await metric('greenledger_hub_in_flight_requests')) === 1);
    expect(await metric('greenledger_hub_in_flight_requests')).toBe(1);

    // What a laptop sees meanwhile: 429 RATE_LIMITED with Retry-After, even with a wrong token.
    const refused = await hello(hub);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { busy: true } } });

    const waits: number[] = [];
    const sync = (laptop: Laptop): Promise<SyncReport> => syncWith(laptop, ({ status, waitMs }) => waits.push(status === 429 ? waitMs : -1));
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

/**
 * The admission queue (server/backpressure.ts): with its one slot taken, the hub lets two requests
 * wait their turn instead of refusing them, refuses the third (queue full), refuses one that waited
 * the whole bound, forgets one whose client went away, and takes a push before a hello that waited longer.
 */
describe('a busy hub queues device requests up to a bound before it answers 429', () => {
  let hub: HubProcess;
  let laptops: Record<'a' | 'b' | 'c', Laptop>;
  const code = `BQ${Date.now().toString(36)}`;
  const perLaptop = 10;
  const waitMs = 4_000;
  const metric = (name: string) => metricOf(hub, name);

  beforeAll(async () => {
    hub = await startHub({ env: { HEADOFFICE_MAX_IN_FLIGHT: '1', HEADOFFICE_ADMISSION_QUEUE: '2', HEADOFFICE_ADMISSION_WAIT_MS: String(waitMs) } });
    laptops = await enrolledLaptops(hub, '乐平市支行', code, ['a', 'b', 'c']);
  }, 120_000);

  afterAll(async () => {
    for (const laptop of Object.values(laptops ?? {})) laptop.cleanup();
    await hub?.stop();
  });

  it('lets two laptops wait for the one slot and sync without a refusal, and refuses a third request while they wait', async () => {
    await createFiles(laptops.a, '排队a', perLaptop, 300);
    await createFiles(laptops.b, '排队b', perLaptop, 400);
    const held = holdSlot(hub, laptops.c);
    await until(async () => (await metric('greenledger_hub_in_flight_requests')) === 1);

    let retries = 0;
    const syncing = Promise.all([syncWith(laptops.a, () => (retries += 1)), syncWith(laptops.b, () => (retries += 1))]);
    await until(async () => (await metric('greenledger_hub_admission_waiting_requests')) === 2);
    expect(await metric('greenledger_hub_admission_waiting_requests')).toBe(2);

    // The queue is full: the next request is refused at once, with a Retry-After the laptop sits out.
    const refused = await hello(hub);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(defaultRetryPolicy.maxWaitMs / 1000);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { busy: true } } });

    held.destroy();
    const [a, b] = await syncing;
    expect(retries).toBe(0);
    expect(a.retries + b.retries).toBe(0);
    expect(a.pushed).toBeGreaterThanOrEqual(perLaptop);
    expect(b.pushed).toBeGreaterThanOrEqual(perLaptop);
    expect(outboxCount(laptops.a.store.db) + outboxCount(laptops.b.store.db)).toBe(0);
    expect(await metric('greenledger_hub_admission_queued_total')).toBeGreaterThanOrEqual(2);
    expect(await metric('greenledger_hub_busy_refusals_total')).toBe(1);

    await value(laptops.c.dispatch('sync.now', {}, laptops.c.sessions.officer));
    const expected = [...(await names(laptops.a)), ...(await names(laptops.b))].filter((name, i, all) => all.indexOf(name) === i).sort();
    expect(expected.length).toBe(2 * perLaptop);
    expect(await names(laptops.c)).toEqual(expected);
  }, 120_000);

  it('drops a waiting request whose client went away, refuses one that waited the whole bound, and lets a sync under way go first', async () => {
    const held = holdSlot(hub, laptops.c);
    await until(async () => (await metric('greenledger_hub_in_flight_requests')) === 1);

    const gone = new AbortController();
    const abandoned = hello(hub, gone.signal).catch((error: unknown) => error);
    await until(async () => (await metric('greenledger_hub_admission_waiting_requests')) === 1);
    expect(await metric('greenledger_hub_admission_waiting_requests')).toBe(1);
    gone.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    await until(async () => (await metric('greenledger_hub_admission_waiting_requests')) === 0);
    expect(await metric('greenledger_hub_admission_waiting_requests')).toBe(0);

    const before = await metric('greenledger_hub_busy_refusals_total');
    const started = Date.now();
    const late = await hello(hub);
    const waited = Date.now() - started;
    expect(late.status).toBe(429);
    expect(await late.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { busy: true } } });
    expect(Number(late.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(waited).toBeGreaterThanOrEqual(waitMs - 100);
    expect(waited).toBeLessThan(waitMs + 3_000);
    expect(await metric('greenledger_hub_busy_refusals_total')).toBe(before + 1);

    // A push (a sync under way) that arrives after a waiting hello is let in before it.
    const order: string[] = [];
    const opening = hello(hub).then((answer) => order.push(`hello ${answer.status}`));
    await until(async () => (await metric('greenledger_hub_admission_waiting_requests')) === 1);
    const continuing = fetch(new URL(`${SYNC_PATH}/push`, hub.url), { method: 'POST', headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' }, body: '{}' }).then((answer) =>
      order.push(`push ${answer.status}`),
    );
    await until(async () => (await metric('greenledger_hub_admission_waiting_requests')) === 2);
    expect(await metric('greenledger_hub_admission_waiting_requests')).toBe(2);

    // The slot comes free: the waiting requests are handled (a wrong token is 401, not busy), the push first.
    held.destroy();
    await Promise.all([opening, continuing]);
    expect(order).toEqual(['push 401', 'hello 401']);
    await until(async () => (await metric('greenledger_hub_in_flight_requests')) === 0);
    expect((await hello(hub)).status).toBe(401);
  }, 60_000);
});
