import { z } from 'zod';
import { quantitySchema } from './enterprise.ts';

/**
 * Environmental benefits of a green project (《绿色信贷项目节能减排量测算指引》, 2013): the project's
 * annual figures, and the bank's share of them. Figures are exact decimal strings with at most 4
 * decimals (quantitySchema), never floats: they are summed across loans and reported to the ton.
 * Arithmetic below runs on integers of 1/10 000 of the unit (bigint), rounded half up once at the end.
 */

export const benefitIndicators = ['coalSavedTce', 'co2ReducedT', 'codReducedT', 'nh3nReducedT', 'so2ReducedT', 'noxReducedT', 'waterSavedT'] as const;
export type BenefitIndicator = (typeof benefitIndicators)[number];

/** The indicators' names as the 2013 guidance lists them, and their units. */
export const benefitIndicatorWords: Record<BenefitIndicator, { zh: string; unit: string }> = {
  coalSavedTce: { zh: '节约标准煤', unit: '吨标准煤' },
  co2ReducedT: { zh: '减排二氧化碳当量', unit: '吨' },
  codReducedT: { zh: '减排化学需氧量', unit: '吨' },
  nh3nReducedT: { zh: '减排氨氮', unit: '吨' },
  so2ReducedT: { zh: '减排二氧化硫', unit: '吨' },
  noxReducedT: { zh: '减排氮氧化物', unit: '吨' },
  waterSavedT: { zh: '节约水', unit: '吨' },
};

/** A project's annual benefits; null where the project does not report the figure. */
export const projectBenefitsSchema = z.strictObject(
  Object.fromEntries(benefitIndicators.map((indicator) => [indicator, quantitySchema.nullable()])) as Record<BenefitIndicator, z.ZodNullable<typeof quantitySchema>>,
);
export type ProjectBenefits = Record<BenefitIndicator, string | null>;

/** Indicator ↔ the green_tags column that holds it (the laptop's table and the synced row alike). */
export const benefitColumns = {
  coalSavedTce: 'coal_saved_tce',
  co2ReducedT: 'co2_reduced_t',
  codReducedT: 'cod_reduced_t',
  nh3nReducedT: 'nh3n_reduced_t',
  so2ReducedT: 'so2_reduced_t',
  noxReducedT: 'nox_reduced_t',
  waterSavedT: 'water_saved_t',
} as const satisfies Record<BenefitIndicator, string>;

export const noBenefits: ProjectBenefits = Object.fromEntries(benefitIndicators.map((indicator) => [indicator, null])) as ProjectBenefits;

/** Whether any figure is given (all null: the tag has no benefits to report). */
export function hasBenefitFigures(benefits: ProjectBenefits): boolean {
  return benefitIndicators.some((indicator) => benefits[indicator] !== null);
}

// ---------------------------------------------------------------------------------------------
// Exact decimals

/** A non-negative decimal string as an integer and its number of decimals: "0.714" → 714n, 3. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export function parseDecimal(text: string): Decimal {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a decimal: ${text}`);
  const fraction = match[2] ?? '';
  return { units: BigInt(match[1]! + fraction), scale: fraction.length };
}

const QUANTITY_SCALE = 4;

/** numerator ÷ denominator to 4 decimals, half up, as a quantity string ("12.5", not "12.5000"). */
function quantityOf(numerator: bigint, denominator: bigint): string {
  const scaled = (numerator * 10n ** BigInt(QUANTITY_SCALE) * 2n + denominator) / (2n * denominator);
  const digits = scaled.toString().padStart(QUANTITY_SCALE + 1, '0');
  const whole = digits.slice(0, -QUANTITY_SCALE);
  const fraction = digits.slice(-QUANTITY_SCALE).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** a × b ÷ c for decimals and integers (fen), exactly, rounded half up to a quantity. */
function multiplyDivide(a: Decimal, b: Decimal, c: Decimal): string {
  // a.units/10^a.scale × b.units/10^b.scale ÷ (c.units/10^c.scale)
  const numerator = a.units * b.units * 10n ** BigInt(c.scale);
  const denominator = c.units * 10n ** BigInt(a.scale + b.scale);
  return quantityOf(numerator, denominator);
}

const integer = (value: number): Decimal => ({ units: BigInt(value), scale: 0 });
const ONE: Decimal = { units: 1n, scale: 0 };

/** Sum of quantity strings, exactly (statistics over many loans). */
export function sumQuantities(values: readonly (string | null)[]): string {
  const total = values.reduce<bigint>((sum, value) => (value === null ? sum : sum + toScale(parseDecimal(value), QUANTITY_SCALE)), 0n);
  return quantityOf(total, 10n ** BigInt(QUANTITY_SCALE));
}

function toScale(value: Decimal, scale: number): bigint {
  return value.scale <= scale ? value.units * 10n ** BigInt(scale - value.scale) : value.units / 10n ** BigInt(value.scale - scale);
}

// ---------------------------------------------------------------------------------------------
// The bank's share

export type BankShare =
  | { ok: true; asOf: string; share: ProjectBenefits }
  | { ok: false; reason: 'noInvestment' | 'balanceOverInvestment'; balance: number; totalInvestment: number };

/**
 * The bank's share of a project's annual benefits as of a snapshot: figure × loan balance ÷ project
 * total investment (2013 guidance). A balance of 0 (settled, or not yet drawn) gives zero shares, not
 * nothing; a balance above the total investment is refused — the bank cannot have lent more than the
 * project cost, so one of the two figures is wrong and the share would overstate the benefit.
 */
export function bankShare(benefits: ProjectBenefits, balanceFen: number, totalInvestmentFen: number, asOf: string): BankShare {
  if (!Number.isSafeInteger(balanceFen) || balanceFen < 0) throw new RangeError(`not a balance in fen: ${balanceFen}`);
  if (!Number.isSafeInteger(totalInvestmentFen) || totalInvestmentFen <= 0) return { ok: false, reason: 'noInvestment', balance: balanceFen, totalInvestment: totalInvestmentFen };
  if (balanceFen > totalInvestmentFen) return { ok: false, reason: 'balanceOverInvestment', balance: balanceFen, totalInvestment: totalInvestmentFen };
  const share = Object.fromEntries(
    benefitIndicators.map((indicator) => {
      const figure = benefits[indicator];
      return [indicator, figure === null ? null : multiplyDivide(parseDecimal(figure), integer(balanceFen), integer(totalInvestmentFen))];
    }),
  ) as ProjectBenefits;
  return { ok: true, asOf, share };
}

/**
 * The bank's share of one figure in 1/10 000 of its unit, rounded half up exactly as bankShare rounds
 * it: summing these and printing once (quantityOfUnits) gives sumQuantities of the per-loan shares,
 * without a string per loan and figure (the statistics sum it over tens of thousands of loans).
 * The caller checks what bankShare refuses (no investment, a balance above it).
 */
export function shareUnits(figure: string, balanceFen: number, totalInvestmentFen: number): bigint {
  const value = parseDecimal(figure);
  const denominator = BigInt(totalInvestmentFen) * 10n ** BigInt(value.scale);
  return (value.units * BigInt(balanceFen) * 10n ** BigInt(QUANTITY_SCALE) * 2n + denominator) / (2n * denominator);
}

/**
 * A sum of shareUnits over many loans (the report's benefits over tens of thousands of them): the
 * same units, in plain numbers whenever every step is a safe integer (the usual figure, balance and
 * investment; a BigInt step costs microseconds), in BigInt otherwise.
 */
export class ShareUnitsSum {
  private big = 0n;
  private small = 0;

  add(figure: string, balanceFen: number, totalInvestmentFen: number): void {
    // DECIMAL's digits as one number and the count after the point, read in one pass over the
    // characters (the regex and its strings were most of a report's benefit time); anything else
    // (a sign, a 16th digit, no digit after the point) takes shareUnits's exact path.
    let units = 0;
    let digits = 0;
    let scale = -1;
    for (let i = 0; i < figure.length; i += 1) {
      const c = figure.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        units = units * 10 + (c - 48);
        digits += 1;
        if (scale >= 0) scale += 1;
      } else if (c === 46 && scale < 0 && digits > 0) {
        scale = 0;
      } else {
        digits = 16;
        break;
      }
    }
    if (digits > 0 && digits <= 15 && scale !== 0) {
      const fraction = Math.max(scale, 0);
      const product = units * balanceFen;
      const denominator = totalInvestmentFen * 10 ** fraction;
      // product = q·d + r; the share is q·10^4 + ⌊(2·r·10^4 + d) / 2d⌋, every operand below 2^53.
      if (Number.isSafeInteger(product) && product <= 8e15 && Number.isSafeInteger(denominator) && denominator > 0 && denominator <= 4e11) {
        const q = floorDivide(product, denominator);
        const share = q * 10 ** QUANTITY_SCALE + floorDivide(2 * (product - q * denominator) * 10 ** QUANTITY_SCALE + denominator, 2 * denominator);
        if (Number.isSafeInteger(share)) {
          this.small += share;
          if (this.small > 2 ** 52) this.flush();
          return;
        }
      }
    }
    this.big += shareUnits(figure, balanceFen, totalInvestmentFen);
  }

  total(): bigint {
    this.flush();
    return this.big;
  }

  private flush(): void {
    this.big += BigInt(this.small);
    this.small = 0;
  }
}

/** ⌊a / b⌋ for non-negative integers with a + b below 2^53, corrected where the floating division rounded across an integer. */
function floorDivide(a: number, b: number): number {
  let q = Math.floor(a / b);
  let r = a - q * b;
  for (; r < 0; r += b) q -= 1;
  for (; r >= b; r -= b) q += 1;
  return q;
}

/** 1/10 000 units as a quantity string ("12.5"). */
export function quantityOfUnits(units: bigint): string {
  return quantityOf(units, 10n ** BigInt(QUANTITY_SCALE));
}

export function bankShareMessage(failure: Extract<BankShare, { ok: false }>): string {
  return failure.reason === 'noInvestment' ? '项目总投资应大于 0，无法计算本行份额' : '贷款余额大于项目总投资，无法计算本行份额；请核对余额或总投资';
}

/**
 * A figure per 万元 of investment (tce per 万元 …), the measure the greenwashing bounds use; it is
 * the same ratio as the bank's share per 万元 of balance, and it exists even when the balance is 0.
 */
export function perWanYuan(figure: string, totalInvestmentFen: number): string | null {
  if (totalInvestmentFen <= 0) return null;
  return multiplyDivide(parseDecimal(figure), integer(1_000_000), integer(totalInvestmentFen));
}

// ---------------------------------------------------------------------------------------------
// Conversion factors (reference set `benefit-factors`)

export const conversionFactorKeys = ['electricityGcePerKwh', 'coalKgcePerKg', 'crudeOilKgcePerKg', 'residualOilKgcePerKg', 'dieselKgcePerKg', 'gasolineKgcePerKg', 'naturalGasTcePer1000M3', 'cokeKgcePerKg', 'co2TPerTce'] as const;
export type ConversionFactorKey = (typeof conversionFactorKeys)[number];

export const conversionFactorSchema = z.strictObject({
  key: z.enum(conversionFactorKeys),
  name: z.string().trim().min(1).max(100),
  /** An exact decimal string (0.714), never a float. */
  value: z.string().regex(/^(?:0|[1-9]\d{0,9})(?:\.\d{1,6})?$/),
  unit: z.string().trim().min(1).max(40),
  source: z.string().trim().min(1).max(400),
  /** 'uncertain' where the source is weak: the app shows the factor next to every result it gives. */
  certainty: z.enum(['confirmed', 'uncertain']),
});
export type ConversionFactor = z.infer<typeof conversionFactorSchema>;

export const conversionFactorSetSchema = z
  .strictObject({ version: z.int().positive(), factors: z.array(conversionFactorSchema) })
  .refine((set) => new Set(set.factors.map((factor) => factor.key)).size === set.factors.length, { message: 'a factor key appears twice' });
export type ConversionFactorSet = z.infer<typeof conversionFactorSetSchema>;

const LOW_QUALITY_SOURCE = 'https://dajudeng.com/Categor/TagList?tid=397427（低质量汇编页，待与 GB/T 2589 附录核对）';

/**
 * The factors shipped with the app: those /work/shared/reference/benefit-factors.json read, every one
 * marked uncertain as that file says. The CO2-per-tce factor was NOT FOUND in any source and is not
 * shipped: converting standard coal to CO2 waits until head office publishes a factor. 326 gce/kWh
 * is the example figure of a garbled copy of the 2013 guidance, year unknown.
 */
export const defaultConversionFactors: ConversionFactorSet = {
  version: 1,
  factors: [
    { key: 'electricityGcePerKwh', name: '上年度全国火电供电标准煤耗（示例值）', value: '326', unit: 'gce/kWh', source: 'http://www.dybbs8.com/doc-374325643.html（《绿色信贷项目节能减排量测算指引》转载，年份不明）', certainty: 'uncertain' },
    { key: 'coalKgcePerKg', name: '普通煤折标准煤系数', value: '0.714', unit: 'kgce/kg', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
    { key: 'crudeOilKgcePerKg', name: '原油/重油折标准煤系数', value: '1.429', unit: 'kgce/kg', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
    { key: 'residualOilKgcePerKg', name: '渣油折标准煤系数', value: '1.286', unit: 'kgce/kg', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
    { key: 'dieselKgcePerKg', name: '柴油折标准煤系数', value: '1.457', unit: 'kgce/kg', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
    { key: 'gasolineKgcePerKg', name: '汽油折标准煤系数', value: '1.471', unit: 'kgce/kg', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
    { key: 'naturalGasTcePer1000M3', name: '天然气折标准煤系数', value: '1.33', unit: 'tce/1000m³', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
    { key: 'cokeKgcePerKg', name: '焦炭折标准煤系数', value: '0.971', unit: 'kgce/kg', source: LOW_QUALITY_SOURCE, certainty: 'uncertain' },
  ],
};

export type Conversion =
  | { ok: true; value: string; factor: ConversionFactor; /** Show the factor beside the result. */ showFactor: boolean }
  | { ok: false; reason: 'noFactor'; key: ConversionFactorKey };

/** Per factor key: how many of the input's units make the factor's, so every result is in tce (or t CO2). */
const toTonnes: Record<ConversionFactorKey, Decimal> = {
  // kWh × gce/kWh = gce; ÷ 10^6 → tce
  electricityGcePerKwh: { units: 1_000_000n, scale: 0 },
  // kg × kgce/kg = kgce; ÷ 1000 → tce (the input below is in tonnes of fuel, so × 1000 ÷ 1000)
  coalKgcePerKg: ONE,
  crudeOilKgcePerKg: ONE,
  residualOilKgcePerKg: ONE,
  dieselKgcePerKg: ONE,
  gasolineKgcePerKg: ONE,
  cokeKgcePerKg: ONE,
  // 1000 m³ × tce/1000m³; the input is in 1000 m³
  naturalGasTcePer1000M3: ONE,
  co2TPerTce: ONE,
};

/**
 * Converts a quantity with a factor of the set: kWh of electricity, tonnes of a fuel or 1000 m³ of
 * natural gas to tce; tce to t CO2. The factor used comes back with the result, and `showFactor`
 * says the screen must print it (an uncertain factor is never hidden behind a figure).
 */
export function convert(set: ConversionFactorSet, key: ConversionFactorKey, quantity: string): Conversion {
  const factor = set.factors.find((candidate) => candidate.key === key);
  if (factor === undefined) return { ok: false, reason: 'noFactor', key };
  const value = multiplyDivide(parseDecimal(quantity), parseDecimal(factor.value), toTonnes[key]);
  return { ok: true, value, factor, showFactor: factor.certainty === 'uncertain' };
}

/** 「系数 0.714 kgce/kg（来源待核实）」: what the screen prints beside an uncertain result. */
export function factorNote(factor: ConversionFactor): string {
  return `系数 ${factor.value} ${factor.unit}${factor.certainty === 'uncertain' ? '（来源待核实）' : ''}`;
}
