import { describe, expect, it } from 'vitest';
import { fuzzHostApi } from './hostApi.ts';
import { fuzzHubApi } from './hubApi.ts';
import { fuzzImporter } from './importer.ts';
import { fuzzPullApply } from './pullApply.ts';
import { killHarness } from './kill.ts';
import type { BoundaryReport } from './report.ts';

/**
 * The CI smoke of `npm run fuzz`: each boundary and the kill harness, a few hundred inputs and a
 * handful of kills with a fixed seed (the full run is `npm run fuzz`, minutes, a random seed). The
 * boundaries run concurrently: each drives its own processes or database.
 */
const SEED = 20_261_201;
const options = (inputs: number) => ({ inputs, seed: SEED, timeoutMs: 20_000, concurrency: 4, log: () => {} });

function expectClean(report: BoundaryReport, inputs: number): void {
  expect(report.inputs).toBe(inputs);
  // The examples name what was sent and what came back, so a failure here says what broke.
  expect({ internal: report.internal, crashes: report.crashes, hangs: report.hangs, examples: report.examples }).toEqual({ internal: 0, crashes: 0, hangs: 0, examples: [] });
  expect(report.auditVerified).not.toBe(false);
  expect(report.integrityOk).not.toBe(false);
}

describe.concurrent('fuzz smoke (fixed seed)', () => {
  it('host API: every method over HTTP to a real browser-mode host, as each role and signed out', { timeout: 90_000 }, async () => {
    const report = await fuzzHostApi(options(200));
    expectClean(report, 200);
    expect(report.auditVerified).toBe(true);
    // Inputs reach the handlers, not only the validation.
    expect(report.answers.ok).toBeGreaterThan(10);
  });

  it('hub API: every endpoint over HTTP to a real hub process, plain and gzip', { timeout: 90_000 }, async () => {
    const report = await fuzzHubApi(options(200));
    expectClean(report, 200);
    expect(report.answers['200']).toBeGreaterThan(10);
  });

  it('importer: generated workbooks and CSV bytes', { timeout: 90_000 }, async () => {
    const report = await fuzzImporter(options(60));
    expectClean(report, 60);
    expect(report.answers['run ok']).toBeGreaterThan(0);
  });

  // A row with a wrong type or a missing NOT NULL field is quarantined, never stops the page (issue 9 M1).
  it('pull apply: generated pages into a real encrypted laptop database', { timeout: 90_000 }, async () => {
    const report = await fuzzPullApply(options(300));
    expectClean(report, 300);
    expect(report.answers.applied).toBeGreaterThan(10);
  });

  it('kill harness: SIGKILL during bursts of writes and imports loses no acknowledged write', { timeout: 90_000 }, async () => {
    const report = await killHarness({ kills: 3, seed: SEED, writers: 4, maxBurstMs: 300, timeoutMs: 20_000, log: () => {} });
    expect(report.kills).toBe(3);
    expect(Object.values(report.acknowledged).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect({ lost: report.lostWrites, integrity: report.integrityFailures, audit: report.auditFailures, restarts: report.restartFailures, examples: report.examples }).toEqual({
      lost: 0,
      integrity: 0,
      audit: 0,
      restarts: 0,
      examples: [],
    });
  });
});
