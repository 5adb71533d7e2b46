import { parseArgs } from 'node:util';
import { fuzzHostApi } from './hostApi.ts';
import { fuzzPullApply } from './pullApply.ts';
import { fuzzImporter } from './importer.ts';
import { fuzzHubApi } from './hubApi.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clean, resultsDir, writeSummary, type BoundaryReport } from './report.ts';
import { killClean, killHarness } from './kill.ts';

/**
 * `npm run fuzz [-- <boundary …>] [--inputs N] [--seed S]`: property-based inputs per boundary
 * (host-api, hub-api, importer, pull-apply), summary in bench/results/fuzz.json.
 * `npm run fuzz -- kill [--kills N]`: the kill harness, summary in bench/results/fuzz-kill.json.
 * Exit 1 when anything was found.
 */
export const boundaries = {
  'host-api': fuzzHostApi,
  'hub-api': fuzzHubApi,
  importer: fuzzImporter,
  'pull-apply': fuzzPullApply,
} as const;
export type BoundaryName = keyof typeof boundaries;

function previousReports(): (BoundaryReport & { at?: string })[] {
  try {
    return (JSON.parse(readFileSync(join(resultsDir, 'fuzz.json'), 'utf8')) as { boundaries?: BoundaryReport[] }).boundaries ?? [];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      inputs: { type: 'string', default: '10000' },
      seed: { type: 'string' },
      timeout: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '4' },
      kills: { type: 'string', default: '200' },
    },
  });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const log = (line: string) => console.log(line);
  if (positionals[0] === 'kill') {
    const report = await killHarness({ kills: Number(values.kills), seed, writers: 4, maxBurstMs: 400, timeoutMs: Number(values.timeout), log });
    log(`[fuzz kill] ${report.kills} kills, ${Object.values(report.acknowledged).reduce((a, b) => a + b, 0)} acknowledged writes (${JSON.stringify(report.acknowledged)}), ${report.unanswered} cut off, ${report.lostWrites} lost, integrity failures ${report.integrityFailures}, audit failures ${report.auditFailures}, restart failures ${report.restartFailures}, ${(report.ms / 1000).toFixed(1)} s`);
    for (const example of report.examples) log(`  ${example}`);
    const file = writeSummary('fuzz-kill.json', { at: new Date().toISOString(), ...report, clean: killClean(report) });
    log(`[fuzz kill] summary: ${file}`);
    process.exit(killClean(report) ? 0 : 1);
  }
  const selected = (positionals.length === 0 ? Object.keys(boundaries) : positionals) as BoundaryName[];
  for (const name of selected) if (!(name in boundaries)) throw new Error(`unknown boundary ${name}; known: ${Object.keys(boundaries).join(', ')}, kill`);
  const reports: BoundaryReport[] = [];
  for (const name of selected) {
    log(`[fuzz] ${name}: ${values.inputs} inputs, seed ${seed}`);
    const report = await boundaries[name]({ inputs: Number(values.inputs), seed, timeoutMs: Number(values.timeout), concurrency: Number(values.concurrency), log });
    log(`[fuzz] ${name}: ${report.inputs} inputs, ${report.internal} 5xx/INTERNAL, ${report.crashes} crashes, ${report.hangs} hangs, audit ${report.auditVerified}, integrity ${report.integrityOk}, ${(report.ms / 1000).toFixed(1)} s`);
    for (const example of report.examples) log(`  ${example.what}: ${example.input}\n    → ${example.answer}`);
    reports.push(report);
  }
  // A run of some boundaries replaces their entries and keeps the others' latest (each with its seed and time).
  const at = new Date().toISOString();
  const kept = previousReports().filter((old) => !reports.some((report) => report.boundary === old.boundary));
  const all = [...kept, ...reports.map((report) => ({ ...report, at }))];
  const file = writeSummary('fuzz.json', { at, boundaries: all, clean: all.every(clean) });
  log(`[fuzz] summary: ${file}`);
  process.exit(reports.every(clean) ? 0 : 1);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
