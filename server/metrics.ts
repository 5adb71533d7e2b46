import type { ChangeStatus } from '../shared/sync/protocol.ts';
import type { Sql } from './storage.ts';
import type { InFlightLimit } from './backpressure.ts';

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

  /** Prometheus text exposition format 0.0.4. */
  async render(sql: Sql): Promise<string> {
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
    metric('greenledger_hub_uptime_seconds', 'gauge', 'Seconds since the hub started.', [['', Math.round((Date.now() - this.started) / 1000)]]);
    metric('greenledger_hub_pushes_total', 'counter', 'Push pages accepted.', [['', this.pushes]]);
    metric('greenledger_hub_pulls_total', 'counter', 'Pull pages served.', [['', this.pulls]]);
    metric('greenledger_hub_pulls_read_ahead_total', 'counter', 'Pull pages served from a page prepared ahead.', [['', this.pullsReadAhead]]);
    metric('greenledger_hub_blobs_stored_total', 'counter', 'Attachment files stored.', [['', this.blobsStored]]);
    metric('greenledger_hub_blobs_served_total', 'counter', 'Attachment files sent to devices.', [['', this.blobsServed]]);
    metric(
      'greenledger_hub_changes_total',
      'counter',
      'Pushed changes by outcome.',
      Object.entries(this.changes).map(([status, count]) => [label('status', status), count]),
    );
    metric('greenledger_hub_conflicts_total', 'counter', 'Conflicts recorded.', [['', this.changes.conflict]]);
    metric('greenledger_hub_conflicts_resolved_total', 'counter', 'Conflicts resolved.', [['', this.conflictsResolved]]);
    metric('greenledger_hub_enrollments_total', 'counter', 'Devices enrolled.', [['', this.enrollments]]);
    metric('greenledger_hub_reference_published_total', 'counter', 'Reference set versions published.', [['', this.referencePublished]]);
    if (this.inFlight !== undefined) {
      metric('greenledger_hub_in_flight_requests', 'gauge', 'Device requests being handled now.', [['', this.inFlight.inFlight]]);
      metric('greenledger_hub_in_flight_peak', 'gauge', 'The most device requests handled at once since start.', [['', this.inFlight.peak]]);
      metric('greenledger_hub_in_flight_limit', 'gauge', 'Device requests handled at once before the hub answers 429 busy.', [['', this.inFlight.max]]);
      metric('greenledger_hub_busy_refusals_total', 'counter', 'Device requests refused with 429 busy and Retry-After.', [['', this.inFlight.refused]]);
    }
    metric('greenledger_hub_errors_total', 'counter', 'Refused or failed requests by error code.', [...this.errors].map(([code, count]) => [label('code', code), count]));
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
