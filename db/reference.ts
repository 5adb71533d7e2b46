import type { z } from 'zod';
import type { Db } from './open.ts';

/** Reference sets head office publishes (applied on sync into reference_data). */
export const referenceSetNames = {
  focusIndustries: 'focus-industries',
  negativeList: 'negative-list',
  greenList: 'green-list',
  recommendedEnterprises: 'recommended-enterprises',
  greenFactories: 'green-factories',
  /** shared/domain/approvalAuthority.ts: limits per role and branch level, green uplift. */
  approvalAuthority: 'approval-authority',
  /** shared/domain/stepDurations.ts: target working days per workflow step, holidays. */
  creditStepTargets: 'credit-step-targets',
  /** shared/domain/collateralTerms.ts: pledge-rate caps, reference prices, revaluation intervals, alert limits. */
  collateralTerms: 'collateral-terms',
  /** shared/codes/greenCatalogues.ts: the 2025 catalogue's levels 2 and 3, imported by head office from .xlsx. */
  greenCatalogue2025: 'green-catalogue-2025',
  /** shared/domain/environmentalBenefit.ts: conversion factors to standard coal and CO2, each with its source. */
  benefitFactors: 'benefit-factors',
  /** shared/domain/greenwashing.ts: plausible benefit per 万元 of project investment. */
  greenwashingBounds: 'greenwashing-bounds',
} as const;

export interface ReferenceSetInfo {
  name: string;
  version: number;
  publishedAt: string;
}

export function listReferenceSets(db: Db): ReferenceSetInfo[] {
  return (db.prepare('SELECT name, version, published_at FROM reference_data ORDER BY name').all() as { name: string; version: number; published_at: string }[]).map(
    (row) => ({ name: row.name, version: row.version, publishedAt: row.published_at }),
  );
}

/**
 * The latest published version of a reference set, parsed with its schema; undefined when head office
 * has published none or the published data does not parse (then the app's shipped default applies —
 * a malformed publication must not break the laptop).
 */
export function referenceSet<S extends z.ZodType>(db: Db, name: string, schema: S): z.output<S> | undefined {
  const text = db.prepare('SELECT data FROM reference_data WHERE name = ?').pluck().get(name) as string | undefined;
  if (text === undefined) return undefined;
  const parsed = schema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}
