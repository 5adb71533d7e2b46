import { describe, expect, it } from 'vitest';
import { bankShare, convert, defaultConversionFactors, factorNote, noBenefits, perWanYuan, quantityOfUnits, ShareUnitsSum, shareUnits, sumQuantities, type ProjectBenefits } from './environmentalBenefit.ts';

const project: ProjectBenefits = { ...noBenefits, coalSavedTce: '1200', co2ReducedT: '3000.5', waterSavedT: '0.0003' };
const WAN = 1_000_000; // fen in 1 万元

describe("the bank's share of a project's benefits (figure × balance ÷ total investment)", () => {
  it.each([
    ['balance 0: shares of zero, not nothing', 0, 5000 * WAN, { coalSavedTce: '0', co2ReducedT: '0', waterSavedT: '0', so2ReducedT: null }],
    ['partial balance: 1,000 of 5,000 万元', 1000 * WAN, 5000 * WAN, { coalSavedTce: '240', co2ReducedT: '600.1', waterSavedT: '0.0001', so2ReducedT: null }],
    ['the whole investment lent', 5000 * WAN, 5000 * WAN, { coalSavedTce: '1200', co2ReducedT: '3000.5', waterSavedT: '0.0003' }],
    ['a balance that does not divide evenly rounds half up to 4 decimals', 1, 3, { coalSavedTce: '400', co2ReducedT: '1000.1667', waterSavedT: '0.0001' }],
  ])('%s', (_, balance, investment, expected) => {
    const result = bankShare(project, balance, investment, '2026-11-30');
    expect(result).toMatchObject({ ok: true, asOf: '2026-11-30', share: expected });
  });

  it('refuses a balance above the total investment', () => {
    expect(bankShare(project, 5000 * WAN + 1, 5000 * WAN, '2026-11-30')).toEqual({ ok: false, reason: 'balanceOverInvestment', balance: 5000 * WAN + 1, totalInvestment: 5000 * WAN });
  });

  it('refuses a project without a total investment', () => {
    expect(bankShare(project, 0, 0, '2026-11-30')).toMatchObject({ ok: false, reason: 'noInvestment' });
  });

  it('is exact where floats are not: 0.1 + 0.2 of a ton', () => {
    expect(sumQuantities(['0.1', '0.2', null])).toBe('0.3');
  });

  it('gives a figure per 万元 of investment', () => {
    expect(perWanYuan('1200', 5000 * WAN)).toBe('0.24');
    expect(perWanYuan('1200', 0)).toBeNull();
  });
});

describe('conversion to standard coal with a named factor', () => {
  it.each([
    ['electricity: 1,000,000 kWh × 326 gce/kWh', 'electricityGcePerKwh', '1000000', '326'],
    ['coal: 100 t × 0.714', 'coalKgcePerKg', '100', '71.4'],
    ['natural gas: 25 thousand m³ × 1.33', 'naturalGasTcePer1000M3', '25', '33.25'],
  ] as const)('%s', (_, key, quantity, tce) => {
    const result = convert(defaultConversionFactors, key, quantity);
    expect(result).toMatchObject({ ok: true, value: tce, showFactor: true });
    if (result.ok) expect(result.factor.source).not.toBe('');
  });

  it('has no CO2-per-tce factor until head office publishes one (the reference data found none)', () => {
    expect(convert(defaultConversionFactors, 'co2TPerTce', '100')).toEqual({ ok: false, reason: 'noFactor', key: 'co2TPerTce' });
    const published = { version: 2, factors: [{ key: 'co2TPerTce' as const, name: '标准煤二氧化碳排放系数', value: '2.66', unit: 'tCO2/tce', source: '总行发布', certainty: 'confirmed' as const }] };
    expect(convert(published, 'co2TPerTce', '100')).toMatchObject({ ok: true, value: '266', showFactor: false });
  });

  it('prints an uncertain factor beside the result', () => {
    const coal = defaultConversionFactors.factors.find((factor) => factor.key === 'coalKgcePerKg')!;
    expect(factorNote(coal)).toBe('系数 0.714 kgce/kg（来源待核实）');
  });
});

describe('shareUnits: the statistics sum of bank shares', () => {
  it('equals summing bankShare strings over many loans, rounding per loan', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const loans = Array.from({ length: 400 }, () => {
      const investment = 1 + Math.floor(random() * 5_000_000_000);
      const figure = `${Math.floor(random() * 100_000)}${random() < 0.7 ? `.${String(Math.floor(random() * 10_000)).padStart(4, '0').replace(/0+$/, '') || '5'}` : ''}`;
      return { investment, balance: Math.floor(random() * investment), figure };
    });
    const strings = loans.map((loan) => {
      const share = bankShare({ ...noBenefits, co2ReducedT: loan.figure }, loan.balance, loan.investment, '2026-06-30');
      return share.ok ? share.share.co2ReducedT : null;
    });
    const units = loans.reduce((sum, loan) => sum + shareUnits(loan.figure, loan.balance, loan.investment), 0n);
    expect(quantityOfUnits(units)).toBe(sumQuantities(strings));
    // half up at the fifth decimal: 1 t × 1 ÷ 3 = 0.33333 → 0.3333; 2 ÷ 3 = 0.66667 → 0.6667
    expect(quantityOfUnits(shareUnits('1', 1, 3))).toBe('0.3333');
    expect(quantityOfUnits(shareUnits('2', 1, 3))).toBe('0.6667');
  });
});

describe('ShareUnitsSum', () => {
  it('sums exactly what shareUnits gives loan by loan, on the fast path and past it', () => {
    let seed = 17;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    // 15 digits (the fast path's last), 16 (past it), leading zeros, a zero fraction
    const figures = ['0', '1', '0.0003', '3000.5', '12000.9', '7.25', '123456789012.5', '99999999999999999.99', '0.3333333333', '1234567890.12345', '1234567890.123456', '007.50', '0.0'];
    const cases: [string, number, number][] = [
      ['1', 1, 3],
      ['2', 1, 3],
      ['5', 1, 2], // exactly half: up
      ['3000.5', 2_000_000_000, 2_000_000_000],
      ['12000.9', 999_999_999_999, 1_000_000_000_000], // investment above the fast path's bound
    ];
    for (let i = 0; i < 2_000; i += 1) {
      const investment = 1 + Math.floor(random() * (random() < 0.5 ? 5_000_000_000 : 900_000_000_000));
      cases.push([figures[Math.floor(random() * figures.length)]!, Math.floor(random() * investment), investment]);
    }
    const sum = new ShareUnitsSum();
    let expected = 0n;
    for (const [figure, balance, investment] of cases) {
      sum.add(figure, balance, investment);
      expected += shareUnits(figure, balance, investment);
      const one = new ShareUnitsSum();
      one.add(figure, balance, investment);
      expect(one.total(), `${figure} × ${balance} ÷ ${investment}`).toBe(shareUnits(figure, balance, investment));
    }
    expect(sum.total()).toBe(expected);
  });
});
