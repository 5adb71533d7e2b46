import { importValueWords, type ImportField } from '../../../shared/api/enterprises.ts';
import { industries } from '../../../shared/codes/industries.ts';
import type { EnterpriseFile } from '../../../shared/domain/enterprise.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';
import { fold, localDate, ok, oneOf, problem, quote, text, yesNo, type Parsed } from '../import/cells.ts';

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
