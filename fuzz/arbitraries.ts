import fc from 'fast-check';
import type { z } from 'zod';
import { sampleEnterpriseFile, testUscc } from '../shared/domain/testing.ts';

/**
 * Inputs derived from a zod schema: valid-shaped values (so a call gets past validation and into the
 * handler often enough to matter), the same values with one hostile mutation, and plain garbage. A
 * new method, endpoint or field is fuzzed from its schema without new harness code.
 */

/** Values known to be valid for a property name (a real USCC, a division code, an existing id …). */
export type Examples = Map<string, readonly unknown[]>;

/** Strings a reviewer tries first: each once broke something somewhere. */
export const hostileStrings: readonly string[] = [
  '\ud800',
  'zz\udfffzz',
  '\ud800zz',
  '华盛建\u0000',
  '\u0000',
  '\u202egpj.exe',
  '\ufeff企业',
  '\uffff\ufffe',
  '"',
  "'; DROP TABLE enterprises; --",
  '" OR 1=1 --',
  'NEAR(',
  '*',
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  '=HYPERLINK("http://127.0.0.1/")',
  '<script>alert(1)</script>',
  '\r\n\r\n',
  ' ',
  '',
  '𠀀𠀁𪚥',
  'e\u0301\u0301\u0301',
  '9'.repeat(400),
  '__proto__',
  'constructor',
  'toString',
];

const hugeString = fc.constantFrom(100_000, 1_100_000).chain((n) => fc.constantFrom('a', '华', '\ud800', '\u0000').map((unit) => unit.repeat(n)));

// Deeper than this only as raw text (rawBodies): JSON.stringify itself overflows the stack near 10k.
const deepNesting = fc.integer({ min: 50, max: 1_500 }).map((depth) => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
});

/** One value of the wrong kind where anything else was expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(null, true, false, 0, -1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, [], {}) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

interface Def {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.ZodType;
  items?: z.ZodType[];
  left?: z.ZodType;
  getter?: () => z.ZodType;
  format?: string;
  pattern?: RegExp;
  catchall?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function stringChecks(def: Def): { min: number; max: number; format?: string; pattern?: RegExp } {
  const out: { min: number; max: number; format?: string; pattern?: RegExp } = { min: 0, max: 40 };
  const checks = [...(def.checks ?? []).map((c) => c._zod.def), ...(def.format === undefined ? [] : [def as unknown as Record<string, unknown>])];
  for (const check of checks) {
    if (check.check === 'min_length') out.min = check.minimum as number;
    if (check.check === 'max_length') out.max = Math.min(check.maximum as number, 80);
    if (check.check === 'length_equals') out.min = out.max = check.length as number;
    if (check.check === 'string_format') {
      out.format = check.format as string;
      if (check.pattern instanceof RegExp) out.pattern = check.pattern;
    }
  }
  out.max = Math.max(out.max, out.min);
  return out;
}

const cjk = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), minLength: 2, maxLength: 12 });

function stringArbitrary(def: Def): fc.Arbitrary<string> {
  const { min, max, format, pattern } = stringChecks(def);
  switch (format) {
    case 'datetime':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'uuid':
    case 'guid':
      return fc.uuid({ version: 7 });
    case 'url':
      // Only loopback, and a port nothing listens on: the fuzz never reaches another machine.
      return fc.constantFrom('http://127.0.0.1:9/', 'http://127.0.0.1:9/hub', 'https://127.0.0.1:9');
    case 'email':
      return fc.emailAddress();
    default:
      break;
  }
  if (pattern !== undefined) {
    try {
      return fc.stringMatching(pattern).filter((s) => s.length <= Math.max(max, 200));
    } catch {
      // A pattern fast-check cannot invert (lookaround): fall through to plain text.
    }
  }
  return fc.oneof(fc.string({ minLength: min, maxLength: max }), cjk.filter((s) => s.length >= min && s.length <= max));
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
  let min = -1e9;
  let max = 1e9;
  let integer = false;
  // z.int() carries its format on the schema itself, z.number().int() as a check.
  for (const check of [...(def.checks ?? []).map((c) => c._zod.def), def as unknown as Record<string, unknown>]) {
    if (check.format === 'safeint' || check.format === 'int32' || check.format === 'uint32') integer = true;
    if (check.check === 'number_format' && String(check.format).includes('int')) integer = true;
    if (check.check === 'greater_than') min = (check.value as number) + (check.inclusive === true ? 0 : integer ? 1 : 1e-9);
    if (check.check === 'less_than') max = (check.value as number) - (check.inclusive === true ? 0 : integer ? 1 : 1e-9);
  }
  if (integer) {
    const low = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    const high = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
    // Mostly small numbers (versions, pages, years near their bounds are where the branches are).
    return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: Math.max(low, Math.min(high, -2)), max: Math.min(high, Math.max(low, 12)) }) }, { weight: 1, arbitrary: fc.integer({ min: low, max: high }) });
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A valid-shaped value for `schema`; `key` is the property it sits under (for examples). */
export function validShaped(schema: z.ZodType, examples: Examples, key = '', depth = 0): fc.Arbitrary<unknown> {
  const structural = structuralArbitrary(schema, examples, key, depth);
  const known = examples.get(key);
  if (known === undefined || known.length === 0) return structural;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: structural });
}

function structuralArbitrary(schema: z.ZodType, examples: Examples, key: string, depth: number): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const next = (inner: z.ZodType, innerKey = key) => validShaped(inner, examples, innerKey, depth + 1);
  if (depth > 12) return fc.constant(null);
  switch (def.type) {
    case 'string':
      return stringArbitrary(def);
    case 'number':
      return numberArbitrary(def);
    case 'int':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'optional':
      return fc.option(next(def.innerType!), { nil: undefined, freq: 3 });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.option(next(def.innerType!), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(next(def.innerType!), { nil: null, freq: 4 });
    case 'array': {
      const { min, max } = stringChecks(def);
      // Elements have no property name of their own: `rows` examples are whole arrays, not rows.
      return fc.array(next(def.element!, ''), { minLength: min, maxLength: Math.min(max, 4) });
    }
    case 'tuple':
      return fc.tuple(...(def.items ?? []).map((item) => next(item, '')));
    case 'object': {
      const shape = def.shape ?? {};
      const entries = Object.fromEntries(Object.entries(shape).map(([name, inner]) => [name, next(inner, name)]));
      // Optional keys drop out now and then; required ones are always there.
      return fc.record(entries, { requiredKeys: Object.keys(shape).filter((name) => !['optional', 'default', 'prefault'].includes(defOf(shape[name]!).type)) });
    }
    case 'record': {
      const keyDef = defOf(def.keyType!);
      const keys = keyDef.type === 'enum' ? fc.constantFrom(...Object.values(keyDef.entries ?? {}).map(String)) : (next(def.keyType!) as fc.Arbitrary<string>);
      return fc.dictionary(keys, next(def.valueType!, ''), { maxKeys: 5, noNullPrototype: true });
    }
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => next(option)));
    case 'intersection':
      return next(def.left!);
    case 'pipe':
      return next(def.in!);
    case 'lazy':
      return next(def.getter!());
    case 'custom':
      // A refinement zod cannot describe (here: "an object"): mostly objects, sometimes anything.
      return fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 6, noNullPrototype: true }), fc.jsonValue({ maxDepth: 2 }));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? setAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head!]: setAt(record[head as string], rest, replacement) };
}

export type Mutation = 'replace' | 'extra-key' | 'drop-key' | 'surrogate-in-string' | 'nul-in-string';

/** A valid-shaped value with one thing wrong at a random place. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), hostileValue, fc.constantFrom<Mutation>('replace', 'replace', 'extra-key', 'drop-key', 'surrogate-in-string', 'nul-in-string'), fc.constantFrom(...hostileStrings))
    .map(([value, pick, hostile, mutation, extraKey]) => {
      const all = paths(value);
      const path = all[pick % all.length]!;
      const current = path.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], value);
      switch (mutation) {
        case 'replace':
          return setAt(value, path, hostile);
        case 'extra-key':
          return current !== null && typeof current === 'object' && !Array.isArray(current) ? setAt(value, path, { ...current, [extraKey]: hostile }) : setAt(value, path, hostile);
        case 'drop-key': {
          if (path.length === 0) return {};
          const parentPath = path.slice(0, -1);
          const parent = parentPath.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], value);
          if (Array.isArray(parent)) return setAt(value, parentPath, parent.filter((_, i) => i !== path.at(-1)));
          const { [path.at(-1) as string]: _dropped, ...rest } = parent as Record<string, unknown>;
          return setAt(value, parentPath, rest);
        }
        case 'surrogate-in-string':
          return typeof current === 'string' ? setAt(value, path, `${current}\udc00`) : setAt(value, path, '\ud83d');
        case 'nul-in-string':
          return typeof current === 'string' ? setAt(value, path, `${current.slice(0, 1)}\u0000${current.slice(1)}`) : setAt(value, path, '\u0000');
      }
    });
}

/** A request body as bytes on the wire: JSON of a generated value, or JSON text no serializer would write. */
export interface WireBody {
  kind: 'valid' | 'mutated' | 'garbage' | 'raw';
  text: string;
}

/** JSON text of `value` with a prototype-pollution key put in by hand (a JS object cannot carry one). */
function withProtoKey(text: string, key: '__proto__' | 'constructor'): string {
  const payload = key === '__proto__' ? '{"isAdmin":true,"role":"admin"}' : '{"prototype":{"isAdmin":true}}';
  return text.startsWith('{') ? `{"${key}":${payload}${text === '{}' ? '' : ','}${text.slice(1)}` : `{"${key}":${payload}}`;
}

const rawBodies: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '1', 'true', '\ufeff{}', '{"a":1,"a":2}', '{"\\ud800":1}', '{"a":"\\u0000"}'),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Bodies for one schema: mostly valid-shaped, then mutated, then garbage and raw text. */
export function wireBodies(schema: z.ZodType, examples: Examples): fc.Arbitrary<WireBody> {
  const valid = validShaped(schema, examples);
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => ({ kind: 'valid' as const, text: JSON.stringify(v ?? {}) })) },
    { weight: 4, arbitrary: mutated(valid).map((v) => ({ kind: 'mutated' as const, text: JSON.stringify(v ?? null) ?? 'null' })) },
    { weight: 1, arbitrary: hostileValue.map((v) => ({ kind: 'garbage' as const, text: JSON.stringify(v) ?? 'null' })) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        rawBodies.map((text) => ({ kind: 'raw' as const, text })),
        fc.tuple(valid, fc.constantFrom<'__proto__' | 'constructor'>('__proto__', 'constructor')).map(([v, key]) => ({ kind: 'raw' as const, text: withProtoKey(JSON.stringify(v ?? {}), key) })),
      ),
    },
  );
}

/** Property names → values that pass validation, from the project's own test data. */
export function domainExamples(): Map<string, unknown[]> {
  const file = sampleEnterpriseFile('浮梁县华盛建材有限公司', testUscc(1));
  const examples = new Map<string, unknown[]>();
  const add = (key: string, value: unknown) => examples.set(key, [...(examples.get(key) ?? []), value]);
  const walk = (value: unknown) => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== null && typeof inner !== 'object') add(key, inner);
      else if (!Array.isArray(inner)) add(key, inner);
      walk(inner);
    }
  };
  walk(file);
  add('file', file);
  examples.set('uscc', Array.from({ length: 50 }, (_, i) => testUscc(1000 + i)));
  examples.set('name', ['浮梁县华盛建材有限公司', '景德镇市绿源陶瓷厂', '江西瑞丰纺织有限责任公司', '华盛']);
  examples.set('query', ['华盛', 'HSJC', '9136', '建材', '华盛建\u0000', '"', 'a*']);
  return examples;
}
