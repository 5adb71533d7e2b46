import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seededRandom } from '../shared/domain/testing.ts';

/**
 * What a scenario hands back. `samples` are durations in milliseconds of whatever unit the scenario
 * times (one batch, one lookup, one request…); the harness derives p50/p95 from them.
 */
export interface Measurement {
  /** Durations in ms, one per timed unit. Sorted or not: the harness sorts a copy. */
  samples: number[];
  /** Throughput in the scenario's own unit (rows/s, lookups/s, ops/s), over the whole timed loop. */
  perSecond: number;
  /** One short line for the printed table (what a sample is, sizes, pragmas). */
  notes?: string;
  /** Extra fields copied into latest.json next to p50_ms etc. (snake_case keys please). */
  extra?: Record<string, string | number | boolean>;
}

export interface BenchContext {
  /** A path inside this scenario's own temp directory; the directory is deleted after the scenario. */
  tempFile(name: string): string;
  /** A fresh random 32-byte database key, hex (what the product's key store would hold). */
  newKeyHex(): string;
  /**
   * Seeded PRNG in [0, 1), reset to the same seed for every scenario: a scenario and its baseline draw
   * the same "random" ids in the same order, so they do the same work.
   */
  random(): number;
  /** Progress to stderr (the table and JSON stay clean). */
  log(message: string): void;
  /** Filesystem type of the temp directory (ext4, tmpfs, …): fsync costs depend on it. */
  readonly tempFs: string;
}

export interface Scenario {
  /** Dotted name, e.g. `baseline.insert`, `audit.mutations`; the CLI selects by prefix of it. */
  name: string;
  /**
   * Name of the scenario this one is compared to. Omitted: the scenario IS a baseline (ratio 1 to itself).
   * Whenever a scenario runs, its baseline (and the baseline's baseline…) is measured first in the same
   * process, because only ratios taken within one run mean anything on these noisy machines.
   */
  baseline?: string;
  run(ctx: BenchContext): Measurement | Promise<Measurement>;
}

export interface ScenarioResult {
  name: string;
  baseline: string;
  p50_ms: number;
  p95_ms: number;
  per_s: number;
  /**
   * p50 of this scenario / p50 of its baseline, both measured in this run.
   * > 1 means SLOWER than the baseline (1.8 = each unit takes 1.8× as long); < 1 means faster.
   * A baseline's ratio to itself is 1. Compare per_s for throughput.
   */
  ratio_to_baseline: number;
  samples: number;
  seconds: number;
  notes: string;
  extra: Record<string, string | number | boolean>;
}

// ---------------------------------------------------------------------------------------------------
// Timing helpers

/** Monotonic clock in ms (fractional, ns resolution). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * A full garbage collection, so garbage left by set-up (200k generated rows, a previous scenario) is not
 * collected inside the next timed loop. `--expose-gc` is switched on at runtime: `npm run bench` stays a
 * plain `node --import tsx` command.
 */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : () => {};
})();

/**
 * Calls `fn(i)` for i = 0…n-1 and times each call with process.hrtime.bigint, after a full GC.
 * Returns the durations in ms, sorted ascending. The clock reads themselves cost ~30–70 ns per sample (measured here),
 * which is included: negligible for batches, a few % for micro-second lookups.
 */
export function measureEach(n: number, fn: (i: number) => void): number[] {
  const durations = timeEach(n, fn);
  durations.sort();
  return Array.from(durations);
}

/** measureEach's timing, in call order: durations[i] is call i's, for a breakdown by what call i was. */
export function timeEach(n: number, fn: (i: number) => void): Float64Array {
  collectGarbage();
  const durations = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    durations[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return durations;
}

/** Untimed calls so the JIT, SQLite's page cache and the OS caches are warm before measuring. */
export function warmUp(n: number, fn: (i: number) => void): void {
  for (let i = 0; i < n; i++) fn(i);
}

/** Nearest-rank percentile (p in 0…100) of an ascending array. */
export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, rank - 1))]!;
}

/** mulberry32 (shared with the tests that draw random plans): tiny, fast, seedable; good enough to pick rows. */
export { seededRandom };

// ---------------------------------------------------------------------------------------------------
// Selection and running

const SEED = 20250101;

/**
 * The scenarios to run for these prefixes, baselines included, in run order: every baseline before
 * the scenarios compared to it (roots first, then by depth; registry order otherwise).
 * No prefixes = everything. Throws on an unknown prefix, a duplicate name or a dangling baseline.
 */
export function plan(registry: readonly Scenario[], prefixes: readonly string[]): Scenario[] {
  const byName = new Map<string, Scenario>();
  for (const s of registry) {
    if (byName.has(s.name)) throw new Error(`Duplicate scenario name: ${s.name}`);
    byName.set(s.name, s);
  }
  const depth = new Map<string, number>();
  const depthOf = (s: Scenario, seen: string[] = []): number => {
    const known = depth.get(s.name);
    if (known !== undefined) return known;
    if (seen.includes(s.name)) throw new Error(`Baseline cycle: ${[...seen, s.name].join(' → ')}`);
    let d = 0;
    if (s.baseline !== undefined) {
      const base = byName.get(s.baseline);
      if (!base) throw new Error(`Scenario ${s.name} names an unknown baseline: ${s.baseline}`);
      d = depthOf(base, [...seen, s.name]) + 1;
    }
    depth.set(s.name, d);
    return d;
  };
  registry.forEach((s) => depthOf(s));

  // A prefix selects by the whole name or from any dot on: `burst` runs sync.burst and sync.burst.pglite.
  const matches = (name: string, prefix: string): boolean => name.startsWith(prefix) || name.split('.').some((_, i, parts) => i > 0 && parts.slice(i).join('.').startsWith(prefix));
  const unmatched = prefixes.filter((p) => !registry.some((s) => matches(s.name, p)));
  if (unmatched.length > 0) {
    throw new Error(
      `No scenario starts with ${unmatched.map((p) => `"${p}"`).join(', ')}. Known: ${registry.map((s) => s.name).join(', ')}`,
    );
  }
  const wanted = new Set<string>();
  const add = (s: Scenario): void => {
    if (wanted.has(s.name)) return;
    wanted.add(s.name);
    if (s.baseline !== undefined) add(byName.get(s.baseline)!);
  };
  for (const s of registry) {
    if (prefixes.length === 0 || prefixes.some((p) => matches(s.name, p))) add(s);
  }
  const index = new Map(registry.map((s, i) => [s.name, i]));
  return registry
    .filter((s) => wanted.has(s.name))
    .sort((a, b) => depth.get(a.name)! - depth.get(b.name)! || index.get(a.name)! - index.get(b.name)!);
}

/** Runs the planned scenarios in order, each in its own temp directory, and computes the ratios. */
export async function runScenarios(planned: readonly Scenario[]): Promise<ScenarioResult[]> {
  const results = new Map<string, ScenarioResult>();
  const root = mkdtempSync(join(tmpdir(), 'greenledger-bench-'));
  const cleanupRoot = (): void => rmSync(root, { recursive: true, force: true });
  // A thrown error or process.exit still removes the files; a hard kill (SIGKILL) cannot.
  process.once('exit', cleanupRoot);
  const tempFs = fsTypeOf(root);
  try {
    for (const scenario of planned) {
      const dir = mkdtempSync(join(root, `${scenario.name}-`));
      const random = seededRandom(SEED);
      const ctx: BenchContext = {
        tempFile: (name) => join(dir, name),
        newKeyHex: () => randomBytes(32).toString('hex'),
        random,
        log: (message) => process.stderr.write(`  ${scenario.name}: ${message}\n`),
        tempFs,
      };
      process.stderr.write(`▶ ${scenario.name}${scenario.baseline ? ` (vs ${scenario.baseline})` : ''}\n`);
      const started = nowMs();
      let m: Measurement;
      try {
        m = await scenario.run(ctx);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const seconds = (nowMs() - started) / 1000;
      const sorted = [...m.samples].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const baselineName = scenario.baseline ?? scenario.name;
      const base = baselineName === scenario.name ? undefined : results.get(baselineName);
      if (baselineName !== scenario.name && !base) {
        throw new Error(`Baseline ${baselineName} was not measured before ${scenario.name}`);
      }
      results.set(scenario.name, {
        name: scenario.name,
        baseline: baselineName,
        p50_ms: p50,
        p95_ms: percentile(sorted, 95),
        per_s: m.perSecond,
        ratio_to_baseline: base ? p50 / base.p50_ms : 1,
        samples: sorted.length,
        seconds,
        notes: m.notes ?? '',
        extra: m.extra ?? {},
      });
      process.stderr.write(`  done in ${seconds.toFixed(1)} s\n`);
    }
  } finally {
    cleanupRoot();
    process.removeListener('exit', cleanupRoot);
  }
  return [...results.values()];
}

const FS_MAGIC: Record<number, string> = {
  0xef53: 'ext4',
  0x01021994: 'tmpfs',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0x65735546: 'fuse',
  0x5346544e: 'ntfs',
  0x4d44: 'vfat',
  0x1a: 'apfs/hfs',
};

function fsTypeOf(dir: string): string {
  try {
    const type = statfsSync(dir).type;
    return FS_MAGIC[type] ?? `0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}
