import type { ChangeStatus } from '../shared/sync/protocol.ts';
import type { Sql } from './storage.ts';
import type { InFlightLimit } from './backpressure.ts';

/** One hub process's counters, as /metrics shows them (summed over the processes, server/cluster.ts). */
export interface MetricCounters {
  /** How many hub processes these counters sum (1, or HEADOFFICE_WORKERS's that answered). */
  processes: number;
  uptimeSeconds: number;
  pushes: number;
  pulls: number;
  pullsReadAhead: number;
  blobsStored: number;
  blobsServed: number;
  enrollments: number;
  conflictsResolved: number;
  referencePublished: number;
  changes: Record<ChangeStatus, number>;
  errors: Record<string, number>;
  inFlight: { now: number; peak: number; max: number; refused: number; waiting: number; queued: number; queuePeak: number; waitedMsTotal: number; waitedMsMax: number } | null;
}

/**
 * Several processes' counters as one hub's: counts and limits add up; the uptime is the longest (the
 * hub is up while any process is); the peak adds each process's own peak, an upper bound.
 */
export function sumCounters(all: readonly MetricCounters[]): MetricCounters {
  const [first, ...rest] = all;
  if (first === undefined) throw new Error('No counters to sum');
  const sum: MetricCounters = structuredClone(first);
  for (const next of rest) {
    sum.uptimeSeconds = Math.max(sum.uptimeSeconds, next.uptimeSeconds);
    for (const key of ['processes', 'pushes', 'pulls', 'pullsReadAhead', 'blobsStored', 'blobsServed', 'enrollments', 'conflictsResolved', 'referencePublished'] as const) sum[key] += next[key];
    for (const [status, count] of Object.entries(next.changes) as [ChangeStatus, number][]) sum.changes[status] += count;
    for (const [code, count] of Object.entries(next.errors)) sum.errors[code] = (sum.errors[code] ?? 0) + count;
    if (next.inFlight !== null) {
      const own = sum.inFlight ?? { now: 0, peak: 0, max: 0, refused: 0, waiting: 0, queued: 0, queuePeak: 0, waitedMsTotal: 0, waitedMsMax: 0 };
      const add = (key: Exclude<keyof typeof own, 'waitedMsMax'>) => own[key] + (next.inFlight?.[key] ?? 0);
      sum.inFlight = {
        now: add('now'),
        peak: add('peak'),
        max: add('max'),
        refused: add('refused'),
        waiting: add('waiting'),
        queued: add('queued'),
        queuePeak: add('queuePeak'),
        waitedMsTotal: add('waitedMsTotal'),
        waitedMsMax: Math.max(own.waitedMsMax, next.inFlight.waitedMsMax),
      };
    }
  }
  return sum;
}

/** Counters since start, plus per-branch gauges read from the database at scrape time. */
export class HubMetrics {
  pushes = 0;
  pulls = 0;
  /** Pull pages answered from a page prepared ahead (server/readAhead.ts). */
  pullsReadAhead = 0;
  blobsStored = 0;
  blobsServed = 0;
  enrollments = 0;
  conflictsResolved = 0;
  referencePublished = 0;
  readonly changes: Record<ChangeStatus, number> = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
  readonly errors = new Map<string, number>();
  /** The device API's in-flight limit, for its gauges (set by createHub). */
  inFlight: InFlightLimit | undefined;
  private readonly started = Date.now();

  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** This process's counters now. */
  counters(): MetricCounters {
    return {
      processes: 1,
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
      pushes: this.pushes,
      pulls: this.pulls,
      pullsReadAhead: this.pullsReadAhead,
      blobsStored: this.blobsStored,
      blobsServed: this.blobsServed,
      enrollments: this.enrollments,
      conflictsResolved: this.conflictsResolved,
      referencePublished: this.referencePublished,
      changes: { ...this.changes },
      errors: Object.fromEntries(this.errors),
      inFlight:
        this.inFlight === undefined
          ? null
          : {
              now: this.inFlight.inFlight,
              peak: this.inFlight.peak,
              max: this.inFlight.max,
              refused: this.inFlight.refused,
              waiting: this.inFlight.waiting,
              queued: this.inFlight.queued,
              queuePeak: this.inFlight.queuePeak,
              waitedMsTotal: Math.round(this.inFlight.waitedMsTotal),
              waitedMsMax: Math.round(this.inFlight.waitedMsMax),
            },
    };
  }

  /** Prometheus text exposition format 0.0.4: `counters` are this process's, or every process's summed. */
  async render(sql: Sql, counters: MetricCounters = this.counters()): Promise<string> {
    const branches = await sql.query<{ code: string; last_sync_at: unknown; open_conflicts: number | string; last_seq: number | string }>(
      `SELECT b.code,
              (SELECT max(d.last_sync_at) FROM devices d WHERE d.branch_id = b.branch_id) AS last_sync_at,
              (SELECT count(*) FROM sync_conflicts c WHERE c.branch_id = b.branch_id AND c.status = 'open') AS open_conflicts,
              s.last_seq
       FROM branches b JOIN branch_sync s ON s.branch_id = b.branch_id ORDER BY b.code`,
    );
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const label = (name: string, value: string) => `{${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"}`;
    metric('greenledger_hub_uptime_seconds', 'gauge', 'Seconds since the hub started.', [['', counters.uptimeSeconds]]);
    metric('greenledger_hub_processes', 'gauge', 'Hub processes whose counters the counters below sum.', [['', counters.processes]]);
    metric('greenledger_hub_pushes_total', 'counter', 'Push pages accepted.', [['', counters.pushes]]);
    metric('greenledger_hub_pulls_total', 'counter', 'Pull pages served.', [['', counters.pulls]]);
    metric('greenledger_hub_pulls_read_ahead_total', 'counter', 'Pull pages served from a page prepared ahead.', [['', counters.pullsReadAhead]]);
    metric('greenledger_hub_blobs_stored_total', 'counter', 'Attachment files stored.', [['', counters.blobsStored]]);
    metric('greenledger_hub_blobs_served_total', 'counter', 'Attachment files sent to devices.', [['', counters.blobsServed]]);
    metric(
      'greenledger_hub_changes_total',
      'counter',
      'Pushed changes by outcome.',
      Object.entries(counters.changes).map(([status, count]) => [label('status', status), count]),
    );
    metric('greenledger_hub_conflicts_total', 'counter', 'Conflicts recorded.', [['', counters.changes.conflict]]);
    metric('greenledger_hub_conflicts_resolved_total', 'counter', 'Conflicts resolved.', [['', counters.conflictsResolved]]);
    metric('greenledger_hub_enrollments_total', 'counter', 'Devices enrolled.', [['', counters.enrollments]]);
    metric('greenledger_hub_reference_published_total', 'counter', 'Reference set versions published.', [['', counters.referencePublished]]);
    if (counters.inFlight !== null) {
      metric('greenledger_hub_in_flight_requests', 'gauge', 'Device requests being handled now.', [['', counters.inFlight.now]]);
      metric('greenledger_hub_in_flight_peak', 'gauge', 'The most device requests handled at once since start.', [['', counters.inFlight.peak]]);
      metric('greenledger_hub_in_flight_limit', 'gauge', 'Device requests handled at once; more wait in the admission queue or are answered 429 busy.', [['', counters.inFlight.max]]);
      metric('greenledger_hub_busy_refusals_total', 'counter', 'Device requests refused with 429 busy and Retry-After.', [['', counters.inFlight.refused]]);
      metric('greenledger_hub_admission_waiting_requests', 'gauge', 'Device requests waiting for a slot now.', [['', counters.inFlight.waiting]]);
      metric('greenledger_hub_admission_queued_total', 'counter', 'Device requests that waited for a slot.', [['', counters.inFlight.queued]]);
      metric('greenledger_hub_admission_waiting_peak', 'gauge', 'The most device requests waiting for a slot at once since start.', [['', counters.inFlight.queuePeak]]);
      metric('greenledger_hub_admission_wait_ms_total', 'counter', 'Milliseconds device requests waited for a slot, summed.', [['', counters.inFlight.waitedMsTotal]]);
      metric('greenledger_hub_admission_wait_ms_max', 'gauge', 'The longest a device request waited for a slot since start (ms).', [['', counters.inFlight.waitedMsMax]]);
    }
    metric('greenledger_hub_errors_total', 'counter', 'Refused or failed requests by error code.', Object.entries(counters.errors).map(([code, count]) => [label('code', code), count]));
    metric(
      'greenledger_hub_branch_last_sync_timestamp_seconds',
      'gauge',
      'Unix time of the last push or pull by any device of the branch (0: never).',
      branches.map((branch) => [label('branch', branch.code), branch.last_sync_at === null ? 0 : Math.floor(new Date(branch.last_sync_at as string | Date).getTime() / 1000)]),
    );
    metric('greenledger_hub_branch_open_conflicts', 'gauge', 'Conflicts waiting for a person in the branch.', branches.map((branch) => [label('branch', branch.code), Number(branch.open_conflicts)]));
    metric('greenledger_hub_branch_last_seq', 'gauge', 'Server sequence of the last change of the branch.', branches.map((branch) => [label('branch', branch.code), Number(branch.last_seq)]));
    return `${lines.join('\n')}\n`;
  }
}
