import type { PriceBasis } from './collateral.ts';

/**
 * Valuation of environmental-rights collateral (DOMAIN §2), as pure functions: a right is a
 * quantity at a price, over its remaining term when the quantity is annual; a receivable or a
 * franchise is the discounted cash flow of its contracted schedule; intellectual property is the
 * value of its appraisal report. Money is integer 分 and quantities exact decimals (≤ 4 places), so
 * a right's value is computed in bigint and rounded once, half up, to the 分.
 */

const DAY_MS = 86_400_000;
const QUANTITY_SCALE = 10_000n;

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** The same day `years` later; 29 Feb becomes 28 Feb in a common year (a right granted on a leap day). */
function anniversary(date: string, years: number): number {
  const year = Number(date.slice(0, 4)) + years;
  const month = Number(date.slice(5, 7)) - 1;
  const day = Number(date.slice(8, 10));
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(day, lastOfMonth)) / DAY_MS;
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** A date `days` after another (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The term left of a right valid through `validTo` (that day included), counted from `from`:
 * whole years by anniversary, and the part-year left as days of the year it falls in (365 or 366),
 * so a right valid to 2027-06-30 valued on 2026-01-01 has 1 + 181/365 years. Zero once expired.
 */
export interface RemainingTerm {
  years: number;
  days: number;
  /** The length of the part-year (days between the last anniversary and the next). */
  yearDays: number;
}

export function remainingTerm(from: string, validTo: string): RemainingTerm {
  const end = dayNumber(validTo) + 1;
  if (end <= dayNumber(from)) return { years: 0, days: 0, yearDays: 365 };
  let years = 0;
  while (anniversary(from, years + 1) <= end) years += 1;
  const last = anniversary(from, years);
  return { years, days: end - last, yearDays: anniversary(from, years + 1) - last };
}

/** The quantity's exact decimal as an integer of 1/10,000 units ("12.5" → 125000n). */
function scaledQuantity(quantity: string): bigint {
  const [whole, fraction = ''] = quantity.split('.');
  return BigInt(whole!) * QUANTITY_SCALE + BigInt(fraction.padEnd(4, '0'));
}

/** numerator / denominator rounded half up (both non-negative). */
function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (2n * denominator));
}

export interface RightValuationInput {
  /** 元 per unit (per unit-year, per unit of the whole validity, or outright: `basis`), in 分. */
  unitPriceFen: number;
  /** Exact decimal, ≤ 4 places, in the type's unit (t/yr, m³/yr, tce/yr, tCO2e). */
  quantity: string;
  basis: PriceBasis;
  valuedOn: string;
  validity: { from: string; to: string };
}

export interface RightValuation {
  valueFen: number;
  /** The term the value is for (per_unit_year and per_unit_term; per_unit counts none). */
  term: RemainingTerm | null;
  /** The right's validity ended before the valuation date: nothing is left to pledge. */
  expired: boolean;
}

/**
 * price × quantity × remaining term. The term runs from the valuation date, or from the start of
 * validity when the right is not yet in force, through its last valid day.
 */
export function valueRight(input: RightValuationInput): RightValuation {
  const { unitPriceFen, basis, valuedOn, validity } = input;
  const expired = validity.to < valuedOn;
  const base = BigInt(unitPriceFen) * scaledQuantity(input.quantity);
  if (basis === 'per_unit') return { valueFen: expired ? 0 : roundHalfUp(base, QUANTITY_SCALE), term: null, expired };
  const start = valuedOn > validity.from ? valuedOn : validity.from;
  const term = remainingTerm(start, validity.to);
  if (expired) return { valueFen: 0, term, expired };
  if (basis === 'per_unit_year') {
    const yearDays = BigInt(term.yearDays);
    return { valueFen: roundHalfUp(base * (BigInt(term.years) * yearDays + BigInt(term.days)), QUANTITY_SCALE * yearDays), term, expired };
  }
  // per_unit_term: the price bought the whole validity; what is left is its remaining share.
  const totalDays = BigInt(daysBetween(validity.from, validity.to) + 1);
  const leftDays = BigInt(daysBetween(start, validity.to) + 1);
  return { valueFen: roundHalfUp(base * leftDays, QUANTITY_SCALE * totalDays), term, expired };
}

export interface CashFlow {
  /** When the contracted flow is due. */
  on: string;
  /** May be zero (a year without savings) or negative (a maintenance year, a refund), in 分. */
  amountFen: number;
}

export interface CashFlowValuation {
  /** The appraised value: the present value, never below zero (a net liability is worth nothing as collateral). */
  valueFen: number;
  /** The present value as computed, negative where the outflows outweigh. */
  presentValueFen: number;
  /** Flows due after the valuation date (those due before are collected, no longer pledged). */
  flowsCounted: number;
}

/**
 * Discounted cash flow of a contracted schedule (节能/节水收益权, 合同能源管理, 特许经营权): each flow
 * due after the valuation date divided by (1 + rate)^(days ÷ 365). A discount factor is not a
 * decimal, so this is the one valuation computed in floating point, rounded once to the 分.
 */
export function valueCashFlows(flows: readonly CashFlow[], discountRateBp: number, valuedOn: string): CashFlowValuation {
  if (!Number.isInteger(discountRateBp) || discountRateBp < 0) throw new RangeError(`discount rate must be a non-negative integer of basis points, got ${discountRateBp}`);
  const rate = discountRateBp / 10_000;
  let presentValue = 0;
  let flowsCounted = 0;
  for (const flow of flows) {
    const days = daysBetween(valuedOn, flow.on);
    if (days <= 0) continue;
    presentValue += flow.amountFen / Math.pow(1 + rate, days / 365);
    flowsCounted += 1;
  }
  const presentValueFen = Math.round(presentValue) || 0;
  return { valueFen: Math.max(0, presentValueFen), presentValueFen, flowsCounted };
}

/** Pledged value = appraised value × pledge rate, rounded down to the 分 (the bank never lends on a part-分). */
export function pledgedValue(appraisedFen: number, pledgeRateBp: number): number {
  return Number((BigInt(appraisedFen) * BigInt(pledgeRateBp)) / 10_000n);
}

export interface PledgeRateCap {
  /** null: no published cap was found for the type (the rate may not pass 100 %). */
  capBp: number | null;
  /** The document the cap comes from, named in a refusal. */
  source: string;
}

export type PledgeRateCheck =
  | { ok: true }
  | { ok: false; reason: 'range' }
  /** Over the cap: refused, naming the cap and its source. */
  | { ok: false; reason: 'over_cap'; capBp: number; source: string };

export function checkPledgeRate(pledgeRateBp: number, cap: PledgeRateCap): PledgeRateCheck {
  if (!Number.isInteger(pledgeRateBp) || pledgeRateBp <= 0 || pledgeRateBp > 10_000) return { ok: false, reason: 'range' };
  if (cap.capBp !== null && pledgeRateBp > cap.capBp) return { ok: false, reason: 'over_cap', capBp: cap.capBp, source: cap.source };
  return { ok: true };
}

/** Coverage = secured balance ÷ pledged value, in basis points (rounded up: a coverage is never understated). Null when nothing is pledged and nothing owed. */
export function coverageBp(securedBalanceFen: number, pledgedFen: number): number | null {
  if (pledgedFen <= 0) return securedBalanceFen > 0 ? Number.POSITIVE_INFINITY : null;
  const numerator = BigInt(securedBalanceFen) * 10_000n;
  const denominator = BigInt(pledgedFen);
  return Number((numerator + denominator - 1n) / denominator);
}
