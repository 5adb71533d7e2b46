/**
 * `npm run torture`: the long run of the sync torture test (tests/sync/torture.ts) — TORTURE_SEEDS
 * seeds (default 20, from TORTURE_FIRST_SEED, default 1) × TORTURE_OPERATIONS operations (default
 * 300), one after another. Prints a line per seed and writes the totals and every violation to
 * bench/results/torture.json (or TORTURE_OUT); exits 1 when any check was violated or a call failed
 * unprovoked. TORTURE_ONLY_ENTERPRISES=1 runs the plan as it was before the other registers joined it
 * (the same draws: an old seed's run again); TORTURE_DUMP=1 prints the hub's log of each row a
 * violation names.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKS, runTorture, type TortureReport } from '../tests/sync/torture.ts';

const seedCount = Number(process.env.TORTURE_SEEDS ?? 20);
const firstSeed = Number(process.env.TORTURE_FIRST_SEED ?? 1);
const operations = Number(process.env.TORTURE_OPERATIONS ?? 300);

const reports: TortureReport[] = await runTorture({ seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i), operations, log: console.log });

const sum = (of: (report: TortureReport) => number) => reports.reduce((total, report) => total + of(report), 0);
const result = {
  at: new Date().toISOString(),
  seeds: reports.map((report) => report.seed),
  operations: sum((r) => r.operations),
  operationsPerSeed: operations,
  syncs: sum((r) => r.syncs),
  offlineSyncs: sum((r) => r.offlineSyncs),
  conflicts: { raised: sum((r) => r.conflicts.raised), resolved: sum((r) => r.conflicts.resolved), refusedResolutions: sum((r) => r.refusedResolutions), offlineResolutions: sum((r) => r.offlineResolutions) },
  ledgerWrites: Object.fromEntries(Object.keys(reports[0]?.ledgerWrites ?? {}).map((kind) => [kind, sum((r) => r.ledgerWrites[kind as keyof TortureReport['ledgerWrites']])])),
  registerSteps: Object.fromEntries([...new Set(reports.flatMap((r) => Object.keys(r.registerSteps)))].sort().map((step) => [step, sum((r) => r.registerSteps[step] ?? 0)])),
  compared: { rows: sum((r) => r.compared.rows), guardedOverwrites: sum((r) => r.compared.guardedOverwrites), lowRiskFields: sum((r) => r.compared.lowRiskFields) },
  violations: Object.fromEntries(CHECKS.map((check) => [check, sum((r) => r.violations[check].length)])),
  errors: sum((r) => r.errors.length),
  seconds: Math.round(sum((r) => r.ms) / 100) / 10,
  details: reports.filter((r) => r.errors.length > 0 || CHECKS.some((check) => r.violations[check].length > 0)).map((r) => ({ seed: r.seed, violations: r.violations, errors: r.errors })),
};
// TORTURE_OUT writes elsewhere (a part of a long run split over two processes, say).
const out = process.env.TORTURE_OUT ?? join(import.meta.dirname, 'results', 'torture.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `torture: ${reports.length} seeds × ${operations} operations, ${result.syncs} syncs, conflicts raised ${result.conflicts.raised} / resolved ${result.conflicts.resolved}; ` +
    `violations ${Object.entries(result.violations).map(([check, n]) => `${check} ${n}`).join(', ')}; errors ${result.errors} → ${out}`,
);
process.exitCode = result.errors > 0 || Object.values(result.violations).some((n) => n > 0) ? 1 : 0;
