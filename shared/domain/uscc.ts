/**
 * 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015.
 *
 * Layout: pos 1 registration authority, pos 2 entity category, pos 3-8 division code of the
 * registering office, pos 9-17 organisation code (GB 11714), pos 18 check character.
 *
 * Only the GB 32100 check character (pos 18) is enforced. The GB 11714 check on pos 9-17 (pos 17
 * checks pos 9-16) is deliberately NOT enforced: some real, registry-issued codes fail it, and a
 * credit file must be able to hold the code exactly as printed on the business licence.
 */

export const USCC_LENGTH = 18;

/** The 31 code characters; a character's value is its index. I, O, S, V, Z are never used. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Registration authorities (pos 1). DOMAIN.md names 1, 5, 9, A-G and Y; the national code-assignment
 * table also issues 2 外交, 3 司法行政 (law firms, notaries), 4 文化, 6 旅游, 7 宗教, 8 工会 and
 * N 农业 (农村集体经济组织, which county branches do lend to), so those are accepted too rather
 * than rejecting real codes.
 */
export const USCC_AUTHORITIES: Readonly<Record<string, string>> = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '工商（市场监管）',
  A: '中央军委改革和编制办公室',
  B: '其他',
  C: '其他',
  D: '其他',
  E: '其他',
  F: '其他',
  G: '其他',
  N: '农业农村',
  Y: '其他',
};

export interface UsccParts {
  /** Pos 1: registration authority, a key of USCC_AUTHORITIES. */
  authority: string;
  /** Pos 2: category within the authority (for 9: 1 企业, 2 个体工商户, 3 农民专业合作社). */
  category: string;
  /**
   * Pos 3-8: division code of the registering office. Not checked against GB/T 2260 provinces:
   * national-level registrations carry 100000 (e.g. 中国工商银行 91100000100003962T).
   */
  division: string;
  /** Pos 9-17: organisation code (GB 11714), kept as printed. */
  orgCode: string;
}

export type UsccCheck =
  | { ok: true; code: string; parts: UsccParts }
  | { ok: false; reason: 'length'; length: number }
  /** `position` is 1-based, as a person counts characters on the licence. */
  | { ok: false; reason: 'charset'; character: string; position: number }
  | { ok: false; reason: 'authority'; character: string; position: 1 }
  | { ok: false; reason: 'division'; character: string; position: number }
  | { ok: false; reason: 'check'; expected: string; actual: string };

export type UsccFailure = Extract<UsccCheck, { ok: false }>;

/**
 * What people actually type or paste: surrounding and inner spaces (including the ideographic
 * space), lowercase, and full-width characters from a Chinese IME. NFKC folds full-width
 * letters and digits to ASCII.
 */
export function normalizeUscc(input: string): string {
  return input.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

/** The check character for the first 17 characters; throws on input that cannot be a USCC prefix. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1) {
    throw new RangeError(`usccCheckCharacter needs 17 characters, got ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < first17.length; i += 1) {
    const value = USCC_CHARSET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`"${first17.charAt(i)}" at position ${i + 1} is not a USCC character`);
    sum += value * WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_CHARSET.charAt(check === 31 ? 0 : check);
}

/** Normalises, then validates; the first problem found is reported, in reading order. */
export function checkUscc(input: string): UsccCheck {
  const code = normalizeUscc(input);
  if (code.length !== USCC_LENGTH) return { ok: false, reason: 'length', length: code.length };

  for (let i = 0; i < code.length; i += 1) {
    const character = code.charAt(i);
    if (!USCC_CHARSET.includes(character)) return { ok: false, reason: 'charset', character, position: i + 1 };
  }

  const authority = code.charAt(0);
  if (!Object.hasOwn(USCC_AUTHORITIES, authority)) {
    return { ok: false, reason: 'authority', character: authority, position: 1 };
  }

  for (let i = 2; i < 8; i += 1) {
    const character = code.charAt(i);
    if (character < '0' || character > '9') return { ok: false, reason: 'division', character, position: i + 1 };
  }

  const expected = usccCheckCharacter(code.slice(0, 17));
  const actual = code.charAt(17);
  if (actual !== expected) return { ok: false, reason: 'check', expected, actual };

  return {
    ok: true,
    code,
    parts: { authority, category: code.charAt(1), division: code.slice(2, 8), orgCode: code.slice(8, 17) },
  };
}
