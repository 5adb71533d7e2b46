import { importValueWords, type ImportField } from '../../../shared/api/enterprises.ts';
import { industries } from '../../../shared/codes/industries.ts';
import type { EnterpriseFile } from '../../../shared/domain/enterprise.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';

/**
 * One cell's text → the value of one field, the way a person would have meant it (「大型企业」,
 * 「2024年6月30日」, 「C3012 水泥制造」 …), or a Chinese reason naming what is wrong.
 */

export interface FieldValues {
  name?: string;
  uscc?: string;
  legalRepresentative?: string;
  address?: string;
  divisionCode?: string;
  industryCode?: string;
  scale?: EnterpriseFile['identity']['scale'];
  ownership?: EnterpriseFile['identity']['ownership'];
  employees?: number;
  contactName?: string;
  contactPhone?: string;
  greenFactoryLevel?: 'national' | 'provincial';
  greenFactoryYear?: number;
  miitRecommendedOn?: string;
  miitBatch?: string;
  greenList?: boolean;
  negativeList?: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = (text: string): Parsed<never> => ({ ok: false, problem: text });
const quote = (text: string) => `「${text.length > 40 ? `${text.slice(0, 40)}…` : text}」`;
const fold = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

function divisionCode(text: string): Parsed<string> {
  // 360222, 360222 浮梁县, or the statistics bureau's 9/12-digit codes (360222000000).
  const match = /^(\d{6})(?:\d{3}|\d{6})?(?:\D.*)?$/.exec(fold(text));
  return match ? ok(match[1]!) : problem(`应为 6 位数字代码（GB/T 2260，如 360222），现为${quote(text)}`);
}

function industryCode(text: string): Parsed<string> {
  // C3012, c3012, 3012, 「C3012 水泥制造」.
  const match = /^([A-Ta-t]?)(\d{2,4})(?!\d)/.exec(fold(text));
  if (!match) return problem(`应为国民经济行业代码（GB/T 4754-2017，如 C3012），现为${quote(text)}`);
  const digits = match[2]!;
  const letter = match[1]!.toUpperCase() || industries.find((i) => i.level === 'division' && i.code.slice(1) === digits.slice(0, 2))?.code.charAt(0);
  if (letter === undefined) return problem(`没有这个行业大类${quote(text)}`);
  return ok(`${letter}${digits}`);
}

const scaleWords: [RegExp, NonNullable<FieldValues['scale']>][] = [
  [/^(大型|大|large|l)(企业)?$/i, 'large'],
  [/^(中型|中|medium|m)(企业)?$/i, 'medium'],
  [/^(小型|小|small|s)(企业)?$/i, 'small'],
  [/^(微型|微|micro|xs)(企业)?$/i, 'micro'],
];

/** 「大型、中型、小型 或 微型」: the file format's words for a coded value, as a reason names them. */
function oneOf(words: Record<string, string>): string {
  const all = Object.values(words);
  return all.length === 1 ? (all[0] as string) : `${all.slice(0, -1).join('、')} 或 ${all[all.length - 1] as string}`;
}

function scale(text: string): Parsed<NonNullable<FieldValues['scale']>> {
  const folded = fold(text);
  const found = scaleWords.find(([pattern]) => pattern.test(folded));
  return found ? ok(found[1]) : problem(`无法识别${quote(text)}，应为 ${oneOf(importValueWords.scale)}`);
}

function ownership(text: string): Parsed<NonNullable<FieldValues['ownership']>> {
  const folded = fold(text);
  const keys = ['state', 'collective', 'private', 'hongKongMacaoTaiwan', 'foreign', 'other'] as const;
  const key = keys.find((k) => k.toLowerCase() === folded.toLowerCase());
  if (key !== undefined) return ok(key);
  if (/港|澳|台/.test(folded)) return ok('hongKongMacaoTaiwan');
  if (/外商|外资|中外|独资外|外国/.test(folded)) return ok('foreign');
  if (/国有|国营|国企|央企/.test(folded)) return ok('state');
  if (/集体/.test(folded)) return ok('collective');
  if (/私|民营|个人|个体|自然人/.test(folded)) return ok('private');
  if (/其他|其它/.test(folded)) return ok('other');
  return problem(`无法识别${quote(text)}，应为 ${oneOf(importValueWords.ownership)}`);
}

function count(text: string): Parsed<number> {
  const folded = fold(text).replace(/[,，人名]/g, '');
  return /^\d{1,8}$/.test(folded) ? ok(Number(folded)) : problem(`应为整数人数，现为${quote(text)}`);
}

function recognitionLevel(text: string): Parsed<'national' | 'provincial'> {
  const folded = fold(text);
  if (/^(国家级?|national)(绿色工厂)?$/i.test(folded)) return ok('national');
  if (/^(省级?|provincial)(绿色工厂)?$/i.test(folded)) return ok('provincial');
  return problem(`无法识别${quote(text)}，应为 ${oneOf(importValueWords.greenFactoryLevel)}`);
}

function year(text: string): Parsed<number> {
  const match = /(19|20)\d{2}/.exec(fold(text));
  return match ? ok(Number(match[0])) : problem(`应为年份（如 2024），现为${quote(text)}`);
}

/** 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日, 20240630 → 2024-06-30; checked against the calendar. */
export function localDate(text: string): Parsed<string> {
  const folded = fold(text);
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(folded) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(folded);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2100) {
      return ok(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
  }
  return problem(`应为日期（如 2024-06-30），现为${quote(text)}`);
}

function yesNo(text: string): Parsed<boolean> {
  const folded = fold(text).toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '在', '列入', '已列入'].includes(folded)) return ok(true);
  if (['否', 'n', 'no', 'false', '0', '×', '✗', '不在', '未列入', '-'].includes(folded)) return ok(false);
  return problem(`应为 是 或 否，现为${quote(text)}`);
}

const text = (value: string): Parsed<string> => ok(value.trim().replace(/\s+/g, ' '));

const parsers: { [F in ImportField]-?: (value: string) => Parsed<NonNullable<FieldValues[F]>> } = {
  name: text,
  uscc: (value) => ok(normalizeUscc(value)),
  legalRepresentative: text,
  address: text,
  divisionCode,
  industryCode,
  scale,
  ownership,
  employees: count,
  contactName: text,
  contactPhone: text,
  greenFactoryLevel: recognitionLevel,
  greenFactoryYear: year,
  miitRecommendedOn: localDate,
  miitBatch: text,
  greenList: yesNo,
  negativeList: yesNo,
};

export function parseField<F extends ImportField>(field: F, value: string): Parsed<NonNullable<FieldValues[F]>> {
  return parsers[field](value) as Parsed<NonNullable<FieldValues[F]>>;
}
