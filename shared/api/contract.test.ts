import { describe, expect, it } from 'vitest';
import { contract } from './contract.ts';
import { methodNames } from './methods.ts';

describe('host API contract', () => {
  it('lists every contract method for the preload bridge, and nothing else', () => {
    expect([...methodNames].sort()).toEqual(Object.keys(contract).sort());
  });

  it('rejects unknown keys so a typo is an error, not a silent no-op', () => {
    expect(contract['settings.update'].input.safeParse({ locale: 'en', colour: 'red' }).success).toBe(false);
    expect(contract['settings.update'].input.safeParse({ locale: 'fr' }).success).toBe(false);
    expect(contract['settings.update'].input.safeParse({ locale: 'en' }).success).toBe(true);
  });
});
