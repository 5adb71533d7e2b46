import { z } from 'zod';
import type { EnterpriseFlags } from './enterprise.ts';
import { isAdverseRating, type EnvironmentalRatingLevel } from './environmentalRating.ts';
import type { PurposeKind } from './creditApplication.ts';
import { isCaseOverdue, type CaseCategory, type CaseMeasure, type CaseStatus } from './rectification.ts';

/**
 * The credit gate (DOMAIN §4): may this enterprise get new credit for this purpose? One pure
 * function, run by the host on creating, submitting and approving an application and by the screen
 * before the amount is typed. Each rule reads the gate input and answers a reason or nothing; the
 * verdict is the strictest reason's effect. Rectification tracking (issue 16) adds its open cases
 * by extending GateInput and appending a rule to `creditGateRules` — the verdict logic stays.
 */

export type GateVerdict = 'allow' | 'needs_override' | 'deny';

export const gateReasonCodes = [
  'NEGATIVE_LIST',
  'ADVERSE_RATING',
  'ADVERSE_RATING_REMEDIAL_PURPOSE',
  'OUTDATED_CAPACITY_NOT_EXITED',
  'NO_RATING',
  'RECTIFICATION_CASE_OPEN',
  'RECTIFICATION_CASE_OVERDUE',
  'RECTIFICATION_COLLECTION',
] as const;
export type GateReasonCode = (typeof gateReasonCodes)[number];

export interface GateReason {
  code: GateReasonCode;
  /** 'warning' informs and never blocks. */
  effect: GateVerdict | 'warning';
  /** What the UI words the reason with (the rating level, the exit deadline …). */
  params: Record<string, string | number | boolean | null>;
  /** The record the reason is about (a rectification case's id), when one enterprise may have several. */
  subject?: string;
}

export interface GateEnterprise {
  /** The newest rating on file (db/derived.ts currentRating); null when none was ever recorded. */
  environmentalRating: EnvironmentalRatingLevel | null;
  flags: EnterpriseFlags;
}

/** An open rectification case of the enterprise (db/rectification.ts openCasesOf). */
export interface GateCase {
  id: string;
  caseNumber: string;
  category: CaseCategory;
  measure: CaseMeasure;
  status: CaseStatus;
  deadline: string;
}

export interface GateInput {
  enterprise: GateEnterprise;
  /** The enterprise's rectification cases not yet verified closed. */
  openCases: readonly GateCase[];
  purposeKind: PurposeKind;
  /** The local date (Asia/Shanghai) the gate is asked on. */
  today: string;
}

export interface GateResult {
  verdict: GateVerdict;
  /** The reasons that set the verdict (effect allow never appears). */
  reasons: GateReason[];
  warnings: GateReason[];
}

/** A rule answers nothing, a reason, or one reason per record it concerns (each open case). */
export type GateRule = (input: GateInput) => GateReason | readonly GateReason[] | null;

/** 负面清单 (seed 003 四(三)1): no new credit, whatever the purpose. */
const negativeList: GateRule = ({ enterprise }) => (enterprise.flags.negativeList ? { code: 'NEGATIVE_LIST', effect: 'deny', params: {} } : null);

/**
 * 环保不良 (red) or 严重失信 (black): no new credit, except money that pays for pollution control or
 * rectification, which a credit manager may let through with a recorded reason.
 */
const adverseRating: GateRule = ({ enterprise, purposeKind }): GateReason | null => {
  const level = enterprise.environmentalRating;
  if (level === null || !isAdverseRating(level)) return null;
  return purposeKind === 'general'
    ? { code: 'ADVERSE_RATING', effect: 'deny', params: { level } }
    : { code: 'ADVERSE_RATING_REMEDIAL_PURPOSE', effect: 'needs_override', params: { level, purposeKind } };
};

/**
 * 落后产能 not exited by its deadline (seed 000: 严格新增授信). The deadline day itself is still in
 * time; from the day after, unless an exit is recorded on or before today.
 */
const outdatedCapacity: GateRule = ({ enterprise, today }) => {
  const capacity = enterprise.flags.outdatedCapacity;
  if (!capacity.flagged) return null;
  const exited = capacity.exitedOn !== null && capacity.exitedOn <= today;
  if (exited || today <= capacity.exitDeadline) return null;
  return { code: 'OUTDATED_CAPACITY_NOT_EXITED', effect: 'needs_override', params: { exitDeadline: capacity.exitDeadline } };
};

/** No rating on file: the officer should ask the bureau; it does not block. */
const noRating: GateRule = ({ enterprise }) => (enterprise.environmentalRating === null ? { code: 'NO_RATING', effect: 'warning', params: {} } : null);

/**
 * Unrectified violations (seed 000, issue 16): each open case is named. Under 清收处置 the bank is
 * collecting, and past its deadline the enterprise has missed its chance: both deny. A case still in
 * time needs a credit manager's recorded override, for that case.
 */
const openRectificationCases: GateRule = ({ openCases, today }) =>
  openCases.map((item): GateReason => {
    const params = { caseNumber: item.caseNumber, category: item.category, measure: item.measure, deadline: item.deadline };
    if (item.measure === 'collect_dispose') return { code: 'RECTIFICATION_COLLECTION', effect: 'deny', params, subject: item.id };
    if (isCaseOverdue(item, today)) return { code: 'RECTIFICATION_CASE_OVERDUE', effect: 'deny', params, subject: item.id };
    return { code: 'RECTIFICATION_CASE_OPEN', effect: 'needs_override', params, subject: item.id };
  });

export const creditGateRules: readonly GateRule[] = [negativeList, adverseRating, outdatedCapacity, openRectificationCases, noRating];

/**
 * What an override records it covers: the reason's code, and for a reason about one record (a case)
 * that record too, so an override given for one open case does not let a newly opened one through.
 */
export const overrideKeyOf = (reason: GateReason): string => (reason.subject === undefined ? reason.code : `${reason.code}:${reason.subject}`);

/** An override key as stored (credit_applications.gate_override_codes): a known code, with the record's id after a colon when it names one. */
export const gateOverrideKeySchema = z
  .string()
  .max(80)
  .refine((key) => (gateReasonCodes as readonly string[]).includes(key.split(':')[0]!) && key.split(':').length <= 2);

const severity: Record<GateVerdict, number> = { allow: 0, needs_override: 1, deny: 2 };

export function evaluateCreditGate(input: GateInput, rules: readonly GateRule[] = creditGateRules): GateResult {
  const found = rules.flatMap((rule) => rule(input) ?? []);
  const reasons = found.filter((reason) => reason.effect !== 'warning' && reason.effect !== 'allow');
  const warnings = found.filter((reason) => reason.effect === 'warning');
  const verdict = reasons.reduce<GateVerdict>((worst, reason) => (severity[reason.effect as GateVerdict] > severity[worst] ? (reason.effect as GateVerdict) : worst), 'allow');
  return { verdict, reasons, warnings };
}

/**
 * Whether a recorded override lets the application through now. It covers the reasons it was
 * given for (their codes are stored with it): a new reason that needs an override (the exit
 * deadline passed after the override) needs a new one, and nothing overrides a deny.
 */
export function gatePasses(result: GateResult, overriddenCodes: readonly string[]): boolean {
  if (result.verdict === 'allow') return true;
  if (result.verdict === 'deny') return false;
  return result.reasons.every((reason) => overriddenCodes.includes(overrideKeyOf(reason)));
}
