import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/api/index.ts';
import { syncHeadline } from './syncStatus.ts';

const healthy: SyncStatus = {
  enrolled: true,
  hubUrl: 'http://127.0.0.1:8787',
  branchName: '浮梁县支行',
  running: false,
  lastAttemptAt: '2026-12-01T08:00:00.000Z',
  lastSuccessAt: '2026-12-01T08:00:00.000Z',
  lastError: null,
  nextAttemptAt: null,
  pendingChanges: 0,
  openConflicts: 0,
  conflictsToDecide: 0,
  quarantined: 0,
  rejected: 0,
  clockSkewMs: 0,
  revoked: false,
  firstPull: null,
  referenceSets: [],
};
const at = (iso: string) => `[${iso}]`;

describe('syncHeadline', () => {
  it('says 已同步 only when the last attempt succeeded and nothing waits', () => {
    expect(syncHeadline(healthy, at)).toEqual({ key: 'synced', params: {}, tone: 'success' });
    expect(syncHeadline({ ...healthy, pendingChanges: 3 }, at)).toMatchObject({ key: 'pending', params: { count: 3 } });
  });

  it('says when the last sync failed while the hub is down, even with nothing waiting', () => {
    const down = { ...healthy, lastAttemptAt: '2026-12-01T09:00:00.000Z', lastError: { code: 'HUB_UNREACHABLE', message: 'Cannot reach' } };
    expect(syncHeadline(down, at)).toEqual({ key: 'failedAt', params: { at: '[2026-12-01T09:00:00.000Z]', count: 0 }, tone: 'warning' });
    expect(syncHeadline({ ...down, pendingChanges: 2 }, at)).toMatchObject({ key: 'failedAt', params: { count: 2 } });
    expect(syncHeadline({ ...healthy, revoked: true }, at).key).toBe('failedAt');
  });

  it('says a conflict waits to be decided here instead of 已同步, and 已同步 while the only conflict is another laptop’s to decide', () => {
    expect(syncHeadline({ ...healthy, openConflicts: 1, conflictsToDecide: 1 }, at)).toEqual({ key: 'toDecide', params: { count: 1 }, tone: 'warning' });
    expect(syncHeadline({ ...healthy, openConflicts: 2, conflictsToDecide: 2, pendingChanges: 3 }, at)).toMatchObject({ key: 'toDecide', params: { count: 2 } });
    expect(syncHeadline({ ...healthy, openConflicts: 1, conflictsToDecide: 0 }, at)).toEqual({ key: 'synced', params: {}, tone: 'success' });
    // A failed attempt is still said first.
    expect(syncHeadline({ ...healthy, conflictsToDecide: 1, lastError: { code: 'HUB_UNREACHABLE', message: '' } }, at).key).toBe('failedAt');
  });

  it('names a laptop not enrolled and a first pull under way', () => {
    expect(syncHeadline({ ...healthy, enrolled: false, pendingChanges: 4 }, at)).toMatchObject({ key: 'notEnrolled', params: { count: 4 } });
    expect(syncHeadline({ ...healthy, firstPull: { received: 120 } }, at)).toMatchObject({ key: 'firstPull', params: { count: 120 } });
  });
});
