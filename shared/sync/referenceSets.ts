import type { z } from 'zod';
import { focusIndustryGroupingsSchema } from '../codes/focusIndustries.ts';
import { approvalAuthoritySchema } from '../domain/approvalAuthority.ts';
import { collateralTermsSchema } from '../domain/collateralTerms.ts';
import { stepTargetsSchema } from '../domain/stepDurations.ts';
import { publishedCatalogueSchema } from '../codes/greenCatalogues.ts';
import { conversionFactorSetSchema } from '../domain/environmentalBenefit.ts';
import { greenwashingBoundsSchema } from '../domain/greenwashing.ts';

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
