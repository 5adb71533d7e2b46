import { z } from 'zod';
import { displayText, plainText } from './text.ts';
import { pagedListInput, pagedListOutput } from './paging.ts';
import {
  enterpriseFileSchema,
  enterpriseScales,
  environmentalRatingEntrySchema,
  financialSnapshotSchema,
  resourceIndicatorsSchema,
} from '../domain/enterprise.ts';
import { environmentalRatingLevels } from '../domain/environmentalRating.ts';
import { MAX_UPLOAD_INPUT_BYTES } from './result.ts';
import { base64Schema, importMappingSchemaOf, importMethodsOf, importResultSchema } from './imports.ts';

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

const yearRow = <S extends z.ZodRawShape>(schema: z.ZodObject<S>) => schema.extend({ id, version: z.number().int() });

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
  /** Other live files of the branch with the same USCC (filed on two laptops while offline). */
  sameUscc: z.array(z.object({ id, name: z.string() })),
  createdAt: isoInstant,
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  updatedAt: isoInstant,
  updatedBy: z.string(),
  updatedByName: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Import, export and attachments

/** The fields an import can fill, each from one source column (or a default). */
export const importFields = [
  'name',
  'uscc',
  'legalRepresentative',
  'address',
  'divisionCode',
  'industryCode',
  'scale',
  'ownership',
  'employees',
  'contactName',
  'contactPhone',
  'greenFactoryLevel',
  'greenFactoryYear',
  'miitRecommendedOn',
  'miitBatch',
  'greenList',
  'negativeList',
] as const;
export type ImportField = (typeof importFields)[number];

/**
 * The column header of each field in import and export files — part of the file format (bank and
 * department spreadsheets are in Chinese whatever the app's language), also the field names in
 * rejection reasons, and the Chinese labels of the import screen (renderer i18n zh-CN uses these).
 */
export const importFieldLabels: Record<ImportField, string> = {
  name: '企业名称',
  uscc: '统一社会信用代码',
  legalRepresentative: '法定代表人',
  address: '地址',
  divisionCode: '行政区划代码',
  industryCode: '行业代码',
  scale: '企业规模',
  ownership: '控股情况',
  employees: '从业人数',
  contactName: '联系人',
  contactPhone: '联系电话',
  greenFactoryLevel: '绿色工厂级别',
  greenFactoryYear: '绿色工厂年份',
  miitRecommendedOn: '推荐日期',
  miitBatch: '推荐批次',
  greenList: '绿色名单',
  // The word the app's filter and flags use (负面清单); 负面名单 is still recognised on import.
  negativeList: '负面清单',
};

/**
 * The words import and export files use for coded values (the statistical bureau's own terms),
 * part of the file format like the headers above; also the Chinese labels of these values.
 */
export const importValueWords = {
  scale: { large: '大型', medium: '中型', small: '小型', micro: '微型' },
  ownership: { state: '国有控股', collective: '集体控股', private: '私人控股', hongKongMacaoTaiwan: '港澳台商控股', foreign: '外商控股', other: '其他' },
  greenFactoryLevel: { national: '国家级', provincial: '省级' },
};

/** A new file needs these, from a column or a default; USCC and name always come from a column. */
export const importRequiredFields = ['uscc', 'name', 'legalRepresentative', 'address', 'divisionCode', 'industryCode', 'scale', 'ownership'] as const;

/**
 * Values for fields a source list lacks (an industry department's green-factory list has only names
 * and codes). A default fills a blank, never overwrites: it applies to a row whose cell is missing or
 * empty, and on an existing file only where that file has no value yet. Same text as a cell
 * (「小型」 or 'small').
 */
export const importDefaultFields = [
  'legalRepresentative',
  'address',
  'divisionCode',
  'industryCode',
  'scale',
  'ownership',
  'greenFactoryLevel',
  'greenFactoryYear',
  'miitRecommendedOn',
  'miitBatch',
] as const;

export const importMappingSchema = importMappingSchemaOf(importFields);
export const importDefaultsSchema = z.partialRecord(z.enum(importDefaultFields), z.string().trim().max(200));

const enterpriseImport = importMethodsOf({ access: 'enterprise.write', mapping: importMappingSchema, runOptions: { defaults: importDefaultsSchema.default({}) }, result: importResultSchema });
export const importPreviewSchema = enterpriseImport.preview.output;

/** The records attachments hang on: enterprise files, credit applications (the investigation report …), green tags (their evidence), collateral items (certificate scans), rectification cases and their follow-ups (evidence, photos). */
export const attachmentOwnerTypeSchema = z.enum(['enterprises', 'credit_applications', 'green_tags', 'collateral_items', 'rectification_cases', 'rectification_follow_ups', 'rectification_letters']);
export const attachmentMimes = ['application/pdf', 'image/png', 'image/jpeg'] as const;
/** Decoded size limit of one attachment. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export const attachmentListItemSchema = attachmentSchema.extend({ createdByName: z.string().nullable() });

export const enterpriseMethods = {
  'enterprises.list': {
    access: 'records.read',
    input: pagedListInput(enterpriseListFilterSchema, enterpriseSortSchema, { field: 'updatedAt', order: 'desc' }),
    output: pagedListOutput(enterpriseSummarySchema),
  },
  'enterprises.get': { access: 'records.read', input: z.object({ id }).strict(), output: enterpriseDetailSchema },
  'enterprises.create': { access: 'enterprise.write', input: z.object({ file: enterpriseFileSchema }).strict(), output: enterpriseDetailSchema },
  'enterprises.update': {
    access: 'enterprise.write',
    input: z.object({ id, version: z.number().int(), file: enterpriseFileSchema }).strict(),
    output: enterpriseDetailSchema,
  },
  /**
   * Deletes a credit file (soft: audited with the reason, synced; its ratings, financials and
   * attachments stay on record). For a file entered twice — two laptops, offline, one enterprise.
   */
  'enterprises.remove': {
    access: 'enterprise.delete',
    input: z.object({ id, version: z.number().int(), reason: plainText.trim().min(4).max(200) }).strict(),
    output: z.object({ id: z.string() }),
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

  /** Reads an .xlsx/.csv and proposes a column mapping (remembered per header set); writes nothing. */
  'enterprises.importPreview': enterpriseImport.preview,
  /** Imports the valid rows, matching on USCC (an existing file is updated, never duplicated). */
  'enterprises.importRun': enterpriseImport.run,
  /** The filtered, sorted list as an .xlsx with Chinese headers. */
  'enterprises.export': {
    access: 'records.read',
    input: z
      .object({ filter: enterpriseListFilterSchema.default({}), sort: enterpriseSortSchema.default({ field: 'updatedAt', order: 'desc' }) })
      .strict(),
    output: z.object({ fileName: z.string(), contentBase64: z.string(), rows: z.number().int() }),
  },

  'attachments.list': {
    access: 'records.read',
    input: z.object({ ownerType: attachmentOwnerTypeSchema, ownerId: id }).strict(),
    output: z.array(attachmentListItemSchema),
  },
  /** PDF, PNG or JPEG (checked by content), stored content-addressed and encrypted at rest. */
  'attachments.add': {
    access: 'enterprise.write',
    maxInputBytes: MAX_UPLOAD_INPUT_BYTES,
    input: z
      .object({
        ownerType: attachmentOwnerTypeSchema,
        ownerId: id,
        // Shown as a label and offered as a download name: no bidi overrides (‮gpj.exe), no NUL.
        fileName: displayText.trim().min(1).max(200),
        mime: z.enum(attachmentMimes),
        contentBase64: base64Schema,
        note: plainText.trim().max(200).optional(),
      })
      .strict(),
    output: attachmentListItemSchema,
  },
  /** The decrypted content, verified against its SHA-256. */
  'attachments.get': {
    access: 'records.read',
    input: z.object({ id }).strict(),
    output: z.object({ fileName: z.string(), mime: z.enum(attachmentMimes), contentBase64: z.string() }),
  },
  /**
   * A URL path that names the file (`/files/<ticket>/<file name>`), for the PDF viewer and a new tab:
   * their title and address then show the file's name, never a blob id. Both hosts serve it
   * (browser mode over HTTP, the desktop through app://) for ten minutes, to this session only.
   */
  'attachments.link': {
    access: 'records.read',
    input: z.object({ id }).strict(),
    output: z.object({ path: z.string() }),
  },
  /**
   * What a host serves at such a path. The ticket stands for the session that asked for the link
   * (a viewer's GET carries no launch token); the session must still be signed in and unlocked.
   */
  'attachments.open': {
    access: 'public',
    input: z.object({ ticket: z.string().regex(/^[\w-]{1,64}$/) }).strict(),
    output: z.object({ fileName: z.string(), mime: z.enum(attachmentMimes), contentBase64: z.string() }),
  },
  /**
   * Removes an attachment from its file (a soft delete, audited and synced like any record). The
   * encrypted file stays in the data folder, content-addressed: another record may name it, and
   * backups and the audit trail keep what was attached.
   */
  'attachments.remove': {
    access: 'enterprise.write',
    input: z.object({ id }).strict(),
    output: z.object({ id: z.string() }),
  },
} as const;

export type EnterpriseSummary = z.infer<typeof enterpriseSummarySchema>;
export type EnterpriseDetail = z.infer<typeof enterpriseDetailSchema>;
export type EnterpriseListFilter = z.infer<typeof enterpriseListFilterSchema>;
export type EnterpriseSort = z.infer<typeof enterpriseSortSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type AttachmentListItem = z.infer<typeof attachmentListItemSchema>;
export type AttachmentMime = (typeof attachmentMimes)[number];
export type ImportMapping = z.infer<typeof importMappingSchema>;
export type ImportDefaults = z.infer<typeof importDefaultsSchema>;
export type ImportPreview = z.infer<typeof importPreviewSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
