import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedView } from '../../../shared/api/views.ts';
import { MAX_SAVED_VIEWS } from '../../../shared/api/views.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers } from '../testing.ts';

/** Saved views of a register list through the real dispatch: per user, per register, on this laptop's database. */
const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('saved views (视图)', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  beforeAll(async () => {
    host = await hostWithUsers();
  });
  afterAll(() => host.cleanup());

  const due = { filter: { status: 'active', expiringWithinDays: 30, type: 'emission_right' }, sort: { field: 'registrationExpiresOn', order: 'asc' } } as const;

  it('saves a view under a name, replaces it by name, lists it only to its owner and only for its register, and deletes it', async () => {
    const outbox = () => host.ctx.store.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    const queued = outbox();
    const saved = value<SavedView[]>(await host.dispatch('views.save', { register: 'collateral', name: ' 本月到期排污权 ', state: due }, host.sessions.officer));
    expect(saved).toEqual([{ name: '本月到期排污权', state: due, savedAt: expect.any(String) }]);
    const replaced = value<SavedView[]>(await host.dispatch('views.save', { register: 'collateral', name: '本月到期排污权', state: { ...due, sort: { field: 'pledgedValue', order: 'desc' } } }, host.sessions.officer));
    expect(replaced.map((view) => view.state.sort.field)).toEqual(['pledgedValue']);
    value(await host.dispatch('views.save', { register: 'collateral', name: '待审批', state: { filter: { status: 'submitted' }, sort: { field: 'updatedAt', order: 'asc' } } }, host.sessions.officer));

    expect(value<SavedView[]>(await host.dispatch('views.list', { register: 'collateral' }, host.sessions.officer)).map((view) => view.name)).toEqual(['本月到期排污权', '待审批']); // by pinyin: ben < dai
    // Another person, another register: none of these.
    expect(value<SavedView[]>(await host.dispatch('views.list', { register: 'collateral' }, host.sessions.manager))).toEqual([]);
    expect(value<SavedView[]>(await host.dispatch('views.list', { register: 'loan' }, host.sessions.officer))).toEqual([]);

    expect(value<SavedView[]>(await host.dispatch('views.delete', { register: 'collateral', name: '待审批' }, host.sessions.officer)).map((view) => view.name)).toEqual(['本月到期排污权']);
    // Local to the laptop: never an outbox row (views do not sync).
    expect(outbox()).toBe(queued);
  });

  it('refuses a malformed view and more than the cap', async () => {
    expect(await host.dispatch('views.save', { register: 'Collateral!', name: 'x', state: due }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await host.dispatch('views.save', { register: 'loan', name: 'x', state: { filter: { nested: { a: 1 } }, sort: { field: 'x', order: 'asc' } } }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    for (let i = 0; i < MAX_SAVED_VIEWS; i += 1) value(await host.dispatch('views.save', { register: 'loan', name: `视图${i}`, state: due }, host.sessions.manager));
    expect(await host.dispatch('views.save', { register: 'loan', name: '再一个', state: due }, host.sessions.manager)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ code: 'TOO_MANY_VIEWS' }] } } });
    // Replacing one by name is still allowed at the cap.
    expect((await host.dispatch('views.save', { register: 'loan', name: '视图0', state: due }, host.sessions.manager)).ok).toBe(true);
  });
});
