import { z } from 'zod';
import { catalogueCodeSchema, catalogueEntrySchema, catalogueVersionSchema } from '../codes/greenCatalogues.ts';
import { benefitIndicators, projectBenefitsSchema } from '../domain/environmentalBenefit.ts';
import { greenTagOwnerTypes, greenTagStatuses } from '../domain/greenTag.ts';
import { nonNegativeFenSchema } from '../domain/money.ts';
import { plainText } from './text.ts';

/**
 * Host API of green-loan tagging (绿色信贷标识, DOMAIN §3, issue 14); merged into contract.ts. A tag's
 * 变更记录 is records.history of record type 'green_tags'; its evidence files are attachments with
 * ownerType 'green_tags' (attachments.add / list / remove).
 */
const id = z.string().min(1).max(64);
const isoInstant = z.string().datetime({ offset: true });

/** What the officer fills in; confirmation is its own method. */
export const greenTagInputSchema = z.strictObject({
  catalogueVersion: catalogueVersionSchema,
  code: catalogueCodeSchema.nullable(),
  /** Project total investment, in fen; the bank's share of the benefits divides by it. */
  totalInvestment: nonNegativeFenSchema.min(1).nullable(),
  benefits: projectBenefitsSchema,
  notes: plainText.trim().max(500).nullable().default(null),
});

const gapSchema = z.enum(['noCode', 'unknownCode', 'noEvidence', 'notConfirmed']);

export const greenwashingReasonSchema = z.object({
  rule: z.enum(['noCode', 'unknownCode', 'noEvidence', 'noBenefits', 'implausibleBenefit', 'adverseRating', 'negativeList', 'openEnvironmentalCase']),
  /** zh-CN wording; the renderer words it from the other fields in English. */
  message: z.string(),
  code: z.string().optional(),
  indicator: z.enum(benefitIndicators).optional(),
  perWanYuan: z.string().optional(),
  bound: z.string().optional(),
  side: z.enum(['above', 'below']).optional(),
  rating: z.string().optional(),
  /** openEnvironmentalCase: the open cases' numbers. */
  caseNumbers: z.array(z.string()).optional(),
});

export const greenTagDetailSchema = z.object({
  id,
  version: z.number().int(),
  ownerType: z.enum(greenTagOwnerTypes),
  ownerId: z.string(),
  catalogueVersion: catalogueVersionSchema,
  code: z.string().nullable(),
  /** The code's name in its catalogue; null when unknown or nameless (a gap of the 2021 source). */
  codeName: z.string().nullable(),
  totalInvestment: z.number().int().nullable(),
  benefits: projectBenefitsSchema,
  notes: z.string().nullable(),
  status: z.enum(greenTagStatuses),
  preparedBy: z.string(),
  preparedByName: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedByName: z.string().nullable(),
  confirmedAt: isoInstant.nullable(),
  /** Evidence files now attached to the tag. */
  evidenceCount: z.number().int(),
  /** Counts green in statistics; otherwise 待完善 for the reasons given. */
  standing: z.discriminatedUnion('green', [z.object({ green: z.literal(true) }), z.object({ green: z.literal(false), gaps: z.array(gapSchema) })]),
  greenwashing: z.array(greenwashingReasonSchema),
  /** Loans: the bank's share of the benefits as of the loan's balance day; a refusal says why. */
  bankShare: z
    .discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), asOf: z.string(), balance: z.number().int(), share: projectBenefitsSchema }),
      z.object({ ok: z.literal(false), message: z.string() }),
    ])
    .nullable(),
  updatedAt: isoInstant,
});

export const greenwashingLineSchema = z.object({
  tagId: z.string(),
  ownerType: z.enum(greenTagOwnerTypes),
  ownerId: z.string(),
  /** The loan number, or the application's project name / product. */
  label: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  status: z.enum(greenTagStatuses),
  reasons: z.array(greenwashingReasonSchema).min(1),
});

export const catalogueViewSchema = z.object({
  version: catalogueVersionSchema,
  title: z.string(),
  effective: z.string(),
  sources: z.array(z.string()),
  entries: z.array(catalogueEntrySchema),
  /** The catalogue a new tag takes today. */
  inForceToday: z.boolean(),
});

export const greenSummarySchema = z.object({
  /** Loans whose tag is confirmed with a code and evidence: they count green. */
  greenLoans: z.number().int(),
  greenBalance: z.number().int(),
  /** Tagged loans that do not count yet (待完善). */
  incompleteLoans: z.number().int(),
});

const ownerInput = { ownerType: z.enum(greenTagOwnerTypes), ownerId: id };

export const greenMethods = {
  /** The catalogue in force on this laptop (shipped levels plus what head office published), for the code picker. */
  'green.catalogue': { access: 'records.read', input: z.object({ version: catalogueVersionSchema }).strict(), output: catalogueViewSchema },
  /** The tag of an application or a loan, or null when it has none. */
  'green.tag': { access: 'records.read', input: z.object(ownerInput).strict(), output: greenTagDetailSchema.nullable() },
  /**
   * Creates or edits the tag as a draft, prepared by the caller. Editing a confirmed tag withdraws its
   * confirmation (it needs a new one); `version` is the version the edit was based on.
   */
  'green.saveTag': {
    access: 'green.write',
    input: z.object({ ...ownerInput, version: z.number().int().nullable(), tag: greenTagInputSchema }).strict(),
    output: greenTagDetailSchema,
  },
  /** A credit manager other than the preparer confirms a tag with a code and evidence (four-eyes). */
  'green.confirm': { access: 'green.confirm', input: z.object({ id, version: z.number().int() }).strict(), output: greenTagDetailSchema },
  /** Tags that fail a greenwashing rule (洗绿/漂绿), each with its reasons. */
  'green.greenwashing': { access: 'records.read', input: z.object({}).strict(), output: z.array(greenwashingLineSchema) },
  /** How many loans count green, and their balance. */
  'green.summary': { access: 'records.read', input: z.object({}).strict(), output: greenSummarySchema },
} as const;

export type GreenTagInput = z.input<typeof greenTagInputSchema>;
export type GreenTagDetail = z.infer<typeof greenTagDetailSchema>;
export type GreenwashingLine = z.infer<typeof greenwashingLineSchema>;
export type GreenwashingReasonView = z.infer<typeof greenwashingReasonSchema>;
export type CatalogueView = z.infer<typeof catalogueViewSchema>;
export type GreenSummary = z.infer<typeof greenSummarySchema>;
