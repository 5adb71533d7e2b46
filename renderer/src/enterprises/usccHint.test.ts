import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, initI18n } from '../i18n/index.ts';
import { usccCheckCharacter } from '../../../shared/domain/uscc.ts';
import { usccFailureText, usccHint } from './usccHint.ts';

const valid = (first17: string) => first17 + usccCheckCharacter(first17);

describe('usccHint (what the USCC box says while typing)', () => {
  it.each([
    ['', { state: 'empty' }],
    ['9136', { state: 'typing', length: 4 }],
    // Lowercase and spaces are normalised before counting.
    ['91 36 02 22', { state: 'typing', length: 8 }],
    [valid('91360222MA35L0X1'.padEnd(17, '0')), { state: 'ok' }],
  ])('%j → %j', (input, expected) => {
    expect(usccHint(input)).toEqual(expected);
  });

  it('names a forbidden letter as soon as it is typed, with its position', () => {
    expect(usccHint('91360222I')).toEqual({ state: 'error', failure: { ok: false, reason: 'charset', character: 'I', position: 9 } });
  });

  it('flags a letter in the division part and a bad authority early', () => {
    expect(usccHint('9136A')).toMatchObject({ state: 'error', failure: { reason: 'division', position: 5 } });
    expect(usccHint('H')).toMatchObject({ state: 'error', failure: { reason: 'authority', character: 'H' } });
  });

  it('names the expected check character once all 18 are in', () => {
    const first17 = '91350100M000100Y4';
    const expected = usccCheckCharacter(first17);
    const wrong = expected === '4' ? '5' : '4';
    expect(usccHint(first17 + wrong)).toEqual({ state: 'error', failure: { ok: false, reason: 'check', expected, actual: wrong } });
  });

  it('reports a code that is too long', () => {
    expect(usccHint('9'.repeat(19))).toMatchObject({ state: 'error', failure: { reason: 'length', length: 19 } });
  });
});

describe('usccFailureText', () => {
  beforeAll(async () => {
    await initI18n('zh-CN');
  });

  it('words each fault in both languages from the same params', async () => {
    await i18next.changeLanguage('zh-CN');
    expect(usccFailureText({ reason: 'check', expected: 'Y' }, i18next.t)).toBe('校验位应为 Y');
    expect(usccFailureText({ reason: 'charset', character: 'I', position: 9 }, i18next.t)).toBe('第 9 位「I」不是统一社会信用代码字符');
    await i18next.changeLanguage('en');
    expect(usccFailureText({ reason: 'check', expected: 'Y' }, i18next.t)).toBe('The check character should be Y');
    expect(usccFailureText({ reason: 'length', length: 17 }, i18next.t)).toBe('A credit code has 18 characters; this one has 17');
    await i18next.changeLanguage('zh-CN');
  });
});
