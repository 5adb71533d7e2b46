import type { z } from 'zod';
import { defaultFocusIndustryGroupings, focusIndustryGroupingsSchema } from '../codes/focusIndustries.ts';
import { approvalAuthoritySchema, defaultApprovalAuthority } from '../domain/approvalAuthority.ts';
import { collateralTermsSchema, defaultCollateralTerms } from '../domain/collateralTerms.ts';
import { defaultStepTargets, stepTargetsSchema } from '../domain/stepDurations.ts';
import { catalogueVersions, publishedCatalogueSchema, shippedCatalogues, type CatalogueVersion } from '../codes/greenCatalogues.ts';
import { conversionFactorSetSchema, defaultConversionFactors } from '../domain/environmentalBenefit.ts';
import { defaultGreenwashingBounds, greenwashingBoundsSchema } from '../domain/greenwashing.ts';

/**
 * Reference sets whose shape the app knows: head office's publication of one is checked against it
 * (server/hub.ts), so a malformed approval-authority table is refused with the field named instead
 * of being ignored by every laptop (db/reference.ts falls back to the shipped default for a set it
 * cannot parse). Other names (lists head office publishes for people to read) stay free-form.
 */
export const referenceSetSchemas: Readonly<Record<string, z.ZodType>> = {
  'focus-industries': focusIndustryGroupingsSchema,
  'approval-authority': approvalAuthoritySchema,
  'credit-step-targets': stepTargetsSchema,
  'collateral-terms': collateralTermsSchema,
  'green-catalogue-2021': publishedCatalogueSchema,
  'green-catalogue-2025': publishedCatalogueSchema,
  'benefit-factors': conversionFactorSetSchema,
  'greenwashing-bounds': greenwashingBoundsSchema,
};

/** The known shape of a set, if any: own keys only, so a name like `constructor` is free-form, not Object's. */
export function referenceSetSchemaOf(name: string): z.ZodType | undefined {
  return Object.hasOwn(referenceSetSchemas, name) ? referenceSetSchemas[name] : undefined;
}

const shippedCatalogue = (version: CatalogueVersion) => ({
  source: shippedCatalogues[version].title,
  entries: shippedCatalogues[version].entries.map(({ code, name, level, parent }) => ({ code, name, level, parent })),
});

/**
 * What a laptop uses for a known set head office has not published yet (its shipped default): the
 * head-office console shows it as the version in force (version 0) and offers it as the workbook
 * to start from.
 */
export const shippedReferenceSets: Readonly<Record<string, unknown>> = {
  'focus-industries': defaultFocusIndustryGroupings,
  'approval-authority': defaultApprovalAuthority,
  'credit-step-targets': defaultStepTargets,
  'collateral-terms': defaultCollateralTerms,
  ...Object.fromEntries(catalogueVersions.map((version) => [`green-catalogue-${version}`, shippedCatalogue(version)])),
  'benefit-factors': defaultConversionFactors,
  'greenwashing-bounds': defaultGreenwashingBounds,
};
