import type { CollateralImportField } from '../../../shared/api/collateral.ts';
import { collateralTypes, collateralTypeWords, patentNumberSchema, pollutants, priceBases, type CollateralType, type Pollutant, type PriceBasis } from '../../../shared/domain/collateral.ts';
import { quantitySchema } from '../../../shared/domain/enterprise.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';
import { fold, localDate, money, ok, oneOf, problem, quote, text, type Parsed } from '../import/cells.ts';

/**
 * One cell of an existing collateral list → the value of one import field, in the words banks'
 * lists use: types as the 2018 notice names them (排污权, 碳排放权 …), pollutants by formula or
 * name (COD, 氨氮, SO2), units as printed on certificates (吨/年, 立方米/年, 吨标准煤/年), a pledge
 * rate as 80%, 80 or 0.8. Which unit a type takes is the row's to decide (fields.ts knows no row).
 */

export interface CollateralFieldValues {
  certificateNumber?: string;
  uscc?: string;
  enterpriseName?: string;
  type?: CollateralType;
  certificateIssuer?: string;
  validFrom?: string;
  validTo?: string;
  pollutant?: Pollutant;
  carbonKind?: 'cea' | 'ccer';
  complianceYear?: number;
  quantity?: string;
  /** Folded, lower case: resolved against the row's type (「吨」 is t/yr for 排污权, tCO2e for 碳排放权). */
  unit?: string;
  contract?: string;
  counterparty?: string;
  patentNumbers?: string[];
  patentTitles?: string[];
  unitPrice?: number;
  priceBasis?: PriceBasis;
  appraisedValue?: number;
  appraisalMethod?: string;
  reportNumber?: string;
  appraisedOn?: string;
  appraiser?: string;
  /** Basis points. */
  pledgeRate?: number;
  notes?: string;
}

/** Matched in order on the folded cell: the first pattern found names the type (合同能源管理 before 收益权, 知识产权 before 节能). */
const typeKeywords: [RegExp, CollateralType][] = [
  [/合同能源管理|emc/i, 'emc_income'],
  [/排污/, 'emission_right'],
  [/碳排放|碳配额|碳资产|cea|ccer/i, 'carbon_allowance'],
  [/用能权/, 'energy_use_right'],
  [/水权|取水权|用水权/, 'water_right'],
  [/知识产权|专利/, 'green_ip'],
  [/节能|节水|未来收益/, 'energy_saving_income'],
  [/特许经营|收费权/, 'franchise'],
];

/** A coded value: its code as is, else the first keyword found in the folded cell, else a reason naming the words. */
function coded<T extends string>(value: string, codes: readonly T[], keywords: readonly [RegExp, T][], words: Record<T, string>): Parsed<T> {
  const folded = fold(value);
  const code = codes.find((candidate) => candidate === folded.toLowerCase());
  if (code !== undefined) return ok(code);
  const found = keywords.find(([pattern]) => pattern.test(folded));
  return found === undefined ? problem(`无法识别${quote(value)}，应为 ${oneOf(words)}`) : ok(found[1]);
}

const collateralType = (value: string) => coded(value, collateralTypes, typeKeywords, collateralTypeWords);

const pollutantWords: Record<Pollutant, string[]> = {
  cod: ['cod', '化学需氧量', 'codcr'],
  nh3n: ['nh3-n', 'nh3n', '氨氮', 'nh₃-n'],
  so2: ['so2', '二氧化硫', 'so₂'],
  nox: ['nox', '氮氧化物', 'nox(以no2计)'],
  pb: ['pb', '铅', '铅及其化合物'],
  cd: ['cd', '镉', '镉及其化合物'],
  as: ['as', '砷', '砷及其化合物'],
};
export const pollutantNames: Record<Pollutant, string> = { cod: 'COD', nh3n: '氨氮', so2: '二氧化硫', nox: '氮氧化物', pb: '铅', cd: '镉', as: '砷' };

/** COD, 化学需氧量, COD（化学需氧量）: the name before or inside brackets counts. */
function pollutant(value: string): Parsed<Pollutant> {
  const folded = fold(value).toLowerCase();
  const parts = [folded, ...folded.split(/[()（）]/).filter((part) => part !== '')];
  const found = pollutants.find((p) => parts.some((part) => pollutantWords[p].includes(part)));
  return found === undefined ? problem(`无法识别${quote(value)}，应为 ${oneOf(pollutantNames)}`) : ok(found);
}

function carbonKind(value: string): Parsed<'cea' | 'ccer'> {
  const folded = fold(value).toLowerCase();
  if (/ccer|核证|自愿减排/.test(folded)) return ok('ccer');
  if (/cea|配额/.test(folded)) return ok('cea');
  return problem(`无法识别${quote(value)}，应为 配额（CEA） 或 核证自愿减排量（CCER）`);
}

/** 2024, 2024年, 2024年度. */
function complianceYear(value: string): Parsed<number> {
  const match = /^(\d{4})(?:年度?)?$/.exec(fold(value));
  const year = match === null ? NaN : Number(match[1]);
  return year >= 2019 && year <= 2100 ? ok(year) : problem(`应为 2019 年以后的年份（如 2024），现为${quote(value)}`);
}

/** An exact decimal, up to 4 places, thousands separators allowed. */
function quantity(value: string): Parsed<string> {
  const cleaned = fold(value).replaceAll(',', '');
  return quantitySchema.safeParse(cleaned).success ? ok(cleaned) : problem(`应为不小于 0 的数（最多 4 位小数），现为${quote(value)}`);
}

/** Each unit a type may take (collateralTypeInfo.units), and how lists write it. */
export const unitWords: Record<string, string[]> = {
  't/yr': ['t/yr', 't/a', 't/年', '吨/年', '吨每年', '吨', 't'],
  'kg/yr': ['kg/yr', 'kg/a', 'kg/年', '千克/年', '公斤/年', '千克', '公斤', 'kg'],
  tCO2e: ['tco2e', 'tco2', 't', '吨', '吨二氧化碳当量', '吨co2当量', '吨co2e'],
  'm3/yr': ['m3/yr', 'm3/a', 'm3/年', '立方米/年', '方/年', 'm3', '立方米'],
  'tce/yr': ['tce/yr', 'tce/a', 'tce/年', '吨标准煤/年', '吨标煤/年', 'tce', '吨标准煤', '吨标煤'],
};
/** The units in the words of the import template. */
export const unitNames: Record<string, string> = { 't/yr': '吨/年', 'kg/yr': '千克/年', tCO2e: '吨二氧化碳当量', 'm3/yr': '立方米/年', 'tce/yr': '吨标准煤/年' };

const unit = (value: string): Parsed<string> => ok(fold(value).toLowerCase().replaceAll('³', '3').replaceAll('₂', '2'));

/** 专利号 and 专利名称 list several patents, one per line or separated by ；. */
const listed = (value: string, separators: RegExp) =>
  value
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part !== '');

function patentNumbers(value: string): Parsed<string[]> {
  const numbers = listed(value, /[；;、，,\n]+/).map((part) => fold(part).toUpperCase());
  const bad = numbers.filter((number) => !patentNumberSchema.safeParse(number).success);
  if (bad.length > 0) return problem(`${bad.map(quote).join('、')}不是专利号（如 ZL202110123456.7）`);
  return numbers.length > 200 ? problem('最多 200 项专利') : ok(numbers);
}

function patentTitles(value: string): Parsed<string[]> {
  const titles = listed(value, /[；;\n]+/);
  return titles.some((title) => title.length > 200) ? problem('每项专利名称最多 200 字') : ok(titles);
}

const basisWords: [RegExp, PriceBasis][] = [
  [/有偿使用|按年|每年|·年|\*年|年租|per_unit_year/i, 'per_unit_year'],
  [/交易|有效期|全期|剩余期限|per_unit_term/i, 'per_unit_term'],
  [/市场价|每单位|按单位|一次性|per_unit$/i, 'per_unit'],
];
const basisNames: Record<PriceBasis, string> = { per_unit_year: '有偿使用费（按年）', per_unit_term: '交易价（按有效期）', per_unit: '市场价（按单位）' };

const priceBasis = (value: string) => coded(value, priceBases, basisWords, basisNames);

/**
 * A pledge rate → basis points: 80%, 80, 0.8 and 80.00% are all 80 %. Without a % sign a number up
 * to 1 is a fraction (no bank pledges at 0.8 %), above 1 a percentage; 0.01 % steps.
 */
function pledgeRate(value: string): Parsed<number> {
  const match = /^(\d{1,3})(?:\.(\d+))?(%?)$/.exec(fold(value));
  if (match === null) return problem(`应为百分数（如 80% 或 0.8），现为${quote(value)}`);
  const [, whole = '', fraction = '', percent] = match;
  const asFraction = percent === '' && Number(`${whole}.${fraction || '0'}`) <= 1;
  const digits = (fraction.replace(/0+$/, '') || '').length;
  if (digits > (asFraction ? 4 : 2)) return problem(`质押率精确到 0.01%，现为${quote(value)}`);
  const bp = asFraction ? Number(whole) * 10_000 + Number(fraction.padEnd(4, '0').slice(0, 4)) : Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return bp > 0 && bp <= 10_000 ? ok(bp) : problem(`须大于 0 且不超过 100%，现为${quote(value)}`);
}

/** Free text of at most `max` characters (the register's own limits). */
const short =
  (max: number) =>
  (value: string): Parsed<string> => {
    const parsed = text(value);
    return parsed.ok && parsed.value.length > max ? problem(`最多 ${max} 字，现为 ${parsed.value.length} 字`) : parsed;
  };

const parsers: { [F in CollateralImportField]-?: (value: string, header: string) => Parsed<unknown> } = {
  certificateNumber: short(60),
  uscc: (value) => ok(normalizeUscc(value)),
  enterpriseName: short(200),
  type: collateralType,
  certificateIssuer: short(200),
  validFrom: localDate,
  validTo: localDate,
  pollutant,
  carbonKind,
  complianceYear,
  quantity,
  unit,
  contract: short(200),
  counterparty: short(200),
  patentNumbers,
  patentTitles,
  unitPrice: money,
  priceBasis,
  appraisedValue: money,
  appraisalMethod: short(50),
  reportNumber: short(200),
  appraisedOn: localDate,
  appraiser: short(200),
  pledgeRate,
  notes: short(2000),
};

export function parseCollateralField(field: CollateralImportField, value: string, header: string): Parsed<unknown> {
  return parsers[field](value, header);
}
