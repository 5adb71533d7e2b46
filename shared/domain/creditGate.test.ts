import { describe, expect, it } from 'vitest';
import { evaluateCreditGate, gatePasses, type GateEnterprise, type GateInput } from './creditGate.ts';
import { noEnterpriseFlags, type EnterpriseFlags } from './enterprise.ts';
import type { EnvironmentalRatingLevel } from './environmentalRating.ts';
import type { PurposeKind } from './creditApplication.ts';

const enterprise = (rating: EnvironmentalRatingLevel | null, flags: Partial<EnterpriseFlags> = {}): GateEnterprise => ({
  environmentalRating: rating,
  flags: { ...noEnterpriseFlags, ...flags },
});
const gate = (input: Partial<GateInput> & { enterprise: GateEnterprise }) => evaluateCreditGate({ purposeKind: 'general', today: '2026-06-30', ...input });
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
    expect(evaluateCreditGate({ enterprise: enterprise('green'), purposeKind: 'general', today: '2026-06-30' }, [openCase]).verdict).toBe('needs_override');
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
