import type { SyncStatus } from '../../../shared/api/operations.ts';
import type { BranchInfo } from '../../../shared/sync/protocol.ts';
import type { Db } from '../../../db/open.ts';
import { outboxCount } from '../../../db/outbox.ts';
import { readSyncState, updateSyncState } from '../../../db/syncState.ts';
import { listReferenceSets } from '../../../db/reference.ts';
import { firstPullReceived } from '../../../db/bulkPull.ts';
import { conflictsToDecide } from './conflictHolder.ts';
import type { RowSnapshot } from '../../../shared/sync/protocol.ts';
import { enroll, resolveConflict, syncOnce, SyncFailure, type EnrollInput, type ResolveInput, type SyncDeps } from './engine.ts';

/** Sync every minute while things go well; back off to 15 minutes while the hub cannot be reached. */
export const SYNC_INTERVAL_MS = 60_000;
export const MAX_BACKOFF_MS = 15 * 60_000;
const FIRST_RUN_DELAY_MS = 3_000;

export interface SyncServiceOptions extends Omit<SyncDeps, 'db'> {
  /** The store can be replaced by a restore, so the service asks for the current one each time. */
  db: () => Db;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
  clearTimer?: (handle: unknown) => void;
}

/**
 * Runs sync in the background of the host: on a schedule with exponential backoff, and at once on
 * 「立即同步」. One run at a time; a failure is recorded for the status area and never surfaces as
 * an error in the officer's work — the local store is always the source of truth for the laptop.
 */
export class SyncService {
  private current: Promise<void> | null = null;
  private timer: unknown = null;
  private nextAttemptAt: Date | null = null;
  /** Until start(): a host without background work (tests, the CLI) never schedules runs. */
  private stopped = true;

  constructor(private readonly options: SyncServiceOptions) {}

  private deps(): SyncDeps {
    return { ...this.options, db: this.options.db() };
  }

  start(): void {
    this.stopped = false;
    const state = readSyncState(this.options.db());
    if (state.device_token !== null && state.revoked_at === null) this.schedule(FIRST_RUN_DELAY_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as NodeJS.Timeout);
    this.timer = null;
    this.nextAttemptAt = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as NodeJS.Timeout);
    this.nextAttemptAt = new Date(this.options.now().getTime() + ms);
    const handle = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      void this.runNow();
    }, ms);
    handle.unref?.();
    this.timer = handle;
  }

  /** Runs a cycle now, or joins the one under way. */
  runNow(): Promise<void> {
    this.current ??= this.run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async run(): Promise<void> {
    const db = this.options.db();
    const state = readSyncState(db);
    if (state.device_token === null || state.revoked_at !== null) return;
    updateSyncState(db, { last_attempt_at: this.options.now().toISOString() });
    try {
      const report = await syncOnce(this.deps());
      updateSyncState(this.options.db(), { last_success_at: this.options.now().toISOString(), last_error_code: null, last_error_message: null, consecutive_failures: 0 });
      if (report.pushed + report.pulled > 0) this.options.log(`[sync] pushed ${report.pushed}, pulled ${report.pulled}, conflicts ${report.conflicts}`);
      // Changes made while we pulled wait for the next cycle; make it soon.
      this.schedule(report.deferred ? FIRST_RUN_DELAY_MS : SYNC_INTERVAL_MS);
    } catch (error) {
      const failure = error instanceof SyncFailure ? error.error : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
      const failures = readSyncState(this.options.db()).consecutive_failures + 1;
      updateSyncState(this.options.db(), {
        last_error_code: failure.code,
        last_error_message: failure.message.slice(0, 500),
        consecutive_failures: failures,
        ...(failure.code === 'DEVICE_REVOKED' ? { revoked_at: this.options.now().toISOString() } : {}),
      });
      this.options.log(`[sync] ${failure.code}: ${failure.message}`);
      if (failure.code === 'DEVICE_REVOKED') return this.stop();
      this.schedule(Math.min(MAX_BACKOFF_MS, SYNC_INTERVAL_MS * 2 ** Math.min(failures - 1, 10)));
    }
  }

  /**
   * Enrolls and, unless told otherwise, syncs at once. Joining a branch at first run enrolls
   * before the administrator exists and syncs once they do (electron/host/handlers/identity.ts).
   */
  async enroll(input: EnrollInput, options: { sync: boolean } = { sync: true }): Promise<BranchInfo> {
    const { branch } = await enroll(this.deps(), input);
    if (options.sync) await this.runNow();
    return branch;
  }

  /**
   * A decision refused because the conflict or its row moved on is followed by a sync cycle, so the
   * panel the person looks at next shows what head office holds now; the refusal still reaches them.
   */
  async resolve(input: ResolveInput): Promise<RowSnapshot> {
    try {
      return await resolveConflict(this.deps(), input);
    } catch (error) {
      if (error instanceof SyncFailure && (error.error.code === 'ROW_CHANGED' || error.error.code === 'CONFLICT_ALREADY_RESOLVED')) await this.runNow();
      throw error;
    }
  }

  status(): SyncStatus {
    const db = this.options.db();
    const state = readSyncState(db);
    return {
      enrolled: state.device_token !== null,
      hubUrl: state.hub_url,
      branchName: state.hub_branch_name,
      running: this.current !== null,
      lastAttemptAt: state.last_attempt_at,
      lastSuccessAt: state.last_success_at,
      lastError: state.last_error_code === null ? null : { code: state.last_error_code, message: state.last_error_message ?? '' },
      nextAttemptAt: this.nextAttemptAt?.toISOString() ?? null,
      pendingChanges: outboxCount(db),
      openConflicts: db.prepare(`SELECT count(*) FROM sync_conflicts WHERE status = 'open'`).pluck().get() as number,
      conflictsToDecide: conflictsToDecide(db),
      quarantined: db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get() as number,
      rejected: db.prepare('SELECT count(*) FROM sync_rejections').pluck().get() as number,
      clockSkewMs: state.clock_skew_ms,
      revoked: state.revoked_at !== null,
      firstPull: ((received) => (received === null ? null : { received }))(firstPullReceived(db)),
      referenceSets: listReferenceSets(db),
    };
  }
}
