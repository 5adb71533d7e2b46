import { beforeAll, describe, expect, it } from 'vitest';
import { runTorture, summaryLine, type CheckName, type TortureReport } from './torture.ts';
import { registerKinds } from './registerWork.ts';

/**
 * Issue 10's standing torture test, short: three seeds of the randomized three-laptop run
 * (tests/sync/torture.ts) against one real hub process, one test per check. The long run is
 * `npm run torture`. TORTURE_CI_SEEDS (comma-separated) and TORTURE_CI_OPERATIONS reproduce or widen it.
 */
const SEEDS = (process.env.TORTURE_CI_SEEDS ?? '101,102,104').split(',').map(Number);
const OPERATIONS = Number(process.env.TORTURE_CI_OPERATIONS ?? 80);

const TITLES: Record<CheckName, string> = {
  converged: '(1) every row is equal on every laptop and the hub, version and deletion included',
  ownLabels: '(2) each laptop shows as its own only the conflicts its own edits raised',
  guarded: '(3) no guarded value is overwritten, without a conflict, by a write that never saw it',
  lowRisk: '(4) low-risk fields hold their latest write by HLC, and derived columns follow the applied name',
  rows: '(5) no row is lost or doubled, every change is logged once, every audit chain verifies',
};

/**
 * Checks that fail on main for a defect of issue 10 whose fix is under way elsewhere: they still run
 * (their violations are printed) and are skipped — counted as skipped in the closing line — until it lands.
 */
const KNOWN_FAILING: Partial<Record<CheckName, string>> = {
};

describe(`sync torture: three laptops going offline, head office on stale views, conflicts decided (seeds ${SEEDS.join(', ')}, ${OPERATIONS} operations each)`, () => {
  let reports: TortureReport[];
  const all = (check: CheckName) => reports.flatMap((report) => report.violations[check]);
  const total = (of: (report: TortureReport) => number) => reports.reduce((sum, report) => sum + of(report), 0);

  beforeAll(async () => {
    reports = await runTorture({ seeds: SEEDS, operations: OPERATIONS });
    for (const report of reports) console.log(summaryLine(report));
    for (const check of Object.keys(KNOWN_FAILING) as CheckName[]) {
      const found = all(check);
      if (found.length > 0) console.log(`known failing check ${check}: ${found.length} violations, e.g. ${found[0]}`);
    }
  }, 240_000);

  it('meets the conditions it checks: laptops offline, conflicts raised and decided, rows and overwrites compared', () => {
    expect(total((r) => r.offlineSyncs)).toBeGreaterThan(0);
    expect(total((r) => r.conflicts.raised)).toBeGreaterThan(0);
    expect(total((r) => r.conflicts.resolved)).toBeGreaterThan(0);
    expect(total((r) => r.compared.rows)).toBeGreaterThan(0);
    expect(total((r) => r.compared.guardedOverwrites)).toBeGreaterThan(0);
    expect(total((r) => r.compared.lowRiskFields)).toBeGreaterThan(0);
    // The other registers' rows are written too, and compared table by table (check 1).
    expect(total((r) => r.ledgerWrites.ratings)).toBeGreaterThan(0);
    expect(total((r) => r.ledgerWrites.loans + r.ledgerWrites.loanBalances)).toBeGreaterThan(0);
    expect(total((r) => r.ledgerWrites.creditActs)).toBeGreaterThan(0);
    // … and the registers that joined since: green tags, green-factory projects, collateral, rectification cases, letters sent, monitoring visits.
    for (const kind of registerKinds) expect(total((r) => r.ledgerWrites[kind]), kind).toBeGreaterThan(0);
  });

  for (const [check, title] of Object.entries(TITLES) as [CheckName, string][]) {
    const known = KNOWN_FAILING[check];
    it.skipIf(known !== undefined)(`${title}${known === undefined ? '' : ` — skipped while ${known}`}`, () => {
      expect(all(check)).toEqual([]);
    });
  }

  it('makes no call fail that the plan did not provoke', () => {
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
  });
});
