import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testHost, type TestHost } from '../testing.ts';

// Found by the fuzz harness (fuzz/hostApi.ts): a date of the right digits but no calendar day
// (2026-13-45) passed the filter's pattern and threw in the handler's date arithmetic: a 500.
describe('audit filter dates', () => {
  let host: TestHost;
  const admin = { sessionId: 'admin' };

  beforeEach(async () => {
    host = testHost();
    await host.dispatch(
      'setup.initialize',
      { branch: { name: '浮梁县支行', code: '36022201', divisionCode: '360222' }, admin: { username: 'admin', displayName: '管理员', password: 'Admin2026ok' } },
      admin,
    );
  });
  afterEach(() => host.cleanup());

  it('refuses a date that is no calendar day as VALIDATION, for the list and the export', async () => {
    for (const method of ['audit.list', 'audit.export'] as const) {
      for (const filter of [{ from: '2026-13-45' }, { to: '3290-58-89' }, { from: '2025-02-29' }]) {
        expect(await host.dispatch(method, filter, admin)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      }
    }
    expect(await host.dispatch('audit.list', { from: '2026-01-01', to: '2026-12-31' }, admin)).toMatchObject({ ok: true });
  });

  it('answers a history for a record type named like an Object method (found by the fuzz harness: it was a 500)', async () => {
    for (const recordType of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(await host.dispatch('records.history', { recordType, recordId: 'x' }, admin)).toMatchObject({ ok: true, value: [] });
    }
  });
});
