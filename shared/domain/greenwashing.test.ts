import { describe, expect, it } from 'vitest';
import { shippedCatalogues } from '../codes/greenCatalogues.ts';
import { noBenefits } from './environmentalBenefit.ts';
import { defaultGreenwashingBounds, greenwashingBoundsSchema, greenwashingMessage, greenwashingReasons, type GreenwashingFacts } from './greenwashing.ts';

const WAN = 1_000_000;
const clean: GreenwashingFacts = {
  code: '1',
  evidenceCount: 2,
  benefits: { ...noBenefits, coalSavedTce: '1200', co2ReducedT: '3000' },
  totalInvestmentFen: 5000 * WAN,
  enterprise: { environmentalRating: 'blue', negativeList: false, openEnvironmentalCases: [] },
};
const catalogue = shippedCatalogues['2025'];

describe('greenwashing rules (洗绿/漂绿)', () => {
  it('passes a tag with code, evidence, plausible benefits and a clean enterprise', () => {
    expect(greenwashingReasons(clean, catalogue, defaultGreenwashingBounds)).toEqual([]);
  });

  it.each([
    ['no code', { code: null }, [{ rule: 'noCode' }], '缺少目录代码'],
    ['a code not in the catalogue', { code: '12' }, [{ rule: 'unknownCode', code: '12' }], '目录代码 12 不在所选目录中'],
    ['no evidence', { evidenceCount: 0 }, [{ rule: 'noEvidence' }], '缺少佐证材料'],
    ['no benefit figures', { benefits: noBenefits }, [{ rule: 'noBenefits' }], '缺少环境效益数据'],
    [
      '60,000 tce a year from 5,000 万元 (12 per 万元, bound 10)',
      { benefits: { ...noBenefits, coalSavedTce: '60000' } },
      [{ rule: 'implausibleBenefit', indicator: 'coalSavedTce', perWanYuan: '12', bound: '10', side: 'above' }],
      '节约标准煤每万元投资 12 吨标准煤，高于上限 10',
    ],
    ['red rating', { enterprise: { ...clean.enterprise, environmentalRating: 'red' } }, [{ rule: 'adverseRating', rating: 'red' }], '企业环境信用评价为红牌'],
    ['black rating', { enterprise: { ...clean.enterprise, environmentalRating: 'black' } }, [{ rule: 'adverseRating', rating: 'black' }], '企业环境信用评价为黑牌'],
    ['on the negative list', { enterprise: { ...clean.enterprise, environmentalRating: null, negativeList: true } }, [{ rule: 'negativeList' }], '企业在负面清单中'],
    [
      'an open environmental rectification case',
      { enterprise: { ...clean.enterprise, openEnvironmentalCases: ['ZG-2026-A1B2-0001'] } },
      [{ rule: 'openEnvironmentalCase', caseNumbers: ['ZG-2026-A1B2-0001'] }],
      '企业有未销号的环保整改案件 ZG-2026-A1B2-0001',
    ],
    [
      'two open environmental cases, named both',
      { enterprise: { ...clean.enterprise, openEnvironmentalCases: ['ZG-2026-A1B2-0001', 'ZG-2026-A1B2-0003'] } },
      [{ rule: 'openEnvironmentalCase', caseNumbers: ['ZG-2026-A1B2-0001', 'ZG-2026-A1B2-0003'] }],
      '企业有未销号的环保整改案件 ZG-2026-A1B2-0001、ZG-2026-A1B2-0003',
    ],
  ] as const)('%s', (_, change, expected, message) => {
    const reasons = greenwashingReasons({ ...clean, ...change } as GreenwashingFacts, catalogue, defaultGreenwashingBounds);
    expect(reasons).toEqual(expected);
    expect(greenwashingMessage(reasons[0]!)).toBe(message);
  });

  it('exactly at the bound passes; a yellow rating is not a reason', () => {
    const facts = { ...clean, benefits: { ...noBenefits, coalSavedTce: '50000' }, enterprise: { ...clean.enterprise, environmentalRating: 'yellow' as const } };
    expect(greenwashingReasons(facts, catalogue, defaultGreenwashingBounds)).toEqual([]);
  });

  it('uses the bounds head office sets, a lower bound included', () => {
    const bounds = greenwashingBoundsSchema.parse({ version: 2, source: '总行 2026 年设定', bounds: [{ indicator: 'coalSavedTce', min: '0.5', max: null }] });
    expect(greenwashingReasons(clean, catalogue, bounds)).toEqual([{ rule: 'implausibleBenefit', indicator: 'coalSavedTce', perWanYuan: '0.24', bound: '0.5', side: 'below' }]);
    expect(greenwashingBoundsSchema.safeParse({ version: 2, source: 'x', bounds: [{ indicator: 'coalSavedTce', min: '5', max: '1' }] }).success).toBe(false);
  });

  it('without a total investment the per-万元 check is skipped, the others still run', () => {
    expect(greenwashingReasons({ ...clean, totalInvestmentFen: null, evidenceCount: 0 }, catalogue, defaultGreenwashingBounds)).toEqual([{ rule: 'noEvidence' }]);
  });

  it('lists every reason of a tag at once', () => {
    const reasons = greenwashingReasons({ ...clean, code: null, evidenceCount: 0, benefits: noBenefits, enterprise: { environmentalRating: 'red', negativeList: true, openEnvironmentalCases: ['ZG-2026-A1B2-0001'] } }, catalogue, defaultGreenwashingBounds);
    expect(reasons.map((reason) => reason.rule)).toEqual(['noCode', 'noEvidence', 'noBenefits', 'adverseRating', 'negativeList', 'openEnvironmentalCase']);
  });
});
