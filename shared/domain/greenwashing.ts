import { z } from 'zod';
import { type Catalogue, lookupCode } from '../codes/greenCatalogues.ts';
import { benefitIndicators, benefitIndicatorWords, hasBenefitFigures, parseDecimal, perWanYuan, type BenefitIndicator, type ProjectBenefits } from './environmentalBenefit.ts';
import { isAdverseRating, type EnvironmentalRatingLevel } from './environmentalRating.ts';

/**
 * The greenwashing check (洗绿/漂绿, seed 004): a tag is listed when it lacks a code, evidence or
 * benefit figures; when its benefits are implausible for the money (outside bounds per 万元 of
 * project investment that head office sets); or when its enterprise is red/black rated, on the
 * negative list, or under an open environmental rectification case (环保整改, not yet verified
 * closed). Each finding says why, so the list can print it beside a link to the record.
 */

/** Bounds on a benefit per 万元 of project investment; either side may be absent. */
export const benefitBoundSchema = z
  .strictObject({
    indicator: z.enum(benefitIndicators),
    min: z.string().regex(/^\d{1,9}(?:\.\d{1,4})?$/).nullable(),
    max: z.string().regex(/^\d{1,9}(?:\.\d{1,4})?$/).nullable(),
  })
  .refine((bound) => bound.min === null || bound.max === null || compareDecimals(bound.min, bound.max) <= 0, { message: 'min above max' });

export const greenwashingBoundsSchema = z.strictObject({
  version: z.int().positive(),
  /** Who set the bounds and on what basis (shown beside a finding). */
  source: z.string().trim().min(1).max(300),
  bounds: z.array(benefitBoundSchema),
});
export type GreenwashingBounds = z.infer<typeof greenwashingBoundsSchema>;

/**
 * The shipped bounds: no official figure exists, so these are the bank's own reading, published by
 * head office as the reference set `greenwashing-bounds` to change them. Energy-saving projects cost
 * in the order of thousands of 元 per tce saved each year, so more than 10 tce (or 30 t CO2) a year
 * per 万元 invested is far outside what a county project achieves and worth a second look.
 */
export const defaultGreenwashingBounds: GreenwashingBounds = {
  version: 1,
  source: '本行初始设定（无官方上限，总行可调整）',
  bounds: [
    { indicator: 'coalSavedTce', min: null, max: '10' },
    { indicator: 'co2ReducedT', min: null, max: '30' },
  ],
};

function compareDecimals(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const xs = x.units * 10n ** BigInt(scale - x.scale);
  const ys = y.units * 10n ** BigInt(scale - y.scale);
  return xs < ys ? -1 : xs > ys ? 1 : 0;
}

export type GreenwashingReason =
  | { rule: 'noCode' }
  | { rule: 'unknownCode'; code: string }
  | { rule: 'noEvidence' }
  | { rule: 'noBenefits' }
  | { rule: 'implausibleBenefit'; indicator: BenefitIndicator; perWanYuan: string; bound: string; side: 'above' | 'below' }
  | { rule: 'adverseRating'; rating: EnvironmentalRatingLevel }
  | { rule: 'negativeList' }
  | { rule: 'openEnvironmentalCase'; caseNumbers: string[] };

export interface GreenwashingFacts {
  code: string | null;
  evidenceCount: number;
  benefits: ProjectBenefits;
  /** Project total investment in fen; null where not recorded (then no per-万元 check). */
  totalInvestmentFen: number | null;
  enterprise: {
    environmentalRating: EnvironmentalRatingLevel | null;
    negativeList: boolean;
    /** Case numbers of its environmental rectification cases not yet verified closed (db/rectification.ts openEnvironmentalCases). */
    openEnvironmentalCases: readonly string[];
  };
}

/** Every reason the tag is on the greenwashing list; empty when it passes. */
export function greenwashingReasons(facts: GreenwashingFacts, catalogue: Catalogue, bounds: GreenwashingBounds): GreenwashingReason[] {
  const reasons: GreenwashingReason[] = [];
  if (facts.code === null || facts.code === '') reasons.push({ rule: 'noCode' });
  else if (!lookupCode(catalogue, facts.code).ok) reasons.push({ rule: 'unknownCode', code: facts.code });
  if (facts.evidenceCount < 1) reasons.push({ rule: 'noEvidence' });
  if (!hasBenefitFigures(facts.benefits)) reasons.push({ rule: 'noBenefits' });
  else if (facts.totalInvestmentFen !== null && facts.totalInvestmentFen > 0) {
    for (const bound of bounds.bounds) {
      const figure = facts.benefits[bound.indicator];
      if (figure === null) continue;
      const ratio = perWanYuan(figure, facts.totalInvestmentFen)!;
      if (bound.max !== null && compareDecimals(ratio, bound.max) > 0) reasons.push({ rule: 'implausibleBenefit', indicator: bound.indicator, perWanYuan: ratio, bound: bound.max, side: 'above' });
      if (bound.min !== null && compareDecimals(ratio, bound.min) < 0) reasons.push({ rule: 'implausibleBenefit', indicator: bound.indicator, perWanYuan: ratio, bound: bound.min, side: 'below' });
    }
  }
  const rating = facts.enterprise.environmentalRating;
  if (rating !== null && isAdverseRating(rating)) reasons.push({ rule: 'adverseRating', rating });
  if (facts.enterprise.negativeList) reasons.push({ rule: 'negativeList' });
  // A tag claiming environmental benefit for an enterprise still rectifying an environmental breach is the typical 漂绿.
  if (facts.enterprise.openEnvironmentalCases.length > 0) reasons.push({ rule: 'openEnvironmentalCase', caseNumbers: [...facts.enterprise.openEnvironmentalCases] });
  return reasons;
}

const ratingWords: Record<EnvironmentalRatingLevel, string> = { green: '绿牌', blue: '蓝牌', yellow: '黄牌', red: '红牌', black: '黑牌' };

/** zh-CN wording of a reason (the renderer words it from the reason's fields in either language). */
export function greenwashingMessage(reason: GreenwashingReason): string {
  switch (reason.rule) {
    case 'noCode':
      return '缺少目录代码';
    case 'unknownCode':
      return `目录代码 ${reason.code} 不在所选目录中`;
    case 'noEvidence':
      return '缺少佐证材料';
    case 'noBenefits':
      return '缺少环境效益数据';
    case 'implausibleBenefit': {
      const words = benefitIndicatorWords[reason.indicator];
      return `${words.zh}每万元投资 ${reason.perWanYuan} ${words.unit}，${reason.side === 'above' ? '高于上限' : '低于下限'} ${reason.bound}`;
    }
    case 'adverseRating':
      return `企业环境信用评价为${ratingWords[reason.rating]}`;
    case 'negativeList':
      return '企业在负面清单中';
    case 'openEnvironmentalCase':
      return `企业有未销号的环保整改案件 ${reason.caseNumbers.join('、')}`;
  }
}
