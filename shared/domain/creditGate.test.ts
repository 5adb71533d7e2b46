import { describe, expect, it } from 'vitest';
import { evaluateCreditGate, gateOverrideKeySchema, gatePasses, overrideKeyOf, type GateCase, type GateEnterprise, type GateInput } from './creditGate.ts';
import { noEnterpriseFlags, type EnterpriseFlags } from './enterprise.ts';
import type { EnvironmentalRatingLevel } from './environmentalRating.ts';
import type { PurposeKind } from './creditApplication.ts';

const enterprise = (rating: EnvironmentalRatingLevel | null, flags: Partial<EnterpriseFlags> = {}): GateEnterprise => ({
  environmentalRating: rating,
  flags: { ...noEnterpriseFlags, ...flags },
});
const gate = (input: Partial<GateInput> & { enterprise: GateEnterprise }) => evaluateCreditGate({ purposeKind: 'general', today: '2026-06-30', openCases: [], ...input });
const outdated = (exitDeadline: string, exitedOn: string | null = null): Partial<EnterpriseFlags> => ({ outdatedCapacity: { flagged: true, exitDeadline, exitedOn } });

describe('credit gate', () => {
  it.each<[string, GateEnterprise, PurposeKind, string, string[], string[]]>([
    ['a green-rated file with nothing flagged', enterprise('green'), 'general', 'allow', [], []],
    ['blue', enterprise('blue'), 'general', 'allow', [], []],
    ['yellow (a warning plate, not adverse)', enterprise('yellow'), 'general', 'allow', [], []],
    ['no rating on file: allowed, with a warning', enterprise(null), 'general', 'allow', [], ['NO_RATING']],
    ['red, general purpose', enterprise('red'), 'general', 'deny', ['ADVERSE_RATING'], []],
    ['black, general purpose', enterprise('black'), 'general', 'deny', ['ADVERSE_RATING'], []],
    ['red, financing pollution control', enterprise('red'), 'pollution_control', 'needs_override', ['ADVERSE_RATING_REMEDIAL_PURPOSE'], []],
    ['black, financing rectification', enterprise('black'), 'rectification', 'needs_override', ['ADVERSE_RATING_REMEDIAL_PURPOSE'], []],
    ['green rating, pollution-control purpose', enterprise('green'), 'pollution_control', 'allow', [], []],
    ['negative list', enterprise('green', { negativeList: true }), 'general', 'deny', ['NEGATIVE_LIST'], []],
    ['negative list, even for pollution control', enterprise('green', { negativeList: true }), 'pollution_control', 'deny', ['NEGATIVE_LIST'], []],
    ['green list alone changes nothing', enterprise('green', { greenList: true }), 'general', 'allow', [], []],
    ['outdated capacity, deadline passed, not exited', enterprise('green', outdated('2026-06-29')), 'general', 'needs_override', ['OUTDATED_CAPACITY_NOT_EXITED'], []],
    ['outdated capacity, deadline is today', enterprise('green', outdated('2026-06-30')), 'general', 'allow', [], []],
    ['outdated capacity, deadline tomorrow', enterprise('green', outdated('2026-07-01')), 'general', 'allow', [], []],
    ['outdated capacity, exited before the deadline', enterprise('green', outdated('2026-03-31', '2026-03-15')), 'general', 'allow', [], []],
    ['outdated capacity, exited late but exited', enterprise('green', outdated('2026-03-31', '2026-05-10')), 'general', 'allow', [], []],
    ['outdated capacity, exit recorded for a future date', enterprise('green', outdated('2026-03-31', '2026-07-15')), 'general', 'needs_override', ['OUTDATED_CAPACITY_NOT_EXITED'], []],
    ['red and negative list: deny, both named', enterprise('red', { negativeList: true }), 'general', 'deny', ['NEGATIVE_LIST', 'ADVERSE_RATING'], []],
    ['red for pollution control, and past the exit date', enterprise('red', outdated('2026-01-01')), 'pollution_control', 'needs_override', ['ADVERSE_RATING_REMEDIAL_PURPOSE', 'OUTDATED_CAPACITY_NOT_EXITED'], []],
    ['unrated and past the exit date', enterprise(null, outdated('2026-01-01')), 'general', 'needs_override', ['OUTDATED_CAPACITY_NOT_EXITED'], ['NO_RATING']],
    ['red general and past the exit date: deny wins', enterprise('red', outdated('2026-01-01')), 'general', 'deny', ['ADVERSE_RATING', 'OUTDATED_CAPACITY_NOT_EXITED'], []],
  ])('%s', (_name, file, purposeKind, verdict, reasons, warnings) => {
    const result = gate({ enterprise: file, purposeKind });
    expect(result.verdict).toBe(verdict);
    expect(result.reasons.map((reason) => reason.code)).toEqual(reasons);
    expect(result.warnings.map((reason) => reason.code)).toEqual(warnings);
  });

  it('names the exit deadline and the rating in its reasons', () => {
    expect(gate({ enterprise: enterprise('green', outdated('2026-06-29')) }).reasons[0]).toEqual({ code: 'OUTDATED_CAPACITY_NOT_EXITED', effect: 'needs_override', params: { exitDeadline: '2026-06-29' } });
    expect(gate({ enterprise: enterprise('black'), purposeKind: 'rectification' }).reasons[0]?.params).toEqual({ level: 'black', purposeKind: 'rectification' });
  });

  it('the exit deadline on its boundary day: in time on the day, needs an override the day after', () => {
    const file = enterprise('green', outdated('2026-12-31'));
    expect(gate({ enterprise: file, today: '2026-12-31' }).verdict).toBe('allow');
    expect(gate({ enterprise: file, today: '2027-01-01' }).verdict).toBe('needs_override');
  });

  it('takes further rules (rectification cases come in issue 16) without changing the verdict logic', () => {
    const openCase = () => ({ code: 'NEGATIVE_LIST' as const, effect: 'needs_override' as const, params: {} });
    expect(evaluateCreditGate({ enterprise: enterprise('green'), purposeKind: 'general', today: '2026-06-30', openCases: [] }, [openCase]).verdict).toBe('needs_override');
  });
});

describe('credit gate: open rectification cases (issue 16)', () => {
  const openCase = (id: string, overrides: Partial<GateCase> = {}): GateCase => ({ id, caseNumber: `ZG-2026-${id}`, category: 'environmental', measure: 'urge', status: 'in_progress', deadline: '2026-06-30', ...overrides });
  it.each<[string, GateCase[], string, string[]]>([
    ['no cases', [], 'allow', []],
    ['a case in time (deadline today): needs an override', [openCase('c1')], 'needs_override', ['RECTIFICATION_CASE_OPEN']],
    ['a case due tomorrow', [openCase('c1', { deadline: '2026-07-01' })], 'needs_override', ['RECTIFICATION_CASE_OPEN']],
    ['a case due yesterday: overdue, denied', [openCase('c1', { deadline: '2026-06-29' })], 'deny', ['RECTIFICATION_CASE_OVERDUE']],
    ['a case under 清收处置, in time: denied', [openCase('c1', { measure: 'collect_dispose', deadline: '2026-12-31' })], 'deny', ['RECTIFICATION_COLLECTION']],
    ['a case submitted for verification still counts', [openCase('c1', { status: 'submitted' })], 'needs_override', ['RECTIFICATION_CASE_OPEN']],
    ['an escalated 压缩退出 case in time', [openCase('c1', { status: 'escalated', measure: 'reduce_exit' })], 'needs_override', ['RECTIFICATION_CASE_OPEN']],
    ['two cases, one overdue: deny, both named', [openCase('c1'), openCase('c2', { deadline: '2026-01-31', category: 'work_safety' })], 'deny', ['RECTIFICATION_CASE_OPEN', 'RECTIFICATION_CASE_OVERDUE']],
  ])('%s', (_name, openCases, verdict, reasons) => {
    const result = gate({ enterprise: enterprise('green'), openCases });
    expect(result.verdict).toBe(verdict);
    expect(result.reasons.map((reason) => reason.code)).toEqual(reasons);
  });

  it('names the case: its number, category, measure and deadline', () => {
    expect(gate({ enterprise: enterprise('green'), openCases: [openCase('c1')] }).reasons[0]).toEqual({
      code: 'RECTIFICATION_CASE_OPEN',
      effect: 'needs_override',
      params: { caseNumber: 'ZG-2026-c1', category: 'environmental', measure: 'urge', deadline: '2026-06-30' },
      subject: 'c1',
    });
  });

  it('an override covers the cases it was given for, not a case opened after it', () => {
    const one = gate({ enterprise: enterprise('green'), openCases: [openCase('c1')] });
    const codes = one.reasons.map(overrideKeyOf);
    expect(codes).toEqual(['RECTIFICATION_CASE_OPEN:c1']);
    expect(gatePasses(one, codes)).toBe(true);
    const two = gate({ enterprise: enterprise('green'), openCases: [openCase('c1'), openCase('c2')] });
    expect(gatePasses(two, codes)).toBe(false);
    // A bare code (an override recorded before cases were named) covers no case.
    expect(gatePasses(one, ['RECTIFICATION_CASE_OPEN'])).toBe(false);
  });

  it('the same case the day after its deadline: the override no longer helps, the gate denies', () => {
    const codes = gate({ enterprise: enterprise('green'), openCases: [openCase('c1')] }).reasons.map(overrideKeyOf);
    const later = gate({ enterprise: enterprise('green'), openCases: [openCase('c1')], today: '2026-07-01' });
    expect(later.verdict).toBe('deny');
    expect(gatePasses(later, codes)).toBe(false);
  });
});

describe('gate override', () => {
  const needsOverride = gate({ enterprise: enterprise('red', outdated('2026-01-01')), purposeKind: 'pollution_control' });
  it.each<[string, ReturnType<typeof gate>, string[], boolean]>([
    ['allow needs none', gate({ enterprise: enterprise('green') }), [], true],
    ['deny cannot be overridden', gate({ enterprise: enterprise('red') }), ['ADVERSE_RATING'], false],
    ['an override covering every reason', needsOverride, ['ADVERSE_RATING_REMEDIAL_PURPOSE', 'OUTDATED_CAPACITY_NOT_EXITED'], true],
    ['an override given before the exit deadline passed does not cover it', needsOverride, ['ADVERSE_RATING_REMEDIAL_PURPOSE'], false],
    ['no override recorded', needsOverride, [], false],
  ])('%s', (_name, result, codes, passes) => {
    expect(gatePasses(result, codes)).toBe(passes);
  });
});

describe('stored override keys', () => {
  it.each<[string, string, boolean]>([
    ['a bare code', 'OUTDATED_CAPACITY_NOT_EXITED', true],
    ['a case reason with its case', 'RECTIFICATION_CASE_OPEN:0193c2a4-7b1e-7c8d-9e0f-1a2b3c4d5e6f', true],
    ['an unknown code', 'ANYTHING_GOES', false],
    ['an unknown code with a subject', 'ANYTHING_GOES:c1', false],
    ['two colons', 'RECTIFICATION_CASE_OPEN:c1:c2', false],
  ])('%s', (_name, key, valid) => {
    expect(gateOverrideKeySchema.safeParse(key).success).toBe(valid);
  });
});
