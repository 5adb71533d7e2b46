import { create } from 'zustand';
import type { SyncStatus } from '../../../shared/api/index.ts';

/**
 * The one copy of the sync status the renderer shows: the header indicator and the 同步 page read
 * it and every fetch (poll, 立即同步, enrolling) writes it, so the two never disagree.
 */
export const useSyncStatus = create<{ status: SyncStatus | null; setStatus: (status: SyncStatus) => void }>((set) => ({
  status: null,
  setStatus: (status) => set({ status }),
}));

export interface SyncHeadline {
  key: 'notEnrolled' | 'failedAt' | 'toDecide' | 'firstPull' | 'pending' | 'synced';
  params: Record<string, string | number>;
  tone: 'default' | 'warning' | 'success';
}

/**
 * The status in one line. A failed last attempt says so with its time, whatever else is true; then
 * a conflict this laptop is to decide (「1 个冲突待处理」), never 已同步 beside it. 已同步 only when
 * the last attempt succeeded and nothing waits here (another laptop's held edit is decided there).
 */
export function syncHeadline(status: SyncStatus, formatInstant: (iso: string) => string): SyncHeadline {
  const pending = status.pendingChanges;
  if (!status.enrolled) return { key: 'notEnrolled', params: { count: pending }, tone: 'default' };
  if (status.lastError !== null || status.revoked) {
    return { key: 'failedAt', params: { at: status.lastAttemptAt === null ? '—' : formatInstant(status.lastAttemptAt), count: pending }, tone: 'warning' };
  }
  if (status.conflictsToDecide > 0) return { key: 'toDecide', params: { count: status.conflictsToDecide }, tone: 'warning' };
  if (status.firstPull !== null) return { key: 'firstPull', params: { count: status.firstPull.received }, tone: 'success' };
  if (pending > 0) return { key: 'pending', params: { count: pending }, tone: 'success' };
  return { key: 'synced', params: {}, tone: 'success' };
}
