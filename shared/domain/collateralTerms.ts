import { z } from 'zod';
import { localDateSchema } from './calendar.ts';
import { collateralTypes, type CollateralType } from './collateral.ts';
import type { PledgeRateCap } from './collateralValuation.ts';

/**
 * The collateral register's reference data (name `collateral-terms`): pledge-rate caps and
 * reference prices with the document each comes from, revaluation intervals, the coverage limit
 * and the registration warning horizon. Head office publishes new versions through the reference-
 * data mechanism (shared/sync/referenceSets.ts checks them against this schema); the shipped
 * default below is read from ../shared/reference/ (pledge-rules.csv, carbon-market.json) and
 * says where each figure is uncertain. None of it is law written into code.
 */

const capSchema = z.strictObject({
  /** null: no published cap was found for the type; the rate may not pass 100 %. */
  capBp: z.int().min(1).max(10_000).nullable(),
  source: z.string().trim().min(1).max(300),
});

const referencePriceSchema = z.strictObject({
  type: z.enum(collateralTypes),
  /** 分 per unit, in the unit named. */
  priceFen: z.int().positive(),
  unit: z.string().trim().min(1).max(20),
  asOf: localDateSchema,
  source: z.string().trim().min(1).max(300),
});

export const collateralTermsSchema = z.strictObject({
  version: z.int().positive(),
  /** Who issued this version (shown to an administrator beside its version). */
  source: z.string().trim().min(1).max(300),
  caps: z.strictObject(Object.fromEntries(collateralTypes.map((type) => [type, capSchema])) as Record<CollateralType, typeof capSchema>),
  referencePrices: z.array(referencePriceSchema).max(200),
  /** Months from an appraisal to the next revaluation, per type. */
  revaluationMonths: z.strictObject(Object.fromEntries(collateralTypes.map((type) => [type, z.int().min(1).max(120)])) as Record<CollateralType, z.ZodInt>),
  /** Coverage (secured balance ÷ pledged value) above this is an alert; 10000 = 100 %. */
  coverageLimitBp: z.int().min(1).max(100_000),
  /** A registration expiring within this many days is an alert. */
  registrationWarningDays: z.int().min(1).max(365),
});

export type CollateralTerms = z.infer<typeof collateralTermsSchema>;

const noCapFound = (what: string): PledgeRateCap => ({ capBp: null, source: `未找到已发布的${what}质押率上限（../shared/reference/pledge-rules.csv），不超过 100%` });

/**
 * The shipped default. The 排污权 80 % cap is Hunan's rule (the most usable row of
 * pledge-rules.csv, read in a news copy); the 水权 50 % is DOMAIN.md's Hubei figure, whose rate the
 * reference folder could not confirm; other types have no cap found. The CEA price is the 2024
 * close read in the MEE's market report. Revaluation intervals, coverage limit and warning days are
 * GreenLedger's working defaults, not any regulation's.
 */
export const defaultCollateralTerms: CollateralTerms = {
  version: 1,
  source: 'GreenLedger 默认值（据 ../shared/reference/，待总行发布）',
  caps: {
    emission_right: { capBp: 8_000, source: '《湖南省主要污染物排污权抵押贷款管理办法（试行）》：不超过排污权评估价值的80%' },
    carbon_allowance: noCapFound('碳排放权'),
    water_right: { capBp: 5_000, source: '湖北省水权质押 50%（DOMAIN.md；pledge-rules.csv 未读到比例，待核实）' },
    energy_use_right: noCapFound('用能权'),
    energy_saving_income: noCapFound('节能节水未来收益权'),
    emc_income: noCapFound('合同能源管理收益权'),
    green_ip: noCapFound('节能环保知识产权'),
    franchise: noCapFound('特许经营权'),
  },
  referencePrices: [
    {
      type: 'carbon_allowance',
      priceFen: 9_749,
      unit: 'tCO2e',
      asOf: '2024-12-31',
      source: '全国碳市场 CEA 2024 年收盘价 97.49 元/吨（生态环境部《全国碳市场发展报告》，解放日报 2025-09-25）',
    },
  ],
  revaluationMonths: {
    emission_right: 12,
    carbon_allowance: 6,
    water_right: 12,
    energy_use_right: 12,
    energy_saving_income: 12,
    emc_income: 12,
    green_ip: 12,
    franchise: 12,
  },
  coverageLimitBp: 10_000,
  registrationWarningDays: 30,
};

export function pledgeRateCap(terms: CollateralTerms, type: CollateralType): PledgeRateCap {
  return terms.caps[type];
}

/** The newest reference price for a type (null where none is published). */
export function referencePrice(terms: CollateralTerms, type: CollateralType): CollateralTerms['referencePrices'][number] | null {
  const prices = terms.referencePrices.filter((price) => price.type === type);
  return prices.reduce<CollateralTerms['referencePrices'][number] | null>((newest, price) => (newest === null || price.asOf > newest.asOf ? price : newest), null);
}

/** The day a revaluation falls due after an appraisal dated `appraisedOn` (month end clamps: 31 Aug + 6 → 28/29 Feb). */
export function nextRevaluationDue(terms: CollateralTerms, type: CollateralType, appraisedOn: string): string {
  const months = terms.revaluationMonths[type];
  const year = Number(appraisedOn.slice(0, 4));
  const month = Number(appraisedOn.slice(5, 7)) - 1 + months;
  const day = Number(appraisedOn.slice(8, 10));
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(day, lastOfMonth))).toISOString().slice(0, 10);
}
