import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { contract, parseMethodInput, type MethodName } from './contract.ts';
import { displayText, isWellFormed, malformedTextPath, NOT_WELL_FORMED, plainText, toWellFormed, wellFormedJson } from './text.ts';

type Path = (string | number)[];

/** Every string field a schema declares, as a sample path (array items at 0, record values under "k"). */
function stringPaths(schema: z.ZodType, path: Path = [], depth = 0): Path[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (depth > 12) return [];
  const inner = (key: string) => stringPaths(def[key] as z.ZodType, path, depth + 1);
  switch (def.type) {
    case 'string':
      return [path];
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, child]) => stringPaths(child, [...path, key], depth + 1));
    case 'array':
      return stringPaths(def.element as z.ZodType, [...path, 0], depth + 1);
    case 'record':
      return stringPaths(def.valueType as z.ZodType, [...path, 'k'], depth + 1);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return inner('innerType');
    case 'pipe':
      return inner('in');
    case 'union':
      return (def.options as z.ZodType[]).flatMap((option) => stringPaths(option, path, depth + 1));
    case 'intersection':
      return [...inner('left'), ...inner('right')];
    case 'tuple':
      return (def.items as z.ZodType[]).flatMap((item, i) => stringPaths(item, [...path, i], depth + 1));
    case 'lazy':
      return stringPaths((def.getter as () => z.ZodType)(), path, depth + 1);
    default:
      return [];
  }
}

function valueAt(path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const child = valueAt(rest, leaf);
  return typeof head === 'number' ? [child] : { [head!]: child };
}

describe('well-formed text at the host API boundary (H2)', () => {
  it('refuses a lone surrogate in every string field of every method, at that field', () => {
    let fields = 0;
    for (const method of Object.keys(contract) as MethodName[]) {
      for (const path of stringPaths(contract[method].input as z.ZodType)) {
        fields += 1;
        const result = parseMethodInput(method, valueAt(path, 'ok\ud800zz'));
        expect([method, path, result.success]).toEqual([method, path, false]);
        expect([method, result.error!.issues[0]]).toMatchObject([method, { path, message: NOT_WELL_FORMED }]);
      }
    }
    // The walk really reaches the contract's strings (guards against a walker that finds nothing).
    expect(fields).toBeGreaterThan(80);
  });

  it('refuses lone surrogates anywhere in any JSON value, keys included, and passes well-formed ones', () => {
    const lone = fc.constantFrom('\ud800', '\udfff', '\udc00x', 'a\ud83d');
    fc.assert(
      fc.property(fc.jsonValue(), lone, (value, bad) => {
        const wellFormed = JSON.parse(toWellFormed(JSON.stringify(value))) as unknown;
        expect(wellFormedJson.safeParse(wellFormed).success).toBe(true);
        expect(wellFormedJson.safeParse({ deep: [wellFormed, { x: bad }] }).success).toBe(false);
        expect(wellFormedJson.safeParse({ [bad]: wellFormed }).success).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(isWellFormed('😀 华盛')).toBe(true);
    expect(toWellFormed('\ud800zz')).toBe('\ufffdzz');
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(malformedTextPath(deep)).toHaveLength(200_000);
  });

  it('keeps control characters out of plain text and format characters out of display names (L5)', () => {
    expect(plainText.safeParse('第一行\n第二行\t制表').success).toBe(true);
    expect(plainText.safeParse('备注\u0000').success).toBe(false);
    expect(plainText.safeParse('备注\u001b[31m').success).toBe(false);
    expect(displayText.safeParse('营业执照.pdf').success).toBe(true);
    for (const bidi of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\ufeff']) {
      expect([bidi.codePointAt(0), displayText.safeParse(`${bidi}gpj.exe`).success]).toEqual([bidi.codePointAt(0), false]);
    }
  });
});
