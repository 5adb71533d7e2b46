import type { Sql, Storage } from './storage.ts';

/**
 * The hub's change log (sync_changes) stays small: it is partitioned by the month a change was
 * received (native PostgreSQL partitioning, which PGlite has too; no pg_partman), and a month that
 * ends more than the dedupe window ago is compacted: each (branch, client) it holds is folded into
 * sync_change_watermarks as the highest op id it logged, then the month is dropped (or detached, for
 * IT to archive). README.md, "The change log's retention".
 *
 * Why a watermark answers replays correctly forever: a laptop's op ids only grow (the outbox's
 * AUTOINCREMENT) and it pushes FIFO in all-or-nothing pages, so once op N of a client is logged every
 * earlier op of it was logged too. A replayed op at or below the watermark was therefore answered
 * before: it is a duplicate, whatever its age, and never applied twice. Only the first answer's
 * details (its status, conflict, seq) are gone; the laptop's next pull brings the row as it stands.
 */

/** Days a change's first answer is kept: longer than any laptop's outbox is expected to wait. */
export const DEFAULT_DEDUPE_WINDOW_DAYS = 180;
/** Months beyond the current one that always have their partition, so a push never finds none. */
export const MONTHS_AHEAD = 2;
/** How often a running hub maintains the log (creates months ahead, compacts expired ones). */
export const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export type ExpiredMonths = 'drop' | 'detach';

export interface RetentionOptions {
  windowDays: number;
  /** 'drop' (default) deletes an expired month; 'detach' keeps it as a table of its own outside the log. */
  expired: ExpiredMonths;
}

export const defaultRetention: RetentionOptions = { windowDays: DEFAULT_DEDUPE_WINDOW_DAYS, expired: 'drop' };

// Any constant: two hubs on one database take turns maintaining the log.
const MAINTENANCE_LOCK = 7_242_002;

interface Month {
  year: number;
  /** 1–12 */
  month: number;
}

const monthOf = (date: Date): Month => ({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 });
const nextMonth = ({ year, month }: Month): Month => (month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 });
const startOf = ({ year, month }: Month): Date => new Date(Date.UTC(year, month - 1, 1));
const before = (a: Month, b: Month) => a.year < b.year || (a.year === b.year && a.month < b.month);
const partitionName = ({ year, month }: Month) => `sync_changes_y${year}m${String(month).padStart(2, '0')}`;
const PARTITION_NAME = /^sync_changes_y(\d{4})m(\d{2})$/;

/** The months sync_changes has a partition for, oldest first. */
export async function changeLogMonths(sql: Sql): Promise<Month[]> {
  const rows = await sql.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'sync_changes'::regclass",
  );
  return rows
    .map((row) => PARTITION_NAME.exec(row.name))
    .filter((match) => match !== null)
    .map((match) => ({ year: Number(match[1]), month: Number(match[2]) }))
    .sort((a, b) => (before(a, b) ? -1 : 1));
}

/** Creates the monthly partitions from `from`'s month to `to`'s that are missing; returns their names. */
export async function ensureChangeLogMonths(sql: Sql, from: Date, to: Date): Promise<string[]> {
  const have = new Set((await changeLogMonths(sql)).map(partitionName));
  const created: string[] = [];
  for (let month = monthOf(from); !before(monthOf(to), month); month = nextMonth(month)) {
    const name = partitionName(month);
    if (have.has(name)) continue;
    await sql.query(
      `CREATE TABLE ${name} PARTITION OF sync_changes FOR VALUES FROM ('${startOf(month).toISOString()}') TO ('${startOf(nextMonth(month)).toISOString()}')`,
    );
    created.push(name);
  }
  return created;
}

const monthsAhead = (now: Date): Date => {
  let month = monthOf(now);
  for (let i = 0; i < MONTHS_AHEAD; i += 1) month = nextMonth(month);
  return startOf(month);
};

export interface MaintenanceReport {
  created: string[];
  /** Expired months folded into the watermarks and dropped or detached. */
  compacted: string[];
}

/**
 * Keeps the log's months: the current one and MONTHS_AHEAD after it exist, and every month that
 * ended more than `windowDays` before `now` is compacted. Each month in its own transaction.
 */
export async function maintainChangeLog(storage: Storage, options: RetentionOptions, now = new Date()): Promise<MaintenanceReport> {
  const created = await storage.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MAINTENANCE_LOCK]);
    return ensureChangeLogMonths(tx, now, monthsAhead(now));
  });
  const horizon = new Date(now.getTime() - options.windowDays * 24 * 60 * 60 * 1000);
  const compacted: string[] = [];
  for (const month of await changeLogMonths(storage)) {
    // A month is expired once its last change is older than the window.
    if (startOf(nextMonth(month)) > horizon) break;
    const name = partitionName(month);
    const done = await storage.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MAINTENANCE_LOCK]);
      if (!(await changeLogMonths(tx)).some((held) => partitionName(held) === name)) return false; // another hub did it
      // The month's branches wait for this to commit before their next push reads the log: a push
      // whose snapshot came before the watermark but whose read came after the drop would see neither.
      await tx.query(`SELECT branch_id FROM branch_sync WHERE branch_id IN (SELECT DISTINCT branch_id FROM ${name}) ORDER BY branch_id FOR UPDATE`);
      // One row per (branch, client), grouped by branch_id: under Citus a co-located insert … select.
      await tx.query(
        `INSERT INTO sync_change_watermarks AS w (branch_id, client_id, op_id_through, compacted_through)
         SELECT branch_id, client_id, max(op_id), $1::timestamptz FROM ${name} GROUP BY branch_id, client_id
         ON CONFLICT (branch_id, client_id) DO UPDATE SET
           op_id_through = GREATEST(w.op_id_through, EXCLUDED.op_id_through),
           compacted_through = GREATEST(w.compacted_through, EXCLUDED.compacted_through)`,
        [startOf(nextMonth(month)).toISOString()],
      );
      await tx.query(options.expired === 'detach' ? `ALTER TABLE sync_changes DETACH PARTITION ${name}` : `DROP TABLE ${name}`);
      return true;
    });
    if (done) compacted.push(name);
  }
  return { created, compacted };
}

/**
 * Runs maintainChangeLog now and then every MAINTENANCE_INTERVAL_MS until stopped; a failed run is
 * logged and tried again at the next interval (the months ahead leave time for that).
 */
export function scheduleChangeLogMaintenance(storage: Storage, options: RetentionOptions, log: (line: string) => void): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = maintainChangeLog(storage, options)
      .then(({ created, compacted }) => {
        if (created.length > 0 || compacted.length > 0) log(`[hub] change log: created ${created.join(', ') || 'none'}; compacted ${compacted.join(', ') || 'none'} (window ${options.windowDays} days, ${options.expired})`);
      })
      .catch((error: unknown) => log(`[hub] change log maintenance failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  const timer = setInterval(run, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * The data step of migration 0006: the months the old log's changes fall in and the months ahead,
 * then the old rows moved in and the old table dropped (server/migrate.ts runs it after the SQL).
 */
export async function partitionChangeLog(tx: Sql): Promise<void> {
  const [oldest] = await tx.query<{ at: Date | string | null }>('SELECT min(received_at) AS at FROM sync_changes_unpartitioned');
  const now = new Date();
  await ensureChangeLogMonths(tx, oldest?.at == null ? now : new Date(oldest.at), monthsAhead(now));
  const columns = 'branch_id, client_id, op_id, actor, device_id, table_name, row_id, op, fields, prev, base_version, hlc, user_id, at, received_at, status, seq, conflict_id, reason, result';
  await tx.query(`INSERT INTO sync_changes (${columns}) SELECT ${columns} FROM sync_changes_unpartitioned`);
  await tx.query('DROP TABLE sync_changes_unpartitioned');
}
