import type { CollateralListFilter } from '../../../shared/api/collateral.ts';
import type { CaseListFilter } from '../../../shared/api/rectification.ts';
import { collateralHorizons, type CollateralReport, type RectificationReport } from '../../../shared/api/stats.ts';
import { collateralStatuses, collateralTypes } from '../../../shared/domain/collateral.ts';
import { caseMeasures } from '../../../shared/domain/rectification.ts';
import { collateralTotals } from '../../../db/collateral.ts';
import { collateralTerms } from '../handlers/collateral.ts';
import type { Db } from '../../../db/open.ts';
import { countCases } from '../../../db/rectification.ts';

/**
 * The collateral and rectification summaries, as of today (neither register keeps dated snapshots):
 * each line is the register's own totals or counts of a filter (collateral.totals, cases.counts) and
 * carries that filter, so the register list opened with it shows exactly the line's items.
 */
export function collateralReport(db: Db, today: string): CollateralReport {
  // The register's own alert settings, so a line's filter means what it means on the register.
  const terms = collateralTerms(db);
  const settings = { today, registrationWarningDays: terms.registrationWarningDays, coverageLimitBp: terms.coverageLimitBp };
  const line = (key: string, filter: CollateralListFilter) => ({ key, filter, ...collateralTotals(db, filter, settings) });
  return {
    asOf: today,
    total: collateralTotals(db, {}, settings),
    byType: collateralTypes.map((type) => line(type, { type })),
    byStatus: collateralStatuses.map((status) => line(status, { status })),
    byHorizon: collateralHorizons.map((days) => line(String(days), { expiringWithinDays: days })),
  };
}

export function rectificationReport(db: Db, today: string): RectificationReport {
  return {
    asOf: today,
    total: countCases(db, {}, today),
    byMeasure: caseMeasures.map((measure) => {
      const filter: CaseListFilter = { measure };
      return { measure, counts: countCases(db, filter, today), filter };
    }),
  };
}

