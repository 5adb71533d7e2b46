import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostWithUsers } from './testing.ts';

type Host = Awaited<ReturnType<typeof hostWithUsers>>;

describe('the host checks who calls before what they sent (L6)', () => {
  let host: Host;
  beforeEach(async () => {
    host = await hostWithUsers();
  });
  afterEach(() => host.cleanup());

  const garbage = { file: { identity: 42 }, extra: 'x'.repeat(10) };

  it('answers a locked session 423 without schema details, whatever the input', async () => {
    host.advance(16 * 60_000);
    const result = await host.dispatch('enterprises.create', garbage, host.sessions.officer);
    expect(result).toEqual({ ok: false, error: { code: 'SESSION_LOCKED', message: expect.any(String) } });
  });

  it('answers no session 401 and a role without the permission 403, before validating', async () => {
    expect(await host.dispatch('enterprises.create', garbage, { sessionId: 'nobody' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(await host.dispatch('enterprises.create', garbage, host.sessions.admin)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    // A caller who may call it still gets the schema's answer.
    expect(await host.dispatch('enterprises.create', garbage, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: expect.any(Array) } } });
  });
});
