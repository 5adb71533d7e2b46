import { afterAll, describe, expect, it } from 'vitest';
import { testHost } from './testing.ts';
import { createDispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import { loadMigrations } from '../../db/migrate.ts';

describe('dispatch', () => {
  const host = testHost();
  afterAll(() => host.cleanup());
  const call = { sessionId: 'test' };

  it('answers a valid call with ok and the parsed output', async () => {
    const result = await host.dispatch('app.info', {}, call);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ mode: 'browser', encrypted: true, schemaVersion: loadMigrations().length });
  });

  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    expect(await host.dispatch('users.dropAll', {}, call)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await host.dispatch('__proto__', {}, call)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('answers wrong types with VALIDATION naming the field', async () => {
    const result = await host.dispatch('settings.update', { locale: 42 }, call);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['locale'] }] } } });
    expect(await host.dispatch('settings.update', 'not an object', call)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('turns a handler crash into INTERNAL, logs it, and keeps serving', async () => {
    const broken = createDispatch(host.ctx, {
      ...handlers,
      'app.info': () => {
        throw new Error('disk on fire');
      },
    });
    expect(await broken('app.info', {}, call)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(host.logs.some((line) => line.includes('disk on fire'))).toBe(true);
    expect((await broken('settings.get', {}, call)).ok).toBe(true);
  });

  it('persists settings in the store', async () => {
    expect(await host.dispatch('settings.update', { locale: 'en' }, call)).toMatchObject({ ok: true, value: { locale: 'en' } });
    expect(await host.dispatch('settings.get', {}, call)).toMatchObject({ ok: true, value: { locale: 'en', idleLockMinutes: 15 } });
  });
});
