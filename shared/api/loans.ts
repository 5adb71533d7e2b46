import { z } from 'zod';
import { localDateSchema } from '../domain/calendar.ts';
import { guaranteeModes } from '../domain/guarantee.ts';
import { loanClassifications, loanSchema, loanSnapshotSchema, loanStatuses } from '../domain/loan.ts';
import { importMappingSchemaOf, importMethodsOf, importResultShape } from './imports.ts';

/**
 * Host API methods of the loan ledger (借据, DOMAIN §3); merged into contract.ts. A loan's 变更记录
 * is records.history of record type 'loans': the loan's changes and its snapshots'.
 */
const id = z.string().min(1).max(64);
const isoInstant = z.string().datetime({ offset: true });

export const loanListFilterSchema = z
  .object({
    /** A loan number prefix (JK2024, 360222012024), or an enterprise name fragment / pinyin initials / USCC prefix. */
    query: z.string().trim().max(60).optional(),
    enterpriseId: id.optional(),
    status: z.enum(loanStatuses).optional(),
    /** Any of these classes (不良 = substandard, doubtful, loss). */
    classifications: z.array(z.enum(loanClassifications)).min(1).max(loanClassifications.length).optional(),
    guaranteeMode: z.enum(guaranteeModes).optional(),
    /** Maturity on or after / on or before these days (both ends included). */
    maturesFrom: localDateSchema.optional(),
    maturesTo: localDateSchema.optional(),
  })
  .strict();

export const loanSortFields = ['maturesOn', 'disbursedOn', 'loanNumber', 'amount', 'balance', 'updatedAt'] as const;
export const loanSortSchema = z.object({ field: z.enum(loanSortFields), order: z.enum(['asc', 'desc']) }).strict();

/** The loan register (500k loans at a prefecture) caps its count like every large register (shared/api/paging.ts). */
export { LIST_COUNT_AHEAD } from './paging.ts';

export const loanSummarySchema = z.object({
  id,
  version: z.number().int(),
  loanNumber: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  enterpriseUscc: z.string(),
  applicationId: z.string().nullable(),
  /** Fen. */
  amount: z.number().int(),
  /** Fen, as of balanceAsOf (the newest snapshot). */
  balance: z.number().int(),
  balanceAsOf: z.string(),
  disbursedOn: z.string(),
  maturesOn: z.string(),
  rateBp: z.number().int(),
  classification: z.enum(loanClassifications),
  guaranteeMode: z.enum(guaranteeModes),
  status: z.enum(loanStatuses),
  updatedAt: isoInstant,
});

export const loanSnapshotRowSchema = loanSnapshotSchema.extend({
  id,
  version: z.number().int(),
  createdAt: isoInstant,
  createdByName: z.string().nullable(),
});

export const loanDetailSchema = loanSummarySchema.extend({
  purpose: z.string().nullable(),
  /** Newest first; every earlier snapshot is kept. */
  snapshots: z.array(loanSnapshotRowSchema),
  createdAt: isoInstant,
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  updatedBy: z.string(),
  updatedByName: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Import from a core-system export

/** The fields a loan import reads, each from one source column. */
export const loanImportFields = [
  'loanNumber',
  'enterpriseName',
  'uscc',
  'amount',
  'balance',
  'disbursedOn',
  'maturesOn',
  'rate',
  'classification',
  'guaranteeMode',
  'status',
  'purpose',
] as const;
export type LoanImportField = (typeof loanImportFields)[number];

/** Column headers of loan files (import and export), also the field names in rejection reasons. */
export const loanImportFieldLabels: Record<LoanImportField, string> = {
  loanNumber: '借据号',
  enterpriseName: '客户名称',
  uscc: '统一社会信用代码',
  amount: '贷款金额',
  balance: '贷款余额',
  disbursedOn: '发放日',
  maturesOn: '到期日',
  rate: '利率',
  classification: '五级分类',
  guaranteeMode: '担保方式',
  status: '借据状态',
  purpose: '贷款用途',
};

export const loanImportMappingSchema = importMappingSchemaOf(loanImportFields);
export const loanImportResultSchema = z.object({
  ...importResultShape,
  /** The day the balances and classifications of this import are as of (one import, one snapshot date). */
  asOf: z.string(),
  /** Snapshots written (new, or the same day's replaced) — one per imported or updated loan. */
  snapshots: z.number().int(),
  /** Borrowers of rejected rows with no enterprise file in the branch, by name and USCC, with their rows. */
  unknownEnterprises: z.array(z.object({ name: z.string(), uscc: z.string(), rows: z.array(z.number().int()) })),
});

const loanImport = importMethodsOf({ access: 'loan.write', mapping: loanImportMappingSchema, runOptions: { asOf: localDateSchema }, result: loanImportResultSchema });
export const loanImportPreviewSchema = loanImport.preview.output;

export const loanMethods = {
  /** Filtered, sorted and paged in SQL; the total is counted at most LIST_COUNT_AHEAD past the page unless exactTotal. */
  'loans.list': {
    access: 'records.read',
    input: z
      .object({
        filter: loanListFilterSchema.default({}),
        sort: loanSortSchema.default({ field: 'maturesOn', order: 'asc' }),
        offset: z.number().int().min(0).max(1_000_000).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        exactTotal: z.boolean().default(false),
      })
      .strict(),
    /** totalCapped: at least `total` match (show 「1,100+」). */
    output: z.object({ rows: z.array(loanSummarySchema), total: z.number().int(), totalCapped: z.boolean() }),
  },
  'loans.get': { access: 'records.read', input: z.object({ id }).strict(), output: loanDetailSchema },
  /** By hand: also records the balance and classification as of balanceAsOf as a snapshot. */
  'loans.create': { access: 'loan.write', input: z.object({ loan: loanSchema }).strict(), output: loanDetailSchema },
  /** Writing a loan off needs loan.writeOff as well; a settled or written-off loan keeps its status. */
  'loans.update': {
    access: 'loan.write',
    input: z.object({ id, version: z.number().int(), loan: loanSchema }).strict(),
    output: loanDetailSchema,
  },
  /** A month-end entry: balance and classification as of a day (the same day again replaces it). */
  'loans.recordSnapshot': {
    access: 'loan.write',
    input: z.object({ loanId: id, snapshot: loanSnapshotSchema }).strict(),
    output: loanDetailSchema,
  },
  'loans.snapshots': { access: 'records.read', input: z.object({ loanId: id }).strict(), output: z.array(loanSnapshotRowSchema) },

  /** Reads an .xlsx/.csv and proposes a column mapping (remembered per header set); writes nothing. */
  'loans.importPreview': loanImport.preview,
  /**
   * Imports the valid rows as of one day, matching on the loan number (an existing loan is updated,
   * never duplicated) and recording a snapshot per loan; a borrower without an enterprise file is
   * reported by name and USCC.
   */
  'loans.importRun': loanImport.run,
  /** The filtered, sorted list as an .xlsx with the import's headers (it imports back). */
  'loans.export': {
    access: 'records.read',
    input: z.object({ filter: loanListFilterSchema.default({}), sort: loanSortSchema.default({ field: 'maturesOn', order: 'asc' }) }).strict(),
    output: z.object({ fileName: z.string(), contentBase64: z.string(), rows: z.number().int() }),
  },
} as const;

export type LoanSummary = z.infer<typeof loanSummarySchema>;
export type LoanDetail = z.infer<typeof loanDetailSchema>;
export type LoanSnapshotRow = z.infer<typeof loanSnapshotRowSchema>;
export type LoanListFilter = z.infer<typeof loanListFilterSchema>;
export type LoanSort = z.infer<typeof loanSortSchema>;
export type LoanImportMapping = z.infer<typeof loanImportMappingSchema>;
export type LoanImportPreview = z.infer<typeof loanImportPreviewSchema>;
export type LoanImportResult = z.infer<typeof loanImportResultSchema>;
