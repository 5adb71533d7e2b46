import { describe, expect, it } from 'vitest';
import { checkUscc, normalizeUscc, usccCheckCharacter } from './uscc.ts';

/**
 * Published codes, not made-up ones: the first is the worked example printed in GB 32100-2015;
 * the others appear with the same holder in several public registry extracts (business-data API
 * samples, listed-company profiles). All also pass the GB 11714 check on pos 9-17, which a
 * mistyped code almost never would. The Sinopec attribution is the least certain: one public
 * list gives this code to 中国中铁; the code itself is real either way.
 */
const realCodes: [holder: string, code: string][] = [
  ['GB 32100-2015 示例', '91350100M000100Y43'],
  ['华为技术有限公司', '914403001922038216'],
  ['宁德时代新能源科技股份有限公司', '91350900587527783P'],
  ['珠海格力电器股份有限公司', '91440400192548256N'],
  ['美的集团股份有限公司', '91440606722473344C'],
  ['比亚迪股份有限公司', '91440300192317458F'],
  ['北京百度网讯科技有限公司', '91110000802100433B'],
  ['阿里巴巴（中国）有限公司', '91330100799655058B'],
  // An X inside the organisation code (its own GB 11714 check character).
  ['腾讯科技（深圳）有限公司', '9144030071526726XG'],
  // Registered at national level: the "division" is 100000, not a GB/T 2260 code.
  ['中国工商银行股份有限公司', '91100000100003962T'],
  ['中国石油化工股份有限公司', '91110000710926094P'],
  ['中航重机股份有限公司', '91520000214434146R'],
];

describe('checkUscc: real published codes verify', () => {
  it.each(realCodes)('%s %s', (_holder, code) => {
    const result = checkUscc(code);
    expect(result).toMatchObject({ ok: true, code });
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it('splits the standard example into its parts', () => {
    expect(checkUscc('91350100M000100Y43')).toEqual({
      ok: true,
      code: '91350100M000100Y43',
      parts: { authority: '9', category: '1', division: '350100', orgCode: 'M000100Y4' },
    });
  });
});

describe('checkUscc: what people type is normalised first', () => {
  it.each([
    ['lowercase', '91350100m000100y43'],
    ['full-width (Chinese IME)', '９１３５０１００Ｍ０００１００Ｙ４３'],
    ['surrounding and inner spaces', '  9135 0100 M000 100Y 43 '],
    ['ideographic space and a tab', '\u300091350100M000100Y43\t'],
  ])('%s', (_label, input) => {
    expect(normalizeUscc(input)).toBe('91350100M000100Y43');
    expect(checkUscc(input)).toMatchObject({ ok: true, code: '91350100M000100Y43' });
  });
});

describe('checkUscc: malformed codes say what is wrong', () => {
  it.each([
    ['empty', '', { reason: 'length', length: 0 }],
    ['17 characters', '91350100M000100Y4', { reason: 'length', length: 17 }],
    ['19 characters', '91350100M000100Y431', { reason: 'length', length: 19 }],
    ['15-digit old registration number', '350100000012345', { reason: 'length', length: 15 }],
    ['I in the organisation code', '91350100M000100I43', { reason: 'charset', character: 'I', position: 16 }],
    ['O typed for zero', '9135010OM000100Y43', { reason: 'charset', character: 'O', position: 8 }],
    ['S', 'S1350100M000100Y43', { reason: 'charset', character: 'S', position: 1 }],
    ['V', '91350100M000100YV3', { reason: 'charset', character: 'V', position: 17 }],
    ['Z as check character', '91350100M000100Y4Z', { reason: 'charset', character: 'Z', position: 18 }],
    ['hyphen', '91350100-M000100Y4', { reason: 'charset', character: '-', position: 9 }],
    ['unassigned authority H', 'H1350100M000100Y43', { reason: 'authority', character: 'H', position: 1 }],
    ['authority 0', '01350100M000100Y43', { reason: 'authority', character: '0', position: 1 }],
    ['letter in the division code', '9135A100M000100Y43', { reason: 'division', character: 'A', position: 5 }],
    ['wrong check character', '91350100M000100Y44', { reason: 'check', expected: '3', actual: '4' }],
    ['Huawei, last digit mistyped', '914403001922038217', { reason: 'check', expected: '6', actual: '7' }],
    ['Tencent, X mistyped as K', '9144030071526726KG', { reason: 'check', expected: 'H', actual: 'G' }],
    ['two digits swapped', '91350100M000010Y43', { reason: 'check', expected: 'J', actual: '3' }],
  ])('%s', (_label, input, failure) => {
    expect(checkUscc(input)).toEqual({ ok: false, ...failure });
  });

  it('accepts the other assigned authorities (law firms 3, trade unions 8, village collectives N)', () => {
    for (const first of ['1', '3', '5', '8', 'A', 'N', 'Y']) {
      const first17 = `${first}1350100M000100Y4`;
      expect(checkUscc(first17 + usccCheckCharacter(first17)).ok).toBe(true);
    }
  });
});

describe('usccCheckCharacter', () => {
  it('maps a weighted sum divisible by 31 (C18 = 31) to 0, not to an out-of-range 31', () => {
    expect(usccCheckCharacter('91350100M000100Y3')).toBe('0');
    expect(checkUscc('91350100M000100Y30')).toMatchObject({ ok: true });
  });

  it('rejects input that is not a 17-character prefix', () => {
    expect(() => usccCheckCharacter('91350100M000100Y')).toThrow(RangeError);
    expect(() => usccCheckCharacter('91350100M000100I4')).toThrow(/position 16/);
  });
});
