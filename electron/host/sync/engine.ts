import {
  enrollResponseSchema,
  helloResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  resolveResponseSchema,
  syncLimits,
  SYNC_PATH,
  PROTOCOL_VERSION,
  type BranchInfo,
  conflictSchema,
  type Change,
  type PullRequest,
  type PullResponse,
  type RowSnapshot,
} from '../../../shared/sync/protocol.ts';
import { prepared, type Db } from '../../../db/open.ts';
import { changeFields, outboxCount, outboxPage, type OutboxRow } from '../../../db/outbox.ts';
import { adoptHubBranch, applyOrQuarantine, applyPullPage, readSyncState, recordRejection, storeConflict, updateSyncState, withoutForeignKeys, type SyncStateRow } from '../../../db/syncState.ts';
import { schemaVersion } from '../../../db/migrate.ts';
import { beginBulkPull, dropPlacedStaging, finishBulkPull, stagePullPage } from '../../../db/bulkPull.ts';
import { adoptAuditAnchor, appendAudit, auditAnchorReport } from '../../../db/audit.ts';
import { defaultRetryPolicy, hubRequest, prepareBody, type HubClientOptions, type PreparedBody, type HubError, type HubResult, type RetryPolicy } from './hubClient.ts';
import { BlobTransportFailure, syncBlobs, type BlobReport, type BlobStore } from './blobs.ts';

export interface SyncDeps {
  db: Db;
  appVersion: string;
  now: () => Date;
  log: (line: string) => void;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** Test hook: called between protocol steps (the fault-injection test kills the process there). */
  onStep?: (step: string) => void;
  /** Rows per pull page (default syncLimits.defaultPullLimit; tests use small pages to get many). */
  pullLimit?: number;
  /** Where attachment files live; without it (bench, fault client) a cycle syncs rows only. */
  blobs?: BlobStore;
  /** How a busy hub (429/503 with Retry-After) is waited out (default defaultRetryPolicy). */
  retry?: RetryPolicy;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  conflicts: number;
  deferred: boolean;
  /** Attachment files sent to and fetched from head office (electron/host/sync/blobs.ts). */
  files?: BlobReport;
  /** Requests sent again after the hub answered busy (429/503 with Retry-After). */
  retries: number;
}

/** The hub client of this laptop; `count` hears of every retry of a busy refusal (besides the policy's own onRetry). */
function clientOptions(deps: SyncDeps, count?: () => void): HubClientOptions & { clientId: string } {
  const policy = deps.retry ?? defaultRetryPolicy;
  const state = readSyncState(deps.db);
  if (state.hub_url === null || state.device_token === null) throw new SyncFailure({ code: 'NOT_ENROLLED', message: 'This laptop is not enrolled with a head-office hub' });
  return {
    baseUrl: state.hub_url,
    token: state.device_token,
    clientId: prepared(deps.db, 'SELECT client_id FROM device').pluck().get() as string,
    ...(deps.fetchImpl === undefined ? {} : { fetchImpl: deps.fetchImpl }),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    retry: {
      ...policy,
      onRetry: (retry) => {
        count?.();
        policy.onRetry?.(retry);
      },
    },
  };
}

export class SyncFailure extends Error {
  constructor(readonly error: HubError) {
    super(error.message);
    this.name = 'SyncFailure';
  }
}

function unwrap<T>(result: HubResult<T>): T {
  if (!result.ok) throw new SyncFailure(result.error);
  return result.value;
}

function toChange(row: OutboxRow): Change {
  return {
    opId: row.op_id,
    table: row.table_name,
    rowId: row.row_id,
    op: row.op,
    fields: changeFields(row) as Change['fields'],
    prev: JSON.parse(row.prev) as Change['prev'],
    baseVersion: row.base_version,
    hlc: row.hlc,
    userId: row.user_id,
    at: row.at,
  };
}

/** Display names of this laptop's users, sent with each change so a held edit can be named on other laptops. */
function userNames(db: Db): Map<string, string> {
  const rows = db.prepare('SELECT id, display_name FROM users').all() as { id: string; display_name: string }[];
  return new Map(rows.map((row) => [row.id, row.display_name.slice(0, 100)]));
}

/** Outbox entries read at a time while a page fills: a page of new files closes at ~900 of them. */
const PAGE_READ_ROWS = 250;

/**
 * The next push page after op id `after`: FIFO, at most maxChangesPerPage and about targetPageBytes
 * of JSON. Read a few hundred entries at a time, so a page of large changes does not decrypt and
 * parse twice the entries it can hold.
 */
function nextPushPage(db: Db, after: number): Change[] {
  const changes: Change[] = [];
  let bytes = 0;
  const names = userNames(db);
  for (let from = after; changes.length < syncLimits.maxChangesPerPage; ) {
    const rows = outboxPage(db, Math.min(PAGE_READ_ROWS, syncLimits.maxChangesPerPage - changes.length), from);
    for (const row of rows) {
      const userName = names.get(row.user_id);
      const change = userName === undefined ? toChange(row) : { ...toChange(row), userName };
      bytes += JSON.stringify(change).length;
      if (changes.length > 0 && bytes > syncLimits.targetPageBytes) return changes;
      changes.push(change);
    }
    if (rows.length < PAGE_READ_ROWS) break;
    from = (rows.at(-1) as OutboxRow).op_id;
  }
  return changes;
}

/** A push page ready to go: its changes and its request body, JSON and gzip done. */
interface ReadyPage {
  changes: Change[];
  body: PreparedBody;
}

function readyPage(db: Db, clientId: string, after: number): ReadyPage | null {
  const changes = nextPushPage(db, after);
  return changes.length === 0 ? null : { changes, body: prepareBody({ clientId, changes }) };
}

/**
 * One sync cycle: hello (versions, clock), push the outbox page by page, then pull from the
 * checkpoint page by page. Every step is resumable: the hub dedupes pushes on (client, op id), and
 * a pull page commits with its checkpoint, so a crash or a cut anywhere loses and duplicates nothing.
 */
export async function syncOnce(deps: SyncDeps): Promise<SyncReport> {
  const { db } = deps;
  const report: SyncReport = { pushed: 0, pulled: 0, conflicts: 0, deferred: false, retries: 0 };
  const client = clientOptions(deps, () => (report.retries += 1));
  const step = deps.onStep ?? (() => {});

  // The audit chain's head is anchored at head office with every hello (db/audit.ts, server/anchors.ts).
  const audit = auditAnchorReport(db);
  // Nothing to push: the first pull page is asked for with the hello, one round trip instead of two
  // (bench sync.noop). A hub that predates this answers without it and the page is pulled as before.
  const pullAsked = outboxCount(db) === 0 ? pullWindow(deps, readSyncState(db)) : undefined;
  const hello = unwrap(
    await hubRequest(
      client,
      `${SYNC_PATH}/hello`,
      {
        protocol: PROTOCOL_VERSION,
        appVersion: deps.appVersion,
        schemaVersion: schemaVersion(db),
        clientId: client.clientId,
        clientTime: deps.now().toISOString(),
        auditHead: audit.head,
        ...(audit.atAnchor === null ? {} : { auditAtAnchor: audit.atAnchor }),
        ...(pullAsked === undefined ? {} : { pull: pullAsked.request }),
      },
      helloResponseSchema,
    ),
  );
  // The skew is kept to the second: its milliseconds are the round trip's jitter, and a new value
  // each hello would make every cycle a write (bench sync.noop). The drift check uses the exact one.
  const skew = Math.round(hello.clockSkewMs);
  const stored = readSyncState(db).clock_skew_ms;
  updateSyncState(db, { ...(stored === null || Math.abs(stored - skew) >= 1000 ? { clock_skew_ms: skew } : {}), hub_branch_name: hello.branch.name });
  adoptAuditAnchor(db, hello.auditAnchor, audit.anchorIntact);
  if (Math.abs(hello.clockSkewMs) > hello.maxDriftMs) {
    throw new SyncFailure({ code: 'CLOCK_DRIFT', message: `This laptop's clock is ${Math.round(hello.clockSkewMs / 60_000)} minutes off head office's`, details: { clockSkewMs: hello.clockSkewMs } });
  }
  step('hello');
  let firstPage = pullAsked !== undefined && hello.pull !== undefined ? { asked: pullAsked, page: hello.pull } : null;

  // Pages go one at a time, each once the hub has answered the one before (it applies them in
  // order), but the laptop's own work overlaps the hub's: the next page is read, encoded and
  // compressed while the hub applies this one, and it goes out before this page's answers are
  // committed here. A crash before that commit resends pages the hub answers as duplicates; the
  // outbox entries of a page leave only with their answers (bench sync.upload).
  const send = (ready: ReadyPage) => {
    step('push:send');
    const answering = hubRequest(client, `${SYNC_PATH}/push`, ready.body, pushResponseSchema);
    answering.catch(() => {}); // awaited below, unless the cycle ends first
    return answering;
  };
  let ready = readyPage(db, client.clientId, 0);
  // A change written since the hello is pushed: the page the hello brought may hold the row as it
  // was before this push, so it is pulled again after it.
  if (ready !== null) firstPage = null;
  let answering = ready === null ? null : send(ready);
  while (ready !== null && answering !== null) {
    const page = ready.changes;
    // Let the request leave before the laptop works on: the next page, then this page's answers.
    await new Promise((resolve) => setImmediate(resolve));
    const next = readyPage(db, client.clientId, (page.at(-1) as Change).opId);
    const answer = unwrap(await answering);
    step('push:answered');
    const answered = new Set(answer.results.map((result) => result.opId));
    if (!page.every((change) => answered.has(change.opId))) throw new SyncFailure({ code: 'HUB_BAD_ANSWER', message: 'The hub did not answer for every change of the page' });
    answering = next === null ? null : send(next);
    if (answering !== null) await new Promise((resolve) => setImmediate(resolve));
    const remove = db.prepare('DELETE FROM outbox WHERE op_id = ?');
    const sent = new Map(page.map((change) => [change.opId, change]));
    const at = deps.now().toISOString();
    db.transaction(() => {
      for (const result of answer.results) {
        remove.run(result.opId);
        // Head office's reason stays with the laptop, for 同步 to say what was not accepted and why.
        if (result.status === 'rejected') recordRejection(db, sent.get(result.opId)!, result, at);
      }
    })();
    report.pushed += page.length;
    report.conflicts += answer.results.filter((r) => r.status === 'conflict').length;
    for (const rejected of answer.results.filter((r) => r.status === 'rejected')) {
      deps.log(`[sync] change ${rejected.opId} rejected by the hub: ${rejected.reason ?? ''} ${(rejected.issues ?? []).map((issue) => `${issue.field}: ${issue.rule ?? ''} ${issue.message}`).join('; ')}`);
    }
    step('push:committed');
    ready = next;
  }

  // A first pull into an empty store stages its pages and places them in one go (db/bulkPull.ts).
  dropPlacedStaging(db);
  const bulk = beginBulkPull(db);
  try {
    await pullPages(deps, client, report, bulk, firstPage);
  } catch (error) {
    // Staged rows are invisible: place what arrived before the failure, so the laptop works with it.
    if (bulk) {
      try {
        finishBulkPull(db, deps.now().toISOString());
      } catch (placing) {
        deps.log(`[sync] placing the rows of an interrupted first pull failed: ${placing instanceof Error ? placing.message : String(placing)}`);
      }
    }
    throw error;
  }
  if (bulk) {
    step('pull:placing');
    finishBulkPull(db, deps.now().toISOString());
    step('pull:placed');
  }
  if (deps.blobs !== undefined) {
    try {
      report.files = await syncBlobs(db, client, deps.blobs, deps.log);
    } catch (error) {
      if (error instanceof BlobTransportFailure) throw new SyncFailure(error.error);
      throw error;
    }
    step('files:done');
  }
  return report;
}

/** What a pull from the stored checkpoint asks for; `held` is the reference versions as stored, to tell whether they moved. */
function pullWindow(deps: SyncDeps, state: SyncStateRow): { request: PullRequest & { since: number; referenceVersions: Record<string, number> }; held: string } {
  return {
    request: { since: state.checkpoint, limit: deps.pullLimit ?? syncLimits.defaultPullLimit, referenceVersions: JSON.parse(state.reference_versions) as Record<string, number> },
    held: state.reference_versions,
  };
}

/**
 * Pulls page by page from the checkpoint. `firstPage`, the page the hello brought, stands for the
 * first request if it answers what that request would ask (the checkpoint and reference versions
 * it was asked with); a page that needs no request has no 'pull:send' step.
 */
async function pullPages(deps: SyncDeps, client: HubClientOptions, report: SyncReport, bulk: boolean, firstPage: { asked: ReturnType<typeof pullWindow>; page: PullResponse } | null): Promise<void> {
  const { db } = deps;
  const step = deps.onStep ?? (() => {});
  const requestPage = (window: PullRequest) => hubRequest(client, `${SYNC_PATH}/pull`, window, pullResponseSchema);
  let prefetched: ReturnType<typeof requestPage> | null = null;
  for (let first = true; ; first = false) {
    const state = readSyncState(db);
    if (outboxCount(db) > 0) {
      report.deferred = true;
      break;
    }
    const window = pullWindow(deps, state);
    const brought = first && firstPage !== null && firstPage.asked.request.since === state.checkpoint && firstPage.asked.held === window.held ? firstPage.page : null;
    if (brought === null) step('pull:send');
    const page = brought ?? unwrap(await (prefetched ?? requestPage(window.request)));
    prefetched = null;
    step('pull:answered');
    if (page.hasMore) {
      // Ask for the next page before writing this one, so the hub prepares it while the laptop
      // writes; it is applied only after this page and its checkpoint have committed.
      const seen = { ...window.request.referenceVersions, ...Object.fromEntries(page.reference.map((set) => [set.name, set.version])) };
      prefetched = requestPage({ ...window.request, since: page.next, referenceVersions: seen });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const outcome = (bulk ? stagePullPage : applyPullPage)(db, page, deps.now().toISOString());
    if (!outcome.applied) {
      report.deferred = true;
      break;
    }
    report.pulled += page.rows.length;
    step('pull:committed');
    if (!page.hasMore) break;
  }
}

export interface EnrollInput {
  hubUrl: string;
  code: string;
  deviceName: string;
}

/** Enrollment: a one-time code from head office buys this laptop a device token for its branch. */
export async function enroll(deps: SyncDeps, input: EnrollInput): Promise<{ branch: BranchInfo }> {
  const { db } = deps;
  const clientId = db.prepare('SELECT client_id FROM device').pluck().get() as string;
  const answer = unwrap(
    await hubRequest(
      { baseUrl: input.hubUrl, ...(deps.fetchImpl === undefined ? {} : { fetchImpl: deps.fetchImpl }), ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }) },
      `${SYNC_PATH}/enroll`,
      { code: input.code, deviceName: input.deviceName, clientId },
      enrollResponseSchema,
    ),
  );
  db.transaction(() => {
    adoptHubBranch(db, answer.branch.id);
    // What another hub (or branch) held says nothing about this one: its files are sent again.
    db.prepare('DELETE FROM blobs_at_hub').run();
    updateSyncState(db, {
      hub_url: input.hubUrl,
      device_id: answer.deviceId,
      device_token: answer.deviceToken,
      hub_branch_id: answer.branch.id,
      hub_branch_name: answer.branch.name,
      revoked_at: null,
      last_error_code: null,
      last_error_message: null,
    });
  })();
  return { branch: answer.branch };
}

export interface ResolveInput {
  conflictId: string;
  choice: 'mine' | 'theirs' | 'edit';
  /** The row version the person saw in the panel (theirs.version): the hub refuses the decision if the row moved on. */
  expectedVersion: number;
  fields?: Record<string, string | number | boolean | null>;
  userId: string;
  userName: string;
}

/**
 * A person's decision on a conflict, applied at the hub and then locally, audited on both sides.
 * Refused by the hub when someone decided first (CONFLICT_ALREADY_RESOLVED: the closed conflict is stored
 * here, so it leaves the panel) or the row moved on since the person looked (ROW_CHANGED): the
 * caller then pulls and shows the new state; a decision is never applied to a row nobody saw.
 */
export async function resolveConflict(deps: SyncDeps, input: ResolveInput): Promise<RowSnapshot> {
  const { db } = deps;
  const client = clientOptions(deps);
  const sent = await hubRequest(
    client,
    `${SYNC_PATH}/conflicts/${encodeURIComponent(input.conflictId)}/resolve`,
    { choice: input.choice, userId: input.userId, expectedVersion: input.expectedVersion, ...(input.fields === undefined ? {} : { fields: input.fields }) },
    resolveResponseSchema,
  );
  if (!sent.ok && sent.error.code === 'CONFLICT_ALREADY_RESOLVED') {
    const closed = conflictSchema.safeParse(sent.error.details?.conflict);
    if (closed.success) storeConflict(db, closed.data);
  }
  const answer = unwrap(sent);
  const at = deps.now().toISOString();
  withoutForeignKeys(db, () => db.transaction(() => {
    storeConflict(db, answer.conflict);
    applyOrQuarantine(db, answer.row, at);
    appendAudit(db, {
      at,
      userId: input.userId,
      userName: input.userName,
      action: 'conflict_resolved',
      recordType: answer.conflict.table,
      recordId: answer.conflict.rowId,
      before: answer.conflict.theirs.fields,
      after: { choice: input.choice, ...(answer.conflict.resolution?.fields ?? {}) },
    });
  })());
  return answer.row;
}
