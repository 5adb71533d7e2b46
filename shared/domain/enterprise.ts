import { z } from 'zod';
import { isValidIndustryCode } from '../codes/industries.ts';
import { localDateSchema, yearSchema } from './calendar.ts';
import { checkDivisionCode, divisionFailureMessage } from './division.ts';
import { environmentalRatingLevels } from './environmentalRating.ts';
import { fenSchema, nonNegativeFenSchema } from './money.ts';
import { checkUscc, normalizeUscc, type UsccFailure } from './uscc.ts';

/**
 * The enterprise credit file (企业信贷档案) at the form/API boundary: the host API contract and
 * the UI form both parse with these. Messages are zod's defaults (the app loads zod's zh-CN
 * locale), except for the USCC, whose issues carry `params` (reason, expected …) so the UI can say
 * 「校验位应为 Y」 in either language.
 */

/** zh-CN fallback text; the UI translates from `params`. */
function usccMessage(failure: UsccFailure): string {
  switch (failure.reason) {
    case 'length':
      return `统一社会信用代码应为 18 位，现为 ${failure.length} 位`;
    case 'charset':
      return `第 ${failure.position} 位「${failure.character}」不是统一社会信用代码字符`;
    case 'authority':
      return `第 1 位登记管理部门代码「${failure.character}」无效`;
    case 'division':
      return `第 ${failure.position} 位应为数字（登记管理机关行政区划码）`;
    case 'check':
      return `校验位应为 ${failure.expected}`;
  }
}

function usccIssue(failure: UsccFailure, code: string, path: PropertyKey[]) {
  const { ok: _ok, ...params } = failure;
  return { code: 'custom' as const, path, input: code, message: usccMessage(failure), params };
}

/** A USCC on its own (search, lookups): normalised, then checked strictly. */
export const usccSchema = z
  .string()
  .transform(normalizeUscc)
  .superRefine((code, ctx) => {
    const result = checkUscc(code);
    if (!result.ok) ctx.addIssue(usccIssue(result, code, []));
  });

/** Mobile 1[3-9]xxxxxxxxx, or a landline with its area code (010/02x + 8 digits, 0xxx + 7–8), optional extension. */
const PHONE_PATTERN = /^(?:1[3-9]\d{9}|0(?:10|2\d)-?[2-9]\d{7}|0[3-9]\d{2}-?[2-9]\d{6,7})(?:-\d{1,6})?$/;

export const phoneSchema = z
  .string()
  .transform((phone) => phone.normalize('NFKC').replace(/\s+/g, ''))
  .pipe(z.string().regex(PHONE_PATTERN));

export const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  phone: phoneSchema,
});

/**
 * A current county-level code (or a prefecture-level one for the few cities without counties, 东莞
 * 441900 …), checked against the shipped division list. The issue carries `params` (reason, code,
 * name) so the UI can say why in either language; its message is the zh-CN text.
 */
export const divisionCodeSchema = z.string().superRefine((code, ctx) => {
  const result = checkDivisionCode(code);
  if (result.ok) return;
  const { ok: _ok, ...params } = result;
  ctx.addIssue({ code: 'custom', input: code, message: divisionFailureMessage(result), params });
});

export const industryCodeSchema = z.string().trim().toUpperCase().refine(isValidIndustryCode);

/** 大/中/小/微 as in 工信部联企业〔2011〕300号《中小企业划型标准规定》. */
export const enterpriseScales = ['large', 'medium', 'small', 'micro'] as const;

/**
 * 企业控股情况, the statistical bureau's ownership-by-control categories: 国有控股, 集体控股,
 * 私人控股, 港澳台商控股, 外商控股, 其他.
 */
export const ownershipTypes = ['state', 'collective', 'private', 'hongKongMacaoTaiwan', 'foreign', 'other'] as const;

export const enterpriseIdentitySchema = z
  .strictObject({
    /** Checked below, together with usccCheckOverride. */
    uscc: z.string().transform(normalizeUscc),
    /**
     * A real code whose check character does not verify (a few exist) can be kept when someone
     * records why; the host stores who asked, and a credit manager confirms it. It excuses only
     * the check character, never a malformed code.
     */
    usccCheckOverride: z
      .strictObject({ reason: z.string().trim().min(4).max(500) })
      .nullable()
      .default(null),
    name: z.string().trim().min(2).max(100),
    legalRepresentative: z.string().trim().min(2).max(100),
    address: z.string().trim().min(2).max(200),
    divisionCode: divisionCodeSchema,
    contacts: z.array(contactSchema).max(10),
    industryCode: industryCodeSchema,
    scale: z.enum(enterpriseScales),
    ownership: z.enum(ownershipTypes),
    /** Unknown is null, not 0. */
    employees: z.int().nonnegative().max(10_000_000).nullable(),
  })
  .superRefine(
    (identity, ctx) => {
      const result = checkUscc(identity.uscc);
      if (result.ok) {
        if (identity.usccCheckOverride !== null) {
          ctx.addIssue({
            code: 'custom',
            path: ['usccCheckOverride'],
            input: identity.usccCheckOverride,
            message: '校验位无误，无需特批',
            params: { reason: 'overrideNotNeeded' },
          });
        }
        return;
      }
      if (result.reason === 'check' && identity.usccCheckOverride !== null) return;
      ctx.addIssue(usccIssue(result, identity.uscc, ['uscc']));
    },
    // Run even when other fields failed, so the form shows the USCC problem alongside them.
    { when: (payload) => typeof (payload.value as { uscc?: unknown } | undefined)?.uscc === 'string' },
  );

const recognitionLevelSchema = z.enum(['national', 'provincial']);

/** A national or provincial list the enterprise appears on, and the year of the list. */
const recognitionSchema = z.strictObject({ level: recognitionLevelSchema, year: yearSchema });

export const greenCredentialsSchema = z.strictObject({
  /** 国家级/省级绿色工厂. */
  greenFactory: recognitionSchema.nullable(),
  /** The 绿色工业园区 the enterprise sits in. */
  greenPark: z
    .strictObject({ name: z.string().trim().min(2).max(100), level: recognitionLevelSchema, year: yearSchema })
    .nullable(),
  /** 绿色供应链管理企业. */
  greenSupplyChain: recognitionSchema.nullable(),
  /** 绿色设计产品. */
  greenProducts: z.array(z.strictObject({ name: z.string().trim().min(1).max(100), year: yearSchema })).max(200),
  /** 水效领跑者 / 节水标杆企业. */
  waterEfficiencyBenchmark: recognitionSchema.nullable(),
  /** 项目互荐: recommended by the industry department (seed 000 四), which earns priority handling. */
  miitRecommendation: z.discriminatedUnion('recommended', [
    z.strictObject({ recommended: z.literal(false) }),
    z.strictObject({ recommended: z.literal(true), date: localDateSchema, batch: z.string().trim().min(1).max(50) }),
  ]),
});

export const enterpriseFlagsSchema = z.strictObject({
  /** 落后产能: new credit is strict once the exit deadline passes without an exit (seed 000). */
  outdatedCapacity: z.discriminatedUnion('flagged', [
    z.strictObject({ flagged: z.literal(false) }),
    z.strictObject({ flagged: z.literal(true), exitDeadline: localDateSchema, exitedOn: localDateSchema.nullable() }),
  ]),
  greenList: z.boolean(),
  negativeList: z.boolean(),
});

export const enterpriseFileSchema = z.strictObject({
  identity: enterpriseIdentitySchema,
  greenCredentials: greenCredentialsSchema,
  flags: enterpriseFlagsSchema,
});

/** One 环境信用评价 result, as issued by a bureau on a date. */
export const environmentalRatingEntrySchema = z.strictObject({
  level: z.enum(environmentalRatingLevels),
  bureau: z.string().trim().min(2).max(100),
  ratedOn: localDateSchema,
});

/** Annual figures, all in fen (integer 分). Profit may be a loss. */
export const financialSnapshotSchema = z.strictObject({
  year: yearSchema,
  revenue: nonNegativeFenSchema,
  totalAssets: nonNegativeFenSchema,
  liabilities: nonNegativeFenSchema,
  profit: fenSchema,
});

/**
 * A quantity as an exact decimal string, at most 4 decimals, never a float (these feed
 * environmental-benefit and carbon sums that are reported to the ton).
 */
export const quantitySchema = z.string().regex(/^(?:0|[1-9]\d{0,14})(?:\.\d{1,4})?$/);

/** Annual resource use and emissions; null where the enterprise did not report the figure. */
export const resourceIndicatorsSchema = z.strictObject({
  year: yearSchema,
  /** 综合能耗, 吨标准煤. */
  energyTce: quantitySchema.nullable(),
  /** 取水量, m³. */
  waterM3: quantitySchema.nullable(),
  codT: quantitySchema.nullable(),
  nh3nT: quantitySchema.nullable(),
  so2T: quantitySchema.nullable(),
  noxT: quantitySchema.nullable(),
  co2T: quantitySchema.nullable(),
});

export type EnterpriseIdentity = z.infer<typeof enterpriseIdentitySchema>;
export type GreenCredentials = z.infer<typeof greenCredentialsSchema>;
export type EnterpriseFlags = z.infer<typeof enterpriseFlagsSchema>;
export type EnterpriseFile = z.infer<typeof enterpriseFileSchema>;
export type EnterpriseFileInput = z.input<typeof enterpriseFileSchema>;
export type EnvironmentalRatingEntry = z.infer<typeof environmentalRatingEntrySchema>;
export type FinancialSnapshot = z.infer<typeof financialSnapshotSchema>;
export type ResourceIndicators = z.infer<typeof resourceIndicatorsSchema>;

/** A file's green credentials before any is recorded (an import row, a new file, test data). */
export const noGreenCredentials: GreenCredentials = {
  greenFactory: null,
  greenPark: null,
  greenSupplyChain: null,
  greenProducts: [],
  waterEfficiencyBenchmark: null,
  miitRecommendation: { recommended: false },
};

/** A file's policy flags before any is set. */
export const noEnterpriseFlags: EnterpriseFlags = { outdatedCapacity: { flagged: false }, greenList: false, negativeList: false };
