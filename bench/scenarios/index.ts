import type { Scenario } from '../harness.ts';

/**
 * Every scenario `npm run bench` knows. Each file under scenarios/ exports `scenarios: Scenario[]`;
 * registering a file is one line here. Order is the run order within each baseline depth (the harness
 * always runs baselines before the scenarios compared to them, whatever the order here).
 */
export const scenarios: readonly Scenario[] = [
  ...(await import('./baseline.ts')).scenarios,
  ...(await import('./sync.ts')).scenarios,
  ...(await import('./burst.ts')).scenarios,
  ...(await import('./enterprise.ts')).scenarios,
  ...(await import('./audit.ts')).scenarios,
  ...(await import('./loans.ts')).scenarios,
  ...(await import('./collateral.ts')).scenarios,
  ...(await import('./cases.ts')).scenarios,
  ...(await import('./stats.ts')).scenarios,
  ...(await import('./headoffice.ts')).scenarios,
];
