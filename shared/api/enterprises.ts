import { z } from 'zod';
import {
  enterpriseFileSchema,
  enterpriseScales,
  environmentalRatingEntrySchema,
  financialSnapshotSchema,
  resourceIndicatorsSchema,
} from '../domain/enterprise.ts';
import { environmentalRatingLevels } from '../domain/environmentalRating.ts';

/** Host API methods of the enterprise credit file (DOMAIN §1); merged into contract.ts. */
const id = z.string().min(1).max(64);
const isoInstant = z.string().datetime({ offset: true });

export const enterpriseListFilterSchema = z
  .object({
    /** One box: name fragment, pinyin initials (HSJC) or USCC prefix. */
    query: z.string().trim().max(60).optional(),
    focusGroup: z.string().max(40).optional(),
    /** GB/T 4754 code or prefix (C30 matches C3012). */
    industryCode: z.string().trim().toUpperCase().regex(/^[A-T]\d{0,4}$/).optional(),
    /** GB/T 2260 code: a county, or a prefecture/province prefix. */
    divisionCode: z.string().regex(/^\d{2,6}$/).optional(),
    rating: z.enum([...environmentalRatingLevels, 'none']).optional(),
    greenFactory: z.enum(['national', 'provincial', 'any']).optional(),
    scale: z.enum(enterpriseScales).optional(),
    outdatedCapacity: z.boolean().optional(),
    negativeList: z.boolean().optional(),
    greenList: z.boolean().optional(),
    miitRecommended: z.boolean().optional(),
  })
  .strict();

export const enterpriseSortSchema = z
  .object({ field: z.enum(['name', 'uscc', 'industryCode', 'divisionCode', 'updatedAt']), order: z.enum(['asc', 'desc']) })
  .strict();

export const enterpriseSummarySchema = z.object({
  id,
  version: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  industryCode: z.string(),
  focusGroup: z.string().nullable(),
  divisionCode: z.string(),
  scale: z.enum(enterpriseScales),
  environmentalRating: z.enum(environmentalRatingLevels).nullable(),
  greenFactoryLevel: z.enum(['national', 'provincial']).nullable(),
  outdatedCapacity: z.boolean(),
  negativeList: z.boolean(),
  greenList: z.boolean(),
  miitRecommended: z.boolean(),
  updatedAt: isoInstant,
});

const yearRow = <T extends z.ZodObject>(schema: T) => schema.extend({ id, version: z.number().int() });

export const attachmentSchema = z.object({
  id,
  fileName: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  note: z.string().nullable(),
  createdAt: isoInstant,
  createdBy: z.string(),
});

export const enterpriseDetailSchema = z.object({
  id,
  version: z.number().int(),
  file: enterpriseFileSchema,
  focusGroup: z.string().nullable(),
  environmentalRating: z.enum(environmentalRatingLevels).nullable(),
  ratings: z.array(yearRow(environmentalRatingEntrySchema)),
  financials: z.array(yearRow(financialSnapshotSchema)),
  indicators: z.array(yearRow(resourceIndicatorsSchema)),
  attachments: z.array(attachmentSchema),
  createdAt: isoInstant,
  createdBy: z.string(),
  updatedAt: isoInstant,
  updatedBy: z.string(),
});

export const enterpriseMethods = {
  'enterprises.list': {
    access: 'records.read',
    input: z
      .object({
        filter: enterpriseListFilterSchema.default({}),
        sort: enterpriseSortSchema.default({ field: 'updatedAt', order: 'desc' }),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ rows: z.array(enterpriseSummarySchema), total: z.number().int() }),
  },
  'enterprises.get': { access: 'records.read', input: z.object({ id }).strict(), output: enterpriseDetailSchema },
  'enterprises.create': { access: 'enterprise.write', input: z.object({ file: enterpriseFileSchema }).strict(), output: enterpriseDetailSchema },
  'enterprises.update': {
    access: 'enterprise.write',
    input: z.object({ id, version: z.number().int(), file: enterpriseFileSchema }).strict(),
    output: enterpriseDetailSchema,
  },
  'enterprises.addRating': {
    access: 'enterprise.write',
    input: z.object({ enterpriseId: id, entry: environmentalRatingEntrySchema }).strict(),
    output: enterpriseDetailSchema,
  },
  'enterprises.saveFinancials': {
    access: 'enterprise.write',
    input: z.object({ enterpriseId: id, snapshot: financialSnapshotSchema }).strict(),
    output: enterpriseDetailSchema,
  },
  'enterprises.saveIndicators': {
    access: 'enterprise.write',
    input: z.object({ enterpriseId: id, indicators: resourceIndicatorsSchema }).strict(),
    output: enterpriseDetailSchema,
  },
} as const;

export type EnterpriseSummary = z.infer<typeof enterpriseSummarySchema>;
export type EnterpriseDetail = z.infer<typeof enterpriseDetailSchema>;
export type EnterpriseListFilter = z.infer<typeof enterpriseListFilterSchema>;
export type EnterpriseSort = z.infer<typeof enterpriseSortSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
