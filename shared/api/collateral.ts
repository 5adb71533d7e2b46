import { z } from 'zod';
import { localDateSchema } from '../domain/calendar.ts';
import { collateralActions, collateralDetailsSchema, collateralStatuses, collateralTypes, priceBases, validitySchema } from '../domain/collateral.ts';
import { collateralAlertKinds } from '../domain/collateralAlerts.ts';
import { nonNegativeFenSchema } from '../domain/money.ts';
import { importMappingSchemaOf, importMethodsOf, importResultShape } from './imports.ts';
import { pagedListInput, pagedListOutput } from './paging.ts';

/**
 * Host API methods of the environmental-rights collateral register (抵质押登记簿, DOMAIN §2, issue
 * 15); merged into contract.ts. An item's 变更记录 is records.history of record type
 * 'collateral_items'; its certificate scans are attachments of owner type 'collateral_items'.
 */
const id = z.string().min(1).max(64);
const isoInstant = z.string().datetime({ offset: true });
const shortText = z.string().trim().min(1).max(200);

/** How the appraisal was made; the host computes the value from it (shared/domain/collateralValuation.ts). */
export const valuationInputSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('quantity_price'),
    /** 分 per unit (per unit-year, per unit of the validity, or outright: basis). The quantity is the item's. */
    unitPriceFen: z.int().positive().max(1_000_000_000_000),
    basis: z.enum(priceBases),
    appraisedOn: localDateSchema,
    appraiser: shortText,
  }),
  z.strictObject({
    method: z.literal('discounted_cash_flow'),
    flows: z.array(z.strictObject({ on: localDateSchema, amountFen: z.int().min(-1_000_000_000_000).max(1_000_000_000_000) })).min(1).max(600),
    discountRateBp: z.int().min(0).max(5_000),
    appraisedOn: localDateSchema,
    appraiser: shortText,
  }),
  z.strictObject({
    method: z.literal('appraisal_report'),
    valueFen: nonNegativeFenSchema.max(1_000_000_000_000_000),
    reportNumber: shortText,
    appraisedOn: localDateSchema,
    appraiser: shortText,
  }),
]);
export type ValuationInput = z.infer<typeof valuationInputSchema>;

export const collateralItemInputSchema = z.strictObject({
  enterpriseId: id,
  details: collateralDetailsSchema,
  certificateNumber: shortText.max(60),
  certificateIssuer: shortText,
  validity: validitySchema,
  valuation: valuationInputSchema,
  pledgeRateBp: z.int().min(1).max(10_000),
  notes: z.string().trim().max(2000).nullable().default(null),
});
export type CollateralItemInput = z.input<typeof collateralItemInputSchema>;
export type CollateralItem = z.output<typeof collateralItemInputSchema>;

export const registrationInputSchema = z
  .strictObject({
    /** 动产融资统一登记公示系统, or a local emission-trading centre that freezes 排污权. */
    registry: shortText,
    /** 登记证明编号, kept as typed (its format is not published: reference/registry-fields.json). */
    registrationNumber: z.string().trim().min(1).max(60),
    registeredOn: localDateSchema,
    expiresOn: localDateSchema,
  })
  .refine((registration) => registration.registeredOn <= registration.expiresOn, { message: 'REGISTRATION_ORDER', path: ['expiresOn'] });

/** A renewal (展期登记) of the item's registration, as the registry recorded it. */
export const renewalInputSchema = z
  .strictObject({
    renewedOn: localDateSchema,
    expiresOn: localDateSchema,
    /** The registry's number for the renewal (often the registration's own, kept as typed). */
    registrationNumber: z.string().trim().min(1).max(60),
    /** Omitted: the registry the item was registered with. */
    registry: shortText.optional(),
    notes: z.string().trim().max(500).nullable().default(null),
  })
  .refine((renewal) => renewal.renewedOn <= renewal.expiresOn, { message: 'RENEWAL_ORDER', path: ['expiresOn'] });
export type RenewalInput = z.input<typeof renewalInputSchema>;

export const renewalRowSchema = z.object({
  id,
  renewedOn: z.string(),
  previousExpiresOn: z.string(),
  expiresOn: z.string(),
  registry: z.string(),
  registrationNumber: z.string(),
  notes: z.string().nullable(),
  createdAt: isoInstant,
  createdByName: z.string().nullable(),
});

export const collateralListFilterSchema = z.strictObject({
  type: z.enum(collateralTypes).optional(),
  status: z.enum(collateralStatuses).optional(),
  enterpriseId: id.optional(),
  /** Entered by (the maker). */
  makerId: id.optional(),
  /** The right or its registration ends within this many days of today (lapsed ones included). */
  expiringWithinDays: z.int().min(0).max(3650).optional(),
  /** Items raising this alert now (shared/domain/collateralAlerts.ts), as their pages show it. */
  alertKind: z.enum(collateralAlertKinds).optional(),
});

export const collateralSortFields = ['updatedAt', 'validTo', 'registrationExpiresOn', 'appraisedValue', 'pledgedValue'] as const;
export const collateralSortSchema = z.strictObject({ field: z.enum(collateralSortFields), order: z.enum(['asc', 'desc']) });

export const collateralSummarySchema = z.object({
  id,
  version: z.number().int(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  type: z.enum(collateralTypes),
  status: z.enum(collateralStatuses),
  certificateNumber: z.string(),
  validTo: z.string(),
  appraisedValue: z.number().int(),
  pledgeRateBp: z.number().int(),
  pledgedValue: z.number().int(),
  registrationNumber: z.string().nullable(),
  registrationExpiresOn: z.string().nullable(),
  makerId: z.string(),
  makerName: z.string().nullable(),
  updatedAt: isoInstant,
});

export const collateralAlertSchema = z.object({ kind: z.enum(collateralAlertKinds) }).passthrough();

export const appraisalRowSchema = z.object({
  id,
  appraisedOn: z.string(),
  method: z.enum(['quantity_price', 'discounted_cash_flow', 'appraisal_report']),
  inputs: z.record(z.string(), z.unknown()),
  value: z.number().int(),
  appraiser: z.string(),
  nextDueOn: z.string(),
  createdAt: isoInstant,
  createdByName: z.string().nullable(),
});

export const collateralLoanLinkSchema = z.object({
  id,
  loanId: z.string(),
  loanNumber: z.string(),
  maturesOn: z.string(),
  balance: z.number().int(),
  securedAmount: z.number().int().nullable(),
});

export const collateralDetailSchema = collateralSummarySchema.extend({
  details: collateralDetailsSchema,
  certificateIssuer: z.string(),
  validFrom: z.string(),
  appraisedOn: z.string(),
  revaluationDueOn: z.string(),
  termsVersion: z.number().int(),
  checkerId: z.string().nullable(),
  checkerName: z.string().nullable(),
  decidedAt: isoInstant.nullable(),
  decisionReason: z.string().nullable(),
  registry: z.string().nullable(),
  registeredOn: z.string().nullable(),
  notes: z.string().nullable(),
  /** Newest first. */
  appraisals: z.array(appraisalRowSchema),
  loans: z.array(collateralLoanLinkSchema),
  /** The registration's renewals (展期), newest first; the item's registrationExpiresOn is the latest's. */
  renewals: z.array(renewalRowSchema),
  /** Whether this user may record a renewal now (registered and pledged, collateral.write). */
  mayRenew: z.boolean(),
  alerts: z.array(collateralAlertSchema),
  /** The actions the host would accept from this user now (four-eyes and permissions applied). */
  allowedActions: z.array(z.enum(collateralActions)),
});

export const collateralTotalsSchema = z.object({
  count: z.number().int(),
  /** Sums over the filtered set, fen. */
  appraisedValue: z.number().int(),
  pledgedValue: z.number().int(),
  /** Pledged value of the registered items of the set only: what counts toward collateral value. */
  countedPledgedValue: z.number().int(),
});

// ---------------------------------------------------------------------------------------------
// Import of an existing collateral list (.xlsx/.csv) through the one importer

/** The fields a collateral import reads, each from one source column; the per-type ones apply to their types only. */
export const collateralImportFields = [
  'certificateNumber',
  'uscc',
  'enterpriseName',
  'type',
  'certificateIssuer',
  'validFrom',
  'validTo',
  'pollutant',
  'carbonKind',
  'complianceYear',
  'quantity',
  'unit',
  'contract',
  'counterparty',
  'patentNumbers',
  'patentTitles',
  'unitPrice',
  'priceBasis',
  'appraisedValue',
  'appraisalMethod',
  'reportNumber',
  'appraisedOn',
  'appraiser',
  'pledgeRate',
  'notes',
] as const;
export type CollateralImportField = (typeof collateralImportFields)[number];

/** Column headers of the import template, also the field names in rejection reasons. */
export const collateralImportFieldLabels: Record<CollateralImportField, string> = {
  certificateNumber: '权证编号',
  uscc: '统一社会信用代码',
  enterpriseName: '出质企业',
  type: '类型',
  certificateIssuer: '发证机关',
  validFrom: '有效期起',
  validTo: '有效期至',
  pollutant: '污染物',
  carbonKind: '碳资产类别',
  complianceYear: '履约年度',
  quantity: '数量',
  unit: '单位',
  contract: '合同或项目名称',
  counterparty: '付款方或授予方',
  patentNumbers: '专利号',
  patentTitles: '专利名称',
  unitPrice: '单价（元）',
  priceBasis: '计价方式',
  appraisedValue: '评估价值（元）',
  appraisalMethod: '评估方法',
  reportNumber: '评估报告编号',
  appraisedOn: '评估基准日',
  appraiser: '评估机构',
  pledgeRate: '质押率',
  notes: '备注',
};

export const collateralImportMappingSchema = importMappingSchemaOf(collateralImportFields);
/** What the imported items start as: a draft for the officer to check, or submitted to the review queue at once. */
export const collateralImportStatuses = ['draft', 'submitted'] as const;

export const collateralImportResultSchema = z.object({
  ...importResultShape,
  status: z.enum(collateralImportStatuses),
});

const collateralImport = importMethodsOf({ access: 'collateral.write', mapping: collateralImportMappingSchema, runOptions: { status: z.enum(collateralImportStatuses) }, result: collateralImportResultSchema });
export const collateralImportPreviewSchema = collateralImport.preview.output;

export const collateralMethods = {
  'collateral.list': {
    access: 'records.read',
    input: pagedListInput(collateralListFilterSchema, collateralSortSchema, { field: 'updatedAt', order: 'desc' }),
    output: pagedListOutput(collateralSummarySchema),
  },
  'collateral.totals': { access: 'records.read', input: z.strictObject({ filter: collateralListFilterSchema.default({}) }), output: collateralTotalsSchema },
  /** The filtered, sorted register as an .xlsx, with a 合计 row (the exporter of every register). */
  'collateral.export': {
    access: 'records.read',
    input: z.strictObject({ filter: collateralListFilterSchema.default({}), sort: collateralSortSchema.default({ field: 'updatedAt', order: 'desc' }) }),
    output: z.object({ fileName: z.string(), contentBase64: z.string(), rows: z.number().int() }),
  },
  'collateral.get': { access: 'records.read', input: z.strictObject({ id }), output: collateralDetailSchema },
  /** A draft, or submitted at once (submit); the host computes the appraisal and checks the pledge-rate cap. */
  'collateral.create': {
    access: 'collateral.write',
    input: z.strictObject({ item: collateralItemInputSchema, submit: z.boolean().default(false) }),
    output: collateralDetailSchema,
  },
  /** Only a draft or a rejected item is edited; past that, values change through collateral.revalue. */
  'collateral.update': {
    access: 'collateral.write',
    input: z.strictObject({ id, version: z.number().int(), item: collateralItemInputSchema }),
    output: collateralDetailSchema,
  },
  /** A lifecycle step; approve/reject need collateral.approve and are never the maker's; register takes the registration. */
  'collateral.act': {
    access: 'collateral.write',
    input: z.strictObject({
      id,
      version: z.number().int(),
      action: z.enum(collateralActions),
      reason: z.string().trim().min(1).max(500).optional(),
      registration: registrationInputSchema.optional(),
    }),
    output: collateralDetailSchema,
  },
  /** A recorded revaluation: a new appraisal becomes the item's value (credit managers). */
  'collateral.revalue': {
    access: 'collateral.approve',
    input: z.strictObject({ id, version: z.number().int(), valuation: valuationInputSchema }),
    output: collateralDetailSchema,
  },
  /** A renewal of the registration (展期): a dated record; the item's registration expiry and number follow it. */
  'collateral.renew': {
    access: 'collateral.write',
    input: z.strictObject({ id, version: z.number().int(), renewal: renewalInputSchema }),
    output: collateralDetailSchema,
  },
  'collateral.linkLoan': {
    access: 'collateral.write',
    input: z.strictObject({ itemId: id, loanId: id, securedAmountFen: z.int().positive().nullable() }),
    output: collateralDetailSchema,
  },
  /** The import template: the import's headers, with a sheet saying what each column takes. */
  'collateral.importTemplate': { access: 'collateral.write', input: z.strictObject({}), output: z.object({ fileName: z.string(), contentBase64: z.string() }) },
  /** Reads an .xlsx/.csv and proposes a column mapping (remembered per header set); writes nothing. */
  'collateral.importPreview': collateralImport.preview,
  /**
   * Files every valid row as a new item, a draft or submitted (never further: each needs a credit
   * manager's four-eyes approval), valued and rate-checked as collateral.create does; a certificate
   * already in the file or on the register is refused as a duplicate.
   */
  'collateral.importRun': collateralImport.run,
  /** The people who enter collateral (loan officers and credit managers of the branch): the register's officer filter. */
  'collateral.officers': { access: 'records.read', input: z.strictObject({}), output: z.array(z.object({ id: z.string(), name: z.string() })) },
  /** The collateral terms in force (version, source, caps, prices): what an administrator checks. */
  'collateral.terms': { access: 'records.read', input: z.strictObject({}), output: z.record(z.string(), z.unknown()) },
} as const;

export type CollateralSummary = z.infer<typeof collateralSummarySchema>;
export type CollateralDetail = z.infer<typeof collateralDetailSchema>;
export type CollateralListFilter = z.infer<typeof collateralListFilterSchema>;
export type CollateralSort = z.infer<typeof collateralSortSchema>;
export type CollateralTotals = z.infer<typeof collateralTotalsSchema>;
export type RegistrationInput = z.infer<typeof registrationInputSchema>;
export type CollateralImportMapping = z.infer<typeof collateralImportMappingSchema>;
export type CollateralImportPreview = z.infer<typeof collateralImportPreviewSchema>;
export type CollateralImportResult = z.infer<typeof collateralImportResultSchema>;
