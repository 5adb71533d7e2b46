import fc from 'fast-check';
import { pullResponseSchema, syncResultSchema, type PullResponse } from '../shared/sync/protocol.ts';
import { syncTableNames } from '../shared/sync/tables.ts';
import { applyPullPage } from '../db/syncState.ts';
import { beginBulkPull, finishBulkPull, stagePullPage } from '../db/bulkPull.ts';
import { testHost, type TestHost } from '../electron/host/testing.ts';
import { domainExamples, wireBodies } from './arbitraries.ts';
import { laptopData } from './laptopData.ts';
import { checkDatabase } from './hostProcess.ts';
import type { RunOptions } from './hostApi.ts';
import { bump, failure, newReport, type BoundaryReport } from './report.ts';

/**
 * Boundary 4: pull pages as a hub (or something posing as one) might send them, applied to a real
 * encrypted laptop database the way electron/host/sync/engine.ts does: the answer parsed with the
 * protocol's schema (hubClient.ts), then applyPullPage, or, on a first pull into an empty store,
 * stagePullPage page by page and finishBulkPull. A page the schema refuses is an answer ("the hub
 * sent garbage"); a page it accepts that then throws would stop this laptop's sync at every retry.
 */

/** What hubClient.ts does with a pull answer's text: JSON.parse and the protocol schema. */
function parseAnswer(text: string): PullResponse | undefined {
  let json: unknown;
  try {
    json = JSON.parse(`{"ok":true,"value":${text}}`);
  } catch {
    return undefined;
  }
  const parsed = syncResultSchema(pullResponseSchema).safeParse(json);
  return parsed.success && parsed.data.ok ? parsed.data.value : undefined;
}

export async function fuzzPullApply(options: RunOptions): Promise<BoundaryReport> {
  const report = newReport('pull-apply', options.seed);
  const started = performance.now();
  const laptop = await laptopData();
  const examples = domainExamples();
  examples.set('rows', [laptop.snapshots, laptop.snapshots.slice(0, 2), laptop.snapshots.slice(-1)]);
  examples.set('data', laptop.snapshots.map((snapshot) => snapshot.data));
  examples.set('table', [...syncTableNames, 'sqlite_master', 'audit_log', 'users', 'enterprises"; DROP TABLE x; --']);
  examples.set('rowId', laptop.snapshots.map((snapshot) => snapshot.rowId));
  examples.set('conflicts', [[]]);
  examples.set('reference', [[]]);
  for (const [column, values] of laptop.columns) if (!examples.has(column)) examples.set(column, values);
  const pages = wireBodies(pullResponseSchema, examples);

  // An incremental store (pulled before), and from time to time a fresh one for a first pull.
  const incremental = testHost();
  const hosts: TestHost[] = [incremental];
  let bulkHost: TestHost | undefined;
  let bulkPages = 0;
  const now = () => new Date().toISOString();
  try {
    const batchSize = 500;
    for (let batch = 0; report.inputs < options.inputs; batch += 1) {
      const sample = fc.sample(fc.tuple(pages, fc.integer({ min: 0, max: 9 })), { seed: options.seed + batch, numRuns: Math.min(batchSize, options.inputs - report.inputs) });
      for (const [body, route] of sample) {
        report.inputs += 1;
        bump(report.kinds, body.kind);
        const page = parseAnswer(body.text);
        if (page === undefined) {
          bump(report.answers, 'refused by the protocol schema');
          continue;
        }
        const bulk = route === 0;
        if (bulk && bulkHost === undefined) {
          bulkHost = testHost();
          hosts.push(bulkHost);
          bulkPages = 0;
        }
        const db = bulk ? bulkHost!.store.db : incremental.store.db;
        const t0 = performance.now();
        try {
          if (bulk && beginBulkPull(db)) {
            stagePullPage(db, page, now());
            bulkPages += 1;
            if (bulkPages >= 20) {
              finishBulkPull(db, now());
              bulkHost = undefined;
            }
          } else applyPullPage(db, page, now());
          bump(report.answers, bulk ? 'staged' : 'applied');
        } catch (error) {
          failure(report, 'internal', `${bulk ? 'bulk' : 'incremental'} ${body.text}`, error instanceof Error ? error.message : String(error));
        }
        if (performance.now() - t0 > options.timeoutMs) failure(report, 'hang', body.text, `${Math.round(performance.now() - t0)} ms`);
      }
      if (batch % 5 === 4) options.log(`[fuzz pull-apply] ${report.inputs} inputs, ${report.internal} thrown`);
    }
    if (bulkHost !== undefined) {
      try {
        finishBulkPull(bulkHost.store.db, now());
      } catch (error) {
        failure(report, 'internal', 'finishBulkPull', error instanceof Error ? error.message : String(error));
      }
    }
    report.auditVerified = true;
    report.integrityOk = true;
    for (const host of hosts) {
      const checked = checkDatabase(host.store.db);
      report.auditVerified &&= checked.auditOk;
      report.integrityOk &&= checked.integrityOk;
      if (!checked.auditOk) report.examples.push({ what: 'audit', input: '', answer: checked.auditProblems.join('; ') });
      if (!checked.integrityOk) report.examples.push({ what: 'integrity', input: '', answer: checked.integrity });
    }
  } finally {
    for (const host of hosts) host.cleanup();
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
