import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadOfficeUser, type HeadOfficeUser } from './headOfficeUsers.ts';
import { CONSOLE_IDLE_MS, CONSOLE_MAX_MS, CONSOLE_TOUCH_MS, HEAD_OFFICE_COOKIE, HeadOfficeSessions } from './headOfficeSession.ts';
import { migrateHub } from './migrate.ts';
import type { Storage } from './storage.ts';
import { testStorages } from './testing/storages.ts';

/** A request as fastify hands it over: only the cookie header is read. */
const requestWith = (setCookie: string): FastifyRequest => ({ headers: { cookie: setCookie.split(';')[0] } }) as unknown as FastifyRequest;

describe.each(testStorages())('head-office sessions on $name, shared by two hub processes', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let user: HeadOfficeUser;
  let now = Date.parse('2026-12-07T09:00:00Z');
  const clock = () => now;
  // Two instances on one database, as two hub processes (HEADOFFICE_WORKERS=2) hold them.
  let first: HeadOfficeSessions;
  let second: HeadOfficeSessions;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    await migrateHub(storage);
    user = await createHeadOfficeUser(storage, { userId: null, userName: null }, { username: `ho.sessions.${Date.now()}`, displayName: '会话测试', role: 'ho_viewer', password: 'Passw0rd-sessions', approvalLimitFen: null });
    first = new HeadOfficeSessions(storage, false, clock);
    second = new HeadOfficeSessions(storage, false, clock);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('a sign-in on one process is known on the other, with its CSRF token, and a sign-out on either ends it on both', async () => {
    const { setCookie, csrfToken } = await first.start(user);
    expect(setCookie).toMatch(new RegExp(`^${HEAD_OFFICE_COOKIE}=[A-Za-z0-9_-]{43}; Path=/console; HttpOnly; SameSite=Strict$`));
    const elsewhere = await second.signedIn(requestWith(setCookie));
    expect(elsewhere?.user.id).toBe(user.id);
    expect(elsewhere?.session.csrfToken).toBe(csrfToken);
    // Only a hash of the cookie's id is stored: the table holds nothing that signs anyone in.
    const stored = await storage.query<{ id_hash: string }>('SELECT id_hash FROM head_office_sessions WHERE user_id = $1', [user.id]);
    const id = setCookie.split(';')[0]!.split('=')[1]!;
    expect(stored.map((row) => row.id_hash)).not.toContain(id);
    await second.end(elsewhere!.id);
    expect(await first.signedIn(requestWith(setCookie))).toBeUndefined();
  });

  it('ends after the idle time without a request, and at the latest the maximum time after sign-in', async () => {
    const { setCookie } = await first.start(user);
    now += CONSOLE_IDLE_MS - 1_000;
    expect(await second.signedIn(requestWith(setCookie))).toBeDefined(); // activity: the idle time starts again
    now += CONSOLE_IDLE_MS - 1_000;
    expect(await first.signedIn(requestWith(setCookie))).toBeDefined();
    now += CONSOLE_IDLE_MS + 1_000;
    expect(await first.signedIn(requestWith(setCookie))).toBeUndefined();

    const busy = await first.start(user);
    const started = now;
    while (now - started < CONSOLE_MAX_MS - CONSOLE_IDLE_MS) {
      now += CONSOLE_IDLE_MS - 60_000;
      expect(await second.signedIn(requestWith(busy.setCookie))).toBeDefined();
    }
    now = started + CONSOLE_MAX_MS + 1_000;
    expect(await second.signedIn(requestWith(busy.setCookie))).toBeUndefined();
  });

  it('writes a session\'s last activity at most once a touch interval: page views in between only read', async () => {
    const { setCookie } = await first.start(user);
    const idHash = (await storage.query<{ id_hash: string }>('SELECT id_hash FROM head_office_sessions WHERE user_id = $1 ORDER BY started_at DESC LIMIT 1', [user.id]))[0]!.id_hash;
    const lastSeen = async () => (await storage.query<{ at: string }>("SELECT to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') AS at FROM head_office_sessions WHERE id_hash = $1", [idHash]))[0]!.at;
    const signedInAt = await lastSeen();
    now += CONSOLE_TOUCH_MS - 1_000;
    expect(await second.signedIn(requestWith(setCookie))).toBeDefined();
    expect(await lastSeen()).toBe(signedInAt);
    now += 2_000;
    expect(await first.signedIn(requestWith(setCookie))).toBeDefined();
    expect(await lastSeen()).toBe(new Date(now).toISOString().slice(0, 19));
  });

  it('refuses a cookie it never issued, and prunes expired sessions at the next sign-in', async () => {
    expect(await first.signedIn(requestWith(`${HEAD_OFFICE_COOKIE}=not-a-session`))).toBeUndefined();
    expect(await first.signedIn(requestWith(`${HEAD_OFFICE_COOKIE}=`))).toBeUndefined();
    await first.start(user);
    now += CONSOLE_MAX_MS + 1_000;
    await second.start(user);
    const [left] = await storage.query<{ n: number }>('SELECT count(*)::int AS n FROM head_office_sessions WHERE user_id = $1', [user.id]);
    expect(left?.n).toBe(1);
  });

  it('a disabled account is signed out on every process at its next request', async () => {
    const { setCookie } = await first.start(user);
    await storage.query('UPDATE head_office_users SET disabled = true WHERE user_id = $1', [user.id]);
    expect(await second.signedIn(requestWith(setCookie))).toBeUndefined();
    await storage.query('UPDATE head_office_users SET disabled = false WHERE user_id = $1', [user.id]);
    expect(await first.signedIn(requestWith(setCookie))).toBeUndefined(); // the session ended with the refusal
  });
});
