import { describe, expect, it } from 'vitest';
import { contract } from './contract.ts';
import { maxInputBytes, methodNames } from './methods.ts';
import { MAX_INPUT_BYTES, MAX_UPLOAD_INPUT_BYTES } from './result.ts';
import type { ContractEntry, MethodName } from './contract.ts';

describe('host API contract', () => {
  it('lists every contract method for the preload bridge, and nothing else', () => {
    expect([...methodNames].sort()).toEqual(Object.keys(contract).sort());
  });

  it('rejects unknown keys so a typo is an error, not a silent no-op', () => {
    expect(contract['settings.update'].input.safeParse({ locale: 'en', colour: 'red' }).success).toBe(false);
    expect(contract['settings.update'].input.safeParse({ locale: 'fr' }).success).toBe(false);
    expect(contract['settings.update'].input.safeParse({ locale: 'en' }).success).toBe(true);
  });

  it('gives the zod-free input limits of methods.ts exactly as the contract declares them', () => {
    for (const method of Object.keys(contract) as MethodName[]) {
      const entry: ContractEntry = contract[method];
      expect([method, maxInputBytes(method)]).toEqual([method, entry.maxInputBytes ?? MAX_INPUT_BYTES]);
    }
    expect(maxInputBytes('attachments.add')).toBe(MAX_UPLOAD_INPUT_BYTES);
    expect(maxInputBytes('settings.update')).toBe(MAX_INPUT_BYTES);
    expect(maxInputBytes('no.such.method')).toBe(MAX_INPUT_BYTES);
  });
});
