import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What one boundary's run found. Every count but `inputs` (and the kinds) should be 0. */
export interface BoundaryReport {
  boundary: string;
  seed: number;
  inputs: number;
  /** Inputs by the shape they had (valid-shaped, mutated, garbage, raw bytes …). */
  kinds: Record<string, number>;
  /** Answers by HTTP status or result code, to show the inputs reached past validation. */
  answers: Record<string, number>;
  /** 5xx statuses or `INTERNAL` results. */
  internal: number;
  /** The process under test died, or the code under test threw where it must answer. */
  crashes: number;
  /** No answer within the per-call timeout. */
  hangs: number;
  /** Audit chain and PRAGMA integrity_check afterwards (null where the boundary has no laptop database). */
  auditVerified: boolean | null;
  integrityOk: boolean | null;
  ms: number;
  /** Total ms spent per method or endpoint, to see where a run's time goes. */
  msBy: Record<string, number>;
  /** The first few failures, with what was sent, to reproduce them. */
  examples: { what: string; input: string; answer: string }[];
}

export function newReport(boundary: string, seed: number): BoundaryReport {
  return { boundary, seed, inputs: 0, kinds: {}, answers: {}, internal: 0, crashes: 0, hangs: 0, auditVerified: null, integrityOk: null, ms: 0, msBy: {}, examples: [] };
}

export const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

const MAX_EXAMPLES = 12;

/** Records a failure of kind `what`; the input is cut so the summary stays readable. */
export function failure(report: BoundaryReport, what: 'internal' | 'crash' | 'hang', input: string, answer: string): void {
  if (what === 'internal') report.internal += 1;
  else if (what === 'crash') report.crashes += 1;
  else report.hangs += 1;
  if (report.examples.length < MAX_EXAMPLES) report.examples.push({ what, input: shorten(input), answer: shorten(answer) });
}

export function shorten(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

export const clean = (report: BoundaryReport) =>
  report.internal === 0 && report.crashes === 0 && report.hangs === 0 && report.auditVerified !== false && report.integrityOk !== false;

export const resultsDir = join(import.meta.dirname, '..', 'bench', 'results');

export function writeSummary(fileName: string, summary: unknown): string {
  const file = join(resultsDir, fileName);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}
