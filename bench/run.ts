/**
 * `npm run bench [-- <prefix> …]`: runs every scenario, or those whose name starts with one of the
 * prefixes plus the baselines they are compared to (always measured in the same run), prints a table
 * and writes bench/results/latest.json with only what ran this time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { plan, runScenarios, type ScenarioResult } from './harness.ts';
import { scenarios } from './scenarios/index.ts';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const RESULTS_FILE = join(RESULTS_DIR, 'latest.json');

interface Machine {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  platform: string;
  sqlite: string;
  cipher: string;
  date: string;
}

function machine(): Machine {
  const db = new Database(':memory:');
  try {
    return {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      sqlite: String(db.prepare('SELECT sqlite_version()').pluck().get()),
      // The library's default cipher, the one openDatabase's hexkey uses.
      cipher: String(db.pragma('cipher', { simple: true })),
      date: new Date().toISOString(),
    };
  } finally {
    db.close();
  }
}

/** Enough significant digits for µs-scale lookups and for second-scale batches alike. */
function fmtMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(3);
}

function round(value: number, significant: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(significant));
}

function printTable(results: readonly ScenarioResult[]): void {
  const header = ['scenario', 'p50 ms', 'p95 ms', 'per second', 'ratio', 'notes'];
  const rows = results.map((r) => [
    r.name,
    fmtMs(r.p50_ms),
    fmtMs(r.p95_ms),
    Math.round(r.per_s).toLocaleString('en'),
    r.ratio_to_baseline.toFixed(2),
    (r.baseline === r.name ? 'baseline; ' : `vs ${r.baseline}; `) + r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = [false, true, true, true, true, false];
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? header[i]!.length : w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('ratio = p50 / baseline p50 in this run: > 1 is slower than the baseline, < 1 faster.');
}

function toJson(m: Machine, results: readonly ScenarioResult[]): unknown {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of results) {
    out[r.name] = {
      p50_ms: round(r.p50_ms, 4),
      p95_ms: round(r.p95_ms, 4),
      per_s: Math.round(r.per_s),
      ratio_to_baseline: round(r.ratio_to_baseline, 4),
      baseline: r.baseline,
      samples: r.samples,
      seconds: round(r.seconds, 3),
      notes: r.notes,
      ...r.extra,
    };
  }
  return { machine: m, scenarios: out };
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('-h') || args.includes('--help')) {
    console.log('usage: npm run bench [-- <scenario-prefix> …]\n\nscenarios:');
    for (const s of scenarios) console.log(`  ${s.name}${s.baseline ? `  (vs ${s.baseline})` : ''}`);
    return 0;
  }
  const unknownFlag = args.find((a) => a.startsWith('-'));
  if (unknownFlag) {
    console.error(`Unknown option ${unknownFlag}; usage: npm run bench [-- <scenario-prefix> …]`);
    return 2;
  }
  let planned;
  try {
    planned = plan(scenarios, args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const m = machine();
  process.stderr.write(
    `GreenLedger bench: ${planned.length} scenario(s) on ${m.cpus}× ${m.cpuModel}, ${m.memGiB} GiB, node ${m.node}, SQLite ${m.sqlite}\n`,
  );
  const results = await runScenarios(planned);
  console.log();
  printTable(results);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(toJson(m, results), null, 2)}\n`);
  console.log(`\nwrote ${relative(process.cwd(), RESULTS_FILE)}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
