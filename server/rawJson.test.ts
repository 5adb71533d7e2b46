import { describe, expect, it } from 'vitest';
import { RawJson, stringifyWithRaw } from './rawJson.ts';

describe('stringifyWithRaw', () => {
  it('writes raw JSON text in place and leaves everything else to JSON.stringify', () => {
    const value = { rows: [{ seq: 1, data: new RawJson('{"name":"华盛建材","n":1}') }, { seq: 2, data: new RawJson('[1,null]') }], note: 'a\u0000b' };
    const text = stringifyWithRaw(value);
    expect(JSON.parse(text)).toEqual({ rows: [{ seq: 1, data: { name: '华盛建材', n: 1 } }, { seq: 2, data: [1, null] }], note: 'a\u0000b' });
  });

  it('is JSON.stringify when there is nothing raw, even for strings that look like its markers', () => {
    const value = { s: '\u00000:0\u0000', t: ['"\\u0000'] };
    expect(stringifyWithRaw(value)).toBe(JSON.stringify(value));
  });
});

describe('RawJson outside stringifyWithRaw', () => {
  it('serialises as the value its text holds', () => {
    expect(JSON.stringify({ data: new RawJson('{"a":[1,2]}') })).toBe('{"data":{"a":[1,2]}}');
  });
});
