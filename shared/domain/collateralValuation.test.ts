import { describe, expect, it } from 'vitest';
import { checkPledgeRate, coverageBp, pledgedValue, remainingTerm, valueCashFlows, valueRight, type RightValuationInput } from './collateralValuation.ts';
import { defaultCollateralTerms, nextRevaluationDue, pledgeRateCap, referencePrice } from './collateralTerms.ts';
import { collateralTermsSchema } from './collateralTerms.ts';

// 12.5 t/yr of COD at 3,000.00 元 per t·yr: 37,500.00 元 a year.
const cod = (valuedOn: string, from: string, to: string): RightValuationInput => ({ unitPriceFen: 300_000, quantity: '12.5', basis: 'per_unit_year', valuedOn, validity: { from, to } });

describe('remaining term (whole years by anniversary, the rest pro rata)', () => {
  it.each([
    ['2026-01-01', '2028-12-31', { years: 3, days: 0, yearDays: 365 }],
    ['2026-01-01', '2027-06-30', { years: 1, days: 181, yearDays: 365 }],
    ['2027-07-01', '2027-12-31', { years: 0, days: 184, yearDays: 366 }], // the part-year spans 29 Feb 2028
    ['2027-09-01', '2028-08-31', { years: 1, days: 0, yearDays: 365 }],
    ['2024-02-29', '2025-02-27', { years: 1, days: 0, yearDays: 365 }], // a leap-day start: its anniversary is 28 Feb
    ['2026-01-01', '2026-01-01', { years: 0, days: 1, yearDays: 365 }], // valued on its last valid day
    ['2026-01-01', '2025-12-31', { years: 0, days: 0, yearDays: 365 }], // expired the day before
  ])('from %s, valid to %s: %j', (from, to, term) => {
    expect(remainingTerm(from, to)).toEqual(term);
  });
});

describe('rights: price × quantity × remaining term', () => {
  it.each([
    ['whole years', cod('2026-01-01', '2024-01-01', '2028-12-31'), 11_250_000, false],
    ['1 year and 181 days of 365', cod('2026-01-01', '2024-01-01', '2027-06-30'), 5_609_589, false], // 3,750,000 × 546/365 = 5,609,589.04
    ['184 days of a 366-day year', cod('2027-07-01', '2024-01-01', '2027-12-31'), 1_885_246, false], // × 184/366 = 1,885,245.90 → up
    ['valued on its last valid day', cod('2026-01-01', '2024-01-01', '2026-01-01'), 10_274, false],
    ['already expired', cod('2026-01-01', '2021-01-01', '2025-12-31'), 0, true],
    ['not yet in force: the term counts from its start', cod('2025-06-01', '2026-01-01', '2026-12-31'), 3_750_000, false],
  ])('排污权 COD, %s', (_, input, valueFen, expired) => {
    const valuation = valueRight(input);
    expect(valuation.valueFen).toBe(valueFen);
    expect(valuation.expired).toBe(expired);
  });

  it('a trade price for the whole validity counts the share of the term left (per t)', () => {
    // 10 t/yr bought at 20,000.00 元/t for 2024–2028 (1,827 days); 1,096 days left on 2026-01-01 (11,997,810.62 分).
    expect(valueRight({ unitPriceFen: 2_000_000, quantity: '10', basis: 'per_unit_term', valuedOn: '2026-01-01', validity: { from: '2024-01-01', to: '2028-12-31' } }).valueFen).toBe(11_997_811);
    expect(valueRight({ unitPriceFen: 2_000_000, quantity: '10', basis: 'per_unit_term', valuedOn: '2023-06-01', validity: { from: '2024-01-01', to: '2028-12-31' } }).valueFen).toBe(20_000_000);
    expect(valueRight({ unitPriceFen: 2_000_000, quantity: '10', basis: 'per_unit_term', valuedOn: '2029-01-01', validity: { from: '2024-01-01', to: '2028-12-31' } })).toMatchObject({ valueFen: 0, expired: true });
  });

  it('a carbon allowance is priced outright (CEA 97.49 元/t, 2024 close), to the 分', () => {
    const cea = (quantity: string, valuedOn = '2026-01-01') => valueRight({ unitPriceFen: 9_749, quantity, basis: 'per_unit', valuedOn, validity: { from: '2025-01-01', to: '2026-12-31' } });
    expect(cea('10000')).toEqual({ valueFen: 97_490_000, term: null, expired: false });
    expect(cea('1234.5678').valueFen).toBe(12_035_801); // 12,035,801.48 分
    expect(cea('10000', '2027-01-01')).toEqual({ valueFen: 0, term: null, expired: true });
  });

  it('water (元/m³·yr) and energy-use (元/tce·yr) rights', () => {
    expect(valueRight({ unitPriceFen: 35, quantity: '200000', basis: 'per_unit_year', valuedOn: '2026-01-01', validity: { from: '2026-01-01', to: '2027-12-31' } }).valueFen).toBe(14_000_000);
    expect(valueRight({ unitPriceFen: 15_000, quantity: '800.25', basis: 'per_unit_year', valuedOn: '2026-07-01', validity: { from: '2026-01-01', to: '2026-12-31' } }).valueFen).toBe(6_051_205); // 12,003,750 × 184/365 = 6,051,205.48
  });
});

describe('discounted cash flow (receivables, EMC, franchises)', () => {
  const yearly = [
    { on: '2027-01-01', amountFen: 100_000_000 },
    { on: '2028-01-01', amountFen: 100_000_000 },
    { on: '2029-01-01', amountFen: 100_000_000 },
  ];
  it.each([
    ['three years at 5 %', yearly, 500, { valueFen: 272_313_257, presentValueFen: 272_313_257, flowsCounted: 3 }],
    ['at 0 % it is the sum', yearly, 0, { valueFen: 300_000_000, presentValueFen: 300_000_000, flowsCounted: 3 }],
    [
      'a zero and a negative flow; flows due on or before the valuation date are collected, not pledged',
      [
        { on: '2026-07-01', amountFen: 50_000_000 },
        { on: '2027-01-01', amountFen: 0 },
        { on: '2027-07-01', amountFen: -20_000_000 },
        { on: '2028-01-01', amountFen: 80_000_000 },
        { on: '2025-12-31', amountFen: 99_999_999 },
        { on: '2026-01-01', amountFen: 77_777_777 },
      ],
      600,
      { valueFen: 101_445_102, presentValueFen: 101_445_102, flowsCounted: 4 },
    ],
    ['outflows outweigh: worth nothing as collateral', [{ on: '2027-01-01', amountFen: -5_000_000 }, { on: '2028-01-01', amountFen: 1_000_000 }], 500, { valueFen: 0, presentValueFen: -3_854_875, flowsCounted: 2 }],
    ['no schedule', [], 500, { valueFen: 0, presentValueFen: 0, flowsCounted: 0 }],
  ])('%s', (_, flows, rateBp, expected) => {
    expect(valueCashFlows(flows, rateBp, '2026-01-01')).toEqual(expected);
  });

  it('refuses a negative or fractional discount rate', () => {
    expect(() => valueCashFlows(yearly, -1, '2026-01-01')).toThrow(RangeError);
    expect(() => valueCashFlows(yearly, 12.5, '2026-01-01')).toThrow(RangeError);
  });
});

describe('pledged value and the pledge-rate cap', () => {
  it('pledged = appraised × rate, rounded down to the 分', () => {
    expect(pledgedValue(11_250_000, 8_000)).toBe(9_000_000);
    expect(pledgedValue(10_274, 7_999)).toBe(8_218); // 8,218.17
    expect(pledgedValue(0, 8_000)).toBe(0);
  });

  const emissionCap = pledgeRateCap(defaultCollateralTerms, 'emission_right');
  it.each([
    [8_000, { ok: true }],
    [8_001, { ok: false, reason: 'over_cap', capBp: 8_000, source: emissionCap.source }],
    [10_000, { ok: false, reason: 'over_cap', capBp: 8_000, source: emissionCap.source }],
    [0, { ok: false, reason: 'range' }],
    [10_001, { ok: false, reason: 'range' }],
    [79.5, { ok: false, reason: 'range' }],
  ])('排污权 at %d bp: %j', (rateBp, check) => {
    expect(checkPledgeRate(rateBp, emissionCap)).toEqual(check);
  });

  it('names Hunan’s rule for 排污权; a type without a published cap may go to 100 %', () => {
    expect(emissionCap).toEqual({ capBp: 8_000, source: expect.stringContaining('湖南省主要污染物排污权抵押贷款管理办法') });
    const energy = pledgeRateCap(defaultCollateralTerms, 'energy_use_right');
    expect(energy.capBp).toBeNull();
    expect(checkPledgeRate(10_000, energy)).toEqual({ ok: true });
    expect(checkPledgeRate(10_001, energy)).toEqual({ ok: false, reason: 'range' });
  });

  it('coverage in basis points, never understated', () => {
    expect(coverageBp(9_000_000, 9_000_000)).toBe(10_000);
    expect(coverageBp(9_000_001, 9_000_000)).toBe(10_001);
    expect(coverageBp(1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(coverageBp(0, 0)).toBeNull();
  });
});

describe('collateral terms (reference data)', () => {
  it('the shipped default parses with the schema head office publishes against', () => {
    expect(collateralTermsSchema.parse(defaultCollateralTerms)).toEqual(defaultCollateralTerms);
  });
  it('a cap above 100 % or an unknown type is refused', () => {
    expect(collateralTermsSchema.safeParse({ ...defaultCollateralTerms, caps: { ...defaultCollateralTerms.caps, emission_right: { capBp: 10_001, source: 'x' } } }).success).toBe(false);
    expect(collateralTermsSchema.safeParse({ ...defaultCollateralTerms, revaluationMonths: { ...defaultCollateralTerms.revaluationMonths, gold: 12 } }).success).toBe(false);
  });
  it('the CEA reference price is the 2024 close, the newest of a type wins', () => {
    expect(referencePrice(defaultCollateralTerms, 'carbon_allowance')).toMatchObject({ priceFen: 9_749, asOf: '2024-12-31' });
    const newer = { ...defaultCollateralTerms, referencePrices: [...defaultCollateralTerms.referencePrices, { type: 'carbon_allowance' as const, priceFen: 8_000, unit: 'tCO2e', asOf: '2025-12-31', source: '总行发布' }] };
    expect(referencePrice(newer, 'carbon_allowance')?.priceFen).toBe(8_000);
    expect(referencePrice(defaultCollateralTerms, 'water_right')).toBeNull();
  });
  it.each([
    ['emission_right', '2026-01-15', '2027-01-15'],
    ['carbon_allowance', '2026-08-31', '2027-02-28'], // month end clamps
    ['carbon_allowance', '2027-08-31', '2028-02-29'],
  ] as const)('%s appraised %s: revaluation due %s', (type, appraisedOn, due) => {
    expect(nextRevaluationDue(defaultCollateralTerms, type, appraisedOn)).toBe(due);
  });
});
